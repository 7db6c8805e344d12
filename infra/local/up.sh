#!/usr/bin/env bash
# Start the local stack on 127.0.0.1, in the background: Prefect server, the `local` process
# work pool and a worker for it, and an MLflow tracking server. Idempotent: whatever already
# runs and answers is left alone. Pid files and logs: $QADAPTER_STATE_DIR/run/.
# Stop it with infra/local/down.sh; see infra/README.md.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

START_TIMEOUT="${QADAPTER_START_TIMEOUT:-180}"   # seconds per service; 2-core CI machines are slow

fail() { echo "up.sh: error: $*" >&2; exit 1; }
say() { echo "up.sh: $*"; }

# start_bg NAME CMD...: run CMD detached in its own session (process group), log to NAME.log,
# record its pid (= its process group id) in NAME.pid.
start_bg() {
    local name="$1"; shift
    local log="$QADAPTER_RUN_DIR/$name.log"
    echo "--- $(date '+%Y-%m-%d %H:%M:%S') starting: $*" >>"$log"
    if command -v setsid >/dev/null 2>&1; then
        # From a non-interactive script the child is no group leader, so setsid does not fork
        # and $! is the server's own pid and process group id.
        (cd "$QADAPTER_REPO" && exec setsid "$@") </dev/null >>"$log" 2>&1 &
    else
        (cd "$QADAPTER_REPO" && exec "$@") </dev/null >>"$log" 2>&1 &
    fi
    echo $! >"$QADAPTER_RUN_DIR/$name.pid"
}

# wait_until NAME DESCRIPTION CHECK...: poll CHECK until it succeeds; fail early if NAME died.
wait_until() {
    local name="$1" what="$2"; shift 2
    local deadline=$((SECONDS + START_TIMEOUT))
    until "$@"; do
        if ! qa_pid "$name" >/dev/null; then
            rm -f "$QADAPTER_RUN_DIR/$name.pid"
            fail "$what exited during start-up; read $QADAPTER_RUN_DIR/$name.log"
        fi
        [ "$SECONDS" -lt "$deadline" ] || \
            fail "$what did not come up within ${START_TIMEOUT}s; read $QADAPTER_RUN_DIR/$name.log"
        sleep 1
    done
}

# ensure_server NAME DESCRIPTION PORT HEALTH_URL CMD...
ensure_server() {
    local name="$1" what="$2" port="$3" health="$4"; shift 4
    if qa_pid "$name" >/dev/null; then
        if qa_http_ok "$health"; then say "$what already running (pid $(qa_pid "$name"))"; return; fi
        say "$what is starting (pid $(qa_pid "$name")); waiting for $health"
    else
        rm -f "$QADAPTER_RUN_DIR/$name.pid"
        if qa_port_busy "$port"; then
            fail "port $port on $QADAPTER_HOST is in use by a process this stack did not start;" \
                 "stop it or choose another port (QADAPTER_${name^^}_PORT)"
        fi
        say "starting $what on $QADAPTER_HOST:$port (log: $QADAPTER_RUN_DIR/$name.log)"
        start_bg "$name" "$@"
    fi
    wait_until "$name" "$what" qa_http_ok "$health"
}

[ -x "$PREFECT_BIN" ] || command -v "$PREFECT_BIN" >/dev/null 2>&1 || \
    fail "prefect not found; run 'make setup' (or put the venv's bin/ on PATH)"
[ -x "$MLFLOW_BIN" ] || command -v "$MLFLOW_BIN" >/dev/null 2>&1 || \
    fail "mlflow not found; run 'make setup' (or put the venv's bin/ on PATH)"

# --- Prefect server ------------------------------------------------------------------------
ensure_server prefect "Prefect server" "$QADAPTER_PREFECT_PORT" "$(qa_prefect_health_url)" \
    "$PREFECT_BIN" server start --host "$QADAPTER_HOST" --port "$QADAPTER_PREFECT_PORT" \
    --analytics-off

# --- work pool -----------------------------------------------------------------------------
if qa_http_ok "$PREFECT_API_URL/work_pools/$QADAPTER_WORK_POOL"; then
    say "work pool '$QADAPTER_WORK_POOL' exists"
