"""Fixtures for the evaluation tests: the tiny base and random-LoRA adapters saved to tmp."""

import pytest
import torch

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.models import load_base


def make_adapter(directory, *, head="residual", scale=0.3, seed=1, alpha0=0.7, alpha_tilde=0.6):
    """A tiny-base adapter with random LoRA weights (scale 0: both LoRA factors zero, Q = 0 for
    the residual head). Returns the directory; the base used to build it is discarded."""
    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(head=head, lora_r=4, lora_alpha=8))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            if scale == 0:
                p.zero_()
            else:
                p.add_(torch.randn(p.shape, generator=g) * scale)
    meta = {
        "alpha0": alpha0,
        "alpha_tilde": alpha_tilde,
        "gamma": 0.99,
        "base_model": base.name,
        "base_hash": base.content_hash,
    }
    return save_adapter(model, directory, meta)


@pytest.fixture
def tiny_base():
    return load_base("tiny")


@pytest.fixture(scope="module")
def random_adapter(tmp_path_factory):
    return make_adapter(tmp_path_factory.mktemp("adapters") / "random")


@pytest.fixture(scope="module")
def identity_adapter(tmp_path_factory):
    """Q = 0 (residual head, zero LoRA) and alpha0 == alpha_tilde: pi~ == pi1 exactly."""
    return make_adapter(
        tmp_path_factory.mktemp("adapters") / "identity", scale=0.0, alpha0=0.8, alpha_tilde=0.8
    )


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models run fastest on one thread; on this shared 2-core machine two threads made a
    tiny forward ~700x slower (0.6 s instead of 0.8 ms) under load. Restored after each test."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def adapter_maker():
    """:func:`make_adapter` itself, for tests that need an adapter of their own settings."""
    return make_adapter
