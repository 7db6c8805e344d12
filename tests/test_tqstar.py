"""Transfer Q* decoding against a brute-force recomputation with plain loops and no KV cache."""

import math

import pytest
import torch
from torch.testing import assert_close

from qadapter.data.tokenize import encode_prompt, left_pad
from qadapter.models import load_base
from qadapter.tqstar import TQStarConfig, TransferQStar, candidate_scores, choose

PROMPTS = ["How do I bake bread?", "What is the capital of France?", "Thanks!"]


def messages(p):
    return [{"role": "user", "content": p}]


def count_reward(marker):
    """Toy target reward: how often ``marker`` occurs in the response text."""

    calls = []

    def score(prompts, responses):
        assert len(prompts) == len(responses)
        assert all(isinstance(m, list) and m[-1]["role"] == "user" for m in prompts)
        calls.append(len(responses))
        return [float(r.count(marker)) for r in responses]

    score.calls = calls
    return score


def next_logprobs(model, ids):
    """log pi1(.|ids) from a full forward without cache.   list[int] -> (V,)"""
    with torch.no_grad():
        return torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0, -1].float(), dim=-1)


def text_of(tok, ids, eos):
    cut = next((i for i, t in enumerate(ids) if t in eos), len(ids))
    return tok.decode(ids[:cut], skip_special_tokens=True)


def brute_force(base, prompt, score, eos, *, k, rollout, alpha, steps):
    """Transfer Q* for one prompt, step by step, with explicit loops; returns (tokens, trace)."""
    model, tok = base.model, base.tokenizer
    prompt_ids = encode_prompt(tok, messages(prompt))
    accepted, trace = [], []
    for _ in range(steps):
        lp = next_logprobs(model, prompt_ids + accepted)
        top = sorted(range(lp.shape[0]), key=lambda v: -lp[v].item())[:k]
        rewards = []
        for c in top:
            cont = []
            if c not in eos:
                for _ in range(rollout):
                    t = int(next_logprobs(model, prompt_ids + accepted + [c] + cont).argmax())
                    cont.append(t)
                    if t in eos:
                        break
            rewards.append(score([messages(prompt)], [text_of(tok, accepted + [c] + cont, eos)])[0])
        totals = [
            lp[c].item() + (0.0 if math.isinf(alpha) else rw / alpha) for c, rw in zip(top, rewards)
        ]
        best = max(range(k), key=lambda j: totals[j])
        trace.append(
            {
                "candidates": top,
                "logp": [lp[c].item() for c in top],
                "rewards": rewards,
                "choice": best,
            }
        )
        accepted.append(top[best])
        if top[best] in eos:
            break
    return accepted, trace


def run_decoder(base, score, eos, cfg):
    dec = TransferQStar(base.model, base.tokenizer, score, eos_token_ids=eos)
    encoded = [encode_prompt(base.tokenizer, messages(p)) for p in PROMPTS]
    ids, mask = left_pad(encoded, base.tokenizer.pad_token_id)
    trace = []
    new = dec.generate(ids, mask, [messages(p) for p in PROMPTS], cfg, trace=trace)
    return new, trace


@pytest.mark.parametrize(
    "k,rollout,alpha,marker,extra_eos",
    [(4, 3, 0.5, "a", False), (3, 0, 0.2, "\ufffd", False), (4, 2, 0.3, "a", True)],
)
def test_steps_equal_brute_force(k, rollout, alpha, marker, extra_eos):
    base = load_base("tiny")
    eos = {base.tokenizer.eos_token_id}
    if extra_eos:  # make EOS frequent: pi1's second choice after the first prompt is an EOS too
        lp = next_logprobs(base.model, encode_prompt(base.tokenizer, messages(PROMPTS[0])))
        eos.add(int(lp.topk(2).indices[1]))
    score = count_reward(marker)
    steps = 5
    new, trace = run_decoder(
        base,
        score,
        eos,
        TQStarConfig(k=k, rollout=rollout, alpha=alpha, max_new_tokens=steps),
    )
    varied, choices = 0, set()
    saw_eos = False
    for b, prompt in enumerate(PROMPTS):
        tokens, ref = brute_force(
            base, prompt, score, eos, k=k, rollout=rollout, alpha=alpha, steps=steps
        )
        assert new[b, : len(tokens)].tolist() == tokens, f"prompt {b}"
        assert all(t == base.tokenizer.pad_token_id for t in new[b, len(tokens) :].tolist())
        for t, step in enumerate(ref):
            got = trace[t]
            assert got["candidates"][b].tolist() == step["candidates"], f"prompt {b} step {t}"
            assert_close(got["logp"][b], torch.tensor(step["logp"]), rtol=0, atol=1e-5)
            assert got["rewards"][b].tolist() == step["rewards"], f"prompt {b} step {t}"
            assert int(got["choice"][b]) == step["choice"]
            varied += len(set(step["rewards"])) > 1
            choices.add(step["choice"] == 0)
            saw_eos |= any(c in eos for c in step["candidates"])
    assert varied >= 3, (
        "the toy reward never separated candidates: the test would not check the choice"
    )
    assert choices == {True, False}, (
        "every step picked the same rank: the reward never (or always) mattered"
    )
    if extra_eos:
        assert saw_eos


