"""The telescoping identity behind issue 14: the Q-Adapter loss on sums is DPO on pi~.

For one response a_1..a_T after the prompt state s_0 (here: position p-1, the last prompt token)
and the implied rewards r_t = Q(s_t, a_t) - gamma V(s_{t+1}) of eq. 9 (V of the terminal state
s_{T+1} = 0), with Q(s, a) = alpha_tilde log pi~(a|s) + V(s) - alpha0 log pi1(a|s) (eq. 6):

    sum_t r_t = V(s_0) + sum_t [alpha_tilde log pi~(a_t|s_t) - alpha0 log pi1(a_t|s_t)]
                + (1 - gamma) sum_{t >= 1} V(s_t)

With gamma = 1 the last term vanishes; V(s_0) is shared by chosen and rejected (same prompt), so
the Bradley-Terry margin on sums is DPO's margin on pi~ with beta = alpha_tilde against the
(unnormalised) reference pi1^(alpha0 / alpha_tilde). With gamma < 1 the margin also carries
(1 - gamma) times the difference of the summed soft values along both responses: a
length-dependent term (at initialisation V <= 0 when alpha0 >= alpha_tilde).

The right-hand sides are computed here with explicit loops over rows and positions, from
log-softmaxes of single vectors, and compared on whole tensors with both training paths (the
pure ``qadapter.loss.implied_rewards`` on ``full_outputs`` and the chunked
``QAdapter.response_terms`` of the training loop).
"""

import math

import pytest
import torch
from torch.testing import assert_close

from qadapter.adapter import AdapterConfig, QAdapter
from qadapter.data.pairs import PreferencePair
from qadapter.data.tokenize import collate_pairs, tokenize_pair
from qadapter.loss import implied_rewards, rewards_from_values
from qadapter.models import load_base

PAIRS = [
    PreferencePair(
        ({"role": "user", "content": "How do I bake bread?"},), "Mix flour, water and yeast.", "No."
    ),
    PreferencePair(
        ({"role": "user", "content": "Hi"},),
        "Hello! How can I help you today with anything?",
        "Go away now.",
    ),
    PreferencePair(
        ({"role": "user", "content": "Tell me a fact about the moon, please."},),
        "It has no air.",
        "The moon is made of cheese, as everyone knows.",
    ),
]


def random_lora_adapter(head: str, seed: int = 3) -> tuple[QAdapter, object]:
    """A tiny base with a LoRA whose B factors are random (Q != 0 and differs per state)."""
    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(head=head, lora_dropout=0.0), seed=seed)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.qnet.named_parameters():
            if "lora_" in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    model.qnet.eval()
    return model, base.tokenizer


def padded_batch(tokenizer) -> dict:
    data = [tokenize_pair(tokenizer, p, max_length=64) for p in PAIRS]
    batch = collate_pairs(data, tokenizer.pad_token_id)
    lengths = batch["attention_mask"].sum(-1)
    assert len(set(lengths.tolist())) > 1, "the batch must be padded: rows of different lengths"
    return batch


def soft_value(q_row, lp_row, alpha0, alpha_tilde) -> float:
    zs = [(float(q) + alpha0 * float(lp)) / alpha_tilde for q, lp in zip(q_row, lp_row)]
    m = max(zs)
    return alpha_tilde * (m + math.log(sum(math.exp(z - m) for z in zs)))


def telescoped_returns(q, lp, actions, mask, *, alpha0, alpha_tilde, gamma) -> torch.Tensor:
    """Right-hand side of the identity, one row and one position at a time.   -> (B,) float64"""
    B, L, _ = q.shape
    out = torch.zeros(B, dtype=torch.float64)
    for b in range(B):
        scored = [t for t in range(L) if mask[b, t]]
        total = soft_value(q[b, scored[0]], lp[b, scored[0]], alpha0, alpha_tilde)  # V(s_0)
        for t in scored:
            z = (q[b, t].double() + alpha0 * lp[b, t].double()) / alpha_tilde
            log_pt = torch.log_softmax(z, dim=-1)[actions[b, t]]  # log pi~(a_t|s_t), eq. 6
            total += alpha_tilde * float(log_pt) - alpha0 * float(lp[b, t, actions[b, t]])
            if t != scored[0]:
                total += (1 - gamma) * soft_value(q[b, t], lp[b, t], alpha0, alpha_tilde)
        out[b] = total
    return out


