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


@pytest.fixture(autouse=True)
def tiny_judges_pass_validation(monkeypatch):
    """The tiny profile's judges are reward models of a random tiny network: noise. The flow
    tests check the pipeline's wiring, so their judges clear bars of zero (Thresholds.none());
    the tests of the decision rule force judges untrusted and check that nothing is decided."""
    from dataclasses import replace

    from qadapter.evaluate.judges.validation import Thresholds
    from tasks import experiment

    tiny = replace(experiment.EXPERIMENTS["tiny"], judge_thresholds=Thresholds.none())
    monkeypatch.setitem(experiment.EXPERIMENTS, "tiny", tiny)
