"""Stacked adapters: decoding speed at depth 1, 2, 3 against the base model's own ``generate``,
and the cost of a training step at depth 1 vs 2, measured in one run.

    python benchmarks/stack.py [--base smollm2-135m-instruct] [--new-tokens 64] [--repeats 3]

Builds a chain of three random (non-zero) LoRA adapters (r=16, all-linear, residual head,
alpha0 = 0.5 so that depth 1 takes the two-group dual path, not the alpha0 = 1 shortcut), each
recorded with its parent. Decoding: batch 1, greedy, EOS ignored on all sides (forced length);
depth d runs d + 1 row groups over the shared base weights (``qadapter.dual``). Rounds interleave
the four runners so machine noise hits them alike; medians are printed.

Each rate is also given per CPU-second of this process (``time.process_time``): on a shared,
saturated machine wall-clock rates move with the neighbours, CPU-time ratios much less.

Training: the same micro-batch of mini-HH harmless pairs, forward + backward of ``pair_terms``
(no optimizer step), for a depth-1 adapter (base pass + adapter pass) and a depth-2 adapter on a
one-adapter stack (base + parent rows in one no-grad pass, then the adapter pass).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import (  # noqa: E402  (benchmarks/common.py)
    base_runner,
    decoder_runner,
    interleaved_rates,
    prompt_ids,
    random_adapter,
    timed,
)

from qadapter.adapter import QAdapter  # noqa: E402
from qadapter.config import FORMER_SMOL, profile  # noqa: E402
from qadapter.data import load_preferences  # noqa: E402
from qadapter.data.tokenize import collate_pairs  # noqa: E402
from qadapter.decode import CustomizedDecoder, SamplingConfig  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from qadapter.objective import pair_terms, tokenize_all  # noqa: E402
from qadapter.stack import Stack  # noqa: E402


def random_chain(name: str, root: Path, depth: int) -> list[Path]:
    """Adapter directories 1..depth, each saved on top of the one below (random LoRA)."""
    dirs: list[Path] = []
    for k in range(depth):
        base = load_base(name)
        parent = Stack.load(dirs[-1], base.model, base.content_hash) if dirs else None
        out = root / f"level{k + 1}"
        random_adapter(base, out, seed=k, noise_seed=100 + k, alpha0=0.5, parent=parent)
        dirs.append(out)
    return dirs


def decode_rates(base, dirs, n: int, repeats: int) -> dict[str, tuple[list, list]]:
    cfg = SamplingConfig(max_new_tokens=n, greedy=True)
    decoders = {
        f"depth {k + 1}": CustomizedDecoder.from_adapter(d, base) for k, d in enumerate(dirs)
    }
    for k, dec in enumerate(decoders.values(), 1):
        assert dec.depth == k and dec.rows.count == k + 1, dec.mode
    runners = {
        "base": base_runner(base.model, n),
        **{k: decoder_runner(d, cfg, n) for k, d in decoders.items()},
    }
    prompts = prompt_ids(base.tokenizer)
    for go in runners.values():  # warm-up
        go(prompts[0][:, :8])
    return interleaved_rates(runners, prompts, n, repeats, log=True)


def train_costs(name: str, parent_dir: Path, micro: int, max_length: int, steps: int) -> dict:
    """Seconds (wall, CPU) per forward + backward of one micro-batch, depth 1 and depth 2."""
    pairs = load_preferences(str(ROOT / "data/hh-mini/harmless/train.jsonl")).pairs[:micro]
    cfg = profile(  # eq. 9 alone (FORMER_SMOL), the setting of the reported ratios
        "smol",
        **{**FORMER_SMOL, "max_length": max_length, "max_prompt_length": max_length // 2},
        micro_batch_size=micro,
        batch_size=micro,
    )
    models = {}
    for depth in (1, 2):
        base = load_base(name)
        parent = Stack.load(parent_dir, base.model, base.content_hash) if depth == 2 else None
        models[depth] = QAdapter(base.model, cfg.adapter, parent=parent, seed=0)
    batch = collate_pairs(tokenize_all(base.tokenizer, pairs, cfg), base.tokenizer.pad_token_id)

    def step(model):
        loss, _ = pair_terms(model, batch, cfg)
        loss.sum().backward()

    for model in models.values():  # warm-up
        step(model)
    costs = {d: ([], []) for d in models}
    for _ in range(steps):
        for d, model in models.items():
            wall, cpu = timed(step, model)
            costs[d][0].append(wall)
            costs[d][1].append(cpu)
            print(f"  train depth {d}: {wall:.2f} s", file=sys.stderr, flush=True)
    return {"tokens": int(batch["attention_mask"].sum()), "costs": costs}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--base", default="smollm2-135m-instruct")
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--micro-batch", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--train-steps", type=int, default=3)
    args = ap.parse_args()

    base = load_base(args.base)
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        dirs = random_chain(args.base, Path(tmp), 3)
        rates = decode_rates(base, dirs, args.new_tokens, args.repeats)
        train = train_costs(args.base, dirs[0], args.micro_batch, args.max_length, args.train_steps)
    print(
        f"base={args.base} batch=1 new_tokens={args.new_tokens} repeats={args.repeats} "
        f"threads={torch.get_num_threads()}"
    )
    wall0, cpu0 = med(rates["base"][0]), med(rates["base"][1])
    for name, (wall, cpu) in rates.items():
        print(
            f"decode {name:8s} {med(wall):7.2f} tok/s [{min(wall):.1f}-{max(wall):.1f}]  "
            f"ratio vs base {med(wall) / wall0:.3f}   "
            f"{med(cpu):7.2f} tok/CPU-s  ratio {med(cpu) / cpu0:.3f}"
        )
    c = train["costs"]
    print(f"train step (fwd+bwd, {args.micro_batch} pairs, {train['tokens']} tokens):")
    for d in (1, 2):
        print(
            f"  depth {d}  {med(c[d][0]):6.2f} s wall [{min(c[d][0]):.2f}-{max(c[d][0]):.2f}]  "
            f"{med(c[d][1]):6.2f} CPU-s"
        )
    print(
        f"  depth 2 / depth 1: wall {med(c[2][0]) / med(c[1][0]):.3f}  "
        f"CPU {med(c[2][1]) / med(c[1][1]):.3f}"
    )


if __name__ == "__main__":
    main()
