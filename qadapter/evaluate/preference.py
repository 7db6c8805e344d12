"""Held-out preference accuracy of the implied rewards and per-token KL(customized || pi1)."""

from __future__ import annotations

from typing import Sequence

import torch

from ..adapter import QAdapter
from ..config import TrainConfig
from ..data.pairs import PreferencePair
from ..loss import kl_to_base
from ..train import eval_batches, evaluate_pairs


@torch.no_grad()
def mean_kl(model: QAdapter, tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig, *, batch_size: int = 2) -> dict:
    """Mean over response-token states (chosen and rejected responses of ``pairs``) of
    KL(pi~(.|s) || pi1(.|s)), teacher-forced: how far the customized policy moved from the base
    where it matters. Also the max over states. Computed with the model in eval mode."""
    total, count, worst = 0.0, 0, 0.0
    for batch in eval_batches(model, tokenizer, pairs, cfg, batch_size):
        q, base_lp = model.full_outputs(batch["input_ids"], batch["attention_mask"])  # (2B, L, V)
        kl = kl_to_base(q, base_lp, alpha0=cfg.alpha0, alpha_tilde=cfg.alpha_tilde)[batch["action_mask"]]  # (N,)
        total += float(kl.sum())
        count += kl.numel()
        worst = max(worst, float(kl.max())) if kl.numel() else worst
    return {"kl_mean": total / max(1, count), "kl_max": worst, "kl_states": count}


def heldout_metrics(model: QAdapter, tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig, *, kl_pairs: int | None = None) -> dict:
    """Preference accuracy / margin / loss of the implied returns on ``pairs``, and the KL drift
    measured on the first ``kl_pairs`` of them (all when None)."""
    out = evaluate_pairs(model, tokenizer, pairs, cfg)
    out.update(mean_kl(model, tokenizer, list(pairs)[: kl_pairs or len(pairs)], cfg))
    return out
