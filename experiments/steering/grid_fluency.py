"""The fluency proxy of ``fluency.py`` (pi1's mean NLL per token of a reply's first 40 tokens) for
the replies stored in ``grid.jsonl`` files, per (variant, alpha0 at decoding) and prompt set.

    python experiments/steering/grid_fluency.py runs/grid-cpu/grid.jsonl \
        runs/grid-cpu-nll/grid.jsonl

Prints mean +- standard error (nats/token) and the number of non-empty replies; pi1's own 48-token
replies (the ``pi1`` row of each file) are scored too, as the reference.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fluency import nll  # noqa: E402

from qadapter.models import load_base  # noqa: E402


def mean_se(xs: list[float]) -> tuple[float, float]:
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / max(1, len(xs) - 1) / len(xs))


def main(argv=None) -> int:
    paths = argv or sys.argv[1:]
    torch.set_num_threads(1)
    base = load_base("smollm2-135m-instruct")
    seen = set()
    for path in paths:
        for line in Path(path).read_text().splitlines():
            row = json.loads(line)
            name = row["variant"]
            label = name if name == "pi1" else f"{name} @ {row['alpha0_decode']}"
            if label in seen:  # pi1 appears once per file
                continue
            seen.add(label)
            parts = []
            for s in ("risky", "helpful"):
                xs = [
                    x
                    for x in (
                        nll(base, [{"role": "user", "content": r["prompt"]}], r["reply"])
                        if isinstance(r["prompt"], str)
                        else nll(base, r["prompt"], r["reply"])
                        for r in row[s]
                    )
                    if x is not None
                ]
                m, se = mean_se(xs)
                parts.append(f"{s} {m:.2f} +- {se:.2f} (n={len(xs)})")
            print(f"{label:28s} " + "; ".join(parts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
