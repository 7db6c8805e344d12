"""The math of eq. 6 and 9 against hand-worked values and explicit-loop references."""

import itertools
import math

import pytest
import torch
from torch.testing import assert_close

from qadapter import loss as L


def ref_soft_value(q_row, lp_row, alpha0, alpha_tilde):
    """alpha_tilde * log sum_a exp((Q(s,a) + alpha0 log pi1(a|s)) / alpha_tilde), one state"""
    zs = [(float(q) + alpha0 * float(lp)) / alpha_tilde for q, lp in zip(q_row, lp_row)]
    m = max(zs)
    return alpha_tilde * (m + math.log(sum(math.exp(z - m) for z in zs)))


def ref_implied_rewards(q, lp, actions, mask, alpha0, alpha_tilde, gamma):
    B, T, _ = q.shape
    out = torch.zeros(B, T, dtype=torch.float64)
    for b in range(B):
        for t in range(T):
            if not mask[b, t]:
                continue
            r = float(q[b, t, actions[b, t]])
            if t + 1 < T and mask[b, t + 1]:
                r -= gamma * ref_soft_value(q[b, t + 1], lp[b, t + 1], alpha0, alpha_tilde)
            out[b, t] = r
    return out


def random_batch(seed, B=3, T=7, V=5):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(B, T, V, generator=g, dtype=torch.float64) * 2
    lp = torch.log_softmax(torch.randn(B, T, V, generator=g, dtype=torch.float64) * 3, dim=-1)
    actions = torch.randint(0, V, (B, T), generator=g)
    # different prompt and response lengths, right padding after the response
    mask = torch.zeros(B, T, dtype=torch.bool)
    mask[0, 1:6] = True  # prompt 2 tokens, response 5, 1 pad
    mask[1, 3:5] = True  # prompt 4 tokens, response 2, padding
    mask[2, 0:7] = True  # response runs to the end (t + 1 = L is terminal)
    return q, lp, actions, mask


def test_customized_logprobs_matches_loop_reference():
    q, lp, _, _ = random_batch(0)
    out = L.customized_logprobs(q, lp, alpha0=0.7, alpha_tilde=0.3)
    expected = torch.zeros_like(out)
    for b, t in itertools.product(range(q.shape[0]), range(q.shape[1])):
        v = ref_soft_value(q[b, t], lp[b, t], 0.7, 0.3) / 0.3  # log normaliser of the eq. 6 logits
        for a in range(q.shape[2]):
            expected[b, t, a] = (float(q[b, t, a]) + 0.7 * float(lp[b, t, a])) / 0.3 - v
    assert_close(out, expected)
    assert_close(out.exp().sum(-1), torch.ones(q.shape[:2], dtype=out.dtype))


def test_customized_policy_is_base_when_q_zero_and_alphas_equal():
    _, lp, _, _ = random_batch(1)
    out = L.customized_logprobs(torch.zeros_like(lp), lp, alpha0=0.25, alpha_tilde=0.25)
    assert_close(out, lp)


@pytest.mark.parametrize(
    "seed,alpha0,alpha_tilde,gamma",
    [(0, 1.0, 0.1, 0.99), (1, 0.5, 1.0, 0.9), (2, 2.0, 0.3, 1.0), (3, 1.0, 1.0, 0.0)],
)
def test_implied_rewards_matches_loop_reference(seed, alpha0, alpha_tilde, gamma):
    q, lp, actions, mask = random_batch(seed)
    out = L.implied_rewards(
        q, lp, actions, mask, alpha0=alpha0, alpha_tilde=alpha_tilde, gamma=gamma, chunk=2
    )
    assert_close(out, ref_implied_rewards(q, lp, actions, mask, alpha0, alpha_tilde, gamma))


def test_implied_rewards_hand_worked_example_from_docstring():
    lp = torch.full((1, 3, 2), math.log(0.5), dtype=torch.float64)
    mask = torch.tensor([[False, True, True]])
    actions = torch.tensor([[0, 1, 0]])
    zero = L.implied_rewards(
        torch.zeros(1, 3, 2, dtype=torch.float64),
        lp,
        actions,
        mask,
        alpha0=1,
        alpha_tilde=1,
        gamma=0.5,
    )
    assert_close(zero, torch.zeros(1, 3, dtype=torch.float64))
    q = torch.tensor([[[1.0, 0.0], [0.0, 2.0], [3.0, 0.0]]], dtype=torch.float64)
    out = L.implied_rewards(q, lp, actions, mask, alpha0=1, alpha_tilde=1, gamma=0.5)
    # V(s_2) = log(0.5 e^3 + 0.5) = 2.35544; r_1 = 2 - 0.5 * 2.35544 = 0.82228;
    # r_2 = 3 (s_3 terminal)
    assert_close(
        out,
        torch.tensor([[0.0, 2 - 0.5 * math.log(0.5 * math.e**3 + 0.5), 3.0]], dtype=torch.float64),
    )
    assert out[0, 1].item() == pytest.approx(0.82228, abs=1e-5)


