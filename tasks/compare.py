"""The compare flow's stage tasks: pi1's reference run, baseline training, per-method evaluation.

Same shape as ``tasks.stages``: a child MLflow run each, JSON results, cache keys over exactly
the inputs read (pi1's hash, the harmless data, the method's settings, the judge's settings).
"""

from __future__ import annotations

import time
from dataclasses import asdict

from prefect import task

from .common import judge_settings, stage_key, workdir
from .experiment import Experiment, baseline_config, judge_data
from .stages import RESULTS, RETRIES
from .tracking import StageRun
from .watch import StageProgress, quiet_libraries, run_logger

PROBE = ("qadapter_probe_arith",)  # lm-eval; the multiple-choice items: evaluate.margins


def _key(stage: str, cfg: Experiment, hashes: dict, base: dict, **extra) -> str:
    return stage_key(
        stage,
        base=base["base_hash"],
        data={k: hashes[k] for k in sorted(hashes) if k.startswith(("judge_", "harmless"))},
        judge=judge_settings(cfg),
        probe=[cfg.probe_limit, cfg.probe_max_gen_toks],
        **extra,
    )


def _ckey(stage: str):
    def fn(context, p):
        extra = {k: p[k] for k in ("method", "trained") if k in p}
        extra = {k: (v.get("content_hash") if isinstance(v, dict) else v) for k, v in extra.items()}
        if "method" in extra:
            extra["settings"] = _settings(p["cfg"], extra["method"])
        return _key(stage, p["cfg"], p["data_hashes"], p["base"], **extra)

    return fn


def _settings(cfg: Experiment, method: str):
    c = baseline_config(cfg, method)
    return asdict(c) if c is not None else None


def _judges(cfg: Experiment, pi1) -> tuple[dict, dict]:
    """Per subset the judge, and whether it passed its known-answer validation."""
    from qadapter.evaluate.judges import get_judge
    from qadapter.evaluate.judges.validation import validate

    from .judging import judge_kwargs, judge_material

    data, log = judge_data(cfg), run_logger()
    out, trust = {}, {}
    for s in ("harmless", "helpful"):
        cases, extra = judge_material(cfg, pi1, s, data[s], log)
        out[s] = get_judge(cfg.judge, **judge_kwargs(cfg, data[s], extra), **(
            {"base": pi1} if cfg.judge == "reward-model" else {}
        ))  # fmt: skip
        trust[s] = validate(out[s], cases, s, cfg.judge_thresholds, seed=cfg.train.seed).trusted
    return out, trust


def _prompts(cfg: Experiment) -> dict:
    from qadapter.evaluate.responses import unique_prompts

    data = judge_data(cfg)
    return {s: unique_prompts(data[s]["test"])[0][: cfg.judge_prompts] for s in data}


@task(name="reference", cache_key_fn=_ckey("reference"), **RESULTS)
def reference(cfg: Experiment, data_hashes: dict, base: dict, parent_run: str) -> dict:
    """pi1's probe items and greedy replies on both subsets' judged prompts (computed once)."""
    from qadapter.evaluate.benchmarks import run_suite
    from qadapter.evaluate.harness import QAdapterLM
    from qadapter.evaluate.margins import cached_item_scores, load_items
    from qadapter.models import load_base

    from .methods import greedy_replies

    key = _key("reference", cfg, data_hashes, base)
    with StageRun(parent_run, "reference", key) as run, quiet_libraries():
        probe = run_suite(
            base["base_path"],
            "general-probe",
            cfg.probe_limit,
            max_gen_toks=cfg.probe_max_gen_toks,
            tasks=list(PROBE),
        )
        pi1 = load_base(base["base_path"])
        margins = cached_item_scores(
            QAdapterLM(base=pi1), load_items(cfg.probe_items), pi1.content_hash
        )
        prompts = _prompts(cfg)
        replies = {s: greedy_replies(pi1, p, cfg.judge_max_new_tokens) for s, p in prompts.items()}
        run.summary({"prompts": {s: len(p) for s, p in prompts.items()}})
        return {
            "items": probe["items"],
            "margins": margins,
            "replies": replies,
            "mlflow_run_id": run.run_id,
        }


