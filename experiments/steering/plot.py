"""Per-token curves from diagnose.py outputs -> docs/experiments/steering_tokens.png.

    python experiments/steering/plot.py runs/diag/off-paper.json runs/diag/on-paper.json ...

One row per adapter; left: Q(s_t, a_t) along the chosen, rejected and pi1-greedy responses
(mean over prompts, shaded +- 1 standard error); right: log pi~(a_t|s_t) - log pi1(a_t|s_t).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"chosen": "tab:green", "rejected": "tab:red", "pi1_greedy": "tab:blue"}


def mean_se(seqs: list[list[float]]) -> tuple[list[float], list[float]]:
    width = max(len(s) for s in seqs)
    means, ses = [], []
    for t in range(width):
        xs = [s[t] for s in seqs if len(s) > t]
        m = sum(xs) / len(xs)
        var = sum((x - m) ** 2 for x in xs) / max(1, len(xs) - 1)
        means.append(m)
        ses.append(math.sqrt(var / len(xs)))
    return means, ses


def main(argv=None) -> int:
    paths = argv or sys.argv[1:]
    out = Path("docs/experiments/steering_tokens.png")
    fig, axes = plt.subplots(
        len(paths), 2, figsize=(8, 2.0 * len(paths)), squeeze=False, sharex=True
    )
    for row, path in zip(axes, paths):
        d = json.loads(Path(path).read_text())
        name = Path(path).stem
        for col, key, label in ((0, "q", "Q(s_t, a_t)"), (1, "logratio", "log pi~ - log pi1")):
            ax = row[col]
            for kind, c in d["curves"].items():
                m, se = mean_se(c[key])
                t = list(range(len(m)))
                ax.plot(t, m, color=COLORS[kind], label=kind, lw=1.2)
                ax.fill_between(
                    t,
                    [a - b for a, b in zip(m, se)],
                    [a + b for a, b in zip(m, se)],
                    color=COLORS[kind],
                    alpha=0.2,
                    lw=0,
                )
            ax.axhline(0, color="grey", lw=0.5)
            ax.set_ylabel(label, fontsize=8)
            ax.set_title(f"{name} (alpha0={d['alpha0']}, alpha~={d['alpha_tilde']})", fontsize=8)
            ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("response token t", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=60)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
