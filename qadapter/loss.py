"""The Q-Adapter math (Li et al., 2024, arXiv 2407.03856) as pure tensor functions.

Notation follows the paper. pi1 is the frozen, preference-aligned base policy; Q is the learned
residual Q-function (the adapter); alpha0 = lambda * alpha1 weighs the base policy; alpha_tilde is
the entropy weight (temperature) of the customized policy; gamma the discount.

Alignment is the one of causal-LM logits. For a token sequence ``x_0 .. x_{L}``:

* position ``t`` of ``q_values (B, L, V)`` holds ``Q(s_t, .)`` and position ``t`` of
  ``base_logprobs (B, L, V)`` holds ``log pi1(. | s_t)``, where ``s_t`` is the prefix ending at
  token ``t``;
* ``actions[:, t]`` is the token taken in ``s_t`` (the input ids shifted left by one);
* ``action_mask[:, t]`` is True where that action is a response token (scored).

Hand-worked example (``implied_rewards``), one row, V = 2, alpha0 = 1, alpha_tilde = 1,
gamma = 0.5, base_logprobs = log(0.5) everywhere, Q = 0 everywhere, mask = [F, T, T]::

    V(s) = 1 * logsumexp(0 + log 0.5, 0 + log 0.5) = log(1) = 0   for every state
    r_0 = 0                (prompt action: not scored)
    r_1 = Q(s_1, a_1) - 0.5 * V(s_2) = 0 - 0.5 * 0 = 0
    r_2 = Q(s_2, a_2) - 0.5 * 0      = 0            (last action: s_3 is terminal)

With Q = [[1, 0], [0, 2], [3, 0]] instead, actions = [0, 1, 0]::

    V(s_2) = 1 * log(0.5 e^3 + 0.5 e^0) = 2.35544
    r = [0, Q(s_1, 1) - 0.5 * V(s_2), Q(s_2, 0) - 0] = [0, 2 - 1.17772, 3] = [0, 0.82228, 3]

(``tests/test_loss.py`` checks these numbers and a brute-force loop reference.)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

# Positions per chunk when a function reduces over the vocabulary: bounds the extra
# (B, chunk, V) float tensors alive at once, whatever the sequence length.
DEFAULT_CHUNK = 128

# Q-head parameterizations (qadapter.adapter): how Q is read off the Q network's logits.
HEADS = ("residual", "logits")


def _wide(x: torch.Tensor) -> torch.Tensor:
    """Half-precision inputs are promoted to float32; float32 and float64 are kept as they are."""
    return x if x.dtype in (torch.float32, torch.float64) else x.float()


def q_from_logits(
    head: str, adapter_logits: torch.Tensor, base_logits: torch.Tensor
) -> torch.Tensor:
    """Q(s, .) from the Q network's raw logits (the Q head of ``qadapter.adapter``).

    ``residual``: Q = adapter logits - base logits (Q = 0 while the LoRA is zero).
    ``logits``:   Q = adapter logits (the reference implementation's head); ``base_logits`` unused.
    adapter_logits, base_logits: (..., V) -> (..., V), float32 or wider.
    """
    if head == "residual":
        return _wide(adapter_logits) - _wide(base_logits)
    if head == "logits":
        return _wide(adapter_logits)
    raise ValueError(f"head must be one of {HEADS}, got {head!r}")


def base_logprobs_from_logits(base_logits: torch.Tensor) -> torch.Tensor:
    """log pi1(. | s) from the base model's logits.   (..., V) -> (..., V), float32 or wider."""
    return torch.log_softmax(_wide(base_logits), dim=-1)


def customized_logits(
    q_values: torch.Tensor, base_logprobs: torch.Tensor, *, alpha0: float, alpha_tilde: float
) -> torch.Tensor:
    """Unnormalised customized logits ``(Q + alpha0 * log pi1) / alpha_tilde`` (eq. 6).

    q_values, base_logprobs: (..., V). Returns (..., V), in float32 or wider.
    """
    return (_wide(q_values) + alpha0 * _wide(base_logprobs)) / alpha_tilde


def customized_logprobs(
    q_values: torch.Tensor, base_logprobs: torch.Tensor, *, alpha0: float, alpha_tilde: float
) -> torch.Tensor:
    """log pi~(a|s) = log_softmax((Q(s,.) + alpha0 * log pi1(.|s)) / alpha_tilde) (eq. 6).

    Prop. 3.1 with alpha0 = lambda * alpha1. q_values, base_logprobs: (..., V) -> (..., V).
    """
    return torch.log_softmax(
        customized_logits(q_values, base_logprobs, alpha0=alpha0, alpha_tilde=alpha_tilde), dim=-1
    )


def soft_value(
    q_values: torch.Tensor, base_logprobs: torch.Tensor, *, alpha0: float, alpha_tilde: float
) -> torch.Tensor:
    """Soft state value V(s) = alpha_tilde * logsumexp((Q(s,.) + alpha0 log pi1(.|s)) / alpha_tilde)

    The bracket of eq. 7-9, for every state of the input at once.   (..., V) -> (...)
    """
    z = customized_logits(q_values, base_logprobs, alpha0=alpha0, alpha_tilde=alpha_tilde)
    return alpha_tilde * torch.logsumexp(z, dim=-1)


def taken(q_values: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    """Q(s, a) of the action taken in each state.   q (..., V), actions (...) long -> (...)"""
    return _wide(q_values).gather(-1, actions.long().unsqueeze(-1)).squeeze(-1)


def soft_values(
    q_values: torch.Tensor,
    base_logprobs: torch.Tensor,
    *,
    alpha0: float,
    alpha_tilde: float,
    chunk: int = DEFAULT_CHUNK,
) -> torch.Tensor:
    """:func:`soft_value` of every position, over chunks of positions.   (B, L, V) -> (B, L)

    At most one extra (B, chunk, V) float32 tensor is alive at a time.
    """
    pieces = [
        soft_value(
            q_values[:, i : i + chunk],
            base_logprobs[:, i : i + chunk],
            alpha0=alpha0,
            alpha_tilde=alpha_tilde,
        )  # (B, c)
        for i in range(0, q_values.shape[1], chunk)
    ]
    return torch.cat(pieces, dim=1)


def rewards_from_values(
    q_taken: torch.Tensor, values: torch.Tensor, action_mask: torch.Tensor, *, gamma: float
) -> torch.Tensor:
    """(TQ)(s_t, a_t) = Q(s_t, a_t) - gamma * V(s_{t+1}), from per-position quantities (eq. 9).

    q_taken:     (B, L) Q(s_t, a_t) of the action taken at position t.
    values:      (B, L) V(s_t), the soft value of the state at position t.
    action_mask: (B, L) bool, True where the action at t is scored (a response token).

    V(s_{t+1}) is taken as 0 when the action at t+1 is not scored or t + 1 = L: the response has
    ended (EOS, or cut at max length) and s_{t+1} is terminal. Padding after EOS is therefore never
    a transition (the reference code's EOS-after-EOS step). Returns (B, L), 0 where not scored.
    """
    mask = action_mask.bool()
    next_mask = torch.zeros_like(mask)
    next_mask[:, :-1] = mask[:, 1:]  # (B, L): is s_{t+1} a non-terminal scored state?
    next_values = torch.zeros_like(values)
    next_values[:, :-1] = values[:, 1:]  # (B, L): V(s_{t+1})
    next_values = torch.where(next_mask, next_values, torch.zeros_like(next_values))
    rewards = q_taken - gamma * next_values
    return torch.where(mask, rewards, torch.zeros_like(rewards))


def implied_rewards(
    q_values: torch.Tensor,
    base_logprobs: torch.Tensor,
    actions: torch.Tensor,
    action_mask: torch.Tensor,
    *,
    alpha0: float,
    alpha_tilde: float,
    gamma: float,
    chunk: int = DEFAULT_CHUNK,
) -> torch.Tensor:
    """Implied per-token rewards (TQ)(s_t, a_t) of the operator T in eq. 9.

    q_values (B, L, V), base_logprobs (B, L, V), actions (B, L) long, action_mask (B, L) bool
    -> (B, L) (float32 or wider), zero where ``action_mask`` is False. See the module docstring
    for the alignment and a hand-worked example.
    """
    q_taken = taken(q_values, actions)  # (B, L)
    values = soft_values(
        q_values, base_logprobs, alpha0=alpha0, alpha_tilde=alpha_tilde, chunk=chunk
    )
    return rewards_from_values(q_taken, values, action_mask, gamma=gamma)


def kl_to_base(
    q_values: torch.Tensor, base_logprobs: torch.Tensor, *, alpha0: float, alpha_tilde: float
) -> torch.Tensor:
    """KL(pi~(.|s) || pi1(.|s)) per state: how far customization moved the policy. (..., V) -> (...)

    sum_a pi~(a|s) (log pi~(a|s) - log pi1(a|s)), with pi~ from eq. 6. Zero when Q = 0 and
    alpha0 = alpha_tilde (then pi~ = pi1).
    """
    log_pt = customized_logprobs(q_values, base_logprobs, alpha0=alpha0, alpha_tilde=alpha_tilde)
    return (log_pt.exp() * (log_pt - _wide(base_logprobs))).sum(-1)


def taken_customized_logprobs(
    q_taken: torch.Tensor,
    values: torch.Tensor,
    base_taken: torch.Tensor,
    *,
    alpha0: float,
    alpha_tilde: float,
) -> torch.Tensor:
    """log pi~(a|s) of taken actions from Q(s, a), V(s) and log pi1(a|s) alone (eq. 6).

    Since V(s) = alpha_tilde * logsumexp((Q(s,.) + alpha0 log pi1(.|s)) / alpha_tilde),
    log pi~(a|s) = (Q(s, a) + alpha0 * log pi1(a|s) - V(s)) / alpha_tilde: no second pass over the
    vocabulary. All inputs (...) -> (...).
    """
    return (_wide(q_taken) + alpha0 * _wide(base_taken) - _wide(values)) / alpha_tilde


def mean_nll(logprobs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood per scored token of each row.   (B, L), (B, L) bool -> (B,)

    A row without scored tokens gives 0.
    """
    m = mask.bool()
    return -(logprobs * m).sum(-1) / m.sum(-1).clamp(min=1)


REG_REDUCTIONS = ("mean", "sum")


def qadapter_loss(
    chosen_rewards: torch.Tensor,
    rejected_rewards: torch.Tensor,
    chosen_mask: torch.Tensor,
    rejected_mask: torch.Tensor,
    *,
    beta: float,
    reg_reduction: str = "mean",
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Per-example Q-Adapter loss (eq. 9): Bradley-Terry on implied returns + beta * L2.

    chosen_rewards, rejected_rewards: (B, L) implied rewards (0 where not scored).
    chosen_mask, rejected_mask:       (B, L) bool action masks.

    R_w = sum_t r_t(chosen), R_l = sum_t r_t(rejected): the sums of eq. 9, not normalised by length
    (the reference code divides by the padded batch length, which makes the loss of an example
    depend on the other examples in its batch).
    psi: the L2 regulariser over the scored tokens of both responses. ``reg_reduction="sum"`` is
    eq. 9's psi exactly (sum of squares); ``"mean"`` (default) divides it by the number of scored
    tokens of the pair, so that beta keeps one meaning whatever the response lengths (with "sum",
    beta=0.1 and 200-token pairs the regulariser starts ~20x larger than the BT term).

    Returns ``(loss (B,), metrics)`` where metrics are (B,) tensors: ``accuracy`` (1.0 where
    R_w > R_l strictly; ties count as wrong), ``margin`` R_w - R_l, ``chosen_return``,
    ``rejected_return``, ``bt_loss``, ``reg``. Reduction over the batch is the training loop's.

    Hand-worked: R_w = 1, R_l = 0, per-token rewards [1] and [0], beta = 0.1, "mean":
    bt = -log sigmoid(1) = 0.31326, reg = (1 + 0) / 2 = 0.5, loss = 0.31326 + 0.05 = 0.36326.
    """
    if reg_reduction not in REG_REDUCTIONS:
        raise ValueError(f"reg_reduction must be one of {REG_REDUCTIONS}, got {reg_reduction!r}")
    cm, rm = chosen_mask.bool(), rejected_mask.bool()
    chosen_return = (chosen_rewards * cm).sum(-1)  # (B,)
    rejected_return = (rejected_rewards * rm).sum(-1)  # (B,)
    margin = chosen_return - rejected_return
    bt_loss = -F.logsigmoid(margin)
    squares = (chosen_rewards.pow(2) * cm).sum(-1) + (rejected_rewards.pow(2) * rm).sum(-1)  # (B,)
    if reg_reduction == "mean":
        n_tokens = (cm.sum(-1) + rm.sum(-1)).clamp(min=1)
        reg = squares / n_tokens
    else:
        reg = squares
    loss = bt_loss + beta * reg
    metrics = {
        "accuracy": (margin > 0).float(),
        "margin": margin.detach(),
        "chosen_return": chosen_return.detach(),
        "rejected_return": rejected_return.detach(),
        "bt_loss": bt_loss.detach(),
        "reg": reg.detach(),
    }
    return loss, metrics
