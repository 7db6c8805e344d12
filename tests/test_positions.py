"""A left-padded row gives what the same row gives alone, on every padded full-sequence path.

The models number positions 0..L-1 whatever the attention mask, so without position ids a row
left-padded by p tokens is rotated as if it started at position p. RoPE is relative, so the
results differ only by rounding of the (float32) rotary tables: ~1e-5 in float32, ~1e-7 even in
float64. With positions counted over real tokens (``data.tokenize.position_ids``) the padded row
agrees with the row alone to float64 rounding (~1e-15): the tests below ask for 1e-12, on whole
tensors, in float64, and fail without the position ids.
"""

import pytest
import torch
from torch.testing import assert_close

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.data.tokenize import encode_prompt, left_pad, position_ids
from qadapter.decode import CustomizedDecoder
from qadapter.evaluate.scoring import Policy
from qadapter.models import load_base
from qadapter.stack import Stack

PROMPTS = ["Thanks!", "How do I bake bread in a cold kitchen?", "Capital of France?"]
TIGHT = dict(atol=1e-12, rtol=1e-12)


def test_position_ids_count_real_tokens_only():
    mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    expected = torch.tensor([[0, 0, 0, 1, 2], [0, 1, 2, 3, 4], [0, 1, 2, 2, 2]])
    assert torch.equal(position_ids(mask), expected)


@pytest.fixture
def base():
    """A fresh tiny base per test (building a QAdapter wraps its weights in place)."""
    return load_base("tiny", dtype=torch.float64)


@pytest.fixture
def batch(base):
    rows = [encode_prompt(base.tokenizer, [{"role": "user", "content": p}]) for p in PROMPTS]
    ids, mask = left_pad(rows, base.tokenizer.pad_token_id)
    assert len({len(r) for r in rows}) == len(rows)  # every row but the longest is padded
    return rows, ids, mask


def adapter(base, tmp_path, name: str, parent=None, head="residual", seed=0):
    """A randomly initialised (far from zero) LoRA adapter saved under ``tmp_path/name``."""
    cfg = AdapterConfig(head=head, lora_r=4, lora_alpha=8, lora_dropout=0.0)
    model = QAdapter(base.model, cfg, parent=parent, seed=seed)
    g = torch.Generator().manual_seed(100 + seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.3)
    meta = {"alpha0": 0.7, "alpha_tilde": 0.5, "gamma": 0.9}
    out = tmp_path / name
    save_adapter(model, out, {**meta, "base_model": base.name, "base_hash": base.content_hash})
    return model, out


def each_row_alone(fn, rows, ids, mask):
    """fn on the padded batch, row by row against fn on that row alone, (1, n, ...) each."""
    padded = fn(ids, mask)
    for i, row in enumerate(rows):
        alone = fn(torch.tensor([row]), torch.ones(1, len(row), dtype=torch.long))
        yield padded[i : i + 1, ids.shape[1] - len(row) :], alone


def test_full_outputs_of_a_padded_row_equal_the_row_alone(base, batch, tmp_path):
    model, _ = adapter(base, tmp_path, "one")
    model.eval()
    for k in range(2):  # Q, then log pi1
        fn = lambda i, m: model.full_outputs(i, m)[k]  # noqa: E731
        for padded, alone in each_row_alone(fn, *batch):
            assert padded.dtype == torch.float64
            assert_close(padded, alone, **TIGHT)


def test_stack_and_stacked_full_outputs_of_a_padded_row_equal_the_row_alone(base, batch, tmp_path):
    _, first = adapter(load_base("tiny", dtype=torch.float64), tmp_path, "level1")
    stack1 = Stack.load(first, base.model, base.content_hash)
    top, second = adapter(base, tmp_path, "level2", parent=stack1, head="logits", seed=1)
    fresh = load_base("tiny", dtype=torch.float64)
    stack = Stack.load(second, fresh.model, fresh.content_hash)
    for padded, alone in each_row_alone(stack.logprobs, *batch):
        assert_close(padded, alone, **TIGHT)
    for k in range(2):  # the level-2 adapter reads log pi^(1) through the stack below
        fn = lambda i, m: top.full_outputs(i, m)[k]  # noqa: E731
        for padded, alone in each_row_alone(fn, *batch):
            assert_close(padded, alone, **TIGHT)


def test_policy_logprobs_of_a_padded_row_equal_the_row_alone(base, batch, tmp_path):
    _, directory = adapter(load_base("tiny", dtype=torch.float64), tmp_path, "scored")
    for policy in (Policy(base), Policy(base, directory)):
        for padded, alone in each_row_alone(policy.logprobs, *batch):
            assert_close(padded, alone, **TIGHT)


def test_dual_decoder_scoring_of_a_padded_row_equals_the_row_alone(base, batch, tmp_path):
    _, directory = adapter(load_base("tiny", dtype=torch.float64), tmp_path, "dual")
    dec = CustomizedDecoder.from_adapter(directory, base, alpha0=0.7, alpha_tilde=0.5)
    assert dec.rows is not None  # the row-group (dual) path

    def fn(ids, mask):
        from transformers import DynamicCache

        return dec.extend_logprobs(DynamicCache(), ids, mask, position_ids(mask))

    for padded, alone in each_row_alone(fn, *batch):
        assert_close(padded, alone, **TIGHT)
