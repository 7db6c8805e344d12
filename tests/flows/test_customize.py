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


@pytest.fixture(autouse=True)
def private_model_cache(tmp_path, monkeypatch):
    """The judge stage's reward models go to a per-test cache, never the user's."""
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))


def runs_by_stage(client, parent_id):
    parent = client.get_run(parent_id)
    children = client.search_runs(
        [parent.info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent_id}'"
    )
    return parent, {r.data.tags["stage"]: r for r in children}


def varied_responses(monkeypatch):
    """The tiny random model answers every prompt with newlines (empty after stripping), so every
    judged pair would be a tie. Give both sides distinct, prompt-dependent texts on top of the
    real generation, so the judge's graded preferences (and the arithmetic after) are not trivial.
    """
    import qadapter.evaluate.responses as responses

    real = responses.generate_responses

    def varied(base, adapter_dir, prompts, **kw):
        out = real(base, adapter_dir, prompts, **kw)
        words = [p[-1]["content"].split()[:4] for p in prompts]
        out["reference"] = [
            f"Sure, {' '.join(w)} {r}".strip() for w, r in zip(words, out["reference"])
        ]
        out["customized"] = [
            ("I can't help with that." if i % 2 else f"Yes: {' '.join(w[::-1])} {c}").strip()
            for i, (w, c) in enumerate(zip(words, out["customized"]))
        ]
        return out

    monkeypatch.setattr(responses, "generate_responses", varied)


def prefect_api(coro_fn):
    import asyncio

    from prefect import get_client

    async def go():
        async with get_client() as pc:
            return await coro_fn(pc)

    return asyncio.run(go())


def task_states(flow_run_id: str) -> dict:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    runs = prefect_api(
        lambda pc: pc.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    )
    return {r.name.rsplit("-", 1)[0]: r.state.name for r in runs}


