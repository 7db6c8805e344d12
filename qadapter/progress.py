"""Progress of long phases on stderr: a tqdm bar on a terminal, periodic plain lines in a log.

``progress(total, desc, enabled)`` returns an object with ``update(n)``, ``set_postfix(**kw)``
and ``close()``. On a TTY it is a tqdm bar; otherwise it prints ``desc: i/total (p%) k=v`` at most
every ``QADAPTER_PROGRESS_SECONDS`` (default 30) and once at the end, so a non-interactive log
shows that work goes on, and about how long is left. Disabled (``--quiet``): a no-op.
"""

from __future__ import annotations

import os
import sys
import time


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix(self, **kw) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress:
    """Plain progress lines for logs (no carriage returns)."""

    def __init__(
        self, total: int, desc: str, initial: int = 0, every_s: float | None = None, stream=None
    ):
        self.total, self.desc, self.n = total, desc, initial
        self.every_s = (
            float(os.environ.get("QADAPTER_PROGRESS_SECONDS", "30")) if every_s is None else every_s
        )
        self.stream = stream or sys.stderr
        self.postfix: dict = {}
        self.start, self.initial = time.monotonic(), initial
        self.last = self.start
        self.closed = False

    def _line(self) -> str:
        pct = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        extra = "".join(f" {k}={v}" for k, v in self.postfix.items())
        return f"{self.desc}: {self.n}/{self.total}{pct}{self._eta()}{extra}"

    def _eta(self) -> str:
        """``, about Ns left`` at the rate so far (nothing before the first unit or at the end)."""
        done = self.n - self.initial
        if not self.total or done <= 0 or self.n >= self.total:
            return ""
        left = (time.monotonic() - self.start) / done * (self.total - self.n)
        return f", about {left:.0f}s left"

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            print(self._line(), file=self.stream, flush=True)

    def set_postfix(self, **kw) -> None:
        self.postfix = kw

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            print(self._line(), file=self.stream, flush=True)


def progress(total: int, desc: str, *, enabled: bool = True, initial: int = 0, unit: str = "it"):
    """A progress reporter on stderr for ``total`` units of work (see the module docstring)."""
    if not enabled:
        return _Silent()
    if sys.stderr.isatty():
        from tqdm.auto import tqdm

        return tqdm(total=total, initial=initial, desc=desc, unit=unit, file=sys.stderr)
    return LineProgress(total, desc, initial=initial)
