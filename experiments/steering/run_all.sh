#!/usr/bin/env bash
# The steering study (docs/experiments/steering.md), every command in the order it was run.
# Run from the repository root: PY="nice -n 10 .venv/bin/python" bash experiments/steering/run_all.sh
# (the anchor runs at the end were started without nice, as their brief asked)
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
DPO="--alpha0 0.1 --alpha-tilde 0.1 --gamma 1.0 --beta 0"
$PY experiments/steering/train_variant.py --pairs offpolicy -o runs/off-dpo --lr 1e-3 --epochs 2 $DPO
$PY experiments/steering/train_variant.py --pairs onpolicy -o runs/on-dpo --lr 1e-3 --epochs 2 $DPO \
  --micro-batch-size 4
$PY experiments/steering/train_variant.py --pairs onpolicy -o runs/on-matched --lr 1e-3 --epochs 2 \
  --alpha0 0.1 --alpha-tilde 0.1 --gamma 0.99 --beta 0.1 --micro-batch-size 4

for v in off-paper on-paper off-dpo on-dpo on-matched; do
  $PY experiments/steering/diagnose.py --adapter runs/$v -o runs/diag/$v.json
  for s in risky helpful; do
    $PY experiments/steering/replies.py --adapter runs/$v --set $s \
      --only-counted runs/replies/base-$s.json -o runs/replies/$v-$s.json --max-new-tokens 40
  done
  $PY experiments/steering/metric.py runs/replies/$v
done
$PY experiments/steering/plot.py runs/diag/untrained.json runs/diag/off-paper.json runs/diag/on-paper.json
for s in risky helpful; do
  $PY experiments/steering/replies.py --adapter runs/on-matched --alpha0 0.3 --set $s \
    --only-counted runs/replies/base-$s.json -o runs/replies/on-matched-a03-$s.json --max-new-tokens 40
done
$PY experiments/steering/metric.py runs/replies/on-matched-a03
$PY experiments/steering/fluency.py base off-paper on-paper off-dpo on-dpo on-matched
# the README example
$PY -m qadapter.cli generate runs/off-paper -p "How can I get back at a coworker?" --greedy --max-new-tokens 64

# helpful anchors in the same run (section 4, "on-anchors"): 64 on-policy harmless pairs + helpful
# anchors (64 helpful train prompts, pi1's greedy reply vs a seeded refusal; 4 skipped where pi1
# does not answer), the on-matched settings otherwise
ANCHORED="--lr 1e-3 --epochs 2 --alpha0 0.1 --alpha-tilde 0.1 --gamma 0.99 --beta 0.1 --micro-batch-size 4"
anchored() {  # NAME ANCHORS [SEED]: train runs/NAME, on-matched settings + ANCHORS helpful anchors
  $PY experiments/steering/train_variant.py --pairs onpolicy --anchors "$2" --seed "${3:-0}" \
    -o "runs/$1" $ANCHORED
}
judged() {  # NAME ALPHA0...: replies of runs/NAME decoded at each alpha0 on both sets, its metric
  local v=$1 a s
  shift
  for a in "$@"; do
    for s in risky helpful; do
      $PY experiments/steering/replies.py --adapter "runs/$v" --alpha0 "$a" --set "$s" \
        --only-counted "runs/replies/base-$s.json" -o "runs/replies/$v-a$a-$s.json" \
        --max-new-tokens 40
    done
    $PY experiments/steering/metric.py "runs/replies/$v-a$a"
  done
}
anchored on-anchors64 64
judged on-anchors64 0.1 0.15 0.2 0.05
$PY experiments/steering/fluency.py on-anchors64-a0.1 on-anchors64-a0.15 on-anchors64-a0.2
# second variant: 16 anchors (15 kept), everything else the same
anchored on-anchors16 16
judged on-anchors16 0.1 0.2 0.05
$PY experiments/steering/fluency.py on-anchors64-a0.05 on-anchors16-a0.1 on-anchors16-a0.2
# third variant: 4 anchors (all kept), everything else the same
anchored on-anchors4 4
judged on-anchors4 0.1 0.2 0.08
$PY experiments/steering/fluency.py on-anchors16-a0.05 on-anchors4-a0.1 on-anchors4-a0.2 on-anchors4-a0.08
# the 4-anchor recipe at two more seeds (other harmless pairs, anchors and initialisation)
for seed in 1 2; do
  anchored "on-anchors4-s$seed" 4 "$seed"
  judged "on-anchors4-s$seed" 0.1
done

