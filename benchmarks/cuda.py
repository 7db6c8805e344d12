"""The CUDA-only paths, run for real on a GPU: bf16 training, the 8-bit base, bf16 decoding.

    python benchmarks/cuda.py --shape-from DIR [--steps 12] [--new-tokens 128]

Meant for a short lease of a CUDA machine (CI never runs it). ``--shape-from`` is a model
directory whose ``config.json`` and tokenizer are used to build a model of the same architecture
with random weights (a GPU machine may have no copy of the embedded SmolLM2 weights; speed and the
code paths do not depend on the weights' values). ``--base`` loads real weights instead.

Prints, in one run on the same GPU:

* bf16 training (Q-Adapter, residual head, LoRA r16 all-linear, micro-batch = batch = 8 pairs,
  T = 256, bundled harmless pairs): tokens/s over the timed steps (first 2 steps are warm-up) and
  model FLOPs utilisation, counting 6 N T FLOPs per token-position of a step (base pass 2NT, Q pass
  forward 2NT, backward through the frozen weights 2NT; LoRA's own FLOPs and attention ignored)
  against the card's dense bf16 peak (``--peak-tflops``, default 989 for an H100 SXM);
* the same with the base loaded in 8 bits (bitsandbytes), if it imports;
* decoding in bf16, batch 1, greedy, ``--new-tokens`` tokens: the base model's own ``generate``
  against customized decoding (eq. 6, doubled batch), as tokens/s and their ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import (  # noqa: E402  (benchmarks/common.py)
    base_runner,
    decoder_runner,
    interleaved_rates,
    prompt_ids,
    random_adapter,
)

from qadapter.adapter import QAdapter  # noqa: E402
from qadapter.config import FORMER_SMOL, profile  # noqa: E402
from qadapter.data import load_splits  # noqa: E402
from qadapter.decode import CustomizedDecoder, SamplingConfig  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from qadapter.train import train  # noqa: E402

DEVICE, DTYPE, PRECISION = "cuda", torch.bfloat16, "bf16"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja")


def random_model_dir(shape_from: Path, out: Path) -> Path:
    """A model with ``shape_from``'s architecture and tokenizer, random weights (seed 0)."""
    import shutil

    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(shape_from)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config)
    model.save_pretrained(out, safe_serialization=True)
    for name in TOKENIZER_FILES + ("generation_config.json",):
        if (shape_from / name).is_file():
            shutil.copy(shape_from / name, out / name)
    return out


def sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


class Clock:
    """Training callback: wall time and tokens of each step after ``warmup`` steps."""

    def __init__(self, warmup: int = 2):
        self.warmup, self.marks = warmup, []

    def __call__(self, record: dict) -> None:
        sync()
        self.marks.append((time.perf_counter(), record))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--shape-from", type=Path, help="model dir: config + tokenizer (random weights)"
    )
    ap.add_argument("--base", help="load real weights from this base instead")
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--peak-tflops", type=float, default=989.0)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--cpu-smoke", action="store_true", help="fp32 on CPU: checks the script only")
    args = ap.parse_args()
    if not torch.cuda.is_available() and not args.cpu_smoke:
        sys.exit("benchmarks/cuda.py needs a CUDA GPU (--cpu-smoke checks the script on CPU)")
    global DEVICE, DTYPE, PRECISION
    if args.cpu_smoke:
        DEVICE, DTYPE, PRECISION = "cpu", torch.float32, "fp32"
    name = torch.cuda.get_device_name(0) if DEVICE == "cuda" else "cpu (smoke test)"
    print(f"device: {name}; torch {torch.__version__}")

    tmp = Path(tempfile.mkdtemp(prefix="qadapter-cuda-"))
    base_dir = args.base or str(random_model_dir(args.shape_from, tmp / "base"))
    pairs = load_splits(str(ROOT / "data" / "hh-mini" / "harmless")).train
    results: dict = {"device": name}

    for label, eight_bit in (("bf16", False), ("8bit", True)):
        if eight_bit:
            if DEVICE != "cuda":
                continue
            try:
                import bitsandbytes  # noqa: F401
            except ImportError as e:
                results[label] = {"skipped": f"bitsandbytes not importable: {e}"}
                print(f"{label}: skipped ({e})")
                continue
        results[label] = train_run(base_dir, pairs, args, eight_bit, tmp / f"adapter-{label}")
        print(f"{label} training: {json.dumps(results[label])}", flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")

    results["decode"] = decode_run(base_dir, tmp / "adapter-decode", args)
    print(f"bf16 decoding: {json.dumps(results['decode'])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


def train_run(base_dir: str, pairs, args, eight_bit: bool, out: Path) -> dict:
    base = load_base(base_dir, dtype=DTYPE, device=DEVICE, load_in_8bit=eight_bit)
    cfg = profile(
        "smol",
        **FORMER_SMOL,  # the setting of the numbers in docs/scaling.md
        precision=PRECISION,
        load_in_8bit=eight_bit,
        batch_size=8,
        micro_batch_size=8,
        max_steps=args.steps,
        checkpoint_every=0,
    )
    model = QAdapter(base.model, cfg.adapter, seed=0)
    clock = Clock()
    meta = {"base_model": base.name, "base_hash": base.content_hash}
    t_start = time.perf_counter()
    result = train(model, base.tokenizer, pairs, cfg, out, meta=meta, callbacks=[clock])
    (t0, r0), (t1, r1) = clock.marks[clock.warmup - 1], clock.marks[-1]
    # records carry cumulative tokens/s since the start: recover cumulative token counts
    tok0 = r0["tokens_per_s"] * (t0 - t_start)
    tok1 = r1["tokens_per_s"] * (t1 - t_start)
    tokens_per_s = (tok1 - tok0) / (t1 - t0)
    n_params = sum(p.numel() for p in base.model.parameters())
    flops = 6 * n_params * tokens_per_s
    return {
        "steps": result.steps,
        "final_loss": round(result.metrics["loss"], 4),
        "tokens_per_s": round(tokens_per_s, 1),
        "params": n_params,
        "mfu": round(flops / (args.peak_tflops * 1e12), 4),
        "peak_mem_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2)
        if DEVICE == "cuda"
        else None,
    }


def decode_run(base_dir: str, adapter_dir: Path, args) -> dict:
    base = load_base(base_dir, dtype=DTYPE, device=DEVICE)
    random_adapter(base, adapter_dir)
    dual = CustomizedDecoder.from_adapter(adapter_dir, base, alpha0=0.5, alpha_tilde=1.0)
    cfg = SamplingConfig(max_new_tokens=args.new_tokens, greedy=True)
    n = args.new_tokens

    runners = {"base": base_runner(base.model, n), "dual": decoder_runner(dual, cfg, n)}
    prompts = prompt_ids(base.tokenizer, device=DEVICE)
    with torch.inference_mode():
        for go in runners.values():
            go(prompts[0])
        timed = interleaved_rates(runners, prompts, n, args.repeats, sync=sync)
    rates = {k: wall for k, (wall, _) in timed.items()}
    med = {k: statistics.median(v) for k, v in rates.items()}
    return {
        "base_tok_s": round(med["base"], 1),
        "dual_tok_s": round(med["dual"], 1),
        "ratio": round(med["dual"] / med["base"], 3),
    }


if __name__ == "__main__":
    main()
