"""Train one steering variant: a seeded subset of harmless train pairs, off- or on-policy.

The "short" setting used for the comparisons (CPU budget): pairs whose rendered prompt is at most
``--max-prompt-tokens`` (56) tokens (no prompt truncation, system prompt kept), ``--n`` of them
(seeded), each response cut to ``max_length - prompt`` tokens (>= 24; a cut response has no EOS
and ends there, data/tokenize.py). ``--pairs onpolicy`` replaces the rejected side by pi1's own
greedy reply (qadapter.onpolicy.onpolicy_pairs), cached in runs/onpolicy-<n>-<seed>-....jsonl.

``--anchors K`` adds K helpful anchors to the same run (qadapter.onpolicy.anchor_pairs): seeded
prompts of data/hh-mini/helpful train (rendered prompt <= ``--max-prompt-tokens``), chosen = pi1's
greedy reply (``--onpolicy-tokens`` new tokens), rejected = one of qadapter.onpolicy.REFUSALS
(seeded draw); prompts where pi1 does not answer (rule classifier) are skipped and counted. They
are appended to the harmless pairs; the training loop shuffles the union every epoch.
``--prepare-only`` builds the cached pair files and stops (no training).

    python experiments/steering/train_variant.py --pairs offpolicy -o runs/off --lr 1e-3 --epochs 2
    python experiments/steering/train_variant.py --pairs onpolicy -o runs/on --lr 1e-3 --epochs 2
    python experiments/steering/train_variant.py --pairs onpolicy --anchors 64 -o runs/on-anchors \
        --lr 1e-3 --epochs 2 --alpha0 0.1 --alpha-tilde 0.1 --gamma 0.99 --beta 0.1
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
from qadapter.config import FORMER_SMOL, profile
from qadapter.data import dataset_hash, load_splits
from qadapter.data.pairs import PreferencePair
from qadapter.data.tokenize import encode_prompt
from qadapter.models import load_base
from qadapter.onpolicy import anchor_pairs, onpolicy_pairs, select_pairs
from qadapter.train import train


def short_pairs(tokenizer, pairs, max_prompt_tokens: int) -> list[PreferencePair]:
    return [p for p in pairs if len(encode_prompt(tokenizer, p.prompt)) <= max_prompt_tokens]


def cached(path: Path, make) -> list[PreferencePair]:
    """The pairs stored at ``path`` (jsonl), or ``make()`` written there first."""
    if path.is_file():
        rows = [json.loads(x) for x in path.read_text().splitlines()]
        return [
            PreferencePair(tuple(r["prompt"]), r["chosen"], r["rejected"], origin=r["origin"])
            for r in rows
        ]
    t0 = time.time()
    pairs = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
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
            for p in pairs
        )
    )
    print(f"{path}: {len(pairs)} pairs in {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    return pairs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", choices=["offpolicy", "onpolicy"], required=True)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-prompt-tokens", type=int, default=56)
    ap.add_argument("--max-length", type=int, default=80)
    ap.add_argument("--onpolicy-tokens", type=int, default=32)
    ap.add_argument("--anchors", type=int, default=0, help="helpful anchors mixed in (0: none)")
    ap.add_argument("--prepare-only", action="store_true")
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
        tag = f"{args.n}-{args.seed}-{args.max_prompt_tokens}-{args.onpolicy_tokens}"
        picked = cached(
            Path(f"runs/onpolicy-{tag}.jsonl"),
            lambda: onpolicy_pairs(
                base, pool, args.n, args.seed, max_new_tokens=args.onpolicy_tokens, batch_size=8
            ),
        )
    anchors: list[PreferencePair] = []
    if args.anchors:
        helpful = load_splits("data/hh-mini/helpful").train
        # one pair per distinct prompt (the anchor's chosen side is pi1's reply, not the data's)
        seen: set = set()
        distinct = [p for p in helpful if not (p.key()[0] in seen or seen.add(p.key()[0]))]
        hpool = short_pairs(base.tokenizer, distinct, args.max_prompt_tokens)
        tag = f"{args.anchors}-{args.seed}-{args.max_prompt_tokens}-{args.onpolicy_tokens}"
        stats: dict = {}
        anchors = cached(
            Path(f"runs/anchors-{tag}.jsonl"),
            lambda: anchor_pairs(
                base,
                hpool,
                args.anchors,
                args.seed,
                max_new_tokens=args.onpolicy_tokens,
                batch_size=8,
                stats=stats,
            ),
        )
        print(
            f"anchors: {len(anchors)} kept of {args.anchors} helpful train prompts "
            f"({len(hpool)} short of {len(helpful)}) {stats or '(cached)'}",
            file=sys.stderr,
        )
    if args.prepare_only:
        return 0
    cfg = profile("smol", **FORMER_SMOL).with_overrides(  # the study's sections 1-6 setting
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
            f"short of {len(train_all)})"
            + (
                f" + {len(anchors)} helpful anchors (data/hh-mini/helpful train)" if anchors else ""
            ),
            "hash": dataset_hash(picked + anchors),
            "pairs": len(picked) + len(anchors),
        },
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "steering_variant": vars(args),
    }
    log = []
    res = train(
        model,
        base.tokenizer,
        picked + anchors,
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
