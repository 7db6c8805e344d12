"""The alpha0 sweep's pieces: grids, per-point metrics, the selection rule, the table and Figure 3.

Two kinds of sweep point (``flows/sweep.py`` runs them):

* ``train``: one Q-Adapter trained per alpha0 (the customize flow's stage tasks, cached per key);
* ``decode``: one trained Q, the customized policy of eq. 6 evaluated at another alpha0 without
  retraining (the evaluate / judge stage tasks with a ``decode_alpha0``, which is part of their
  cache keys; ``tasks.common``).

Everything here is a pure function of the points' rows (dicts holding ``kind``,
``alpha0`` and the customize flow's parent-run metric names), so the numbers in the table, the
plot and the choice are the numbers logged on the points' MLflow runs.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

# Default grids per profile: the paper's section 5.4 grid; fewer points where the CPU pays.
GRIDS: dict[str, dict[str, tuple[float, ...]]] = {
    "paper": {"train": (0.005, 0.05, 0.1, 0.5, 1.0), "decode": (0.005, 0.05, 0.1, 0.5, 1.0)},
    # smol trains at alpha0 0.1 (the steering recipe); decoding it at 0.15 / 0.2 / 0.3 trades
    # declines for answered helpful prompts (docs/experiments/steering.md, section 8)
    "smol": {"train": (0.1, 0.2, 0.5), "decode": (0.1, 0.15, 0.2, 0.3)},
    "tiny": {"train": (0.1, 1.0), "decode": (0.1, 1.0)},
}
SUBSETS = ("harmless", "helpful")
COLUMNS = (
    "kind", "alpha0", "alpha0_trained", "winrate.harmless", "winrate.harmless_se",
    "winrate.helpful", "winrate.helpful_se", "probe.delta", "probe.delta_se", "kl.general",
    "heldout.accuracy", "reward.harmless", "reward.harmless_pi1", "reward.helpful",
    "reward.helpful_pi1", "model_version", "run_id", "passes", "chosen", "reason",
)  # fmt: skip


def grid(profile: str, kind: str, override: list[float] | None = None) -> list[float]:
    """The alpha0 values of a sweep kind: ``override`` if given, else the profile's grid; sorted,
    each once; an empty or negative grid is refused."""
    values = list(override) if override is not None else list(GRIDS[profile][kind])
    bad = [a for a in values if not (isinstance(a, (int, float)) and 0.0 <= a <= 1e4)]
    if not values or bad:
        raise ValueError(
            f"{kind} alpha0 grid {values!r}: give one or more numbers in [0, 1e4] "
            f"(the profile's default is {list(GRIDS[profile][kind])})"
        )
    return sorted({float(a) for a in values})


def average_rewards(annotations: list[dict]) -> dict:
    """Figure 3's average rewards from judged annotations (``judge/annotations.json`` rows).

    Per subset: ``reward.<subset>`` (mean reward of the customized replies under that subset's
    reward model), ``reward.<subset>_se`` (its standard error, ddof 1) and ``reward.<subset>_pi1``
    (pi1's mean). Rewards are stored in the order the judge saw (``swapped``: customized first).
    A subset judged without rewards (an LLM judge) has no entries.
    """
    from qadapter.evaluate.judges.reward_judge import mean_and_se

    out = {}
    for subset in SUBSETS:
        rows = [a for a in annotations if a.get("subset") == subset]
        if not rows or not all("judge_reward_1" in a for a in rows):
            continue
        pi1 = [a["judge_reward_2"] if a["swapped"] else a["judge_reward_1"] for a in rows]
        mine = [a["judge_reward_1"] if a["swapped"] else a["judge_reward_2"] for a in rows]
        stats = mean_and_se(mine)
        out[f"reward.{subset}"] = stats["mean"]
        out[f"reward.{subset}_se"] = stats["standard_error"]
        out[f"reward.{subset}_pi1"] = mean_and_se(pi1)["mean"]
    return out


@dataclass(frozen=True)
class Selection:
    """The outcome of :func:`select`: the chosen row (None if no point passes) and why."""

    chosen: dict | None
    passing: list[dict]
    ties: list[dict]
    reasons: dict[int, str] = field(default_factory=dict)  # row index -> why it failed
    summary: str = ""


def _num(row: dict, name: str) -> float | None:
    v = row.get(name)
    return None if not isinstance(v, (int, float)) or math.isnan(v) else float(v)


def select(
    rows: list[dict],
    *,
    max_probe_drop: float = 2.0,
    max_helpful_loss: float = 5.0,
    kinds: tuple[str, ...] = ("train",),
) -> Selection:
    """The selection rule: the highest harmless win rate among the points that kept their
    general ability and helpfulness.

    A row of a kind in ``kinds`` passes when its probe drop ``-probe.delta`` (general-probe points,
    0-100) is at most ``max_probe_drop`` and its helpful win-rate loss ``50 - winrate.helpful``
    (win-rate points against pi1; 50 = as helpful as pi1) is at most ``max_helpful_loss``; a row
    missing any of the three metrics fails. Among the passing rows, the highest
    ``winrate.harmless`` wins; rows with exactly that win rate are ties, broken by the smaller
    probe drop, then the smaller helpful loss, then the larger alpha0 (closer to pi1), then
    ``train`` before ``decode``. No row passing: ``chosen`` is None, every reason is listed.
    """
    reasons, passing = {}, []
    for i, row in enumerate(rows):
        if row["kind"] not in kinds:
            reasons[i] = f"kind {row['kind']} is not selected from ({', '.join(kinds)})"
            continue
        harmless, helpful = _num(row, "winrate.harmless"), _num(row, "winrate.helpful")
        delta = _num(row, "probe.delta")
        if harmless is None or helpful is None or delta is None:
            reasons[i] = "missing winrate.harmless, winrate.helpful or probe.delta"
            continue
        why = []
        if -delta > max_probe_drop:
            why.append(f"probe drop {-delta:.2f} > {max_probe_drop:g}")
        if 50.0 - helpful > max_helpful_loss:
            why.append(f"helpful loss {50.0 - helpful:.2f} > {max_helpful_loss:g}")
        if why:
            reasons[i] = "; ".join(why)
        else:
            passing.append(row)
    if not passing:
        return Selection(None, [], [], reasons, f"no point passes ({len(rows)} checked)")
    best = max(r["winrate.harmless"] for r in passing)
    ties = [r for r in passing if r["winrate.harmless"] == best]
    ties.sort(
        key=lambda r: (
            -r["probe.delta"],  # the smaller probe drop first (drop = -delta)
            50.0 - r["winrate.helpful"],
            -r["alpha0"],
            r["kind"] != "train",
        )
    )
    chosen = ties[0]
    text = (
        f"{chosen['kind']} alpha0={chosen['alpha0']:g}: harmless win rate {best:.2f}, "
        f"{len(passing)} of {len(rows)} points within tolerances"
    )
    if len(ties) > 1:
        others = ", ".join(f"{r['kind']} {r['alpha0']:g}" for r in ties[1:])
        text += f"; tied with {others} (broken by probe drop, helpful loss, larger alpha0)"
    return Selection(chosen, passing, ties, reasons, text)


def table(rows: list[dict], sel: Selection) -> list[dict]:
    """The sweep table (``COLUMNS``), kind then alpha0 order, with each row's verdict."""
    out = []
    for i, row in enumerate(rows):
        verdict = {
            "passes": any(r is row for r in sel.passing),
            "chosen": row is sel.chosen,
            "reason": sel.reasons.get(i, ""),
        }
        out.append({c: {**row, **verdict}.get(c) for c in COLUMNS})
    return sorted(out, key=lambda r: (r["kind"] != "train", r["alpha0"]))


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def plot_series(rows: list[dict]) -> dict:
    """What Figure 3 draws, per kind sorted by alpha0: ``reward[kind]`` = {alpha0, helpful,
    harmless} (rows without rewards left out, counted in ``no_reward``), ``pi1`` = pi1's mean
    rewards (mean over the rows), ``points`` = (kind, alpha0, helpful win rate, harmless win
    rate, probe delta) for the scatters."""
    reward, pi1, missing = {}, {"helpful": [], "harmless": []}, 0
    for kind in ("train", "decode"):
        mine = sorted((r for r in rows if r["kind"] == kind), key=lambda r: r["alpha0"])
        have = [r for r in mine if _num(r, "reward.helpful") is not None]
        have = [r for r in have if _num(r, "reward.harmless") is not None]
        missing += len(mine) - len(have)
        if have:
            reward[kind] = {
                "alpha0": [r["alpha0"] for r in have],
                "helpful": [r["reward.helpful"] for r in have],
                "harmless": [r["reward.harmless"] for r in have],
            }
        for r in have:
            for s in ("helpful", "harmless"):
                if _num(r, f"reward.{s}_pi1") is not None:
                    pi1[s].append(r[f"reward.{s}_pi1"])
    points = [
        (r["kind"], r["alpha0"], r.get("winrate.helpful"), r.get("winrate.harmless"),
         r.get("probe.delta"))
        for r in sorted(rows, key=lambda r: (r["kind"] != "train", r["alpha0"]))
    ]  # fmt: skip
    return {
        "reward": reward,
        "pi1": {s: sum(v) / len(v) for s, v in pi1.items() if v},
        "points": points,
        "no_reward": missing,
    }
