"""Pairwise win rates in AlpacaEval's conventions: annotations, arithmetic, files.

Conventions (stored and computed exactly as AlpacaEval does, written here from its documentation):

* an annotation compares ``output_1`` (the reference, generator_1: pi1) with ``output_2`` (the
  model, generator_2: the customized policy); ``preference`` is in [1, 2]: 1 = reference better,
  2 = model better, 1.5 = tie, values between are graded (a reward model's Bradley-Terry
  probability);
* the judge sees each pair in a random order, decided per item by ``sha256(seed, instruction)``
  (:func:`is_swapped`); a verdict given on the swapped order is mapped back (``3 - p``), so the
  stored
  ``preference`` always reads "model vs reference". ``judge_preference`` keeps the verdict as given
  and ``swapped`` says which order the judge saw;
* ``win_rate = 100 * mean(preference - 1)``;
  ``standard_error = 100 * std(preference - 1, ddof=1) / sqrt(n)``
  (the sample standard deviation, as scipy's ``sem``; NaN when n < 2);
* ``discrete_win_rate = 100 * (n_wins + n_draws / 2) / n_total``, where a win is preference > 1.5,
  a draw is preference == 1.5, a loss (``n_wins_base``) is preference < 1.5;
* unparsed verdicts (``preference`` None) are left out of every mean and counted in ``n_unparsed``;
  ``n_total = n_wins + n_wins_base + n_draws`` counts the judged items only;
* ``avg_length`` is the mean length in characters of the model's outputs (all items);
* ``length_controlled_win_rate`` is the project's own two-parameter length control
  (:mod:`qadapter.evaluate.length_control`), not AlpacaEval's official LC win rate.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from pathlib import Path
from typing import Sequence

from .judges.base import JudgeItem, PairwiseJudge, render_conversation
from .judges.validation import validate
from .length_control import length_controlled_win_rate

LEADERBOARD_COLUMNS = (
    "generator",
    "win_rate",
    "standard_error",
    "discrete_win_rate",
    "length_controlled_win_rate",
    "n_wins",
    "n_wins_base",
    "n_draws",
    "n_total",
    "n_unparsed",
    "avg_length",
    "mode",
)


def is_swapped(seed: int, instruction: str) -> bool:
    """Whether the judge sees the model's output first, decided by ``sha256(seed, instruction)``.

    Deterministic per (seed, instruction), independent of item order; about half of the
    instructions are swapped for any seed.
    """
    digest = hashlib.sha256(f"{seed}\n{instruction}".encode("utf-8", "surrogatepass")).digest()
    return digest[0] >= 128


def winrate_stats(preferences: Sequence[float | None]) -> dict:
    """Win-rate numbers of one generator from its per-item preferences (module docstring rules).

    >>> s = winrate_stats([2.0, 1.0, 1.5, 2.0, None])
    >>> s["win_rate"], s["discrete_win_rate"], s["n_wins"], s["n_draws"], s["n_unparsed"]
    (62.5, 62.5, 2, 1, 1)
    """
    judged = []
    for i, p in enumerate(preferences):
        if p is None:
            continue
        if not (isinstance(p, (int, float)) and 1.0 <= p <= 2.0):
            raise ValueError(
                f"preference #{i} is {p!r}; preferences must be numbers in [1, 2] or None"
            )
        judged.append(float(p))
    n = len(judged)
    wins = sum(p > 1.5 for p in judged)
    losses = sum(p < 1.5 for p in judged)
    draws = n - wins - losses
    mean = sum(p - 1.0 for p in judged) / n if n else math.nan
    if n >= 2:
        var = sum((p - 1.0 - mean) ** 2 for p in judged) / (n - 1)
        se = 100.0 * math.sqrt(var) / math.sqrt(n)
    else:
        se = math.nan
    return {
        "win_rate": 100.0 * mean,
        "standard_error": se,
        "discrete_win_rate": 100.0 * (wins + draws / 2) / n if n else math.nan,
        "n_wins": wins,
        "n_wins_base": losses,
        "n_draws": draws,
        "n_total": n,
        "n_unparsed": len(preferences) - n,
    }


def annotate(
    prompts: Sequence[Sequence[dict]],
    reference_outputs: Sequence[str],
    model_outputs: Sequence[str],
    judge: PairwiseJudge,
    *,
    seed: int = 0,
    reference_name: str = "pi1",
    model_name: str = "customized",
) -> list[dict]:
    """Judge model vs reference on each prompt, order randomized per item, mapped back.

    Returns AlpacaEval-shaped annotations: ``instruction, output_1 (reference), output_2 (model),
    generator_1, generator_2, annotator, preference (model vs reference), raw_completion,
    swapped, judge_preference, seed`` plus the judge's ``details`` (``judge_*`` fields are in the
    order the judge saw, like ``judge_preference``).
    """
    if not len(prompts) == len(reference_outputs) == len(model_outputs):
        raise ValueError(
            f"annotate: {len(prompts)} prompts, {len(reference_outputs)} reference and "
            f"{len(model_outputs)} model outputs; give one of each per prompt"
        )
    instructions = [render_conversation(p) for p in prompts]
    swapped = [is_swapped(seed, text) for text in instructions]
    items = [
        JudgeItem(tuple(p), m, r) if s else JudgeItem(tuple(p), r, m)
        for p, r, m, s in zip(prompts, reference_outputs, model_outputs, swapped)
    ]
    verdicts = judge.judge(items)
    if len(verdicts) != len(items):
        raise RuntimeError(
            f"judge {judge.name!r} returned {len(verdicts)} verdicts for {len(items)} items"
        )
    rows = []
    for text, r, m, s, v in zip(instructions, reference_outputs, model_outputs, swapped, verdicts):
        p = v.preference
        rows.append(
            {
                "instruction": text,
                "output_1": r,
                "output_2": m,
                "generator_1": reference_name,
                "generator_2": model_name,
                "annotator": judge.name,
                "preference": None if p is None else (3.0 - p if s else p),
                "raw_completion": v.raw_completion,
                "swapped": s,
                "judge_preference": p,
                "seed": seed,
                **v.details,
            }
        )
    return rows


def leaderboard_row(annotations: Sequence[dict], *, mode: str) -> dict:
    """The leaderboard row of ``generator_2`` in ``annotations`` (columns: LEADERBOARD_COLUMNS)."""
    if not annotations:
        raise ValueError("leaderboard_row: no annotations to summarize")
    generators = {a["generator_2"] for a in annotations}
    if len(generators) != 1:
        raise ValueError(
            f"leaderboard_row: annotations mix generators {sorted(generators)}; one at a time"
        )
    preferences = [a["preference"] for a in annotations]
    stats = winrate_stats(preferences)
    model_lengths = [len(a["output_2"]) for a in annotations]
    lc = length_controlled_win_rate(
        preferences, model_lengths, [len(a["output_1"]) for a in annotations]
    )
    return {
        "generator": generators.pop(),
        **stats,
        "length_controlled_win_rate": lc,
        "avg_length": sum(model_lengths) / len(model_lengths),
        "mode": mode,
    }


def write_annotations(path: str | Path, annotations: Sequence[dict]) -> Path:
    """``annotations.json``: a JSON list, one object per item (AlpacaEval's layout)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(list(annotations), indent=2, ensure_ascii=False) + "\n")
    return path


def write_leaderboard(path: str | Path, rows: Sequence[dict]) -> Path:
    """``leaderboard.csv`` with one row per generator (columns: LEADERBOARD_COLUMNS)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=LEADERBOARD_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def judge_subset(
    base_name: str,
    adapter_dir,
    pairs,
    judge: PairwiseJudge | str,
    out_dir: str | Path,
    seed: int = 0,
    max_new_tokens: int = 128,
    *,
    judge_kwargs: dict | None = None,
    base=None,
    batch_size: int = 8,
    limit: int | None = None,
    sampling=None,
    progress: bool = False,
    alpha0: float | None = None,
    reference_cache: str | Path | None = None,
    validation=None,
    role: str = "other",
    thresholds=None,
) -> dict:
    """Win rate of the customized policy (``adapter_dir``) against pi1 on ``pairs``' prompts.

    Generates both sides (greedy unless ``sampling`` is given), judges them with ``judge`` (a
    judge, or a name for :func:`qadapter.evaluate.judges.get_judge` with ``judge_kwargs``; the
    reward-model judge defaults to ``base=`` the loaded base and ``test_pairs=pairs``), writes
    ``annotations.json``, ``leaderboard.csv`` and ``judge.json`` into ``out_dir`` and returns
    ``{"row", "annotations", "paths", "judge", "trusted", "warnings", "average_reward", "n_prompts",
    "n_duplicate_prompts", "wall_s"}``. Repeated prompts are judged once (counted).
    ``alpha0``: decode the customized side at this alpha0 (eq. 6) instead of the adapter's own.
    ``reference_cache``: where pi1's greedy replies are kept (:func:`generate_responses`).
    ``validation``: known-answer :class:`~qadapter.evaluate.judges.validation.Cases` for the
    judge, checked for ``role`` (``harmless``, ``helpful``, ``other``) against ``thresholds``;
    then ``trusted`` is the validation's verdict (every check that applies passed), stored in
    ``judge.json`` under ``validation`` with the reasons it is not trusted.
    """
    import time

    from ..decode import SamplingConfig
    from ..models import load_base
    from .judges import get_judge
    from .responses import generate_responses, unique_prompts

    base = base if base is not None else load_base(base_name)
    prompts, duplicates = unique_prompts(pairs)
    if limit is not None:
        prompts = prompts[:limit]
    if not prompts:
        raise ValueError(
            f"judge_subset: no prompts to judge in {out_dir}; give the subset's test pairs"
        )
    if isinstance(judge, str):
        kwargs = dict(judge_kwargs or {})
        if judge == "reward-model":
            kwargs.setdefault("base", base)
            kwargs.setdefault("test_pairs", list(pairs))
        judge = get_judge(judge, **kwargs)
    cfg = sampling or SamplingConfig(max_new_tokens=max_new_tokens, greedy=True)
    sides = generate_responses(
        base,
        adapter_dir,
        prompts,
        cfg=cfg,
        batch_size=batch_size,
        progress=progress,
        alpha0=alpha0,
        reference_cache=reference_cache,
    )
    started = time.perf_counter()
    annotations = annotate(prompts, sides["reference"], sides["customized"], judge, seed=seed)
    judge_wall = time.perf_counter() - started
    row = leaderboard_row(annotations, mode=judge.name)
    described = judge.describe()
    warnings = []
    if validation is not None:
        checked = validate(judge, validation, role, thresholds, seed=seed)
        described = {**described, "trusted": checked.trusted, "validation": checked.as_dict()}
        if not checked.trusted:
            warnings.append(
                f"judge {judge.name} is not trusted ({role}): " + "; ".join(checked.reasons)
            )
    elif described.get("trusted") is False:
        warnings.append(
            f"judge {judge.name} is not trusted: held-out pairwise accuracy "
            f"{described.get('test_accuracy', float('nan')):.3f} < {described.get('min_accuracy')}"
        )
    if row["n_unparsed"]:
        warnings.append(
            f"{row['n_unparsed']} of {len(annotations)} verdicts could not be parsed "
            "(left out of the win rate)"
        )
    average = None
    if all("judge_reward_1" in a for a in annotations):  # a reward-model judge: Fig. 3 scores
        from .judges.reward_judge import mean_and_se

        ref = [a["judge_reward_2"] if a["swapped"] else a["judge_reward_1"] for a in annotations]
        model = [a["judge_reward_1"] if a["swapped"] else a["judge_reward_2"] for a in annotations]
        average = {"reference": mean_and_se(ref), "customized": mean_and_se(model)}
    out = Path(out_dir)
    paths = {
        "annotations": str(write_annotations(out / "annotations.json", annotations)),
        "leaderboard": str(write_leaderboard(out / "leaderboard.csv", [row])),
        "judge": str(out / "judge.json"),
    }
    Path(paths["judge"]).write_text(
        json.dumps(
            {**described, "average_reward": average, "warnings": warnings},
            indent=2,
            default=str,
        )
        + "\n"
    )
    return {
        "row": row,
        "annotations": annotations,
        "paths": paths,
        "judge": described,
        "trusted": described.get("trusted"),
        "warnings": warnings,
        "average_reward": average,
        "n_prompts": len(prompts),
        "n_duplicate_prompts": duplicates,
        "wall_s": {**sides["wall_s"], "judge": judge_wall},
        "reference_cached": sides["reference_cached"],
    }
