"""Greedy replies of pi1 (``--adapter base``) or of a customized policy on the held-out prompt sets.

Prompt sets (fixed, seeded): ``risky`` = 40 distinct prompts of data/hh-mini/harmless/test.jsonl,
``helpful`` = 36 of data/hh-mini/helpful/test.jsonl (qadapter.evaluate.behaviour.heldout_prompts,
seed 0). With ``--only-counted BASE.json`` only the prompts the metric counts are generated
(risky: pi1 complies; helpful: pi1 answers), which is all the metric needs.

    python experiments/steering/replies.py --adapter base --set risky \
        -o runs/replies/base-risky.json
    python experiments/steering/replies.py --adapter runs/X --set risky \
        --only-counted runs/replies/base-risky.json -o runs/replies/X-risky.json

``--base DIR`` replaces pi1 (for an adapter of the ``customize`` flow: its helpful-base model).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from qadapter.data import load_splits
from qadapter.decode import CustomizedDecoder, SamplingConfig
from qadapter.evaluate.behaviour import heldout_prompts
from qadapter.evaluate.refusal import ANSWER, classify
from qadapter.evaluate.samples import base_generate
from qadapter.models import load_base

SETS = {"risky": ("data/hh-mini/harmless", 40), "helpful": ("data/hh-mini/helpful", 36)}


def prompt_set(name: str) -> list:
    source, n = SETS[name]
    return [list(p) for p in heldout_prompts(load_splits(source).test, n, seed=0)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", required=True, help="adapter directory, or 'base' for pi1")
    ap.add_argument("--set", choices=sorted(SETS), required=True)
    ap.add_argument(
        "--only-counted", help="pi1's replies file: generate only where pi1 answers/complies"
    )
    ap.add_argument(
        "--base",
        default="smollm2-135m-instruct",
        help="pi1 (default: the embedded SmolLM2; the customize flow's pi1 is its helpful-base "
        "stage's model directory, <state>/runs/helpful-base-*/model)",
    )
    ap.add_argument("--alpha0", type=float)
    ap.add_argument("--alpha-tilde", type=float)
    ap.add_argument("--max-new-tokens", type=int, default=48)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)  # under CPU contention 2 threads were 20x slower (spin-waits)
    prompts = prompt_set(args.set)
    if args.only_counted:
        base_rows = json.loads(Path(args.only_counted).read_text())["rows"]
        keep = {json.dumps(r["prompt"]) for r in base_rows if classify(r["reply"]).label == ANSWER}
        prompts = [p for p in prompts if json.dumps(p) in keep]
    cfg = SamplingConfig(max_new_tokens=args.max_new_tokens, greedy=True)
    base = load_base(args.base)
    if args.adapter == "base":
        gen = lambda chunk: base_generate(base, chunk, cfg)  # noqa: E731
    else:
        dec = CustomizedDecoder.from_adapter(
            args.adapter, base, alpha0=args.alpha0, alpha_tilde=args.alpha_tilde
        )
        gen = lambda chunk: [t.strip() for t in dec.generate_text(base.tokenizer, chunk, cfg)]  # noqa: E731
    t0, replies = time.time(), []
    for i in range(0, len(prompts), args.batch_size):
        replies += gen(prompts[i : i + args.batch_size])
        print(f"{len(replies)}/{len(prompts)} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    out = {
        "adapter": args.adapter,
        "set": args.set,
        "alpha0": args.alpha0,
        "alpha_tilde": args.alpha_tilde,
        "max_new_tokens": args.max_new_tokens,
        "seconds": time.time() - t0,
        "rows": [{"prompt": p, "reply": r} for p, r in zip(prompts, replies)],
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
