"""``qadapter data check``: output, hash, exit codes 0/1/2, argparse wiring."""

from __future__ import annotations

import argparse

from qadapter.cli.data import add_data_parser, run_check
from qadapter.data import dataset_hash, load_preferences


def test_clean_source_prints_summary_and_hash(tmp_path, write_jsonl, trl_rows, capsys):
    path = write_jsonl(tmp_path / "a.jsonl", trl_rows)
    assert run_check([str(path)]) == 0
    out, err = capsys.readouterr()
    assert "loaded           3" in out
    expected = dataset_hash(load_preferences(path).pairs)
    assert out.strip().splitlines()[-1] == f"hash  sha256:{expected}"
    assert err == ""


def test_strict_with_quarantine_exits_2_with_line_numbers(tmp_path, write_jsonl, capsys):
    rows = [
        {"prompt": "q", "chosen": "a", "rejected": "b"},
        {"prompt": "q2", "chosen": "x", "rejected": "x"},
    ]
    path = write_jsonl(tmp_path / "a.jsonl", rows)
    qpath = tmp_path / "q.jsonl"
    assert run_check([str(path), "--strict", "--quarantine", str(qpath)]) == 2
    out, err = capsys.readouterr()
    assert "identical_responses  1" in out
    problem = f"{path}:2: identical_responses: chosen and rejected are the same text"
    assert err.splitlines() == [
        problem,
        (
            f"qadapter: error: 1 record(s) of {path} quarantined in strict mode "
            f"(first: {problem}); fix them or load without --strict "
            f"(the quarantine file {qpath} lists them all)"
        ),
    ]
    assert "hash" not in out
    assert len(qpath.read_text().splitlines()) == 1
    assert run_check([str(path)]) == 0  # without --strict the same data passes
    capsys.readouterr()
    assert run_check([str(path), "--strict"]) == 2  # no quarantine file: none is named
    last = capsys.readouterr().err.splitlines()[-1]
    assert "quarantine file" not in last and "pass a quarantine path (--quarantine)" in last


def test_missing_source_and_unknown_format_exit_2_with_one_line(tmp_path, capsys):
    assert run_check([str(tmp_path / "nope.jsonl")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("qadapter: error: source not found:") and "Traceback" not in err
    (tmp_path / "a.jsonl").write_text('{"prompt": "q", "chosen": "a", "rejected": "b"}\n')
    assert run_check([str(tmp_path / "a.jsonl"), "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "qadapter: error: unknown format 'xml' (--format); use one of auto, hh, trl, dsp\n"
    )


def test_dsp_needs_target_domain(tmp_path, capsys):
    path = tmp_path / "dsp.jsonl"
    path.write_text('{"query": "q", "academy": "A", "business": "B"}\n')
    assert run_check([str(path)]) == 2
    assert "--target-domain" in capsys.readouterr().err
    assert run_check([str(path), "--target-domain", "business"]) == 0
    assert "loaded           1" in capsys.readouterr().out


def test_add_data_parser_wires_into_a_main_cli(tmp_path, write_jsonl, trl_rows, capsys):
    parser = argparse.ArgumentParser(prog="qadapter")
    add_data_parser(parser.add_subparsers(dest="command"))
    path = write_jsonl(tmp_path / "a.jsonl", trl_rows)
    args = parser.parse_args(["data", "check", str(path), "--format", "trl"])
    assert args.func(args) == 0
    assert "formats          trl=3" in capsys.readouterr().out
