"""Stage tasks called through ``.fn()`` (no Prefect engine), against a SQLite MLflow store."""

import pytest
from mlflow import MlflowClient

from tasks import stages as T
from tasks import tracking
from tasks.common import key_of
from tasks.experiment import data_hashes, experiment


@pytest.fixture
def tracked(tmp_path, monkeypatch):
    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    parent = tracking.start_parent({"profile": "tiny"}, {"profile": "tiny"})
    return parent


def test_stage_tasks_fn_log_child_runs(tracked):
    cfg = experiment("tiny", skip_base_stage=True)
    hashes = data_hashes(cfg)
    assert hashes["helpful"] is None and len(hashes["harmless"]) == 64
    hb = T.helpful_base.fn(cfg, hashes, tracked)
    assert hb["skipped"] and hb["base_path"] == "tiny"
    qa = T.qadapter.fn(cfg, hashes, hb, tracked)
    assert int(qa["model_version"]) == 1 and qa["steps"] == 4 and qa["key"].startswith("qadapter-")
    ev = T.evaluate.fn(cfg, hashes, hb, qa, tracked)
    assert 0.0 <= ev["accuracy"] <= 1.0 and ev["pairs"] == 8
    c = MlflowClient()
    run = c.get_run(ev["mlflow_run_id"])
    assert run.info.status == "FINISHED" and run.data.tags["mlflow.parentRunId"] == tracked
    assert run.data.metrics["heldout.accuracy"] == ev["accuracy"] and run.data.metrics[
        "heldout.kl_mean"
    ] == pytest.approx(ev["kl_mean"])
    assert c.get_run(qa["mlflow_run_id"]).data.metrics["final.loss"] == pytest.approx(
        qa["metrics"]["loss"]
    )


def test_stage_keys_follow_data_config_and_upstream():
    cfg = experiment("tiny")
    hashes = {"helpful": "a", "harmless": "b", "harmless_test": "c"}
    base = {"base_hash": "x"}
    k = key_of("qadapter", {"cfg": cfg, "data_hashes": hashes, "base": base})
    assert k == key_of(
        "qadapter",
        {
            "cfg": cfg,
            "data_hashes": dict(hashes),
            "base": {"base_hash": "x", "other": 1},
            "parent_run": "ignored",
        },
    )
    assert k != key_of(
        "qadapter", {"cfg": experiment("tiny", alpha0=0.5), "data_hashes": hashes, "base": base}
    )
    assert k != key_of(
        "qadapter", {"cfg": cfg, "data_hashes": {**hashes, "harmless": "B"}, "base": base}
    )
    assert k != key_of("qadapter", {"cfg": cfg, "data_hashes": hashes, "base": {"base_hash": "y"}})


def test_tracking_masks_credentials_in_params_and_tags(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "verysecretvalue123")
    run_id = tracking.start_parent(
        {"note": "key verysecretvalue123"},
        {"source": "s3://user:pw@host/b?X-Amz-Security-Token=TOK"},
    )
    run = MlflowClient().get_run(run_id)
    assert run.data.params["source"] == "s3://***@host/b?X-Amz-Security-Token=***"
    assert run.data.tags["note"] == "key ***"


def test_experiment_profiles_come_from_the_training_profiles_and_validate():
    from qadapter.config import PROFILE_BASES, ConfigError, profile

    for name in ("tiny", "smol", "paper"):
        assert experiment(name).base == PROFILE_BASES[name]
    assert experiment("smol").train == profile("smol")  # one registry: no second set of values
    with pytest.raises(ConfigError, match="alpha0 must be in \\[0, 10000\\]; got -1.0"):
        experiment("tiny", alpha0=-1.0)