# section 7: the grid of variants in one process. On the lent H100 (the plan in priority order;
# the lease ended after full-targeted64), then full-bundled on this CPU at two seeds, and the
# same recipe through the command line (whole splits, prompts truncated rather than filtered)
# $PY experiments/steering/grid.py --out runs/grid-gpu --device cuda --micro-batch-size 8
$PY experiments/steering/grid.py --out runs/grid-cpu --device cpu --micro-batch-size 8 \
  --only full-bundled,full-bundled-s1
$PY experiments/steering/grid_table.py runs/grid-cpu/grid.jsonl
$PY experiments/steering/winrate.py runs/grid-cpu/adapters/full-bundled --prompts 32 \
  -o runs/grid-cpu/judge
# on-policy on the helpful side too (pi1's answer vs the bundled rejected), seed 0 only
$PY experiments/steering/grid.py --out runs/grid-cpu-full-pi1help --device cpu --micro-batch-size 8 \
  --only full-pi1help
$PY -m qadapter.cli train --data data/hh-mini/harmless --onpolicy --mix data/hh-mini/helpful \
  --alpha0 0.1 --alpha-tilde 0.1 --gamma 0.99 --beta 0.1 --lr 1e-3 --epochs 2 --max-length 80 \
  --max-prompt-length 56 --chosen-nll 0 --checkpoint-every 20 -o runs/steer-cli/adapter
for s in risky helpful; do
  $PY experiments/steering/replies.py --adapter runs/steer-cli/adapter --alpha0 0.1 --set "$s" \
    --only-counted "runs/replies/base-$s.json" -o "runs/replies/steer-cli-a0.1-$s.json" \
    --max-new-tokens 40
done
$PY experiments/steering/metric.py runs/replies/steer-cli-a0.1
$PY -c "from qadapter.evaluate.forgetting import forgetting_report as f; import json; \
print(json.dumps(f('smollm2-135m-instruct', 'runs/steer-cli/adapter', \
max_gen_toks=32, output_dir='runs/steer-cli/forgetting'), indent=1))"
$PY -m qadapter.cli generate runs/steer-cli/adapter -p "How can I get back at a coworker?" --greedy \
  --max-new-tokens 64
# section 8: the chosen responses' NLL under pi~ (weight 1), three seeds, then the checks
for v in full-bundled-nll full-bundled-nll-s1 full-bundled-nll-s2; do
  $PY experiments/steering/grid.py --out "runs/grid-cpu-${v#full-bundled-}" --device cpu --only "$v"
done
$PY experiments/steering/grid_fluency.py runs/grid-cpu/grid.jsonl runs/grid-cpu-nll/grid.jsonl \
  runs/grid-cpu-nll-s1/grid.jsonl runs/grid-cpu-nll-s2/grid.jsonl
$PY experiments/steering/winrate.py runs/grid-cpu-nll/adapters/full-bundled-nll --prompts 32 \
  -o runs/grid-cpu-nll/judge
$PY experiments/steering/judge_validity.py runs/grid-cpu-nll/grid.jsonl full-bundled-nll
$PY -c "from qadapter.evaluate.forgetting import forgetting_report as f; import json; \
print(json.dumps(f('smollm2-135m-instruct', 'runs/grid-cpu-nll/adapters/full-bundled-nll', \
max_gen_toks=32, output_dir='runs/grid-cpu-nll/forgetting'), indent=1))"
$PY -m qadapter.cli generate runs/grid-cpu-nll/adapters/full-bundled-nll \
  -p "How can I get back at a coworker?" --greedy --max-new-tokens 64
# section 9: the customize flow's own adapter (the recipe on the pipeline's setting), re-scored on
# the study's prompt sets against its own pi1 (the helpful-base stage's model)
export QADAPTER_STATE_DIR=${QADAPTER_STATE_DIR:-/tmp/flowstate}  # a fresh one: nothing cached
STATE=$QADAPTER_STATE_DIR
$PY flows/customize.py smol  # the smol defaults are the recipe (1,032 s here)
B=$(ls -d "$STATE"/runs/helpful-base-*/model | head -1)
A=$(ls -d "$STATE"/runs/qadapter-* | head -1)
for s in risky helpful; do
  $PY experiments/steering/replies.py --adapter base --base "$B" --set "$s" \
    -o "runs/replies-pipeline/base-$s.json"
  $PY experiments/steering/replies.py --adapter "$A" --base "$B" --set "$s" \
    --only-counted "runs/replies-pipeline/base-$s.json" --max-new-tokens 40 \
    -o "runs/replies-pipeline/recipe-$s.json"
done
$PY experiments/steering/metric.py runs/replies-pipeline/recipe runs/replies-pipeline
$PY -m qadapter.cli generate "$A" -p "How can I get back at a coworker?" --greedy --max-new-tokens 64
