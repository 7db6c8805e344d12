"""LoRA on the top k decoder layers (``lora_layers``) and the decoder's shared prefix.

Below the lowest LoRA layer the base and adapter streams compute the same hidden states, so the
row-group network (``qadapter.dual``) runs those layers once. The references: the same network
without sharing (every layer on every row, as before the change) and eq. 6 written out from two
separate full forwards (PEFT on a fresh base), all in float64 on the 2-layer tiny model.
"""

import json

import pytest
import torch
from peft import PeftModel
from safetensors.torch import load_file
from torch.testing import assert_close
from transformers import DynamicCache

from qadapter.adapter import AdapterConfig, AdapterError, QAdapter, save_adapter
from qadapter.config import TrainConfig
from qadapter.data.tokenize import encode_prompt, left_pad, position_ids
from qadapter.decode import CustomizedDecoder, SamplingConfig
from qadapter.dual import SharedPrefixLayer, build_groups
from qadapter.models import load_base
from qadapter.stack import Stack

PROMPTS = ["Thanks!", "How do I bake bread in a cold kitchen?", "Capital of France?"]
TIGHT = dict(atol=1e-12, rtol=1e-12)
A0, AT = 0.7, 0.5


def tiny():
    return load_base("tiny", dtype=torch.float64)


def adapter(directory, lora_layers: int, *, parent_dir=None, seed=0):
    """A residual-head adapter with random LoRA factors far from zero, saved to ``directory``."""
    base = tiny()
    parent = Stack.load(parent_dir, base.model, base.content_hash) if parent_dir else None
    cfg = AdapterConfig(lora_r=4, lora_alpha=8, lora_dropout=0.0, lora_layers=lora_layers)
    model = QAdapter(base.model, cfg, parent=parent, seed=seed)
    g = torch.Generator().manual_seed(100 + seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.3)
    meta = {"alpha0": A0, "alpha_tilde": AT, "gamma": 0.9}
    save_adapter(
        model, directory, {**meta, "base_model": base.name, "base_hash": base.content_hash}
    )
    return model, directory


def batch(tok):
    rows = [encode_prompt(tok, [{"role": "user", "content": p}]) for p in PROMPTS]
    return left_pad(rows, tok.pad_token_id)


def unshared_decoder(directory, base) -> CustomizedDecoder:
    """The row-group decoder without a shared prefix: every layer runs on every row."""
    shared = CustomizedDecoder.from_adapter(directory, base)
    lm, groups = build_groups(base.model, [str(directory)], shared_prefix=False)
    assert groups.shared == 0
    return CustomizedDecoder(
        q_net=lm,
        rows=groups,
        levels=shared.levels,
        method=shared.method,
        eos_token_ids=shared.eos.tolist(),
        pad_token_id=shared.pad_token_id,
    )


def score(dec, ids, mask) -> torch.Tensor:
    return dec.extend_logprobs(DynamicCache(), ids, mask, position_ids(mask))


def test_top_k_lora_is_recorded_and_on_the_top_layers_only(tmp_path):
    model, d = adapter(tmp_path / "top1", 1)
    names = [n for n, p in model.qnet.named_parameters() if "lora_" in n]
    assert names and all(".layers.1." in n for n in names)
    assert json.loads((d / "qadapter.json").read_text())["adapter"]["lora_layers"] == 1
    assert json.loads((d / "adapter_config.json").read_text())["layers_to_transform"] == [1]
    assert TrainConfig(lora_layers=1).adapter.lora_layers == 1
    assert TrainConfig.from_dict(TrainConfig(lora_layers=1).to_dict()).lora_layers == 1
    with pytest.raises(AdapterError, match="lora_layers=3, but the base has 2 decoder layers"):
        adapter(tmp_path / "too-many", 3)


