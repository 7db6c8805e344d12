"""The forgetting probe's paired margin measure on a real base: pi1 against itself, and policies
known to forget (the positive control), with the time each takes.

    python benchmarks/probe_control.py [--base smollm2-135m-instruct] [--items N]
        [--scales 0.01,0.03] [--flatten 2.0] [--out results.json] [--cache-dir DIR]

Scores the probe's multiple-choice items (``qadapter.evaluate.margins``) under

* ``pi1`` twice: once computed (written to a fresh cache), once read back from the cache; the
  comparison must be exactly 0 with s.e. 0;
* ``lora-S`` for each scale S: an adapter whose LoRA factors are Gaussian with std S (residual
  head, alpha0 = alpha_tilde = 1, so pi~ = softmax(Q + log pi1) with Q a random perturbation of
  the logits): damage that grows with S;
* ``flatten-T`` for each T: Q = 0 (zero LoRA) with alpha0 = 1, alpha_tilde = T, i.e. pi1 at
  temperature T: every answer's per-token distribution flattened, the known answers less sure.

Prints one line per policy: accuracy and margin deltas with their paired s.e., and the seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter  # noqa: E402
from qadapter.evaluate.harness import QAdapterLM  # noqa: E402
from qadapter.evaluate.margins import (  # noqa: E402
    cached_item_scores,
    item_scores,
    load_items,
    margin_metrics,
)
from qadapter.models import load_base  # noqa: E402


def gaussian_adapter(base, directory: Path, std: float, alpha_tilde: float = 1.0) -> Path:
    """A residual-head adapter with N(0, std^2) LoRA factors (std 0: Q = 0 exactly)."""
    model = QAdapter(base.model, AdapterConfig(head="residual"))
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g).to(p.device, p.dtype) * std)
    meta = {
        "alpha0": 1.0,
        "alpha_tilde": alpha_tilde,
        "gamma": 0.99,
        "base_model": base.name,
        "base_hash": base.content_hash,
    }
    save_adapter(model, directory, meta)
    model.qnet.unload()  # the base model without LoRA layers again
    return directory


def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="smollm2-135m-instruct")
    ap.add_argument("--items", type=int, default=None, help="first N items (default: all)")
    ap.add_argument("--scales", default="0.01,0.03", help="LoRA factor stds, comma-separated")
    ap.add_argument("--flatten", default="2.0", help="alpha_tilde values with Q = 0")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--out", default=None, help="write every result as JSON here")
    ap.add_argument("--cache-dir", default=None, help="keep pi1's scores here (default: fresh)")
    args = ap.parse_args()

    base = load_base(args.base)
    items = load_items(args.items)
    print(f"{len(items)} items, base {base.name}, torch threads {torch.get_num_threads()}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        cache = Path(args.cache_dir or tmp)
        pi1 = cached_item_scores(QAdapterLM(base=base), items, base.content_hash, cache)
        pi1_s = time.perf_counter() - t
        t = time.perf_counter()
        again = cached_item_scores(QAdapterLM(base=base), items, base.content_hash, cache)
        results.append(("pi1 (read back from the cache)", margin_metrics(pi1, again), pi1_s))
        how = "read from the cache" if pi1["cached"] else "computed"
        print(f"pi1 {how} in {pi1_s:.1f} s; read back in {time.perf_counter() - t:.2f} s")
        policies = [(f"lora std {s:g}", s, 1.0) for s in floats(args.scales)]
        policies += [(f"flatten alpha_tilde {a:g}", 0.0, a) for a in floats(args.flatten)]
        for name, std, alpha_tilde in policies:
            adapter = gaussian_adapter(base, Path(tmp) / name.replace(" ", "-"), std, alpha_tilde)
            t = time.perf_counter()
            lm = QAdapterLM(base=base, adapter=str(adapter), batch_size=args.batch_size)
            got = item_scores(lm, items)
            results.append((name, margin_metrics(pi1, got), time.perf_counter() - t))
            print(f"{name}: scored in {results[-1][2]:.1f} s", flush=True)
    print(f"\n{'policy':32} {'acc':>6} {'delta +- se (points)':>21} {'margin delta +- se':>20}  s")
    for name, m, secs in results:
        print(
            f"{name:32} {m['probe.customized']:6.2f} "
            f"{m['probe.delta']:+10.2f} +- {m['probe.delta_se']:<7.2f} "
            f"{m['probe.margin_delta']:+10.3f} +- {m['probe.margin_delta_se']:<6.3f} {secs:6.0f}"
        )
    print(f"pi1: accuracy {results[0][1]['probe.base']:.2f}, mean margin "
          f"{results[0][1]['probe.margin_base']:.3f} nats over {len(items)} items")  # fmt: skip
    if args.out:
        rows = [{"policy": n, "seconds": s, **m} for n, m, s in results]
        Path(args.out).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
