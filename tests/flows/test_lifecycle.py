"""Runs end the way they ended (tasks/lifecycle.py) and experiments are created for the UI and
for artifacts through the server (tasks/tracking.py); SQLite MLflow stores, no servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from types import SimpleNamespace

import pytest

from tasks import lifecycle, tracking


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.delenv("QADAPTER_MLFLOW_ARTIFACTS", raising=False)
    return tracking.client()


def _flow_runs(c, flow_run_id: str, children: dict[str, str | None]) -> tuple[str, dict]:
    """A parent run tagged with flow_run_id and child runs ending with the given statuses
    (None: left RUNNING)."""
    exp = tracking.experiment_id(c)
    parent = c.create_run(exp, tags={"prefect.flow_run_id": flow_run_id}).info.run_id
    ids = {}
    for name, status in children.items():
        ids[name] = tracking.StageRun(parent, name, "k").run_id
        if status:
            c.set_terminated(ids[name], status=status)
    return parent, ids


def _status(c, run_id: str) -> str:
    return c.get_run(run_id).info.status


def test_artifact_location_goes_through_the_server_only_when_there_is_one(tmp_path, monkeypatch):
    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path / "st"))
    monkeypatch.delenv("QADAPTER_MLFLOW_ARTIFACTS", raising=False)
    loc = tracking.artifact_location
    assert loc("qadapter-hh", "http://127.0.0.1:5000") == "mlflow-artifacts:/qadapter-hh"
    assert loc("e", "HTTPS://mlflow.example.com") == "mlflow-artifacts:/e"
    assert loc("e", "sqlite:///x.db") == (tmp_path / "st" / "mlartifacts").resolve().as_uri()
    # A server ignores the client's local settings: the server alone knows its store.
    monkeypatch.setenv("QADAPTER_MLFLOW_ARTIFACTS", "s3://bucket/prefix/")
    assert loc("e", "http://h:1") == "mlflow-artifacts:/e"
    assert loc("e", "sqlite:///x.db") == "s3://bucket/prefix/e"
    monkeypatch.setenv("QADAPTER_MLFLOW_ARTIFACTS", str(tmp_path / "arts"))
    assert loc("e", "sqlite:///x.db") == (tmp_path / "arts").resolve().as_uri()


def test_a_server_made_experiment_is_refused_at_flow_start_without_a_server(store):
    """A state directory whose experiment the stack's MLflow server created stores artifacts as
    ``mlflow-artifacts:``; tracking to its SQLite file directly would fail only at the first
    upload, after training: refuse at the start, with what to do."""
    store.create_experiment(tracking.EXPERIMENT, artifact_location="mlflow-artifacts:/x")
    with pytest.raises(tracking.TrackingError, match="tracks without one.*make up"):
        tracking.start_parent(tags={"mlflow.runName": "r"}, params={})
    assert (
        store.search_runs([store.get_experiment_by_name(tracking.EXPERIMENT).experiment_id]) == []
    )
    from qadapter.errors import user_errors

    assert issubclass(tracking.TrackingError, user_errors())  # not retried by the stages


def test_sqlite_default_experiment_keeps_local_artifacts_and_opens_in_model_training(store):
    exp_id = tracking.experiment_id(store)
    exp = store.get_experiment(exp_id)
    assert exp.artifact_location.startswith("file://")
    assert exp.artifact_location.endswith("/state/mlartifacts")
    assert exp.tags["mlflow.experimentKind"] == "custom_model_development"
    # The saved view: MLflow 3.17's envelope, whose state selects the key columns.
    view = json.loads(exp.tags["mlflow.sharedViewState.qadapter-key-columns"])
    assert set(view) == {"name", "createdAt", "updatedAt", "state"}
    assert isinstance(view["name"], str) and isinstance(view["createdAt"], int)
    state = json.loads(view["state"])
    # behaviour shares first, each win rate beside its judge's trust (issue 26)
    assert state["selectedColumns"] == [
        "metrics.`behaviour.declined`",
        "metrics.`behaviour.answered`",
        "metrics.`behaviour.trusted`",
        "metrics.`winrate.harmless`",
        "metrics.`judge.harmless.trusted`",
        "metrics.`winrate.helpful`",
        "metrics.`judge.helpful.trusted`",
        "metrics.`probe.delta`",
        "metrics.`heldout.accuracy`",
        "metrics.`heldout.accuracy_init`",
        "metrics.`heldout.kl_mean`",
        "params.`train.method.alpha0`",
        "params.`profile`",
    ]
    assert state["orderByKey"] == "attributes.start_time" and state["orderByAsc"] is False
    # An experiment the user switched to another kind keeps it; a missing view comes back.
    store.set_experiment_tag(exp_id, "mlflow.experimentKind", "genai_development")
    store.delete_experiment_tag(exp_id, "mlflow.sharedViewState.qadapter-key-columns")
    assert tracking.experiment_id(store) == exp_id
    tags = store.get_experiment(exp_id).tags
    assert tags["mlflow.experimentKind"] == "genai_development"
    assert json.loads(tags["mlflow.sharedViewState.qadapter-key-columns"]) == view


def test_ui_urls_are_hash_routes_of_the_server():
    server = "http://127.0.0.1:5123/"
    assert tracking.runs_view_url(server, "7") == (
        "http://127.0.0.1:5123/#/experiments/7/runs?viewStateShareKey=qadapter-key-columns"
        "&workflowType=machine_learning"
    )
    assert tracking.run_url(server, "7", "abc") == "http://127.0.0.1:5123/#/experiments/7/runs/abc"
    assert tracking.model_version_url(server, "hh qadapter", 3) == (
        "http://127.0.0.1:5123/#/models/hh%20qadapter/versions/3"
    )


def test_cancellation_ends_open_runs_killed_and_leaves_others(store):
    c = store
    parent, kids = _flow_runs(c, "fr-1", {"helpful-base": "FINISHED", "qadapter": None})
    other, other_kids = _flow_runs(c, "fr-2", {"qadapter": None})
    # The flow body already ended the parent FAILED on the termination signal.
    tracking.end_run(parent, KeyboardInterrupt())
    fr = SimpleNamespace(id="fr-1")
    lifecycle.on_cancellation(None, fr, SimpleNamespace(name="Cancelling", message=None))
    assert _status(c, parent) == "KILLED" and _status(c, kids["qadapter"]) == "KILLED"
    assert _status(c, kids["helpful-base"]) == "FINISHED"
    assert c.get_run(kids["qadapter"]).data.tags["ended_by"] == "Prefect flow run Cancelling"
    assert _status(c, other) == "RUNNING" and _status(c, other_kids["qadapter"]) == "RUNNING"


def test_crash_ends_open_runs_failed_and_keeps_a_genuine_failure(store):
    c = store
    parent, kids = _flow_runs(c, "fr-3", {"evaluate": "FAILED", "generations": None})
    state = SimpleNamespace(name="Crashed", message="Execution was aborted by SIGTERM")
    lifecycle.on_crashed(None, SimpleNamespace(id="fr-3"), state)
    assert _status(c, parent) == "FAILED" and _status(c, kids["generations"]) == "FAILED"
    assert "SIGTERM" in c.get_run(parent).data.tags["ended_by"]
    assert "ended_by" not in c.get_run(kids["evaluate"]).data.tags
    # Running the hook twice (engine and runner may both call it) changes nothing.
    assert lifecycle.end_runs_of_flow_run("fr-3", "FAILED", "again", c) == []


def test_orphans_are_runs_of_flow_runs_that_are_no_longer_running(store):
    c = store
    states = {"done": "COMPLETED", "crashed": "CRASHED", "live": "RUNNING", "late": "PENDING"}
    parents = {fr: _flow_runs(c, fr, {"qadapter": None})[0] for fr in [*states, "gone"]}
    orphans, unknown = lifecycle.orphan_mlflow_runs(c, states.get)
    assert sorted(fr for _, fr in orphans) == ["crashed", "done"]
    assert {r for r, _ in orphans} == {parents["crashed"], parents["done"]}
    assert unknown == 1  # "gone": not ours to end


def test_process_gone_only_for_dead_processes_on_this_host():
    host = socket.gethostname()
    assert not lifecycle._process_gone(f"{host}:{os.getpid()}")
    assert not lifecycle._process_gone(str(os.getpid()))
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    assert lifecycle._process_gone(f"{host}:{p.pid}") and lifecycle._process_gone(str(p.pid))
    assert not lifecycle._process_gone(f"another-host-{host}:{p.pid}")
    assert not lifecycle._process_gone(None) and not lifecycle._process_gone("")
