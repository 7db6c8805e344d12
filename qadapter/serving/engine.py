"""One worker thread owns the model; requests reach it through a queue and leave as events.

Batching: the worker takes the oldest request and, with it, every waiting request for the same
model with the same decoding settings (alpha0, greedy or temperature / top_p), up to
``max_batch`` rows, and decodes them as one left-padded batch (``CustomizedDecoder.generate``:
per-row position ids, so a row's tokens do not depend on its neighbours). Rows may ask for
different ``max_tokens``: the batch runs to the largest and each row stops at its own. A request
with a ``seed`` and temperature > 0 runs alone, because rows of a batch share one random stream
and its text must not depend on who else was waiting. Requests for other models wait their turn
(first come, first served). Registry loads run on the same thread, so nothing touches the
model concurrently. Each row's tokens go to its :class:`qadapter.serving.job.Job`.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections import deque
from concurrent.futures import Future
from typing import Callable

import torch

from ..data.tokenize import left_pad
from ..secrets import redact
from .catalog import Served, load_adapter_served
from .job import Job, Result, Settings, Stopped

__all__ = ["Engine", "Job", "Result", "Settings"]

log = logging.getLogger("qadapter.serve")


class _Call:
    def __init__(self, fn: Callable):
        self.fn, self.future = fn, Future()


class Engine:
    """The served models, a queue, and the one thread that runs them."""

    def __init__(self, base, served: list[Served], *, max_batch: int = 8, tracking_uri=None):
        if max_batch < 1:
            raise ValueError(f"max_batch must be >= 1, got {max_batch}")
        self.base, self.max_batch, self.tracking_uri = base, max_batch, tracking_uri
        self.models: dict[str, Served] = {s.name: s for s in served}
        self._by_dir: dict = {s.directory.resolve(): s for s in served if s.directory}
        self._pending: deque = deque()
        self._cv = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.batches: list[int] = []  # size of every batch run (for tests and benchmarks)
        cfg = base.model.config
        self.context_length = int(getattr(cfg, "max_position_embeddings", 0) or 2**31)

    # ---- lifecycle --------------------------------------------------------------------------

    def start(self) -> "Engine":
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="qadapter-worker", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._stopping = False  # queued work was finished; the engine may start again

    @property
    def queued(self) -> int:
        return len(self._pending)

    # ---- requests ---------------------------------------------------------------------------

    def submit(self, job: Job) -> None:
        total = len(job.prompt_ids) + job.settings.max_tokens
        if total > self.context_length:
            raise ValueError(
                f"prompt ({len(job.prompt_ids)} tokens) + max_tokens "
                f"({job.settings.max_tokens}) exceeds the model's context of "
                f"{self.context_length} tokens; shorten the messages or lower max_tokens"
            )
        job.served.decoder_for(job.settings.alpha0)  # an invalid alpha0 fails here, not later
        self._put(job)

    def call(self, fn: Callable) -> Future:
        """Run ``fn()`` on the worker thread (between batches); its result as a future."""
        item = _Call(fn)
        self._put(item)
        return item.future

    def _put(self, item) -> None:
        with self._cv:
            if self._stopping:
                raise RuntimeError("the server is shutting down")
            self._pending.append(item)
            self._cv.notify()

    def _load(self, name: str, directory) -> Served:
        """Load the adapter a registry reference resolved to (run on the worker thread, through
        :meth:`call`, by :class:`qadapter.serving.lookup.RegistryLookup`)."""
        key = directory.resolve()
        served = self._by_dir.get(key)
        if served is None:
            served = load_adapter_served(name, directory, self.base, source=name)
            self._by_dir[key] = served
            log.info("loaded %s from %s", redact(name), redact(str(directory)))
        if "@" not in name:  # a version is immutable: keep it under its name
            self.models.setdefault(name, served)
        return served

    # ---- the worker -------------------------------------------------------------------------

    def _take(self) -> list | None:
        with self._cv:
            while True:
                while self._pending and not isinstance(self._pending[0], _Call):
                    if not self._pending[0].cancelled.is_set():
                        break
                    self._pending.popleft()  # its client left before it started
                if self._pending:
                    break
                if self._stopping:
                    return None
                self._cv.wait()
            first = self._pending.popleft()
            if isinstance(first, _Call):
                return [first]
            batch, rest = [first], deque()
            for item in self._pending:
                fits = isinstance(item, Job) and item.key == first.key
                if fits and len(batch) < self.max_batch and not item.cancelled.is_set():
                    batch.append(item)
                elif not (isinstance(item, Job) and item.cancelled.is_set()):
                    rest.append(item)
            self._pending = rest
            return batch

    def _loop(self) -> None:
        while (batch := self._take()) is not None:
            if isinstance(batch[0], _Call):
                call = batch[0]
                try:
                    call.future.set_result(call.fn())
                except BaseException as e:  # handed to the waiting request
                    call.future.set_exception(e)
                continue
            try:
                self._run(batch)
            except Stopped:
                pass
            except Exception as e:  # never kill the worker; tell the clients, log the details
                log.exception("decoding failed")
                for job in batch:
                    job.fail(f"decoding failed ({type(e).__name__}); see the server log")
            for job in batch:
                job.fail("decoding ended before this request finished")

    def _run(self, batch: list[Job]) -> None:
        self.batches.append(len(batch))
        first = batch[0]
        dec = first.served.decoder_for(first.settings.alpha0)
        if first.settings.ignore_eos:
            dec = copy.copy(dec)  # the same networks; no token ends a row
            dec.eos = torch.tensor([-1])
        tok = self.base.tokenizer
        eos = set(dec.eos.tolist())
        n = max(job.settings.max_tokens for job in batch)
        ids, mask = left_pad([job.prompt_ids for job in batch], tok.pad_token_id)

        def on_step(nxt) -> None:
            for job, t in zip(batch, nxt.tolist()):
                job.step(t, eos, tok)
            if all(job.done or job.cancelled.is_set() for job in batch):
                raise Stopped

        dec.generate(ids, mask, first.settings.sampling(n), on_step=on_step)
        for job in batch:  # every row reached EOS before its max_tokens: already done
            if not job.done:
                job.finish(tok, "length")
