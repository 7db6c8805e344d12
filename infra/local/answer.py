"""What a finished `customize` flow run found, with direct links: the end of `make demo`.

    python infra/local/answer.py FLOW_RUN_ID     # with infra/local/env.sh sourced

Reads the flow run from the Prefect API (PREFECT_API_URL), its MLflow parent run (tag
``prefect.flow_run_id``) and registered model version from the tracking server
(MLFLOW_TRACKING_URI), and prints the key numbers and the URLs of the flow run, the parent run,
the model version and the experiment's runs table with the key columns. Exit 1 when the flow
run or its MLflow run cannot be found (one line saying which).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tasks import tracking  # noqa: E402


def prefect_flow_run_url(prefect_ui: str, flow_run_id: str) -> str:
    return f"{prefect_ui.rstrip('/')}/runs/flow-run/{flow_run_id}"


def links(
    prefect_ui: str, mlflow_ui: str, flow_run_id: str, experiment_id: str, run_id: str, version
) -> list[tuple[str, str]]:
    """(label, URL) pairs, in the order a person would open them."""
    out = [
        ("Prefect flow run", prefect_flow_run_url(prefect_ui, flow_run_id)),
        ("MLflow parent run", tracking.run_url(mlflow_ui, experiment_id, run_id)),
    ]
    if version:
        out.append(
            (
                f"Model {tracking.REGISTERED_MODEL} v{version}",
                tracking.model_version_url(mlflow_ui, tracking.REGISTERED_MODEL, version),
            )
        )
    out.append(("All runs, key columns", tracking.runs_view_url(mlflow_ui, experiment_id)))
    return out


def numbers(metrics: dict, params: dict) -> list[str]:
    """The key results of a parent run, one line each; absent metrics are left out."""
    lines = []
    if "heldout.accuracy" in metrics:
        lines.append(
            f"held-out preference accuracy {metrics['heldout.accuracy']:.3f}"
            + (
                f" (untrained adapter {metrics['heldout.accuracy_init']:.3f})"
                if "heldout.accuracy_init" in metrics
                else ""
            )
        )
    if "heldout.kl_mean" in metrics:
        lines.append(
            f"KL(customized || pi1) {metrics['heldout.kl_mean']:.3f} per token"
            + (
                f" (untrained {metrics['heldout.kl_mean_init']:.3f})"
                if "heldout.kl_mean_init" in metrics
                else ""
            )
        )
    for k in ("winrate.harmless", "winrate.helpful"):
        if k in metrics:
            lines.append(f"win rate vs base, {k.split('.', 1)[1]} prompts {metrics[k]:.3f}")
    if "probe.delta" in metrics:
        lines.append(f"general probe, customized minus base {metrics['probe.delta']:+.3f}")
    if "train.method.alpha0" in params:
        lines.append(f"alpha0 {params['train.method.alpha0']}")
    return lines


def main(flow_run_id: str) -> int:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    prefect_ui = os.environ.get("PREFECT_UI_URL") or os.environ["PREFECT_API_URL"].removesuffix(
        "/api"
    )
    mlflow_ui = tracking.tracking_uri()
    try:
        with get_client(sync_client=True) as pc:
            fr = pc.read_flow_run(UUID(flow_run_id))
    except (ObjectNotFound, ValueError):
        print(f"answer: error: no flow run {flow_run_id!r} on {prefect_ui}", file=sys.stderr)
        return 1
    c = tracking.client()
    exps = [e.experiment_id for e in c.search_experiments()]
    runs = c.search_runs(exps, f"tags.`prefect.flow_run_id` = '{flow_run_id}'") if exps else []
    state = fr.state.name if fr.state else "unknown"
    took = fr.total_run_time.total_seconds()
    print(f"Flow run {fr.name}: {state} after {int(took // 60)} min {int(took % 60)} s.")
    if not runs:
        print(f"answer: error: no MLflow run tagged with flow run {flow_run_id}", file=sys.stderr)
        print(f"  Prefect flow run: {prefect_flow_run_url(prefect_ui, flow_run_id)}")
        return 1
    run = runs[0]
    version = run.data.tags.get("model_version", "").rpartition("/")[2]
    for line in numbers(run.data.metrics, run.data.params):
        print(f"  {line}")
    print(f"  MLflow run {run.info.run_id}: {run.info.status}")
    print()
    for label, url in links(
        prefect_ui, mlflow_ui, flow_run_id, run.info.experiment_id, run.info.run_id, version
    ):
        print(f"  {label + ':':26s}{url}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python infra/local/answer.py FLOW_RUN_ID", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
