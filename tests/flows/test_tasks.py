"""Stage tasks called through ``.fn()`` (no Prefect engine), against a SQLite MLflow store."""

from dataclasses import replace
from pathlib import Path

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


def test_stage_keys_cover_exactly_the_inputs_each_stage_reads():
    cfg = experiment("tiny")
    hashes = data_hashes(cfg)
    base = {"base_hash": "x"}
    adapter = {"key": "qadapter-1"}

    def keys(c, h=hashes, b=base, a=adapter):
        p = {"cfg": c, "data_hashes": h, "base": b, "adapter": a, "parent_run": "ignored"}
        return {s: key_of(s, p) for s in ("helpful-base", "qadapter", "evaluate", "judge")}

    k = keys(cfg)
    assert k == keys(cfg, b={"base_hash": "x", "other": 1})  # only the base's identity counts
    # alpha0 is read by Q-Adapter training only: helpful-base keeps its key
    alpha = keys(experiment("tiny", alpha0=0.5))
    assert alpha["helpful-base"] == k["helpful-base"] and alpha["qadapter"] != k["qadapter"]
    # DPO settings and helpful data are read by helpful-base (and not by the later stages)
    from dataclasses import replace

    dpo = keys(replace(cfg, dpo=replace(cfg.dpo, lr=5e-4)))
    assert dpo["helpful-base"] != k["helpful-base"]
    assert dpo["qadapter"] == k["qadapter"] and dpo["judge"] == k["judge"]
    helpful = keys(cfg, h={**hashes, "helpful": "other"})
    assert helpful["helpful-base"] != k["helpful-base"] and helpful["qadapter"] == k["qadapter"]
    harmless = keys(cfg, h={**hashes, "harmless": "B"})
    assert harmless["qadapter"] != k["qadapter"] and harmless["helpful-base"] == k["helpful-base"]
    # the judge's own settings: judge only; evaluate's: evaluate only
    judged = keys(experiment("tiny", judge_prompts=3))
    assert judged["judge"] != k["judge"] and judged["evaluate"] == k["evaluate"]
    assert judged["qadapter"] == k["qadapter"]
    probe = keys(experiment("tiny", probe_limit=3))
    assert probe["evaluate"] != k["evaluate"] and probe["judge"] == k["judge"]
    # everything after training follows the adapter and pi1
    other = keys(cfg, a={"key": "qadapter-2"})
    assert other["evaluate"] != k["evaluate"] and other["judge"] != k["judge"]
    assert keys(cfg, b={"base_hash": "y"})["qadapter"] != k["qadapter"]


def test_openai_judge_settings_validate_and_never_carry_the_key(monkeypatch):
    from qadapter.config import ConfigError
    from tasks.common import judge_settings

    with pytest.raises(ConfigError, match="judge=openai needs judge_base_url and judge_model"):
        experiment("tiny", judge="openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-123")
    cfg = experiment(
        "tiny", judge="openai", judge_base_url="http://127.0.0.1:1/v1", judge_model="m"
    )
    settings = judge_settings(cfg)
    assert settings["base_url"] == "http://127.0.0.1:1/v1" and settings["reward_model"] is None
    assert "sk-test-secret-123" not in repr(settings) + repr(cfg.to_dict())


def test_progress_lines_and_rate():
    import logging

    from tasks.watch import StageProgress, eta_seconds, format_progress, total_steps

    assert eta_seconds(5, 20, 10.0) == 30.0 and eta_seconds(0, 20, 1.0) is None
    assert total_steps(16, 4, 2, None) == 8 and total_steps(17, 4, 1, 3) == 3
    line = format_progress("qadapter", {"step": 5, "loss": 0.69314, "accuracy": 0.5}, 20, 10.0)
    assert line == "qadapter step 5/20 loss 0.6931 accuracy 0.5 ETA 30 s"

    class Capture(logging.Handler):
        def __init__(self):
            super().__init__()
            self.lines = []

        def emit(self, record):
            self.lines.append(record.getMessage())

    log = logging.getLogger("test.progress")
    log.setLevel(logging.INFO)
    cap = Capture()
    log.addHandler(cap)
    p = StageProgress("dpo", 100, every_s=3600, logger=log)
    for step in range(1, 101):
        p({"step": step, "loss": 1.0 / step})
    assert [x.split(" loss")[0] for x in cap.lines] == ["dpo step 1/100", "dpo step 100/100"]


