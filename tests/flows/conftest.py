import os

import pytest

# Read at import time by tasks/ (retry backoff): no waiting between attempts in tests.
os.environ["QADAPTER_RETRY_DELAYS"] = "0"
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("MLFLOW_ENABLE_TELEMETRY", "false")


@pytest.fixture(scope="session")
def prefect_harness():
    """One ephemeral Prefect server for the session (start-up can take ~20 s on 2 busy cores)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def flow_env(tmp_path, monkeypatch, prefect_harness):
    """A private state dir and SQLite MLflow store for one test."""
    state = tmp_path / "state"
    monkeypatch.setenv("QADAPTER_STATE_DIR", str(state))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{state / 'mlflow.db'}")
    state.mkdir()
    return state
