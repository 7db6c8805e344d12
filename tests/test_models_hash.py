"""A directory base's content hash follows its weights, never a stale hash file next to them."""

from __future__ import annotations

import os

import pytest

from qadapter import models
from qadapter.models import (
    HASH_FILE,
    content_hash,
    files_hash,
    load_base,
    tiny_model,
    tiny_tokenizer,
)


@pytest.fixture
def base_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    directory = tmp_path / "base"
    tiny_model(seed=3).save_pretrained(directory, safe_serialization=True)
    tiny_tokenizer().save_pretrained(directory)
    (directory / HASH_FILE).write_text(files_hash(directory) + "\n")
    return directory


def _weights(directory):
    (path,) = directory.glob("*.safetensors")
    return path


def _rewrite_in_place(path, keep_mtime=False):
    """Flip the last 4 bytes (tensor data, not the header): same size, same inode."""
    st = path.stat()
    with open(path, "r+b") as f:
        f.seek(-4, os.SEEK_END)
        tail = f.read(4)
        f.seek(-4, os.SEEK_END)
        f.write(bytes(b ^ 0x5A for b in tail))
    if keep_mtime:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_ino == st.st_ino


def test_changed_weights_with_the_old_hash_file_get_the_new_hash(base_dir):
    old = load_base(str(base_dir)).content_hash
    assert old == (base_dir / HASH_FILE).read_text().strip()
    _rewrite_in_place(_weights(base_dir))
    new = load_base(str(base_dir)).content_hash
    assert new != old and new == files_hash(base_dir)
    assert (base_dir / HASH_FILE).read_text().strip() == old  # the stale file was ignored


def test_cached_hash_is_reused_until_any_weight_file_changes(base_dir, monkeypatch):
    calls = []
    real = models.files_hash
    monkeypatch.setattr(models, "files_hash", lambda d, **kw: calls.append(d) or real(d, **kw))
    first = content_hash(base_dir)
    assert content_hash(base_dir) == first and len(calls) == 1  # second call: from the cache
    # Same size and mtime, new inode (a file replaced by another): recomputed.
    weights = _weights(base_dir)
    st = weights.stat()
    replacement = base_dir / "replacement.tmp"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    replacement.write_bytes(bytes(data))
    os.utime(replacement, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(replacement, weights)
    assert weights.stat().st_ino != st.st_ino
    assert content_hash(base_dir) == real(base_dir) != first and len(calls) == 2


def test_verify_rereads_even_when_size_mtime_and_inode_match(base_dir):
    old = content_hash(base_dir)
    _rewrite_in_place(_weights(base_dir), keep_mtime=True)
    assert content_hash(base_dir) == old  # what the stat key cannot see
    new = load_base(str(base_dir), verify=True).content_hash
    assert new != old and new == files_hash(base_dir)
    assert content_hash(base_dir) == new  # verify refreshed the cache


def test_a_directory_without_safetensors_is_a_model_error(tmp_path):
    with pytest.raises(models.ModelError, match="no \\*.safetensors files"):
        content_hash(tmp_path)
