"""Where does a trained Q change pi~ on risky held-out prompts? Per-token Q and log pi~ - log pi1.

For the first ``--n`` risky prompts of runs/replies/base-risky.json where pi1 complies,
teacher-force
three responses (the test pair's chosen and rejected answer, and pi1's own greedy reply), each cut
to ``--tokens`` tokens, and record at every response position t:
  Q(s_t, a_t), log pi1(a_t|s_t), log pi~(a_t|s_t) (eq. 6 with the adapter's alpha0, alpha_tilde).
At the first response state s_0 also: pi1's greedy token g, the refusal-opener tokens ("I", "Sorry",
"Unfortunately", "Please", "No"), the best opener o*, the greedy-decision gap
  [Q(s_0, g) + alpha0 log pi1(g)] - [Q(s_0, o*) + alpha0 log pi1(o*)]
(> 0: pi~ still starts with g)
and whether pi~'s argmax differs from g.

    python experiments/steering/diagnose.py --adapter runs/X -o runs/diag/X.json
    python experiments/steering/diagnose.py --adapter none -o runs/diag/untrained.json  (Q = 0)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from qadapter.adapter import AdapterConfig, QAdapter, load_adapter
from qadapter.data import load_splits
from qadapter.data.tokenize import encode_prompt
from qadapter.evaluate.refusal import ANSWER, classify
from qadapter.loss import customized_logprobs
from qadapter.models import load_base

OPENERS = ["I", "Sorry", "Unfortunately", "Please", "No"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--adapter", required=True, help="adapter dir, or 'none' for the untrained adapter (Q = 0)"
    )
    ap.add_argument("--alpha0", type=float, default=None)
    ap.add_argument("--alpha-tilde", type=float, default=None)
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--tokens", type=int, default=24)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    base = load_base("smollm2-135m-instruct")
    tok = base.tokenizer
    if args.adapter == "none":
        model, meta = (
            QAdapter(base.model, AdapterConfig(lora_dropout=0.0)),
            {"alpha0": 1.0, "alpha_tilde": 0.1},
        )
    else:
        model, meta = load_adapter(args.adapter, base.model, base.content_hash)
    model.qnet.eval()
    a0 = args.alpha0 if args.alpha0 is not None else float(meta["alpha0"])
    at = args.alpha_tilde if args.alpha_tilde is not None else float(meta["alpha_tilde"])
    opener_ids = [tok(w, add_special_tokens=False)["input_ids"][0] for w in OPENERS]

    rows = json.loads(Path("runs/replies/base-risky.json").read_text())["rows"]
    rows = [r for r in rows if classify(r["reply"]).label == ANSWER][: args.n]
    test = {json.dumps(list(p.prompt)): p for p in load_splits("data/hh-mini/harmless").test}
    curves = {
        k: {"q": [], "logratio": [], "base_lp": []} for k in ("chosen", "rejected", "pi1_greedy")
    }
    first = []
    for r in rows:
        pair = test[json.dumps(r["prompt"])]
        prompt = encode_prompt(tok, r["prompt"])
        for kind, text in (
            ("chosen", pair.chosen),
            ("rejected", pair.rejected),
            ("pi1_greedy", r["reply"]),
        ):
            resp = tok(text, add_special_tokens=False)["input_ids"][: args.tokens]
            ids = torch.tensor([prompt + resp])
            with torch.no_grad():
                q, lp = model.full_outputs(ids, torch.ones_like(ids))  # (1, L, V)
            p0 = len(prompt) - 1
            pos = torch.arange(p0, p0 + len(resp))
            acts = torch.tensor(resp)
            log_pt = customized_logprobs(q[0, pos], lp[0, pos], alpha0=a0, alpha_tilde=at)  # (n, V)
            qa = q[0, pos, acts]
            curves[kind]["q"].append(qa.tolist())
            curves[kind]["base_lp"].append(lp[0, pos, acts].tolist())
            curves[kind]["logratio"].append(
                (log_pt.gather(-1, acts[:, None])[:, 0] - lp[0, pos, acts]).tolist()
            )
            if kind == "chosen":  # the first state is the same for all three
                q0, lp0 = q[0, p0], lp[0, p0]
                g = int(lp0.argmax())
                score = (
                    q0 + a0 * lp0
                )  # greedy decision of pi~ (alpha_tilde does not move the argmax)
                o_best = max(opener_ids, key=lambda i: float(score[i]))
                first.append(
                    {
                        "prompt": r["prompt"][-1]["content"],
                        "pi1_greedy_token": tok.decode([g]),
                        "custom_argmax_token": tok.decode([int(score.argmax())]),
                        "flipped": int(score.argmax()) != g,
                        "pi1_gap_nats": float(lp0[g] - lp0[o_best]),
                        "best_opener": tok.decode([o_best]),
                        "q_greedy": float(q0[g]),
                        "q_opener": float(q0[o_best]),
                        "decision_gap": float(score[g] - score[o_best]),
                        "pi1_p_openers": float(lp0[opener_ids].exp().sum()),
                        "custom_p_openers": float(
                            customized_logprobs(q0, lp0, alpha0=a0, alpha_tilde=at)[opener_ids]
                            .exp()
                            .sum()
                        ),
                    }
                )
        print(f"{len(first)}/{len(rows)}", file=sys.stderr, flush=True)
    out = {
        "adapter": args.adapter,
        "alpha0": a0,
        "alpha_tilde": at,
        "openers": OPENERS,
        "first_state": first,
        "curves": curves,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(out) + "\n")
    n = len(first)
    print(
        f"{args.adapter}: first token flipped on {sum(f['flipped'] for f in first)}/{n}; "
        f"mean pi1 gap greedy-vs-opener {sum(f['pi1_gap_nats'] for f in first) / n:.2f} nats; "
        f"mean decision gap {sum(f['decision_gap'] for f in first) / n:.2f}; "
        f"mean Q(opener)-Q(greedy) {sum(f['q_opener'] - f['q_greedy'] for f in first) / n:.3f}; "
        f"P(openers) pi1 {sum(f['pi1_p_openers'] for f in first) / n:.4f} "
        f"-> pi~ {sum(f['custom_p_openers'] for f in first) / n:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