# ---- regressions against the reference implementation's defects ---------------------------


def test_uses_next_state_value_not_current_state_value():
    q, lp, actions, mask = random_batch(4)
    out = L.implied_rewards(q, lp, actions, mask, alpha0=1.0, alpha_tilde=0.5, gamma=0.9)
    v = L.soft_values(q, lp, alpha0=1.0, alpha_tilde=0.5)
    q_taken = q.gather(-1, actions.unsqueeze(-1)).squeeze(-1)
    # row 0, t = 1: first response action; its reward subtracts V(s_2), not V(s_1)
    assert_close(out[0, 1], q_taken[0, 1] - 0.9 * v[0, 2])
    assert not torch.isclose(out[0, 1], q_taken[0, 1] - 0.9 * v[0, 1])


def test_first_response_token_is_scored():
    q, lp, actions, mask = random_batch(5)
    out = L.implied_rewards(q, lp, actions, mask, alpha0=1.0, alpha_tilde=0.1, gamma=0.99)
    assert out[1, 3] != 0  # first scored action of row 1
    assert torch.all(out[1, :3] == 0) and torch.all(out[1, 5:] == 0)


def test_no_transition_after_eos_on_padded_rows():
    """Padding after EOS neither gets a reward nor gives the last response token a next value."""
    q, lp, actions, mask = random_batch(6)
    out = L.implied_rewards(q, lp, actions, mask, alpha0=1.0, alpha_tilde=0.1, gamma=0.99)
    q_taken = q.gather(-1, actions.unsqueeze(-1)).squeeze(-1)
    assert out[1, 5].item() == 0.0 and out[1, 6].item() == 0.0
    assert_close(out[1, 4], q_taken[1, 4])  # last response action: terminal next state
    # and changing anything in the padding does not change any reward
    q2 = q.clone()
    q2[1, 5:] = 100.0
    assert_close(
        L.implied_rewards(q2, lp, actions, mask, alpha0=1.0, alpha_tilde=0.1, gamma=0.99), out
    )


def test_qadapter_loss_matches_reference_and_hand_value():
    g = torch.Generator().manual_seed(7)
    rw = torch.randn(4, 6, generator=g, dtype=torch.float64)
    rl = torch.randn(4, 6, generator=g, dtype=torch.float64)
    mw = torch.rand(4, 6, generator=g) > 0.3
    ml = torch.rand(4, 6, generator=g) > 0.3
    rw, rl = rw * mw, rl * ml
    for reduction in ("mean", "sum"):
        loss, metrics = L.qadapter_loss(rw, rl, mw, ml, beta=0.1, reg_reduction=reduction)
        for b in range(4):
            Rw = sum(float(rw[b, t]) for t in range(6) if mw[b, t])
            Rl = sum(float(rl[b, t]) for t in range(6) if ml[b, t])
            sq = sum(float(rw[b, t]) ** 2 for t in range(6) if mw[b, t]) + sum(
                float(rl[b, t]) ** 2 for t in range(6) if ml[b, t]
            )
            n = int(mw[b].sum() + ml[b].sum())
            reg = sq / n if reduction == "mean" else sq
            expected = -math.log(1 / (1 + math.exp(-(Rw - Rl)))) + 0.1 * reg
            assert loss[b].item() == pytest.approx(expected, rel=1e-9)
            assert metrics["accuracy"][b].item() == float(Rw > Rl)
            assert metrics["margin"][b].item() == pytest.approx(Rw - Rl)
    one, _ = L.qadapter_loss(
        torch.tensor([[1.0]]),
        torch.tensor([[0.0]]),
        torch.tensor([[True]]),
        torch.tensor([[True]]),
        beta=0.1,
    )
    assert one.item() == pytest.approx(0.36326, abs=1e-5)


def test_loss_prefers_chosen_sign():
    """A higher chosen return lowers the loss (appendix C's code labels the wrong column)."""
    m = torch.ones(1, 2, dtype=torch.bool)
    good, _ = L.qadapter_loss(
        torch.tensor([[1.0, 1.0]]), torch.tensor([[-1.0, -1.0]]), m, m, beta=0.0
    )
    bad, _ = L.qadapter_loss(
        torch.tensor([[-1.0, -1.0]]), torch.tensor([[1.0, 1.0]]), m, m, beta=0.0
    )
    assert good.item() < bad.item()
    assert good.item() == pytest.approx(-math.log(1 / (1 + math.exp(-4))))


