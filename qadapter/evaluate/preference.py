"""Held-out preference accuracy of the implied rewards and per-token KL(customized || pi1).

Both read the model with the same ``qadapter.objective`` / ``qadapter.loss`` functions training
optimizes, in eval mode (no LoRA dropout).
"""

from __future__ import annotations

from typing import Sequence

import torch

from ..adapter import QAdapter
from ..config import TrainConfig
from ..data.pairs import PreferencePair
from ..data.tokenize import collate_pairs
from ..loss import kl_to_base
from ..objective import pair_terms, to_device, tokenize_all
from ..progress import progress as progress_bar


def eval_batches(
    model: QAdapter,
    tokenizer,
    pairs: Sequence[PreferencePair],
    cfg: TrainConfig,
    batch_size: int,
    *,
    desc: str | None = None,
    progress: bool = False,
):
    """Collated batches of ``pairs`` on the model's device, with the model in eval mode (no LoRA
    dropout) while they are consumed; the previous mode is restored afterwards."""
    was_training = model.qnet.training
    model.qnet.eval()
    data = tokenize_all(tokenizer, pairs, cfg)
    device = next(model.qnet.parameters()).device
    bar = progress_bar(len(data), desc or "evaluate", enabled=progress, unit="pair")
    try:
        for i in range(0, len(data), batch_size):
            yield to_device(collate_pairs(data[i : i + batch_size], tokenizer.pad_token_id), device)
            bar.update(len(data[i : i + batch_size]))
    finally:
        bar.close()
        model.qnet.train(was_training)


@torch.no_grad()
def evaluate_pairs(
    model: QAdapter,
    tokenizer,
    pairs: Sequence[PreferencePair],
    cfg: TrainConfig,
    *,
    batch_size: int = 8,
    progress: bool = False,
    desc: str = "held-out accuracy",
) -> dict:
    """Held-out preference accuracy and mean margin of the implied returns (no dropout)."""
    sums: dict[str, float] = {}
    batches = eval_batches(model, tokenizer, pairs, cfg, batch_size, desc=desc, progress=progress)
    for batch in batches:
        loss, m = pair_terms(model, batch, cfg)
        for k, v in {"loss": loss, **m}.items():
            sums[k] = sums.get(k, 0.0) + float(v.sum())
    return {k: v / max(1, len(pairs)) for k, v in sums.items()} | {"pairs": len(pairs)}


@torch.no_grad()
def mean_kl(
    model: QAdapter,
    tokenizer,
    pairs: Sequence[PreferencePair],
    cfg: TrainConfig,
    *,
    batch_size: int = 2,
    progress: bool = False,
) -> dict:
    """Mean over response-token states (chosen and rejected responses of ``pairs``) of
    KL(pi~(.|s) || pi1(.|s)), teacher-forced: how far the customized policy moved from the base
    where it matters. Also the max over states. Computed with the model in eval mode.

    For a stacked adapter pi1 here is its parent pi^(k-1), the reference of its own eq. 6 (the
    level's own step); the whole stack's distance from the base is ``forgetting.general_kl``."""
    total, count, worst = 0.0, 0, 0.0
    batches = eval_batches(
        model, tokenizer, pairs, cfg, batch_size, desc="KL drift", progress=progress
    )
    for batch in batches:
        q, base_lp = model.full_outputs(batch["input_ids"], batch["attention_mask"])  # (2B, L, V)
        kl = kl_to_base(q, base_lp, alpha0=cfg.alpha0, alpha_tilde=cfg.alpha_tilde)
        kl = kl[batch["action_mask"]]  # (N,)
        total += float(kl.sum())
        count += kl.numel()
        worst = max(worst, float(kl.max())) if kl.numel() else worst
    return {"kl_mean": total / max(1, count), "kl_max": worst, "kl_states": count}


def heldout_metrics(
    model: QAdapter,
    tokenizer,
    pairs: Sequence[PreferencePair],
    cfg: TrainConfig,
    *,
    kl_pairs: int | None = None,
    progress: bool = False,
) -> dict:
    """Preference accuracy / margin / loss of the implied returns on ``pairs``, and the KL drift
    measured on the first ``kl_pairs`` of them (all when None)."""
    out = evaluate_pairs(model, tokenizer, pairs, cfg, progress=progress)
    kl_subset = list(pairs)[: kl_pairs or len(pairs)]
    out.update(mean_kl(model, tokenizer, kl_subset, cfg, progress=progress))
    return out
