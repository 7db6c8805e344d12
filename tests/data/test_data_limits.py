"""Hardening of the data layer: credentials in source URLs are refused, a source with nothing
usable is an error, and pathological records are capped at read time."""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from qadapter.cli.data import run_check
from qadapter.data import DataError, load_preferences, load_splits
from qadapter.data.sources import available_splits, list_source

SECRET = "IQoJb3JpZ2luX2VjEXAMPLEtoken"
CREDENTIAL_SOURCES = [
    f"s3://bucket/prefix?X-Amz-Security-Token={SECRET}",
    f"s3://user:{SECRET}@host/prefix",
    f"hf://org/name?split=train&token={SECRET}",
    f"https://host/data.jsonl?X-Amz-Signature={SECRET}",
]


@pytest.mark.parametrize("source", CREDENTIAL_SOURCES)
def test_sources_with_credentials_are_refused_before_anything_is_read(source, monkeypatch):
    import boto3
    import datasets

    def never(*args, **kwargs):
        raise AssertionError("the source was read although it carries credentials")

    monkeypatch.setattr(boto3, "client", never)
    monkeypatch.setattr(datasets, "load_dataset", never)
    for load in (load_preferences, load_splits, list_source, available_splits):
        with pytest.raises(DataError) as info:
            load(source)
        message = str(info.value)
        assert SECRET not in message and "\n" not in message
        assert "carries credentials in its URL" in message
        assert "AWS_ENDPOINT_URL" in message and "HF_TOKEN" in message
    with pytest.raises(DataError, match="carries credentials"):
        load_splits("data.jsonl", test_source=source)


def test_data_check_refuses_credentials_with_one_clean_line(capsys):
    assert run_check([CREDENTIAL_SOURCES[0]]) == 2
    out, err = capsys.readouterr()
    assert out == "" and SECRET not in err and err.count("\n") == 1
    assert err.startswith("qadapter: error: source s3://bucket/prefix?X-Amz-Security-Token=*** ")


# ---- nothing usable ----------------------------------------------------------------------------


def test_empty_and_all_invalid_sources_are_errors(tmp_path, write_jsonl):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(DataError, match=r"empty\.jsonl holds no records; add preference pairs"):
        load_splits(empty)
    bad = write_jsonl(
        tmp_path / "bad.jsonl",
        [{"prompt": "q", "chosen": "a"}, {"prompt": "q", "chosen": "x", "rejected": "x"}],
    )
    with pytest.raises(DataError) as info:
        load_splits(bad, quarantine_path=tmp_path / "q.jsonl")
    assert str(info.value) == (
        f"no usable preference pairs in {bad}: 2 record(s) read, 2 quarantined "
        "(missing_field=1, identical_responses=1); fix the records (the quarantine file "
        f"{tmp_path / 'q.jsonl'} lists them)"
    )
    assert info.value.summary.loaded == 0
    assert load_preferences(bad).summary.loaded == 0  # the loader itself reports, never raises


def test_an_empty_test_split_is_an_error_too(tmp_path, write_jsonl):
    write_jsonl(tmp_path / "train.jsonl", [{"prompt": "q", "chosen": "a", "rejected": "b"}])
    (tmp_path / "test.jsonl").write_text("{broken\n")
    with pytest.raises(DataError, match="no usable preference pairs in .*unparseable=1"):
        load_splits(tmp_path)


@pytest.mark.parametrize("content", ["", '{"prompt": "q", "chosen": "a"}\n'])
def test_data_check_exits_2_when_nothing_loads(tmp_path, capsys, content):
    path = tmp_path / "a.jsonl"
    path.write_text(content)
    assert run_check([str(path)]) == 2
    out, err = capsys.readouterr()
    assert "loaded           0" in out and "hash" not in out
    last = err.splitlines()[-1]
    assert last.startswith("qadapter: error: ") and "Traceback" not in err
    assert ("holds no records" if not content else "no usable preference pairs") in last


# ---- record size cap ---------------------------------------------------------------------------


