"""The four stage tasks. Each opens a child MLflow run, calls one library function, logs its record."""

from __future__ import annotations

from prefect import task

from qadapter import stages
from qadapter.stages import PipelineConfig

from .common import cache_key, key_of, retry_delays, retry_on_outside_errors, workdir
from .tracking import StageRun


@task(name="helpful-base", retries=2, retry_delay_seconds=retry_delays(), retry_condition_fn=retry_on_outside_errors, cache_key_fn=cache_key("helpful-base"), persist_result=True)
def helpful_base(cfg: PipelineConfig, data_hashes: dict, parent_run: str) -> dict:
    key = key_of("helpful-base", {"cfg": cfg, "data_hashes": data_hashes})
    with StageRun(parent_run, "helpful-base", key) as run:
        run.params({"base": cfg.base, "skip": cfg.skip_base_stage, "dpo": cfg.dpo.__dict__, "pairs": cfg.helpful_pairs})
        record = stages.helpful_base(cfg, workdir(key), callbacks=[run.metrics])
        if not record["skipped"]:
            run.dataset("helpful", record["data_hash"], cfg.helpful_source, "train", record["pairs"])
            run.summary(record.get("metrics", {}), "final.")
        return {**record, "mlflow_run_id": run.run_id, "key": key}


@task(name="qadapter", retries=2, retry_delay_seconds=retry_delays(), retry_condition_fn=retry_on_outside_errors, cache_key_fn=cache_key("qadapter"), persist_result=True)
def qadapter(cfg: PipelineConfig, data_hashes: dict, base: dict, parent_run: str) -> dict:
    key = key_of("qadapter", {"cfg": cfg, "data_hashes": data_hashes, "base": base})
    with StageRun(parent_run, "qadapter", key) as run:
        run.params({"alpha0": cfg.train.alpha0, "alpha_tilde": cfg.train.alpha_tilde, "beta": cfg.train.beta, "gamma": cfg.train.gamma,
                    "train": cfg.train.to_dict(), "base_hash": base["base_hash"], "pairs": cfg.harmless_pairs})
        record = stages.qadapter(cfg, base["base_path"], workdir(key), callbacks=[run.metrics])
        run.dataset("harmless", record["data_hash"], cfg.harmless_source, "train", record["pairs"])
        run.summary(record["metrics"], "final.")
        run.artifacts(record["adapter_dir"], "adapter")
        version = run.register("adapter", {"alpha0": cfg.train.alpha0, "alpha_tilde": cfg.train.alpha_tilde, "data_hash": record["data_hash"],
                                           "base_hash": base["base_hash"], "parent": "none", "profile": cfg.profile})
        return {**record, "mlflow_run_id": run.run_id, "model_version": version, "key": key}


@task(name="evaluate", cache_key_fn=cache_key("evaluate"), persist_result=True)
def evaluate(cfg: PipelineConfig, data_hashes: dict, base: dict, adapter: dict, parent_run: str) -> dict:
    key = key_of("evaluate", {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter})
    with StageRun(parent_run, "evaluate", key) as run:
        record = stages.evaluate(cfg, base["base_path"], adapter["adapter_dir"])
        run.dataset("harmless-test", data_hashes["harmless_test"], cfg.harmless_source, "eval", record["pairs"])
        run.summary(record, "heldout.")
        return {**record, "mlflow_run_id": run.run_id}


@task(name="judge", cache_key_fn=cache_key("judge"), persist_result=True)
def judge(cfg: PipelineConfig, data_hashes: dict, base: dict, adapter: dict, parent_run: str) -> dict:
    key = key_of("judge", {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter})
    with StageRun(parent_run, "judge", key) as run:
        rows = stages.judge(cfg, base["base_path"], adapter["adapter_dir"])
        run.table(rows, "generations.json")
        return {"rows": rows, "mlflow_run_id": run.run_id}
