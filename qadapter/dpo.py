"""Stage 1 of the experiment: align a base on "helpful" pairs with DPO + LoRA, merged into pi1.

The paper's premise is a preference-aligned pi1. This stage produces one from a base model with
TRL's ``DPOTrainer`` (LoRA on all linear layers; the reference policy is the base with the
adapter disabled), merges the LoRA into the weights and saves a plain safetensors model directory
that :func:`qadapter.models.load_base` loads like any other base. Checkpoints every
``save_steps`` let a retried run resume.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from .data.pairs import PreferencePair
from .models import HASH_FILE, files_hash


@dataclass(frozen=True)
class DPOStageConfig:
    beta: float = 0.1  # DPO's KL weight
    lr: float = 5e-5  # AdamW learning rate
    epochs: int = 1
    batch_size: int = 8  # pairs per optimizer step
    micro_batch_size: int = 2
    max_length: int = 256
    max_steps: int = -1  # -1: all epochs
    lora_r: int = 16
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    save_steps: int = 20  # checkpoint interval (optimizer steps) for resuming after a failure
    seed: int = 0
    bf16: bool = False  # CUDA


def align_base(base, pairs: Sequence[PreferencePair], output_dir: str | Path, cfg: DPOStageConfig, *, callbacks: Sequence[Callable[[dict], None]] = (), progress: bool = False) -> dict:
    """DPO-align ``base`` (a :class:`qadapter.models.Base`) on ``pairs``; write the merged model.

    Returns ``{"path", "content_hash", "steps", "metrics"}``. Resumes from the newest checkpoint
    under ``output_dir/checkpoints`` if one exists.
    """
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import TrainerCallback
    from trl import DPOConfig, DPOTrainer

    out = Path(output_dir)
    ckpt_dir = out / "checkpoints"
    rows = [{"prompt": list(p.prompt), "chosen": [{"role": "assistant", "content": p.chosen}],
             "rejected": [{"role": "assistant", "content": p.rejected}]} for p in pairs]
    if not rows:
        raise ValueError("helpful-base stage: no preference pairs to train on")

    class Relay(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs:
                record = {k: float(v) for k, v in logs.items() if isinstance(v, (int, float))}
                record["step"] = state.global_step
                for cb in callbacks:
                    cb(record)

    args = DPOConfig(
        output_dir=str(ckpt_dir), beta=cfg.beta, learning_rate=cfg.lr, num_train_epochs=cfg.epochs, max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.micro_batch_size, gradient_accumulation_steps=max(1, cfg.batch_size // cfg.micro_batch_size),
        max_length=cfg.max_length, logging_steps=1, save_strategy="steps", save_steps=cfg.save_steps, save_total_limit=2,
        report_to=[], seed=cfg.seed, bf16=cfg.bf16, use_cpu=not torch.cuda.is_available(), dataloader_num_workers=0,
        disable_tqdm=not progress, lr_scheduler_type="linear",
    )
    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout, target_modules="all-linear", task_type="CAUSAL_LM")
    trainer = DPOTrainer(model=base.model, args=args, train_dataset=Dataset.from_list(rows), processing_class=base.tokenizer, peft_config=lora, callbacks=[Relay()])
    resume = any(ckpt_dir.glob("checkpoint-*"))
    result = trainer.train(resume_from_checkpoint=True if resume else None)

    merged = trainer.model.merge_and_unload()
    merged.config.name_or_path = f"{base.name}+dpo"
    tmp = out / "model.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    merged.save_pretrained(tmp, safe_serialization=True)
    base.tokenizer.save_pretrained(tmp)
    content_hash = files_hash(tmp)
    (tmp / HASH_FILE).write_text(content_hash + "\n")
    meta = {"stage": "helpful-base", "parent_base": base.name, "parent_hash": base.content_hash, "pairs": len(rows),
            "steps": result.global_step, "train_loss": result.training_loss, "dpo": asdict(cfg)}
    (tmp / "qadapter-dpo.json").write_text(json.dumps(meta, indent=2) + "\n")
    final = out / "model"
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    shutil.rmtree(ckpt_dir, ignore_errors=True)
    return {"path": str(final), "content_hash": content_hash, "steps": result.global_step, "metrics": {"train_loss": result.training_loss}}