@task(name="baseline", cache_key_fn=_ckey("baseline"), **RETRIES, **RESULTS)
def baseline(cfg: Experiment, data_hashes: dict, base: dict, method: str, parent_run: str) -> dict:
    """Train baseline ``method`` (sft, dpo, rl) on the harmless train pairs on top of pi1."""
    from qadapter.baselines import train_baseline
    from qadapter.models import load_base
    from qadapter.stages import stage_data

    settings = baseline_config(cfg, method)
    key = _key("baseline", cfg, data_hashes, base, method=method, settings=asdict(settings))
    with StageRun(parent_run, f"baseline-{method}", key) as run, quiet_libraries():
        run.params({"method": method, **asdict(settings)})
        pairs = stage_data(cfg.harmless_source, cfg.harmless_pairs, 0, cfg.train.seed)["train"]
        pi1 = load_base(base["base_path"])
        reward = _judges(cfg, pi1)[0]["harmless"].score if method == "rl" else None
        out = train_baseline(
            method,
            pi1,
            pairs,
            workdir(key),
            settings,
            reward=reward,
            callbacks=[run.metrics, StageProgress(method, None)],
        )
        run.summary(out.get("metrics", {}), "final.")
        return {
            **{k: out[k] for k in ("path", "content_hash", "steps")},
            "mlflow_run_id": run.run_id,
        }


@task(name="method-eval", cache_key_fn=_ckey("method-eval"), **RESULTS)
def method_eval(
    cfg: Experiment,
    data_hashes: dict,
    base: dict,
    method: str,
    trained: dict | None,
    ref: dict,
    parent_run: str,
) -> dict:
    """Probe delta, KL to pi1, win rates on both subsets and behaviour of one method's policy."""
    from qadapter.evaluate.benchmarks import run_suite
    from qadapter.evaluate.forgetting import general_items
    from qadapter.evaluate.harness import QAdapterLM
    from qadapter.evaluate.margins import item_scores, load_items
    from qadapter.models import load_base

    from . import methods as M

    key = _key(
        "method-eval",
        cfg,
        data_hashes,
        base,
        method=method,
        trained=(trained or {}).get("content_hash"),
        settings=_settings(cfg, method),
    )
    log = run_logger()
    with StageRun(parent_run, f"eval-{method}", key) as run, quiet_libraries():
        pi1 = load_base(base["base_path"])
        judges, trust = _judges(cfg, pi1)
        prompts = _prompts(cfg)
        items = general_items(cfg.probe_limit)
        if method == "tqstar":  # a decoder of pi1: pi1's likelihoods, the probe is pi1's
            probe = M.probe_of(ref, ref["items"], ref["margins"])
            tq = baseline_config(cfg, "tqstar")
            score = judges["harmless"].score
            replies, kl = {}, None
            for s, p in prompts.items():
                start = time.monotonic()

                def tell(done, total, s=s, start=start):
                    left = (time.monotonic() - start) / done * (total - done)
                    log.info("tqstar %s prompts %d/%d ETA %.0f s", s, done, total, left)

                replies[s], k = M.tqstar_replies(pi1, score, p, tq, progress=tell)
                kl = k if s == "harmless" else kl
            kl_value = kl["kl.general"]
        else:
            policy = load_base(trained["path"])
            got = run_suite(
                trained["path"],
                "general-probe",
                cfg.probe_limit,
                max_gen_toks=cfg.probe_max_gen_toks,
                tasks=list(PROBE),
            )
            margins = item_scores(QAdapterLM(base=policy), load_items(cfg.probe_items))
            probe = M.probe_of(ref, got["items"], margins)
            kl_value = M.policy_kl(policy.model, pi1.model, pi1.tokenizer, items)["kl.general"]
            replies = {
                s: M.greedy_replies(policy, p, cfg.judge_max_new_tokens) for s, p in prompts.items()
            }
        judged = M.judge_replies(judges, prompts, ref["replies"], replies, cfg.train.seed)
        behaviour = M.behaviour_of(prompts, ref["replies"], replies)
        col = M.column(method, probe, kl_value, judged, behaviour, trust)
        log.info(
            "%s: harmless %.1f%%, helpful %.1f%%, probe delta %.2f, KL %.4f",
            method,
            col["winrate.harmless"],
            col["winrate.helpful"],
            col["probe.delta"],
            col["kl.general"],
        )
        run.summary({k: v for k, v in col.items() if k != "method"})
        return {"column": M.nan_to_none(col), "mlflow_run_id": run.run_id}
