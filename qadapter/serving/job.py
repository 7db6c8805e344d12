"""A request inside the server: its decoding settings, its tokens, and the events it sends.

A :class:`Job` turns its batch row's tokens into events for its client: ``("delta", text)``
while streaming (text is held back while it ends in an incomplete UTF-8 character), then
``("done", Result)`` or ``("error", message)``. Its ``key`` says which other jobs it may share a
batch with (:mod:`qadapter.serving.engine`).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Callable

from ..decode import SamplingConfig
from .catalog import Served


@dataclass(frozen=True)
class Settings:
    """A request's decoding settings. ``temperature`` 0 means greedy (argmax of eq. 6)."""

    max_tokens: int
    temperature: float = 1.0
    top_p: float = 1.0
    seed: int | None = None
    alpha0: float | None = None
    ignore_eos: bool = False  # decode exactly max_tokens tokens (benchmarks)

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0

    def sampling(self, max_new_tokens: int) -> SamplingConfig:
        if self.greedy:
            return SamplingConfig(max_new_tokens=max_new_tokens, greedy=True)
        return SamplingConfig(
            max_new_tokens=max_new_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            seed=self.seed,
        )


@dataclass(frozen=True)
class Result:
    text: str
    finish_reason: str  # "stop" (EOS) or "length" (max_tokens)
    prompt_tokens: int
    completion_tokens: int  # generated tokens, the EOS included


class Stopped(Exception):
    """Every row of a batch is finished or cancelled: stop decoding early."""


_unique = itertools.count()


class Job:
    """One request: its prompt tokens, settings and the sink its events go to."""

    def __init__(
        self, served: Served, prompt_ids: list[int], settings: Settings, sink: Callable, stream
    ):
        self.served, self.prompt_ids, self.settings = served, list(prompt_ids), settings
        self.sink, self.stream = sink, stream
        self.tokens: list[int] = []
        self.sent = ""
        self.done = False
        self.cancelled = threading.Event()
        s = settings
        alone = not s.greedy and s.seed is not None
        # requests with equal keys may share a batch: same networks, same eq. 6, same sampling
        self.key = (
            ("alone", next(_unique))
            if alone
            else (id(served.decoder), s.alpha0, s.ignore_eos)
            + ((0.0, 1.0) if s.greedy else (s.temperature, s.top_p))
        )

    def cancel(self) -> None:
        self.cancelled.set()

    def _send(self, event) -> None:
        try:
            self.sink(event)
        except Exception:  # the client's event loop is gone: nobody is listening any more
            self.cancel()

    def step(self, token: int, eos: set[int], tokenizer) -> None:
        if self.done:
            return
        if token in eos:
            return self.finish(tokenizer, "stop")
        self.tokens.append(token)
        if len(self.tokens) >= self.settings.max_tokens:
            return self.finish(tokenizer, "length")
        if self.stream:
            self._emit(tokenizer.decode(self.tokens, skip_special_tokens=True))

    def _emit(self, text: str) -> None:
        if text.endswith("\ufffd") or not text.startswith(self.sent) or text == self.sent:
            return  # an incomplete character, or a re-tokenized prefix: wait for more tokens
        self._send(("delta", text[len(self.sent) :]))
        self.sent = text

    def finish(self, tokenizer, reason: str) -> None:
        text = tokenizer.decode(self.tokens, skip_special_tokens=True)
        if self.stream:
            self._emit(text)
        self.done = True
        used = len(self.tokens) + (reason == "stop")
        self._send(("done", Result(text, reason, len(self.prompt_ids), used)))

    def fail(self, message: str) -> None:
        if not self.done:
            self.done = True
            self._send(("error", message))
