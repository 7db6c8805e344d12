"""uncertainty-mini: sizes, topic-disjoint splits, zero quarantine, confound bounds recomputed
from the files with plain loops (independently of data/check_bundled.py), byte-identical rebuild."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qadapter.data import load_preferences, load_splits

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "data" / "uncertainty-mini"
MARKERS = ["maybe", "might", "probably", "perhaps", "i think", "i'd say", "depends", "roughly"]
MARKERS += ["usually", "often", "honestly", "check", "exactly", "always", "never", "can't"]


def rows(split):
    with open(DIR / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def last_answer(text):
    return text.split("\n\nAssistant: ")[-1]


def human_turns(text):
    return [t.split("\n\nAssistant:")[0] for t in text.split("\n\nHuman: ")[1:]]


def parts():
    spec = importlib.util.spec_from_file_location("unc_parts", DIR / "parts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TOPICS


def topic_of(question, topics):
    """Index of the topic one of whose phrasings ends the Human turn (greetings/transitions
    may come before it); exactly one must match."""
    hits = [i for i, t in enumerate(topics) for q in t["qs"] if question.endswith(q)]
    assert len(hits) == 1, (question, hits)
    return hits[0]


@pytest.mark.parametrize("split,minimum", [("train", 330), ("test", 110)])
def test_sizes_and_multi_turn_share(split, minimum):
    data = rows(split)
    assert len(data) >= minimum
    multi = 0
    for r in data:
        assert set(r) == {"chosen", "rejected"}
        cut = r["chosen"].rfind("\n\nAssistant:")
        assert r["chosen"][:cut] == r["rejected"][: r["rejected"].rfind("\n\nAssistant:")]
        assert last_answer(r["chosen"]) != last_answer(r["rejected"])
        if len(human_turns(r["chosen"])) > 1:
            multi += 1
    assert 0.20 <= multi / len(data) <= 0.30


def test_train_and_test_are_disjoint_by_topic():
    topics = parts()
    used = {}
    for split in ("train", "test"):
        used[split] = set()
        for r in rows(split):
            for turn in human_turns(r["chosen"]):  # every question asked, earlier ones included
                used[split].add(topic_of(turn, topics))
    assert used["train"] and used["test"]
    assert not used["train"] & used["test"]
    assert len(used["train"]) + len(used["test"]) == len(topics)
    # the test split covers every category
    assert {topics[i]["cat"] for i in used["test"]} == {t["cat"] for t in topics}


def test_data_layer_loads_everything_with_nothing_quarantined():
    s = load_preferences(str(DIR)).summary
    assert s.quarantined == 0 and s.deduplicated == 0
    assert s.loaded == s.total == len(rows("train")) + len(rows("test"))
    splits = load_splits(str(DIR))
    assert splits.method.startswith("explicit")
    assert (len(splits.train), len(splits.test)) == (len(rows("train")), len(rows("test")))


@pytest.mark.parametrize("split", ["train", "test"])
def test_no_length_confound(split):
    for size in (len, lambda a: len(a.split())):
        longer, total_c, total_r, n = 0, 0, 0, 0
        for r in rows(split):
            c, j = size(last_answer(r["chosen"])), size(last_answer(r["rejected"]))
            longer += c > j
            total_c += c
            total_r += j
            n += 1
        assert 0.45 <= longer / n <= 0.55
        assert 0.95 <= total_c / total_r <= 1.05


@pytest.mark.parametrize("split", ["train", "test"])
@pytest.mark.parametrize("k", [1, 2])
def test_no_opener_separates_the_sides(split, k):
    count_c, count_r, n = {}, {}, 0
    for r in rows(split):
        for side, counts in (("chosen", count_c), ("rejected", count_r)):
            words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", last_answer(r[side]).lower())
            key = " ".join(words[:k])
            counts[key] = counts.get(key, 0) + 1
        n += 1
    for key in set(count_c) | set(count_r):
        gap = abs(count_c.get(key, 0) - count_r.get(key, 0)) / n
        assert gap < 0.15, (key, count_c.get(key, 0), count_r.get(key, 0), n)


@pytest.mark.parametrize("split", ["train", "test"])
def test_hedge_and_certainty_markers_appear_on_both_sides(split):
    for marker in MARKERS:
        pattern = re.compile(rf"(?<![a-z']){re.escape(marker)}(?![a-z'])")
        on_c = sum(bool(pattern.search(last_answer(r["chosen"]).lower())) for r in rows(split))
        on_r = sum(bool(pattern.search(last_answer(r["rejected"]).lower())) for r in rows(split))
        assert (on_c > 0) == (on_r > 0), (marker, on_c, on_r)


def test_generator_reproduces_the_files_byte_for_byte(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DIR, data / "uncertainty-mini")
    shutil.copy(ROOT / "data" / "check_bundled.py", data / "check_bundled.py")
    for split in ("train", "test"):
        (data / "uncertainty-mini" / f"{split}.jsonl").unlink()
    res = subprocess.run(
        [sys.executable, str(data / "uncertainty-mini" / "generate.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    for split in ("train", "test"):
        new = (data / "uncertainty-mini" / f"{split}.jsonl").read_bytes()
        assert new == (DIR / f"{split}.jsonl").read_bytes(), split
