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
from .loss import qadapter_loss, rewards_from_values


def pair_rewards(
    model: QAdapter, batch: dict, method: MethodConfig, *, chunk: int = 256
) -> torch.Tensor:
    """Implied rewards (TQ)(s_t, a_t) of each row of a collated batch. -> (2B, L), 0 off-response"""
    q_taken, values = model.response_terms(
        batch["input_ids"],
        batch["attention_mask"],
        batch["actions"],
        batch["action_mask"],
        alpha0=method.alpha0,
        alpha_tilde=method.alpha_tilde,
        chunk=chunk,
    )  # (2B, L) each
    return rewards_from_values(q_taken, values, batch["action_mask"], gamma=method.gamma)


def pair_terms(model: QAdapter, batch: dict, cfg: TrainConfig) -> tuple[torch.Tensor, dict]:
    """Per-example loss (B,) and metrics of a collated batch (rows: B chosen, then B rejected)."""
    rewards = pair_rewards(model, batch, cfg.method, chunk=cfg.chunk)  # (2B, L)
    b = rewards.shape[0] // 2
    mask = batch["action_mask"]
    return qadapter_loss(
        rewards[:b],
        rewards[b:],
        mask[:b],
        mask[b:],
        beta=cfg.method.beta,
        reg_reduction=cfg.method.reg_reduction,
    )


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
