"""Shared task plumbing: cache keys, work directories, retry delays.

A stage's key (``qadapter.stages.stage_key``) hashes the stage name, the code version and the
stage's inputs: the pipeline configuration, the content hashes of its data, and the identity of
its upstream artifacts (the base's content hash, the adapter's key). The same key names the
Prefect cache entry and the stage's work directory, so a cached stage is skipped, and a retried
one finds its own checkpoints.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from qadapter.stages import stage_key

from .tracking import state_dir


def retry_delays() -> list[float]:
    """Backoff between attempts of the heavy stages: ``QADAPTER_RETRY_DELAYS`` (seconds, comma-separated)."""
    return [float(x) for x in os.environ.get("QADAPTER_RETRY_DELAYS", "10,60").split(",") if x.strip()]


def retry_on_outside_errors(task, task_run, state) -> bool:
    """Retry crashes and infrastructure errors, not user mistakes that a retry cannot fix."""
    from qadapter.adapter import AdapterError
    from qadapter.data import DataError
    from qadapter.models import ModelError
    from qadapter.train import TrainingError

    try:
        state.result()
    except (TrainingError, DataError, ModelError, AdapterError, ValueError):
        return False
    except BaseException:  # noqa: BLE001 - anything else may be transient (OOM, preemption, I/O)
        return True
    return True


def workdir(key: str) -> Path:
    path = state_dir() / "runs" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


KEY_INPUTS: dict[str, Callable[[dict], dict]] = {
    "helpful-base": lambda p: {"cfg": p["cfg"].to_dict(), "data": p["data_hashes"]},
    "qadapter": lambda p: {"cfg": p["cfg"].to_dict(), "data": p["data_hashes"], "base": p["base"]["base_hash"]},
    "evaluate": lambda p: {"cfg": p["cfg"].to_dict(), "data": p["data_hashes"], "base": p["base"]["base_hash"], "adapter": p["adapter"]["key"]},
    "judge": lambda p: {"cfg": p["cfg"].to_dict(), "data": p["data_hashes"], "base": p["base"]["base_hash"], "adapter": p["adapter"]["key"]},
}


def key_of(stage: str, parameters: dict) -> str:
    return stage_key(stage, **KEY_INPUTS[stage](parameters))


def cache_key(stage: str):
    """A Prefect ``cache_key_fn`` for ``stage`` (the MLflow parent run id is not part of it)."""
    return lambda context, parameters: key_of(stage, parameters)
