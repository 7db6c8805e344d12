"""Customized decoding against eq. 6 recomputed from scratch (no cache, unmerged LoRA) each step."""

import copy

import pytest
import torch
from peft import PeftModel
from torch.testing import assert_close

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.config import MethodConfig
from qadapter.data.tokenize import encode_prompt, left_pad
from qadapter.decode import CustomizedDecoder, SamplingConfig, filter_logits, select_tokens
from qadapter.loss import customized_logprobs
from qadapter.models import load_base

PROMPTS = ["How do I bake bread?", "What is the capital of France?", "Thanks!"]


def make_adapter(tmp_path, head="residual", scale=0.3, seed=1, alpha0=1.0, alpha_tilde=0.5):
    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(head=head, lora_r=4, lora_alpha=8))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn(p.shape, generator=g) * scale)
    out = tmp_path / f"adapter-{head}"
    save_adapter(
        model,
        out,
        {
            "alpha0": alpha0,
            "alpha_tilde": alpha_tilde,
            "gamma": 0.99,
            "base_model": base.name,
            "base_hash": base.content_hash,
        },
    )
    model.qnet.unload()
    return load_base("tiny"), out


def reference_next_logprobs(base, adapter_dir, head, ids, alpha0, alpha_tilde):
    """log pi~(.|ids) at the last position, from full forwards without any cache."""
    peft = PeftModel.from_pretrained(copy.deepcopy(base.model), str(adapter_dir)).eval()
    with torch.no_grad():
        f_b = base.model(input_ids=ids).logits[:, -1].double()
        f_q = peft(input_ids=ids).logits[:, -1].double()
    q = f_q - f_b if head == "residual" else f_q
    return customized_logprobs(
        q, torch.log_softmax(f_b, -1), alpha0=alpha0, alpha_tilde=alpha_tilde
    )


@pytest.mark.parametrize(
    "head,alpha0,mode",
    [
        ("residual", 0.5, "dual"),
        ("logits", 1.0, "dual"),
        ("residual", 1.0, "single"),
        ("residual", 2.0, "dual"),
    ],
)
def test_greedy_equals_argmax_of_eq6_recomputed_from_scratch(tmp_path, head, alpha0, mode):
    base, adapter = make_adapter(tmp_path, head=head)
    dec = CustomizedDecoder.from_adapter(adapter, base, alpha0=alpha0, alpha_tilde=0.5)
    assert dec.mode == mode
    prompt = torch.tensor(
        [encode_prompt(base.tokenizer, [{"role": "user", "content": PROMPTS[0]}])]
    )
    new = dec.generate(
        prompt, torch.ones_like(prompt), SamplingConfig(max_new_tokens=12, greedy=True)
    )
    assert new.shape[1] >= 3
    seq = prompt
    for t in range(new.shape[1]):
        ref = reference_next_logprobs(base, adapter, head, seq, alpha0, 0.5)
        top2 = ref.topk(2, dim=-1).values[0]
        assert top2[0] - top2[1] > 1e-6, "near-tie: the test would be fragile"
        assert new[0, t].item() == ref.argmax(-1).item(), f"step {t}"
        seq = torch.cat([seq, new[:, t : t + 1]], dim=1)


def test_pair_mode_equals_dual_mode_logits(tmp_path):
    base, adapter = make_adapter(tmp_path, head="residual")
    dual = CustomizedDecoder.from_adapter(adapter, base, alpha0=0.7, alpha_tilde=0.5)
    merged = PeftModel.from_pretrained(copy.deepcopy(base.model), str(adapter)).merge_and_unload()
    pair = CustomizedDecoder(
        q_net=merged,
        base_net=base.model,
        method=MethodConfig(head="residual", alpha0=0.7, alpha_tilde=0.5),
        eos_token_ids=dual.eos.tolist(),
        pad_token_id=base.tokenizer.pad_token_id,
    )
    assert pair.mode == "pair"
    ids, mask = left_pad(
        [encode_prompt(base.tokenizer, [{"role": "user", "content": p}]) for p in PROMPTS],
        base.tokenizer.pad_token_id,
    )
    cfg = SamplingConfig(max_new_tokens=10, greedy=True)
    assert torch.equal(dual.generate(ids, mask, cfg), pair.generate(ids, mask, cfg))


def test_batched_left_padded_equals_one_by_one(tmp_path):
    base, adapter = make_adapter(tmp_path, head="logits")
    dec = CustomizedDecoder.from_adapter(adapter, base, alpha0=0.5, alpha_tilde=0.5)
    encoded = [encode_prompt(base.tokenizer, [{"role": "user", "content": p}]) for p in PROMPTS]
    assert len({len(e) for e in encoded}) > 1  # padding really happens
    ids, mask = left_pad(encoded, base.tokenizer.pad_token_id)
    cfg = SamplingConfig(max_new_tokens=10, greedy=True)
    batched = dec.generate(ids, mask, cfg)
    for i, e in enumerate(encoded):
        single = dec.generate(torch.tensor([e]), torch.ones(1, len(e), dtype=torch.long), cfg)[0]
        row = batched[i, : single.shape[0]]
        assert torch.equal(row, single), f"prompt {i}"