@pytest.mark.parametrize("head", ["residual", "logits"])
@pytest.mark.parametrize(
    "alpha0,alpha_tilde,gamma",
    [(1.0, 0.1, 1.0), (0.1, 0.1, 1.0), (1.0, 0.5, 0.9), (2.0, 0.1, 0.99)],
)
def test_summed_implied_reward_telescopes(head, alpha0, alpha_tilde, gamma):
    model, tok = random_lora_adapter(head)
    batch = padded_batch(tok)
    ids, att, actions, mask = (
        batch["input_ids"],
        batch["attention_mask"],
        batch["actions"],
        batch["action_mask"],
    )
    with torch.no_grad():
        q, lp = model.full_outputs(ids, att)  # (2B, L, V)
        assert float(q.abs().max()) > 0.1  # a random, non-trivial Q
        rewards = implied_rewards(
            q, lp, actions, mask, alpha0=alpha0, alpha_tilde=alpha_tilde, gamma=gamma
        )
        q_taken, values = model.response_terms(
            ids, att, actions, mask, alpha0=alpha0, alpha_tilde=alpha_tilde
        )
        train_rewards = rewards_from_values(q_taken, values, mask, gamma=gamma)
    expected = telescoped_returns(
        q, lp, actions, mask, alpha0=alpha0, alpha_tilde=alpha_tilde, gamma=gamma
    )
    assert_close((rewards * mask).sum(-1).double(), expected, atol=2e-4, rtol=1e-5)
    assert_close((train_rewards * mask).sum(-1).double(), expected, atol=2e-4, rtol=1e-5)


@pytest.mark.parametrize("head", ["residual", "logits"])
def test_gamma_one_margin_is_dpo_on_customized_policy(head):
    """R_w - R_l = alpha_tilde [log pi~(y_w)/ref(y_w) - log pi~(y_l)/ref(y_l)],
    ref = pi1^(alpha0/alpha_tilde)."""
    alpha0, alpha_tilde = 1.0, 0.1
    model, tok = random_lora_adapter(head)
    batch = padded_batch(tok)
    ids, att, actions, mask = (
        batch["input_ids"],
        batch["attention_mask"],
        batch["actions"],
        batch["action_mask"],
    )
    with torch.no_grad():
        q, lp = model.full_outputs(ids, att)
        returns = (
            implied_rewards(q, lp, actions, mask, alpha0=alpha0, alpha_tilde=alpha_tilde, gamma=1.0)
            * mask
        ).sum(-1)
    n = len(PAIRS)
    dpo = torch.zeros(n, dtype=torch.float64)
    for i in range(n):
        logratio = []
        for row in (i, n + i):  # chosen row, rejected row
            s = 0.0
            for t in range(ids.shape[1]):
                if mask[row, t]:
                    log_pt = torch.log_softmax(
                        (q[row, t].double() + alpha0 * lp[row, t].double()) / alpha_tilde, -1
                    )
                    s += float(log_pt[actions[row, t]]) - (alpha0 / alpha_tilde) * float(
                        lp[row, t, actions[row, t]]
                    )
            logratio.append(s)
        dpo[i] = alpha_tilde * (logratio[0] - logratio[1])
    assert_close((returns[:n] - returns[n:]).double(), dpo, atol=2e-4, rtol=1e-5)


def test_gamma_below_one_differs_by_the_summed_soft_values():
    """The gamma < 1 identity is not the gamma = 1 one: the extra (1 - gamma) sum V term is real."""
    model, tok = random_lora_adapter("residual")
    batch = padded_batch(tok)
    ids, att, actions, mask = (
        batch["input_ids"],
        batch["attention_mask"],
        batch["actions"],
        batch["action_mask"],
    )
    with torch.no_grad():
        q, lp = model.full_outputs(ids, att)
        r99 = (
            implied_rewards(q, lp, actions, mask, alpha0=1.0, alpha_tilde=0.1, gamma=0.99) * mask
        ).sum(-1)
    gamma_one = telescoped_returns(q, lp, actions, mask, alpha0=1.0, alpha_tilde=0.1, gamma=1.0)
    gap = r99.double() - gamma_one  # = 0.01 * sum_{t>=1} V(s_t), one value per row
    assert float(gap.abs().min()) > 1e-3
