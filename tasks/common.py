"""Shared task plumbing: stage keys, work directories, retry policy.

A stage's key hashes the stage name, the code version and the stage's inputs: the experiment
configuration, the content hashes of its data, and the identity of its upstream artifacts (the
base's content hash, the adapter's key). The same key names the Prefect cache entry and the
stage's work directory, so a cached stage is skipped, and a retried one finds its own checkpoints.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from .tracking import state_dir

REPO = Path(__file__).resolve().parents[1]


def retry_delays() -> list[float]:
    """Backoff between attempts of heavy stages: ``QADAPTER_RETRY_DELAYS`` (seconds, a,b,...)."""
    return [
        float(x) for x in os.environ.get("QADAPTER_RETRY_DELAYS", "10,60").split(",") if x.strip()
    ]


def retry_on_outside_errors(task, task_run, state) -> bool:
    """Retry crashes and infrastructure errors, not user mistakes that a retry cannot fix."""
    from qadapter.errors import user_errors

    try:
        state.result()
    except user_errors():
        return False
    except BaseException:  # noqa: BLE001 - anything else may be transient (OOM, preemption, I/O)
        return True
    return True


def code_version() -> str:
    """sha256 over the library's and tasks' sources: a code change invalidates cached stages."""
    h = hashlib.sha256()
    for path in sorted(p for d in ("qadapter", "tasks") for p in (REPO / d).rglob("*.py")):
        h.update(path.relative_to(REPO).as_posix().encode() + b"\n" + path.read_bytes())
    return h.hexdigest()[:16]


def stage_key(stage: str, **inputs) -> str:
    blob = json.dumps(
        {"stage": stage, "code": code_version(), **inputs}, sort_keys=True, default=str
    )
    return f"{stage}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def workdir(key: str) -> Path:
    path = state_dir() / "runs" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


def _downstream(p: dict) -> dict:
    return {
        "cfg": p["cfg"].to_dict(),
        "data": p["data_hashes"],
        "base": p["base"]["base_hash"],
        "adapter": p["adapter"]["key"],
    }


KEY_INPUTS: dict[str, Callable[[dict], dict]] = {
    "helpful-base": lambda p: {"cfg": p["cfg"].to_dict(), "data": p["data_hashes"]},
    "qadapter": lambda p: {
        "cfg": p["cfg"].to_dict(),
        "data": p["data_hashes"],
        "base": p["base"]["base_hash"],
    },
    "evaluate": _downstream,
    "generations": _downstream,
}


def key_of(stage: str, parameters: dict) -> str:
    return stage_key(stage, **KEY_INPUTS[stage](parameters))


def cache_key(stage: str):
    """A Prefect ``cache_key_fn`` for ``stage`` (the MLflow parent run id is not part of it)."""
    return lambda context, parameters: key_of(stage, parameters)