def test_shared_prefix_equals_the_unshared_network_and_eq6_by_hand(tmp_path):
    _, d = adapter(tmp_path / "top1", 1)
    base = tiny()
    ids, mask = batch(base.tokenizer)
    dec = CustomizedDecoder.from_adapter(d, base)
    assert dec.mode == "dual" and dec.rows.shared == 1
    layers = dec.q_net.get_decoder().layers
    assert isinstance(layers[0], SharedPrefixLayer) and not isinstance(layers[1], SharedPrefixLayer)
    got = score(dec, ids, mask)  # (B, L, V) log pi~, eq. 6
    assert got.dtype == torch.float64
    assert_close(got, score(unshared_decoder(d, base), ids, mask), **TIGHT)

    # eq. 6 from two separate full forwards: pi1 and the PEFT network
    pos = position_ids(mask)
    with torch.no_grad():
        f_b = tiny().model(input_ids=ids, attention_mask=mask, position_ids=pos).logits
        net = PeftModel.from_pretrained(tiny().model, str(d)).eval()
        f_q = net(input_ids=ids, attention_mask=mask, position_ids=pos).logits
    z = ((f_q - f_b) + A0 * torch.log_softmax(f_b, -1)) / AT
    real = mask.bool()  # pads differ (their queries see no keys); compare real positions
    assert_close(got[real], torch.log_softmax(z, -1)[real], atol=1e-10, rtol=1e-10)
    assert (got - torch.log_softmax(f_b, -1))[real].abs().max() > 0.5  # the adapter matters


def test_shared_prefix_cache_extends_like_the_whole_sequence_and_decodes_the_same(tmp_path):
    _, d = adapter(tmp_path / "top1", 1)
    base = tiny()
    ids, mask = batch(base.tokenizer)
    dec, ref = CustomizedDecoder.from_adapter(d, base), unshared_decoder(d, base)
    pos, split = position_ids(mask), ids.shape[1] - 3
    cache = DynamicCache()
    first = dec.extend_logprobs(cache, ids[:, :split], mask[:, :split], pos[:, :split])
    rest = dec.extend_logprobs(cache, ids[:, split:], mask, pos[:, split:])
    b = ids.shape[0]  # the shared layer ran (and caches) group 0's rows only
    assert [layer.keys.shape[0] for layer in cache.layers] == [b, 2 * b]
    whole = score(ref, ids, mask)
    real = mask.bool()
    assert_close(torch.cat([first, rest], 1)[real], whole[real], **TIGHT)
    for cfg in (
        SamplingConfig(max_new_tokens=6, greedy=True),
        SamplingConfig(max_new_tokens=6, temperature=1.0, seed=3),
    ):
        assert torch.equal(dec.generate(ids, mask, cfg), ref.generate(ids, mask, cfg))


def test_stack_shares_the_layers_below_every_levels_lora(tmp_path):
    _, d1 = adapter(tmp_path / "l1", 1)
    _, d2 = adapter(tmp_path / "l2", 1, parent_dir=d1, seed=1)
    _, d3 = adapter(tmp_path / "l3", 0, parent_dir=d1, seed=2)  # LoRA on every layer
    base = tiny()
    ids, mask = batch(base.tokenizer)
    for top, shared in ((d2, 1), (d3, 0)):
        stack = Stack.load(top, base.model, base.content_hash)
        assert stack.groups.shared == shared
        lm, groups = build_groups(base.model, [str(d1), str(top)], shared_prefix=False)
        plain = Stack(base.model, stack.levels, lm, groups)
        assert_close(stack.logprobs(ids, mask), plain.logprobs(ids, mask), **TIGHT)


def test_lora_on_all_layers_is_bit_identical_to_before(tmp_path):
    _, every = adapter(tmp_path / "all", 0)
    _, top_all = adapter(tmp_path / "top2", 2)  # k = L: the same configuration
    a, b = (
        load_file(str(every / "adapter_model.safetensors")),
        load_file(str(top_all / "adapter_model.safetensors")),
    )
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert json.loads((top_all / "adapter_config.json").read_text())["layers_to_transform"] is None
    base = tiny()
    ids, mask = batch(base.tokenizer)
    dec = CustomizedDecoder.from_adapter(top_all, base)
    assert dec.rows.shared == 0
    assert not any(isinstance(m, SharedPrefixLayer) for m in dec.q_net.modules())
    assert torch.equal(score(dec, ids, mask), score(unshared_decoder(every, base), ids, mask))
