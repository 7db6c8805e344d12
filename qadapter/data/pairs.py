"""The one record type every data source produces: a preference pair.

Every source and format in ``qadapter.data`` ends in :class:`PreferencePair`; tokenization
(``qadapter.data.tokenize``) is the only consumer. The prompt is always a list of chat messages
(``[{"role": "user"|"assistant"|"system", "content": str}, ...]``) ending with a user turn, so that
the tokenizer's chat template decides where the response starts: plain-text prompts become one
user message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Message = dict  # {"role": str, "content": str}


@dataclass(frozen=True)
class PreferencePair:
    """One preference: ``chosen`` preferred over ``rejected`` after ``prompt``.

    prompt:   the conversation so far, as chat messages, last one from the user.
    chosen:   the preferred assistant response (text only, no end-of-turn marker).
    rejected: the dispreferred assistant response.
    origin:   where the record came from, for error messages (``file.jsonl:12``).
    """

    prompt: tuple[Message, ...]
    chosen: str
    rejected: str
    origin: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # Frozen, hashable messages: tuples of dicts are not hashable, so store as given but
        # normalise lists to tuples for equality and use in sets via key().
        object.__setattr__(self, "prompt", tuple(dict(m) for m in self.prompt))

    def to_row(self) -> dict:
        """A JSON-able row of the pair, ``origin`` included (the form of the files qadapter
        writes for itself: on-policy caches, a level's own pairs); :meth:`from_row` reads it."""
        return {
            "prompt": [dict(m) for m in self.prompt],
            "chosen": self.chosen,
            "rejected": self.rejected,
            "origin": self.origin,
        }

    @classmethod
    def from_row(cls, row: dict) -> "PreferencePair":
        return cls(row["prompt"], row["chosen"], row["rejected"], row.get("origin", ""))

    def key(self) -> tuple:
        """A hashable identity of the pair's content (used for de-duplication)."""
        prompt = tuple((m["role"], m["content"]) for m in self.prompt)
        return (prompt, self.chosen, self.rejected)