def test_quiet_libraries_hides_and_counts_warnings():
    import logging
    import warnings

    from tasks.watch import quiet_libraries

    seen = []
    log = logging.getLogger("test.quiet")
    log.setLevel(logging.INFO)
    log.addHandler(type("H", (logging.Handler,), {"emit": lambda s, r: seen.append(r)})())
    with quiet_libraries(log) as hidden:
        warnings.warn("deprecated thing", FutureWarning)
        warnings.warn("another", UserWarning)
    assert hidden == ["FutureWarning", "UserWarning"]
    assert [r.getMessage() for r in seen] == [
        "2 library warnings hidden (logger qadapter.library, DEBUG level)"
    ]


def test_report_tables_round_dedupe_and_keep_values():
    from tasks.report import generation_rows, parent_metrics, results_rows

    ev = {
        "accuracy": 0.61234567, "accuracy_init": 0.5, "margin": 0.123456, "margin_init": 0.0,
        "kl_mean": 0.0123456, "kl_mean_init": 0.01,
        "forgetting": {"probe.base": 40.0, "probe.customized": 38.75, "probe.delta": -1.25,
                       "probe.delta_se": 0.5, "probe.margin_delta": -0.0625,
                       "probe.margin_delta_se": 0.03125, "probe.n": 645.0,
                       "kl.general": 0.0234567},
    }  # fmt: skip
    jd = {
        "metrics": {"winrate.harmless": 62.5, "winrate.harmless_se": 3.25,
                    "winrate.helpful": 48.0, "winrate.helpful_se": 4.0,
                    "behaviour.declined": 0.75, "behaviour.answered": 0.9},
    }  # fmt: skip
    pm = parent_metrics(ev, jd)
    assert pm["heldout.accuracy"] == 0.61234567 and pm["probe.delta"] == -1.25
    assert pm["probe.margin_delta"] == -0.0625 and pm["probe.margin_delta_se"] == 0.03125
    assert pm["probe.n"] == 645.0
    assert pm["kl.general"] == 0.0234567 and pm["winrate.helpful_se"] == 4.0
    rows = {r["metric"]: r for r in results_rows(ev, jd)}
    assert rows["held-out accuracy"]["customized"] == 0.6123
    assert rows["KL(pi~ || pi1), general prompts"]["customized"] == 0.0235
    assert rows["harmless win rate vs pi1 (%) +- s.e."]["customized"] == "62.5 +- 3.2"
    assert rows["risky prompts declined (share)"]["customized"] == 0.75
    gens = generation_rows(
        [
            {"prompt": "b", "conversation": "User: a\n\nAssistant: x\n\nUser: b",
             "base": "one  two", "customized": "c" * 400},
            {"prompt": "b", "conversation": "User: a\n\nAssistant: x\n\nUser: b",
             "base": "dup", "customized": "dup"},
        ]
    )  # fmt: skip
    assert len(gens) == 1 and gens[0]["conversation"].startswith("User: a")
    assert gens[0]["pi1"] == "one two" and len(gens[0]["customized"]) == 280


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


