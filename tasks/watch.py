"""What a user watching a flow run sees: stage progress in the Prefect run log, libraries quiet.

``StageProgress`` is a training callback (the ``callbacks=`` of ``qadapter.stages``) that writes
one line per ``every_s`` seconds (and the first and last step) to the Prefect run logger, so
``prefect deployment run ... --watch`` and the UI's Logs tab show step, loss, accuracy and an ETA.
``quiet_libraries`` keeps library warnings (transformers, TRL, lm-eval, MLflow) out of the run log:
they go to the Python logger ``qadapter.library`` at DEBUG level and are counted, and one INFO
line says how many were hidden.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
import warnings

LIBRARY_LOG = logging.getLogger("qadapter.library")


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """The Prefect run logger inside a flow or task run, else a plain logger (``.fn()`` calls)."""
    try:
        from prefect import get_run_logger

        return get_run_logger()
    except Exception:  # noqa: BLE001 - MissingContextError outside a run
        return logging.getLogger("qadapter.flow")


def eta_seconds(step: int, total: int | None, elapsed: float) -> float | None:
    """Remaining seconds at a constant rate: ``elapsed / step * (total - step)``; None if unknown.

    >>> eta_seconds(5, 20, 10.0)
    30.0
    """
    if not total or step <= 0:
        return None
    return elapsed / step * max(0, total - step)


def format_progress(stage: str, record: dict, total: int | None, elapsed: float) -> str:
    """One log line: ``qadapter step 5/20 loss 0.6931 accuracy 0.50 ETA 30 s``."""
    step = int(record.get("step", 0))
    parts = [f"{stage} step {step}/{total}" if total else f"{stage} step {step}"]
    for key in ("loss", "accuracy", "rewards/accuracies", "margin"):
        value = record.get(key)
        if isinstance(value, (int, float)) and math.isfinite(value):
            parts.append(f"{key.split('/')[-1]} {value:.4g}")
    eta = eta_seconds(step, total, elapsed)
    if eta is not None:
        parts.append(f"ETA {eta:.0f} s")
    return " ".join(parts)


class StageProgress:
    """Training callback logging progress at most every ``every_s`` seconds (first/last always)."""

    def __init__(self, stage: str, total: int | None, every_s: float = 15.0, logger=None):
        self.stage, self.total, self.every_s = stage, total, every_s
        self.logger = logger or run_logger()
        self.started = time.monotonic()
        self.last: float | None = None
        self.lines = 0

    def __call__(self, record: dict) -> None:
        if "step" not in record:
            return
        now = time.monotonic()
        step = int(record["step"])
        due = self.last is None or now - self.last >= self.every_s
        if due or (self.total and step >= self.total):
            self.logger.info(format_progress(self.stage, record, self.total, now - self.started))
            self.last = now
            self.lines += 1


def total_steps(pairs: int | None, batch_size: int, epochs: int, max_steps: int | None) -> int:
    """Optimizer steps of a run: ``ceil(pairs / batch_size) * epochs``, capped by ``max_steps``."""
    total = math.ceil((pairs or 0) / batch_size) * epochs
    if max_steps is not None and max_steps > 0:
        total = min(total, max_steps)
    return total


@contextlib.contextmanager
def quiet_libraries(logger=None):
    """Library warnings inside the block go to DEBUG (``qadapter.library``), counted, not shown."""
    hidden = []

    def show(message, category, filename, lineno, file=None, line=None):
        hidden.append(category.__name__)
        LIBRARY_LOG.debug("%s:%s: %s: %s", filename, lineno, category.__name__, message)

    noisy = [logging.getLogger(n) for n in ("transformers", "datasets", "lm_eval", "peft")]
    levels = [lg.level for lg in noisy]
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        for lg in noisy:
            lg.setLevel(logging.ERROR)
        try:
            yield hidden
        finally:
            for lg, level in zip(noisy, levels):
                lg.setLevel(level)
    if hidden:
        (logger or run_logger()).info(
            "%d library warnings hidden (logger qadapter.library, DEBUG level)", len(hidden)
        )
