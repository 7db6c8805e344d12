"""The SFT, DPO and RL baselines on the tiny model: each moves the quantity it optimizes."""

import json

import pytest
import torch

from qadapter.baselines import (
    RLBaselineConfig,
    SFTBaselineConfig,
    train_baseline,
)
from qadapter.baselines.rl import prompt_rows, trl_reward
from qadapter.baselines.sft import check_completion_only, sft_rows
from qadapter.data.tokenize import encode_prompt, encode_response
from qadapter.dpo import DPOStageConfig
from qadapter.errors import QAdapterError
from qadapter.models import load_base, state_dict_hash


def response_logprobs(model, tok, pairs, which):
    """Per pair, log pi(response + EOS | prompt) per token, by an explicit loop."""
    out = []
    with torch.no_grad():
        for p in pairs:
            prompt = encode_prompt(tok, p.prompt)
            resp = encode_response(tok, getattr(p, which))
            ids = torch.tensor([prompt + resp])
            logp = torch.log_softmax(model(input_ids=ids).logits[0].float(), dim=-1)
            out.append([logp[len(prompt) - 1 + i, t].item() for i, t in enumerate(resp)])
    return out


def mean_token_loglik(model, tok, pairs, which):
    rows = response_logprobs(model, tok, pairs, which)
    return sum(sum(r) for r in rows) / sum(len(r) for r in rows)


def implicit_margins(policy, ref, tok, pairs):
    """(log pi(c) - log ref(c)) - (log pi(r) - log ref(r)) per pair (DPO's reward margin / beta)."""
    s = lambda m, w: [sum(r) for r in response_logprobs(m, tok, pairs, w)]  # noqa: E731
    pc, pr, rc, rr = (
        s(policy, "chosen"),
        s(policy, "rejected"),
        s(ref, "chosen"),
        s(ref, "rejected"),
    )
    return [(a - c) - (b - d) for a, b, c, d in zip(pc, pr, rc, rr)]


def test_sft_rows_mask_exactly_the_chosen_response_and_eos(toy_pairs):
    tok = load_base("tiny").tokenizer
    pairs = toy_pairs
    rows, truncated = sft_rows(tok, pairs, max_length=96, max_prompt_length=None)
    assert truncated == 0 and len(rows) == len(pairs)
    for row, p in zip(rows, pairs):
        prompt = encode_prompt(tok, p.prompt)
        assert row["input_ids"][: len(prompt)] == prompt
        done = [t for t, m in zip(row["input_ids"], row["completion_mask"]) if m]
        assert done == encode_response(tok, p.chosen)
        assert row["completion_mask"] == [0] * len(prompt) + [1] * len(done)
    rows, truncated = sft_rows(tok, pairs, max_length=16, max_prompt_length=8)
    assert truncated == len(pairs) and all(
        len(r["input_ids"]) <= 16 and sum(r["completion_mask"]) >= 1 for r in rows
    )


def test_completion_only_check_catches_unmasked_prompts():
    row = {"input_ids": [5, 6, 7, 8], "completion_mask": [0, 0, 1, 1]}
    check_completion_only({"labels": [-100, -100, 7, 8]}, row)
    with pytest.raises(RuntimeError, match="do not mask exactly the prompt"):
        check_completion_only({"labels": [5, 6, 7, 8]}, row)


@pytest.mark.slow  # ~20 s wall on the shared 2-core machine (trainer setup dominates)
def test_sft_raises_the_loglik_of_chosen_responses(tmp_path, toy_pairs):
    base = load_base("tiny")
    before_hash = state_dict_hash(base.model)
    pairs = toy_pairs
    before = mean_token_loglik(base.model, base.tokenizer, pairs, "chosen")
    cfg = SFTBaselineConfig(lr=1e-2, batch_size=4, micro_batch_size=2, max_length=96, max_steps=6)
    out = train_baseline("sft", base, pairs, tmp_path / "sft", cfg)
    assert state_dict_hash(base.model) == before_hash, "training must not touch the caller's pi1"
    assert out["steps"] == 6 and out["metrics"]["pairs"] == len(pairs)
    trained = load_base(out["path"])
    assert trained.content_hash == out["content_hash"]
    after = mean_token_loglik(trained.model, trained.tokenizer, pairs, "chosen")
    assert after > before + 1.0, (before, after)
    meta = json.loads((tmp_path / "sft" / "model" / "qadapter-baseline.json").read_text())
    assert meta["stage"] == "sft" and meta["parent_hash"] == base.content_hash


@pytest.mark.slow  # ~25 s wall on the shared 2-core machine
def test_dpo_raises_the_implicit_reward_margin(tmp_path, toy_pairs):
    base = load_base("tiny")
    before_hash = state_dict_hash(base.model)
    pairs = toy_pairs
    cfg = DPOStageConfig(
        lr=5e-3,
        batch_size=4,
        micro_batch_size=2,
        max_length=96,
        max_steps=6,
        save_steps=100,
    )
    out = train_baseline("dpo", base, pairs, tmp_path / "dpo", cfg)
    assert state_dict_hash(base.model) == before_hash, (
        "align_base merges in place: the baseline must use a copy"
    )
    trained = load_base(out["path"])
    margins = implicit_margins(trained.model, base.model, base.tokenizer, pairs)
    # pi1 itself has margin 0 on every pair; DPO must make most pairs' margin positive
    assert sum(margins) / len(margins) > 1.0, margins
    assert sum(m > 0 for m in margins) >= 0.75 * len(margins)