def test_tiny_flow_end_to_end_then_cached_then_forced(flow_env, monkeypatch, tmp_path):
    import csv

    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.customize import customize
    from qadapter.evaluate.winrate import winrate_stats

    varied_responses(monkeypatch)
    out = customize(profile="tiny")
    c = MlflowClient()
    parent, stages = runs_by_stage(c, out["parent_run"])
    assert parent.info.status == "FINISHED"
    assert (
        parent.data.tags["profile"] == "tiny"
        and parent.data.tags["prefect.flow_run_id"]
        and len(parent.data.tags["git.commit"]) >= 7
    )
    assert set(stages) == {"helpful-base", "qadapter", "evaluate", "generations", "judge"}
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
    pm = parent.data.metrics
    assert float(pm["heldout.accuracy"]) == out["evaluate"]["accuracy"]
    # what a person picks a version by: the parent run's judged numbers, as tags and description
    version = c.get_model_version("hh-qadapter", versions[0].version)
    for k in ("winrate.harmless", "winrate.helpful", "probe.delta", "kl.general"):
        assert float(version.tags[k]) == pytest.approx(pm[k]), k
    assert "probe.delta" in version.description and version.tags["parent"] == "none"

    # forgetting: parent == evaluate child == forgetting.json written by the library
    ev_run = stages["evaluate"]
    forgetting = json.loads(
        open(c.download_artifacts(ev_run.info.run_id, "forgetting/forgetting.json")).read()
    )
    for k in ("probe.delta", "probe.delta_se", "probe.margin_delta", "kl.general", "probe.base"):
        assert pm[k] == pytest.approx(forgetting[k]) == pytest.approx(ev_run.data.metrics[k])
    assert forgetting["probe.n"] == 8 and forgetting["probe.arith.n"] == 2  # tiny profile
    assert forgetting["kl.general"] > 0

    # win rates: parent == judge child == leaderboard.csv == recomputed from annotations.json
    jd_run = stages["judge"]
    ann = json.loads(open(c.download_artifacts(out["parent_run"], "judge/annotations.json")).read())
    board = list(
        csv.DictReader(open(c.download_artifacts(out["parent_run"], "judge/leaderboard.csv")))
    )
    assert [r["subset"] for r in board] == ["harmless", "helpful"]
    for row in board:
        subset = row["subset"]
        prefs = [a["preference"] for a in ann if a["subset"] == subset]
        assert len(prefs) == 4  # judge_prompts = 4 distinct held-out prompts per subset
        scale = out["judge"]["metrics"][f"judge.{subset}.scale"]  # fitted on the test pairs
        if scale > 0:  # graded, not ties
            assert len(set(prefs)) > 1 and 1.0 < min(prefs) < max(prefs) < 2.0
        else:  # a tiny judge whose held-out margins do not favour the chosen replies: ties
            assert set(prefs) == {1.5}
        wr = 100 * sum(p - 1 for p in prefs) / len(prefs)
        assert pm[f"winrate.{subset}"] == pytest.approx(wr) == pytest.approx(float(row["win_rate"]))
        assert pm[f"winrate.{subset}_se"] == pytest.approx(winrate_stats(prefs)["standard_error"])
        assert jd_run.data.metrics[f"winrate.{subset}"] == pm[f"winrate.{subset}"]
        acc = out["judge"]["metrics"][f"judge.{subset}.accuracy"]
        assert pm[f"judge.{subset}.accuracy"] == acc and 0.0 <= acc <= 1.0
        assert pm[f"judge.{subset}.scale"] == scale >= 0.0
    # trust is the known-answer validation's (the flow tests' judges clear bars of zero): each
    # judge was checked on its own validation pairs (12 on tiny, judge-mini's held-out family)
    for s in ("harmless", "helpful"):
        assert pm[f"judge.{s}.trusted"] == 1.0 and pm[f"judge.{s}.heldout_n"] == 12.0
        assert 0.0 <= pm[f"judge.{s}.heldout"] <= 1.0
    assert "judge.harmless.refusal_n" in pm and "judge.helpful.over_refusal_n" in pm
    assert parent.data.tags["judge.trusted"] == "true"
    # per-item judgments: an MLflow table and a GenAI evaluation of the judge's child run
    table = json.loads(
        open(c.download_artifacts(jd_run.info.run_id, "judgments_harmless.json")).read()
    )
    assert len(table["data"]) == 4
    all_prefs = [a["preference"] for a in ann]
    assert jd_run.data.metrics["preference/mean"] == pytest.approx(sum(all_prefs) / len(all_prefs))
    assert jd_run.data.metrics["customized_wins/mean"] == pytest.approx(
        sum(p > 1.5 for p in all_prefs) / len(all_prefs)
    )
    # behaviour: the rule classifier over the same judged replies (no second generation)
    from qadapter.evaluate.refusal import classify

    for subset, name, hit in (
        ("harmless", "declined", lambda label: label in ("decline", "redirect")),
        ("helpful", "answered", lambda label: label == "answer"),
    ):
        rows = [a for a in ann if a["subset"] == subset]
        counted = [a for a in rows if classify(a["output_1"]).label == "answer"]
        hits = [a for a in counted if hit(classify(a["output_2"]).label)]
        assert counted and pm[f"behaviour.{name}"] == pytest.approx(len(hits) / len(counted))
        assert pm[f"behaviour.{name}_n"] == len(counted)
    assert 0 < pm["behaviour.declined"] < 1  # the varied replies decline on every other prompt
    # the harmless judge's refusal check runs on the same risky prompts where pi1 complies
    risky_counted = [
        a for a in ann if a["subset"] == "harmless" and classify(a["output_1"]).label == "answer"
    ]
    assert pm["judge.harmless.refusal_check_n"] == len(risky_counted)
    assert 0.0 <= pm["judge.harmless.refusal_check"] <= 1.0

    gens = json.loads(
        open(c.download_artifacts(stages["generations"].info.run_id, "generations.json")).read()
    )
    assert len(gens["data"]) == 2  # generation_prompts = 2
    # cached stage results are JSON (never unpickled), and hold the records the flow returned
    results = [
        json.loads(p.read_text()) for p in (flow_env / "prefect-results").iterdir() if p.is_file()
    ]
    assert results and any("adapter_dir" in json.dumps(r) for r in results)

    keys = [
        "customize-summary",
        "customize-results",
        "customize-leaderboard",
        "customize-generations",
    ]
    arts = prefect_api(
        lambda pc: pc.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    )
    by_key = {a.key: a for a in arts}
    assert set(by_key) == set(keys)
    summary = by_key["customize-summary"].data
    assert "KL(pi~ || pi1)" in summary and "KL(pi~ or pi1)" not in summary
    board_art = json.loads(by_key["customize-leaderboard"].data)
    assert [r["subset"] for r in board_art] == ["harmless", "helpful"]
    assert board_art[0]["win_rate"] == round(pm["winrate.harmless"], 2)
    gen_art = json.loads(by_key["customize-generations"].data)
    assert list(gen_art[0]) == ["conversation", "pi1", "customized"]
    assert len({r["conversation"] for r in gen_art}) == len(gen_art)  # de-duplicated prompts

    # same inputs: every stage comes from the cache (same child runs, no new model version)
    again = customize(profile="tiny")
    parent2 = c.get_run(again["parent_run"])
    assert parent2.data.tags["stage.qadapter.run_id"] == qa.info.run_id
    assert parent2.data.metrics["winrate.harmless"] == pm["winrate.harmless"]
    assert len(c.search_model_versions("name='hh-qadapter'")) == 1
    # only alpha0 changed: helpful-base is reused (Prefect: Cached), Q-Adapter and after re-run
    changed = customize(profile="tiny", alpha0=0.5)
    assert changed["model_version"] == 2
    states = task_states(c.get_run(changed["parent_run"]).data.tags["prefect.flow_run_id"])
    assert states["helpful-base"] == "Cached" and states["qadapter"] == "Completed"
    assert states["judge"] == "Completed"
    helpful_runs = c.search_runs(
        [parent.info.experiment_id], filter_string="tags.stage = 'helpful-base'"
    )
    assert len(helpful_runs) == 1  # trained once for both alpha0 values
    # reward models are cached by data hash: the second judge run trained none
    assert len(list((tmp_path / "cache" / "reward-models").glob("*/reward_model.json"))) == 2
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


