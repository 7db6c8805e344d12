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


def _pm(metrics: dict, key: str, scale: float = 1.0, unit: str = "") -> str:
    """``value +- s.e.`` of ``key`` (its ``key_se`` metric) and ``n`` when logged."""
    text = f"{metrics[key] * scale:.1f}{unit}"
    if f"{key}_se" in metrics:
        text += f" +- {metrics[f'{key}_se'] * scale:.1f}"
    if f"{key}_n" in metrics:
        text += f" (n = {metrics[f'{key}_n']:.0f})"
    return text


def numbers(metrics: dict, params: dict) -> list[str]:
    """The key results of a parent run, one line each, with standard errors and sample sizes
    where the run logged them; absent metrics are left out."""
    m, lines = metrics, []
    if "heldout.accuracy" in m:
        init = m.get("heldout.accuracy_init")
        lines.append(
            f"held-out preference accuracy {m['heldout.accuracy']:.3f}"
            + (f" (untrained adapter {init:.3f})" if init is not None else "")
        )
    for k in ("winrate.harmless", "winrate.helpful"):
        if k in m:
            lines.append(
                f"win rate vs base, {k.split('.', 1)[1]} prompts {_pm(m, k, unit='%')}; 50% = tie"
            )
    if "probe.delta" in m:
        lines.append(f"general probe, customized minus base {m['probe.delta']:+.1f}"
                     + (f" +- {m['probe.delta_se']:.1f}" if "probe.delta_se" in m else "")
                     + " points")  # fmt: skip
    if "kl.general" in m:
        lines.append(f"KL(customized || pi1) on general prompts {m['kl.general']:.3f} per token")
    if "heldout.kl_mean" in m:
        init = m.get("heldout.kl_mean_init")
        lines.append(
            f"KL(customized || pi1) on held-out pairs {m['heldout.kl_mean']:.3f} per token"
            + (f" (untrained {init:.3f})" if init is not None else "")
        )
    if "behaviour.declined" in m:
        lines.append(
            f"declines {_pm(m, 'behaviour.declined', 100, '%')} of risky prompts pi1 answers"
        )
    if "behaviour.answered" in m:
        lines.append(f"still answers {_pm(m, 'behaviour.answered', 100, '%')} of helpful prompts")
    judged = [s for s in ("harmless", "helpful") if f"judge.{s}.accuracy" in m]
    if judged:
        lines.append(
            "reward-model judges' own held-out accuracy: "
            + ", ".join(f"{s} {m[f'judge.{s}.accuracy']:.2f}" for s in judged)
            + " (near 0.5: that subset's win rate is weak evidence)"
        )
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