def starts_with_letter(prompts, responses):
    """Toy reward the tiny model learns in a few steps: does the response start with a letter?"""
    return [float(r[:1].isalpha()) for r in responses]


def expected_one_token_reward(model, tok, prompts):
    """E_{y ~ pi(.|x)} of the toy reward of a one-token response, exactly (a vocab sum)."""
    reward = torch.tensor(starts_with_letter(None, [tok.decode([v]) for v in range(len(tok))]))
    total = 0.0
    with torch.no_grad():
        for msgs in prompts:
            logits = model(input_ids=torch.tensor([encode_prompt(tok, msgs)])).logits[0, -1].float()
            total += (torch.softmax(logits, dim=-1) * reward).sum().item()
    return total / len(prompts)


def test_rl_raises_the_mean_reward_of_sampled_completions(tmp_path, toy_pairs):
    base = load_base("tiny")
    prompts = [list(p.prompt) for p in toy_pairs]
    before = expected_one_token_reward(base.model, base.tokenizer, prompts)
    cfg = RLBaselineConfig(
        lr=1e-2,
        beta=0.05,
        num_generations=8,
        prompts_per_step=2,
        micro_batch_size=8,
        max_completion_length=1,
        max_steps=8,
    )
    out = train_baseline("rl", base, toy_pairs, tmp_path / "rl", cfg, reward=starts_with_letter)
    trained = load_base(out["path"])
    after = expected_one_token_reward(trained.model, trained.tokenizer, prompts)
    assert after > before + 0.05, (before, after)
    assert out["metrics"]["prompts"] == len(toy_pairs) and out["metrics"]["duplicate_prompts"] == 0
    meta = json.loads((tmp_path / "rl" / "model" / "qadapter-baseline.json").read_text())
    assert meta["algorithm"] == "RLOO" and meta["rl"]["beta"] == 0.05


def test_prompt_rows_merge_duplicates_and_cut_long_prompts(toy_pairs):
    tok = load_base("tiny").tokenizer
    pairs = toy_pairs
    rows, dup, cut = prompt_rows(tok, pairs + pairs[:3], max_prompt_length=10_000)
    assert (len(rows), dup, cut) == (len(pairs), 3, 0)
    assert rows[0]["prompt"] == list(pairs[0].prompt)
    rows, dup, cut = prompt_rows(tok, pairs, max_prompt_length=5)
    assert cut == len(pairs) and rows[0]["prompt"] == list(pairs[0].prompt[-1:])


def test_trl_reward_adapter_passes_messages_and_texts():
    seen = {}

    def score(prompts, responses):
        seen["p"], seen["r"] = prompts, responses
        return [len(r) for r in responses]

    fn = trl_reward(score)
    got = fn(
        prompts=[[{"role": "user", "content": "hi"}]],
        completions=[[{"role": "assistant", "content": "abc"}]],
        completion_ids=[[1]],
    )
    assert (
        got == [3.0] and seen["p"] == [[{"role": "user", "content": "hi"}]] and seen["r"] == ["abc"]
    )
    assert fn.__name__ == "score"
    with pytest.raises(ValueError, match="returned 0 scores for 1 completions"):
        trl_reward(lambda p, r: [])(prompts=["x"], completions=["y"])


def test_train_baseline_rejects_bad_names_configs_and_rewards(tmp_path, toy_pairs):
    base = load_base("tiny")
    with pytest.raises(ValueError, match="Transfer Q\\* is a decoder"):
        train_baseline("tqstar", base, toy_pairs, tmp_path)
    with pytest.raises(ValueError, match="takes a SFTBaselineConfig"):
        train_baseline("sft", base, toy_pairs, tmp_path, RLBaselineConfig())
    with pytest.raises(ValueError, match="pass reward="):
        train_baseline("rl", base, toy_pairs, tmp_path)
    with pytest.raises(ValueError, match="takes no reward"):
        train_baseline("dpo", base, toy_pairs, tmp_path, reward=starts_with_letter)
    with pytest.raises(ValueError, match="differs from Q-Adapter's"):
        train_baseline("dpo", base, toy_pairs, tmp_path, DPOStageConfig(lora_r=8))


def test_missing_trl_is_one_line_saying_what_to_install(monkeypatch, tmp_path, toy_pairs):
    import sys

    monkeypatch.setitem(sys.modules, "trl", None)  # import trl -> ImportError
    with pytest.raises(
        QAdapterError, match=r"need TRL, which is not installed; pip install 'qadapter\[dpo\]'"
    ):
        train_baseline("sft", load_base("tiny"), toy_pairs, tmp_path)
