"""Pairwise judges chosen by name: ``get_judge("reward-model", ...)``, ``get_judge("openai", ...)``.

* ``reward-model`` (default, offline): ``get_judge("reward-model", base=Base, train_pairs=...,
  test_pairs=..., config=RewardModelConfig(), min_accuracy=0.6, cache_root=None, calibrate=True)``
  trains (or loads from the cache) the subset's reward model, measures its test accuracy and fits
  its verdicts' scale on the test pairs (``calibrate``; :func:`reward_judge.fit_scale`).
* ``openai``: ``get_judge("openai", config=OpenAIJudgeConfig(...))`` or the config's fields as
  keyword arguments (``base_url=..., model=..., api_key_env=...``).
"""

from __future__ import annotations

from .base import JudgeError, JudgeItem, PairwiseJudge, Verdict, render_conversation
from .openai_compat import OpenAIJudge, OpenAIJudgeConfig
from .reward_judge import RewardModelJudge, average_reward
from .reward_model import RewardModel, RewardModelConfig, train_reward_model

DEFAULT_JUDGE = "reward-model"


def _reward_model(
    *,
    base,
    train_pairs,
    test_pairs=(),
    config: RewardModelConfig | None = None,
    min_accuracy: float = 0.6,
    cache_root=None,
    progress: bool = False,
    calibrate: bool = True,
) -> RewardModelJudge:
    rm = train_reward_model(
        base,
        train_pairs,
        config or RewardModelConfig(),
        cache_root=cache_root,
        progress=progress,
    )
    return RewardModelJudge(
        rm, test_pairs=test_pairs, min_accuracy=min_accuracy, calibrate=calibrate
    )


def _openai(*, config: OpenAIJudgeConfig | None = None, sleep=None, **fields) -> OpenAIJudge:
    if config is not None and fields:
        raise JudgeError(
            f"openai judge: give either config= or its fields, not both (got {sorted(fields)})"
        )
    try:
        cfg = config or OpenAIJudgeConfig(**fields)
    except TypeError as e:
        raise JudgeError(
            f"openai judge: {e}; valid fields: {sorted(OpenAIJudgeConfig.__dataclass_fields__)}"
        ) from None
    return OpenAIJudge(cfg) if sleep is None else OpenAIJudge(cfg, sleep=sleep)


JUDGES = {"reward-model": _reward_model, "openai": _openai}


def get_judge(name: str, **kwargs) -> PairwiseJudge:
    """Build the judge called ``name`` (one of :data:`JUDGES`) from keyword arguments."""
    if name not in JUDGES:
        raise JudgeError(f"unknown judge {name!r}; choose one of {', '.join(sorted(JUDGES))}")
    return JUDGES[name](**kwargs)


__all__ = [
    "DEFAULT_JUDGE",
    "JUDGES",
    "JudgeError",
    "JudgeItem",
    "OpenAIJudge",
    "OpenAIJudgeConfig",
    "PairwiseJudge",
    "RewardModel",
    "RewardModelConfig",
    "RewardModelJudge",
    "Verdict",
    "average_reward",
    "get_judge",
    "render_conversation",
    "train_reward_model",
]
