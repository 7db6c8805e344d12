"""The customize flow, tiny profile, on a Prefect test server, tracked in a SQLite MLflow store."""

import json
import sys
from pathlib import Path

import pytest
from mlflow import MlflowClient

from qadapter.adapter import read_meta

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from faults import FailOnceAfterCheckpoint, install  # noqa: E402

pytestmark = pytest.mark.integration


def runs_by_stage(client, parent_id):
    parent = client.get_run(parent_id)
    children = client.search_runs(
        [parent.info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent_id}'"
    )
    return parent, {r.data.tags["stage"]: r for r in children}


def test_tiny_flow_end_to_end_then_cached_then_forced(flow_env):
    from prefect import get_client

    from flows.customize import customize

    out = customize(profile="tiny")
    c = MlflowClient()
    parent, stages = runs_by_stage(c, out["parent_run"])
    assert parent.info.status == "FINISHED"
    assert (
        parent.data.tags["profile"] == "tiny"
        and parent.data.tags["prefect.flow_run_id"]
        and len(parent.data.tags["git.commit"]) >= 7
    )
    assert set(stages) == {"helpful-base", "qadapter", "evaluate", "generations"}
    assert all(r.info.status == "FINISHED" for r in stages.values())

    qa = stages["qadapter"]
    assert qa.data.params["alpha0"] == "1.0" and float(qa.data.params["alpha_tilde"]) == 0.1
    history = c.get_metric_history(qa.info.run_id, "loss")
    assert [m.step for m in history] == [1, 2, 3, 4]  # 16 pairs, batch 4
    assert qa.inputs.dataset_inputs[0].dataset.name == "harmless"
    artifacts = {a.path for a in c.list_artifacts(qa.info.run_id, "adapter")}
    assert {
        "adapter/adapter_model.safetensors",
        "adapter/qadapter.json",
        "adapter/adapter_config.json",
    } <= artifacts
    versions = c.search_model_versions("name='hh-qadapter'")
    assert (
        len(versions) == 1
        and versions[0].tags["alpha0"] == "1.0"
        and versions[0].run_id == qa.info.run_id
    )
    assert versions[0].tags["data_hash"] == read_meta(out["adapter_dir"])["data"]["hash"]
    assert float(parent.data.metrics["heldout.accuracy"]) == out["evaluate"]["accuracy"]
    gens = json.loads(
        open(c.download_artifacts(stages["generations"].info.run_id, "generations.json")).read()
    )
    assert len(gens["data"]) == 2  # generation_prompts = 2
    # cached stage results are JSON (never unpickled), and hold the records the flow returned
    results = [
        json.loads(p.read_text()) for p in (flow_env / "prefect-results").iterdir() if p.is_file()
    ]
    assert results and any("adapter_dir" in json.dumps(r) for r in results)

    async def artifacts_of_flow():
        async with get_client() as pc:
            from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

            return await pc.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=["customize-summary", "customize-results"])
                )
            )

    import asyncio

    keys = {a.key for a in asyncio.run(artifacts_of_flow())}
    assert keys == {"customize-summary", "customize-results"}

    # same inputs: every stage comes from the cache (same child runs, no new model version)
    again = customize(profile="tiny")
    parent2 = c.get_run(again["parent_run"])
    assert parent2.data.tags["stage.qadapter.run_id"] == qa.info.run_id
    assert len(c.search_model_versions("name='hh-qadapter'")) == 1
    # a changed hyper-parameter misses the cache of the stages it affects
    changed = customize(profile="tiny", alpha0=0.5)
    assert changed["model_version"] == 2
    # force recomputes
    forced = customize(profile="tiny", force=True)
    assert forced["model_version"] == 3
    assert c.get_run(forced["parent_run"]).data.tags["stage.qadapter.run_id"] != qa.info.run_id


def test_training_failure_is_retried_and_resumes_from_its_checkpoint(
    flow_env, tmp_path, monkeypatch
):
    from flows.customize import customize

    marker = tmp_path / "failed-once"
    install(
        monkeypatch, FailOnceAfterCheckpoint(2, marker)
    )  # in-process: tasks run in this process
    out = customize(profile="tiny", beta=0.2)  # distinct inputs: no cache hit from other tests
    assert marker.exists()  # the first attempt did fail
    meta = read_meta(out["adapter_dir"])
    assert meta["resumed_from_step"] == 2 and meta["steps"] == 4
    c = MlflowClient()
    parent, _ = runs_by_stage(c, out["parent_run"])
    children = c.search_runs(
        [parent.info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{out['parent_run']}' "
        "and tags.stage = 'qadapter'",
    )
    statuses = sorted(r.info.status for r in children)
    assert statuses == ["FAILED", "FINISHED"]
    failed = next(r for r in children if r.info.status == "FAILED")
    assert "injected failure after checkpoint 2" in failed.data.tags["error"]


def test_failed_flow_leaves_no_running_mlflow_run(flow_env, tmp_path, monkeypatch):
    from flows.customize import customize
    from qadapter.train import TrainCallback, TrainingError

    class Fatal(TrainCallback):
        def on_checkpoint(self, step, path):
            raise TrainingError("injected fatal training error")

    install(monkeypatch, Fatal())
    with pytest.raises(TrainingError):
        customize(profile="tiny", skip_base_stage=True, beta=0.3)
    c = MlflowClient()
    runs = c.search_runs([e.experiment_id for e in c.search_experiments()])
    assert runs and all(r.info.status != "RUNNING" for r in runs)
    qadapter_runs = [r for r in runs if r.data.tags.get("stage") == "qadapter"]
    assert len(qadapter_runs) == 1  # a user error is not retried: a retry cannot fix it
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    assert len(parents) == 1 and parents[0].info.status == "FAILED"
    assert "injected fatal training error" in parents[0].data.tags["error"]


def test_flow_without_usable_data_fails_before_any_run_starts(flow_env, tmp_path):
    from flows.customize import customize

    bad = tmp_path / "empty"
    bad.mkdir()
    (bad / "train.jsonl").write_text('{"prompt": "x", "chosen": "same", "rejected": "same"}\n')
    with pytest.raises(Exception, match="no usable preference pairs"):
        customize(profile="tiny", harmless_source=str(bad), skip_base_stage=True)
    c = MlflowClient()
    assert c.search_runs([e.experiment_id for e in c.search_experiments()]) == []