def test_untrained_residual_adapter_with_alpha0_equal_alpha_tilde_is_the_base_policy(tmp_path):
    """Q = 0 at init, so pi~ = pi1 when alpha0 = alpha_tilde: the customized decoder must then agree
    with the base model's own generate (the reference code samples from Q alone and cannot)."""
    base, adapter = make_adapter(tmp_path, head="residual", scale=0.0)
    dec = CustomizedDecoder.from_adapter(adapter, base, alpha0=0.3, alpha_tilde=0.3)
    assert dec.mode == "dual"
    ids = torch.tensor([encode_prompt(base.tokenizer, [{"role": "user", "content": PROMPTS[1]}])])
    ours = dec.generate(ids, torch.ones_like(ids), SamplingConfig(max_new_tokens=8, greedy=True))
    with torch.no_grad():
        theirs = base.model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=ours.shape[1],
            do_sample=False,
            eos_token_id=None,
            pad_token_id=0,
        )
    assert torch.equal(ours[0], theirs[0, ids.shape[1] :])


def test_alpha0_and_alpha_tilde_change_the_distribution(tmp_path):
    base, adapter = make_adapter(tmp_path, head="residual")
    ids = torch.tensor([encode_prompt(base.tokenizer, [{"role": "user", "content": PROMPTS[0]}])])
    lp = {}
    for a0, at in [(0.5, 0.5), (2.0, 0.5), (0.5, 2.0), (1.0, 0.5)]:
        dec = CustomizedDecoder.from_adapter(adapter, base, alpha0=a0, alpha_tilde=at)
        assert dec.mode == ("single" if a0 == 1.0 else "dual")
        with torch.no_grad():
            b, q = dec._step_logits(
                [__import__("transformers").DynamicCache()],
                ids,
                torch.arange(ids.shape[1])[None],
                torch.ones_like(ids),
            )
        lp[(a0, at)] = torch.log_softmax(dec.customized(b, q), -1)
        assert_close(
            lp[(a0, at)],
            reference_next_logprobs(base, adapter, "residual", ids, a0, at).float(),
            atol=1e-4,
            rtol=1e-4,
        )
    assert not torch.allclose(lp[(0.5, 0.5)], lp[(2.0, 0.5)], atol=1e-3)
    assert not torch.allclose(lp[(0.5, 0.5)], lp[(0.5, 2.0)], atol=1e-3)


def test_seeded_sampling_is_reproducible_and_differs_across_seeds(tmp_path):
    base, adapter = make_adapter(tmp_path)
    dec = CustomizedDecoder.from_adapter(adapter, base, alpha0=0.5, alpha_tilde=2.0)
    ids = torch.tensor([encode_prompt(base.tokenizer, [{"role": "user", "content": PROMPTS[0]}])])

    def run(s):
        return dec.generate(ids, torch.ones_like(ids), SamplingConfig(max_new_tokens=16, seed=s))

    assert torch.equal(run(3), run(3))
    assert any(not torch.equal(run(3), run(s)) for s in (4, 5, 6))


def test_filter_logits_top_k_and_top_p():
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]]))
    k2 = filter_logits(logits, top_k=2)
    assert torch.isfinite(k2).tolist() == [[True, True, False, False]]
    p = filter_logits(logits, top_p=0.8)  # 0.5 + 0.3 reaches 0.8: keep exactly two
    assert torch.isfinite(p).tolist() == [[True, True, False, False]]
    p = filter_logits(logits, top_p=0.81)
    assert torch.isfinite(p).tolist() == [[True, True, True, False]]
    shuffled = logits[:, [2, 0, 3, 1]]
    assert torch.isfinite(filter_logits(shuffled, top_p=0.8)).tolist() == [
        [False, True, False, True]
    ]
    g = torch.Generator().manual_seed(0)
    draws = {select_tokens(logits, SamplingConfig(top_k=2), g).item() for _ in range(200)}
    assert draws == {0, 1}


def test_mean_kl_is_zero_at_identity_and_grows_with_the_adapter(tmp_path):
    from qadapter.adapter import load_adapter
    from qadapter.config import profile
    from qadapter.data.pairs import PreferencePair
    from qadapter.evaluate.preference import mean_kl

    pairs = [PreferencePair(({"role": "user", "content": p},), "Yes.", "No.") for p in PROMPTS]
    cfg = profile("tiny", alpha0=0.5, alpha_tilde=0.5)
    base, zero = make_adapter(tmp_path, scale=0.0)
    model, _ = load_adapter(zero, base.model, base.content_hash)
    assert mean_kl(model, base.tokenizer, pairs, cfg)["kl_mean"] == pytest.approx(0.0, abs=1e-6)
    base, moved = make_adapter(tmp_path / "m", scale=0.3)
    model, _ = load_adapter(moved, base.model, base.content_hash)
    out = mean_kl(model, base.tokenizer, pairs, cfg)
    from qadapter.data.tokenize import encode_response

    per_pair = len(encode_response(base.tokenizer, "Yes.")) + len(
        encode_response(base.tokenizer, "No.")
    )
    assert out["kl_mean"] > 1e-3 and out["kl_states"] == len(pairs) * per_pair
