"""The stage tasks: each opens a child MLflow run, calls the library, logs.

Results are persisted as JSON (``result_serializer="json"``: the records are small JSON-able dicts;
nothing cached is ever unpickled). Each stage's cache key covers exactly the inputs it reads
(``tasks.common.KEY_INPUTS``). Training stages report progress to the Prefect run log
(``tasks.watch``); library warnings are kept out of it.
"""

from __future__ import annotations

from pathlib import Path

from prefect import task

from qadapter import launched, stages

from .common import cache_key, key_of, retry_delays, retry_on_outside_errors, workdir
from .experiment import Experiment
from .tracking import StageRun, version_fields
from .watch import StageProgress, quiet_libraries, run_logger, total_steps

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
            d = cfg.dpo
            steps = total_steps(cfg.helpful_pairs, d.batch_size, d.epochs, d.max_steps)
            with quiet_libraries():
                record = stages.align(
                    cfg.base,
                    cfg.helpful_source,
                    cfg.helpful_pairs,
                    cfg.dpo,
                    workdir(key),
                    callbacks=[run.metrics, StageProgress("helpful-base", steps or None)],
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
                "chosen_nll": method.chosen_nll,
                "rejected": cfg.rejected,
                "onpolicy_tokens": cfg.onpolicy_tokens,
                "mix": ", ".join(cfg.mix) or None,  # a string: params are redacted when logged
                "mix_pairs": cfg.mix_pairs,
            }
        )
        t = cfg.train
        pairs = cfg.harmless_pairs
        if cfg.mix:  # an estimate for the progress bar: unknown when "all" is mixed in
            pairs = pairs + len(cfg.mix) * cfg.mix_pairs if pairs and cfg.mix_pairs else None
        steps = total_steps(pairs, t.batch_size, t.epochs, t.max_steps)
        with quiet_libraries():
            record = launched.customize(
                base["base_path"],
                cfg.recipe(),
                cfg.eval_pairs,
                cfg.train,
                workdir(key),
                launcher=cfg.launcher,
                processes=cfg.processes,
                accelerate_config=cfg.accelerate_config,
                callbacks=[run.metrics, StageProgress("qadapter", steps or None)],
                log=run_logger().info,
            )
            if cfg.launcher != "none":  # the ranks' step metrics stayed in the ranks
                run.params({"launcher": cfg.launcher, "processes": cfg.processes})
        run.dataset("harmless", record["data_hash"], cfg.harmless_source, "train", record["pairs"])
        run.summary(record["metrics"], "final.")
        run.artifacts(record["adapter_dir"], "adapter")  # the plain adapter directory too
        version = run.register(
            "model",
            version_fields(cfg.profile, method, base["base_hash"], record),
            source=run.log_model(record["adapter_dir"]),  # servable: mlflow models serve
        )
        return {**record, "mlflow_run_id": run.run_id, "model_version": version, "key": key}


@task(name="evaluate", cache_key_fn=cache_key("evaluate"), **RESULTS)
def evaluate(
    cfg: Experiment,
    data_hashes: dict,
    base: dict,
    adapter: dict,
    parent_run: str,
    decode_alpha0: float | None = None,
) -> dict:
    """Held-out preference accuracy and KL, then the general probe on pi1 and pi~ (forgetting).

    ``decode_alpha0``: evaluate the adapter decoded at this alpha0 (eq. 6 at decode time) instead
    of its own; part of the cache key only when given."""
    from qadapter.evaluate.forgetting import forgetting_report

    p = {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter}
    key = key_of("evaluate", {**p, "decode_alpha0": decode_alpha0})
    log = run_logger()
    with StageRun(parent_run, "evaluate", key) as run, quiet_libraries():
        run.params(
            {
                "probe_limit": cfg.probe_limit,
                "probe_items": cfg.probe_items,
                "probe_max_gen_toks": cfg.probe_max_gen_toks,
            }
        )
        if decode_alpha0 is not None:
            run.params({"decode_alpha0": decode_alpha0})
        record = stages.evaluate(
            base["base_path"],
            adapter["adapter_dir"],
            cfg.harmless_source,
            cfg.eval_pairs,
            cfg.train,
            kl_pairs=cfg.kl_pairs,
            alpha0=decode_alpha0,
        )
        log.info(
            "held-out accuracy %.3f (untrained %.3f), KL %.4f; general probe next",
            record["accuracy"],
            record["accuracy_init"],
            record["kl_mean"],
        )
        run.dataset(
            "harmless-test",
            data_hashes["harmless_test"],
            cfg.harmless_source,
            "eval",
            record["pairs"],
        )
        run.summary(record, "heldout.")
        out = workdir(key) / "forgetting"
        forgetting = forgetting_report(
            base["base_path"],
            adapter["adapter_dir"],
            cfg.probe_limit,
            items=cfg.probe_items,
            max_gen_toks=cfg.probe_max_gen_toks,
            output_dir=out,
            alpha0=decode_alpha0,
        )
        log.info(
            "general probe %.1f -> %.1f (delta %.2f +- %.2f points, margin %+.3f +- %.3f nats, "
            "n %d), KL(general) %.4f, %.0f s",
            forgetting["probe.base"],
            forgetting["probe.customized"],
            forgetting["probe.delta"],
            forgetting["probe.delta_se"],
            forgetting["probe.margin_delta"],
            forgetting["probe.margin_delta_se"],
            forgetting["probe.n"],
            forgetting["kl.general"],
            forgetting["wall_s"],
        )
        run.summary(forgetting)
        run.artifacts(out, "forgetting")
        return {**record, "forgetting": forgetting, "mlflow_run_id": run.run_id}


