"""SFT baseline: supervised fine-tuning of pi1 on the *chosen* responses (loss on completions only).

The pairs are tokenized by :func:`qadapter.data.tokenize.tokenize_pair`, the same code and the
same truncation rules Q-Adapter trains with (prompt keeps its end, response its start, response
ends with EOS), and handed to TRL's ``SFTTrainer`` as a pre-tokenized prompt-completion dataset
(``input_ids`` + ``completion_mask``) with ``completion_only_loss=True``: the loss is the mean NLL
of the chosen response tokens, the prompt is context only. LoRA of Q-Adapter's size, merged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..config import BIG, ConfigError, check_fields, setting
from ..data.pairs import PreferencePair
from ..data.tokenize import tokenize_pair
from .lora import LoRABaselineSettings, merged_record, private_copy, trl, trl_trainer


@dataclass(frozen=True)
class SFTBaselineConfig(LoRABaselineSettings):
    lr: float = setting(2e-4, "AdamW learning rate (linear decay)", lo=0.0, hi=1.0, lo_open=True)
    epochs: int = setting(1, "passes over the pairs", lo=1, hi=10**5)
    batch_size: int = setting(8, "sequences per optimizer step", lo=1, hi=BIG)
    micro_batch_size: int = setting(4, "sequences per forward pass", lo=1, hi=BIG)
    max_length: int = setting(256, "max tokens of prompt + response (smol profile)", lo=8, hi=10**7)
    # default max_length // 2 (qadapter.data.tokenize)
    max_prompt_length: int | None = setting(None, "max prompt tokens", lo=1, hi=10**7)
    max_steps: int = setting(-1, "stop after this many steps; -1: all epochs", lo=-1, hi=BIG)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.max_steps == 0:
            raise ConfigError("SFT baseline: max_steps must be >= 1, or -1 for all epochs; got 0")
        if self.batch_size % self.micro_batch_size:
            raise ConfigError(
                f"SFT baseline: batch_size ({self.batch_size}) must be a multiple of "
                f"micro_batch_size ({self.micro_batch_size})"
            )


def sft_rows(
    tokenizer,
    pairs: Sequence[PreferencePair],
    *,
    max_length: int,
    max_prompt_length: int | None,
) -> tuple[list[dict], int]:
    """Rows ``{input_ids, completion_mask}`` of prompt + chosen; and how many pairs were cut."""
    rows, truncated = [], 0
    for pair in pairs:
        tp = tokenize_pair(
            tokenizer, pair, max_length=max_length, max_prompt_length=max_prompt_length
        )
        truncated += tp.truncated
        ids = list(tp.prompt_ids) + list(tp.chosen_ids)
        rows.append(
            {
                "input_ids": ids,
                "completion_mask": [0] * len(tp.prompt_ids) + [1] * len(tp.chosen_ids),
            }
        )
    return rows, truncated


def check_completion_only(prepared: dict, row: dict) -> None:
    """Fail unless TRL's prepared row scores exactly the response tokens (-100 elsewhere)."""
    want = [t if m else -100 for t, m in zip(row["input_ids"], row["completion_mask"])]
    if list(prepared["labels"]) != want:
        raise RuntimeError(
            "SFT baseline: TRL's labels do not mask exactly the prompt; "
            "check that this TRL version honours completion_mask with completion_only_loss=True"
        )


def train_sft(
    base,
    pairs: Sequence[PreferencePair],
    output_dir: str | Path,
    cfg: SFTBaselineConfig = SFTBaselineConfig(),
    *,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = False,
) -> dict:
    """Fine-tune a copy of ``base`` on the chosen responses of ``pairs``; write the merged model.

    Returns ``{"path", "content_hash", "steps", "metrics"}``; ``path`` loads with ``load_base``.
    """
    if not pairs:
        raise ValueError("SFT baseline: no preference pairs to train on")
    work = private_copy(base)
    rows, truncated = sft_rows(
        work.tokenizer,
        pairs,
        max_length=cfg.max_length,
        max_prompt_length=cfg.max_prompt_length,
    )
    trainer = trl_trainer(
        trl().SFTConfig,
        trl().SFTTrainer,
        work,
        rows,
        output_dir,
        cfg,
        accumulation=cfg.batch_size // cfg.micro_batch_size,
        peft_config=cfg.peft_config,
        callbacks=callbacks,
        progress=progress,
        max_length=cfg.max_length,
        completion_only_loss=True,
        save_strategy="no",
        gradient_checkpointing=False,
    )
    used = len(trainer.train_dataset)
    if used != len(rows):
        raise RuntimeError(
            f"SFT baseline: TRL dropped {len(rows) - used} of {len(rows)} sequences; "
            "every pair must keep >= 1 response token"
        )
    check_completion_only(trainer.train_dataset[0], rows[0])
    result = trainer.train()
    metrics = {
        "train_loss": result.training_loss,
        "pairs": len(rows),
        "truncated": truncated,
    }
    meta = {
        "pairs": len(rows),
        "truncated": truncated,
        "steps": result.global_step,
        "train_loss": result.training_loss,
        "sft": asdict(cfg),
    }
    return merged_record(trainer, result, base, output_dir, stage="sft", metrics=metrics, meta=meta)
