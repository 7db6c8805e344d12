"""Local sources: each file type, directories, origins, unreadable lines, missing sources."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from qadapter.data import DataError, load_preferences
from qadapter.data.sources import list_source, split_of


def records(source, **kw):
    return list(list_source(str(source), **kw).records())


def test_jsonl_origins_are_line_numbers_and_blank_lines_skipped(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"x": 1}\n\n{"x": 2}\n')
    got = records(path)
    assert [(r.origin, r.data) for r in got] == [(f"{path}:1", {"x": 1}), (f"{path}:3", {"x": 2})]


def test_jsonl_bad_json_and_invalid_utf8_become_flagged_records(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"x": 1}\n{"x": \n{"x": "caf\xe9"}\n')
    good, bad_json, bad_bytes = records(path)
    assert good.problem is None
    assert (bad_json.origin, bad_json.problem, bad_json.raw) == (
        f"{path}:2",
        "unparseable",
        '{"x": ',
    )
    assert (bad_bytes.origin, bad_bytes.problem) == (f"{path}:3", "invalid_utf8")
    assert bad_bytes.raw == '{"x": "caf\\xe9"}'


@pytest.mark.parametrize("wrapped", [False, True])
def test_json_list_or_data_object(tmp_path, trl_rows, wrapped):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"data": trl_rows} if wrapped else trl_rows))
    got = records(path)
    assert [r.origin for r in got] == [f"{path}[0]", f"{path}[1]", f"{path}[2]"]
    assert [r.data for r in got] == trl_rows


def test_json_unparseable_file_is_one_flagged_record(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[\n{"prompt": "q",\n')
    (rec,) = records(path)
    assert rec.problem == "unparseable" and rec.origin.startswith(f"{path}:")


def test_parquet(tmp_path, trl_rows):
    path = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist(trl_rows), path)
    got = records(path)
    assert [r.data for r in got] == trl_rows
    assert got[2].origin == f"{path}[2]"


def test_csv_multiline_fields_and_line_numbers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'prompt,chosen,rejected\nq1,"line1\nline2",b\nq2,a,"b\xff"\nq3,a,b\n')
    got = records(path)
    assert got[0].data == {"prompt": "q1", "chosen": "line1\nline2", "rejected": "b"}
    assert got[0].origin == f"{path}:2"
    assert (got[1].origin, got[1].problem) == (f"{path}:4", "invalid_utf8")
    assert (got[2].origin, got[2].data["prompt"]) == (f"{path}:5", "q3")


def test_gzip_jsonl(tmp_path, trl_rows):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in trl_rows).encode()))
    assert [r.data for r in records(path)] == trl_rows


def test_directory_is_recursive_sorted_and_counts_skipped_files(tmp_path, write_jsonl, trl_rows):
    write_jsonl(tmp_path / "b" / "part2.jsonl", trl_rows[2:])
    write_jsonl(tmp_path / "a.jsonl", trl_rows[:1])
    (tmp_path / "b" / "part1.json").write_text(json.dumps(trl_rows[1:2]))
    (tmp_path / "README.md").write_text("# card")
    listing = list_source(str(tmp_path))
    assert [e.name for e in listing.entries] == [
        str(tmp_path / "a.jsonl"),
        str(tmp_path / "b" / "part1.json"),
        str(tmp_path / "b" / "part2.jsonl"),
    ]
    assert listing.skipped == (f"{tmp_path / 'README.md'} (unsupported file type)",)
    result = load_preferences(tmp_path)
    assert [p.chosen for p in result.pairs] == ["4", "Paris", "Hi!"]
    assert result.summary.skipped_files == listing.skipped


def test_same_pairs_from_every_file_type(tmp_path, trl_rows, write_jsonl):
    import csv

    write_jsonl(tmp_path / "a.jsonl", trl_rows)
    (tmp_path / "a.json").write_text(json.dumps(trl_rows))
    pq.write_table(pa.Table.from_pylist(trl_rows), tmp_path / "a.parquet")
    with open(tmp_path / "a.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, ["prompt", "chosen", "rejected"])
        writer.writeheader()
        writer.writerows(trl_rows)
    keys = {
        ext: [p.key() for p in load_preferences(tmp_path / f"a.{ext}").pairs]
        for ext in ("jsonl", "json", "parquet", "csv")
    }
    assert len(keys["jsonl"]) == 3
    assert keys["json"] == keys["parquet"] == keys["csv"] == keys["jsonl"]


@pytest.mark.parametrize(
    "name, split",
    [
        ("train.jsonl", "train"),
        ("test.jsonl.gz", "test"),
        ("harmless-base/test.jsonl", "test"),
        ("train-00000-of-00001.parquet", "train"),
        ("validation/part.csv", "validation"),
        ("dev.json", "validation"),
        ("contest.jsonl", None),
        ("data.jsonl", None),
    ],
)
def test_split_of(name, split):
    assert split_of(name) == split


def test_missing_source_and_unsupported_file(tmp_path):
    with pytest.raises(DataError, match=r"^source not found: .*nope\.jsonl; give an existing"):
        load_preferences(tmp_path / "nope.jsonl")
    (tmp_path / "a.txt").write_text("hi")
    with pytest.raises(DataError, match="unsupported file type"):
        load_preferences(tmp_path / "a.txt")
    with pytest.raises(DataError, match="no data files in directory"):
        load_preferences(tmp_path)
