"""The paper's comparison baselines, trained on the same pairs, base and LoRA size as Q-Adapter.

``train_baseline(name, base, pairs, output_dir, cfg=None, *, reward=None)`` trains one of

* ``sft``: supervised fine-tuning on the chosen responses (:mod:`.sft`);
* ``dpo``: DPO directly on the new preference pairs (:mod:`.dpo`);
* ``rl``: online RL (RLOO) against a reward callable, e.g. the harmless reward model (:mod:`.rl`);

and returns ``{"path", "content_hash", "steps", "metrics"}`` where ``path`` is a merged
safetensors model directory that :func:`qadapter.models.load_base` loads: the evaluation treats
each baseline as a policy like pi1. Transfer Q* trains nothing: it is a decoder of pi1
(:class:`qadapter.tqstar.TransferQStar`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..config import ConfigError
from ..data.pairs import PreferencePair
from ..dpo import DPOStageConfig
from .dpo import train_dpo
from .rl import RLBaselineConfig, train_rl
from .sft import SFTBaselineConfig, train_sft

CONFIGS = {"sft": SFTBaselineConfig, "dpo": DPOStageConfig, "rl": RLBaselineConfig}
TRAINERS = {"sft": train_sft, "dpo": train_dpo, "rl": train_rl}


def train_baseline(
    name: str,
    base,
    pairs: Sequence[PreferencePair],
    output_dir: str | Path,
    cfg=None,
    *,
    reward: Callable | None = None,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = False,
) -> dict:
    """Train baseline ``name`` ("sft", "dpo", "rl") on ``pairs``; ``cfg`` defaults to its config."""
    if name not in CONFIGS:
        decoder = name in ("tqstar", "transfer-q*")
        hint = " (Transfer Q* is a decoder: qadapter.tqstar.TransferQStar)" if decoder else ""
        raise ConfigError(f"unknown baseline {name!r}{hint}; choose one of {sorted(CONFIGS)}")
    cfg = CONFIGS[name]() if cfg is None else cfg
    if not isinstance(cfg, CONFIGS[name]):
        raise ConfigError(
            f"baseline {name!r} takes a {CONFIGS[name].__name__}, got {type(cfg).__name__}"
        )
    common = {"callbacks": callbacks, "progress": progress}
    if name == "rl":
        return train_rl(base, pairs, output_dir, cfg, reward=reward, **common)
    if reward is not None:
        raise ConfigError(
            f"baseline {name!r} trains on the pairs and takes no reward; drop reward="
        )
    return TRAINERS[name](base, pairs, output_dir, cfg, **common)


__all__ = [
    "CONFIGS",
    "TRAINERS",
    "RLBaselineConfig",
    "SFTBaselineConfig",
    "DPOStageConfig",
    "train_baseline",
    "train_dpo",
    "train_rl",
    "train_sft",
]
