"""Stage 1 of the experiment: align a base on "helpful" pairs with DPO + LoRA, merged into pi1.

The paper's premise is a preference-aligned pi1. This stage produces one from a base model with
TRL's ``DPOTrainer`` (LoRA on all linear layers; the reference policy is the base with the
adapter disabled), merges the LoRA into the weights and saves a plain safetensors model directory
that :func:`qadapter.models.load_base` loads like any other base. Checkpoints every
``save_steps`` let a retried run resume.

TRL is an optional dependency (extra ``dpo``, included in ``pipeline``): it is imported only when
this stage runs, with a one-line error naming the extra when it is missing.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from .config import BIG, AdapterConfig, check_fields, setting
from .data.pairs import PreferencePair
from .errors import QAdapterError
from .models import save_merged


@dataclass(frozen=True)
class DPOStageConfig:
    beta: float = setting(0.1, "DPO's KL weight", lo=0.0, hi=1e4, lo_open=True)
    lr: float = setting(5e-5, "AdamW learning rate", lo=0.0, hi=1.0, lo_open=True)
    epochs: int = setting(1, "passes over the data", lo=1, hi=10**5)
    batch_size: int = setting(8, "pairs per optimizer step", lo=1, hi=BIG)
    micro_batch_size: int = setting(2, "pairs per forward pass", lo=1, hi=BIG)
    max_length: int = setting(256, "max tokens per prompt + response", lo=8, hi=10**7)
    max_steps: int = setting(-1, "stop after this many steps; -1: all epochs", lo=-1, hi=BIG)
    lora_r: int = setting(16, "LoRA rank", lo=1, hi=4096)
    lora_alpha: int = setting(16, "LoRA alpha", lo=1, hi=10**6)
    lora_dropout: float = setting(0.05, "LoRA dropout", lo=0.0, hi=0.99)
    # checkpoint interval (optimizer steps) for resuming after a failure
    save_steps: int = setting(20, "optimizer steps between checkpoints", lo=1, hi=BIG)
    seed: int = setting(0, "random seed", lo=0, hi=2**32 - 1)
    bf16: bool = setting(False, "bf16 compute (CUDA)")

    def __post_init__(self) -> None:
        check_fields(self)
        if self.max_steps == 0:
            raise QAdapterError("max_steps must be >= 1, or -1 for all epochs; got 0")

    @property
    def adapter(self) -> AdapterConfig:
        return AdapterConfig(
            lora_r=self.lora_r, lora_alpha=self.lora_alpha, lora_dropout=self.lora_dropout
        )


def _trl():
    try:
        import trl
    except ImportError:
        raise QAdapterError(
            "the helpful-base DPO stage needs TRL, which is not installed; "
            "pip install 'qadapter[dpo]' (or skip the stage when the base is already aligned)"
        ) from None
    return trl


def align_base(
    base,
    pairs: Sequence[PreferencePair],
    output_dir: str | Path,
    cfg: DPOStageConfig,
    *,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = False,
) -> dict:
    """DPO-align ``base`` (a :class:`qadapter.models.Base`) on ``pairs``; write the merged model.

    Returns ``{"path", "content_hash", "steps", "metrics"}``. Resumes from the newest checkpoint
    under ``output_dir/checkpoints`` if one exists.
    """
    from .adapter import lora_config
    from .baselines.lora import trl_trainer

    trl = _trl()

    out = Path(output_dir)
    ckpt_dir = out / "checkpoints"
    rows = [
        {
            "prompt": list(p.prompt),
            "chosen": [{"role": "assistant", "content": p.chosen}],
            "rejected": [{"role": "assistant", "content": p.rejected}],
        }
        for p in pairs
    ]
    if not rows:
        raise QAdapterError("helpful-base stage: no preference pairs to train on; check the source")

    trainer = trl_trainer(
        trl.DPOConfig,
        trl.DPOTrainer,
        base,
        rows,
        out,
        cfg,
        accumulation=max(1, cfg.batch_size // cfg.micro_batch_size),
        peft_config=lora_config(cfg.adapter),
        callbacks=callbacks,
        progress=progress,
        beta=cfg.beta,
        max_length=cfg.max_length,
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=2,
    )
    resume = any(ckpt_dir.glob("checkpoint-*"))
    result = trainer.train(resume_from_checkpoint=True if resume else None)

    path, content_hash = save_merged(
        trainer.model,
        base,
        out,
        stage="dpo",
        meta={
            "pairs": len(rows),
            "steps": result.global_step,
            "train_loss": result.training_loss,
            "dpo": asdict(cfg),
        },
        meta_file="qadapter-dpo.json",
    )
    shutil.rmtree(ckpt_dir, ignore_errors=True)
    return {
        "path": path,
        "content_hash": content_hash,
        "steps": result.global_step,
        "metrics": {"train_loss": result.training_loss},
    }
