#!/usr/bin/env bash
# The steering study (docs/experiments/steering.md), every command in the order it was run.
# Run from the repository root: PY="nice -n 10 .venv/bin/python" bash experiments/steering/run_all.sh
set -euo pipefail
PY=${PY:-"nice -n 10 .venv/bin/python"}
export OMP_NUM_THREADS=1 PYTHONPATH=$PWD
mkdir -p runs/replies runs/diag

# pi1's greedy replies (48 new tokens) on the fixed held-out prompt sets
$PY experiments/steering/replies.py --adapter base --set risky -o runs/replies/base-risky.json
$PY experiments/steering/replies.py --adapter base --set helpful -o runs/replies/base-helpful.json

# first-state diagnosis of the untrained adapter (Q = 0)
$PY experiments/steering/diagnose.py --adapter none -o runs/diag/untrained.json

# the short-setting variants (section 0 of the doc)
$PY experiments/steering/train_variant.py --pairs offpolicy -o runs/off-paper --lr 1e-3 --epochs 2
$PY experiments/steering/train_variant.py --pairs onpolicy -o runs/on-paper --lr 1e-3 --epochs 2

for v in off-paper on-paper; do
  $PY experiments/steering/diagnose.py --adapter runs/$v -o runs/diag/$v.json
  for s in risky helpful; do
    $PY experiments/steering/replies.py --adapter runs/$v --set $s \
      --only-counted runs/replies/base-$s.json -o runs/replies/$v-$s.json
  done
  $PY experiments/steering/metric.py runs/replies/$v
done
$PY experiments/steering/plot.py runs/diag/untrained.json runs/diag/off-paper.json runs/diag/on-paper.json