def test_example_loss_does_not_depend_on_batch_padding():
    """The reference divides returns by the padded batch length; here padding changes nothing."""
    rw, rl = torch.tensor([[0.5, 0.25, 0.0]]), torch.tensor([[0.1, 0.0, 0.0]])
    mw, ml = torch.tensor([[True, True, False]]), torch.tensor([[True, False, False]])
    short, _ = L.qadapter_loss(rw, rl, mw, ml, beta=0.1)
    pad = lambda x: torch.cat([x, torch.zeros(1, 20, dtype=x.dtype)], dim=1)  # noqa: E731
    long, _ = L.qadapter_loss(pad(rw), pad(rl), pad(mw), pad(ml), beta=0.1)
    assert_close(short, long)


# ---- Corollary 3.3: rewards <-> residual Q, on a token tree MDP ----------------------------

V_TREE, EOS, HORIZON = 3, 2, 3


def tree_states():
    """All non-terminal states: action prefixes of length < HORIZON that contain no EOS."""
    out = []
    for k in range(HORIZON):
        out += [s for s in itertools.product(range(V_TREE), repeat=k) if EOS not in s]
    return out


def is_terminal(s):
    return len(s) >= HORIZON or (len(s) > 0 and s[-1] == EOS)


def soft_q_iteration(r, logpi, alpha0, alpha_tilde, gamma, iters):
    """Eq. 8 on the tree.

    Q(s,a) <- r(s,a) + gamma * alpha_tilde logsumexp((Q(s',.) + alpha0 log pi1) / alpha_tilde)
    """
    Q = {(s, a): 0.0 for s in tree_states() for a in range(V_TREE)}
    for _ in range(iters):
        new = {}
        for s, a in Q:
            nxt = s + (a,)
            v = (
                0.0
                if is_terminal(nxt)
                else ref_soft_value(
                    [Q[(nxt, b)] for b in range(V_TREE)], logpi[nxt], alpha0, alpha_tilde
                )
            )
            new[(s, a)] = r[(s, a)] + gamma * v
        Q = new
    return Q


def test_corollary_3_3_implied_rewards_invert_soft_q_iteration():
    alpha0, alpha_tilde, gamma = 0.8, 0.4, 0.9
    g = torch.Generator().manual_seed(11)
    states = tree_states()
    logpi = {
        s: torch.log_softmax(torch.randn(V_TREE, generator=g, dtype=torch.float64), -1).tolist()
        for s in states
    }
    Q = {(s, a): float(torch.randn(1, generator=g)) for s in states for a in range(V_TREE)}

    # every maximal path through the tree, as a right-padded batch; position 0 is the prompt state
    paths = [s + (a,) for s in states for a in range(V_TREE) if is_terminal(s + (a,))]
    T = HORIZON + 1
    q = torch.zeros(len(paths), T, V_TREE, dtype=torch.float64)
    lp = torch.zeros_like(q)
    actions = torch.zeros(len(paths), T, dtype=torch.long)
    mask = torch.zeros(len(paths), T, dtype=torch.bool)
    for i, path in enumerate(paths):
        for t, a in enumerate(path):
            s = path[:t]
            q[i, t] = torch.tensor([Q[(s, b)] for b in range(V_TREE)])
            lp[i, t] = torch.tensor(logpi[s], dtype=torch.float64)
            actions[i, t], mask[i, t] = a, True
    r_batch = L.implied_rewards(
        q, lp, actions, mask, alpha0=alpha0, alpha_tilde=alpha_tilde, gamma=gamma
    )

    r = {}
    for i, path in enumerate(paths):
        for t, a in enumerate(path):
            key = (path[:t], a)
            if key in r:  # the same (s, a) on two paths gets the same reward
                assert r[key] == pytest.approx(float(r_batch[i, t]), abs=1e-12)
            r[key] = float(r_batch[i, t])
    assert set(r) == set(Q)

    recovered = soft_q_iteration(r, logpi, alpha0, alpha_tilde, gamma, iters=HORIZON + 2)
    for key in Q:
        assert recovered[key] == pytest.approx(Q[key], abs=1e-10)


def test_kl_to_base_matches_loop_reference_and_vanishes_at_identity():
    q, lp, _, _ = random_batch(8)
    out = L.kl_to_base(q, lp, alpha0=0.6, alpha_tilde=0.4)
    for b, t in itertools.product(range(q.shape[0]), range(q.shape[1])):
        v = ref_soft_value(q[b, t], lp[b, t], 0.6, 0.4) / 0.4
        kl = 0.0
        for a in range(q.shape[2]):
            log_pt = (float(q[b, t, a]) + 0.6 * float(lp[b, t, a])) / 0.4 - v
            kl += math.exp(log_pt) * (log_pt - float(lp[b, t, a]))
        assert out[b, t].item() == pytest.approx(kl, rel=1e-9, abs=1e-12)
    assert torch.all(out >= -1e-12)
    assert_close(
        L.kl_to_base(torch.zeros_like(lp), lp, alpha0=0.3, alpha_tilde=0.3),
        torch.zeros(lp.shape[:2], dtype=lp.dtype),
    )
