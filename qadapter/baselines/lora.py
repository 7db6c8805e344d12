"""What every trained baseline shares: Q-Adapter's LoRA size, a private copy of the base, the TRL
trainer set-up (:func:`trl_trainer`), a log relay, and the merged safetensors directory that
:func:`qadapter.models.load_base` reads.

Trainers wrap the model they are given in PEFT layers and ``merge_and_unload`` writes the LoRA
into its weights, so each baseline trains on a deep copy: the caller's ``base`` stays pi1.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from ..adapter import lora_config as adapter_lora_config
from ..config import AdapterConfig, setting
from ..errors import QAdapterError
from ..models import Base
from ..models import save_merged as merge_into_base

_QADAPTER = AdapterConfig()  # the baselines use Q-Adapter's own LoRA size (paper appendix C)
LORA_R, LORA_ALPHA, LORA_DROPOUT = (
    _QADAPTER.lora_r,
    _QADAPTER.lora_alpha,
    _QADAPTER.lora_dropout,
)


def lora_config(r: int = LORA_R, alpha: int = LORA_ALPHA, dropout: float = LORA_DROPOUT):
    """PEFT LoRA config of Q-Adapter's adapter code path (all linear layers but the output head)."""
    return adapter_lora_config(AdapterConfig(lora_r=r, lora_alpha=alpha, lora_dropout=dropout))


@dataclass(frozen=True)
class LoRABaselineSettings:
    """The settings every trained baseline shares: Q-Adapter's LoRA size, a seed, bf16 (CUDA).
    Baseline configs subclass it (frozen dataclasses; these fields come first)."""

    lora_r: int = setting(LORA_R, "LoRA rank (Q-Adapter's)", lo=1, hi=4096)
    lora_alpha: int = setting(LORA_ALPHA, "LoRA alpha (Q-Adapter's)", lo=1, hi=10**6)
    lora_dropout: float = setting(LORA_DROPOUT, "LoRA dropout (Q-Adapter's)", lo=0.0, hi=0.99)
    seed: int = setting(0, "random seed", lo=0, hi=2**32 - 1)
    bf16: bool = setting(False, "bf16 compute (CUDA)")

    @property
    def peft_config(self):
        """The PEFT LoRA config of these settings (:func:`lora_config`)."""
        return lora_config(self.lora_r, self.lora_alpha, self.lora_dropout)


def trl():
    """TRL (optional extra ``dpo``), or one line saying how to install it."""
    try:
        import trl as module
    except ImportError:
        raise QAdapterError(
            "the SFT, DPO and RL baselines need TRL, which is not installed; "
            "pip install 'qadapter[dpo]'"
        ) from None
    return module


def private_copy(base: Base) -> Base:
    """The same base with its own model weights, safe to train and merge into."""
    return replace(base, model=copy.deepcopy(base.model))


def quiet(trainer, progress: bool):
    """Without a progress bar, a transformers Trainer prints every log dict to stdout: drop that."""
    if not progress:
        from transformers.trainer_callback import PrinterCallback

        trainer.remove_callback(PrinterCallback)
    return trainer


def log_relay(callbacks: Sequence[Callable[[dict], None]]):
    """A transformers ``TrainerCallback`` that forwards numeric log records (with ``step``)."""
    from transformers import TrainerCallback

    class Relay(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs:
                record = {k: float(v) for k, v in logs.items() if isinstance(v, (int, float))}
                record["step"] = state.global_step
                for cb in callbacks:
                    cb(record)

    return Relay()


def trl_trainer(
    config_cls,
    trainer_cls,
    work: Base,
    rows: list[dict],
    output_dir: str | Path,
    cfg,
    *,
    accumulation: int,
    peft_config,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = False,
    trainer_kwargs: dict | None = None,
    **config_kwargs,
):
    """A TRL trainer (``config_cls``/``trainer_cls``: SFT, DPO, RLOO) set up the way every
    trained model of the project is: LoRA ``peft_config`` on ``work.model``, checkpoints under
    ``output_dir/checkpoints``, one log record per step relayed to ``callbacks``, linear decay,
    no reporting integrations, the CPU unless CUDA is there, no dataloader workers, and no
    printed log dicts without a progress bar. ``cfg`` (a baseline or DPO stage config) gives
    lr, epochs, max_steps, micro_batch_size, seed and bf16; ``config_kwargs`` are the method's
    own settings (beta, lengths, save strategy); ``trainer_kwargs`` its own trainer arguments."""
    import torch
    from datasets import Dataset

    args = config_cls(
        output_dir=str(Path(output_dir) / "checkpoints"),
        learning_rate=cfg.lr,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.micro_batch_size,
        gradient_accumulation_steps=accumulation,
        logging_steps=1,
        report_to=[],
        seed=cfg.seed,
        bf16=cfg.bf16,
        use_cpu=not torch.cuda.is_available(),
        dataloader_num_workers=0,
        disable_tqdm=not progress,
        lr_scheduler_type="linear",
        **config_kwargs,
    )
    trainer = trainer_cls(
        model=work.model,
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=work.tokenizer,
        peft_config=peft_config,
        callbacks=[log_relay(callbacks)],
        **(trainer_kwargs or {}),
    )
    return quiet(trainer, progress)


def merged_record(
    trainer, result, base: Base, output_dir, *, stage: str, metrics: dict, meta: dict
) -> dict:
    """Merge the trained LoRA and write it with ``meta`` (:func:`save_merged`); the baselines'
    record ``{"path", "content_hash", "steps", "metrics"}``."""
    path, content_hash = save_merged(trainer.model, base, output_dir, stage=stage, meta=meta)
    return {
        "path": path,
        "content_hash": content_hash,
        "steps": result.global_step,
        "metrics": metrics,
    }


def save_merged(
    peft_model, base: Base, output_dir: str | Path, *, stage: str, meta: dict
) -> tuple[str, str]:
    """:func:`qadapter.models.save_merged` with the baselines' metadata file."""
    return merge_into_base(
        peft_model, base, output_dir, stage=stage, meta=meta, meta_file="qadapter-baseline.json"
    )