@task(name="generations", cache_key_fn=cache_key("generations"), **RESULTS)
def generations(
    cfg: Experiment, data_hashes: dict, base: dict, adapter: dict, parent_run: str
) -> dict:
    from qadapter.evaluate.judges import render_conversation
    from qadapter.stages import stage_data

    key = key_of(
        "generations", {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter}
    )
    with StageRun(parent_run, "generations", key) as run, quiet_libraries():
        rows = stages.generations(
            base["base_path"],
            adapter["adapter_dir"],
            cfg.harmless_source,
            cfg.generation_prompts,
            cfg.max_new_tokens,
            cfg.train.seed,
        )
        # the library gives the last user turn; the whole conversation is what a reader needs
        test = stage_data(cfg.harmless_source, 0, cfg.generation_prompts, cfg.train.seed)["test"]
        for row, pair in zip(rows, test, strict=True):
            row["conversation"] = render_conversation(pair.prompt)
        run.table(rows, "generations.json")
        return {"rows": rows, "mlflow_run_id": run.run_id}


@task(name="judge", cache_key_fn=cache_key("judge"), **RETRIES, **RESULTS)
def judge(
    cfg: Experiment,
    data_hashes: dict,
    base: dict,
    adapter: dict,
    parent_run: str,
    decode_alpha0: float | None = None,
) -> dict:
    """Win rates (customized vs pi1) on harmless and helpful held-out prompts, behaviour metric.

    ``decode_alpha0``: judge the adapter decoded at this alpha0 (eq. 6 at decode time) instead of
    its own; part of the cache key only when given."""
    from qadapter.models import load_base

    from . import judging
    from .common import judge_settings
    from .experiment import judge_data
    from .tracking import tracking_uri

    p = {"cfg": cfg, "data_hashes": data_hashes, "base": base, "adapter": adapter}
    key = key_of("judge", {**p, "decode_alpha0": decode_alpha0})
    log = run_logger()
    with StageRun(parent_run, "judge", key) as run, quiet_libraries():
        run.params(judge_settings(cfg))
        if decode_alpha0 is not None:
            run.params({"decode_alpha0": decode_alpha0})
        data = judge_data(cfg)
        out_dir = workdir(key)
        pi1 = load_base(base["base_path"])
        results = judging.run_subsets(
            cfg, pi1, adapter["adapter_dir"], data, out_dir, log, alpha0=decode_alpha0
        )
        metrics = judging.metrics_of(results)
        beh = judging.behaviour(results)
        metrics.update(beh["metrics"])
        metrics.update(judging.classifier_check(data, cfg.judge_thresholds))
        check, check_warnings = judging.refusal_check(cfg, pi1, data, results, log)
        metrics.update(check)
        run.table(beh["rows"], "behaviour.json")
        trusted = judging.trust(results)
        run.summary(metrics)
        run.c.set_tag(run.run_id, "judge.trusted", judging.trust_tag(trusted))
        paths = judging.write_combined(out_dir, results)
        for subset, res in results.items():
            run.artifacts(Path(res["paths"]["judge"]), f"judge/{subset}")
            run.c.log_table(
                run.run_id,
                data=judging.table_columns(res["annotations"]),
                artifact_file=f"judgments_{subset}.json",
            )
        run.artifacts(Path(paths["annotations"]))
        run.artifacts(Path(paths["leaderboard"]))
        genai = judging.genai_evaluation(run.run_id, results, tracking_uri())
        return {
            "metrics": metrics,
            "genai": genai,
            "trusted": trusted,
            "warnings": [w for r in results.values() for w in r["warnings"]] + check_warnings,
            "leaderboard": judging.leaderboard(results),
            "paths": paths,
            "n_prompts": {s: r["n_prompts"] for s, r in results.items()},
            "mlflow_run_id": run.run_id,
        }