def test_judge_stage_with_an_openai_endpoint_never_records_the_key(tracked, monkeypatch, tmp_path):
    """The judge stage (``.fn()``) against the scripted OpenAI-compatible stub on 127.0.0.1: win
    rates from its verdicts, and the key nowhere in MLflow (params, tags, metrics, artifacts)."""
    import json
    import sys
    import threading
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evaluate"))
    from test_judge_openai import Stub

    secret = "sk-qa-flow-secret-0123456789"
    monkeypatch.setenv("QA_FLOW_JUDGE_KEY", secret)
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    srv = Stub({})
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/v1"
        cfg = experiment(
            "tiny",
            skip_base_stage=True,
            judge="openai",
            judge_base_url=url,
            judge_model="stub-judge",
            judge_api_key_env="QA_FLOW_JUDGE_KEY",
        )
        hashes = data_hashes(cfg)
        hb = T.helpful_base.fn(cfg, hashes, tracked)
        qa = T.qadapter.fn(cfg, hashes, hb, tracked)
        jd = T.judge.fn(cfg, hashes, hb, qa, tracked)
    finally:
        srv.shutdown()
        srv.server_close()
    assert srv.auth == {f"Bearer {secret}"}  # the key went to the endpoint, and only there
    ann = json.loads(Path(jd["paths"]["annotations"]).read_text())
    for subset in ("harmless", "helpful"):
        prefs = [a["preference"] for a in ann if a["subset"] == subset]
        assert len(prefs) == 4 and set(prefs) <= {1.0, 2.0}
        assert jd["metrics"][f"winrate.{subset}"] == pytest.approx(
            100 * sum(p - 1 for p in prefs) / 4
        )
    assert f"judge.{subset}.accuracy" not in jd["metrics"]  # an LLM judge's accuracy: unmeasured
    c = MlflowClient()
    run = c.get_run(jd["mlflow_run_id"])
    # the LLM judge is validated like any judge: its known-answer checks ran against the stub
    # (position consistency included); the flow tests' bars are zero, so it is trusted
    assert run.data.params["base_url"] == url and run.data.tags["judge.trusted"] == "true"
    for subset in ("harmless", "helpful"):
        assert jd["metrics"][f"judge.{subset}.heldout_n"] == 12.0
        assert jd["metrics"][f"judge.{subset}.position_n"] == 12.0
    blob = json.dumps([run.data.params, run.data.tags, run.data.metrics])
    root = Path(c.download_artifacts(run.info.run_id, "", str(tmp_path / "dl")))
    blob += "".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())
    assert secret not in blob and len(list(root.rglob("*.json"))) >= 4


def test_launcher_settings_validate_and_stay_out_of_the_training_key():
    from qadapter.config import ConfigError

    cfg = experiment("tiny")
    hashes = data_hashes(cfg)
    base = {"base_hash": "x"}
    launched_cfg = experiment("tiny", launcher="torchrun", processes=2)
    assert (launched_cfg.launcher, launched_cfg.processes) == ("torchrun", 2)
    # the same adapter within float tolerance (tests/test_launched.py): the same cached stage
    assert key_of("qadapter", {"cfg": cfg, "data_hashes": hashes, "base": base}) == key_of(
        "qadapter", {"cfg": launched_cfg, "data_hashes": hashes, "base": base}
    )
    with pytest.raises(ConfigError, match="launcher"):
        experiment("tiny", launcher="mpirun")
    with pytest.raises(ConfigError, match="processes"):
        experiment("tiny", launcher="torchrun", processes=0)


@pytest.mark.integration
def test_qadapter_task_under_torchrun_equals_in_process(tracked, monkeypatch, tmp_path):
    """The Prefect training task with launcher=torchrun, 2 processes: the same adapter and record
    as in the task's own process, registered the same way."""
    from safetensors.torch import load_file
    from torch.testing import assert_close

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    # no dropout: its masks are drawn per rank, so only dropout-free runs are comparable
    cfg = experiment("tiny", skip_base_stage=True, lora_dropout=0.0)
    hashes = data_hashes(cfg)
    hb = T.helpful_base.fn(cfg, hashes, tracked)
    one = T.qadapter.fn(cfg, hashes, hb, tracked)
    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path / "state-launched"))
    two = T.qadapter.fn(replace(cfg, launcher="torchrun", processes=2), hashes, hb, tracked)
    assert two["adapter_dir"] != one["adapter_dir"]  # trained again, not read from the first
    assert two["world_size"] == 2 and two["steps"] == one["steps"] == 4
    assert int(two["model_version"]) == int(one["model_version"]) + 1
    a = load_file(str(Path(one["adapter_dir"]) / "adapter_model.safetensors"))
    b = load_file(str(Path(two["adapter_dir"]) / "adapter_model.safetensors"))
    for k in a:
        assert_close(b[k], a[k], atol=2e-6, rtol=1e-5, msg=k)
    params = MlflowClient().get_run(two["mlflow_run_id"]).data.params
    assert params["launcher"] == "torchrun" and params["processes"] == "2"
