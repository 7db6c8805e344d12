#!/usr/bin/env bash
# The main job, end to end on this machine: bring up the local stack, register the deployments,
# run `prefect deployment run customize/hh --watch` (embedded SmolLM2, bundled mini-HH), and say
# where to look. Extra arguments go to `prefect deployment run` (e.g. --param alpha0=2.0).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/up.sh"
# shellcheck source=env.sh
source "$here/env.sh"
cd "$QADAPTER_REPO"
"$PREFECT_BIN" --no-prompt deploy --all >"$QADAPTER_RUN_DIR/deploy.log" 2>&1 \
  || { echo "demo: error: prefect deploy failed; see $QADAPTER_RUN_DIR/deploy.log" >&2; exit 1; }
start=$(date +%s)
out="$QADAPTER_RUN_DIR/demo-run.log"
rc=0
"$PREFECT_BIN" deployment run customize/hh --watch --watch-timeout 10800 "$@" 2>&1 | tee "$out" \
  || rc=$?
took=$(( $(date +%s) - start ))
flow_run_id="$(grep -oE 'UUID: [0-9a-f-]{36}' "$out" | head -1 | cut -d' ' -f2 || true)"
echo
echo "customize/hh: $((took / 60)) min $((took % 60)) s (prefect deployment run --watch)."
if [ -n "$flow_run_id" ]; then
  "$PYTHON_BIN" "$here/answer.py" "$flow_run_id" || rc=1
else
  echo "demo: error: no flow run id in the output of prefect deployment run ($out)" >&2
  rc=1
fi
cat <<TXT

  Adapters and intermediate models: $QADAPTER_STATE_DIR/runs/
  MLflow UI: choose "Model training" (not GenAI) if it asks; runs are under the Runs tab.
Stop the stack with: make down
TXT
exit "$rc"
