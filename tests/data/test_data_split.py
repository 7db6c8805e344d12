"""Splits: explicit test files where the source has them, else a seeded content-hash split."""

from __future__ import annotations

import random

import pytest

from qadapter.data import PreferencePair, hash_split, load_splits

PAIRS = [
    PreferencePair(({"role": "user", "content": f"q{i}"},), f"a{i}", f"b{i}") for i in range(400)
]


def test_hash_split_is_disjoint_complete_and_near_fraction():
    train, test = hash_split(PAIRS, test_fraction=0.25, seed=1)
    assert {p.key() for p in train}.isdisjoint({p.key() for p in test})
    assert len(train) + len(test) == 400
    assert 70 <= len(test) <= 130


def test_hash_split_ignores_order_and_depends_on_seed():
    shuffled = PAIRS[:]
    random.Random(0).shuffle(shuffled)
    test_a = {p.key() for p in hash_split(PAIRS, test_fraction=0.2, seed=7)[1]}
    test_b = {p.key() for p in hash_split(shuffled, test_fraction=0.2, seed=7)[1]}
    assert test_a == test_b
    assert test_a != {p.key() for p in hash_split(PAIRS, test_fraction=0.2, seed=8)[1]}
    # growing the dataset never moves an existing pair to the other side
    test_small = {p.key() for p in hash_split(PAIRS[:100], test_fraction=0.2, seed=7)[1]}
    assert test_small == {k for k in test_a if k in {p.key() for p in PAIRS[:100]}}


def test_hash_split_extremes():
    assert hash_split(PAIRS, test_fraction=0.0)[1] == []
    assert hash_split(PAIRS, test_fraction=1.0)[0] == []


def test_explicit_test_file_in_directory_wins(tmp_path, write_jsonl):
    rows = [{"prompt": f"q{i}", "chosen": "a", "rejected": "b"} for i in range(6)]
    write_jsonl(tmp_path / "train.jsonl", rows[:4])
    write_jsonl(tmp_path / "test.jsonl", rows[3:])  # q3 in both: removed from train
    splits = load_splits(tmp_path, test_fraction=0.5)
    assert [p.prompt[0]["content"] for p in splits.train] == ["q0", "q1", "q2"]
    assert [p.prompt[0]["content"] for p in splits.test] == ["q3", "q4", "q5"]
    assert splits.overlap_removed == 1
    assert splits.method.startswith("explicit (test split")


def test_sibling_test_file_of_a_train_file(tmp_path, write_jsonl):
    write_jsonl(tmp_path / "train.jsonl", [{"prompt": "q1", "chosen": "a", "rejected": "b"}])
    write_jsonl(tmp_path / "test.jsonl", [{"prompt": "q2", "chosen": "a", "rejected": "b"}])
    splits = load_splits(tmp_path / "train.jsonl", quarantine_path=tmp_path / "q.jsonl")
    assert (len(splits.train), len(splits.test)) == (1, 1)
    assert (tmp_path / "q.test.jsonl").exists()


def test_no_test_split_falls_back_to_hash(tmp_path, write_jsonl):
    rows = [{"prompt": f"q{i}", "chosen": "a", "rejected": "b"} for i in range(50)]
    splits = load_splits(write_jsonl(tmp_path / "data.jsonl", rows), test_fraction=0.2, seed=3)
    expected = hash_split(splits.train + splits.test, test_fraction=0.2, seed=3)[1]
    assert splits.test == [p for p in expected]
    assert splits.method == "hash(test_fraction=0.2, seed=3)"
    assert len(splits.train) + len(splits.test) == 50


def test_test_split_without_train_split_is_an_error(tmp_path, write_jsonl):
    write_jsonl(tmp_path / "test.jsonl", [{"prompt": "q", "chosen": "a", "rejected": "b"}])
    write_jsonl(tmp_path / "other.jsonl", [{"prompt": "q", "chosen": "a", "rejected": "b"}])
    with pytest.raises(Exception, match="no 'train' split"):
        load_splits(tmp_path)
