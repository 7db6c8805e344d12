"""``qadapter promote``, ``qadapter models list`` and ``models:/`` references in the other
commands, against a real SQLite MLflow store with registered tiny adapters.

A registered adapter used by reference must behave exactly as its directory: the same greedy
text from ``generate``, the same lm-eval policy, a stacked child trained on it by reference
recording the pinned reference and the parent's content hash. Bad input is one error line.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from test_registry import NAME, build_adapter, register

from qadapter import cli
from qadapter import registry as R
from qadapter.meta import adapter_hash, read_meta


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Two registered versions: v1 tagged like a customize run, v2 with metrics on its runs."""
    from mlflow import MlflowClient

    root = tmp_path_factory.mktemp("cli-registry")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", uri)
        mp.setenv("QADAPTER_CACHE", str(root / "cache"))
        c = MlflowClient(tracking_uri=uri, registry_uri=uri)
        exp = c.create_experiment("t", artifact_location=(root / "art").as_uri())
        dirs = [build_adapter(root / f"a{i}", seed=i) for i in (1, 2)]
        parent_run = c.create_run(exp).info.run_id
        for k, v in {
            "winrate.harmless": 71.5,
            "winrate.helpful": 48.25,
            "kl.general": 0.0123,
        }.items():
            c.log_metric(parent_run, k, v)
        v1 = register(c, exp, dirs[0])
        v2 = register(c, exp, dirs[1], parent_run=parent_run, metrics={"probe.delta": -2.5})
        fields = {"alpha0": 0.05, "winrate.harmless": 55.0, "winrate.helpful": 47.5}
        R.describe_version(NAME, v1, {**fields, "probe.delta": -0.75, "kl.general": 0.5}, client=c)
        yield {"c": c, "uri": uri, "dirs": dirs, "versions": (v1, v2), "root": root}


def run(argv, capsys) -> tuple[int, str, list[str]]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err.strip().splitlines()


def test_promote_moves_champion_and_keeps_previous(store, capsys):
    v1, v2 = store["versions"]
    code, out, _ = run(["promote", f"{NAME}/{v1}"], capsys)
    assert code == 0 and out.strip() == (
        f"{NAME}/{v1} is now the champion (models:/{NAME}@champion); no previous champion"
    )
    code, out, _ = run(["promote", f"models:/{NAME}/{v2}"], capsys)
    assert code == 0 and out.strip().endswith(f"; previous-champion: version {v1}")
    code, out, _ = run(["promote", f"{NAME}/{v2}"], capsys)
    assert code == 0 and out.strip() == f"{NAME}/{v2} is already the champion; nothing changed"
    aliases = {a: str(v) for a, v in store["c"].get_registered_model(NAME).aliases.items()}
    assert aliases == {"champion": v2, "previous-champion": v1}


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["promote", f"{NAME}/99"], f"registered model '{NAME}' has no version 99"),
        (["promote", f"{NAME}@champion"], "name a version number"),
        (["promote", "nope/1"], "no registered model 'nope'"),
        (["promote", "hh qadapter"], "is not a registry reference"),
        (["models", "list", "nope"], "no registered model 'nope'"),
        (["generate", f"models:/{NAME}@gold", "-p", "Hi"], "has no alias 'gold'"),
        (["info", f"models:/{NAME}/42"], "has no version 42"),
    ],
)
def test_bad_references_are_one_line(store, capsys, argv, expected):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err[-1].startswith("qadapter: error: ") and expected in err[-1]
    assert "Traceback" not in "\n".join(err)


def test_no_tracking_store_is_one_line(store, tmp_path, capsys):
    db = tmp_path / "missing.db"
    code, _, err = run(["models", "list", "--tracking-uri", f"sqlite:///{db}"], capsys)
    assert code == 2 and err[-1].startswith("qadapter: error: no MLflow tracking store at ")
    assert not db.exists()


