"""Q-Adapter training throughput and peak memory against TRL's DPOTrainer (LoRA), same pairs,
same machine, one run; Q-Adapter in 1 and in N processes (torchrun, DDP).

    python benchmarks/train.py [--pairs 24] [--batch 8] [--micro-batch 4] [--max-length 256]
                               [--processes 2]

All train a LoRA r=16 on all linear layers of the same base (default: the embedded SmolLM2-135M)
for the same pairs from ``data/hh-mini/harmless/train.jsonl``: ``--batch`` pairs per optimizer
step in micro-batches of ``--micro-batch`` (the smol profile's 8 = 4 x 2), fp32 on CPU. Both do
the same amount of network work per pair: DPO runs the policy (with grad) and the reference (no
grad); Q-Adapter runs the adapter (with grad) and the base (no grad). In N processes each rank
runs ``batch / N`` pairs per step (accumulation shrinks, the effective batch stays).

Each run is its own child process, so peak RSS (``ru_maxrss``: model, optimizer and the largest
step) is that run's alone; for N processes it is per process (the largest rank). Both use
gradient checkpointing unless ``--no-gradient-checkpointing`` (TRL's DPOConfig turns it on by
default: leaving each to its defaults compares unlike runs). Prints pairs/s (first step excluded
as warm-up), the peak RSS and the RSS after loading, and ratios against DPOTrainer. Needs
``trl`` (``pip install 'qadapter[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qadapter.adapter import AdapterConfig, QAdapter  # noqa: E402
from qadapter.config import FORMER_SMOL, profile  # noqa: E402
from qadapter.data import load_preferences  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from qadapter.train import train  # noqa: E402


class Timer:
    """Records the wall time of each optimizer step after the first (warm-up)."""

    def __init__(self) -> None:
        self.stamps: list[float] = []

    def tick(self, *_args, **_kwargs) -> None:
        self.stamps.append(time.perf_counter())

    def pairs_per_s(self, pairs_per_step: int) -> float:
        steps = len(self.stamps) - 1
        return steps * pairs_per_step / (self.stamps[-1] - self.stamps[0])


def rss_mib() -> float:
    """This process's resident set now, MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_qadapter(base_name, pairs, batch, micro, max_length, out, gc) -> dict:
    base = load_base(base_name)
    loaded = rss_mib()
    cfg = profile(  # the measured setting: eq. 9 alone (FORMER_SMOL), as the DPO peer
        "smol",
        **{**FORMER_SMOL, "max_length": max_length, "max_prompt_length": max_length // 2},
        batch_size=batch,
        micro_batch_size=micro,
        checkpoint_every=0,
        gradient_checkpointing=gc,
    )
    model = QAdapter(base.model, AdapterConfig(), seed=0)
    timer = Timer()
    train(model, base.tokenizer, pairs, cfg, out, meta={}, callbacks=[timer.tick], progress=False)
    rate = timer.pairs_per_s(batch) if timer.stamps else None  # rank 0 holds the timer
    return {"pairs_per_s": rate, "rss_loaded_mib": loaded}


def run_dpo(base_name, pairs, batch, micro, max_length, out, gc) -> dict:
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import TrainerCallback
    from trl import DPOConfig, DPOTrainer

    base = load_base(base_name)
    loaded = rss_mib()
    rows = [
        {
            "prompt": list(p.prompt),
            "chosen": [{"role": "assistant", "content": p.chosen}],
            "rejected": [{"role": "assistant", "content": p.rejected}],
        }
        for p in pairs
    ]
    timer = Timer()

    class Tick(TrainerCallback):
        def on_step_end(self, *args, **kwargs):
            timer.tick()

    args = DPOConfig(
        output_dir=out,
        per_device_train_batch_size=micro,
        gradient_accumulation_steps=batch // micro,
        gradient_checkpointing=gc,  # TRL's DPOConfig default is True
        num_train_epochs=1,
        learning_rate=3e-4,
        max_length=max_length,
        report_to=[],
        save_strategy="no",
        logging_steps=1000,
        use_cpu=True,
        bf16=False,
        fp16=False,
        seed=0,
        dataloader_num_workers=0,
    )
    lora = LoraConfig(
        r=16,
        lora_alpha=16,
        lora_dropout=0.05,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    )
    trainer = DPOTrainer(
        model=base.model,
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=base.tokenizer,
        peft_config=lora,
        callbacks=[Tick()],
    )
    trainer.train()
    return {"pairs_per_s": timer.pairs_per_s(batch), "rss_loaded_mib": loaded}


def worker(args) -> None:
    """One measured run (this process, or one rank of it): a JSON line per rank in --json."""
    pairs = load_preferences(str(ROOT / "data/hh-mini/harmless/train.jsonl")).pairs[: args.pairs]
    torch.manual_seed(0)
    run = run_dpo if args.worker == "dpo" else run_qadapter
    out = Path(args.json).with_suffix(".out")
    gc = not args.no_gradient_checkpointing
    res = run(args.base, pairs, args.batch, args.micro_batch, args.max_length, str(out), gc)
    rank = int(os.environ.get("RANK", "0"))
    res.update(peak_rss_mib=peak_rss_mib(), rank=rank, threads=torch.get_num_threads())
    with open(f"{args.json}.{rank}", "w") as f:
        json.dump(res, f)


def measure(args, kind: str, processes: int, tmp: str) -> dict:
    """Run one measurement in child process(es); pairs/s of rank 0, the largest peak RSS."""
    from qadapter.launch import command

    path = os.path.join(tmp, f"{kind}-{processes}.json")
    flags = ["--worker", kind, "--json", path, "--base", args.base, "--pairs", str(args.pairs)]
    flags += ["--batch", str(args.batch), "--micro-batch", str(args.micro_batch)]
    flags += ["--max-length", str(args.max_length)]
    flags += ["--no-gradient-checkpointing"] if args.no_gradient_checkpointing else []
    launcher = "torchrun" if processes > 1 else "none"
    argv, env = command(launcher, processes, None, flags, program=(str(Path(__file__)),))
    env = {**os.environ, **env}
    if processes > 1:  # the same cores shared by the ranks
        env["OMP_NUM_THREADS"] = str(max(1, torch.get_num_threads() // processes))
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{kind} x{processes} failed: {done.stderr.strip().splitlines()[-1:]}")
    ranks = [json.load(open(f"{path}.{r}")) for r in range(processes)]
    return {
        "pairs_per_s": ranks[0]["pairs_per_s"],
        "peak_rss_mib": max(r["peak_rss_mib"] for r in ranks),
        "rss_loaded_mib": max(r["rss_loaded_mib"] for r in ranks),
        "threads": ranks[0]["threads"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--base", default="smollm2-135m-instruct")
    ap.add_argument("--pairs", type=int, default=24)
    ap.add_argument("--batch", type=int, default=8, help="pairs per optimizer step")
    ap.add_argument("--micro-batch", type=int, default=4)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--processes", type=int, default=2, help="Q-Adapter's multi-process run")
    ap.add_argument(
        "--no-gradient-checkpointing",
        action="store_true",
        help="both without activation recomputation (default: both with it, TRL's default)",
    )
    ap.add_argument("--worker", choices=("dpo", "qadapter"), help=argparse.SUPPRESS)
    ap.add_argument("--json", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)
    with tempfile.TemporaryDirectory() as tmp:
        dpo = measure(args, "dpo", 1, tmp)
        runs = {1: measure(args, "qadapter", 1, tmp)}
        if args.processes > 1:
            runs[args.processes] = measure(args, "qadapter", args.processes, tmp)
    print(
        f"base={args.base} pairs={args.pairs} batch={args.batch} micro_batch={args.micro_batch} "
        f"max_length={args.max_length} threads/process={dpo['threads']} "
        f"gradient_checkpointing={not args.no_gradient_checkpointing}"
    )
    head = f"{'':26s} {'pairs/s':>8s} {'peak RSS/proc':>14s} {'RSS loaded':>11s}"
    print(head + "   ratios vs DPOTrainer (speed, peak RSS)")

    def row(name, r, ratios=""):
        print(
            f"{name:26s} {r['pairs_per_s']:8.3f} {r['peak_rss_mib']:10.0f} MiB "
            f"{r['rss_loaded_mib']:7.0f} MiB{ratios}"
        )

    row(f"trl DPOTrainer ({dpo['threads']} thr)", dpo)
    for n, r in runs.items():
        speed, mem = r["pairs_per_s"] / dpo["pairs_per_s"], r["peak_rss_mib"] / dpo["peak_rss_mib"]
        row(f"qadapter x{n} ({r['threads']} thr each)", r, f"   {speed:.3f}  {mem:.3f}")


if __name__ == "__main__":
    main()
