"""DPO baseline: DPO (TRL ``DPOTrainer``) of pi1 directly on the new preference pairs.

The same stage that aligns the helpful base (:func:`qadapter.dpo.align_base`: LoRA of Q-Adapter's
size on all linear layers, reference = pi1 with the LoRA disabled, merged safetensors output),
run on a private copy of pi1 (``align_base`` merges into the model it is given) with the
customization data (harmless) instead of the helpful data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

from ..config import ConfigError
from ..data.pairs import PreferencePair
from ..dpo import DPOStageConfig, align_base
from .lora import LORA_ALPHA, LORA_DROPOUT, LORA_R, private_copy

DPOBaselineConfig = DPOStageConfig  # beta 0.1, lr 5e-5, batch 8, max_length 256, LoRA 16/16/0.05


def train_dpo(
    base,
    pairs: Sequence[PreferencePair],
    output_dir: str | Path,
    cfg: DPOStageConfig = DPOStageConfig(),
    *,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = False,
) -> dict:
    """DPO-train a copy of ``base`` on ``pairs``; returns align_base's record (path, hash, ...)."""
    got, want = (
        (cfg.lora_r, cfg.lora_alpha, cfg.lora_dropout),
        (LORA_R, LORA_ALPHA, LORA_DROPOUT),
    )
    if got != want:
        raise ConfigError(
            f"DPO baseline: LoRA (r, alpha, dropout) = {got} differs from Q-Adapter's {want}; "
            "the comparison needs the same adapter size"
        )
    out = align_base(
        private_copy(base),
        pairs,
        output_dir,
        cfg,
        callbacks=callbacks,
        progress=progress,
    )
    record = {
        "stage": "dpo",
        "parent_base": base.name,
        "parent_hash": base.content_hash,
        "pairs": len(pairs),
        "steps": out["steps"],
        **out["metrics"],
    }
    (Path(out["path"]) / "qadapter-baseline.json").write_text(json.dumps(record, indent=2) + "\n")
    return out
