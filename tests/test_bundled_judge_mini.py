"""judge-mini: sizes and kinds, prompts disjoint from every bundled split (exact and near
duplicates, recomputed here with plain loops, independently of data/judge-mini/overlap.py),
train/validation disjointness of prompts and of template sentences, length balance, loading
through qadapter.data with nothing quarantined, and a byte-identical rebuild."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qadapter.data import load_preferences, load_splits
from qadapter.evaluate.behaviour import REFUSAL_PROBE
from qadapter.onpolicy import REFUSALS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DIR = DATA / "judge-mini"
KINDS = {
    "harmless": {"refusal_vs_compliant", "refusal_vs_degenerate"},
    "helpful": {"answer_vs_refusal", "answer_vs_evasion", "answer_vs_wrong", "answer_vs_truncated"},
}
SPLITS = {"train": 300, "validation": 100}  # minimum pairs per subset
FILES = [(subset, split) for subset in KINDS for split in SPLITS]


def rows(subset, split):
    with open(DIR / subset / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def words(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def trigrams(text):
    w = words(text)
    return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}


def near(a, b, ga=None, gb=None):
    """Exact after normalization, word 3-gram Jaccard >= 0.5, or >= 80% of one side's 3-grams
    (at least 3 of them) inside the other: the thresholds of the data card. ``ga``/``gb``: the
    3-grams, when already computed."""
    if words(a) == words(b):
        return True
    ga = trigrams(a) if ga is None else ga
    gb = trigrams(b) if gb is None else gb
    if not ga or not gb:
        return False
    shared = len(ga & gb)
    if shared / len(ga | gb) >= 0.5:
        return True
    return any(len(g) >= 3 and shared / len(g) >= 0.8 for g in (ga, gb))


def bundled_texts():
    """{split: texts}: every Human turn of hh-mini and uncertainty-mini (train and test),
    every probe question and paragraph."""
    out = {}
    for name in ("hh-mini/harmless", "hh-mini/helpful", "uncertainty-mini"):
        for split in ("train", "test"):
            with open(DATA / name / f"{split}.jsonl", encoding="utf-8") as f:
                out[f"{name}/{split}"] = [
                    turn.split("\n\nAssistant:")[0]
                    for line in f
                    for side in ("chosen", "rejected")
                    for turn in json.loads(line)[side].split("\n\nHuman: ")[1:]
                ]
    for name, field in (("mc", "question"), ("arith", "question"), ("prose", "text")):
        with open(DATA / "probe" / f"{name}.jsonl", encoding="utf-8") as f:
            out[f"probe/{name}"] = [json.loads(line)[field] for line in f]
    return out


def parts(name):
    spec = importlib.util.spec_from_file_location(f"jm_{name}", DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sentences(text):
    """Sentences of at least two words, placeholders and list markers removed, normalized."""
    text = re.sub(r"\{[a-z0-9_]+\}", " ", text)
    out = set()
    for s in re.split(r"(?<=[.!?:])\s+|\n+", text):
        w = words(s)
        if len(w) >= 2:
            out.add(" ".join(w))
    return out


def table_strings(module):
    """Every string in the module's upper-case tables (lists of strings or of tuples)."""
    out = []
    for name in dir(module):
        if name.isupper() and isinstance(getattr(module, name), list):
            for entry in getattr(module, name):
                out += (
                    [entry] if isinstance(entry, str) else [x for x in entry if isinstance(x, str)]
                )
    return out


@pytest.mark.parametrize("subset,split", FILES)
def test_sizes_fields_and_kinds(subset, split):
    rs = rows(subset, split)
    assert len(rs) >= SPLITS[split]
    assert all(set(r) == {"prompt", "chosen", "rejected", "kind"} for r in rs)
    assert {r["kind"] for r in rs} == KINDS[subset]
    # every kind has enough pairs for a per-kind accuracy (at least 25 in validation)
    counts = {k: sum(r["kind"] == k for r in rs) for k in KINDS[subset]}
    assert min(counts.values()) >= (25 if split == "validation" else 50), counts


def test_checker_catches_the_overlaps_it_is_meant_to_catch():
    """The near-duplicate rule flags what it should (these collided in an earlier draft)."""
    assert near("How many sides does a hexagon have?", "How many sides does a hexagon have?")
    assert near(
        "Quick question: How many sides does a hexagon have?", "How many sides does a hexagon have?"
    )
    assert near(
        "Can you tell me this? What is the capital of Canada?", "What is the capital of Canada?"
    )
    assert near("What is the capital of Australia?", "What is the capital of Canada?")
    assert not near("Which city is Portugal's capital?", "What is the capital of Canada?")


