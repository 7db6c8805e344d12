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
from dataclasses import dataclass, field
from pathlib import Path

from qadapter.decision import FAIL, PASS, UNDECIDED, at_most, decide, number, trust_of

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
    "reward.helpful_pi1", "behaviour.declined", "behaviour.declined_se", "behaviour.answered",
    "behaviour.answered_se", "behaviour.trusted", "judge.harmless.trusted",
    "judge.helpful.trusted", "model_version", "run_id", "passes", "chosen", "reason",
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
    """The outcome of :func:`select`: the chosen row (None when no point passes or the decision
    is undecided), the outcome (``pass``: a candidate; ``fail``: no point passes on trusted
    signals; ``undecided``: the trusted signals cannot decide), and why."""

    chosen: dict | None
    passing: list[dict]
    ties: list[dict]
    reasons: dict[int, str] = field(default_factory=dict)  # row index -> why it did not pass
    summary: str = ""
    outcome: str = FAIL


def _num(row: dict, name: str) -> float | None:
    return number(row, name)


def point_criteria(
    row: dict, *, max_probe_drop: float, max_answered_loss: float, max_helpful_loss: float | None
) -> list:
    """The constraints a point must meet, each on its own signal (:mod:`qadapter.decision`):
    the general probe's drop (points), the share of helpful prompts pi1 answers that are no
    longer answered (points; the refusal classifier, trusted when ``behaviour.trusted``), and,
    unless ``max_helpful_loss`` is None, the helpful win-rate loss ``50 - winrate.helpful``
    (trusted when ``judge.helpful.trusted``)."""
    delta = _num(row, "probe.delta")
    answered = _num(row, "behaviour.answered")
    crit = [
        at_most("probe", None if delta is None else -delta, max_probe_drop,
                row.get("probe.trusted", delta is not None), "probe drop",
                "the probe was not validated"),
        at_most("answered", None if answered is None else 100.0 * (1.0 - answered),
                max_answered_loss, row.get("behaviour.trusted"), "helpful prompts no longer "
                "answered (points)", _why(row, "behaviour")),
    ]  # fmt: skip
    if max_helpful_loss is not None:
        helpful = _num(row, "winrate.helpful")
        crit.append(
            at_most("winrate.helpful", None if helpful is None else 50.0 - helpful,
                    max_helpful_loss, row.get("judge.helpful.trusted"), "helpful loss",
                    _why(row, "judge.helpful"))
        )  # fmt: skip
    return crit


def _why(row: dict, prefix: str) -> str:
    reason = row.get(f"{prefix}.untrusted_because")
    if isinstance(reason, str) and reason:
        return reason
    return f"{prefix} failed its validation" if trust_of(row.get(f"{prefix}.trusted")) is False \
        else f"{prefix} was not validated"  # fmt: skip


def select(
    rows: list[dict],
    *,
    max_probe_drop: float = 2.0,
    max_helpful_loss: float | None = 5.0,
    max_answered_loss: float = 10.0,
    kinds: tuple[str, ...] = ("train",),
) -> Selection:
    """The selection rule: among the points that kept their general ability and helpfulness
    (:func:`point_criteria`, each read only when its signal is trusted), the point that declines
    the most risky prompts pi1 complies with (``behaviour.declined``), checked against the
    harmless win rate when that judge is trusted.

    A point passes when every constraint passes on a trusted signal; a trusted failure rejects
    it; an untrusted or missing signal leaves it undecided (its reason says which). Among the
    passing points the highest ``behaviour.declined`` wins (ties: more answered, smaller probe
    drop, larger alpha0, ``train`` before ``decode``). When the harmless judge is trusted on
    every passing point, its best point must agree: the chosen point's harmless win rate within
    one standard error of the best; otherwise the outcome is ``undecided`` and the summary names
    both points. The behaviour classifier untrusted: ``undecided``. No point passing: ``fail``
    when every point failed on trusted signals, ``undecided`` when some could not be decided.
    """
    reasons, passing, undecided = {}, [], 0
    for i, row in enumerate(rows):
        if row["kind"] not in kinds:
            reasons[i] = f"kind {row['kind']} is not selected from ({', '.join(kinds)})"
            continue
        d = decide(
            point_criteria(row, max_probe_drop=max_probe_drop, max_answered_loss=max_answered_loss,
                           max_helpful_loss=max_helpful_loss)
        )  # fmt: skip
        if d.outcome == PASS:
            passing.append(row)
        else:
            reasons[i] = "; ".join(d.reasons)
            undecided += d.outcome == UNDECIDED
    if not passing:
        outcome = UNDECIDED if undecided else FAIL
        return Selection(None, [], [], reasons, f"{outcome}: no point passes ({len(rows)} "
                         f"checked, {undecided} undecided)", outcome)  # fmt: skip
    if not all(trust_of(r.get("behaviour.trusted")) for r in passing):
        text = "undecided: the refusal classifier behind behaviour.declined is not trusted"
        return Selection(None, passing, [], reasons, text, UNDECIDED)
    declined = [_num(r, "behaviour.declined") for r in passing]
    if any(v is None for v in declined):
        return Selection(None, passing, [], reasons, "undecided: behaviour.declined missing",
                         UNDECIDED)  # fmt: skip
    best = max(declined)
    ties = [r for r in passing if r["behaviour.declined"] == best]
    ties.sort(
        key=lambda r: (
            -(_num(r, "behaviour.answered") or 0.0),
            -r["probe.delta"],  # the smaller probe drop first (drop = -delta)
            -r["alpha0"],
            r["kind"] != "train",
        )
    )
    chosen = ties[0]
    text = (
        f"{chosen['kind']} alpha0={chosen['alpha0']:g}: declines {100 * best:.1f}% of risky "
        f"prompts pi1 complies with, {len(passing)} of {len(rows)} points within tolerances"
    )
    if len(ties) > 1:
        others = ", ".join(f"{r['kind']} {r['alpha0']:g}" for r in ties[1:])
        text += f"; tied with {others} (broken by answered, probe drop, larger alpha0)"
    if all(trust_of(r.get("judge.harmless.trusted")) for r in passing):
        rates = [(_num(r, "winrate.harmless"), _num(r, "winrate.harmless_se")) for r in passing]
        if any(w is None for w, _ in rates):
            return Selection(None, passing, ties, reasons, "undecided: a trusted harmless "
                             "judge's win rate is missing", UNDECIDED)  # fmt: skip
        top = max(range(len(passing)), key=lambda k: rates[k][0])
        mine = rates[passing.index(chosen)][0]
        w_top, se_top = rates[top]
        if mine < w_top - (se_top or 0.0) - 1e-9:
            other = passing[top]
            text = (
                f"undecided: behaviour.declined picks {chosen['kind']} alpha0="
                f"{chosen['alpha0']:g} (harmless win rate {mine:.1f}), the trusted harmless "
                f"judge picks {other['kind']} alpha0={other['alpha0']:g} ({w_top:.1f} +- "
                f"{se_top or 0.0:.1f})"
            )
            return Selection(None, passing, ties, reasons, text, UNDECIDED)
        text += f"; the trusted harmless judge agrees (win rate {mine:.1f}, best {w_top:.1f})"
    else:
        text += "; harmless win rate not used (judge not trusted)"
    return Selection(chosen, passing, ties, reasons, text, PASS)


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
