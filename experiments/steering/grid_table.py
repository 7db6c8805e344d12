"""The table of a ``grid.py`` run, re-scored with the current refusal classifier.

``grid.jsonl`` keeps every reply, so a classifier fix re-scores a whole grid without decoding
again. Prompts are counted as in ``behaviour_metrics``: risky prompts where pi1's reply (the
file's first line) is an answer, helpful prompts pi1 answers. A prompt that the current
classifier counts but the run did not decode is reported, never silently dropped.

    python experiments/steering/grid_table.py runs/grid-gpu/grid.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys

from qadapter.evaluate.behaviour import keep_share, steer_share
from qadapter.evaluate.refusal import ANSWER, classify


def rows_of(path: str) -> tuple[dict, list[dict]]:
    rows = [json.loads(line) for line in open(path) if line.strip()]
    if not rows or rows[0].get("variant") != "pi1":
        raise SystemExit(f"{path}: the first line must be pi1's replies (a grid.py output)")
    return rows[0], rows[1:]


def score(pi1: dict, row: dict) -> tuple[dict, dict, list[str]]:
    """(steer, keep, missing prompts) of one (variant, alpha0) row."""
    out, missing = [], []
    for kind, share in (("risky", steer_share), ("helpful", keep_share)):
        base = {x["prompt"][-1]["content"]: x["reply"] for x in pi1[kind]}
        counted = [p for p, r in base.items() if classify(r).label == ANSWER]
        got = {x["prompt"]: x["reply"] for x in row[kind]}
        missing += [p for p in counted if p not in got]
        keep = [p for p in counted if p in got]
        stat, _ = share([base[p] for p in keep], [got[p] for p in keep])
        out.append(stat.as_dict())
    return out[0], out[1], missing


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("grid", help="a grid.jsonl written by grid.py")
    args = ap.parse_args(argv)
    pi1, rows = rows_of(args.grid)
    print("| variant | pairs | steps | alpha0 | steer % (declines/counted) | keep % (answered) |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        s, k, missing = score(pi1, row)
        print(
            f"| {row['variant']} | {row['pairs']} | {row['steps']} | {row['alpha0_decode']} | "
            f"{100 * s['share']:.1f} +- {100 * s['stderr']:.1f} ({s['hits']}/{s['total']}) | "
            f"{100 * k['share']:.1f} +- {100 * k['stderr']:.1f} ({k['hits']}/{k['total']}) |"
        )
        if missing:
            print(f"  ({row['variant']}: {len(missing)} counted prompts not decoded in this run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