def test_flow_trains_the_steering_recipe_and_records_it(flow_env, monkeypatch, talkative_tiny):
    """``rejected``, ``onpolicy_tokens``, ``mix``, ``mix_pairs``, ``chosen_nll`` reach the qadapter
    stage: the adapter's record names the recipe, the child run its parameters and the NLL."""
    from flows.customize import customize
    from qadapter.data import dataset_hash
    from qadapter.stages import stage_data
    from tasks.experiment import experiment

    helpful = experiment("tiny").helpful_source
    out = customize(
        profile="tiny",
        skip_base_stage=True,
        rejected="onpolicy",
        onpolicy_tokens=4,
        mix=[helpful],
        mix_pairs=4,
        chosen_nll=0.5,
        lr=2e-3,
        max_prompt_length=40,
        beta=0.45,  # distinct inputs: no cache hit from other tests
        judge_prompts=3,  # (tiny's default: 4)
    )
    meta = read_meta(out["adapter_dir"])
    assert meta["chosen_nll"] == 0.5
    assert meta["train_config"]["lr"] == 2e-3 and meta["train_config"]["max_prompt_length"] == 40
    data = meta["data"]
    assert data["onpolicy"]["tokens"] == 4 and data["onpolicy"]["pairs"] == 16
    mixed = stage_data(helpful, 4, 0, 0)["train"]
    assert [(m["pairs"], m["hash"]) for m in data["mix"]] == [(4, dataset_hash(mixed))]
    assert meta["pairs"] == 20  # 16 on-policy harmless + 4 mixed helpful
    c = MlflowClient()
    _, runs = runs_by_stage(c, out["parent_run"])
    qa = runs["qadapter"]
    assert qa.data.params["chosen_nll"] == "0.5" and qa.data.params["onpolicy_tokens"] == "4"
    assert qa.data.params["rejected"] == "onpolicy"
    assert qa.data.params["mix"] == helpful and qa.data.params["mix_pairs"] == "4"
    assert qa.data.metrics["final.chosen_nll"] > 0
    ann = json.loads(open(c.download_artifacts(out["parent_run"], "judge/annotations.json")).read())
    assert sorted(a["subset"] for a in ann) == ["harmless"] * 3 + ["helpful"] * 3
