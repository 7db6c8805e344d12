"""Win rates of a steering adapter against pi1 with the pipeline's reward-model judge.

The judge, its training pairs and its trust check are the ``smol`` experiment's
(``tasks/experiment.py``: a reward model per subset trained on 128 train pairs, cached under
``$QADAPTER_CACHE``), so the numbers compare with the ``customize/hh`` runs. pi1 is the embedded
SmolLM2-135M-Instruct (the steering study's base, not the pipeline's helpful-aligned one).
``--prompts`` distinct held-out prompts per subset (the pipeline uses 16), greedy replies of
``--max-new-tokens`` (the pipeline: 64).

    python experiments/steering/winrate.py runs/steer-cli/adapter --prompts 48 \
        -o runs/steer-cli/judge
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from qadapter.evaluate.winrate import judge_subset  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from tasks.experiment import experiment, judge_data  # noqa: E402
from tasks.judging import judge_kwargs  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("adapter")
    ap.add_argument("--prompts", type=int, default=48, help="distinct held-out prompts per subset")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--alpha0", type=float, help="decode-time alpha0 (default: the adapter's)")
    ap.add_argument("-o", "--out", required=True)
    args = ap.parse_args(argv)
    cfg = experiment("smol", judge_prompts=args.prompts)
    data = judge_data(cfg)
    base = load_base("smollm2-135m-instruct")
    summary = {}
    for subset in ("harmless", "helpful"):
        res = judge_subset(
            base.name,
            args.adapter,
            data[subset]["test"],
            "reward-model",
            Path(args.out) / subset,
            seed=cfg.train.seed,
            max_new_tokens=args.max_new_tokens,
            judge_kwargs=judge_kwargs(cfg, data[subset]),
            base=base,
            limit=args.prompts,
            alpha0=args.alpha0,
        )
        row = res["row"]
        summary[subset] = {
            "win_rate": row["win_rate"],
            "standard_error": row["standard_error"],
            "n": row["n_total"],
            "judge_accuracy": res["judge"].get("test_accuracy"),
            "trusted": res["trusted"],
        }
        print(
            f"{subset}: win rate vs pi1 {row['win_rate']:.1f}% +- {row['standard_error']:.1f} "
            f"over {row['n_total']} prompts (judge held-out accuracy "
            f"{res['judge'].get('test_accuracy')})",
            flush=True,
        )
    Path(args.out, "summary.json").write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
