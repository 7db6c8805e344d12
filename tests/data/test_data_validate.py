"""The loading pipeline: exact counts per reason, quarantine file, strict mode, invariant."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qadapter.data import DataError, load_preferences


@pytest.fixture
def messy(tmp_path, hh):
    """A JSONL file with every kind of problem, in known numbers."""
    lines = [
        json.dumps({"prompt": "q1", "chosen": "a", "rejected": "b"}),  # 1 loaded
        json.dumps({"prompt": "q1", "chosen": "a", "rejected": "b"}),  # 2 duplicate
        json.dumps({"prompt": "q2", "chosen": "a"}),  # 3 missing_field
        json.dumps({"prompt": "q3", "chosen": 1, "rejected": "b"}),  # 4 wrong_type
        json.dumps({"prompt": "q4", "chosen": "", "rejected": "b"}),  # 5 empty_response
        json.dumps({"prompt": "q5", "chosen": "x", "rejected": "x"}),  # 6 identical
        json.dumps({"chosen": hh("A", "B", "C", "d"), "rejected": hh("A", "Z", "C", "e")}),  # 7
        '{"prompt": "q7", ',  # 8 unparseable
        json.dumps({"prompt": "q" * 50, "chosen": "a", "rejected": "b"}),  # 9 too long
        json.dumps({"chosen": hh("hi", "hello"), "rejected": hh("hi", "go")}),  # 10 loaded
        json.dumps({"chosen": hh("hi", "hello"), "rejected": hh("hi", "go")}),  # 11 duplicate
        json.dumps([1, 2]),  # 12 wrong_type
    ]
    data = "\n".join(lines).encode() + b'\n{"prompt": "\xff"}\n'  # 13 invalid_utf8
    path = tmp_path / "messy.jsonl"
    path.write_bytes(data)
    return path


def test_every_reason_counted_exactly(messy, tmp_path):
    result = load_preferences(messy, max_prompt_chars=20, quarantine_path=tmp_path / "q.jsonl")
    s = result.summary
    assert (s.records, s.total, s.loaded, s.quarantined, s.deduplicated) == (13, 13, 2, 9, 2)
    assert s.reasons == {
        "missing_field": 1,
        "wrong_type": 2,
        "empty_response": 1,
        "identical_responses": 1,
        "prompt_mismatch": 1,
        "unparseable": 1,
        "invalid_utf8": 1,
        "prompt_too_long": 1,
    }
    assert [p.origin for p in result.pairs] == [f"{messy}:1", f"{messy}:10"]  # first copy kept
    assert s.formats == {"hh": 1, "trl": 1}


def test_quarantine_file_has_origin_reason_detail_record(messy, tmp_path):
    qpath = tmp_path / "sub" / "q.jsonl"
    load_preferences(messy, max_prompt_chars=20, quarantine_path=qpath)
    rows = [json.loads(line) for line in qpath.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 9
    by_line = {int(r["origin"].rsplit(":", 1)[1]): r for r in rows}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 12, 13]
    assert by_line[3] == {
        "origin": f"{messy}:3",
        "reason": "missing_field",
        "detail": "no 'rejected' field",
        "record": {"prompt": "q2", "chosen": "a"},
    }
    assert by_line[8]["record"] == '{"prompt": "q7", '
    assert by_line[13]["reason"] == "invalid_utf8"
    assert by_line[13]["record"] == '{"prompt": "\\xff"}'


def test_quarantine_file_rewritten_even_when_clean(tmp_path, write_jsonl, trl_rows):
    qpath = tmp_path / "q.jsonl"
    qpath.write_text("stale\n")
    load_preferences(write_jsonl(tmp_path / "a.jsonl", trl_rows), quarantine_path=qpath)
    assert qpath.read_text() == ""


def test_strict_raises_one_line_with_the_first_ten_problems_as_details(tmp_path, write_jsonl):
    rows = [{"prompt": f"q{i}", "chosen": "same", "rejected": "same"} for i in range(12)]
    path = write_jsonl(
        tmp_path / "a.jsonl", rows + [{"prompt": "ok", "chosen": "a", "rejected": "b"}]
    )
    first = f"{path}:1: identical_responses: chosen and rejected are the same text"
    with pytest.raises(DataError) as info:
        load_preferences(path, strict=True)
    assert str(info.value) == (
        f"12 record(s) of {path} quarantined in strict mode (first: {first}); fix them or load "
        "without --strict (pass a quarantine path (--quarantine) to list them all)"
    )
    lines = info.value.details
    assert lines[0] == first and lines[9].startswith(f"{path}:10: ")
    assert lines[10] == "... and 2 more"
    assert len(lines) == 11 and len(info.value.problems) == 12
    assert info.value.summary.quarantined == 12
    qpath = tmp_path / "q.jsonl"
    with pytest.raises(DataError, match=f"the quarantine file {qpath} lists them all"):
        load_preferences(path, strict=True, quarantine_path=qpath)
    assert len(qpath.read_text().splitlines()) == 12


def test_lone_surrogate_escape_is_quarantined(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"prompt": "q", "chosen": "bad \\ud800", "rejected": "b"}\n')
    result = load_preferences(path, quarantine_path=tmp_path / "q.jsonl")
    assert result.summary.reasons == {"invalid_utf8": 1}


def test_summary_lengths_and_table(tmp_path, write_jsonl, trl_rows):
    result = load_preferences(write_jsonl(tmp_path / "a.jsonl", trl_rows))
    lengths = result.summary.lengths
    assert (lengths["prompt"].min, lengths["prompt"].max) == (6, 18)
    assert lengths["chosen"].mean == pytest.approx((1 + 5 + 3) / 3)
    table = result.summary.format()
    assert "loaded           3" in table
    assert "  rejected" in table and "quarantined      0" in table


def test_dsp_counts_one_candidate_per_expanded_pair(tmp_path):
    path = tmp_path / "dsp.json"
    path.write_text(
        json.dumps(
            [
                {"query": "q1", "responses": {"academy": "A", "business": "B", "literature": "L"}},
                {"query": "q2", "responses": {"academy": "A", "business": "A"}},  # identical
                {"query": "q3", "responses": {"business": "B"}},  # no target response
            ]
        )
    )
    s = load_preferences(path, target_domain="academy").summary
    assert (s.records, s.total, s.loaded, s.quarantined) == (3, 4, 2, 2)
    assert s.reasons == {"missing_field": 1, "identical_responses": 1}
    with pytest.raises(DataError, match="target domain"):
        load_preferences(path)


def test_bad_options_are_data_errors(tmp_path, write_jsonl, trl_rows):
    path = write_jsonl(tmp_path / "a.jsonl", trl_rows)
    with pytest.raises(DataError, match="unknown format 'yaml'"):
        load_preferences(path, format="yaml")
    with pytest.raises(DataError, match="max_prompt_chars=0"):
        load_preferences(path, max_prompt_chars=0)
    with pytest.raises(DataError, match="has no 'test' split"):
        load_preferences(path, split="test")


# ---- property: every record is accounted for -------------------------------------------------

GOOD = st.builds(
    lambda p, c, r: {"prompt": p, "chosen": c, "rejected": r},
    st.sampled_from(["q1", "q2", "q3"]),
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["x", "y", "a"]),
)
LINE = st.one_of(
    GOOD.map(lambda r: json.dumps(r).encode()),  # valid or dup
    st.just(b'{"prompt": "q", "chosen": "a"}'),  # missing field
    st.just(b'{"prompt": "q", "chosen": ["x"], "rejected": "b"}'),  # wrong type
    st.just(b'{"prompt": "q", "chosen": "same", "rejected": "same"}'),  # identical
    st.just(b'{"prompt": "q", "chosen": "", "rejected": "b"}'),  # empty
    st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass")),  # junk text
    st.binary(max_size=12),  # random bytes
    st.just(b'{"prompt": "\xc3\x28", "chosen": "a", "rejected": "b"}'),  # invalid UTF-8
    st.just(b"{not json"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=25))
def test_invariant_loaded_plus_quarantined_plus_deduplicated_is_total(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("prop") / "messy.jsonl"
    data = b"\n".join(line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines)
    path.write_bytes(data)
    result = load_preferences(path)
    s = result.summary
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # a BOM is not a record
    nonblank = sum(1 for line in body.split(b"\n") if line.strip())
    assert s.records == s.total == nonblank
    assert s.loaded + s.quarantined + s.deduplicated == s.total
    assert s.loaded == len(result.pairs) == len({p.key() for p in result.pairs})
    assert sum(s.reasons.values()) == s.quarantined == len(result.quarantine)