def test_alpha_inf_is_pi1_greedy_exactly():
    base = load_base("tiny")
    n = 10
    new, _ = run_decoder(
        base,
        count_reward("a"),
        {base.tokenizer.eos_token_id},
        TQStarConfig(k=3, rollout=2, alpha=math.inf, max_new_tokens=n),
    )
    for b, p in enumerate(PROMPTS):
        ids = torch.tensor([encode_prompt(base.tokenizer, messages(p))])
        with torch.no_grad():
            ref = base.model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=n,
                do_sample=False,
                pad_token_id=base.tokenizer.pad_token_id,
            )
        ref = ref[0, ids.shape[1] :].tolist()
        assert new[b, : len(ref)].tolist() == ref, f"prompt {b}"


def test_reward_flips_the_choice_only_when_it_outweighs_log_pi1():
    base = load_base("tiny")
    prompt = PROMPTS[1]
    lp = next_logprobs(base.model, encode_prompt(base.tokenizer, messages(prompt)))
    top = lp.topk(3)
    first, second = int(top.indices[0]), int(top.indices[1])
    gap = float(top.values[0] - top.values[1])
    marker = base.tokenizer.decode([second])
    assert marker and marker not in base.tokenizer.decode([first])

    def bonus(prompts, responses):  # 1 when the response starts with pi1's second choice
        return [float(r.startswith(marker)) for r in responses]

    dec = TransferQStar.from_base(base, bonus)

    ids, mask = left_pad(
        [encode_prompt(base.tokenizer, messages(prompt))], base.tokenizer.pad_token_id
    )

    def first_token(alpha):
        cfg = TQStarConfig(k=3, rollout=0, alpha=alpha, max_new_tokens=1)
        return int(dec.generate(ids, mask, [messages(prompt)], cfg)[0, 0])

    assert first_token(1.0 / (gap * 1.5)) == second  # reward / alpha = 1.5 gap > gap: flips
    assert first_token(1.0 / (gap * 0.5)) == first  # 0.5 gap < gap: pi1's choice stays
    assert first_token(math.inf) == first


def test_one_reward_call_per_step_with_k_responses_per_live_prompt():
    base = load_base("tiny")
    score = count_reward("a")
    new, trace = run_decoder(
        base,
        score,
        {base.tokenizer.eos_token_id},
        TQStarConfig(k=2, rollout=1, alpha=1.0, max_new_tokens=4),
    )
    assert len(score.calls) == len(trace) == new.shape[1]
    assert score.calls[0] == 2 * len(PROMPTS)


def test_choose_samples_the_softmax_of_totals_over_temperature():
    totals = torch.tensor([[0.0, -1.0, 0.5, -3.0]])
    cfg = TQStarConfig(greedy=False, temperature=2.0)
    gen = torch.Generator().manual_seed(0)
    n = 20000
    counts = torch.bincount(choose(totals.expand(n, 4), cfg, gen), minlength=4)
    expected = torch.softmax(totals[0] / 2.0, dim=-1)
    assert_close(counts / n, expected, rtol=0, atol=0.015)
    assert int(choose(totals, TQStarConfig(), None)) == 2
    assert_close(
        candidate_scores(totals, torch.tensor([[1.0, 2.0, 0.0, 4.0]]), 0.5),
        torch.tensor([[2.0, 3.0, 0.5, 5.0]]),
    )


def test_sampling_is_seeded_and_picks_among_candidates():
    base = load_base("tiny")
    cfg = TQStarConfig(
        k=4,
        rollout=1,
        alpha=0.5,
        max_new_tokens=6,
        greedy=False,
        temperature=2.0,
        seed=3,
    )
    a, trace = run_decoder(base, count_reward("a"), {base.tokenizer.eos_token_id}, cfg)
    b, _ = run_decoder(base, count_reward("a"), {base.tokenizer.eos_token_id}, cfg)
    assert torch.equal(a, b)
    for step, col in zip(trace, a.T):
        picked = step["candidates"].gather(1, step["choice"].unsqueeze(-1)).squeeze(-1)
        assert torch.equal(picked, col)


def test_bad_config_and_bad_reward_say_what_is_wrong():
    with pytest.raises(ValueError, match="alpha must be > 0"):
        TQStarConfig(alpha=0)
    with pytest.raises(ValueError, match=r"k must be in \[1, "):  # ConfigError is a ValueError
        TQStarConfig(k=0)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        TQStarConfig(alpha=-math.inf)
    assert TQStarConfig(alpha=math.inf).alpha == math.inf
    base = load_base("tiny")
    dec = TransferQStar.from_base(base, lambda prompts, responses: [0.0])
    with pytest.raises(ValueError, match="returned 1 scores for 2 responses"):
        dec.generate_text(base.tokenizer, ["Hi"], TQStarConfig(k=2, rollout=1, max_new_tokens=2))
