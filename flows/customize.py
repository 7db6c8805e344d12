"""``customize``: helpful-base DPO -> harmless Q-Adapter -> evaluate -> generations -> judge.

    prefect deployment run customize/hh                       # the smol profile (embedded SmolLM2)
    prefect deployment run customize/hh --param alpha0=2.0    # any parameter overrides the profile
    prefect deployment run customize/hh --param force=true    # recompute cached stages
    prefect deployment run customize/hh --param launcher=torchrun --param processes=2
    prefect deployment run customize/hh --param onpolicy_tokens=0 \
        --param mix_source=none --param chosen_nll=0  # smol without the steering recipe

Parameters map onto ``tasks.experiment.EXPERIMENTS[profile]`` (the HH experiment); None keeps the
profile's value (``onpolicy_tokens=0`` and ``mix_source=none`` switch those off); values are
validated by the configuration dataclasses before any stage runs. The smol profile trains with
the steering recipe (docs/experiments/smol-recipe.md, "A recipe that steers").
One MLflow parent run per flow run (tags: Prefect flow-run id and URL, git commit, profile), one
child run per stage; the adapter is registered as a new version of ``hh-qadapter`` (its source a
pyfunc model, ``mlflow models serve``-able), described after the judge stage with what a person
picks it by (tags and description: alpha0, hashes, lineage, win rates, probe delta, KL). If anything
fails, the parent run ends FAILED with the error. The parent run carries the metrics of
docs/pipeline.md (``heldout.*``, ``probe.delta``, ``kl.general``, ``winrate.*``, ``judge.*``,
``behaviour.*``) and the judge's ``annotations.json`` / ``leaderboard.csv``. A markdown summary, a
results table, the leaderboard and the generations are published as Prefect artifacts.
Stage results are cached as JSON next to the MLflow store.
"""

from __future__ import annotations

import hashlib
import os
import sys
from typing import Literal, Optional

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from qadapter import registry
from qadapter.secrets import redact
from tasks import judging, lifecycle, report, tracking
from tasks import stages as T
from tasks.experiment import data_hashes, experiment


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
    lr: Optional[float] = None,
    max_length: Optional[int] = None,
    max_prompt_length: Optional[int] = None,
    max_steps: Optional[int] = None,
    harmless_pairs: Optional[int] = None,
    onpolicy_tokens: Optional[int] = None,
    mix_source: Optional[str] = None,
    mix_pairs: Optional[int] = None,
    chosen_nll: Optional[float] = None,
    skip_base_stage: Optional[bool] = None,
    launcher: Literal["none", "torchrun", "accelerate", "deepspeed"] = "none",
    processes: int = 1,
    accelerate_config: Optional[str] = None,
    judge: Literal["reward-model", "openai"] = "reward-model",
    judge_base_url: Optional[str] = None,
    judge_model: Optional[str] = None,
    judge_api_key_env: Optional[str] = None,
    judge_prompts: Optional[int] = None,
    judge_calibration: Optional[bool] = None,
    force: bool = False,
) -> dict:
    logger = get_run_logger()
    cfg = experiment(
        profile,
        base=base,
        helpful_source=helpful_source,
        harmless_source=harmless_source,
        skip_base_stage=skip_base_stage,
        launcher=launcher,
        processes=processes,
        accelerate_config=accelerate_config,
        harmless_pairs=harmless_pairs,
        onpolicy_tokens=onpolicy_tokens,
        mix_source=mix_source,
        mix_pairs=mix_pairs,
        chosen_nll=chosen_nll,
        alpha0=alpha0,
        alpha_tilde=alpha_tilde,
        beta=beta,
        gamma=gamma,
        epochs=epochs,
        lr=lr,
        max_length=max_length,
        max_prompt_length=max_prompt_length,
        max_steps=max_steps,
        judge=judge,
        judge_base_url=judge_base_url,
        judge_model=judge_model,
        judge_api_key_env=judge_api_key_env,
        judge_prompts=judge_prompts,
        judge_calibration=judge_calibration,
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
        jd = T.judge.with_options(**opts)(cfg, hashes, hb, qa, parent)
        c = tracking.client()
        records = {"helpful-base": hb, "qadapter": qa, "evaluate": ev, "generations": gen}
        for name, rec in {**records, "judge": jd}.items():
            c.set_tag(parent, f"stage.{name}.run_id", rec["mlflow_run_id"])
        metrics = report.parent_metrics(ev, jd)
        for k, v in metrics.items():
            c.log_metric(parent, k, v)
        # what a person picks a version by, as its tags and description (qadapter models list)
        registry.describe_version(
            tracking.REGISTERED_MODEL,
            qa["model_version"],
            tracking.version_fields(profile, cfg.train.method, hb["base_hash"], qa, metrics),
            client=c,
        )
        c.set_tag(parent, "judge.trusted", judging.trust_tag(jd["trusted"]))
        c.set_tag(parent, "model_version", f"{tracking.REGISTERED_MODEL}/{qa['model_version']}")
        c.log_artifact(parent, jd["paths"]["annotations"], "judge")
        c.log_artifact(parent, jd["paths"]["leaderboard"], "judge")
        create_markdown_artifact(
            report.summary(cfg, hashes, hb, qa, ev, jd, parent),
            key="customize-summary",
            description="Q-Adapter customization summary",
        )
        create_table_artifact(
            report.results_rows(ev, jd), key="customize-results", description="results"
        )
        create_table_artifact(
            jd["leaderboard"],
            key="customize-leaderboard",
            description=f"win rates vs pi1, judge {cfg.judge}",
        )
        create_table_artifact(
            report.generation_rows(gen["rows"]),
            key="customize-generations",
            description="held-out prompts: pi1 and the customized model",
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
        "judge": jd,
        "base_path": hb["base_path"],
    }


if __name__ == "__main__":
    print(customize(profile=sys.argv[1] if len(sys.argv) > 1 else "tiny"))
