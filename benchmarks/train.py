"""Q-Adapter training throughput against TRL's DPOTrainer (LoRA), same pairs, same machine, one run.

    python benchmarks/train.py [--pairs 16] [--micro-batch 2] [--max-length 256]

Both train a LoRA r=16 on all linear layers of the same base (default: the embedded SmolLM2-135M)
for the same pairs from ``data/hh-mini/harmless/train.jsonl``, batch = micro-batch (no
accumulation), fp32 on CPU. Both do the same amount of network work per pair: DPO runs the policy
(with grad) and the reference (no grad); Q-Adapter runs the adapter (with grad) and the base
(no grad). Prints pairs/s of each (first step excluded as warm-up) and the ratio. Needs ``trl``
(``pip install trl``; it is not a qadapter dependency).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qadapter.adapter import AdapterConfig, QAdapter  # noqa: E402
from qadapter.config import profile  # noqa: E402
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


def run_qadapter(base_name, pairs, micro, max_length) -> float:
    base = load_base(base_name)
    cfg = profile(
        "smol",
        epochs=1,
        batch_size=micro,
        micro_batch_size=micro,
        max_length=max_length,
        checkpoint_every=0,
    )
    model = QAdapter(base.model, AdapterConfig(), seed=0)
    timer = Timer()
    with tempfile.TemporaryDirectory() as tmp:
        train(
            model, base.tokenizer, pairs, cfg, tmp, meta={}, callbacks=[timer.tick], progress=False
        )
    return timer.pairs_per_s(micro)


def run_dpo(base_name, pairs, micro, max_length) -> float:
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import TrainerCallback
    from trl import DPOConfig, DPOTrainer

    base = load_base(base_name)
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

    with tempfile.TemporaryDirectory() as tmp:
        args = DPOConfig(
            output_dir=tmp,
            per_device_train_batch_size=micro,
            gradient_accumulation_steps=1,
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
    return timer.pairs_per_s(micro)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--base", default="smollm2-135m-instruct")
    ap.add_argument("--pairs", type=int, default=16)
    ap.add_argument("--micro-batch", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=256)
    args = ap.parse_args()
    pairs = load_preferences(str(ROOT / "data/hh-mini/harmless/train.jsonl")).pairs[: args.pairs]
    torch.manual_seed(0)
    dpo = run_dpo(args.base, pairs, args.micro_batch, args.max_length)
    qa = run_qadapter(args.base, pairs, args.micro_batch, args.max_length)
    print(
        f"base={args.base} pairs={len(pairs)} micro_batch={args.micro_batch} "
        f"max_length={args.max_length} threads={torch.get_num_threads()}"
    )
    print(f"trl DPOTrainer  {dpo:6.3f} pairs/s")
    print(f"qadapter        {qa:6.3f} pairs/s   ratio vs DPOTrainer {qa / dpo:.3f}")


if __name__ == "__main__":
    main()
