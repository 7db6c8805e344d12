# shellcheck shell=bash
# Sourced by up.sh, down.sh and status.sh: where the local stack lives and how to reach it.
# Everything here can be overridden from the environment before sourcing:
#   QADAPTER_STATE_DIR       state directory (default: <repo>/state, git-ignored)
#   QADAPTER_PREFECT_PORT    Prefect server port on 127.0.0.1 (default: 4200)
#   QADAPTER_MLFLOW_PORT     MLflow tracking server port on 127.0.0.1 (default: 5000)
#   QADAPTER_MLFLOW_ARTIFACTS  MLflow artifact store: a directory or an s3:// URI
#                            (default: <state>/mlartifacts)

QADAPTER_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export QADAPTER_REPO

_qa_state="${QADAPTER_STATE_DIR:-$QADAPTER_REPO/state}"
mkdir -p "$_qa_state"
QADAPTER_STATE_DIR="$(cd "$_qa_state" && pwd)"   # absolute: sqlite URIs and pid files need it
export QADAPTER_STATE_DIR
unset _qa_state

export QADAPTER_PREFECT_PORT="${QADAPTER_PREFECT_PORT:-4200}"
export QADAPTER_MLFLOW_PORT="${QADAPTER_MLFLOW_PORT:-5000}"
export QADAPTER_HOST=127.0.0.1   # loopback only, on purpose
export QADAPTER_MLFLOW_ARTIFACTS="${QADAPTER_MLFLOW_ARTIFACTS:-$QADAPTER_STATE_DIR/mlartifacts}"
export QADAPTER_RUN_DIR="$QADAPTER_STATE_DIR/run"   # pid files and logs
export QADAPTER_WORK_POOL="${QADAPTER_WORK_POOL:-local}"

# The repository's virtualenv (`make setup`) goes first on PATH, so that after
# `source infra/local/env.sh` the commands of the README (`prefect`, `mlflow`, `qadapter`) work.
if [ -d "$QADAPTER_REPO/.venv/bin" ]; then
    case ":$PATH:" in
        *":$QADAPTER_REPO/.venv/bin:"*) ;;
        *) export PATH="$QADAPTER_REPO/.venv/bin:$PATH" ;;
    esac
fi

# Executables: whatever is on PATH (the venv above, or the Makefile's), else the repo's venv.
_qa_bin() {
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"
    elif [ -x "$QADAPTER_REPO/.venv/bin/$1" ]; then echo "$QADAPTER_REPO/.venv/bin/$1"
    else echo "$1"; fi
}
PREFECT_BIN="${PREFECT_BIN:-$(_qa_bin prefect)}"
MLFLOW_BIN="${MLFLOW_BIN:-$(_qa_bin mlflow)}"
PYTHON_BIN="${PYTHON_BIN:-$(_qa_bin python)}"

# Prefect: private home and SQLite database under the state dir; clients talk to our server.
export PREFECT_HOME="$QADAPTER_STATE_DIR/prefect"
export PREFECT_API_URL="http://$QADAPTER_HOST:$QADAPTER_PREFECT_PORT/api"
export PREFECT_UI_URL="http://$QADAPTER_HOST:$QADAPTER_PREFECT_PORT"
export PREFECT_SERVER_DATABASE_CONNECTION_URL="sqlite+aiosqlite:///$PREFECT_HOME/prefect.db"
export PREFECT_LOGGING_LEVEL=INFO
# `prefect deployment run --watch` streams a run's events *and* its logs (stage progress: step,
# loss, ETA), but Prefect's server streams logs out only when these are on (both off by default).
export PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED=true
export PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED=true

# MLflow: the flow reads MLFLOW_TRACKING_URI.
export MLFLOW_TRACKING_URI="http://$QADAPTER_HOST:$QADAPTER_MLFLOW_PORT"
export QADAPTER_MLFLOW_BACKEND="sqlite:///$QADAPTER_STATE_DIR/mlflow.db"

# Our servers are on loopback: never send their traffic through a proxy.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# Telemetry off, everywhere.
export DO_NOT_TRACK=1
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export MLFLOW_ENABLE_TELEMETRY=false
export MLFLOW_DISABLE_TELEMETRY=true

# MLflow 3 starts a job runner with ~7 huey consumer processes (~1 GiB) for GenAI features
# (judges, prompt optimization) that qadapter does not use; set to true to get them back.
export MLFLOW_SERVER_ENABLE_JOB_EXECUTION="${MLFLOW_SERVER_ENABLE_JOB_EXECUTION:-false}"

mkdir -p "$PREFECT_HOME" "$QADAPTER_RUN_DIR"

# --- helpers shared by the scripts --------------------------------------------------------

# qa_alive PID: true while PID runs. A zombie (exited, not yet reaped by its parent) is NOT
# alive, although `kill -0` still succeeds for it: a stopped server whose parent never reaps it
# (a container init that does not reap, or one too busy to do it yet) stays a zombie.
qa_alive() {
    local stat state
    if [ -d /proc/self ]; then
        stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
        state="${stat##*) }"; state="${state%% *}"
        [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
        return
    fi
    kill -0 "$1" 2>/dev/null || return 1
    state="$(ps -o stat= -p "$1" 2>/dev/null | tr -d ' ')"
    [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

# qa_pid NAME: the pid recorded for NAME if that process is still alive, else nothing.
qa_pid() {
    local f="$QADAPTER_RUN_DIR/$1.pid" pid
    [ -f "$f" ] || return 1
    pid="$(cat "$f" 2>/dev/null)"
    [ -n "$pid" ] && qa_alive "$pid" && { echo "$pid"; return 0; }
    return 1
}

# qa_http_ok URL: true when URL answers with a 2xx status (curl, else Python).
qa_http_ok() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --noproxy '*' --max-time 3 "$1" 2>/dev/null
    else
        python3 -c 'import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=3)' "$1" 2>/dev/null
    fi
}

# qa_port_busy PORT: true when something listens on 127.0.0.1:PORT.
qa_port_busy() {
    (exec 3<>"/dev/tcp/$QADAPTER_HOST/$1") 2>/dev/null
}

qa_prefect_health_url() { echo "$PREFECT_API_URL/health"; }
qa_mlflow_health_url() { echo "$MLFLOW_TRACKING_URI/health"; }

# qa_flow_runs_in_progress: one line per pending, running or cancelling flow run of our server.
qa_flow_runs_in_progress() {
    qa_pid prefect >/dev/null || return 0
    curl -fsS --noproxy '*' --max-time 10 -X POST -H 'Content-Type: application/json' \
        -d '{"flow_runs":{"state":{"type":{"any_":["PENDING","RUNNING","CANCELLING"]}}}}' \
        "$PREFECT_API_URL/flow_runs/filter" 2>/dev/null \
    | "$PYTHON_BIN" -c '
import json, sys
for r in json.load(sys.stdin):
    print("%s (%s, id %s)" % (r["name"], r["state_name"], r["id"]))'  2>/dev/null
}
