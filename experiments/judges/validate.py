"""Train the pipeline's reward-model judges on their own data and run their known-answer checks.

The same calls the customize flow's judge stage makes (``tasks.judging.judge_material``,
``judge_kwargs``, ``qadapter.evaluate.judges.validation.validate``), on a profile's settings,
with pi1 = ``base`` (default: the embedded SmolLM2-135M-Instruct; the flow's pi1 is its
DPO-aligned version). Prints one row per check and writes the validations as JSON.

    OMP_NUM_THREADS=2 .venv/bin/python experiments/judges/validate.py smol runs/judges.json
    # another judge setting: all judge-mini train pairs, 3 epochs, LoRA on every layer
    ... validate.py smol runs/judges-big.json smollm2-135m-instruct 100000 3 0
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path

from qadapter.evaluate.judges import get_judge
from qadapter.evaluate.judges.validation import validate
from qadapter.models import load_base
from tasks.experiment import experiment, judge_data
from tasks.judging import classifier_check, judge_kwargs, judge_material


def main(argv=None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    profile = argv[0] if argv else "smol"
    out = Path(argv[1]) if len(argv) > 1 else Path("runs/judges.json")
    base_name = argv[2] if len(argv) > 2 else "smollm2-135m-instruct"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log = logging.getLogger("judges")
    cfg = experiment(profile)
    if len(argv) > 3:  # judge-train pairs per judge, epochs, LoRA layers (0: all)
        pairs, epochs, layers = int(argv[3]), float(argv[4]), int(argv[5])
        rm = replace(cfg.reward_model, epochs=epochs, lora_layers=layers)
        cfg = experiment(profile, reward_pairs=pairs, reward_model=rm)
    data = judge_data(cfg)
    base = load_base(base_name)
    report = {
        "profile": profile,
        "base": base_name,
        "classifier": classifier_check(data, cfg.judge_thresholds),
    }
    for subset in ("harmless", "helpful"):
        started = time.perf_counter()
        cases, extra = judge_material(cfg, base, subset, data[subset], log)
        judge = get_judge(cfg.judge, **judge_kwargs(cfg, data[subset], extra), base=base)
        checked = validate(judge, cases, subset, cfg.judge_thresholds, seed=cfg.train.seed)
        report[subset] = {
            **checked.as_dict(),
            "train_pairs": len(data[subset]["train"]) + len(extra),
            "pi1_pairs": len(extra),
            "wall_s": time.perf_counter() - started,
        }
        for name, c in checked.checks.items():
            print(f"{subset:9s} {name:13s} {c.value:6.3f}  n={c.n:4d}  bar {c.threshold:g}  "
                  f"{'ok' if c.passed else 'FAIL'}")  # fmt: skip
        print(f"{subset:9s} trusted: {checked.trusted}  ({time.perf_counter() - started:.0f} s)")
    print(json.dumps(report["classifier"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
