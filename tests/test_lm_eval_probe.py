"""The forgetting probe's lm-evaluation-harness tasks (data/probe/lm_eval) really run under lm-eval.

* a fast check, without lm-eval: the arithmetic task's regex filter, read from its YAML, pulls the
  stated answer out of every reference solution in data/probe/arith.jsonl;
* lm-eval with scripted models (``slow``: importing lm-eval and loading the tasks take seconds)
  that know the answers: every document of every task is loaded and scored, and the metric
  wiring (target index, regex filter + exact match, byte and word counts) gives the exact values
  the script implies;
* lm-eval's own ``hf`` model on a random tiny Llama saved to disk (``slow``): the group and its
  three tasks run end to end and report sane values.

lm-eval resolves ``dataset_kwargs.data_files`` relative to the working directory, so the lm-eval
runs change into the repository root.
"""

import json
import math
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "data" / "probe"
TASKS_DIR = PROBE / "lm_eval"
TASKS = ("qadapter_probe_mc", "qadapter_probe_arith", "qadapter_probe_prose")
GROUP = ("qadapter_probe_mc", "qadapter_probe_facts", *TASKS[1:])  # the group's members, in order
LIMIT = 4


def _records(name: str) -> list[dict]:
    with open(PROBE / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _arith_config() -> dict:
    return yaml.safe_load((TASKS_DIR / "qadapter_probe_arith.yaml").read_text(encoding="utf-8"))


def _arith_regex() -> re.Pattern:
    (flt,) = [f for f in _arith_config()["filter_list"] if f["name"] == "strict-match"]
    (step,) = [s for s in flt["filter"] if s["function"] == "regex"]
    return re.compile(step["regex_pattern"])


def _arith_ignored() -> list[re.Pattern]:
    (metric,) = [m for m in _arith_config()["metric_list"] if m["metric"] == "exact_match"]
    return [re.compile(r) for r in metric.get("regexes_to_ignore", [])]


# --------------------------------------------------------------------------------------------
# fast: the regex filter against the reference solutions


def test_arith_regex_extracts_the_answer_of_every_solution():
    rx, ignored = _arith_regex(), _arith_ignored()
    rows = _records("arith.jsonl")
    assert len(rows) == 240
    for row in rows:
        found = rx.findall(row["solution"])
        # lm-eval's regex filter takes the first match (group_select 0), then take_first
        assert found, row["id"]
        got = found[0]
        for r in ignored:
            got = r.sub("", got)
        assert got == str(row["answer"]), (row["id"], found)


@pytest.mark.parametrize(
    ("generation", "expected"),
    [
        ("Let me think. The answer is 1,200.", "1200"),
        ("The answer is $45 in all.", "45"),
        ("It drops 13 degrees. The answer is -13.\nQuestion: next", "-13"),
        ("I do not know.", None),
    ],
)
def test_arith_regex_on_model_style_outputs(generation, expected):
    rx, ignored = _arith_regex(), _arith_ignored()
    found = rx.findall(generation)
    if expected is None:
        assert not found
        return
    got = found[0]
    for r in ignored:
        got = r.sub("", got)
    assert got == expected


# --------------------------------------------------------------------------------------------
# lm-eval runs


@pytest.fixture
def in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")


def _evaluate(model, tasks, **kw):
    import lm_eval
    from lm_eval.tasks import TaskManager

    return lm_eval.simple_evaluate(
        model=model,
        tasks=list(tasks),
        task_manager=TaskManager(include_path=str(TASKS_DIR)),
        # leave the global RNGs of the test session alone (nothing here samples)
        random_seed=None,
        numpy_random_seed=None,
        torch_random_seed=None,
        **kw,
    )


def _scripted_lm(answer_offset: int = 0):
    """An lm-eval LM that knows the probe: the right choice scores best, generations are the
    reference solution with its final number shifted by ``answer_offset``, and every text costs
    exactly one bit per UTF-8 byte."""
    from lm_eval.api.model import LM

    class Scripted(LM):
        def loglikelihood(self, requests):
            out = []
            for req in requests:
                _, continuation = req.args
                doc = req.doc
                right = continuation == " " + doc["choices"][doc["answer"]]
                out.append((0.0, True) if right else (-5.0 - len(continuation), False))
            return out

        def loglikelihood_rolling(self, requests):
            return [-len(req.args[0].encode("utf-8")) * math.log(2) for req in requests]

        def generate_until(self, requests):
            out = []
            for req in requests:
                doc = req.doc
                text = doc["solution"]
                if answer_offset:
                    text = (
                        text.rsplit("The answer is", 1)[0]
                        + f"The answer is {doc['answer'] + answer_offset}."
                    )
                out.append(" " + text)
            return out

    return Scripted()


@pytest.mark.slow
def test_lm_eval_scores_a_scripted_model_on_every_document(in_repo_root):
    res = _evaluate(_scripted_lm(), TASKS, log_samples=False)
    counts = {"qadapter_probe_mc": 168, "qadapter_probe_arith": 240, "qadapter_probe_prose": 67}
    for task, n in counts.items():
        assert res["n-samples"][task] == {"original": n, "effective": n}
    r = res["results"]
    assert r["qadapter_probe_mc"]["acc,none"] == 1.0
    assert r["qadapter_probe_mc"]["acc_norm,none"] == 1.0
    assert r["qadapter_probe_arith"]["exact_match,strict-match"] == 1.0
    # one bit per byte by construction; word perplexity follows from the corpus's own counts
    prose = _records("prose.jsonl")
    n_bytes = sum(len(p["text"].encode("utf-8")) for p in prose)
    n_words = sum(len(re.split(r"\s+", p["text"])) for p in prose)
    assert r["qadapter_probe_prose"]["bits_per_byte,none"] == pytest.approx(1.0)
    assert r["qadapter_probe_prose"]["byte_perplexity,none"] == pytest.approx(2.0)
    assert r["qadapter_probe_prose"]["word_perplexity,none"] == pytest.approx(
        2.0 ** (n_bytes / n_words)
    )


@pytest.mark.slow
def test_lm_eval_exact_match_rejects_a_wrong_number(in_repo_root):
    res = _evaluate(_scripted_lm(answer_offset=1), ["qadapter_probe_arith"], limit=20)
    assert res["n-samples"]["qadapter_probe_arith"]["effective"] == 20
    assert res["results"]["qadapter_probe_arith"]["exact_match,strict-match"] == 0.0


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    from qadapter.models import tiny_model, tiny_tokenizer

    d = tmp_path_factory.mktemp("tiny-lm-eval")
    tiny_model(seed=0).save_pretrained(d)
    tiny_tokenizer().save_pretrained(d)
    return d


@pytest.mark.slow
def test_lm_eval_runs_the_probe_group_on_a_tiny_hf_model(in_repo_root, tiny_model_dir):
    res = _evaluate(
        "hf",
        ["qadapter_probe"],
        model_args=f"pretrained={tiny_model_dir},dtype=float32",
        device="cpu",
        batch_size=1,
        limit=LIMIT,
        # the YAML allows 256 new tokens; a random model never stops early, so keep it short here
        gen_kwargs="max_gen_toks=16",
        log_samples=True,
    )
    assert res["group_subtasks"]["qadapter_probe"] == list(GROUP)
    for task in GROUP:
        assert res["n-samples"][task]["effective"] == LIMIT
        assert len(res["samples"][task]) == LIMIT
    r = res["results"]

    mc = r["qadapter_probe_mc"]
    for key in ("acc,none", "acc_norm,none"):
        assert 0.0 <= mc[key] <= 1.0
        assert mc[key] * LIMIT == pytest.approx(round(mc[key] * LIMIT))  # a mean of 0/1 scores
    for sample in res["samples"]["qadapter_probe_mc"]:
        assert len(sample["filtered_resps"]) == len(sample["doc"]["choices"]) == 4
        assert sample["target"] == sample["doc"]["answer"]

    arith = r["qadapter_probe_arith"]
    assert arith["exact_match,strict-match"] == 0.0
    for sample in res["samples"]["qadapter_probe_arith"]:
        assert sample["filter"] == "strict-match"
        assert sample["target"] == str(sample["doc"]["answer"])
        assert sample["arguments"][0][0] == f"Question: {sample['doc']['question']}\nAnswer:"

    prose = r["qadapter_probe_prose"]
    for key in ("word_perplexity,none", "byte_perplexity,none"):
        assert math.isfinite(prose[key]) and prose[key] > 1.0
    assert math.isfinite(prose["bits_per_byte,none"]) and prose["bits_per_byte,none"] > 0.0
    assert prose["bits_per_byte,none"] == pytest.approx(math.log2(prose["byte_perplexity,none"]))
