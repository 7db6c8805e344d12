"""The ``reward-model`` judge: pairwise verdicts and average rewards from a :class:`RewardModel`.

Pairwise verdicts are graded, not thresholded: ``preference = 1 + sigmoid(scale * (r2 - r1))``,
the Bradley-Terry probability that output_2 is better. Identical outputs are scored once, so they
get exactly 1.5 (a tie).

``scale`` is fitted on the judge's own held-out pairs (temperature scaling; :func:`fit_scale`).
A Bradley-Terry reward model's raw scale is arbitrary: it depends on how long and how hard it was
trained, not on how often it is right. Unscaled, a judge that ranks 88 % of held-out pairs right
but by small margins gives graded win rates of a few points around 50 even to the data's own
chosen replies, and a fixed gate such as "win rate >= 55" then means something different for each
judge. Scaled, ``sigmoid(scale * margin)`` is a probability calibrated on held-out pairs: a
judge at chance gets ``scale`` near 0 (every verdict near a tie), a decisive one a larger scale.
The ranking, and so the discrete win rate, does not change. ``calibrate=False`` keeps scale 1.

Its own pairwise accuracy on held-out pairs decides ``trusted`` (False, with a warning, below
``min_accuracy``; also False when nothing was measured).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

from ...data.hashing import dataset_hash
from ...data.pairs import PreferencePair
from .base import JudgeItem, Verdict
from .reward_model import RewardModel

log = logging.getLogger(__name__)


def sigmoid(x: float) -> float:
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def mean_and_se(values: Sequence[float]) -> dict:
    """``{"mean", "standard_error" (std with ddof=1 over sqrt(n); NaN when n < 2), "n"}``."""
    values = [float(v) for v in values]
    n = len(values)
    mean = sum(values) / n if n else math.nan
    se = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n) if n >= 2 else math.nan
    return {"mean": mean, "standard_error": se, "n": n}


def fit_scale(margins: Sequence[float], *, tol: float = 1e-10) -> float:
    """The temperature ``s >= 0`` maximizing the held-out Bradley-Terry log-likelihood
    ``sum_i log sigmoid(s * m_i)`` of margins ``m_i = r(chosen) - r(rejected)``.

    Add-one smoothing: two pseudo-pairs with margins ``+m`` and ``-m`` (``m`` the mean ``|m_i|``),
    one ranked right and one wrong, join the sum. They keep ``s`` finite when every held-out pair
    is ranked right (the unsmoothed optimum is then infinite) and pull small samples toward
    ties. The objective is concave in ``s``; its derivative ``sum_i m_i sigmoid(-s m_i)`` is
    decreasing, so the optimum is found by bisection. Returns 0 when the margins do not favour
    the chosen replies (``derivative(0) <= 0``: the judge is not better than chance here), and 1
    when there is nothing to fit (no margins, or all zero).
    """
    ms = [float(m) for m in margins]
    mean_abs = sum(abs(m) for m in ms) / len(ms) if ms else 0.0
    if not ms or mean_abs == 0.0 or not math.isfinite(mean_abs):
        return 1.0
    ms += [mean_abs, -mean_abs]

    def slope(s: float) -> float:
        return sum(m * sigmoid(-s * m) for m in ms)

    if slope(0.0) <= 0.0:
        return 0.0
    hi = 1.0 / mean_abs
    while slope(hi) > 0.0:
        hi *= 2.0
    lo = 0.0
    while hi - lo > tol * hi:
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if slope(mid) > 0.0 else (lo, mid)
    return (lo + hi) / 2.0


def average_reward(score, prompts: Sequence[Sequence[dict]], responses: Sequence[str]) -> dict:
    """Mean reward of ``responses`` under ``score`` (paper's Fig. 3) with its standard error."""
    return mean_and_se(score(prompts, responses))


def heldout_accuracy(reward_model: RewardModel, pairs: Sequence[PreferencePair]) -> dict:
    """``reward_model.pairwise_accuracy(pairs)``, stored beside a cached reward model
    (``test-<dataset hash>.json``) so that building the judge again does not re-score the pairs."""
    directory = reward_model.meta.get("path")
    digest = dataset_hash(pairs)
    path = Path(directory) / f"test-{digest[:24]}.json" if directory and pairs else None
    if path is not None and path.is_file():
        cached = json.loads(path.read_text())
        if "margins" in cached:  # older files lack the per-pair margins: measured again
            return {**cached, "cached": True}
    metrics = {**reward_model.pairwise_accuracy(pairs), "data_hash": digest}
    if path is not None:
        path.write_text(json.dumps(metrics, indent=2) + "\n")
    return {**metrics, "cached": False}


class RewardModelJudge:
    """Pairwise judge from a :class:`RewardModel`: ``preference = 1 + sigmoid(scale * (r2 - r1))``.

    ``test_pairs`` (the subset's test split) give the judge's own pairwise accuracy; below
    ``min_accuracy`` the judge is ``trusted = False`` and a warning is logged. With
    ``calibrate`` (the default) they also give ``scale`` (:func:`fit_scale`); without test pairs,
    or with ``calibrate=False``, ``scale`` is 1 (the reward model's raw scale).
    """

    name = "reward-model"

    def __init__(
        self,
        reward_model: RewardModel,
        *,
        test_pairs: Sequence[PreferencePair] = (),
        min_accuracy: float = 0.6,
        calibrate: bool = True,
    ):
        self.reward_model, self.min_accuracy = reward_model, min_accuracy
        self.test_metrics = heldout_accuracy(reward_model, list(test_pairs))
        margins = self.test_metrics.get("margins") or []
        self.calibrated = bool(calibrate and margins)
        self.scale = fit_scale(margins) if self.calibrated else 1.0
        acc = self.test_metrics["accuracy"]
        self.trusted = bool(acc >= min_accuracy)  # NaN (no test pairs) is not trusted
        if not self.trusted:
            log.warning(
                "reward-model judge is NOT trusted: pairwise accuracy %.3f on %d test pairs < %.2f",
                acc,
                self.test_metrics["n_pairs"],
                min_accuracy,
            )

    def score(self, prompts, responses) -> list[float]:
        return self.reward_model.score(prompts, responses)

    def judge(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        unique: dict[tuple[str, str], int] = {}  # (prompt, response) -> index: each scored once
        for it in items:
            for out in (it.output_1, it.output_2):
                unique.setdefault((json.dumps(it.prompt), out), len(unique))
        keys = list(unique)
        rewards = self.reward_model.score([json.loads(k[0]) for k in keys], [k[1] for k in keys])
        verdicts = []
        for it in items:
            prompt = json.dumps(it.prompt)
            r1, r2 = (
                rewards[unique[(prompt, it.output_1)]],
                rewards[unique[(prompt, it.output_2)]],
            )
            pref = 1.0 + sigmoid(self.scale * (r2 - r1))
            verdicts.append(
                Verdict(
                    pref,
                    f"r1={r1:.6g} r2={r2:.6g} scale={self.scale:.6g}",
                    {"judge_reward_1": r1, "judge_reward_2": r2},
                )
            )
        return verdicts

    def describe(self) -> dict:
        meta = {k: v for k, v in self.reward_model.meta.items() if k != "config"}
        return {
            "judge": self.name,
            "trusted": self.trusted,
            "min_accuracy": self.min_accuracy,
            "test_accuracy": self.test_metrics["accuracy"],
            "test_pairs": self.test_metrics["n_pairs"],
            "test_margin": self.test_metrics["margin"],
            "calibrated": self.calibrated,
            "scale": self.scale,
            "test_metrics_cached": self.test_metrics["cached"],
            "config": asdict(self.reward_model.cfg),
            **meta,
        }
