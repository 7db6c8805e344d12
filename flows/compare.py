"""``compare``: pi1, Q-Adapter, SFT, DPO, RL (RLOO) and Transfer Q* on one profile, Table-2 shaped.

    prefect deployment run compare/hh                       # the smol profile
    prefect deployment run compare/hh --param profile=tiny  # seconds-to-minutes smoke run

The same stages as ``customize`` (helpful-base, qadapter, evaluate, judge: cached and shared with
customize runs of the same inputs), plus: pi1's reference replies and probe items once, each
baseline trained on the harmless train pairs on top of pi1 (same LoRA size; Q-Adapter on the same
pairs: ``compare_experiment`` switches the steering recipe's data side off), and one evaluation
per method with the same probe, judges and prompts. Output: ``comparison.md``, ``comparison.csv``
and ``comparison.png`` as MLflow artifacts of the parent run, a Prefect table and markdown
artifact. RL and Transfer Q* optimise the judge's own reward model; the table says so.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Literal, Optional

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from tasks import compare as C
from tasks import stages as T
from tasks import table, tracking
from tasks.common import result_options
from tasks.experiment import data_hashes, experiment
from tasks.methods import LABELS, METHODS, TRAINED, check_methods, probe_of


def pi1_column(ref_probe: dict) -> dict:
    """pi1 against itself: win rate 50 by definition, KL 0, nothing declined that it answers."""
    return {
        "method": "pi1",
        **ref_probe,
        "winrate.harmless": 50.0,
        "winrate.helpful": 50.0,
        "kl.general": 0.0,
        "behaviour.declined": 0.0,
        "behaviour.answered": 1.0,
    }


def qadapter_column(ev: dict, jd: dict) -> dict:
    m = jd["metrics"]
    return {
        "method": "qadapter",
        **{k: v for k, v in ev["forgetting"].items() if k.startswith("probe.")},
        "kl.general": ev["forgetting"]["kl.general"],
        **{k: m[k] for k in m if k.startswith(("winrate.", "behaviour."))},
        **{k: m[k] for k in m if k.startswith("judge.") and k.endswith(".trusted")},
    }


def compare_experiment(profile: str, **overrides):
    """The profile's experiment with every method on the same data: the harmless train pairs.
    The steering recipe's data side (pi1's own replies as the rejected side, helpful pairs mixed
    in) is switched off, so Q-Adapter's column differs from the baselines' by the method alone;
    its training values (alpha0, chosen NLL, ...) stay the profile's."""
    return experiment(profile, rejected="data", mix=(), **overrides)


@flow(name="compare")
def compare(
    profile: Literal["smol", "paper", "tiny"] = "smol",
    methods: Optional[list[str]] = None,
    judge: Literal["reward-model", "openai"] = "reward-model",
    judge_base_url: Optional[str] = None,
    judge_model: Optional[str] = None,
    force: bool = False,
) -> dict:
    logger = get_run_logger()
    chosen = check_methods(methods or list(METHODS))
    cfg = compare_experiment(
        profile, judge=judge, judge_base_url=judge_base_url, judge_model=judge_model
    )
    hashes = data_hashes(cfg)
    run_id = str(flow_run.get_id() or "local")
    parent = tracking.start_parent(
        tags={
            "mlflow.runName": f"compare-{profile}-{flow_run.get_name() or 'local'}",
            "prefect.flow_run_id": run_id,
            "git.commit": tracking.git_commit(),
            "profile": profile,
            "flow": "compare",
        },
        params={"profile": profile, "methods": ",".join(chosen), **cfg.to_dict()},
    )
    opts = result_options(force)
    try:
        hb = T.helpful_base.with_options(**opts)(cfg, hashes, parent)
        ref = C.reference.with_options(**opts)(cfg, hashes, hb, parent)
        columns = {}
        if "pi1" in chosen:
            columns["pi1"] = pi1_column(probe_of(ref, ref["items"], ref["margins"]))
        if "qadapter" in chosen:
            qa = T.qadapter.with_options(**opts)(cfg, hashes, hb, parent)
            ev = T.evaluate.with_options(**opts)(cfg, hashes, hb, qa, parent)
            jd = T.judge.with_options(**opts)(cfg, hashes, hb, qa, parent)
            columns["qadapter"] = qadapter_column(ev, jd)
        for method in chosen:
            if method in ("pi1", "qadapter"):
                continue
            trained = (
                C.baseline.with_options(**opts)(cfg, hashes, hb, method, parent)
                if method in TRAINED
                else None
            )
            rec = C.method_eval.with_options(**opts)(cfg, hashes, hb, method, trained, ref, parent)
            columns[method] = rec["column"]
        cols = [columns[m] for m in METHODS if m in columns]
        rows = table.rows(cols, LABELS)
        c = tracking.client()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            md = table.markdown(rows, f"Q-Adapter and baselines ({profile})", cols)
            (out / "comparison.md").write_text(md)
            table.write_csv(out / "comparison.csv", cols, LABELS)
            table.bar_chart(out / "comparison.png", cols, LABELS)
            c.log_artifacts(parent, str(out), "comparison")
        for col in cols:
            for k, v in col.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    c.log_metric(parent, f"{col['method']}.{k}", float(v))
        create_table_artifact(rows, key="compare-table", description=table.NOTE)
        create_markdown_artifact(md, key="compare-summary")
        logger.info("comparison of %s logged to MLflow run %s", ", ".join(columns), parent)
        tracking.end_run(parent)
    except BaseException as e:
        tracking.end_run(parent, e)
        raise
    return {"parent_run": parent, "columns": cols, "rows": rows}


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    print(compare(profile=sys.argv[1] if len(sys.argv) > 1 else "tiny"))
