"""Where the project keeps its state by default, and the MLflow tracking store in it.

``state/`` next to the packages (``QADAPTER_STATE_DIR`` moves it) holds the pipeline's results
and, as ``state/mlflow.db``, the MLflow store that the pipeline logs runs and registers adapters
in. ``MLFLOW_TRACKING_URI``, when set, names the store instead. One definition for both sides:
the registry (``qadapter models``, ``models:/`` references, ``qadapter serve``) reads the store
the pipeline (``tasks.tracking``) writes.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

os.environ.setdefault("MLFLOW_ENABLE_TELEMETRY", "false")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "1")


def state_dir() -> Path:
    return Path(os.environ.get("QADAPTER_STATE_DIR", REPO / "state")).resolve()


def tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI``, else ``sqlite:///<state>/mlflow.db`` (the state dir is created)."""
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if uri:
        return uri
    state_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{state_dir() / 'mlflow.db'}"


def client():
    """An ``MlflowClient`` on :func:`tracking_uri` (not checked: a new SQLite store is created)."""
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=tracking_uri())
