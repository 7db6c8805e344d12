"""Online RL baseline: RLOO (TRL ``RLOOTrainer``) against a reward callable, LoRA on pi1.

Objective: the KL-regularized reward of RLHF, max_pi E[r(x, y)] - beta KL(pi || pi1), the same
objective Q-Adapter's and DPO's closed forms solve. RLOO (Ahmadian et al., 2024) samples
``num_generations`` completions per prompt, subtracts beta * sum_t log(pi / pi1) from each
sequence's reward, and uses the mean reward of the *other* completions of the same prompt as the
baseline (leave-one-out), with a PPO-style clipped ratio. Why RLOO and not GRPO: RLOO puts the KL
into the reward as the RLHF objective does, and its leave-one-out baseline is unbiased; GRPO
divides advantages by the group's reward std and adds the KL to the loss. pi1 is the reference
policy (the LoRA disabled), prompts are the pairs' prompts; the pairs' responses are not used.

The reward callable has the project's interface ``score(prompts: list[list[dict]], responses:
list[str]) -> list[float]`` (e.g. the harmless reward-model judge).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..config import BIG, ConfigError, check_fields, setting
from ..data.pairs import PreferencePair
from .lora import LoRABaselineSettings, merged_record, private_copy, trl, trl_trainer

Score = Callable[[list, list], list]


@dataclass(frozen=True)
class RLBaselineConfig(LoRABaselineSettings):
    lr: float = setting(5e-5, "AdamW learning rate (linear decay)", lo=0.0, hi=1.0, lo_open=True)
    beta: float = setting(
        0.05, "KL(pi || pi1) weight inside the reward (TRL's default)", lo=0.0, hi=1e4
    )
    num_generations: int = setting(4, "completions per prompt (leave-one-out group)", lo=2, hi=BIG)
    prompts_per_step: int = setting(2, "prompts per optimizer step", lo=1, hi=BIG)
    micro_batch_size: int = setting(4, "completions per forward pass", lo=1, hi=BIG)
    max_completion_length: int = setting(64, "sampled response tokens", lo=1, hi=10**7)
    # prompts keep their last user turn beyond this (counted)
    max_prompt_length: int = setting(192, "max prompt tokens", lo=1, hi=10**7)
    temperature: float = setting(1.0, "sampling temperature", lo=0.0, hi=1e4, lo_open=True)
    epochs: int = setting(1, "passes over the prompts", lo=1, hi=10**5)
    max_steps: int = setting(-1, "stop after this many steps; -1: all epochs", lo=-1, hi=BIG)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.max_steps == 0:
            raise ConfigError("RL baseline: max_steps must be >= 1, or -1 for all epochs; got 0")
        if (self.prompts_per_step * self.num_generations) % self.micro_batch_size:
            raise ConfigError(
                f"RL baseline: prompts_per_step * num_generations "
                f"({self.prompts_per_step * self.num_generations}) must be a multiple of "
                f"micro_batch_size ({self.micro_batch_size})"
            )


def trl_reward(score: Score) -> Callable:
    """Adapt ``score(prompts, responses)`` to TRL's ``reward(prompts, completions, **kw)``."""

    def reward(prompts, completions, **kwargs) -> list[float]:
        texts = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
        msgs = [
            list(p) if isinstance(p, list) else [{"role": "user", "content": p}] for p in prompts
        ]
        values = [float(v) for v in score(msgs, texts)]
        if len(values) != len(texts):
            raise ValueError(
                f"RL baseline: the reward returned {len(values)} scores "
                f"for {len(texts)} completions"
            )
        return values

    reward.__name__ = getattr(score, "__name__", "reward")
    return reward


def prompt_rows(
    tokenizer, pairs: Sequence[PreferencePair], max_prompt_length: int
) -> tuple[list[dict], int, int]:
    """``({"prompt": messages}`` rows, one per distinct prompt; duplicates merged; prompts cut).

    A prompt longer than ``max_prompt_length`` tokens keeps its last user turn only.
    """
    from ..data.tokenize import encode_prompt

    seen, rows, duplicates, cuts = set(), [], 0, 0
    for pair in pairs:
        key = tuple((m["role"], m["content"]) for m in pair.prompt)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        msgs = [dict(m) for m in pair.prompt]
        cut = len(encode_prompt(tokenizer, msgs)) > max_prompt_length
        rows.append({"prompt": msgs[-1:] if cut else msgs})
        cuts += cut
    return rows, duplicates, cuts


def train_rl(
    base,
    pairs: Sequence[PreferencePair],
    output_dir: str | Path,
    cfg: RLBaselineConfig = RLBaselineConfig(),
    *,
    reward: Score,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = False,
) -> dict:
    """RLOO-train a copy of ``base`` on the prompts of ``pairs`` against ``reward``; merge and save.

    Returns ``{"path", "content_hash", "steps", "metrics"}``; ``path`` loads with ``load_base``.
    """
    if reward is None:
        raise ValueError(
            "RL baseline: pass reward=score(prompts, responses) "
            "(e.g. the harmless reward-model judge)"
        )
    if not pairs:
        raise ValueError("RL baseline: no prompts to train on")
    work = private_copy(base)
    rows, duplicates, cut = prompt_rows(work.tokenizer, pairs, cfg.max_prompt_length)
    completions = cfg.prompts_per_step * cfg.num_generations
    trainer = trl_trainer(
        trl().RLOOConfig,
        trl().RLOOTrainer,
        work,
        rows,
        output_dir,
        cfg,
        accumulation=completions // cfg.micro_batch_size,
        peft_config=cfg.peft_config,
        callbacks=callbacks,
        progress=progress,
        trainer_kwargs={"reward_funcs": trl_reward(reward)},
        beta=cfg.beta,
        num_generations=cfg.num_generations,
        max_completion_length=cfg.max_completion_length,
        temperature=cfg.temperature,
        save_strategy="no",
        gradient_checkpointing=False,
    )
    result = trainer.train()
    key = f"rewards/{trl_reward(reward).__name__}/mean"
    curve = [h[key] for h in trainer.state.log_history if key in h]
    metrics = {
        "train_loss": result.training_loss,
        "prompts": len(rows),
        "duplicate_prompts": duplicates,
        "cut_prompts": cut,
        "reward_first": curve[0] if curve else float("nan"),
        "reward_last": curve[-1] if curve else float("nan"),
    }
    meta = {**metrics, "steps": result.global_step, "algorithm": "RLOO", "rl": asdict(cfg)}
    return merged_record(trainer, result, base, output_dir, stage="rl", metrics=metrics, meta=meta)
