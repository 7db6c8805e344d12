"""``customize``: helpful-base DPO -> harmless Q-Adapter -> evaluate -> generations, in MLflow.

    prefect deployment run customize/hh                       # the smol profile (embedded SmolLM2)
    prefect deployment run customize/hh --param alpha0=2.0    # any parameter overrides the profile
    prefect deployment run customize/hh --param force=true    # recompute cached stages

Parameters map onto ``tasks.experiment.EXPERIMENTS[profile]`` (the HH experiment); None keeps the
profile's value; values are validated by the configuration dataclasses before any stage runs.
One MLflow parent run per flow run (tags: Prefect flow-run id and URL, git commit, profile), one
child run per stage; the adapter is registered as a new version of ``hh-qadapter``. If anything
fails, the parent run ends FAILED with the error. A markdown summary and a results table are
published as Prefect artifacts. Stage results are cached as JSON next to the MLflow store.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Literal, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # workers run this file from the repo

from prefect import flow, get_run_logger  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402

from qadapter.secrets import redact  # noqa: E402
from tasks import stages as T  # noqa: E402
from tasks import lifecycle, tracking  # noqa: E402
from tasks.experiment import data_hashes, experiment  # noqa: E402


def _flow_run_url(run_id: str) -> str:
    api = os.environ.get("PREFECT_API_URL", "")
    return api.replace("/api", f"/runs/flow-run/{run_id}") if api else ""


@flow(
    name="customize",
    on_cancellation=[lifecycle.on_cancellation],
    on_crashed=[lifecycle.on_crashed],
)
def customize(
    profile: Literal["smol", "paper", "tiny"] = "smol",
    base: Optional[str] = None,
    helpful_source: Optional[str] = None,
    harmless_source: Optional[str] = None,
    alpha0: Optional[float] = None,
    alpha_tilde: Optional[float] = None,
    beta: Optional[float] = None,
    gamma: Optional[float] = None,
    epochs: Optional[int] = None,
    max_length: Optional[int] = None,
    max_steps: Optional[int] = None,
    harmless_pairs: Optional[int] = None,
    skip_base_stage: Optional[bool] = None,
    force: bool = False,
) -> dict:
    logger = get_run_logger()
    cfg = experiment(
        profile,
        base=base,
        helpful_source=helpful_source,
        harmless_source=harmless_source,
        skip_base_stage=skip_base_stage,
        harmless_pairs=harmless_pairs,
        alpha0=alpha0,
        alpha_tilde=alpha_tilde,
        beta=beta,
        gamma=gamma,
        epochs=epochs,
        max_length=max_length,
        max_steps=max_steps,
    )
    hashes = data_hashes(cfg)
    run_id = str(flow_run.get_id() or "local")
    parent = tracking.start_parent(
        tags={
            "mlflow.runName": f"customize-{profile}-{flow_run.get_name() or 'local'}",
            "prefect.flow_run_id": run_id,
            "prefect.flow_run_url": _flow_run_url(run_id),
            "git.commit": tracking.git_commit(),
            "profile": profile,
        },
        params={"profile": profile, **cfg.to_dict(), "data_hashes": hashes},
    )
    logger.info("MLflow parent run %s (%s)", parent, redact(tracking.tracking_uri()))
    # Cached results live with the rest of the state (the MLflow store they refer to), not in
    # ~/.prefect.
    from prefect.filesystems import LocalFileSystem

    results_dir = tracking.state_dir() / "prefect-results"
    block = f"qadapter-results-{hashlib.sha256(str(results_dir).encode()).hexdigest()[:12]}"
    LocalFileSystem(basepath=str(results_dir)).save(block, overwrite=True)
    opts = {"result_storage": f"local-file-system/{block}", "result_serializer": "json"}
    if force:
        opts["refresh_cache"] = True
    try:
        hb = T.helpful_base.with_options(**opts)(cfg, hashes, parent)
        qa = T.qadapter.with_options(**opts)(cfg, hashes, hb, parent)
        ev = T.evaluate.with_options(**opts)(cfg, hashes, hb, qa, parent)
        gen = T.generations.with_options(**opts)(cfg, hashes, hb, qa, parent)
        # (a judge stage, scoring `gen` with LLM judges and win rates, goes here)
        c = tracking.client()
        for name, rec in (
            ("helpful-base", hb),
            ("qadapter", qa),
            ("evaluate", ev),
            ("generations", gen),
        ):
            c.set_tag(parent, f"stage.{name}.run_id", rec["mlflow_run_id"])
        for k in ("accuracy", "accuracy_init", "kl_mean", "kl_mean_init", "margin"):
            c.log_metric(parent, f"heldout.{k}", float(ev[k]))
        c.set_tag(parent, "model_version", f"{tracking.REGISTERED_MODEL}/{qa['model_version']}")
        summary = _summary(cfg, hashes, hb, qa, ev, parent)
        create_markdown_artifact(
            summary, key="customize-summary", description="Q-Adapter customization summary"
        )
        create_table_artifact(
            [
                {"metric": k, "trained": ev[k], "untrained": ev.get(f"{k}_init")}
                for k in ("accuracy", "margin", "kl_mean")
            ],
            key="customize-results",
            description="held-out metrics",
        )
        create_table_artifact(
            [{k: r[k][:300] for k in ("prompt", "base", "customized")} for r in gen["rows"]],
            key="customize-generations",
        )
        tracking.end_run(parent)
    except BaseException as e:
        tracking.end_run(parent, e)
        raise
    return {
        "parent_run": parent,
        "adapter_dir": qa["adapter_dir"],
        "model_version": qa["model_version"],
        "evaluate": ev,
        "base_path": hb["base_path"],
    }


def _summary(cfg, hashes, hb, qa, ev, parent) -> str:
    base_line = (
        "skipped (the base is pi1)"
        if hb["skipped"]
        else f"DPO on {hb['pairs']} helpful pairs, {hb['steps']} steps -> `{hb['base_path']}`"
    )
    qa_line = (
        f"{qa['pairs']} harmless pairs, {qa['steps']} steps, alpha0={cfg.train.alpha0}, "
        f"alpha_tilde={cfg.train.alpha_tilde}; registered `{tracking.REGISTERED_MODEL}` "
        f"v{qa['model_version']}"
    )
    ev_line = (
        f"held-out accuracy {ev['accuracy']:.3f} (untrained {ev['accuracy_init']:.3f}) on "
        f"{ev['pairs']} pairs; KL(pi~ or pi1) {ev['kl_mean']:.4f} "
        f"(untrained {ev['kl_mean_init']:.4f})"
    )
    return f"""# Q-Adapter customization ({cfg.profile})

| stage | result |
| --- | --- |
| helpful-base | {base_line} |
| qadapter | {qa_line} |
| evaluate | {ev_line} |

Data hashes: harmless `{hashes["harmless"][:16]}`, helpful `{str(hashes["helpful"])[:16]}`.
MLflow parent run `{parent}`.
Adapter: `{qa["adapter_dir"]}`.
"""


if __name__ == "__main__":
    print(customize(profile=sys.argv[1] if len(sys.argv) > 1 else "tiny"))
