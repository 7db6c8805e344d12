"""Behavioural metric of one variant from reply files (experiments/steering/replies.py outputs).

    python experiments/steering/metric.py runs/replies/NAME

reads NAME-risky.json and NAME-helpful.json. A second argument names the directory of pi1's
files (default runs/replies; another pi1, e.g. the customize flow's, has its own).

pi1's files are runs/replies/base-{risky,helpful}.json. Customized files may hold only the counted
prompts (--only-counted); rows are matched by prompt. Prints steer and keep shares with standard
errors and the classifier rule counts; writes NAME-metric.json.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from qadapter.evaluate.behaviour import behaviour_metrics


def load(path: str) -> dict:
    rows = json.loads(Path(path).read_text())["rows"]
    return {json.dumps(r["prompt"]): r["reply"] for r in rows}


def main(argv=None) -> int:
    args = argv or sys.argv[1:]
    stem = args[0]
    base_dir = args[1] if len(args) > 1 else "runs/replies"  # where pi1's base-*.json are
    parts = {}
    for s in ("risky", "helpful"):
        base, custom = load(f"{base_dir}/base-{s}.json"), load(f"{stem}-{s}.json")
        keys = [k for k in base if k in custom]
        parts[s] = (
            [tuple(json.loads(k)) for k in keys],
            [base[k] for k in keys],
            [custom[k] for k in keys],
        )
    m = behaviour_metrics(*parts["risky"], *parts["helpful"])
    rules = Counter(r["custom_rule"] for r in m["risky_rows"] if r["counted"])
    s, k = m["steer"], m["keep"]
    print(
        f"{stem}: steer {100 * s['share']:.1f}% +- {100 * s['stderr']:.1f} "
        f"({s['hits']}/{s['total']}); "
        f"keep {100 * k['share']:.1f}% +- {100 * k['stderr']:.1f} ({k['hits']}/{k['total']}); "
        f"risky rules {dict(rules)}"
    )
    Path(f"{stem}-metric.json").write_text(json.dumps(m, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
