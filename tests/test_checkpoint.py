"""Checkpoints: no code execution on resume, fallback past a damaged one, --resume without one,
an output-directory lock, and writes that fail cleanly."""

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from qadapter import cli
from qadapter.adapter import QAdapter, read_meta
from qadapter.checkpoint import CheckpointError, complete_checkpoints, restore
from qadapter.config import profile
from qadapter.lock import LOCK_FILE, LockError, output_lock, pid_alive
from qadapter.models import load_base
from qadapter.train import TrainCallback, train

sys.path.insert(0, os.path.dirname(__file__))
from faults import FailOnceAfterCheckpoint, InjectedFailure  # noqa: E402


def run(out, pairs, *, resume=False, callbacks=()):
    base = load_base("tiny")
    cfg = profile("tiny", epochs=3, checkpoint_every=2, lora_dropout=0.0)
    model = QAdapter(base.model, cfg.adapter, seed=cfg.seed)
    meta = {"base_model": base.name, "base_hash": base.content_hash}
    return train(
        model,
        base.tokenizer,
        pairs,
        cfg,
        out,
        meta=meta,
        resume=resume,
        callbacks=callbacks,
        progress=False,
    )


@pytest.fixture
def interrupted(tmp_path, toy_pairs):
    """A run stopped by an exception right after checkpoint 4 (checkpoints 2 and 4 on disk)."""
    out = tmp_path / "run"
    with pytest.raises(InjectedFailure):
        run(out, toy_pairs[:9], callbacks=[FailOnceAfterCheckpoint(4, tmp_path / "marker")])
    assert [p.name for p in complete_checkpoints(out)] == ["step-0000004", "step-0000002"]
    return out


class Payload:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))  # runs when unpickled with weights_only=False


def test_planted_pickle_never_runs_and_resume_falls_back(interrupted, tmp_path, toy_pairs, capsys):
    newest = interrupted / "checkpoints" / "step-0000004"
    ran = tmp_path / "payload-ran"
    torch.save({"optimizer": Payload(str(ran))}, newest / "state.pt")
    # the attacker also rewrites the recorded hash, so only weights_only stands in the way
    marker = json.loads((newest / "trainer_state.json").read_text())
    import hashlib

    marker["sha256"]["state.pt"] = hashlib.sha256((newest / "state.pt").read_bytes()).hexdigest()
    (newest / "trainer_state.json").write_text(json.dumps(marker))
    result = run(interrupted, toy_pairs[:9], resume=True)
    assert not ran.exists()
    assert "unreadable (UnpicklingError" in capsys.readouterr().err
    assert read_meta(interrupted)["resumed_from_step"] == 2 and result.steps == 9


