"""Runs end the way they really ended: Prefect cancellation/crash hooks and orphan clean-up.

A flow run that is cancelled, or whose process dies (``make down`` in the middle of a run, a
killed worker), must not leave its MLflow runs RUNNING nor its Prefect flow run "Running":

* ``on_cancellation`` / ``on_crashed`` are the ``customize`` flow's Prefect hooks: they end the
  MLflow parent run of that flow run (tag ``prefect.flow_run_id``) and its open child runs
  KILLED (cancelled) or FAILED (crashed), with the reason as the tag ``ended_by``.
* ``reconcile()`` is run on start-up (``infra/local/up.sh``, and by ``tracking.start_parent``
  before each flow run opens its parent run): a Prefect flow run still RUNNING/PENDING whose
  process on this host no longer exists is set Crashed, and every MLflow run still RUNNING
  whose Prefect flow run is no longer running (final, crashed, cancelled) is ended KILLED.
  Runs whose flow run the current Prefect API does not know are left alone and counted
  (another server's runs are not ours to end).

    python -m tasks.lifecycle reconcile      # what up.sh runs; prints one line per fixed run
"""

from __future__ import annotations

import socket
import sys

from qadapter.lock import pid_alive
from qadapter.secrets import redact
from qadapter.store import client

OPEN = ("RUNNING", "SCHEDULED")
# Prefect state types of a flow run that may still be doing work.
LIVE_STATES = ("RUNNING", "PENDING", "CANCELLING", "SCHEDULED", "PAUSED")


def _runs_of_flow_run(c, flow_run_id: str) -> list:
    """The MLflow parent run(s) tagged with this Prefect flow run, and all their child runs."""
    exps = [e.experiment_id for e in c.search_experiments()]
    if not exps:
        return []
    parents = c.search_runs(exps, f"tags.`prefect.flow_run_id` = '{flow_run_id}'")
    runs = list(parents)
    for p in parents:
        runs += c.search_runs(
            [p.info.experiment_id], f"tags.`mlflow.parentRunId` = '{p.info.run_id}'"
        )
    return runs


def _ended_by_signal(run) -> bool:
    """The flow body ended the parent FAILED because the process was told to stop."""
    return run.info.status == "FAILED" and run.data.tags.get("error", "").startswith(
        ("TerminationSignal", "KeyboardInterrupt", "CancelledError")
    )


def end_runs_of_flow_run(flow_run_id: str, status: str, reason: str, c=None) -> list[str]:
    """End the open MLflow runs of a Prefect flow run with ``status``; returns their ids.

    Open means RUNNING/SCHEDULED, or FAILED by the termination signal itself (the flow body's
    ``except BaseException`` sees the signal before Prefect calls the hook).
    """
    c = c or client()
    ended = []
    for run in _runs_of_flow_run(c, flow_run_id):
        if run.info.status in OPEN or (status == "KILLED" and _ended_by_signal(run)):
            c.set_tag(run.info.run_id, "ended_by", reason[:500])
            c.set_terminated(run.info.run_id, status=status)
            ended.append(run.info.run_id)
    return ended


def on_cancellation(flow, flow_run, state) -> None:
    """Prefect ``on_cancellation`` hook: the flow run's MLflow runs end KILLED."""
    end_runs_of_flow_run(str(flow_run.id), "KILLED", f"Prefect flow run {state.name}")


def on_crashed(flow, flow_run, state) -> None:
    """Prefect ``on_crashed`` hook: the flow run's MLflow runs end FAILED."""
    message = redact(state.message or "")
    end_runs_of_flow_run(str(flow_run.id), "FAILED", f"Prefect flow run Crashed: {message}")


def _process_gone(infrastructure_pid: str | None) -> bool:
    """True when the flow run's recorded process ran on this host and no longer exists."""
    if not infrastructure_pid:
        return False
    host, _, pid = infrastructure_pid.rpartition(":")
    if host and host != socket.gethostname():
        return False
    return pid.isdigit() and not pid_alive(int(pid))


def crash_dead_flow_runs(pc) -> list[str]:
    """Set Crashed every live-looking Prefect flow run whose process on this host is gone."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.states import Crashed

    live = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=["RUNNING", "CANCELLING"]))
    )
    fixed = []
    for fr in pc.read_flow_runs(flow_run_filter=live):
        if _process_gone(fr.infrastructure_pid):
            msg = f"process {fr.infrastructure_pid} is gone (found at start-up)"
            pc.set_flow_run_state(fr.id, Crashed(message=msg), force=True)
            fixed.append(str(fr.id))
    return fixed


def orphan_mlflow_runs(c, state_of) -> tuple[list[tuple[str, str]], int]:
    """MLflow parent runs still RUNNING whose Prefect flow run is not running.

    ``state_of(flow_run_id)`` returns the Prefect state type name, or None when the flow run is
    unknown. Returns ([(run id, flow run id)], number of runs of unknown flow runs).
    """
    exps = [e.experiment_id for e in c.search_experiments()]
    if not exps:
        return [], 0
    orphans, unknown = [], 0
    for run in c.search_runs(exps, "attributes.status = 'RUNNING'"):
        fr = run.data.tags.get("prefect.flow_run_id")
        if not fr or fr == "local":
            continue
        state = state_of(fr)
        if state is None:
            unknown += 1
        elif state not in LIVE_STATES:
            orphans.append((run.info.run_id, fr))
    return orphans, unknown


def reconcile(c=None, crash_dead: bool = False) -> dict:
    """Fix runs left behind by dead flow runs (see the module docstring); returns counts."""
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    c = c or client()
    with get_client(sync_client=True) as pc:
        crashed = crash_dead_flow_runs(pc) if crash_dead else []

        def state_of(flow_run_id: str) -> str | None:
            try:
                fr = pc.read_flow_run(UUID(flow_run_id))
            except (ObjectNotFound, ValueError):
                return None
            return fr.state.type.value if fr.state else None

        orphans, unknown = orphan_mlflow_runs(c, state_of)
    killed = []
    for _, fr in orphans:
        killed += end_runs_of_flow_run(fr, "KILLED", "orphan: its Prefect flow run had ended")
    return {"flow_runs_crashed": crashed, "mlflow_runs_killed": killed, "unknown": unknown}


def main(argv: list[str]) -> int:
    if argv != ["reconcile"]:
        print("usage: python -m tasks.lifecycle reconcile", file=sys.stderr)
        return 2
    out = reconcile(crash_dead=True)
    for fr in out["flow_runs_crashed"]:
        print(f"Prefect flow run {fr}: its process is gone; marked Crashed")
    for r in out["mlflow_runs_killed"]:
        print(f"MLflow run {r}: its flow run had ended; marked KILLED")
    if out["unknown"]:
        print(
            f"{out['unknown']} RUNNING MLflow run(s) belong to flow runs this server does not know"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