else
    say "creating work pool '$QADAPTER_WORK_POOL' (type process)"
    "$PREFECT_BIN" --no-prompt work-pool create "$QADAPTER_WORK_POOL" --type process \
        >>"$QADAPTER_RUN_DIR/prefect-cli.log" 2>&1 || \
        fail "could not create work pool '$QADAPTER_WORK_POOL'; read $QADAPTER_RUN_DIR/prefect-cli.log"
fi

# --- worker --------------------------------------------------------------------------------
worker_online() {
    # A worker is polling when the server lists it as ONLINE for the pool.
    curl -fsS --noproxy '*' --max-time 3 -X POST -H 'Content-Type: application/json' -d '{}' \
        "$PREFECT_API_URL/work_pools/$QADAPTER_WORK_POOL/workers/filter" 2>/dev/null \
        | grep -q '"status":"ONLINE"'
}
if qa_pid worker >/dev/null; then
    say "worker already running (pid $(qa_pid worker))"
else
    rm -f "$QADAPTER_RUN_DIR/worker.pid"
    say "starting a process worker for pool '$QADAPTER_WORK_POOL' (log: $QADAPTER_RUN_DIR/worker.log)"
    # The worker (and every flow run it spawns) gets MLFLOW_TRACKING_URI, QADAPTER_STATE_DIR,
    # QADAPTER_REPO (the deployments' pull step) and PREFECT_API_URL from env.sh's exports, but
    # not the server's artifact destination: flows upload artifacts through the MLflow server
    # (experiments created with an mlflow-artifacts:/ location), as a worker on another host must.
    start_bg worker env -u QADAPTER_MLFLOW_ARTIFACTS \
        "$PREFECT_BIN" --no-prompt worker start --pool "$QADAPTER_WORK_POOL" \
        --type process --name "qadapter-local-$(hostname)" --install-policy never
fi
wait_until worker "Prefect worker" worker_online

# --- MLflow tracking server ----------------------------------------------------------------
case "$QADAPTER_MLFLOW_ARTIFACTS" in
    s3://*)
        say "MLflow artifacts go to $QADAPTER_MLFLOW_ARTIFACTS; the server needs" \
            "MLFLOW_S3_ENDPOINT_URL (for S3-compatible stores) and AWS credentials in its environment"
        ;;
    *://*) ;;   # another artifact store URI (gs://, wasbs://, ...): passed through as is
    *) mkdir -p "$QADAPTER_MLFLOW_ARTIFACTS" ;;
esac
ensure_server mlflow "MLflow server" "$QADAPTER_MLFLOW_PORT" "$(qa_mlflow_health_url)" \
    "$MLFLOW_BIN" server --host "$QADAPTER_HOST" --port "$QADAPTER_MLFLOW_PORT" --workers 1 \
    --backend-store-uri "$QADAPTER_MLFLOW_BACKEND" \
    --serve-artifacts --artifacts-destination "$QADAPTER_MLFLOW_ARTIFACTS"

# --- runs left behind by a stopped stack -------------------------------------------------------
# A flow run whose process died with the stack (make down mid-run, a reboot) is marked Crashed,
# and MLflow runs still RUNNING for flow runs that have ended are marked KILLED.
if fixed="$(cd "$QADAPTER_REPO" && "$PYTHON_BIN" -m tasks.lifecycle reconcile \
        2>>"$QADAPTER_RUN_DIR/reconcile.log")"; then
    [ -z "$fixed" ] || printf '%s\n' "$fixed" | tee -a "$QADAPTER_RUN_DIR/reconcile.log" \
        | sed 's/^/up.sh: /'
else
    say "warning: could not check for runs left RUNNING; read $QADAPTER_RUN_DIR/reconcile.log"
fi
echo
echo "Prefect UI:  $PREFECT_UI_URL      (API: $PREFECT_API_URL, work pool: $QADAPTER_WORK_POOL)"
echo "MLflow UI:   $MLFLOW_TRACKING_URI"
echo "State:       $QADAPTER_STATE_DIR   (logs: $QADAPTER_RUN_DIR/*.log)"
echo
echo "Use it from this shell:  source infra/local/env.sh"
echo "Register deployments:    prefect --no-prompt deploy --all"
echo "Run the pipeline:        prefect deployment run customize/hh"
echo "Stop everything:         infra/local/down.sh"
