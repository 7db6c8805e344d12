"""Parser limits and unusual files in the data layer: a 5,000-deep record, a 5,000-digit number,
CSV read row by row in bounded memory, a too-big .json refused in one line, FIFOs and dangling
links in a source directory listed (never opened, never silently skipped)."""

from __future__ import annotations

import csv
import io
import json
import os
import tracemalloc

import pytest

from qadapter import cli
from qadapter.data.parse import parse_stream
from qadapter.data.records import DataError, too_deep
from qadapter.data.sources import list_source
from qadapter.data.validate import load_preferences

GOOD = {"prompt": "Explain bread.", "chosen": "Flour, water, yeast.", "rejected": "No."}


def deep_record(depth: int) -> str:
    return '{"prompt": ' + "[" * depth + "]" * depth + ', "chosen": "b", "rejected": "c"}'


def test_data_check_quarantines_the_5000_deep_record_without_a_traceback(tmp_path, capsys):
    """The issue's reproduction, through the CLI: the record is counted as unparseable, the good
    ones load, the command succeeds, the quarantine file says why."""
    src = tmp_path / "deep.jsonl"
    lines = [deep_record(5000), json.dumps(GOOD), deep_record(200)]
    lines.append('{"prompt": "x", "chosen": "a", "rejected": "b", "n": ' + "1" * 5000 + "}")
    src.write_text("\n".join(lines) + "\n")
    quarantine = tmp_path / "q.jsonl"
    rc = cli.main(["data", "check", str(src), "--quarantine", str(quarantine)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "Traceback" not in out + err and "RecursionError" not in out + err
    fields = {line.split()[0]: line.split()[-1] for line in out.splitlines() if line.strip()}
    assert fields["loaded"] == "1" and fields["quarantined"] == "3" and fields["unparseable"] == "3"
    entries = [json.loads(x) for x in quarantine.read_text().splitlines()]
    details = {e["origin"].rsplit(":", 1)[1]: e for e in entries}
    assert set(details) == {"1", "3", "4"}
    assert all(e["reason"] == "unparseable" for e in entries)
    text = json.dumps(entries)
    assert "recursion limit" in text and "more than 64 levels" in text and "4300" in text


def test_nesting_is_measured_without_recursion():
    value: list = []
    for _ in range(100_000):  # far beyond Python's recursion limit
        value = [value]
    assert too_deep(value) and not too_deep([{"a": [{"b": 1}]}]) and not too_deep("x")
    assert too_deep({"a": [[[[]]]]}, limit=4) and not too_deep({"a": [[[]]]}, limit=4)


def test_a_deep_json_file_is_one_quarantined_record(tmp_path):
    src = tmp_path / "deep.json"
    src.write_text(f"[{deep_record(5000)}]")
    (record,) = list(parse_stream(src.open("rb"), "deep.json", None, 10**6))
    assert record.problem == "unparseable" and "whole file is one record" in record.detail


def test_a_json_file_over_the_documented_size_is_refused_in_one_line(tmp_path, monkeypatch):
    src = tmp_path / "big.json"
    src.write_text(json.dumps([GOOD] * 50))
    monkeypatch.setenv("QADAPTER_MAX_JSON_BYTES", "1000")
    with pytest.raises(DataError) as info:
        load_preferences(str(src))
    msg = str(info.value)
    assert "\n" not in msg and "over 1,000 bytes" in msg and ".jsonl" in msg
    monkeypatch.delenv("QADAPTER_MAX_JSON_BYTES")
    assert len(load_preferences(str(src)).pairs) == 1  # 50 duplicates of one pair


def _csv_bytes(rows: int) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["prompt", "chosen", "rejected"])
    for i in range(rows):
        w.writerow([f"Question {i}: " + "q" * 200, f"Answer {i} " + "a" * 200, f"No {i}"])
    return buf.getvalue().encode()


def test_csv_is_read_row_by_row_in_bounded_memory(tmp_path):
    """A ~9 MB CSV parses with a peak allocation far below its size (the old reader held the
    bytes, the text and every row: several times the file)."""
    src = tmp_path / "big.csv"
    src.write_bytes(_csv_bytes(20_000))
    size = src.stat().st_size
    tracemalloc.start()
    try:
        n = 0
        with src.open("rb") as stream:
            for record in parse_stream(stream, "big.csv", None, 10**6):
                assert record.problem is None
                n += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 20_000 and size > 8_000_000
    assert peak < size / 20, (peak, size)


def test_a_csv_field_over_the_record_limit_is_quarantined_and_reading_goes_on(tmp_path):
    src = tmp_path / "wide.csv"
    src.write_text('prompt,chosen,rejected\nhi,yes,no\n"' + "x" * 5000 + '",a,b\nlate,c,d\n')
    records = list(parse_stream(src.open("rb"), "wide.csv", None, 1000))
    assert [r.problem for r in records] == [None, "record_too_large", None]
    assert [r.origin for r in records] == ["wide.csv:2", "wide.csv:3", "wide.csv:4"]
    assert records[2].data == {"prompt": "late", "chosen": "c", "rejected": "d"}


def test_fifos_and_dangling_links_in_a_directory_are_listed(tmp_path, capsys):
    d = tmp_path / "src"
    d.mkdir()
    (d / "train.jsonl").write_text(json.dumps(GOOD) + "\n")
    os.mkfifo(d / "pipe.jsonl")  # never opened: reading it would block forever
    (d / "gone.jsonl").symlink_to(tmp_path / "missing.jsonl")
    listing = list_source(str(d))
    assert [e.name for e in listing.entries] == [str(d / "train.jsonl")]
    assert sorted(listing.skipped) == [
        f"{d / 'gone.jsonl'} (dangling symbolic link)",
        f"{d / 'pipe.jsonl'} (a FIFO (named pipe))",
    ]
    assert cli.main(["data", "check", str(d)]) == 0
    out = capsys.readouterr().out
    assert "skipped files" in out and "gone.jsonl" in out and "pipe.jsonl" in out


def test_a_fifo_or_dangling_link_as_the_source_is_one_clear_line(tmp_path):
    os.mkfifo(tmp_path / "p.jsonl")
    with pytest.raises(DataError, match=r"a FIFO \(named pipe\), not a regular file"):
        list_source(str(tmp_path / "p.jsonl"))
    (tmp_path / "l.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    with pytest.raises(DataError, match="dangling symbolic link"):
        list_source(str(tmp_path / "l.jsonl"))
    (tmp_path / "only").mkdir()
    os.mkfifo(tmp_path / "only" / "q.jsonl")
    with pytest.raises(
        DataError, match=r"no data files in directory .*skipped: .*q.jsonl \(a FIFO"
    ):
        list_source(str(tmp_path / "only"))
