"""Long phases report progress on stderr: periodic plain lines in a log, nothing with --quiet."""

import io

import qadapter.progress
from qadapter import cli
from qadapter.progress import LineProgress, progress


def test_line_progress_prints_periodic_lines_and_a_final_one(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(qadapter.progress.time, "monotonic", lambda: now[0])
    out = io.StringIO()
    bar = LineProgress(4, "phase", every_s=0.0, stream=out)
    for _ in range(4):
        now[0] += 10.0  # 10 s a unit
        bar.update(1)
    bar.set_postfix(loss="0.5")
    bar.close()
    bar.close()  # idempotent
    lines = out.getvalue().splitlines()
    assert lines[:4] == [  # the time left at the rate so far: 10 s a unit
        "phase: 1/4 (25%), about 30s left",
        "phase: 2/4 (50%), about 20s left",
        "phase: 3/4 (75%), about 10s left",
        "phase: 4/4 (100%)",
    ]
    assert lines[4:] == ["phase: 4/4 (100%) loss=0.5"]


def test_disabled_progress_is_silent(capsys):
    bar = progress(3, "x", enabled=False)
    bar.update(3)
    bar.close()
    assert capsys.readouterr().err == ""


def test_cli_train_shows_progress_in_a_log_and_not_with_quiet(
    toy_jsonl, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("QADAPTER_PROGRESS_SECONDS", "0")
    data_dir = toy_jsonl[0].parent
    args = ["train", "--profile", "tiny", "--data", str(data_dir), "--max-steps", "2"]
    assert cli.main([*args, "-o", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert "q-adapter: 2/2 (100%)" in err  # training steps
    assert (
        "held-out accuracy (before): 3/3 (100%)" in err and "held-out accuracy (after): 3/3" in err
    )
    assert cli.main([*args, "-o", str(tmp_path / "b"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "q-adapter:" not in err and "held-out accuracy (before)" not in err
