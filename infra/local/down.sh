#!/usr/bin/env bash
# Stop what infra/local/up.sh started (worker, Prefect server, MLflow server), by pid file,
# with their child processes (each runs as its own process group). Idempotent.
set -uo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

STOP_TIMEOUT="${QADAPTER_STOP_TIMEOUT:-30}"   # seconds before SIGKILL
status=0

# alive PID PGID: true while the process or any member of its group is alive.
alive() {
    kill -0 "$1" 2>/dev/null && return 0
    [ -n "$2" ] && kill -0 -- "-$2" 2>/dev/null
}

# signal SIG PID PGID: the whole group when the process leads one (started with setsid),
# else the process and its direct children.
signal() {
    if [ -n "$3" ]; then
        kill "-$1" -- "-$3" 2>/dev/null
    else
        pkill "-$1" -P "$2" 2>/dev/null
        kill "-$1" "$2" 2>/dev/null
    fi
}

# descendants PID: all processes below PID (flow runs may live in sessions of their own, so the
# process group alone does not cover them).
descendants() {
    ps -eo pid=,ppid= 2>/dev/null | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            for (p in parent) {
                q = parent[p]
                while (q != "" && q != 0 && q != 1) {
                    if (q == root) { print p; break }
                    q = parent[q]
                }
            }
        }'
}

# reap PIDS...: TERM, then KILL, what is left of the given processes.
reap() {
    local left=() p i
    for p in "$@"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
    [ "${#left[@]}" -gt 0 ] || return 0
    kill -TERM "${left[@]}" 2>/dev/null
    for i in $(seq 1 $((STOP_TIMEOUT * 3))); do
        local alive_any=0
        for p in "${left[@]}"; do kill -0 "$p" 2>/dev/null && alive_any=1; done
        [ "$alive_any" -eq 1 ] || return 0
        sleep 0.3
    done
    kill -KILL "${left[@]}" 2>/dev/null
    return 0
}

stop() {
    local name="$1" what="$2" f="$QADAPTER_RUN_DIR/$1.pid" pid pgid
    if [ ! -f "$f" ]; then echo "down.sh: $what not running"; return; fi
    pid="$(cat "$f" 2>/dev/null)"
    if [ -z "$pid" ]; then rm -f "$f"; echo "down.sh: $what not running"; return; fi
    pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
    [ "$pgid" = "$pid" ] || pgid=""      # only kill a group this stack owns
    if ! alive "$pid" "$pgid"; then
        # Leftover group members of a dead leader: the group id is the recorded pid.
        kill -0 -- "-$pid" 2>/dev/null && pgid="$pid" || {
            rm -f "$f"; echo "down.sh: $what not running (stale pid file removed)"; return; }
    fi
    echo "down.sh: stopping $what (pid $pid)"
    local desc
    desc="$(descendants "$pid")"
    signal TERM "$pid" "$pgid"
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while alive "$pid" "$pgid"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "down.sh: $what did not stop within ${STOP_TIMEOUT}s; sending SIGKILL" >&2
            signal KILL "$pid" "$pgid"
            sleep 1
            if alive "$pid" "$pgid"; then
                echo "down.sh: error: could not stop $what (pid $pid)" >&2
                status=1
                return
            fi
            break
        fi
        sleep 0.3
    done
    # shellcheck disable=SC2086  # one pid per word
    reap $desc
    rm -f "$f"
}

# Worker first (it talks to the server), then the servers.
stop worker "Prefect worker"
stop prefect "Prefect server"
stop mlflow "MLflow server"
[ "$status" -eq 0 ] && echo "down.sh: stopped (state kept in $QADAPTER_STATE_DIR)"
exit "$status"