def test_a_5mb_jsonl_line_is_quarantined_fast_in_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    good = json.dumps({"prompt": "q", "chosen": "a", "rejected": "b"})
    big = json.dumps({"prompt": "q", "chosen": "x" * 5_000_000, "rejected": "b"})
    path.write_text(f"{good}\n{big}\n{good.replace('q', 'q2')}\n")
    tracemalloc.start()
    start = time.perf_counter()
    result = load_preferences(path, max_record_bytes=1_000_000)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.prompt[0]["content"] for p in result.pairs] == ["q", "q2"]
    (entry,) = result.quarantine
    assert (entry.origin, entry.reason) == (f"{path}:2", "record_too_large")
    assert entry.detail.startswith(
        f"the record has {len(big):,} bytes, over the limit of 1,000,000"
    )
    assert entry.record == big[:200]
    assert peak < 3_000_000, f"peak {peak} bytes: the 5 MB line was held in memory"
    assert elapsed < 5


def test_limit_is_exact_and_gzip_is_capped_too(tmp_path):
    row = json.dumps({"prompt": "q", "chosen": "a", "rejected": "b"})
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(f'{row}\n{row[:-1]}, "pad": "{"z" * 50}"}}\n'.encode()))
    result = load_preferences(path, max_record_bytes=len(row))  # exactly the limit: kept
    assert result.summary.loaded == 1 and result.summary.reasons == {"record_too_large": 1}
    assert result.quarantine[0].origin == f"{path}:2"
    assert load_preferences(path, max_record_bytes=len(row) - 1).summary.loaded == 0


def test_environment_variable_sets_the_cap(tmp_path, write_jsonl, monkeypatch):
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"prompt": "q", "chosen": "a" * 100, "rejected": "b"}]
    )
    monkeypatch.setenv("QADAPTER_MAX_RECORD_BYTES", "50")
    assert load_preferences(path).summary.reasons == {"record_too_large": 1}
    assert load_preferences(path, max_record_bytes=10_000).summary.loaded == 1
    monkeypatch.setenv("QADAPTER_MAX_RECORD_BYTES", "lots")
    with pytest.raises(DataError, match="QADAPTER_MAX_RECORD_BYTES='lots' is not a whole number"):
        load_preferences(path)
    with pytest.raises(DataError, match="max_record_bytes=0; give a positive number"):
        load_preferences(path, max_record_bytes=0)


def test_json_csv_and_parquet_records_are_capped_after_parsing(tmp_path):
    rows = [
        {"prompt": "q", "chosen": "a", "rejected": "b"},
        {"prompt": "q2", "chosen": "y" * 300_000, "rejected": "b"},
    ]
    (tmp_path / "a.json").write_text(json.dumps(rows))
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet")
    (tmp_path / "a.csv").write_text(
        f"prompt,chosen,rejected\nq,a,b\nq2,{'y' * 300_000},b\nq3,c,d\n"
    )
    for name, origin in [
        ("a.json", "a.json[1]"),
        ("a.parquet", "a.parquet[1]"),
        ("a.csv", "a.csv:3"),
    ]:
        result = load_preferences(tmp_path / name, max_record_bytes=100_000)
        assert result.summary.reasons == {"record_too_large": 1}, name
        assert result.quarantine[0].origin == str(tmp_path / origin)
    # A CSV field over the csv module's default 128 KiB limit no longer ends the file.
    result = load_preferences(tmp_path / "a.csv")
    assert result.summary.loaded == 3 and result.summary.quarantined == 0


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    rows = "".join(
        json.dumps({"prompt": f"q{i}", "chosen": "a", "rejected": "b"}) + "\n" for i in range(200)
    )
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(rows.encode())[:-30])  # cut the end off
    result = load_preferences(path)
    assert result.summary.reasons == {"unparseable": 1}
    (entry,) = result.quarantine
    assert entry.detail.startswith("bad gzip data:")
    assert entry.origin == f"{path}:{result.summary.loaded + 1}"
    assert result.summary.loaded > 150


def test_no_training_pairs_left_after_the_split_is_an_error(tmp_path, write_jsonl, trl_rows):
    path = write_jsonl(tmp_path / "a.jsonl", trl_rows)
    with pytest.raises(
        DataError,
        match=r"no training pairs left in .*a\.jsonl: all 3 loaded "
        r"pair\(s\) went to the test side \(the test set .*a\.jsonl\)",
    ):
        load_splits(path, test_source=str(path))
    with pytest.raises(DataError, match=r"\(test_fraction=1\.0\)"):
        load_splits(path, test_fraction=1.0)
    assert len(load_splits(path, test_fraction=0.0).train) == 3
