"""The stage tasks: each opens a child MLflow run, calls one ``qadapter.stages`` function, logs.

Results are persisted as JSON (``result_serializer="json"``: the records are small JSON-able dicts;
nothing cached is ever unpickled). A ``judge`` stage (LLM judges, win rates) slots in after
``generations`` with the same shape: key inputs in ``tasks.common.KEY_INPUTS``, a task here.
"""

from __future__ import annotations

from prefect import task

from qadapter import stages

from .common import cache_key, key_of, retry_delays, retry_on_outside_errors, workdir
from .experiment import Experiment
from .tracking import StageRun

RESULTS = dict(persist_result=True, result_serializer="json")
RETRIES = dict(
    retries=2, retry_delay_seconds=retry_delays(), retry_condition_fn=retry_on_outside_errors
)


@task(name="helpful-base", cache_key_fn=cache_key("helpful-base"), **RETRIES, **RESULTS)
def helpful_base(cfg: Experiment, data_hashes: dict, parent_run: str) -> dict:
    key = key_of("helpful-base", {"cfg": cfg, "data_hashes": data_hashes})
    with StageRun(parent_run, "helpful-base", key) as run:
        run.params(
            {
                "base": cfg.base,
                "skip": cfg.skip_base_stage,
                "dpo": cfg.dpo.__dict__,
                "pairs": cfg.helpful_pairs,
            }
        )
        if cfg.skip_base_stage:
            record = stages.unaligned(cfg.base)
        else:
            record = stages.align(
                cfg.base,
                cfg.helpful_source,
                cfg.helpful_pairs,
                cfg.dpo,
                workdir(key),
                callbacks=[run.metrics],
            )
            run.dataset(
                "helpful", record["data_hash"], cfg.helpful_source, "train", record["pairs"]
            )
            run.summary(record.get("metrics", {}), "final.")
        return {**record, "mlflow_run_id": run.run_id, "key": key}


@task(name="qadapter", cache_key_fn=cache_key("qadapter"), **RETRIES, **RESULTS)
def qadapter(cfg: Experiment, data_hashes: dict, base: dict, parent_run: str) -> dict:
    key = key_of("qadapter", {"cfg": cfg, "data_hashes": data_hashes, "base": base})
    method = cfg.train.method
    with StageRun(parent_run, "qadapter", key) as run:
        run.params(
            {
                "alpha0": method.alpha0,
                "alpha_tilde": method.alpha_tilde,
                "beta": method.beta,
                "gamma": method.gamma,
                "train": cfg.train.to_dict(),
                "base_hash": base["base_hash"],
                "pairs": cfg.harmless_pairs,
            }
        )
        record = stages.customize(
            base["base_path"],
            cfg.harmless_source,
            cfg.harmless_pairs,
            cfg.eval_pairs,
            cfg.train,
            workdir(key),
            callbacks=[run.metrics],
        )
        run.dataset("harmless", record["data_hash"], cfg.harmless_source, "train", record["pairs"])
        run.summary(record["metrics"], "final.")
        run.artifacts(record["adapter_dir"], "adapter")
        version = run.register(
            "adapter",
            {
                "alpha0": method.alpha0,
                "alpha_tilde": method.alpha_tilde,
                "data_hash": record["data_hash"],
                "base_hash": base["base_hash"],
                "parent": "none",
                "profile": cfg.profile,
            },
        )
        return {**record, "mlflow_run_id": run.run_id, "model_version": version, "key": key}


@task(name="evaluate", cache_key_fn=cache_key("evaluate"), **RESULTS)
def evaluate(
    cfg: Experiment, data_hashes: dict, base: dict, adapter: dict, parent_run: str
) -> dict:
    key = key_of(
        "evaluate", {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter}
    )
    with StageRun(parent_run, "evaluate", key) as run:
        record = stages.evaluate(
            base["base_path"],
            adapter["adapter_dir"],
            cfg.harmless_source,
            cfg.eval_pairs,
            cfg.train,
            kl_pairs=cfg.kl_pairs,
        )
        run.dataset(
            "harmless-test",
            data_hashes["harmless_test"],
            cfg.harmless_source,
            "eval",
            record["pairs"],
        )
        run.summary(record, "heldout.")
        return {**record, "mlflow_run_id": run.run_id}


@task(name="generations", cache_key_fn=cache_key("generations"), **RESULTS)
def generations(
    cfg: Experiment, data_hashes: dict, base: dict, adapter: dict, parent_run: str
) -> dict:
    key = key_of(
        "generations", {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter}
    )
    with StageRun(parent_run, "generations", key) as run:
        rows = stages.generations(
            base["base_path"],
            adapter["adapter_dir"],
            cfg.harmless_source,
            cfg.generation_prompts,
            cfg.max_new_tokens,
            cfg.train.seed,
        )
        run.table(rows, "generations.json")
        return {"rows": rows, "mlflow_run_id": run.run_id}
