"""Train one steering variant: a seeded subset of harmless train pairs, off- or on-policy.

The "short" setting used for the comparisons (CPU budget): pairs whose rendered prompt is at most
``--max-prompt-tokens`` (56) tokens (no prompt truncation, system prompt kept), ``--n`` of them
(seeded), each response cut to ``max_length - prompt`` tokens (>= 24; a cut response has no EOS
and ends there, data/tokenize.py). ``--pairs onpolicy`` replaces the rejected side by pi1's own
greedy reply (qadapter.onpolicy.onpolicy_pairs), cached in runs/onpolicy-<n>-<seed>.jsonl.

    python experiments/steering/train_variant.py --pairs offpolicy -o runs/off --lr 1e-3 --epochs 2
    python experiments/steering/train_variant.py --pairs onpolicy -o runs/on --lr 1e-3 --epochs 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

from qadapter.adapter import QAdapter
from qadapter.config import profile
from qadapter.data import dataset_hash, load_splits
from qadapter.data.pairs import PreferencePair
from qadapter.data.tokenize import encode_prompt
from qadapter.models import load_base
from qadapter.onpolicy import onpolicy_pairs, select_pairs
from qadapter.train import train


def short_pairs(tokenizer, pairs, max_prompt_tokens: int) -> list[PreferencePair]:
    return [p for p in pairs if len(encode_prompt(tokenizer, p.prompt)) <= max_prompt_tokens]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", choices=["offpolicy", "onpolicy"], required=True)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-prompt-tokens", type=int, default=56)
    ap.add_argument("--max-length", type=int, default=80)
    ap.add_argument("--onpolicy-tokens", type=int, default=32)
    for name, typ in [
        ("alpha0", float),
        ("alpha-tilde", float),
        ("beta", float),
        ("gamma", float),
        ("lr", float),
        ("epochs", int),
        ("batch-size", int),
        ("micro-batch-size", int),
    ]:
        ap.add_argument(f"--{name}", type=typ)
    ap.add_argument("--head", choices=["residual", "logits"])
    ap.add_argument("--reg-reduction", choices=["mean", "sum"])
    args = ap.parse_args(argv)
    torch.set_num_threads(1)  # under heavy CPU contention 2 threads were ~20x slower
    base = load_base("smollm2-135m-instruct")
    train_all = load_splits("data/hh-mini/harmless").train
    pool = short_pairs(base.tokenizer, train_all, args.max_prompt_tokens)
    picked = select_pairs(pool, args.n, args.seed)
    if args.pairs == "onpolicy":
        cache = Path(
            f"runs/onpolicy-{args.n}-{args.seed}-{args.max_prompt_tokens}-{args.onpolicy_tokens}.jsonl"
        )
        if cache.is_file():
            rows = [json.loads(x) for x in cache.read_text().splitlines()]
            picked = [
                PreferencePair(tuple(r["prompt"]), r["chosen"], r["rejected"], origin=r["origin"])
                for r in rows
            ]
        else:
            t0 = time.time()
            picked = onpolicy_pairs(
                base, pool, args.n, args.seed, max_new_tokens=args.onpolicy_tokens, batch_size=8
            )
            cache.write_text(
                "".join(
                    json.dumps(
                        {
                            "prompt": list(p.prompt),
                            "chosen": p.chosen,
                            "rejected": p.rejected,
                            "origin": p.origin,
                        }
                    )
                    + "\n"
                    for p in picked
                )
            )
            print(
                f"on-policy replies: {len(picked)} prompts, {time.time() - t0:.0f}s -> {cache}",
                file=sys.stderr,
            )
    cfg = profile(
        "smol",
        alpha0=args.alpha0,
        alpha_tilde=args.alpha_tilde,
        beta=args.beta,
        gamma=args.gamma,
        lr=args.lr,
        epochs=args.epochs,
        batch_size=args.batch_size or 8,
        micro_batch_size=args.micro_batch_size or 8,
        max_length=args.max_length,
        max_prompt_length=args.max_prompt_tokens,
        reg_reduction=args.reg_reduction,
        checkpoint_every=0,
    )
    if args.head:
        cfg = replace(cfg, adapter=replace(cfg.adapter, head=args.head))
    model = QAdapter(base.model, cfg.adapter, seed=cfg.seed)
    meta = {
        "base_model": base.name,
        "base_hash": base.content_hash,
        "data": {
            "source": f"data/hh-mini/harmless ({args.pairs}, n={len(picked)} of {len(pool)} "
            f"short of {len(train_all)})",
            "hash": dataset_hash(picked),
            "pairs": len(picked),
        },
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "steering_variant": vars(args),
    }
    log = []
    res = train(
        model,
        base.tokenizer,
        picked,
        cfg,
        args.output,
        meta=meta,
        progress=False,
        callbacks=[log.append],
    )
    Path(args.output, "steps.jsonl").write_text("".join(json.dumps(m) + "\n" for m in log))
    print(
        f"{args.output}: {res.steps} steps on {res.pairs} pairs ({res.truncated} cut) "
        f"in {res.seconds:.0f}s; last: "
        + ", ".join(
            f"{k} {log[-1][k]:.3f}"
            for k in ("loss", "accuracy", "margin", "chosen_return", "rejected_return")
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
