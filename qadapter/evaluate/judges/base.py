"""What every pairwise judge takes and returns, whatever it is (a reward model, an LLM endpoint).

A judge sees items in the order they are *presented* (``output_1`` first) and answers with a
preference in AlpacaEval's convention: 1.0 means output_1 is better, 2.0 means output_2 is better,
1.5 is a tie, values in between are graded preferences; ``None`` means the answer could not be
read (counted as unparsed by :mod:`qadapter.evaluate.winrate`, never dropped). Position
randomization and mapping back to "model vs reference" happen in the win-rate code, not in judges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence


class JudgeError(Exception):
    """A judge could not produce its verdicts; the message says what to do."""


@dataclass(frozen=True)
class JudgeItem:
    """One comparison as the judge will see it."""

    prompt: tuple[dict, ...]  # the conversation so far, chat messages, last one from the user
    output_1: str  # presented first
    output_2: str  # presented second


@dataclass(frozen=True)
class Verdict:
    """A judge's answer about one :class:`JudgeItem`, relative to the presented order."""

    preference: float | None  # in [1, 2]; None: unparsed
    raw_completion: str  # what the judge said (reply text, or the two rewards), for annotations
    details: dict = field(default_factory=dict)  # judge-specific extras (rewards, cache hit, ...)

    def __post_init__(self) -> None:
        if self.preference is not None and not 1.0 <= self.preference <= 2.0:
            raise ValueError(f"judge preference {self.preference} is outside [1, 2]")


class PairwiseJudge(Protocol):
    """The interface :func:`qadapter.evaluate.winrate.annotate` uses."""

    name: str

    def judge(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """One verdict per item, in order."""
        ...

    def describe(self) -> dict:
        """JSON-able facts about the judge (configuration, trust), never secrets."""
        ...


def render_conversation(messages: Sequence[dict]) -> str:
    """The instruction text of a prompt: a lone user message as is, else ``Role: content`` turns.

    >>> render_conversation([{"role": "user", "content": "Hi"}])
    'Hi'
    """
    messages = list(messages)
    if len(messages) == 1 and messages[0]["role"] == "user":
        return messages[0]["content"]
    return "\n\n".join(f"{m['role'].capitalize()}: {m['content']}" for m in messages)
