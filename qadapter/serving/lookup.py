"""Registry references resolved off the request path: a slow tracking server delays no one else.

A request that names a model the server already holds never reaches this module. A request that
names a registry reference (``NAME/3``, ``NAME@alias``, ``models:/...``) is resolved here:

* on this module's own small thread pool (``workers`` threads, never Starlette's shared pool,
  which tokenization and the rest of the server use);
* with a short ``timeout`` (seconds): a lookup that has not finished by then is answered 503
  with ``Retry-After`` (:class:`RegistryBusy`); its thread finishes in the background;
* at most ``max_in_flight`` lookups at once (counting those that timed out but still run): one
  more is answered 503 at once, so a dead tracking server holds a bounded number of threads;
* with a negative cache: a reference that was not found, failed or timed out is answered from
  the cache for ``negative_ttl`` seconds (at most ``cache_size`` entries, the oldest dropped);
* with one lookup per reference: concurrent requests for the same reference share it.

The adapter found is loaded on the engine's worker thread (:meth:`Engine.call`), as before.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from .catalog import Served, UnknownModel, is_reference, resolve_reference


class RegistryBusy(RuntimeError):
    """The registry did not answer in time, or too many lookups are running (a 503)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class LookupConfig:
    timeout: float = 5.0  # seconds a request waits for the tracking server
    max_in_flight: int = 4  # registry lookups running at once (timed-out ones included)
    workers: int = 2  # threads of the lookup pool
    negative_ttl: float = 30.0  # seconds a failed reference is answered from the cache
    cache_size: int = 1024  # failed references remembered at most

    def __post_init__(self):
        if self.timeout <= 0 or self.max_in_flight < 1 or self.workers < 1:
            raise ValueError("lookup timeout must be > 0, max_in_flight and workers >= 1")


class RegistryLookup:
    """Async resolution of registry references for one :class:`Engine`."""

    def __init__(self, engine, config: LookupConfig = LookupConfig()):
        self.engine, self.config = engine, config
        self._pool = ThreadPoolExecutor(config.workers, thread_name_prefix="qadapter-registry")
        self._lock = threading.Lock()
        self._running: dict[str, Future] = {}  # reference -> its lookup (shared by requests)
        self._failed: OrderedDict[str, tuple[float, Exception]] = OrderedDict()
        self.calls = 0  # lookups started (for tests and the load benchmark)

    @property
    def in_flight(self) -> int:
        with self._lock:
            return len(self._running)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def served(self, name: str) -> Served:
        """The model ``name`` names: held already, or resolved and loaded; raises
        :class:`UnknownModel` (404) or :class:`RegistryBusy` (503)."""
        held = self.engine.models.get(name)
        if held is not None:
            return held
        if not is_reference(name):
            raise UnknownModel(
                f"model {name!r} is not served here; GET /v1/models lists the served models "
                "(adapters are added with --adapter NAME=DIR_OR_REF)"
            )
        self._check_cache(name)
        future = self._start(name)
        try:
            directory = await asyncio.wait_for(asyncio.wrap_future(future), self.config.timeout)
        except asyncio.TimeoutError:
            err = RegistryBusy(
                f"model {name!r}: the model registry did not answer within "
                f"{self.config.timeout:g} s; retry later or ask for a loaded model "
                "(GET /v1/models)",
                retry_after=max(1, int(self.config.negative_ttl)),
            )
            self._remember(name, err)
            raise err from None
        except UnknownModel as e:
            self._remember(name, e)
            raise
        except Exception as e:  # the tracking server failed: a 503 for a while, not a 500
            err = RegistryBusy(
                f"model {name!r}: the model registry failed ({type(e).__name__}); retry later",
                retry_after=max(1, int(self.config.negative_ttl)),
            )
            self._remember(name, err)
            raise err from None
        load = self.engine.call(lambda: self.engine._load(name, directory))
        return await asyncio.wrap_future(load)

    def _check_cache(self, name: str) -> None:
        with self._lock:
            hit = self._failed.get(name)
            if hit is None:
                return
            at, err = hit
            if time.monotonic() - at > self.config.negative_ttl:
                del self._failed[name]
                return
        if isinstance(err, RegistryBusy):
            left = int(self.config.negative_ttl - (time.monotonic() - at)) + 1
            raise RegistryBusy(str(err), retry_after=max(1, left))
        raise UnknownModel(str(err))

    def _remember(self, name: str, err: Exception) -> None:
        with self._lock:
            self._failed[name] = (time.monotonic(), err)
            self._failed.move_to_end(name)
            while len(self._failed) > self.config.cache_size:
                self._failed.popitem(last=False)

    def _start(self, name: str) -> Future:
        with self._lock:
            running = self._running.get(name)
            if running is not None:
                return running
            if len(self._running) >= self.config.max_in_flight:
                raise RegistryBusy(
                    f"model {name!r}: {len(self._running)} registry lookups are already "
                    "running (the tracking server is slow); retry later",
                    retry_after=max(1, int(self.config.timeout)),
                )
            self.calls += 1
            future = self._pool.submit(resolve_reference, name, self.engine.tracking_uri)
            self._running[name] = future
        future.add_done_callback(lambda f: self._done(name, f))
        return future

    def _done(self, name: str, future: Future) -> None:
        with self._lock:
            self._running.pop(name, None)
            if not future.cancelled() and future.exception() is None:
                self._failed.pop(name, None)  # it answered after all (late): forget the timeout
