"""Written adapter weights, checkpoints and published data files follow the umask (0644 under the
usual 022), so a worker running as another user can read them; a private umask keeps them private.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.data.publish import publish_file
from qadapter.filemode import current_umask
from qadapter.models import load_base


def modes(directory):
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in directory.iterdir() if p.is_file()}


@pytest.fixture
def umask():
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask):
        os.umask(mask)
        assert current_umask() == mask

    yield set_mask
    os.umask(old)


@pytest.mark.parametrize("mask, want", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_adapter_files_and_published_data_follow_the_umask(tmp_path, umask, mask, want):
    umask(mask)
    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(lora_r=2, lora_alpha=4, lora_dropout=0.0), seed=0)
    meta = {"alpha0": 1.0, "alpha_tilde": 0.5, "gamma": 0.99}
    out = save_adapter(
        model, tmp_path / "a", {**meta, "base_model": base.name, "base_hash": base.content_hash}
    )
    got = modes(out)
    assert "adapter_model.safetensors" in got and set(got.values()) == {want}, got
    src = tmp_path / "prefs.jsonl"
    src.write_text(json.dumps({"prompt": "a", "chosen": "b", "rejected": "c"}) + "\n")
    published = publish_file(str(src), str(tmp_path / "pub"))
    assert stat.S_IMODE(os.stat(published.uri.removeprefix("file://")).st_mode) == want


def test_checkpoint_files_follow_the_umask(tmp_path, umask):
    import torch

    from qadapter.checkpoint import save_checkpoint

    umask(0o022)
    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(lora_r=2, lora_alpha=4, lora_dropout=0.0), seed=0)
    opt = torch.optim.AdamW(model.trainable_parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
    path = save_checkpoint(tmp_path, 1, model.qnet, opt, sched, keep=2)
    assert set(modes(path).values()) == {0o644}, modes(path)
