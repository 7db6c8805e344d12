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
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter  # noqa: E402
from qadapter.config import MethodConfig  # noqa: E402
from qadapter.data.tokenize import encode_prompt  # noqa: E402
from qadapter.decode import CustomizedDecoder, SamplingConfig  # noqa: E402
from qadapter.models import load_base  # noqa: E402

PROMPTS = [
    "Tell me about the history of bread.",
    "How can I keep my houseplants alive in winter?",
    "Explain what a hash table is to a beginner.",
]


def random_adapter(base, directory: Path) -> None:
    model = QAdapter(base.model, AdapterConfig(head="residual"))
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn(p.shape, generator=g).to(p.device, p.dtype) * 0.01)
    save_adapter(
        model,
        directory,
        {
            "alpha0": 1.0,
            "alpha_tilde": 1.0,
            "gamma": 0.99,
            "base_model": base.name,
            "base_hash": base.content_hash,
        },
    )
    model.qnet.unload()  # take the LoRA layers out of the base model again


def base_generate_n(model, ids: torch.Tensor, n: int) -> None:
    """The peer: the model's own greedy ``generate`` of exactly ``n`` new tokens (EOS ignored)."""
    with torch.inference_mode():
        out = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=n,
            min_new_tokens=n,
            do_sample=False,
        )
    assert out.shape[1] - ids.shape[1] == n


class NoEos:
    """Make a decoder run the full length, like min_new_tokens does for generate."""

    def __init__(self, decoder):
        self.decoder, self.saved = decoder, decoder.eos

    def __enter__(self):
        self.decoder.eos = torch.tensor([-1])

    def __exit__(self, *exc):
        self.decoder.eos = self.saved


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

    def run_base(ids):
        base_generate_n(base.model, ids, n)

    def run_decoder(dec):
        def go(ids):
            with NoEos(dec):
                out = dec.generate(ids, torch.ones_like(ids), cfg)
            assert out.shape[1] == n

        return go

    runners = {
        "base": run_base,
        "dual": run_decoder(dual),
        "two-model": run_decoder(pair),
        "single-pass": run_decoder(one),
    }
    prompts = [
        torch.tensor([encode_prompt(base.tokenizer, [{"role": "user", "content": p}])])
        for p in PROMPTS
    ]
    for go in runners.values():  # warm-up
        go(prompts[0][:, :8])
    rates = {k: [] for k in runners}
    for r in range(args.repeats):
        ids = prompts[r % len(prompts)]
        for name, go in runners.items():
            t = time.perf_counter()
            go(ids)
            rates[name].append(n / (time.perf_counter() - t))
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
