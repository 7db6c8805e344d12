"""Customized-decoding speed against the base model's own ``generate``, measured in one run.

    python benchmarks/decode.py [--base smollm2-135m-instruct] [--new-tokens 128] [--repeats 5]

Builds a random (non-zero) LoRA adapter on the base, then times, on the same prompts and for the
same number of new tokens (EOS ignored on both sides by forcing the length):

* ``base``: ``model.generate`` of the base model, greedy, batch 1 (the peer);
* ``dual``: eq. 6 with base and adapter streams as one doubled batch on the shared base weights
  (alpha0 = 0.5, the general case; what ``qadapter generate`` uses);
* ``two-model``: eq. 6 with two separate models (base, and a copy with the LoRA merged), each
  with its own KV cache: the straightforward way, for comparison;
* ``single-pass``: the exact alpha0 = 1 residual-head shortcut (see qadapter/decode.py).

Prints tokens/s of each and the ratios to ``base`` as medians over ``--repeats`` rounds; rounds
interleave the three so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402  (benchmarks/common.py)
    base_runner,
    decoder_runner,
    interleaved_rates,
    prompt_ids,
    random_adapter,
)

from qadapter.config import MethodConfig  # noqa: E402
from qadapter.decode import CustomizedDecoder, SamplingConfig  # noqa: E402
from qadapter.models import load_base  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--base", default="smollm2-135m-instruct")
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    base = load_base(args.base)
    with tempfile.TemporaryDirectory() as tmp:
        random_adapter(base, Path(tmp))
        dual = CustomizedDecoder.from_adapter(tmp, base, alpha0=0.5, alpha_tilde=1.0)
        one = CustomizedDecoder.from_adapter(tmp, base, alpha0=1.0, alpha_tilde=1.0)
        pair = CustomizedDecoder(
            q_net=one.q_net,
            base_net=base.model,
            method=MethodConfig(head="residual", alpha0=0.5, alpha_tilde=1.0),
            eos_token_ids=[-1],
            pad_token_id=0,
        )
    assert dual.mode == "dual" and one.mode == "single"
    cfg = SamplingConfig(max_new_tokens=args.new_tokens, greedy=True)
    n = args.new_tokens

    runners = {
        "base": base_runner(base.model, n),
        "dual": decoder_runner(dual, cfg, n),
        "two-model": decoder_runner(pair, cfg, n),
        "single-pass": decoder_runner(one, cfg, n),
    }
    prompts = prompt_ids(base.tokenizer)
    for go in runners.values():  # warm-up
        go(prompts[0][:, :8])
    timed = interleaved_rates(runners, prompts, n, args.repeats)
    rates = {k: wall for k, (wall, _) in timed.items()}
    med = {k: statistics.median(v) for k, v in rates.items()}
    print(
        f"base={args.base} batch=1 new_tokens={n} repeats={args.repeats} "
        f"threads={torch.get_num_threads()}"
    )
    for name in runners:
        spread = f"[{min(rates[name]):.1f}-{max(rates[name]):.1f}]"
        print(
            f"{name:12s} {med[name]:7.2f} tok/s {spread:>14s}   "
            f"ratio vs base {med[name] / med['base']:.3f}"
        )


if __name__ == "__main__":
    main()