def test_damaged_newest_checkpoint_falls_back_to_the_previous_with_a_warning(
    interrupted, tmp_path, toy_pairs, capsys
):
    full = run(tmp_path / "full", toy_pairs[:9])
    weights = interrupted / "checkpoints" / "step-0000004" / "adapter_model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])  # truncated
    run(interrupted, toy_pairs[:9], resume=True)
    err = capsys.readouterr().err
    assert "step-0000004/adapter_model.safetensors: content does not match its recorded hash" in err
    assert "falling back to the previous checkpoint" in err
    assert read_meta(interrupted)["resumed_from_step"] == 2
    a = load_file(str(full.output_dir / "adapter_model.safetensors"))
    b = load_file(str(interrupted / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_restore_with_no_usable_checkpoint_returns_none(interrupted):
    for ckpt in complete_checkpoints(interrupted):
        (ckpt / "state.pt").write_bytes(b"garbage")
    base = load_base("tiny")
    model = QAdapter(base.model, profile("tiny").adapter)
    opt = torch.optim.AdamW(model.trainable_parameters())
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
    warnings = []
    assert restore(interrupted, model.qnet, opt, sched, warn=warnings.append) is None
    assert len(warnings) == 2


def test_resume_without_a_checkpoint_says_so(tmp_path, toy_pairs, toy_jsonl, capsys):
    with pytest.raises(CheckpointError, match="no complete checkpoint"):
        run(tmp_path / "lib", toy_pairs, resume=True)
    out = tmp_path / "cli"
    rc = cli.main(
        [
            "train",
            "--profile",
            "tiny",
            "--data",
            str(toy_jsonl[0]),
            "-o",
            str(out),
            "--resume",
            "--quiet",
        ]
    )
    assert rc == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .splitlines()[-1]
        .startswith("qadapter: error: --resume: no complete checkpoint")
    )
    assert not out.exists()


def test_second_process_is_refused_and_a_stale_lock_is_recovered(tmp_path, toy_pairs, capsys):
    out = tmp_path / "locked"
    out.mkdir()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK_FILE).write_text(
            json.dumps({"pid": live.pid, "host": os.uname().nodename, "since": "t"})
        )
        with pytest.raises(LockError, match=f"in use by process {live.pid} on"):
            run(out, toy_pairs)
        assert not (out / "adapter_model.safetensors").exists()
    finally:
        live.kill()
        live.wait()
    run(out, toy_pairs)  # the holder is gone: stale
    assert f"removing the stale lock of process {live.pid}" in capsys.readouterr().err
    assert (out / "qadapter.json").exists() and not (out / LOCK_FILE).exists()


def test_lock_is_exclusive_across_processes(tmp_path):
    code = (
        "import sys; from qadapter.lock import output_lock\n"
        "from qadapter.errors import LockError\n"
        "try:\n    output_lock(sys.argv[1]).__enter__()\n"
        "except LockError as e:\n    print(e); sys.exit(3)\n"
    )
    with output_lock(tmp_path / "o"):
        other = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "o")],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert other.returncode == 3 and f"in use by process {os.getpid()}" in other.stdout


def test_disk_full_during_a_checkpoint_is_one_line(tmp_path, toy_jsonl, capsys, monkeypatch):
    import qadapter.checkpoint as C

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(C, "write_bytes", full)
    out = tmp_path / "o"
    rc = cli.main(
        [
            "train",
            "--profile",
            "tiny",
            "--data",
            str(toy_jsonl[0]),
            "-o",
            str(out),
            "--quiet",
            "--no-eval",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert (
        last.startswith("qadapter: error: cannot access ")
        and "No space left on device" in last
        and "state.pt" in last
    )
    assert not (out / "qadapter.json").exists() and not (out / LOCK_FILE).exists()


class Counter(TrainCallback):
    def __init__(self):
        self.files, self.done = [], []

    def on_checkpoint_file(self, path):
        self.files.append(path.name)
        assert not (path.parent / "trainer_state.json").exists()  # not complete while files arrive

    def on_checkpoint(self, step, path):
        self.done.append((step, path.name))


def test_checkpoint_files_are_written_before_the_marker(tmp_path, toy_pairs):
    seen = Counter()
    run(tmp_path / "o", toy_pairs[:9], callbacks=[seen])
    assert seen.done == [
        (2, "step-0000002"),
        (4, "step-0000004"),
        (6, "step-0000006"),
        (8, "step-0000008"),
    ]
    assert {"adapter_model.safetensors", "adapter_config.json", "state.pt"} <= set(seen.files)


def test_pid_alive_running_reaped_zombie_and_foreign():
    assert pid_alive(os.getpid())
    assert pid_alive(1)  # init: alive whether or not we may signal it
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    stat = Path(f"/proc/{child.pid}/stat")
    deadline = time.monotonic() + 30
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":  # exited, not yet reaped
        assert time.monotonic() < deadline, "the child did not exit within 30 s"
        time.sleep(0.05)
    assert not pid_alive(child.pid)  # a zombie is gone
    child.wait()
    assert not pid_alive(child.pid)  # reaped: no such process
