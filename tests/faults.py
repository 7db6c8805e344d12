"""Fault injection for tests: training callbacks that kill or fail the process at chosen moments.

Not a test module. In-process: ``install(monkeypatch, callback)`` makes every
``qadapter.train.train`` call (CLI, pipeline stages) run with the callback. In a subprocess::

    python tests/faults.py kill-after-checkpoint 4 -- train --profile tiny ...
    python tests/faults.py kill-during-checkpoint 4:state.pt -- train ...

runs ``qadapter.cli.main`` with the callback installed. Production code has no fault hooks.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qadapter.train import TrainCallback  # noqa: E402


class InjectedFailure(RuntimeError):
    """Raised by :class:`FailOnceAfterCheckpoint` (an 'outside' error: the pipeline retries it)."""


class KillAfterCheckpoint(TrainCallback):
    """SIGKILL the process right after checkpoint ``step`` is complete."""

    def __init__(self, step: int):
        self.step = step

    def on_checkpoint(self, step: int, path: Path) -> None:
        if step == self.step:
            os.kill(os.getpid(), signal.SIGKILL)


class KillDuringCheckpoint(TrainCallback):
    """SIGKILL the process while checkpoint ``step`` is being written, right after file ``name``."""

    def __init__(self, step: int, name: str):
        self.step, self.name = step, name

    def on_checkpoint_file(self, path: Path) -> None:
        if path.parent.name.endswith(f"step-{self.step:07d}") and path.name == self.name:
            os.kill(os.getpid(), signal.SIGKILL)


class FailOnceAfterCheckpoint(TrainCallback):
    """Raise once after checkpoint ``step`` (a marker file remembers it across retries)."""

    def __init__(self, step: int, marker: Path):
        self.step, self.marker = step, Path(marker)

    def on_checkpoint(self, step: int, path: Path) -> None:
        if step == self.step and not self.marker.exists():
            self.marker.touch()
            raise InjectedFailure(f"injected failure after checkpoint {step}")


def install(monkeypatch, callback: TrainCallback) -> None:
    """Make every later ``qadapter.train.train`` call also run ``callback``."""
    import qadapter.train as T

    real = T.train

    @functools.wraps(real)
    def with_callback(*args, callbacks=(), **kwargs):
        return real(*args, callbacks=[*callbacks, callback], **kwargs)

    monkeypatch.setattr(T, "train", with_callback)


def main(argv: list[str]) -> int:
    kind, spec, sep, *cli_args = argv
    assert sep == "--", "usage: faults.py KIND SPEC -- CLI ARGS"
    if kind == "kill-after-checkpoint":
        callback: TrainCallback = KillAfterCheckpoint(int(spec))
    elif kind == "kill-during-checkpoint":
        step, name = spec.split(":")
        callback = KillDuringCheckpoint(int(step), name)
    else:
        raise SystemExit(f"unknown fault {kind!r}")
    import pytest

    from qadapter import cli

    with pytest.MonkeyPatch.context() as mp:
        install(mp, callback)
        return cli.main(cli_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
