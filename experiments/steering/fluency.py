"""Fluency proxy: pi1's mean negative log-likelihood per token of each reply (lower = more fluent).

The refusal classifier reads phrases, not coherence: word salad that contains "I'd advise against"
counts as a decline. This script scores every reply of a variant under pi1 (first 40 tokens, the
customized replies' length) so that degenerate steering is visible next to the shares.

    python experiments/steering/fluency.py base off-paper on-paper ...

Prints, per variant and prompt set, the mean NLL (nats/token) with its standard error, and writes
runs/replies/fluency.json.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch

from qadapter.data.tokenize import encode_prompt
from qadapter.models import load_base

TOKENS = 40


@torch.no_grad()
def nll(base, prompt, reply: str) -> float | None:
    tok = base.tokenizer
    p = encode_prompt(tok, prompt)
    r = tok(reply, add_special_tokens=False)["input_ids"][:TOKENS]
    if not r:
        return None
    logits = base.model(input_ids=torch.tensor([p + r])).logits[0, len(p) - 1 : -1].float()
    lp = torch.log_softmax(logits, -1).gather(-1, torch.tensor(r)[:, None])[:, 0]
    return float(-lp.mean())


def main(argv=None) -> int:
    names = argv or sys.argv[1:]
    torch.set_num_threads(1)
    base = load_base("smollm2-135m-instruct")
    out = {}
    for name in names:
        for s in ("risky", "helpful"):
            path = Path(f"runs/replies/{name}-{s}.json")
            rows = json.loads(path.read_text())["rows"]
            xs = [x for x in (nll(base, r["prompt"], r["reply"]) for r in rows) if x is not None]
            m = sum(xs) / len(xs)
            se = math.sqrt(sum((x - m) ** 2 for x in xs) / max(1, len(xs) - 1) / len(xs))
            out[f"{name}-{s}"] = {"nll": m, "se": se, "n": len(xs), "empty": len(rows) - len(xs)}
            print(
                f"{name:16s} {s:8s} pi1 NLL {m:.2f} +- {se:.2f} nats/token (n={len(xs)})",
                flush=True,
            )
    Path("runs/replies/fluency.json").write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
