"""Training checkpoints: atomic, verified, loaded without executing code.

A checkpoint ``OUT/checkpoints/step-NNNNNNN/`` holds the adapter (``adapter_model.safetensors``),
the optimizer, scheduler and RNG states (``state.pt``, plain tensors and numbers: loaded with
``torch.load(weights_only=True)``, so a planted pickle cannot run code) and, written last,
``trainer_state.json``: the step and the sha256 of every other file. Files are fsynced, written
into ``.tmp-step-N`` and renamed into place, and the directory is fsynced, so a process killed at
any instant leaves either a complete checkpoint or an ignored temporary directory.

:func:`restore` loads the newest complete checkpoint whose files match their recorded hashes; a
damaged one is skipped with a warning and the previous complete one is used.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import sys
from pathlib import Path
from typing import Callable

import torch

from .errors import QAdapterError
from .filemode import follow_umask

CHECKPOINTS = "checkpoints"
MARKER = "trainer_state.json"
STATE = "state.pt"
WEIGHTS = "adapter_model.safetensors"


class CheckpointError(QAdapterError):
    """No usable checkpoint where one was asked for, or a checkpoint is damaged."""


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    """Write and fsync ``data`` (OSError, e.g. ENOSPC, propagates with the path)."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rng_state() -> dict:
    py = random.getstate()
    state = {
        "torch": torch.get_rng_state(),
        "python": [py[0], list(py[1]), py[2]],
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(
    out: Path,
    step: int,
    qnet,
    optimizer,
    scheduler,
    keep: int,
    *,
    on_file: Callable[[Path], None] | None = None,
) -> Path:
    """Write checkpoint ``step`` atomically; keep the ``keep`` newest. ``on_file(path)`` runs after
    each file is written, before the checkpoint is complete (tests kill the process there)."""
    root = Path(out) / CHECKPOINTS
    final = root / f"step-{step:07d}"
    tmp = root / f".tmp-step-{step:07d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    qnet.save_pretrained(tmp, safe_serialization=True)
    for f in sorted(tmp.iterdir()):
        _fsync_file(f)
        if on_file:
            on_file(f)
    buf = io.BytesIO()
    state = {
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": rng_state(),
    }
    torch.save(state, buf)
    write_bytes(tmp / STATE, buf.getvalue())
    if on_file:
        on_file(tmp / STATE)
    files = {f.name: _sha256(f) for f in sorted(tmp.iterdir())}
    write_bytes(tmp / MARKER, (json.dumps({"step": step, "sha256": files}) + "\n").encode())
    follow_umask(tmp)  # the weights arrive 0600 from PEFT
    _fsync_dir(tmp)
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    _fsync_dir(root)
    for old in sorted(root.glob("step-*"))[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return final


def complete_checkpoints(out: Path) -> list[Path]:
    """Checkpoints with their completeness marker, newest first (temporary dirs never count)."""
    root = Path(out) / CHECKPOINTS
    done = [p for p in root.glob("step-*") if (p / MARKER).is_file()]
    return sorted(done, reverse=True)


def latest_checkpoint(out: Path) -> Path | None:
    done = complete_checkpoints(out)
    return done[0] if done else None


def _read_verified(path: Path) -> tuple[int, dict, dict]:
    """(step, adapter tensors, state) of a checkpoint whose files match their hashes."""
    from safetensors.torch import load_file

    try:
        marker = json.loads((path / MARKER).read_text())
        step = int(marker["step"])
        for name, digest in marker["sha256"].items():
            if _sha256(path / name) != digest:
                raise CheckpointError(f"{path / name}: content does not match its recorded hash")
        weights = load_file(str(path / WEIGHTS))
        state = torch.load(path / STATE, weights_only=True, map_location="cpu")
    except CheckpointError:
        raise
    except Exception as e:  # noqa: BLE001 - any unreadable piece makes the checkpoint unusable
        raise CheckpointError(f"{path}: unreadable ({type(e).__name__}: {str(e)[:200]})") from None
    return step, weights, state


def restore(
    out: Path, qnet, optimizer, scheduler, *, warn: Callable[[str], None] | None = None
) -> int | None:
    """Load the newest usable checkpoint into ``qnet``/``optimizer``/``scheduler`` and the RNGs.

    Returns its step, or None when there is no complete checkpoint. Damaged checkpoints are
    skipped with a warning (``warn``, default: a line on stderr).
    """
    from peft import set_peft_model_state_dict

    warn = warn or (lambda msg: print(f"qadapter: warning: {msg}", file=sys.stderr))
    for path in complete_checkpoints(out):
        try:
            step, weights, state = _read_verified(path)
        except CheckpointError as e:
            warn(f"{e}; falling back to the previous checkpoint")
            continue
        set_peft_model_state_dict(qnet, weights)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        set_rng_state(state["rng"])
        return step
    return None
