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
"$PREFECT_BIN" deployment run customize/hh --watch --watch-timeout 3600 "$@"
took=$(( $(date +%s) - start ))
cat <<TXT

customize/hh finished in $((took / 60)) min $((took % 60)) s.
  Prefect UI (flow run, summary and results artifacts): $PREFECT_UI_URL
  MLflow UI (experiment qadapter-hh, model hh-qadapter): $MLFLOW_TRACKING_URI
  Adapters and intermediate models:                      $QADAPTER_STATE_DIR/runs/
Stop the stack with: make down
TXT
