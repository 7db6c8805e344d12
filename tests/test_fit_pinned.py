"""Pinned: the same inputs give bit-identical adapters through every driver (issue 27, item 1).

Each driver (the CLI ``qadapter train``, the customize stage in process, a re-customization
level stacked on a parent) trains a tiny adapter with the steering recipe (on-policy rejected
replies and a mixed-in source / a replayed source) from fixed inputs and a fixed seed. The sha256
of the adapter's weight file and the hash of the pairs it trained on were recorded with the three
drivers as they were before ``qadapter.customize.fit`` replaced them (commit "pin the drivers");
after the refactor all three go through ``fit`` and must give the same bytes.

The weights' digest depends on the CPU's float kernels: these digests were taken on a 2-core AMD
EPYC with torch 2.13.0 (CPU). The pairs' hashes do not depend on the machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from test_recipe import _mix_source

from qadapter.config import profile
from qadapter.customize import Recipe, Rejected
from qadapter.meta import ADAPTER_WEIGHTS, read_meta

PINNED = {
    "cli": (
        "bd8af3ef4777411ab31b689975c99c29c6b1f7370b799d033d4eb18388a27b8d",
        "b2c23b04552046b4ca84efad06c9830b214c25c0bead36d820c2e410860e660e",
    ),
    "stage": (
        "27e33184119f1279954902aedf6231eef6ccdff6f821c10b7772c10d1b00c2a7",
        "ab024dda3bdf87bedeaea1b6d55b27be73bc0280980669da0a1c690cae2a8b8e",
    ),
    "level": (
        "79041c7e613e98fc55ff5fe9056a4481e30f864e3348fa644e1f1cf318354c74",
        "df0173ffcf25d5ebb9b497102f914919f96267a2726dbbe0b41fbd3620f11aad",
    ),
}


def _mix(tmp_path) -> str:
    """Another source's train split (5 pairs), made once per test."""
    return str(tmp_path / "mix") if (tmp_path / "mix").is_dir() else str(_mix_source(tmp_path))


def _digest(directory) -> tuple[str, str]:
    weights = hashlib.sha256((directory / ADAPTER_WEIGHTS).read_bytes()).hexdigest()
    data = read_meta(directory)["data"]
    return weights, data.get("trained_hash") or data["hash"]


def _cli(toy_jsonl, tmp_path):
    from qadapter import cli

    mix, out = _mix(tmp_path), tmp_path / "cli"
    argv = ["train", "--profile", "tiny", "--data", str(toy_jsonl[0].parent), "-o", str(out)]
    argv += ["--quiet", "--max-steps", "2", "--no-eval", "--checkpoint-every", "0"]
    argv += ["--onpolicy", "--onpolicy-tokens", "4", "--mix", str(mix)]
    assert cli.main(argv) == 0
    return out


def _stage(toy_jsonl, tmp_path, name="stage", tokens=4, steps=2):
    from qadapter import stages

    recipe = Recipe(
        str(toy_jsonl[0].parent), 6, Rejected.ONPOLICY, tokens, mix=(_mix(tmp_path),), mix_pairs=3
    )
    cfg = profile("tiny", max_steps=steps, checkpoint_every=0)
    rec = stages.customize("tiny", recipe, 3, cfg, tmp_path / name)
    return tmp_path / name, rec


def _level(toy_jsonl, tmp_path):
    from qadapter import stages
    from tasks import recustomize as R

    parent, _ = _stage(toy_jsonl, tmp_path, "parent", steps=1)
    source = str(toy_jsonl[0].parent)
    cfg = profile("tiny", max_steps=2, checkpoint_every=0)
    pairs = stages.stage_data(source, 5, 0, 1)["train"]
    recipe = Recipe("recustomize", None, "onpolicy", 3, mix=(_mix(tmp_path),), mix_pairs=2)
    out = tmp_path / "level" / "adapter"
    R.train_level(
        "tiny", str(parent), "models:/m/1", pairs, None, cfg, out, recipe, log=lambda line: None
    )
    return out


@pytest.mark.filterwarnings("ignore:Input and output embeddings are no longer tied")
@pytest.mark.parametrize("driver", sorted(PINNED))
def test_each_driver_gives_the_pinned_adapter(driver, toy_jsonl, tmp_path, talkative_tiny):
    if driver == "cli":
        out = _cli(toy_jsonl, tmp_path)
    elif driver == "stage":
        out, _ = _stage(toy_jsonl, tmp_path)
    else:
        out = _level(toy_jsonl, tmp_path)
    got = _digest(out)
    if os.environ.get("QADAPTER_SAVE_RECORDS"):  # how tests/data/records/ were made
        shutil.copy(
            out / "qadapter.json", Path(os.environ["QADAPTER_SAVE_RECORDS"]) / f"{driver}.json"
        )
    assert got == PINNED[driver]
