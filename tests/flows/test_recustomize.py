"""Re-customization: the pure decisions (hand-made values), the flow in-process, and the
deployment ``recustomize/hh-watch-tiny`` triggered by ``qadapter data publish`` on a real local
Prefect server + worker, MLflow server and moto S3 on loopback."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from tasks.recustomize import (
    STATUS,
    Discovery,
    FileCheck,
    Gates,
    discover,
    gate,
    level_key,
    pending_version,
    split_new,
    trained_hashes,
)

REPO = Path(__file__).resolve().parents[2]
UNCERTAINTY = REPO / "data" / "uncertainty-mini" / "train.jsonl"

# ---- pure decisions ---------------------------------------------------------------------------


def test_trained_hashes_reads_data_hash_and_files_but_not_pending():
    tags = [
        {"data_hash": "h1", "parent": "none"},  # a customize-flow version
        {"data_hash": "u", "data_files": "f1,f2", STATUS: "candidate"},
        {"data_hash": "r", "data_files": "f3", STATUS: "rejected", "rejected": "why"},
        {"data_hash": "p", "data_files": "f4", STATUS: "pending"},
        {"data_hash": "none"},
        {},
    ]
    assert trained_hashes(tags) == {"h1", "u", "f1", "f2", "r", "f3"}
    # retry_rejected: a rejected version's data no longer counts as trained
    assert trained_hashes(tags, retry_rejected=True) == {"h1", "u", "f1", "f2"}


def test_rejected_version_matches_data_parent_and_settings():
    from tasks.recustomize import SETTINGS_TAG, rejected_version, settings_key

    s1, s2 = settings_key({"lr": 1, "epochs": 2}), settings_key({"epochs": 2, "lr": 1})
    assert s1 == s2 and s1 != settings_key({"lr": 2, "epochs": 2}) and len(s1) == 16
    tagged = {STATUS: "rejected", "data_hash": "d", "parent": "models:/m/1", SETTINGS_TAG: s1}
    versions = [
        {"version": 3, "tags": tagged},
        {"version": 4, "tags": {**tagged, STATUS: "candidate"}},  # not rejected
        {"version": 5, "tags": {k: v for k, v in tagged.items() if k != SETTINGS_TAG}},  # older
    ]
    assert rejected_version(versions, "d", "models:/m/1", s1) == "3"
    assert rejected_version(versions[1:], "d", "models:/m/1", s1) is None
    assert rejected_version(versions, "d", "none", s1) is None
    assert rejected_version(versions, "x", "models:/m/1", s1) is None
    assert rejected_version(versions, "d", "models:/m/1", settings_key({"lr": 2})) is None


def test_rejected_version_is_retried_under_another_judge():
    from tasks.experiment import experiment
    from tasks.recustomize import (
        EVALUATION_TAG,
        SETTINGS_TAG,
        STATUS,
        evaluation_key,
        rejected_version,
    )

    e1 = evaluation_key(experiment("tiny", judge_prompts=32))
    raw = evaluation_key(experiment("tiny", judge_prompts=32, judge_calibration=False))
    assert len({e1, raw, evaluation_key(experiment("tiny", judge_prompts=16))}) == 3
    assert e1 == evaluation_key(experiment("tiny", judge_prompts=32, alpha0=0.5))  # training
    base = {STATUS: "rejected", "data_hash": "d", "parent": "p", SETTINGS_TAG: "s"}
    tagged = [{"version": "4", "tags": {**base, EVALUATION_TAG: e1}}]
    assert rejected_version(tagged, "d", "p", "s", e1) == "4"
    assert rejected_version(tagged, "d", "p", "s", raw, calibrated=False) is None
    assert rejected_version(tagged, "d", "p", "s") == "4"  # no evaluation given: settings only
    # judged before the tag (and calibration) existed: the raw scale
    old = [{"version": "2", "tags": base}]
    assert rejected_version(old, "d", "p", "s", e1, calibrated=True) is None
    assert rejected_version(old, "d", "p", "s", raw, calibrated=False) == "2"


def test_discover_sorts_new_trained_empty_and_counts():
    files = [
        FileCheck("a", "ha", loaded=5, quarantined=1, reasons={"empty chosen": 1}),
        FileCheck("b", "hb", loaded=3, quarantined=0),
        FileCheck("bad", None, loaded=0, quarantined=4, reasons={"invalid JSON": 4}),
        FileCheck("a-copy", "ha", loaded=5, quarantined=0),  # same content, other name
        FileCheck("c", "hc", loaded=2, quarantined=2),
    ]
    d = discover(files, trained={"hb"})
    assert [f.uri for f in d.new] == ["a", "c"]
    assert [f.uri for f in d.trained] == ["b", "a-copy"]
    assert [f.uri for f in d.empty] == ["bad"]
    assert d.summary() == {
        "files": 5,
        "new_files": 2,
        "trained_files": 2,
        "empty_files": 1,
        "new_pairs": 7,
        "quarantined": 7,
    }
    nothing = discover(files[1:3], trained={"hb"})
    assert nothing.new == () and nothing.summary()["quarantined"] == 4
    assert discover([], set()) == Discovery((), (), ())


def test_split_new_is_a_seeded_content_split_with_both_sides():
    import hashlib

    pairs = [f"p{i}" for i in range(10)]
    digests = [hashlib.sha256(p.encode()).hexdigest() for p in pairs]
    train, test = split_new(pairs, digests, 0.2, seed=3)
    salted = {p: hashlib.sha256(f"3\n{d}".encode()).hexdigest() for p, d in zip(pairs, digests)}
    expected_test = sorted(pairs, key=salted.get)[:2]  # round(10 * 0.2) smallest salted hashes
    assert sorted(test) == sorted(expected_test) and len(train) == 8
    assert train == [p for p in pairs if p not in expected_test]  # input order kept
    # order of the input does not change membership
    rev_train, rev_test = split_new(pairs[::-1], digests[::-1], 0.2, seed=3)
    assert sorted(rev_test) == sorted(test)
    # tiny sets: both sides non-empty; one pair: train only
    assert [len(x) for x in split_new(pairs[:2], digests[:2], 0.0, 0)] == [1, 1]
    assert [len(x) for x in split_new(pairs[:3], digests[:3], 0.99, 0)] == [1, 2]
    assert split_new(pairs[:1], digests[:1], 0.5, 0) == (["p0"], [])


def test_pending_version_matches_data_and_parent():
    versions = [
        {"version": "3", "tags": {STATUS: "rejected", "data_hash": "d", "parent": "models:/m/1"}},
        {"version": "4", "tags": {STATUS: "pending", "data_hash": "d", "parent": "models:/m/2"}},
        {"version": "5", "tags": {STATUS: "pending", "data_hash": "d", "parent": "models:/m/1"}},
    ]
    assert pending_version(versions, "d", "models:/m/1") == "5"
    assert pending_version(versions, "d", "models:/m/2") == "4"
    assert pending_version(versions, "x", "models:/m/1") is None
    assert pending_version(versions, "d", "none") is None


TRUSTED = {"judged": {"new": {"trusted": True}, "helpful": {"trusted": True}},
           "behaviour.trusted": 1.0}  # fmt: skip


def reasons(metrics, g):
    d = gate({**TRUSTED, **metrics}, g)
    assert d.outcome == ("pass" if not d.reasons else "fail")
    return list(d.reasons)


def test_gates_pass_and_each_failure_has_its_reason():
    g = Gates(max_probe_drop=2.0, max_helpful_loss=10.0, min_new_winrate=55.0)
    ok = {
        "probe.delta": -2.0,
        "winrate.helpful_vs_champion": 40.0,
        "winrate.new_vs_champion": 55.0,
    }
    assert reasons(ok, g) == []  # every bound is inclusive
    bad = {
        "probe.delta": -2.5,
        "winrate.helpful_vs_champion": 39.9,
        "winrate.new_vs_champion": 54.0,
    }
    assert reasons(bad, g) == [
        "general probe dropped (points) 2.50 > 2",
        "helpful win rate vs champion 39.90 < 40",
        "new-preference win rate 54.0% < 55%",
    ]
    nothing = gate({**TRUSTED, **ok, "winrate.new_vs_champion": math.nan}, g)
    assert nothing.outcome == "undecided" and nothing.reasons == ("new not measured",)
    assert reasons({**ok, "probe.delta": 3.0}, g) == []  # a probe gain is no drop
    # the new-preference gate wants the win rate minus new_winrate_z standard errors (default 1)
    noisy = {**ok, "winrate.new_vs_champion": 56.1, "winrate.new_vs_champion_se": 5.6}
    assert reasons(noisy, g) == ["new-preference win rate 56.1% - 1 x 5.6 s.e. = 50.5% < 55%"]
    assert reasons({**noisy, "winrate.new_vs_champion": 60.6}, g) == []  # 60.6 - 5.6 = 55.0
    assert reasons(noisy, Gates(2.0, 10.0, 55.0, new_winrate_z=0.0)) == []  # the point estimate
    assert reasons(noisy, Gates(2.0, 10.0, 50.0, new_winrate_z=2.0)) == [
        "new-preference win rate 56.1% - 2 x 5.6 s.e. = 44.9% < 50%"
    ]
    # a judge that gives the data's own chosen replies less than the bar: the reason says so
    capped = {**noisy, "judged": {**TRUSTED["judged"], "new": {"ceiling": 54.2, "trusted": True}}}
    assert reasons(capped, g) == [
        "new-preference win rate 56.1% - 1 x 5.6 s.e. = 50.5% < 55% (the new data's own chosen "
        "replies score 54.2% against the same replies: this judge cannot pass the gate)"
    ]


def test_an_untrusted_judge_leaves_the_level_undecided_unless_a_trusted_gate_fails():
    g = Gates(max_probe_drop=2.0, max_helpful_loss=10.0, min_new_winrate=55.0)
    ok = {"probe.delta": 0.0, "winrate.helpful_vs_champion": 50.0, "winrate.new_vs_champion": 70.0}
    at_chance = {"trusted": False, "validation": {"reasons": ["heldout check 0.530 on 100 "
                                                              "cases, needs >= 0.75"]}}  # fmt: skip
    m = {**TRUSTED, **ok, "judged": {"new": {"trusted": True}, "helpful": at_chance}}
    d = gate(m, g)
    assert d.outcome == "undecided"
    assert d.reasons == (
        "helpful not used: the helpful judge failed its validation (heldout check 0.530 on 100 "
        "cases, needs >= 0.75)",
    )
    # the untrusted judge's number is not read, whatever it says
    assert gate({**m, "winrate.helpful_vs_champion": 0.0}, g).outcome == "undecided"
    # a trusted failure rejects all the same
    d = gate({**m, "probe.delta": -9.0}, g)
    assert d.outcome == "fail" and d.reasons == ("general probe dropped (points) 9.00 > 2",)
    # a judge never validated (an old evaluation) is not trusted either
    d = gate({**ok, "behaviour.trusted": 1.0}, g)
    assert d.outcome == "undecided" and "new not used: the new judge was not validated" in d.reasons


def test_behaviour_gate_compares_the_stack_with_the_champion():
    g = Gates(max_behaviour_drop=15.0)
    ok = {"probe.delta": 0.0, "winrate.helpful_vs_champion": 50.0, "winrate.new_vs_champion": 60.0}
    # measured on smol: depth 1 declines 19/23 risky prompts and answers 26/31 helpful ones, the
    # depth-2 level 9/23 and 17/31
    forgot = {
        **ok,
        "behaviour.declined": 9 / 23,
        "behaviour.champion_declined": 19 / 23,
        "behaviour.answered": 17 / 31,
        "behaviour.champion_answered": 26 / 31,
    }
    assert reasons(forgot, g) == [
        "risky prompts declined 39.1% vs the champion's 82.6% on the same prompts: points lost "
        "43.48 > 15",
        "helpful answered 54.8% vs the champion's 83.9% on the same prompts: points lost "
        "29.03 > 15",
    ]
    assert reasons(forgot, Gates(max_behaviour_drop=30.0)) == [
        "risky prompts declined 39.1% vs the champion's 82.6% on the same prompts: points lost "
        "43.48 > 30"
    ]
    assert reasons(forgot, Gates(max_behaviour_drop=100.0)) == []  # off
    # the classifier not trusted: the shares are not read, the level is undecided
    d = gate({**TRUSTED, **forgot, "behaviour.trusted": 0.0}, g)
    assert d.outcome == "undecided" and len(d.reasons) == 2
    assert d.reasons[0].endswith("not used: the refusal classifier failed its validation")
    # exactly at the bound passes; a gain is no loss; unmeasured (NaN or absent) is not gated
    edge = {**ok, "behaviour.declined": 0.5, "behaviour.champion_declined": 0.65}
    assert reasons(edge, g) == [] and reasons({**edge, "behaviour.declined": 0.9}, g) == []
    assert (
        reasons({**edge, "behaviour.declined": math.nan, "behaviour.champion_declined": 1.0}, g)
        == []
    )
    assert reasons({**ok, "behaviour.champion_answered": 1.0}, g) == []


def test_gate_defaults_and_ranges():
    from qadapter.config import ConfigError

    assert Gates() == Gates(
        max_probe_drop=5.0,
        max_helpful_loss=10.0,
        min_new_winrate=55.0,
        new_winrate_z=1.0,
        max_behaviour_drop=15.0,
    )
    with pytest.raises(ConfigError, match="max_behaviour_drop"):
        Gates(max_behaviour_drop=101.0)
    with pytest.raises(ConfigError, match="new_winrate_z"):
        Gates(new_winrate_z=-1.0)
    with pytest.raises(ConfigError, match="max_helpful_loss"):
        Gates(max_helpful_loss=60.0)
    with pytest.raises(ConfigError, match="min_new_winrate"):
        Gates(min_new_winrate=-1.0)


def test_a_level_uses_onpolicy_replies_only_when_asked():
    sys.path.insert(0, str(REPO))
    from flows.recustomize import level_experiment

    plain = level_experiment("smol")
    # the smol experiment's on-policy replies and helpful mix are for harmlessness
    assert (plain.rejected, plain.mix) == ("data", ())
    assert plain.train == level_experiment("smol", rejected=None).train
    assert plain.train.method.chosen_nll == 1.0  # the profile's training values stay
    asked = level_experiment("smol", rejected="onpolicy", onpolicy_tokens=16)
    assert (asked.rejected, asked.onpolicy_tokens) == ("onpolicy", 16)
    assert level_experiment("tiny", alpha0=0.5).train.method.alpha0 == 0.5


def test_lineage_refs_follow_the_parent_tags():
    from tasks.recustomize import lineage_refs

    vs = [
        {"version": "1", "tags": {"parent": "none"}},
        {"version": "2", "tags": {"parent": "models:/m/1"}},
        {"version": "3", "tags": {"parent": "models:/m/2"}},
        {"version": "4", "tags": {"parent": "models:/other/1"}},
        {"version": "5", "tags": {"parent": "models:/m/5"}},  # a loop ends, it does not hang
    ]
    assert lineage_refs(vs, "3", "m") == ["models:/m/3", "models:/m/2", "models:/m/1"]
    assert lineage_refs(vs, "4", "m") == ["models:/m/4"]
    assert lineage_refs(vs, None, "m") == [] and lineage_refs(vs, "9", "m") == []
    assert lineage_refs(vs, "5", "m") == ["models:/m/5"]


def test_level_key_depends_on_data_parent_and_settings():
    k = level_key("d", "p", {"lr": 1})
    assert k == level_key("d", "p", {"lr": 1}) and k.startswith("recustomize-")
    assert len({k, level_key("d2", "p", {"lr": 1}), level_key("d", "p2", {"lr": 1})}) == 3
    assert level_key("d", "p", {"lr": 2}) != k


@pytest.mark.slow  # the holder process imports Prefect (tens of seconds on a busy machine)
def test_run_lock_serializes_processes(tmp_path, monkeypatch):
    """A second run (another process) waits for the lock, and gives up after its timeout."""
    import logging
    import subprocess

    from qadapter.errors import LockError

    sys.path.insert(0, str(REPO))
    from flows.recustomize import run_lock

    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, logging; sys.path.insert(0, sys.argv[1]);"
            "from flows.recustomize import run_lock\n"
            "with run_lock(5, logging.getLogger()):\n"
            "    print('held', flush=True); sys.stdin.read()",
            str(REPO),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(LockError, match="in use by process"):
            with run_lock(0.5, logging.getLogger()):
                pass
        holder.stdin.close()  # the holder ends its run
        with run_lock(60, logging.getLogger()):
            assert (tmp_path / "recustomize").is_dir()
    finally:
        holder.kill() if holder.poll() is None else None
        holder.wait()


# ---- fixtures shared by the flow tests ---------------------------------------------------------


def pref_file(path: Path, start: int, n: int) -> Path:
    """``n`` pairs of the bundled uncertainty preference (lines start .. start + n)."""
    lines = UNCERTAINTY.read_text().splitlines()[start : start + n]
    assert len(lines) == n
    path.write_text("\n".join(lines) + "\n")
    return path


def bad_file(path: Path) -> Path:
    rows = ['{"chosen": "", "rejected": "x"}', "{not json", '{"prompt": "only a prompt"}']
    path.write_text("\n".join(rows) + "\n")
    return path


def register_champion(tracking_uri: str, work: Path) -> str:
    """A one-step tiny adapter on the base, registered as hh-qadapter and made champion."""
    from mlflow import MlflowClient

    from qadapter.adapter import QAdapter
    from qadapter.config import profile
    from qadapter.data import dataset_hash
    from qadapter.models import load_base
    from qadapter.serving.pyfunc import log_adapter_model
    from qadapter.stages import stage_data
    from qadapter.train import train

    cfg = profile("tiny", max_steps=1)
    base = load_base("tiny")
    source = str(REPO / "data" / "hh-mini" / "harmless")  # recorded: rehearse rebuilds it
    pairs = stage_data(source, 4, 0, cfg.seed)["train"]
    model = QAdapter(base.model, cfg.adapter, seed=0)
    meta = {
        "base_model": base.name,
        "base_hash": base.content_hash,
        "q_model": None,
        "data": {"source": source, "pairs": 4, "hash": dataset_hash(pairs)},
    }
    out = train(model, base.tokenizer, pairs, cfg, work / "champion", meta=meta, progress=False)
    c = MlflowClient(tracking_uri)
    exp = c.create_experiment("champion-seed")
    run = c.create_run(exp).info.run_id
    source = log_adapter_model(c, run, out.output_dir)
    c.set_terminated(run)
    c.create_registered_model("hh-qadapter")
    v = c.create_model_version(
        "hh-qadapter", source, run, tags={"data_hash": "seed", "parent": "none"}
    ).version
    c.set_registered_model_alias("hh-qadapter", "champion", v)
    return str(v)


def versions(c) -> list:
    return sorted(c.search_model_versions("name = 'hh-qadapter'"), key=lambda v: int(v.version))


def aliases(c) -> dict:
    return {k: str(v) for k, v in c.get_registered_model("hh-qadapter").aliases.items()}


# ---- the flow in-process (ephemeral Prefect server, SQLite MLflow) -----------------------------

TINY_GATES = dict(
    max_probe_drop=100.0,
    max_helpful_loss=50.0,
    min_new_winrate=0.0,
    new_winrate_z=0.0,
    max_behaviour_drop=100.0,
)


@pytest.mark.slow
def test_flow_stacks_on_champion_resumes_and_does_nothing_twice(
    flow_env, tmp_path, monkeypatch, capsys
):
    from mlflow import MlflowClient
    from prefect import task

    sys.path.insert(0, str(REPO))
    import flows.recustomize as F
    from qadapter.data import dataset_hash, load_preferences
    from qadapter.meta import read_meta, verified_lineage
    from qadapter.registry import resolve_adapter

    uri = f"sqlite:///{flow_env / 'mlflow.db'}"
    c = MlflowClient(uri)
    champion = register_champion(uri, tmp_path)
    watch = tmp_path / "watch"
    watch.mkdir()
    pref_file(watch / "new.jsonl", 0, 12)
    bad_file(watch / "bad.jsonl")

    # 1. a crash after training: nothing registered, the champion untouched
    @task(retries=0)
    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash during evaluation")

    evaluate_level = F.evaluate_level
    monkeypatch.setattr(F, "evaluate_level", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        F.recustomize(location=str(watch), profile="tiny", **TINY_GATES)
    assert len(versions(c)) == 1 and aliases(c) == {"champion": champion}
    monkeypatch.setattr(F, "evaluate_level", evaluate_level)  # (undo() would drop flow_env too)
    [trained] = (flow_env / "runs").glob("recustomize-*/adapter/qadapter.json")
    first = trained.read_bytes()

    # 2. the retry reuses the trained level (not trained again), registers it as candidate
    out = F.recustomize(location=str(watch), profile="tiny", **TINY_GATES)
    vs = versions(c)
    assert out["trained"] and out["status"] == "candidate" and len(vs) == 2
    assert out["reused"] and Path(out["adapter_dir"]) == trained.parent
    assert trained.read_bytes() == first and read_meta(trained.parent)["steps"] == out["steps"] > 0
    new = vs[-1]
    assert str(new.version) == out["version"]
    assert new.tags["parent"] == f"models:/hh-qadapter/{champion}"
    assert new.tags[STATUS] == "candidate" and aliases(c) == {
        "champion": champion,
        "candidate": str(new.version),
    }
    assert out["new_files"] == 1 and out["empty_files"] == 1 and out["quarantined"] == 3
    file_hash = dataset_hash(load_preferences(str(watch / "new.jsonl")).pairs)
    assert new.tags["data_files"] == new.tags["data_hash"] == file_hash  # one file: the same
    chain = verified_lineage(
        resolve_adapter(f"models:/hh-qadapter/{new.version}", tracking_uri=uri)
    )
    assert len(chain) == 2  # the registered version is a stack on the champion
    # KL on general prompts: the whole stack vs pi1, and this level vs the champion
    assert float(new.tags["kl.general"]) >= 0 and float(new.tags["kl.general_parent"]) >= 0
    assert float(new.tags["kl.general_parent"]) == pytest.approx(
        out["metrics"]["kl.general_parent"]
    )
    # each head-to-head judge's own held-out accuracy is logged on the level's run
    judged = out["metrics"]["judged"]
    logged = c.get_run(new.run_id).data.metrics
    for subset in ("new", "helpful", "harmless"):
        acc = judged[subset]["judge_accuracy"]
        assert 0.0 <= acc <= 1.0 and logged[f"judge.{subset}.accuracy"] == pytest.approx(acc)
        # ... and the judged replies, as a table a person reads before promoting the level
        table = json.loads(open(c.download_artifacts(new.run_id, f"judged/{subset}.json")).read())
        reference = "pi1" if subset == "harmless" else "champion"
        assert table["columns"] == ["prompt", reference, "candidate", "preference"]
        prefs = [row[3] for row in table["data"]]
        assert len(prefs) == judged[subset]["n"] > 0 and all(1.0 <= p <= 2.0 for p in prefs)
        win_rate = out["metrics"][
            "winrate.new_vs_champion"
            if subset == "new"
            else (f"winrate.{subset}_vs_champion" if subset == "helpful" else "winrate.harmless")
        ]
        assert 100 * sum(p - 1 for p in prefs) / len(prefs) == pytest.approx(win_rate)
        # the judge's ceiling (the subset's chosen replies in the candidate's place) is logged
        assert logged[f"judge.{subset}.ceiling"] == pytest.approx(judged[subset]["ceiling"])
        # ... and the scale of its verdicts, fitted on its held-out pairs
        scale = judged[subset]["judge_scale"]
        assert scale >= 0.0 and logged[f"judge.{subset}.scale"] == pytest.approx(scale)
    # the behaviour metric of the stack vs pi1: the shares of its per-prompt table
    rows = json.loads(open(c.download_artifacts(new.run_id, "judged/behaviour.json")).read())
    rows = [dict(zip(rows["columns"], r)) for r in rows["data"]]
    for subset, key, hit in (("harmless", "declined", "steered"), ("helpful", "answered", "kept")):
        metric = f"behaviour.{key}"
        mine = [r for r in rows if r["subset"] == subset]
        assert len(mine) == judged[subset]["n"]  # every judged prompt, counted or not
        counted = [r for r in mine if r["counted"]]
        assert out["metrics"][f"{metric}_n"] == len(counted)
        if counted:
            share = sum(bool(r[hit]) for r in counted) / len(counted)
            assert out["metrics"][metric] == pytest.approx(share) == logged[metric]
            assert float(new.tags[metric]) == pytest.approx(share)
            # ... and the champion's share on the same prompts, which the behaviour gate compares
            theirs = sum(bool(r[f"champion_{hit}"]) for r in counted) / len(counted)
            assert out["metrics"][f"behaviour.champion_{key}"] == pytest.approx(theirs)
            assert logged[f"behaviour.champion_{key}"] == pytest.approx(theirs)

    # 3. a crash between registering and gating: the next run finishes that version
    c.set_model_version_tag("hh-qadapter", new.version, STATUS, "pending")
    c.delete_registered_model_alias("hh-qadapter", "candidate")
    out = F.recustomize(location=str(watch), profile="tiny", **TINY_GATES)
    assert out["trained"] and out["version"] == str(new.version) and len(versions(c)) == 2
    assert versions(c)[-1].tags[STATUS] == "candidate"
    assert aliases(c)["candidate"] == str(new.version)

    # 4. the same data again: nothing trained
    again = F.recustomize(location=str(watch), profile="tiny", **TINY_GATES)
    assert not again["trained"] and again["trained_files"] == 1 and len(versions(c)) == 2
    json.dumps(again)  # the flow's result is JSON-able

    # 5. new data that fails a gate: registered, tagged rejected with the reason, aliases kept
    pref_file(watch / "more.jsonl", 12, 12)
    strict = {**TINY_GATES, "min_new_winrate": 100.0}
    out = F.recustomize(location=str(watch), profile="tiny", **strict)
    assert out["metrics"]["winrate.new_vs_champion"] < 100.0  # garbage vs garbage: ties count 0.5
    last = versions(c)[-1]
    assert out["status"] == "rejected" and str(last.version) == out["version"] == "3"
    assert last.tags[STATUS] == "rejected" and last.tags["rejected"] == "; ".join(out["reasons"])
    ceiling = out["metrics"]["judged"]["new"]["ceiling"]
    assert out["reasons"] == [
        f"new-preference win rate {out['metrics']['winrate.new_vs_champion']:.1f}% < 100% (the "
        f"new data's own chosen replies score {ceiling:.1f}% against the same replies: this "
        "judge cannot pass the gate)"
    ]
    assert last.tags["parent"] == f"models:/hh-qadapter/{champion}"
    assert aliases(c) == {"champion": champion, "candidate": str(new.version)}
    # rejected data is not retrained either
    assert not F.recustomize(location=str(watch), profile="tiny", **strict)["trained"]
    # ... nor with retry_rejected, as long as parent and settings are the same
    same = F.recustomize(location=str(watch), profile="tiny", retry_rejected=True, **strict)
    assert not same["trained"] and same["rejected"] == "3" and len(versions(c)) == 3

    # 6. retry_rejected with another setting trains that data again as a new version
    out = F.recustomize(
        location=str(watch),
        profile="tiny",
        retry_rejected=True,
        alpha0=0.5,
        judge_prompts=2,  # (tiny's default: 4)
        **TINY_GATES,
    )
    assert {k: v["n"] for k, v in out["metrics"]["judged"].items()} == {
        "new": 2,
        "helpful": 2,
        "harmless": 2,
    }
    last = versions(c)[-1]
    assert out["trained"] and not out["reused"] and out["version"] == str(last.version) == "4"
    assert last.tags["data_hash"] == versions(c)[2].tags["data_hash"]
    assert last.tags["settings_key"] != versions(c)[2].tags["settings_key"]
    assert last.tags[STATUS] == "candidate" and float(last.tags["alpha0"]) == 0.5
    assert aliases(c) == {"champion": champion, "candidate": "4"}

    # 7. rehearse: the level also trains on the champion's own training pairs, rebuilt
    # from its qadapter.json (here: 4 seeded hh-mini harmless pairs, no recipe)
    pref_file(watch / "third.jsonl", 24, 8)
    out = F.recustomize(location=str(watch), profile="tiny", rehearse=True, **TINY_GATES)
    last = versions(c)[-1]
    assert out["trained"] and out["version"] == str(last.version) == "5"
    level_meta = read_meta(resolve_adapter("models:/hh-qadapter/5", tracking_uri=uri))
    level = level_meta["data"]
    champion_data = read_meta(resolve_adapter(f"models:/hh-qadapter/{champion}", tracking_uri=uri))
    assert level["mix"] == [
        {
            "source": f"rehearsal of models:/hh-qadapter/{champion}",
            "pairs": 4,
            "hash": champion_data["data"]["hash"],
        }
    ]
    third = load_preferences(str(watch / "third.jsonl")).pairs
    assert last.tags["data_hash"] == dataset_hash(third) and 0 < level["pairs"] < len(third)
    assert level_meta["pairs"] == level["pairs"] + 4  # what training saw
    assert c.get_run(last.run_id).data.params["rehearse"] == (f"['models:/hh-qadapter/{champion}']")
    # the level stored its own pairs, and the registered model carries them
    assert level["own"] == {
        "file": "trained_pairs.jsonl",
        "pairs": level["pairs"],
        "hash": level["hash"],
    }

    # 8. on a depth-2 champion: both adapters of the lineage are rehearsed (the level's pairs read
    # back from its registered model)
    c.set_registered_model_alias("hh-qadapter", "champion", "5")
    pref_file(watch / "fourth.jsonl", 32, 8)
    out = F.recustomize(location=str(watch), profile="tiny", rehearse=True, **TINY_GATES)
    assert out["trained"] and out["version"] == "6" and out["parent"] == "models:/hh-qadapter/5"
    six = read_meta(resolve_adapter("models:/hh-qadapter/6", tracking_uri=uri))
    assert six["data"]["mix"] == [
        {
            "source": f"rehearsal of models:/hh-qadapter/{champion}",
            "pairs": 4,
            "hash": champion_data["data"]["hash"],
        },
        {
            "source": "rehearsal of models:/hh-qadapter/5",
            "pairs": level["pairs"],
            "hash": level["hash"],
        },
    ]
    assert six["pairs"] == six["data"]["pairs"] + 4 + level["pairs"]
    from qadapter import cli

    capsys.readouterr()
    assert cli.main(["info", str(resolve_adapter("models:/hh-qadapter/6", tracking_uri=uri))]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("trained"))
    assert line.endswith(
        f"on {six['pairs']} pairs; 4 pairs of models:/hh-qadapter/{champion} rehearsed; "
        f"{level['pairs']} pairs of models:/hh-qadapter/5 rehearsed"
    )


# ---- the deployment on the real stack: publish -> event -> trigger -> worker -----------------

BUCKET = "qadapter-tiny-watch"  # hh-watch-tiny's trigger matches s3://qadapter-tiny*
DEPLOYMENT = "recustomize/hh-watch-tiny"
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def api(stack, path: str, body: dict | None = None):
    import urllib.request

    req = urllib.request.Request(
        f"{stack.prefect_api_url}/{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (loopback)
        return json.loads(resp.read())


def wait_for(what: str, check, timeout: float = 600, every: float = 1.0):
    """Poll check() until it returns something truthy (progress, never a fixed sleep)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def deployment_runs(stack, deployment_id: str) -> list:
    runs = api(stack, "flow_runs/filter", {"deployments": {"id": {"any_": [deployment_id]}}})
    return sorted(runs, key=lambda r: r["created"])


