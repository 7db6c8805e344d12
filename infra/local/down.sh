#!/usr/bin/env bash
# Stop what infra/local/up.sh started (worker, Prefect server, MLflow server), by pid file, with
# every process below them. Idempotent. Correct on a loaded machine:
#   - each server leads its own process group (up.sh starts it with setsid): the whole group is
#     signalled, plus every descendant found before signalling (flow runs may start sessions of
#     their own, and orphans lose their parent link once the server is gone);
#   - a zombie counts as stopped (qa_alive): a process that exited but that nobody has reaped
#     yet still answers `kill -0`, which made the old script report "could not stop" forever;
#   - waits follow progress, not the clock: SIGTERM, then wait while processes keep exiting
#     (QADAPTER_STOP_TIMEOUT seconds without progress, default 30), then SIGKILL and wait up to
#     QADAPTER_KILL_TIMEOUT seconds (default 60) for the kernel to finish them.
set -uo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

STOP_TIMEOUT="${QADAPTER_STOP_TIMEOUT:-30}"   # seconds without progress before SIGKILL
KILL_TIMEOUT="${QADAPTER_KILL_TIMEOUT:-60}"   # seconds for SIGKILLed processes to go
CANCEL_TIMEOUT="${QADAPTER_CANCEL_TIMEOUT:-120}"   # seconds for flow runs to end cancelled
status=0

# table: "pid ppid pgid" of every process, one per line.
table() { ps -eo pid=,ppid=,pgid= 2>/dev/null; }

# below PIDS...: every live process below the given ones, and every live member of the process
# groups they lead (one ps call; zombies filtered by qa_alive).
below() {
    local p
    for p in $(table | awk -v roots=" $* " '
        { parent[$1] = $2; group[$1] = $3 }
        END {
            for (p in parent) {
                if (index(roots, " " group[p] " ")) { print p; continue }
                q = parent[p]
                while (q != "" && q != 0 && q != 1) {
                    if (index(roots, " " q " ")) { print p; break }
                    q = parent[q]
                }
            }
        }'); do
        qa_alive "$p" && echo "$p"
    done
}

# live PIDS...: those of the given pids that are alive.
live() {
    local p
    for p in "$@"; do qa_alive "$p" && echo "$p"; done
}

# send SIG PGID PIDS...: signal the process group (if the stack owns one) and each pid.
send() {
    local sig="$1" pgid="$2" p; shift 2
    [ -n "$pgid" ] && kill "-$sig" -- "-$pgid" 2>/dev/null
    for p in "$@"; do kill "-$sig" "$p" 2>/dev/null; done
    return 0
}

# wait_gone SECONDS EXTEND PIDS...: wait until none of PIDS (nor anything below them) is alive.
# With EXTEND=1 the deadline moves whenever a process exits (progress). True when all are gone.
wait_gone() {
    local budget="$1" extend="$2" deadline left before
    shift 2
    deadline=$((SECONDS + budget))
    before=$#
    while :; do
        # shellcheck disable=SC2046  # one pid per word
        left=$(live "$@" $(below "$@") | sort -u | wc -l)
        [ "$left" -eq 0 ] && return 0
        if [ "$extend" -eq 1 ] && [ "$left" -lt "$before" ]; then
            deadline=$((SECONDS + budget))
        fi
        before=$left
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

stop() {
    local name="$1" what="$2" f="$QADAPTER_RUN_DIR/$1.pid" pid pgid targets
    if [ ! -f "$f" ]; then echo "down.sh: $what not running"; return; fi
    pid="$(cat "$f" 2>/dev/null)"
    case "$pid" in ''|*[!0-9]*)
        rm -f "$f"; echo "down.sh: $what not running (unreadable pid file removed)"; return ;;
    esac
    # The recorded pid leads the group up.sh created; a group id is only ours if it is that pid.
    pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
    [ -z "$pgid" ] || [ "$pgid" = "$pid" ] || pgid=""
    [ -n "$pgid" ] || { [ -n "$(below "$pid")" ] && pgid="$pid"; }  # a dead leader's group
    targets="$(live "$pid"; below "$pid")"
    if [ -z "$targets" ]; then
        rm -f "$f"; echo "down.sh: $what not running (stale pid file removed)"; return
    fi
    echo "down.sh: stopping $what (pid $pid)"
    # shellcheck disable=SC2086  # one pid per word
    send TERM "$pgid" $targets
    # shellcheck disable=SC2086
    if ! wait_gone "$STOP_TIMEOUT" 1 "$pid" $targets; then
        echo "down.sh: $what did not stop within ${STOP_TIMEOUT}s of no progress; sending SIGKILL" >&2
        # shellcheck disable=SC2046,SC2086
        send KILL "$pgid" $(live "$pid" $targets; below "$pid" $targets)
        # shellcheck disable=SC2086
        if ! wait_gone "$KILL_TIMEOUT" 0 "$pid" $targets; then
            echo "down.sh: error: could not stop $what (pid $pid): still running after SIGKILL" \
                 "and ${KILL_TIMEOUT}s; see 'ps -o pid,stat,cmd -g $pid'" >&2
            status=1
            return
        fi
    fi
    rm -f "$f"
}

# Flow runs in progress are cancelled first (the worker ends their processes; the flow's
# on_cancellation hook ends their MLflow runs KILLED), for up to QADAPTER_CANCEL_TIMEOUT
# seconds; whatever is still running then is stopped with the worker (Crashed) and fixed by the
# next up.sh at the latest.
cancel_runs() {
    local id
    for id in $(printf '%s\n' "$1" | grep -oE 'id [0-9a-f-]{36}' | cut -d' ' -f2); do
        curl -fsS --noproxy '*' --max-time 10 -o /dev/null -X POST \
            -H 'Content-Type: application/json' \
            -d '{"state":{"type":"CANCELLING","name":"Cancelling","message":"make down"},"force":true}' \
            "$PREFECT_API_URL/flow_runs/$id/set_state" 2>/dev/null \
            || echo "down.sh: could not request the cancellation of flow run $id" >&2
    done
}
runs="$(qa_flow_runs_in_progress)"
if [ -n "$runs" ]; then
    echo "down.sh: warning: $(printf '%s\n' "$runs" | wc -l) flow run(s) in progress;" \
         "cancelling them (rerun later: completed stages are cached):" >&2
    printf '%s\n' "$runs" | sed 's/^/down.sh:   /' >&2
    cancel_runs "$runs"
    deadline=$((SECONDS + CANCEL_TIMEOUT))
    while [ -n "$(qa_flow_runs_in_progress)" ] && [ "$SECONDS" -lt "$deadline" ] \
            && qa_pid worker >/dev/null; do
        sleep 1
    done
    left="$(qa_flow_runs_in_progress)"
    if [ -n "$left" ]; then
        echo "down.sh: warning: still in progress after ${CANCEL_TIMEOUT}s; stopping them with" \
             "the worker (they end Crashed, or are marked so by the next up.sh)" >&2
    else
        echo "down.sh: flow runs cancelled"
    fi
fi

# Worker first (it talks to the server), then the servers. Flow runs get SIGTERM with the
# worker and report their end (Prefect state, MLflow runs) while both servers still run.
stop worker "Prefect worker"
stop prefect "Prefect server"
stop mlflow "MLflow server"
[ "$status" -eq 0 ] && echo "down.sh: stopped (state kept in $QADAPTER_STATE_DIR)"
exit "$status"
