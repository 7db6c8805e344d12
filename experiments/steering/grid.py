"""Many steering variants in one process (one model load, pi1's replies generated once).

The per-variant scripts (``train_variant.py``, ``replies.py``, ``metric.py``) start a process, load
SmolLM2 and regenerate what they need for every variant: about 8 minutes a variant on the 2-core
CPU. This script runs a *plan* of variants in one process on any device, so that a GPU (or a long
CPU job) can cover the hypotheses of ``docs/experiments/steering.md`` section 6 in one go:

* the short setting of the study (harmless pairs whose rendered prompt is <= 56 tokens, responses
  cut at 80 tokens, batch 8, micro-batch 4, LoRA r = 16 all-linear), on-policy harmless pairs
  (bundled chosen vs pi1's greedy 32-token reply), alpha0 = alpha~ = 0.1, gamma 0.99, beta 0.1;
* helpful anchors of four kinds: ``fixed`` (pi1's reply vs one of ``onpolicy.REFUSALS``, as
  ``train_variant.py --anchors``), ``targeted:V`` (pi1's reply vs *variant V's own* greedy reply on
  that prompt, kept only where V declines or redirects: a second on-policy round against the
  over-refusal), ``bundled`` (the helpful data's own chosen vs rejected), ``pi1-vs-bundled`` (pi1's
  reply vs the bundled rejected one: on-policy on the chosen side);
* ``init``: continue from another variant's trained adapter (two-stage runs);
* ``n`` / ``anchors`` = None take the whole short pool (310 harmless, 239 helpful prompts).

Every variant is decoded greedily (40 new tokens) at each alpha0 of its ``decode`` list on the
held-out prompts the metric counts (risky prompts where pi1 complies, helpful prompts pi1 answers;
pi1's own 48-token replies are regenerated on the same device), and scored with
``qadapter.evaluate.behaviour.behaviour_metrics`` (the pipeline's metric). One JSON line per
(variant, alpha0), replies included, is appended to ``OUT/grid.jsonl`` as soon as it is known.

    python experiments/steering/grid.py --out runs/grid --device cuda
    python experiments/steering/grid.py --out runs/grid-smoke --smoke   # tiny sizes, CPU, ~2 min
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replies import prompt_set  # noqa: E402
from train_variant import short_pairs  # noqa: E402

from qadapter.adapter import QAdapter, load_adapter  # noqa: E402
from qadapter.config import profile  # noqa: E402
from qadapter.data import load_splits  # noqa: E402
from qadapter.data.pairs import PreferencePair  # noqa: E402
from qadapter.decode import CustomizedDecoder, SamplingConfig  # noqa: E402
from qadapter.evaluate.behaviour import behaviour_metrics  # noqa: E402
from qadapter.evaluate.refusal import ANSWER, classify  # noqa: E402
from qadapter.evaluate.samples import base_generate  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from qadapter.onpolicy import REFUSALS, select_pairs  # noqa: E402
from qadapter.train import train  # noqa: E402

MATCHED = dict(alpha0=0.1, alpha_tilde=0.1, gamma=0.99, beta=0.1, lr=1e-3, epochs=2, chosen_nll=0.0)

# In priority order: a GPU lease can end before the plan does.
PLAN: list[dict] = [
    # the CPU study's two reference points, to see how far GPU numerics move them
    dict(name="matched", n=64, decode=[0.1, 0.2]),
    dict(name="fixed4", n=64, anchors=4, kind="fixed", decode=[0.1]),
    # a second on-policy round against the over-refusal
    dict(name="targeted16", n=64, anchors=16, kind="targeted:matched", decode=[0.1, 0.15, 0.2]),
    dict(name="targeted64", n=64, anchors=64, kind="targeted:matched", decode=[0.1, 0.15, 0.2]),
    # the whole short pools: more prompts, more steps, so the LoRA can learn what separates them
    dict(name="full", n=None, decode=[0.1, 0.2]),
    dict(name="full-targeted", n=None, anchors=None, kind="targeted:full", decode=[0.1, 0.15, 0.2]),
    dict(name="full-fixed", n=None, anchors=None, kind="fixed", decode=[0.1, 0.15]),
    dict(name="full-bundled", n=None, anchors=None, kind="bundled", decode=[0.1, 0.15]),
    # two-stage: the over-refusing adapter, then one epoch with its targeted anchors at a lower lr
    dict(
        name="two-stage16",
        n=64,
        anchors=16,
        kind="targeted:matched",
        init="matched",
        lr=3e-4,
        epochs=1,
        decode=[0.1, 0.15],
    ),
    dict(
        name="targeted16-s1", n=64, anchors=16, kind="targeted:matched", seed=1, decode=[0.1, 0.15]
    ),
    dict(
        name="targeted16-s2", n=64, anchors=16, kind="targeted:matched", seed=2, decode=[0.1, 0.15]
    ),
    dict(
        name="full-targeted-e4", n=None, anchors=None, kind="targeted:full", epochs=4, decode=[0.1]
    ),
    dict(name="full-targeted64", n=None, anchors=64, kind="targeted:full", decode=[0.1, 0.15, 0.2]),
    # round 2 of online training: from full-targeted, its own compliances and over-refusals
    dict(
        name="round2",
        n=None,
        anchors=None,
        kind="targeted:full-targeted",
        harmless_from="full-targeted",
        init="full-targeted",
        lr=3e-4,
        epochs=1,
        decode=[0.1, 0.15, 0.2],
    ),
    dict(
        name="two-stage-full",
        n=None,
        anchors=None,
        kind="targeted:full",
        init="full",
        lr=3e-4,
        epochs=1,
        decode=[0.1, 0.15, 0.2],
    ),
    dict(
        name="full-targeted-s1",
        n=None,
        anchors=None,
        kind="targeted:full",
        seed=1,
        decode=[0.1, 0.15],
    ),
    dict(
        name="full-targeted-s2",
        n=None,
        anchors=None,
        kind="targeted:full",
        seed=2,
        decode=[0.1, 0.15],
    ),
    # the first variant to meet both targets on the H100 grid, at two more seeds (n = None takes
    # the whole pools, so the seed changes the LoRA init and the shuffle, not the pairs)
    dict(name="full-bundled-s1", n=None, anchors=None, kind="bundled", seed=1, decode=[0.1]),
    dict(name="full-bundled-s2", n=None, anchors=None, kind="bundled", seed=2, decode=[0.1]),
    # on-policy on the helpful side too: pi1's own answer (chosen) vs the bundled rejected, so the
    # helpful pairs raise pi1's own openers where the harmless pairs push them down
    dict(name="full-pi1help", n=None, anchors=None, kind="pi1-vs-bundled", decode=[0.1, 0.15]),
    dict(
        name="full-pi1help-s1",
        n=None,
        anchors=None,
        kind="pi1-vs-bundled",
        seed=1,
        decode=[0.1, 0.15],
    ),
    # beyond the paper: full-bundled plus the chosen responses' NLL under pi~ (weight 1, as RPO
    # adds it to DPO), against the "never open with I" solution of full-bundled-s1 (section 8)
    dict(
        name="full-bundled-nll",
        n=None,
        anchors=None,
        kind="bundled",
        chosen_nll=1.0,
        decode=[0.1, 0.15, 0.2],
    ),
    dict(
        name="full-bundled-nll-s1",
        n=None,
        anchors=None,
        kind="bundled",
        chosen_nll=1.0,
        seed=1,
        decode=[0.1, 0.15, 0.2],
    ),
    dict(
        name="full-bundled-nll-s2",
        n=None,
        anchors=None,
        kind="bundled",
        chosen_nll=1.0,
        seed=2,
        decode=[0.1, 0.15, 0.2],
    ),
    dict(
        name="targeted64-s1", n=64, anchors=64, kind="targeted:matched", seed=1, decode=[0.1, 0.15]
    ),
    dict(
        name="targeted64-s2", n=64, anchors=64, kind="targeted:matched", seed=2, decode=[0.1, 0.15]
    ),
]


class Grid:
    def __init__(self, args):
        self.args = args
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.t0 = time.time()
        self.device = args.device
        self.smoke = args.smoke
        self.base = load_base("smollm2-135m-instruct", device=self.device)
        self.tok = self.base.tokenizer
        self.adapters: dict[str, Path] = {}
        self.trained_alpha0: dict[str, float] = {}
        self.reply_cache: dict[tuple, str] = {}

    def log(self, msg: str) -> None:
        line = f"[{time.time() - self.t0:7.1f}s] {msg}"
        print(line, flush=True)
        with open(self.out / "log.txt", "a") as f:
            f.write(line + "\n")

    def emit(self, row: dict) -> None:
        with open(self.out / "grid.jsonl", "a") as f:
            f.write(json.dumps(row) + "\n")

    def fresh_base(self):
        """pi1 again (training wraps the loaded model in LoRA layers)."""
        return load_base("smollm2-135m-instruct", device=self.device)

    # ---- pi1 ------------------------------------------------------------------------------
    def pi1_replies(self, prompts: list, tokens: int) -> list[str]:
        todo = [p for p in prompts if (json.dumps(p), tokens) not in self.reply_cache]
        cfg = SamplingConfig(max_new_tokens=tokens, greedy=True)
        bs = self.args.batch_size
        for i in range(0, len(todo), bs):
            chunk = todo[i : i + bs]
            for p, r in zip(chunk, base_generate(self.base, chunk, cfg)):
                self.reply_cache[(json.dumps(p), tokens)] = r
        return [self.reply_cache[(json.dumps(p), tokens)] for p in prompts]

    def prepare(self) -> None:
        s = self.smoke
        self.risky = prompt_set("risky")[: 3 if s else None]
        self.helpful = prompt_set("helpful")[: 3 if s else None]
        t = 4 if s else 48
        self.risky_base = self.pi1_replies(self.risky, t)
        self.helpful_base = self.pi1_replies(self.helpful, t)
        self.risky_counted = [
            (p, r) for p, r in zip(self.risky, self.risky_base) if classify(r).label == ANSWER
        ]
        self.helpful_counted = [
            (p, r) for p, r in zip(self.helpful, self.helpful_base) if classify(r).label == ANSWER
        ]
        self.emit(
            {
                "variant": "pi1",
                "device": self.device,
                "risky": [{"prompt": p, "reply": r} for p, r in zip(self.risky, self.risky_base)],
                "helpful": [
                    {"prompt": p, "reply": r} for p, r in zip(self.helpful, self.helpful_base)
                ],
            }
        )
        self.log(
            f"pi1: complies on {len(self.risky_counted)}/{len(self.risky)} risky, answers "
            f"{len(self.helpful_counted)}/{len(self.helpful)} helpful"
        )
        harmless = load_splits("data/hh-mini/harmless").train
        self.hpool_harmless = short_pairs(self.tok, harmless, 56)
        helpful = load_splits("data/hh-mini/helpful").train
        seen: set = set()
        distinct = [p for p in helpful if not (p.key()[0] in seen or seen.add(p.key()[0]))]
        self.hpool_helpful = short_pairs(self.tok, distinct, 56)
        if s:
            self.hpool_harmless, self.hpool_helpful = (
                self.hpool_harmless[:6],
                self.hpool_helpful[:6],
            )
        self.log(
            f"pools: {len(self.hpool_harmless)} harmless, {len(self.hpool_helpful)} helpful prompts"
        )

    # ---- pairs ----------------------------------------------------------------------------
    def onpolicy(self, n, seed, source: str | None = None) -> tuple[list[PreferencePair], dict]:
        """Bundled chosen vs pi1's greedy reply; with ``source`` = a trained variant V, vs V's
        own reply, kept only where V still complies (the next round of online training)."""
        picked = select_pairs(self.hpool_harmless, n, seed)
        prompts = [list(p.prompt) for p in picked]
        tokens = self.args.onpolicy_tokens
        if source is None:
            replies, who = self.pi1_replies(prompts, tokens), "pi1"
            use = [True] * len(picked)
        else:
            replies, who = self.decode(source, prompts, self.trained_alpha0[source], tokens), source
            use = [classify(r).label == ANSWER for r in replies]
        out = [
            PreferencePair(p.prompt, p.chosen, r, origin=f"onpolicy({who}, greedy):{p.origin}")
            for p, r, u in zip(picked, replies, use)
            if u
        ]
        return out, {"selected": len(picked), "kept": len(out)}

    def anchors(self, k, kind: str, seed: int) -> tuple[list[PreferencePair], dict]:
        picked = select_pairs(self.hpool_helpful, k, seed)
        if kind == "bundled":
            return list(picked), {"kept": len(picked)}
        prompts = [list(p.prompt) for p in picked]
        pi1 = self.pi1_replies(prompts, self.args.onpolicy_tokens)
        if kind == "pi1-vs-bundled":  # pi1's own answer preferred over the bundled rejected one
            rejected = [p.rejected for p in picked]
            use = [True] * len(picked)
        elif kind == "fixed":
            import random

            rng = random.Random(seed + 1)
            rejected = [REFUSALS[rng.randrange(len(REFUSALS))] for _ in picked]
            use = [True] * len(picked)
        elif kind.startswith("targeted:"):
            src = kind.split(":", 1)[1]
            rejected = self.decode(
                src, prompts, self.trained_alpha0[src], self.args.onpolicy_tokens
            )
            use = [classify(r).label != ANSWER for r in rejected]
        else:
            raise ValueError(f"unknown anchor kind {kind!r}")
        out, stats = [], {"selected": len(picked), "pi1_not_answer": 0, "source_answers": 0}
        for p, c, r, u in zip(picked, pi1, rejected, use):
            if classify(c).label != ANSWER:
                stats["pi1_not_answer"] += 1
            elif not u:
                stats["source_answers"] += 1
            else:
                out.append(PreferencePair(p.prompt, c, r, origin=f"anchor({kind}):{p.origin}"))
        stats["kept"] = len(out)
        return out, stats

    # ---- decode ---------------------------------------------------------------------------
    def decode(self, name: str, prompts: list, alpha0: float, tokens: int) -> list[str]:
        dec = CustomizedDecoder.from_adapter(self.adapters[name], self.fresh_base(), alpha0=alpha0)
        cfg = SamplingConfig(max_new_tokens=tokens, greedy=True)
        bs, out = self.args.batch_size, []
        for i in range(0, len(prompts), bs):
            out += [t.strip() for t in dec.generate_text(self.tok, prompts[i : i + bs], cfg)]
        return out

    # ---- one variant ----------------------------------------------------------------------
    def run(self, spec: dict) -> None:
        spec = {
            **MATCHED,
            "seed": 0,
            "anchors": 0,
            "kind": None,
            "init": None,
            "harmless_from": None,
            **spec,
        }
        name, seed = spec["name"], spec["seed"]
        if self.smoke:
            spec.update(n=4, anchors=2 if spec["anchors"] != 0 else 0, epochs=1)
        t = time.time()
        pairs, hstats = self.onpolicy(spec["n"], seed, spec["harmless_from"])
        stats = {"harmless": hstats}
        if spec["anchors"] != 0:
            extra, stats["anchors"] = self.anchors(spec["anchors"], spec["kind"], seed)
            pairs = pairs + extra
        cfg = profile(
            "smol",
            alpha0=spec["alpha0"],
            alpha_tilde=spec["alpha_tilde"],
            beta=spec["beta"],
            gamma=spec["gamma"],
            lr=spec["lr"],
            epochs=spec["epochs"],
            chosen_nll=spec["chosen_nll"],
            batch_size=8,
            micro_batch_size=self.args.micro_batch_size,
            max_length=80,
            max_prompt_length=56,
            checkpoint_every=0,
            seed=seed,
        )
        base = self.fresh_base()
        if spec["init"]:
            model, _ = load_adapter(
                self.adapters[spec["init"]], base.model, base.content_hash, trainable=True
            )
        else:
            model = QAdapter(base.model, cfg.adapter, seed=cfg.seed)
        out = Path(self.args.adapters or self.out / "adapters") / name
        steps = []
        res = train(
            model,
            self.tok,
            pairs,
            cfg,
            out,
            meta={"base_model": base.name, "base_hash": base.content_hash, "grid": spec},
            progress=False,
            callbacks=[steps.append],
        )
        self.adapters[name] = out
        self.trained_alpha0[name] = spec["alpha0"]
        last = {k: steps[-1][k] for k in ("loss", "accuracy", "margin") if k in steps[-1]}
        for k in ("chosen_return", "rejected_return", "chosen_nll"):
            if k in steps[-1]:
                last[k] = steps[-1][k]
        self.log(
            f"{name}: trained {res.steps} steps on {len(pairs)} pairs in {time.time() - t:.1f}s "
            f"({stats}); last {json.dumps({k: round(v, 3) for k, v in last.items()})}"
        )
        rp = [p for p, _ in self.risky_counted]
        hp = [p for p, _ in self.helpful_counted]
        for a in spec["decode"]:
            t = time.time()
            replies = self.decode(name, rp + hp, a, 4 if self.smoke else 40)
            rr, hr = replies[: len(rp)], replies[len(rp) :]
            m = behaviour_metrics(
                rp,
                [r for _, r in self.risky_counted],
                rr,
                hp,
                [r for _, r in self.helpful_counted],
                hr,
            )
            s, k = m["steer"], m["keep"]
            self.log(
                f"{name} @ alpha0 {a}: steer {100 * s['share']:.1f}% +- {100 * s['stderr']:.1f} "
                f"({s['hits']}/{s['total']}), keep {100 * k['share']:.1f}% +- "
                f"{100 * k['stderr']:.1f} ({k['hits']}/{k['total']}) [{time.time() - t:.1f}s]"
            )
            self.emit(
                {
                    "variant": name,
                    "spec": spec,
                    "alpha0_decode": a,
                    "pairs": len(pairs),
                    "anchor_stats": stats,
                    "steps": res.steps,
                    "last": last,
                    "steer": s,
                    "keep": k,
                    "risky": [{"prompt": p[-1]["content"], "reply": r} for p, r in zip(rp, rr)],
                    "helpful": [{"prompt": p[-1]["content"], "reply": r} for p, r in zip(hp, hr)],
                }
            )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--adapters", help="where the trained adapters go (default: OUT/adapters)")
    ap.add_argument("--only", help="comma-separated variant names (default: the whole plan)")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes: check the plumbing on CPU")
    ap.add_argument("--batch-size", type=int, default=64, help="decoding batch")
    ap.add_argument("--micro-batch-size", type=int, default=4)
    ap.add_argument("--onpolicy-tokens", type=int, default=32)
    args = ap.parse_args(argv)
    if args.device == "cpu":
        torch.set_num_threads(1)
    names = set(args.only.split(",")) if args.only else None
    grid = Grid(args)
    grid.log(f"device {args.device}, torch {torch.__version__}")
    grid.prepare()
    for spec in PLAN:
        if names is None or spec["name"] in names:
            try:
                grid.run(spec)
            except Exception as e:  # one broken variant must not cost the rest of a GPU lease
                grid.log(f"{spec['name']}: FAILED {type(e).__name__}: {e}")
    grid.log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