def test_no_prompt_overlaps_any_bundled_split():
    bundled = bundled_texts()
    assert len(bundled) == 9 and all(len(texts) >= 60 for texts in bundled.values())
    others = [(t, trigrams(t)) for t in sorted({t for ts in bundled.values() for t in ts})]
    prompts = sorted({r["prompt"] for subset, split in FILES for r in rows(subset, split)})
    hits = [
        (p, t) for p in prompts for gp in [trigrams(p)] for t, gt in others if near(p, t, gp, gt)
    ]
    assert hits == []


def test_train_and_validation_prompts_are_disjoint():
    train = sorted({r["prompt"] for s in KINDS for r in rows(s, "train")})
    valid = sorted({r["prompt"] for s in KINDS for r in rows(s, "validation")})
    assert [(v, t) for v in valid for t in train if near(v, t)] == []


def test_validation_templates_share_no_sentence_with_training_ones():
    a, b = table_strings(parts("train_parts")), table_strings(parts("valid_parts"))
    assert len(a) > 400 and len(b) > 200
    sa = set().union(*map(sentences, a))
    sb = set().union(*map(sentences, b))
    assert sa & sb == set()

    # and in the written files: no sentence of 4+ words of a validation reply is in train
    def reply_sentences(split):
        out = set()
        for s in KINDS:
            for r in rows(s, split):
                out |= {x for x in sentences(r["chosen"]) | sentences(r["rejected"])}
        return {x for x in out if len(x.split()) >= 4}

    assert reply_sentences("train") & reply_sentences("validation") == set()


@pytest.mark.parametrize("subset,split", FILES)
def test_length_is_no_giveaway_except_for_truncation(subset, split):
    for kind in KINDS[subset]:
        rs = [r for r in rows(subset, split) if r["kind"] == kind]
        c = [len(r["chosen"]) for r in rs]
        j = [len(r["rejected"]) for r in rs]
        longer = sum(x > y for x, y in zip(c, j)) / len(rs)
        shorter = sum(x < y for x, y in zip(c, j)) / len(rs)
        if kind == "answer_vs_truncated":  # shorter by nature: a prefix of the chosen answer
            assert all(r["chosen"].startswith(r["rejected"]) for r in rs)
            assert longer == 1.0
            continue
        assert 0.75 <= sum(c) / sum(j) <= 1.33, (kind, sum(c) / len(c), sum(j) / len(j))
        assert longer <= 0.7 and shorter <= 0.7, (kind, longer, shorter)


def test_the_pipeline_probe_refusals_are_not_in_the_data():
    """The judge checks use onpolicy.REFUSALS and REFUSAL_PROBE: the data never contains them."""
    texts = {r[side] for s, sp in FILES for r in rows(s, sp) for side in ("chosen", "rejected")}
    assert not texts & (set(REFUSALS) | {REFUSAL_PROBE})


@pytest.mark.parametrize("subset", sorted(KINDS))
def test_loads_with_nothing_quarantined_and_kinds_are_found_by_origin(subset):
    source = str(DIR / subset)
    s = load_preferences(source).summary
    n_train, n_valid = len(rows(subset, "train")), len(rows(subset, "validation"))
    assert (s.quarantined, s.deduplicated, s.loaded) == (0, 0, n_train + n_valid)
    splits = load_splits(source)
    assert splits.method.startswith("explicit (validation split")
    assert (len(splits.train), len(splits.test), splits.overlap_removed) == (n_train, n_valid, 0)
    # the loader ignores "kind"; the pair's origin (file:line) finds its record again
    for pair in splits.train + splits.test:
        path, line = pair.origin.rsplit(":", 1)
        split = Path(path).stem
        record = rows(subset, split)[int(line) - 1]
        assert record["prompt"] == pair.prompt[-1]["content"] and len(pair.prompt) == 1
        assert (record["chosen"], record["rejected"]) == (pair.chosen, pair.rejected)
        assert record["kind"] in KINDS[subset]


def test_generator_reproduces_the_files_byte_for_byte(tmp_path):
    data = tmp_path / "data"
    for name in ("judge-mini", "hh-mini", "uncertainty-mini", "probe"):
        shutil.copytree(DATA / name, data / name)
    for subset, split in FILES:
        (data / "judge-mini" / subset / f"{split}.jsonl").unlink()
    res = subprocess.run(
        [sys.executable, str(data / "judge-mini" / "generate.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    for subset, split in FILES:
        new = (data / "judge-mini" / subset / f"{split}.jsonl").read_bytes()
        assert new == (DIR / subset / f"{split}.jsonl").read_bytes(), (subset, split)
