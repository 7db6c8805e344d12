"""Benchmark suites through lm-eval with the ``qadapter`` model, and the ``qadapter eval`` command.

The scores lm-eval reports are recomputed here from the model's own log-likelihoods (the right
choice has the highest log-likelihood; bits per byte from the rolling log-likelihoods), from a
working directory other than the repository root.
"""

import argparse
import json
import math
from types import SimpleNamespace

import pytest
import yaml

from qadapter.cli.eval import add_eval_parser
from qadapter.evaluate.benchmarks import PROBE_DIR, materialize_probe_tasks, run_suite
from qadapter.evaluate.harness import QAdapterLM

LIMIT = 3


def rows(name, n=LIMIT):
    with open(PROBE_DIR / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()][:n]


def test_materialized_tasks_point_at_the_bundled_files_by_absolute_path(tmp_path):
    materialize_probe_tasks(tmp_path)
    originals = sorted(p.name for p in (PROBE_DIR / "lm_eval").glob("*.yaml"))
    assert sorted(p.name for p in tmp_path.glob("*.yaml")) == originals
    for name in originals:
        orig = yaml.safe_load((PROBE_DIR / "lm_eval" / name).read_text())
        copy = yaml.safe_load((tmp_path / name).read_text())
        files = (copy.get("dataset_kwargs") or {}).get("data_files", {})
        for split, path in files.items():
            assert path.startswith("/") and path.endswith(
                orig["dataset_kwargs"]["data_files"][split]
            )
            assert open(path, encoding="utf-8").readline().startswith("{")
        copy.pop("dataset_kwargs", None), orig.pop("dataset_kwargs", None)
        assert copy == orig  # nothing else changed


def test_general_probe_scores_equal_the_models_own_likelihoods(
    tmp_path, monkeypatch, tiny_base, random_adapter
):
    monkeypatch.chdir(tmp_path)  # not the repository root: the data paths must still resolve
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter), batch_size=4)
    out = run_suite(
        str(random_adapter), model=lm, limit=LIMIT, max_gen_toks=6, output_dir=tmp_path / "res"
    )
    assert out["tasks"] == ["qadapter_probe_mc", "qadapter_probe_arith", "qadapter_probe_prose"]
    assert out["skipped"] == {}

    right = []
    for doc in rows("mc.jsonl"):
        context = f"Question: {doc['question']}\nAnswer:"
        lls = [
            lp
            for lp, _ in lm.loglikelihood(
                [SimpleNamespace(args=(context, " " + c)) for c in doc["choices"]]
            )
        ]
        right.append(float(max(range(4), key=lambda i: lls[i]) == doc["answer"]))
    assert [r["acc"] for r in out["items"]["qadapter_probe_mc"]] == right
    assert out["scores"]["qadapter_probe_mc"]["acc,none"] == pytest.approx(sum(right) / LIMIT)

    texts = [d["text"] for d in rows("prose.jsonl")]
    total = sum(lm.loglikelihood_rolling([SimpleNamespace(args=(t,)) for t in texts]))
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    assert out["scores"]["qadapter_probe_prose"]["bits_per_byte,none"] == pytest.approx(
        -total / n_bytes / math.log(2), rel=1e-6
    )

    arith = out["items"]["qadapter_probe_arith"]
    assert [r["doc_id"] for r in arith] == list(range(LIMIT))
    assert out["scores"]["qadapter_probe_arith"]["exact_match,strict-match"] == pytest.approx(
        sum(r["exact_match"] for r in arith) / LIMIT
    )

    saved = json.loads((tmp_path / "res" / "results.json").read_text())
    assert (
        saved["results"]["qadapter_probe_mc"]["acc,none"]
        == out["scores"]["qadapter_probe_mc"]["acc,none"]
    )
    assert saved["qadapter"]["suite"] == "general-probe"
    assert (out["base"], out["adapter"]) == (tiny_base.name, str(random_adapter))
    samples = (tmp_path / "res" / "samples_qadapter_probe_arith.jsonl").read_text().splitlines()
    assert [json.loads(s)["doc_id"] for s in samples] == list(range(LIMIT))


@pytest.mark.slow  # lm-eval indexes its ~10k built-in task files (~15 s)
def test_paper_suite_reports_every_unavailable_task_and_why(tmp_path):
    out = run_suite("tiny", "paper", limit=2, output_dir=tmp_path)
    assert out["tasks"] == [] and out["scores"] == {}
    assert set(out["skipped"]) == {"mathqa", "gsm8k", "mmlu", "humaneval"}
    assert "allow-code-execution" in out["skipped"]["humaneval"]
    for task, dataset in (
        ("mathqa", "regisss/math_qa"),
        ("gsm8k", "openai/gsm8k"),
        ("mmlu", "cais/mmlu"),
    ):
        assert dataset in out["skipped"][task], out["skipped"][task]
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["results"] == {} and saved["qadapter"]["skipped"] == out["skipped"]


def test_unknown_suite_and_task_are_one_line_errors():
    with pytest.raises(ValueError, match="unknown suite 'nope'"):
        run_suite("tiny", "nope")
    with pytest.raises(ValueError, match="not in suite"):
        run_suite("tiny", tasks=["gsm8k"])


def parser():
    p = argparse.ArgumentParser(prog="qadapter")
    add_eval_parser(p.add_subparsers(dest="command", required=True))
    return p


def test_eval_command_writes_results_and_prints_a_table(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = parser().parse_args(
        ["eval", "tiny", "--limit", "2", "--max-gen-toks", "4", "--output", str(tmp_path / "o")]
    )
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    saved = json.loads((tmp_path / "o" / "results.json").read_text())
    acc = saved["results"]["qadapter_probe_mc"]["acc,none"]
    assert "general-probe suite, base tiny" in printed
    assert any(
        line.split()[:3] == ["qadapter_probe_mc", "acc,none", f"{acc:.4f}"]
        for line in printed.splitlines()
    )
    assert saved["n-samples"]["qadapter_probe_arith"]["effective"] == 2


def test_eval_command_rejects_bad_input(tmp_path):
    args = parser().parse_args(["eval", "tiny", "--base", "tiny:1"])
    with pytest.raises(ValueError, match="not an adapter directory"):
        args.func(args)
    args = parser().parse_args(["eval", "tiny", "--limit", "0"])
    with pytest.raises(ValueError, match="--limit must be a positive"):
        args.func(args)
    with pytest.raises(SystemExit):
        parser().parse_args(["eval", "tiny", "--suite", "mmlu"])


def test_eval_command_without_lm_eval_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "lm_eval" else real(n, *a)
    )
    args = parser().parse_args(["eval", "tiny"])
    with pytest.raises(ValueError, match=r"install qadapter\[eval\]"):
        args.func(args)
