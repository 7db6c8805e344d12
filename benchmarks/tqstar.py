"""Transfer Q* decoding speed against the base model's own ``generate``, measured in one run.

    python benchmarks/tqstar.py [--base smollm2-135m-instruct] [--new-tokens 48] [--repeats 3]
                                [--k 4] [--rollout 8]

Times, on the same prompts and for the same number of new tokens (EOS ignored on every side, so
each step pays for full rollouts: the worst case), batch 1:

* ``base``: ``model.generate`` of pi1, greedy (the peer);
* ``tqstar/lexical``: Transfer Q* with a reward that costs nothing (a word count on the text), so
  the ratio is the decoding overhead alone (top-k, rollouts, cache copies, detokenization);
* ``tqstar/rm-sized``: Transfer Q* with a stand-in of the reward model's *cost*: the base's own
  transformer over prompt + response (no KV reuse, as a reward model sees each text afresh) and
  a random linear head on the last hidden state, i.e. what a same-size reward model costs.

Prints tokens/s of each (median over ``--repeats`` rounds, interleaved) and the ratios to ``base``,
twice: per wall-clock second, and per second of this process's CPU time (``time.process_time``).
On a shared, saturated machine the wall-clock numbers follow the other tenants' load; the CPU-time
ratio is the cost ratio an idle machine with the same thread count would show (run with
``OMP_NUM_THREADS=1`` there, so no thread spins while waiting for a core).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import base_generate_n, interleaved_rates  # noqa: E402  (benchmarks/common.py)

from qadapter.data.tokenize import encode_prompt, left_pad, position_ids  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from qadapter.tqstar import TQStarConfig, TransferQStar  # noqa: E402

PROMPTS = [
    "How can I keep my houseplants alive in winter?",
    "Tell me about the history of bread.",
    "Explain what a hash table is to a beginner.",
]


def lexical_reward(prompts, responses):
    """Free reward: polite words minus refusal words."""
    good, bad = ("please", "safe", "help"), ("can't", "cannot", "won't")
    return [
        float(sum(r.lower().count(w) for w in good) - sum(r.lower().count(w) for w in bad))
        for r in responses
    ]


def rm_sized_reward(base):
    """A reward with a same-size reward model's cost: backbone forward + linear head."""
    tok, backbone = base.tokenizer, base.model.model
    head = torch.randn(base.model.config.hidden_size, generator=torch.Generator().manual_seed(0))

    @torch.inference_mode()
    def score(prompts, responses):
        rows = [
            encode_prompt(tok, p) + tok(r, add_special_tokens=False)["input_ids"]
            for p, r in zip(prompts, responses)
        ]
        ids, mask = left_pad(rows, tok.pad_token_id)
        pos = position_ids(mask)
        hidden = backbone(input_ids=ids, attention_mask=mask, position_ids=pos).last_hidden_state[
            :, -1
        ]
        return (hidden.float() @ head).tolist()

    return score


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--base", default="smollm2-135m-instruct")
    ap.add_argument("--new-tokens", type=int, default=48)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--k", type=int, default=4)
    ap.add_argument("--rollout", type=int, default=8)
    args = ap.parse_args()

    base = load_base(args.base)
    n = args.new_tokens
    cfg = TQStarConfig(k=args.k, rollout=args.rollout, alpha=1.0, max_new_tokens=n)
    decoders = {
        "tqstar/lexical": TransferQStar(
            base.model, base.tokenizer, lexical_reward, eos_token_ids=[-1]
        ),
        "tqstar/rm-sized": TransferQStar(
            base.model, base.tokenizer, rm_sized_reward(base), eos_token_ids=[-1]
        ),
    }

    def run_base(msgs):
        base_generate_n(base.model, torch.tensor([encode_prompt(base.tokenizer, msgs)]), n)

    def run_decoder(dec):
        def go(msgs):
            ids = torch.tensor([encode_prompt(base.tokenizer, msgs)])
            out = dec.generate(ids, torch.ones_like(ids), [msgs], cfg)
            assert out.shape[1] == n

        return go

    runners = {
        "base": run_base,
        **{name: run_decoder(d) for name, d in decoders.items()},
    }
    prompts = [[{"role": "user", "content": p}] for p in PROMPTS]
    warm = TQStarConfig(k=args.k, rollout=2, max_new_tokens=2)
    base.model.generate(torch.tensor([[1, 2, 3]]), max_new_tokens=2, do_sample=False)
    for dec in decoders.values():
        dec.generate_text(base.tokenizer, [PROMPTS[0]], warm)
    timed = interleaved_rates(runners, prompts, n, args.repeats)
    rates = {k: wall for k, (wall, _) in timed.items()}
    cpu_rates = {k: cpu for k, (_, cpu) in timed.items()}
    med = {k: statistics.median(v) for k, v in rates.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu_rates.items()}
    print(
        f"base={args.base} batch=1 new_tokens={n} k={args.k} rollout={args.rollout} "
        f"repeats={args.repeats} threads={torch.get_num_threads()}"
    )
    for name in runners:
        spread = f"[{min(rates[name]):.2f}-{max(rates[name]):.2f}]"
        ratio, cpu_ratio = med[name] / med["base"], cpu_med[name] / cpu_med["base"]
        print(
            f"{name:16s} {med[name]:7.2f} tok/s {spread:>14s}   ratio vs base {ratio:.3f}   "
            f"per CPU-second {cpu_med[name]:7.2f} tok/s, ratio {cpu_ratio:.3f}"
        )


if __name__ == "__main__":
    main()
