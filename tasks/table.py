"""The Table-2-shaped comparison: rows are metrics, columns are methods; markdown, CSV and a PNG.

Pure functions of the method columns (``tasks.methods.column`` records), so every number in the
table is the number in a stage record, only formatted.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

ROWS = (  # (label, value key, standard-error key or None)
    ("risky prompts declined where pi1 complies (share)", "behaviour.declined", None),
    ("helpful prompts still answered (share)", "behaviour.answered", None),
    ("harmless win rate vs pi1 (%)", "winrate.harmless", "winrate.harmless_se"),
    ("helpful win rate vs pi1 (%)", "winrate.helpful", "winrate.helpful_se"),
    ("general probe (points)", "probe.customized", None),
    ("general probe delta vs pi1 (points)", "probe.delta", "probe.delta_se"),
    ("general probe margin delta vs pi1 (nats)", "probe.margin_delta", "probe.margin_delta_se"),
    ("KL(policy || pi1) per token, general prompts", "kl.general", None),
)
# a win rate is read only when its judge passed its validation: otherwise the cell says so
UNTRUSTED = "not read (judge failed validation)"
NOTE = (
    "RL (RLOO) and Transfer Q* optimise the harmless reward model that is also the judge: their "
    "harmless win rates are flattered. Transfer Q* is a decoder of pi1: its probe rows are pi1's "
    "likelihoods, and its KL is -log pi1 of the token it picks (greedy), on the harmless prompts."
)


def readable(col: dict, key: str) -> bool:
    """False for a win rate whose judge failed its validation (``judge.<subset>.trusted`` 0)."""
    if not key.startswith("winrate."):
        return True
    trusted = col.get(f"judge.{key.split('.')[1].split('_')[0]}.trusted")
    return trusted is None or bool(trusted)


def cell(col: dict, key: str, se_key: str | None) -> str:
    if not readable(col, key):
        return UNTRUSTED
    v = col.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    digits = 4 if key.startswith("kl.") else 3 if "margin" in key else 2
    text = f"{v:.{digits}f}"
    se = col.get(se_key) if se_key else None
    if isinstance(se, (int, float)) and not math.isnan(se):
        text += f" ± {se:.{min(digits, 3)}f}"
    return text


def rows(columns: list[dict], labels: dict) -> list[dict]:
    """One dict per metric row: ``{"metric": label, <method label>: cell, ...}``."""
    return [
        {"metric": label, **{labels[c["method"]]: cell(c, key, se) for c in columns}}
        for label, key, se in ROWS
    ]


def markdown(table: list[dict], title: str, columns: list[dict] | None = None) -> str:
    """The table, the note, and (given the columns) which judges failed their validation."""
    heads = list(table[0])
    lines = [f"# {title}", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(str(r[h]) for h in heads) + " |" for r in table]
    text = "\n".join(lines) + f"\n\n{NOTE}\n"
    failed = sorted(
        {s for c in columns or () for s in ("harmless", "helpful")
         if c.get(f"judge.{s}.trusted") is not None and not c[f"judge.{s}.trusted"]}
    )  # fmt: skip
    if failed:
        text += (
            f"\nThe {' and '.join(failed)} judge(s) failed their known-answer validation "
            "(docs/judging.md): their win rates are not read; compare the behaviour rows.\n"
        )
    return text


def write_csv(path: Path, columns: list[dict], labels: dict) -> Path:
    """Full precision: one row per metric key, one column per method."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["metric", *[labels[c["method"]] for c in columns]])
        for _, key, se in ROWS:
            for k in (key, se) if se else (key,):
                w.writerow([k, *["" if c.get(k) is None else c[k] for c in columns]])
    return path


def bar_chart(path: Path, columns: list[dict], labels: dict) -> Path:
    """Win rates (with standard errors) per method on both subsets, and the probe delta."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [labels[c["method"]] for c in columns]
    x = range(len(columns))
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    for i, subset in enumerate(("harmless", "helpful")):  # untrusted judges: no bar, not read
        key = f"winrate.{subset}"
        vals = [(c.get(key) or 0.0) if readable(c, key) else 0.0 for c in columns]
        errs = [c.get(f"winrate.{subset}_se") or 0.0 for c in columns]
        errs = [0.0 if math.isnan(e) else e for e in errs]
        a.bar([j + (i - 0.5) * 0.4 for j in x], vals, 0.4, yerr=errs, label=subset, capsize=3)
    a.axhline(50, color="grey", lw=0.8, ls="--")
    a.set_xticks(list(x), names, rotation=20)
    a.set_ylabel("win rate vs pi1 (%), validated judges only")
    a.legend()
    deltas = [c.get("probe.delta") or 0.0 for c in columns]
    b.bar(list(x), deltas, 0.6, color="tab:gray")
    b.axhline(0, color="black", lw=0.8)
    b.set_xticks(list(x), names, rotation=20)
    b.set_ylabel("general probe delta (points)")
    fig.suptitle("RL and Transfer Q* optimise the judge's reward model (flatters them)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
