"""The Q-Adapter objective of a collated batch: what training optimizes and evaluation reads.

``pair_rewards`` gives the implied per-token rewards of eq. 9 (rows: B chosen, then B rejected),
computed chunk by chunk on response positions only (``QAdapter.response_terms``) with the
``qadapter.loss`` functions; ``pair_terms`` turns them into the per-example loss and metrics.
Training reduces over examples; held-out evaluation (``qadapter.evaluate.preference``) averages.
"""

from __future__ import annotations

from typing import Sequence

import torch

from .adapter import QAdapter
from .config import MethodConfig, TrainConfig
from .data.pairs import PreferencePair
from .data.tokenize import TokenizedPair, tokenize_pair
from .loss import mean_nll, qadapter_loss, rewards_from_values, taken_customized_logprobs


def _terms(model: QAdapter, batch: dict, method: MethodConfig, chunk: int, with_base: bool):
    return model.response_terms(
        batch["input_ids"],
        batch["attention_mask"],
        batch["actions"],
        batch["action_mask"],
        alpha0=method.alpha0,
        alpha_tilde=method.alpha_tilde,
        chunk=chunk,
        with_base=with_base,
    )  # (2B, L) each


def pair_rewards(
    model: QAdapter, batch: dict, method: MethodConfig, *, chunk: int = 256
) -> torch.Tensor:
    """Implied rewards (TQ)(s_t, a_t) of each row of a collated batch. -> (2B, L), 0 off-response"""
    q_taken, values = _terms(model, batch, method, chunk, with_base=False)
    return rewards_from_values(q_taken, values, batch["action_mask"], gamma=method.gamma)


def pair_terms(model: QAdapter, batch: dict, cfg: TrainConfig) -> tuple[torch.Tensor, dict]:
    """Per-example loss (B,) and metrics of a collated batch (rows: B chosen, then B rejected).

    With ``method.chosen_nll = w > 0`` the loss is eq. 9 + w * (mean NLL per token of the chosen
    response under pi~), and the metrics gain ``chosen_nll`` (B,); with w = 0 it is eq. 9 alone.
    """
    method = cfg.method
    mask = batch["action_mask"]
    with_base = method.chosen_nll > 0
    terms = _terms(model, batch, method, cfg.chunk, with_base=with_base)
    rewards = rewards_from_values(terms[0], terms[1], mask, gamma=method.gamma)  # (2B, L)
    b = rewards.shape[0] // 2
    loss, metrics = qadapter_loss(
        rewards[:b],
        rewards[b:],
        mask[:b],
        mask[b:],
        beta=method.beta,
        reg_reduction=method.reg_reduction,
    )
    if with_base:
        q_taken, values, base_taken = (t[:b] for t in terms)
        logp = taken_customized_logprobs(
            q_taken, values, base_taken, alpha0=method.alpha0, alpha_tilde=method.alpha_tilde
        )  # (B, L)
        nll = mean_nll(logp, mask[:b])  # (B,)
        loss = loss + method.chosen_nll * nll
        metrics["chosen_nll"] = nll.detach()
    return loss, metrics


def to_device(batch: dict, device) -> dict:
    return {k: v.to(device) for k, v in batch.items()}


def tokenize_all(
    tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig
) -> list[TokenizedPair]:
    return [
        tokenize_pair(
            tokenizer, p, max_length=cfg.max_length, max_prompt_length=cfg.max_prompt_length
        )
        for p in pairs
    ]


def token_lengths(data: Sequence[TokenizedPair]) -> dict:
    """``{"prompt"|"chosen"|"rejected": {"min", "mean", "max"}}`` token counts after truncation."""
    out = {}
    for field in ("prompt", "chosen", "rejected"):
        n = [len(getattr(p, f"{field}_ids")) for p in data]
        out[field] = (
            {"min": min(n), "mean": sum(n) / len(n), "max": max(n)}
            if n
            else {"min": 0, "mean": 0.0, "max": 0}
        )
    return out
