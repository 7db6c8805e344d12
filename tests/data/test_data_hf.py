"""hf:// sources: the load_dataset call, and an end-to-end offline read of a local folder."""

from __future__ import annotations

import datasets
import pytest

from qadapter.data import DataError, load_preferences, load_splits
from qadapter.data.hf import parse_hf


def test_uri_maps_to_load_dataset_arguments(monkeypatch, hh):
    calls = []

    def fake_load_dataset(path, **kwargs):
        calls.append((path, kwargs))
        return [{"chosen": hh("q", "a"), "rejected": hh("q", "b")}]

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    uri = "hf://Anthropic/hh-rlhf?data_dir=harmless-base&split=test"
    result = load_preferences(uri)
    assert calls == [("Anthropic/hh-rlhf", {"data_dir": "harmless-base", "split": "test"})]
    assert result.pairs[0].origin == f"{uri}[0]"
    assert result.pairs[0].prompt == ({"role": "user", "content": "q"},)


def test_split_argument_overrides_uri_and_bad_parameters_are_named(monkeypatch):
    calls = []
    monkeypatch.setattr(datasets, "load_dataset", lambda path, **kw: calls.append((path, kw)) or [])
    assert load_preferences("hf://org/name?split=train", split="test").summary.records == 0
    assert calls == [("org/name", {"split": "test"})]
    assert parse_hf("hf://org/name?name=cfg&revision=v1") == (
        "org/name",
        {"name": "cfg", "revision": "v1"},
    )
    with pytest.raises(DataError, match="unknown parameter 'subset'.*data_dir, split"):
        parse_hf("hf://org/name?subset=x")


def test_load_failure_is_one_actionable_line(monkeypatch):
    def boom(path, **kw):
        raise ConnectionError("Couldn't reach the Hub\nlong traceback text")

    monkeypatch.setattr(datasets, "load_dataset", boom)
    with pytest.raises(DataError) as info:
        load_preferences("hf://org/name?split=train")
    assert str(info.value) == (
        "cannot load hf://org/name?split=train: ConnectionError: Couldn't reach the Hub; check "
        "the name and split, or use a local dataset directory / cache (HF_DATASETS_OFFLINE=1)"
    )


@pytest.fixture
def offline_hf(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")
    return tmp_path


def test_local_dataset_folder_end_to_end_offline(offline_hf, write_jsonl, hh):
    folder = offline_hf / "hh-local" / "harmless-base"
    write_jsonl(
        folder / "train.jsonl",
        [
            {
                "chosen": hh("Hi", "Hello", "Help me?", "Sure."),
                "rejected": hh("Hi", "Hello", "Help me?", "No."),
            },
            {"chosen": hh("q2", "a"), "rejected": hh("q2", "b")},
        ],
    )
    write_jsonl(folder / "test.jsonl", [{"chosen": hh("q3", "a"), "rejected": hh("q3", "b")}])
    root = offline_hf / "hh-local"
    uri = f"hf://{root}?data_dir=harmless-base&split=train"
    result = load_preferences(uri)
    assert result.summary.loaded == 2
    assert result.pairs[0].prompt == (
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
        {"role": "user", "content": "Help me?"},
    )
    assert result.pairs[0].origin == f"{uri}[0]"
    splits = load_splits(uri)
    assert (len(splits.train), len(splits.test)) == (2, 1)
    assert splits.test[0].chosen == "a" and splits.test[0].prompt[0]["content"] == "q3"