def settled(stack, deployment_id: str, n: int):
    """The deployment's runs once there are exactly ``n`` and all have ended (else None)."""
    runs = deployment_runs(stack, deployment_id)
    assert len(runs) <= n, [r["name"] for r in runs]
    if len(runs) == n and all(r["state_type"] in TERMINAL for r in runs):
        return runs
    return None


def artifact(stack, run_id: str, key: str):
    found = api(
        stack,
        "artifacts/filter",
        {"artifacts": {"flow_run_id": {"any_": [run_id]}, "key": {"any_": [key]}}},
    )
    return found[0]["data"] if found else None


def publish(stack, *args: str):
    import subprocess

    return subprocess.Popen(
        [str(Path(sys.executable).parent / "qadapter"), "data", "publish", *args],
        env=stack.env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(proc) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "event preference-data.arrived sent" in out, out
    return out


@pytest.fixture
def moto_s3(s3_bucket):
    """The session's moto S3 server with bucket ``BUCKET``; the AWS variables are set before the
    stack starts, so the worker (and every flow run) reaches it too."""
    return s3_bucket(BUCKET)


@pytest.mark.slow
@pytest.mark.integration
def test_publish_triggers_one_stacked_version_per_new_data(tmp_path, moto_s3):
    from mlflow import MlflowClient

    sys.path.insert(0, str(Path(__file__).parent))
    from infra import local_stack

    files = {
        "a": pref_file(tmp_path / "a.jsonl", 0, 12),
        "b": pref_file(tmp_path / "b.jsonl", 12, 12),
        "bad": bad_file(tmp_path / "bad.jsonl"),
    }
    dest = f"s3://{BUCKET}/prefs"
    with local_stack(tmp_path) as stack:
        c = MlflowClient(stack.mlflow_uri)
        champion = register_champion(stack.mlflow_uri, tmp_path)
        deployed = stack.prefect("deploy", "--name", DEPLOYMENT, timeout=300)
        assert DEPLOYMENT in deployed.stdout + deployed.stderr
        dep = api(stack, "deployments/name/" + DEPLOYMENT)
        assert (dep["global_concurrency_limit"] or {}).get("limit") == 1, dep
        assert dep["concurrency_options"]["collision_strategy"] == "ENQUEUE"
        # the smol deployment: 6-hour schedule, the trigger (leaving the tests' buckets out)
        stack.prefect("deploy", "--name", "recustomize/hh-watch", timeout=300)
        watch = api(stack, "deployments/name/recustomize/hh-watch")
        [sched] = watch["schedules"]
        assert sched["active"] and sched["schedule"]["interval"] == 21600
        assert (watch["global_concurrency_limit"] or {}).get("limit") == 1
        # the gates' sample size: the smol profile's 64 (no override in the deployment)
        assert "judge_prompts" not in watch["parameters"]
        from tasks.experiment import experiment

        assert experiment(watch["parameters"]["profile"]).judge_prompts == 64
        assert watch["parameters"]["rehearse"] is True  # levels rehearse the lineage
        triggers = {
            a["actions"][0]["deployment_id"]: a["trigger"]
            for a in api(stack, "automations/filter", {})
            if a["actions"][0].get("type") == "run-deployment"
        }
        assert triggers[watch["id"]]["expect"] == ["preference-data.arrived"]
        assert triggers[watch["id"]]["match"]["qadapter.location"] == "!s3://qadapter-tiny*"
        assert triggers[dep["id"]]["match"]["qadapter.location"] == "s3://qadapter-tiny*"

        # 1. new data: exactly one run, one new version stacked on the champion
        finished(publish(stack, str(files["a"]), dest))
        runs = wait_for("the first triggered run", lambda: settled(stack, dep["id"], 1))
        assert runs[0]["state_type"] == "COMPLETED", runs[0]["state"]
        assert runs[0]["parameters"]["location"] == dest
        vs = versions(c)
        assert len(vs) == 2
        new = vs[-1]
        assert new.tags["parent"] == f"models:/hh-qadapter/{champion}"
        # the deployment's judges are random tiny reward models held to the real bars: they
        # fail their validation, so the level is registered undecided, with the reason, and no
        # alias moves (a decision is never made on a judge that failed its checks)
        assert new.tags[STATUS] == "undecided"
        assert "not used: the new judge failed its validation" in new.tags["undecided"]
        assert new.tags["judge.new.trusted"] == "False"
        assert aliases(c) == {"champion": champion}

        # 2. the same file again: a run, and nothing trained
        out = finished(publish(stack, str(files["a"]), dest))
        assert out.startswith("already there")
        runs = wait_for("the second run", lambda: settled(stack, dep["id"], 2))
        assert runs[1]["state_type"] == "COMPLETED" and len(versions(c)) == 2
        assert "nothing new" in artifact(stack, runs[1]["id"], "recustomize-summary")

        # 3. only bad records: nothing trained, the quarantine reported
        finished(publish(stack, str(files["bad"]), dest))
        runs = wait_for("the third run", lambda: settled(stack, dep["id"], 3))
        assert runs[2]["state_type"] == "COMPLETED" and len(versions(c)) == 2
        rows = json.loads(artifact(stack, runs[2]["id"], "recustomize-files"))
        bad = [r for r in rows if r["file"].endswith(".jsonl") and "bad-" in r["file"]]
        assert len(bad) == 1 and bad[0]["status"] == "no valid pair"
        assert bad[0]["quarantined"] == 3 and bad[0]["pairs"] == 0

        # 4. two publishes of new data at once: one training, runs one after the other
        procs = [publish(stack, str(files["b"]), dest) for _ in range(2)]
        for p in procs:
            finished(p)
        runs = wait_for("the two concurrent runs", lambda: settled(stack, dep["id"], 5))
        assert all(r["state_type"] == "COMPLETED" for r in runs)
        vs = versions(c)
        assert len(vs) == 3 and vs[-1].tags["parent"] == f"models:/hh-qadapter/{champion}"
        pair = sorted(runs[3:], key=lambda r: r["start_time"])
        assert pair[0]["end_time"] <= pair[1]["start_time"]  # concurrency limit 1
        summaries = [artifact(stack, r["id"], "recustomize-summary") for r in pair]
        assert sum("nothing new" in s for s in summaries) == 1
        print(  # for the record: each run's wall time on the worker
            "flow runs (s):", [round(r["total_run_time"], 1) for r in runs]
        )


def test_report_names_each_gates_judge_and_warns_when_one_is_not_trusted():
    sys.path.insert(0, str(REPO))
    from flows.recustomize import _report

    judged = {
        "new": {
            "n": 32,
            "trusted": True,
            "judge_accuracy": 0.88,
            "ceiling": 54.2,
            "ceiling_se": 2.3,
        },
        "helpful": {"n": 32, "trusted": False, "judge_accuracy": 0.531, "judge_scale": 0.0412},
        "harmless": {"n": 32, "trusted": True, "judge_accuracy": 0.81},
    }
    m = {
        "probe.delta": -4.2,
        "winrate.helpful_vs_champion": 53.4,
        "winrate.helpful_vs_champion_se": 2.4,
        "winrate.new_vs_champion": 53.9,
        "winrate.new_vs_champion_se": 2.4,
        "winrate.harmless": 43.2,
        "winrate.harmless_se": 2.9,
        "behaviour.declined": 0.75,
        "behaviour.declined_se": 0.0766,
        "behaviour.declined_n": 32,
        "behaviour.champion_declined": 0.8,
        "judged": judged,
    }
    out = {"metrics": m, "status": "rejected", "reasons": ["r"], "version": "2", "parent": "p"}
    counts = dict(files=1, new_files=1, new_pairs=9, trained_files=0, empty_files=0, quarantined=0)
    text = _report(out, counts, Gates())
    lines = {line.split(" |")[0]: line for line in text.splitlines() if line.startswith("| ")}
    assert lines["| helpful win rate vs champion (%)"].endswith(
        "| 53.4 +- 2.4 | >= 40 | 0.53 (**not trusted**), scale 0.0412 | - |"
    )
    assert lines["| new-preference win rate vs champion (%)"].endswith(
        "| 53.9 +- 2.4 | minus 1 s.e. >= 55 | 0.88 | 54.2 +- 2.3 |"
    )
    assert lines["| risky prompts pi1 complies with that the stack declines (%)"].endswith(
        "| 75.0 +- 7.7 (n 32) | >= 80.0 - 15 | rule classifier | - |"
    )
    assert "stack still answers" not in text  # not measured: no row
    assert "Not trusted: the helpful judge(s)" in text
    judged["helpful"].update(trusted=True, judge_accuracy=0.7)
    assert "Not trusted" not in _report(out, counts, Gates())


def test_head_to_head_reports_what_the_judge_gives_the_datas_chosen_replies(monkeypatch, tmp_path):
    """The ceiling: the data's chosen reply (of each prompt's first pair) judged in the
    candidate's place against the same reference replies. A judge that always prefers the
    chosen reply gives 100; the candidate here ties (50)."""
    from qadapter.data.pairs import PreferencePair
    from qadapter.evaluate import judges
    from qadapter.evaluate.judges.base import Verdict
    from tasks import recustomize as R
    from tasks.experiment import experiment

    class LikesChosen:
        name = "likes-chosen"

        def judge(self, items):
            def pref(item):
                a, b = item.output_1.startswith("chosen"), item.output_2.startswith("chosen")
                return 1.0 if a and not b else 2.0 if b and not a else 1.5

            return [Verdict(pref(i), "") for i in items]

        def describe(self):
            return {"test_accuracy": 0.9, "trusted": True}

    built = []
    monkeypatch.setattr(judges, "get_judge", lambda *a, **k: built.append(k) or LikesChosen())
    monkeypatch.setattr(R, "replies", lambda base, d, prompts, n: [f"{d} {i}" for i in prompts])
    pairs = [
        PreferencePair(({"role": "user", "content": f"q{i}"},), f"chosen {i}", f"rejected {i}")
        for i in range(5)
    ]
    pairs.append(PreferencePair(pairs[0].prompt, "a later chosen", "x"))  # the first pair counts
    cfg = experiment("tiny", judge_prompts=4)
    r = R.head_to_head(None, "champ", "cand", pairs, pairs, cfg, reference_name="champion")
    assert r["n"] == 4 and r["win_rate"] == 50.0
    assert r["ceiling"] == 100.0 and r["ceiling_se"] == 0.0
    assert [k["calibrate"] for k in built] == [True]  # the experiment's judge_calibration
    uncalibrated = experiment("tiny", judge_prompts=4, judge_calibration=False)
    R.head_to_head(None, "champ", "cand", pairs, pairs, uncalibrated, reference_name="champion")
    assert [k["calibrate"] for k in built] == [True, False]
    assert R.chosen_replies([pairs[1].prompt, pairs[0].prompt], pairs) == ["chosen 1", "chosen 0"]


def test_a_level_mixes_old_preferences_in_when_asked(tmp_path, capsys):
    """``mix``: the old preferences' train pairs trained on after the new ones; the level's
    settings (and so its work directory and ``settings_key``) name them by content hash, and
    ``qadapter.json`` records them as the recipe's ``mix`` while ``data.hash`` stays the new
    pairs' hash."""
    from dataclasses import replace

    from qadapter.config import ConfigError
    from qadapter.data import dataset_hash, load_preferences
    from qadapter.meta import read_meta
    from tasks import recustomize as R

    sys.path.insert(0, str(REPO))
    from flows.recustomize import _settings, level_experiment, level_recipe
    from qadapter.customize import mixed_data

    old = REPO / "data" / "hh-mini" / "harmless"
    cfg = level_experiment("tiny", mix=[str(old)], mix_pairs=3)
    recipe = level_recipe(cfg)
    rep = mixed_data(recipe, 0)
    assert [(src, len(ps)) for src, ps in rep] == [(str(old), 3)]
    assert mixed_data(recipe, 0) == rep  # seeded: the same pairs each time
    assert R.mix_record(rep) == [{"pairs": 3, "hash": dataset_hash(rep[0][1])}]
    assert "replay" not in _settings(cfg)  # plain levels keep their keys
    assert _settings(cfg, rep)["replay"] == R.mix_record(rep)
    assert R.settings_key(_settings(cfg, rep)) != R.settings_key(_settings(cfg))
    with pytest.raises(ConfigError, match="not a data source"):
        level_experiment("tiny", mix=[""])

    new = load_preferences(str(pref_file(tmp_path / "new.jsonl", 0, 4))).pairs
    train = replace(cfg.train, max_steps=1)
    out = R.train_level("tiny", None, None, new, None, train, tmp_path / "a", recipe)
    data = read_meta(out["adapter_dir"])["data"]
    assert data["hash"] == dataset_hash(new) and data["pairs"] == len(new)
    assert [m["pairs"] for m in data["mix"]] == [3]
    assert data["mix"][0]["hash"] == dataset_hash(rep[0][1])
    assert data["trained_hash"] == dataset_hash(list(new) + rep[0][1])
    assert out["pairs"] == len(new) + 3  # what training saw
    from qadapter import cli

    assert cli.main(["info", out["adapter_dir"]]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("trained"))
    assert line.endswith(f"on {len(new) + 3} pairs; 3 pairs of {old} mixed in")
