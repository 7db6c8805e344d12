#!/usr/bin/env bash
# Print what of the local stack runs, with URLs. Exit 0 when everything runs and answers, else 1.
set -uo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

all_ok=0
show() {   # show NAME DESCRIPTION HEALTH_URL SHOWN_URL
    local pid
    if pid="$(qa_pid "$1")"; then
        if [ -z "$3" ] || qa_http_ok "$3"; then
            printf '  %-16s running   pid %-8s %s\n' "$2" "$pid" "$4"
        else
            printf '  %-16s starting  pid %-8s %s (not answering yet)\n' "$2" "$pid" "$4"
            all_ok=1
        fi
    else
        printf '  %-16s stopped\n' "$2"
        all_ok=1
    fi
}

echo "qadapter local stack (state: $QADAPTER_STATE_DIR)"
show prefect "Prefect server" "$(qa_prefect_health_url)" "$PREFECT_UI_URL"
show worker "Prefect worker" "" "pool '$QADAPTER_WORK_POOL'"
show mlflow "MLflow server" "$(qa_mlflow_health_url)" "$MLFLOW_TRACKING_URI"
runs="$(qa_flow_runs_in_progress)"
if [ -n "$runs" ]; then
    echo "  flow runs in progress:"
    printf '%s\n' "$runs" | sed 's/^/    /'
fi
echo "  logs: $QADAPTER_RUN_DIR/*.log"
exit "$all_ok"