def test_models_list_shows_tags_then_run_metrics(store, capsys):
    v1, v2 = store["versions"]
    run(["promote", f"{NAME}/{v1}"], capsys)
    run(["promote", f"{NAME}/{v2}"], capsys)
    code, out, _ = run(["models", "list"], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{NAME}: 2 version(s)")
    header = lines[1].split()
    assert header == ["version", "aliases", "alpha0", "status", "declined", "answered",
                      "harmless", "h.judge", "helpful", "hp.judge", "probe.delta", "kl.general",
                      "created"]  # fmt: skip
    rows = {cols[0]: cols for cols in (line.split() for line in lines[2:])}
    # v1: every value from its tags (describe_version); v2: no tags, its runs' metrics
    assert rows[v1][1:12] == ["previous-champion", "0.05", "-", "-", "-", "55", "-", "47.5", "-",
                              "-0.75", "0.5"]  # fmt: skip
    assert rows[v2][1:12] == ["champion", "-", "-", "-", "-", "71.5", "-", "48.25", "-", "-2.5",
                              "0.0123"]  # fmt: skip
    created = store["c"].get_model_version(NAME, v1).creation_timestamp
    assert " ".join(rows[v1][12:]) == time.strftime("%Y-%m-%d %H:%M", time.gmtime(created / 1000))

    code, out, _ = run(["models", "list", NAME, "--json"], capsys)
    listed = {r["version"]: r for r in json.loads(out)}
    assert listed[v2]["metrics"]["probe.delta"] == -2.5 and listed[v1]["tags"]["alpha0"] == "0.05"


def test_generate_and_info_by_reference_match_the_directory(store, capsys):
    v1, _ = store["versions"]
    run(["promote", f"{NAME}/{v1}"], capsys)
    args = [
        "-p",
        "Hello there",
        "-p",
        "Name a color",
        "--greedy",
        "--max-new-tokens",
        "8",
        "--json",
    ]
    code, by_dir, _ = run(["generate", str(store["dirs"][0]), *args], capsys)
    assert code == 0
    for ref in (f"models:/{NAME}/{v1}", f"models:/{NAME}@champion"):
        code, by_ref, _ = run(["generate", ref, *args], capsys)
        assert code == 0 and json.loads(by_ref) == json.loads(by_dir)
    code, out, _ = run(["info", f"models:/{NAME}@champion"], capsys)
    first = out.splitlines()[0]
    assert code == 0 and first.startswith(f"adapter      models:/{NAME}@champion  (")
    assert re.search(rf"registry/[0-9a-f]{{12}}/{NAME}/{v1}$", first.rstrip(")"))  # STORE/NAME/V


def test_lm_eval_model_takes_a_reference(store):
    from types import SimpleNamespace

    from qadapter.evaluate.harness import QAdapterLM
    from qadapter.models import load_base

    _, v2 = store["versions"]
    requests = [SimpleNamespace(args=("Question: what is 2+2?\nAnswer:", " 4"))]
    by_ref = QAdapterLM(base=load_base("tiny"), adapter=f"models:/{NAME}/{v2}")
    by_dir = QAdapterLM(base=load_base("tiny"), adapter=str(store["dirs"][1]))
    assert adapter_hash(by_ref.policy.adapter_dir) == adapter_hash(store["dirs"][1])
    assert by_ref.loglikelihood(requests) == by_dir.loglikelihood(requests)


def test_train_parent_by_alias_records_the_pinned_version(store, toy_jsonl, tmp_path, capsys):
    v1, _ = store["versions"]
    run(["promote", f"{NAME}/{v1}"], capsys)
    out = tmp_path / "child"
    argv = ["train", "--profile", "tiny", "--data", str(toy_jsonl[0].parent), "-o", str(out)]
    code, _, err = run([*argv, "--quiet", "--max-steps", "1", "--no-eval",
                        "--parent", f"models:/{NAME}@champion"], capsys)  # fmt: skip
    assert code == 0, err
    meta = read_meta(out)
    assert meta["parent"] == f"models:/{NAME}/{v1}"
    assert meta["parent_hash"] == adapter_hash(store["dirs"][0])
    code, text, _ = run(["info", str(out)], capsys)
    lineage = next(line for line in text.splitlines() if line.startswith("lineage"))
    assert code == 0 and lineage == (
        f"lineage      {out} <- models:/{NAME}/{v1} <- base tiny:0  (depth 2, verified)"
    )


def test_eval_by_reference_scores_like_the_directory(store, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # lm-eval reads the probe's data files relative to the cwd
    v1, _ = store["versions"]
    args = ["--limit", "2", "--max-gen-toks", "4", "--json"]
    code, by_dir, _ = run(["eval", str(store["dirs"][0]), *args], capsys)
    assert code == 0
    code, by_ref, _ = run(["eval", f"models:/{NAME}/{v1}", *args], capsys)
    assert code == 0
    by_dir, by_ref = json.loads(by_dir), json.loads(by_ref)
    assert by_ref["target"] == f"models:/{NAME}/{v1}"
    assert re.search(rf"registry/[0-9a-f]{{12}}/{NAME}/{v1}$", by_ref["adapter"])
    assert by_ref["scores"] == by_dir["scores"] and by_ref["scores"]


def test_base_mismatch_by_reference_names_the_reference(store, capsys):
    v1, _ = store["versions"]
    ref = f"models:/{NAME}/{v1}"
    code, _, err = run(["generate", ref, "-p", "Hi", "--base", "tiny:1"], capsys)
    assert code == 2 and "Traceback" not in "\n".join(err)
    assert err[-1].startswith(f"qadapter: error: {ref} (downloaded to ")
    assert "adapter was trained on base" in err[-1]


def test_a_missing_directory_that_looks_like_a_reference_says_both(store, capsys):
    code, _, err = run(["info", "runs/3"], capsys)
    assert code == 2 and err[-1].startswith(
        "qadapter: error: runs/3: no such directory; as a registry reference: "
        "no registered model 'runs'"
    )


def test_promote_refuses_an_undecided_version_or_an_untrusted_judge_unless_forced(
    tmp_path, monkeypatch, capsys
):
    from mlflow import MlflowClient

    from qadapter.cli.models import promotion_blockers

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    c = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exp = c.create_experiment("t", artifact_location=(tmp_path / "art").as_uri())
    adapter = build_adapter(tmp_path / "a", seed=1)
    good, undecided = register(c, exp, adapter), register(c, exp, adapter)
    R.describe_version(NAME, good, {"recustomize.status": "candidate",
                                    "judge.helpful.trusted": True}, client=c)  # fmt: skip
    why = "helpful not used: the helpful judge failed its validation"
    R.describe_version(NAME, undecided, {"recustomize.status": "undecided", "undecided": why,
                                         "judge.helpful.trusted": False}, client=c)  # fmt: skip
    assert run(["promote", f"{NAME}/{good}"], capsys)[0] == 0
    code, _, err = run(["promote", f"{NAME}/{undecided}"], capsys)
    assert code == 2 and len(err) == 1
    assert err[0] == (
        f"qadapter: error: promote {NAME}/{undecided}: not promoted, because "
        f"its level was undecided ({why}); the helpful judge failed its validation. Read the "
        "version's description; promote it anyway with --force"
    )
    assert str(c.get_registered_model(NAME).aliases["champion"]) == good  # nothing moved
    code, out, _ = run(["promote", f"{NAME}/{undecided}", "--force"], capsys)
    assert code == 0 and "is now the champion" in out
    tags = c.get_model_version(NAME, undecided).tags
    assert tags["promoted.forced"].startswith("its level was undecided")
    assert promotion_blockers({"recustomize.status": "candidate", "behaviour.trusted": "1.0"}) == []
    assert promotion_blockers({"behaviour.trusted": "0.0"}) == [
        "the refusal classifier failed its validation"
    ]
