"""``sweep``: alpha0 sweeps, trained and decode-time, Figure 3, and the ``candidate`` alias.

    prefect deployment run sweep/hh-alpha0                               # smol profile
    prefect deployment run sweep/hh-alpha0-tiny                          # tiny, minutes on CPU
    prefect deployment run sweep/hh-alpha0 --param train_alphas='[0.1, 1]'

Train-time: one Q-Adapter per alpha0 of ``train_alphas`` (the customize flow's stage tasks: the
helpful base is aligned once and every stage is cached by its key). Decode-time: the Q trained at
``decode_from`` (default: the profile's alpha0; reused from the train-time sweep when it is on its
grid) evaluated and judged at each alpha0 of ``decode_alphas`` without retraining (eq. 6).

Each point is one MLflow child run of the sweep's parent run (params ``alpha0``, ``sweep.kind``,
``train.method.alpha0``; the customize flow's parent-run metric names plus ``reward.*``), its
stages nested under it. Points fan out with Prefect mapping; trainings and evaluations hold slots
of the Prefect global concurrency limits ``qadapter-training`` / ``qadapter-evaluation``, set to
``max_concurrent_trainings`` / ``max_concurrent_evaluations`` when the flow starts (they are
global: every flow run on the server shares them, so one device runs one training at a time).
The selection rule (``tasks.sweep.select``) picks a point; its run is tagged ``sweep.chosen`` and
its model version gets the registry alias ``candidate``. The parent run holds ``sweep/table.csv``
and ``sweep/figure3.png``; the Prefect artifacts ``sweep-summary`` / ``sweep-table`` show them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Literal, Optional

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency
from prefect.runtime import flow_run

from qadapter import registry
from qadapter.secrets import redact
from tasks import judging, report, tracking
from tasks import stages as T
from tasks import sweep as S
from tasks.common import result_options
from tasks.experiment import data_hashes, experiment

TRAINING, EVALUATION = "qadapter-training", "qadapter-evaluation"
POINT = dict(cache_policy=NO_CACHE, persist_result=False)
# Accelerate keeps one state per process (AcceleratorState), and a TRL trainer (the judge's
# reward models, trained on first use) resets it: two stages of one flow run (points run in
# threads) that use Accelerate must not overlap, whatever the global limits allow. The global
# limits bound trainings and evaluations across flow runs (processes); this lock, within one.
ACCELERATE = threading.Lock()


def set_limits(trainings: int, evaluations: int) -> None:
    """Create or update the two global concurrency limits (``prefect gcl ls`` shows them)."""
    from prefect.client.orchestration import get_client

    for name, n in ((TRAINING, trainings), (EVALUATION, evaluations)):
        if not (isinstance(n, int) and n >= 1):
            raise ValueError(
                f"max concurrent {name.split('-')[1]}s must be an integer >= 1; got {n}"
            )
    with get_client(sync_client=True) as pc:
        pc.upsert_global_concurrency_limit_by_name(TRAINING, trainings)
        pc.upsert_global_concurrency_limit_by_name(EVALUATION, evaluations)


def train_q(cfg, hashes: dict, hb: dict, parent: str, opts: dict) -> dict:
    with concurrency(TRAINING, occupy=1, strict=True), ACCELERATE:
        return T.qadapter.with_options(**opts)(cfg, hashes, hb, parent)


def start_point(parent: str, kind: str, alpha0: float, trained: float) -> str:
    c = tracking.client()
    exp = c.get_run(parent).info.experiment_id
    run = c.create_run(
        exp,
        run_name=f"{kind} alpha0={alpha0:g}",
        tags={"mlflow.parentRunId": parent, "sweep.kind": kind, "stage": "sweep-point"},
    )
    params = {"alpha0": alpha0, "sweep.kind": kind, "train.method.alpha0": trained}
    for k, v in params.items():
        c.log_param(run.info.run_id, k, str(v))
    return run.info.run_id


def finish_point(run_id: str, kind: str, alpha0: float, trained: float, qa, ev, jd) -> dict:
    """Log the point's metrics (customize's parent-run names + ``reward.*``) -> its table row."""
    import json

    c = tracking.client()
    metrics = report.parent_metrics(ev, jd)
    ann = Path(jd["paths"]["annotations"])
    if ann.is_file():
        metrics.update(S.average_rewards(json.loads(ann.read_text())))
    else:
        get_run_logger().warning("alpha0 %g: %s is gone, no average rewards", alpha0, ann)
    for k, v in metrics.items():
        c.log_metric(run_id, k, float(v))
    for stage, rec in (("qadapter", qa), ("evaluate", ev), ("judge", jd)):
        c.set_tag(run_id, f"stage.{stage}.run_id", rec["mlflow_run_id"])
    c.set_tag(run_id, "model_version", f"{tracking.REGISTERED_MODEL}/{qa['model_version']}")
    c.set_tag(run_id, "judge.trusted", judging.trust_tag(jd["trusted"]))
    return {
        "kind": kind,
        "alpha0": alpha0,
        "alpha0_trained": trained,
        **metrics,
        "model_version": str(qa["model_version"]),
        "run_id": run_id,
    }


@task(name="train-point", **POINT)
def train_point(alpha0: float, cfg, hashes: dict, hb: dict, parent: str, opts: dict) -> dict:
    """One Q-Adapter trained at ``alpha0``, evaluated and judged: one child run of the sweep."""
    run_id = start_point(parent, "train", alpha0, alpha0)
    try:
        cfg_a = at_alpha0(cfg, alpha0)
        qa = train_q(cfg_a, hashes, hb, run_id, opts)
        with concurrency(EVALUATION, occupy=1, strict=True):
            ev = T.evaluate.with_options(**opts)(cfg_a, hashes, hb, qa, run_id)
            with ACCELERATE:  # the judge may train its reward models (TRL)
                jd = T.judge.with_options(**opts)(cfg_a, hashes, hb, qa, run_id)
        row = finish_point(run_id, "train", alpha0, alpha0, qa, ev, jd)
        # the registered version carries what a person picks by (as customize's versions do)
        registry.describe_version(
            tracking.REGISTERED_MODEL,
            qa["model_version"],
            tracking.version_fields(cfg_a.profile, cfg_a.train.method, hb["base_hash"], qa, row),
            client=tracking.client(),
        )
        tracking.end_run(run_id)
        return {**row, "qadapter": qa}
    except BaseException as e:
        tracking.end_run(run_id, e)
        raise


@task(name="decode-point", **POINT)
def decode_point(
    alpha0: float, cfg, hashes: dict, hb: dict, qa: dict, parent: str, opts: dict
) -> dict:
    """The Q of ``qa`` (trained at ``cfg``'s alpha0) evaluated and judged at ``alpha0``."""
    trained = cfg.train.alpha0
    run_id = start_point(parent, "decode", alpha0, trained)
    try:
        with concurrency(EVALUATION, occupy=1, strict=True):
            if alpha0 == trained:  # the adapter's own alpha0: the customize stages (cached)
                ev = T.evaluate.with_options(**opts)(cfg, hashes, hb, qa, run_id)
                with ACCELERATE:
                    jd = T.judge.with_options(**opts)(cfg, hashes, hb, qa, run_id)
            else:
                ev = T.evaluate.with_options(**opts)(
                    cfg, hashes, hb, qa, run_id, decode_alpha0=alpha0
                )
                with ACCELERATE:
                    jd = T.judge.with_options(**opts)(
                        cfg, hashes, hb, qa, run_id, decode_alpha0=alpha0
                    )
        row = finish_point(run_id, "decode", alpha0, trained, qa, ev, jd)
        tracking.end_run(run_id)
        return row
    except BaseException as e:
        tracking.end_run(run_id, e)
        raise


def at_alpha0(cfg, alpha0: float):
    """``cfg`` trained at ``alpha0`` (everything else as given)."""
    return replace(cfg, train=cfg.train.with_overrides(alpha0=alpha0))


def figure(series: dict, chosen: dict | None, title: str):
    """Figure 3: average rewards against alpha0; harmless win rate against helpful win rate and
    against the general-probe delta, each point labelled with its alpha0, the chosen one circled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    ax = axes[0]
    colour = {"helpful": "tab:blue", "harmless": "tab:red"}
    for kind, s in series["reward"].items():
        for subset in ("helpful", "harmless"):
            ls = "-" if kind == "train" else "--"
            label = f"{subset} ({kind}-time)"
            ax.plot(s["alpha0"], s[subset], ls, marker="o", color=colour[subset], label=label)
    for subset, v in series["pi1"].items():
        ax.axhline(v, ls=":", color=colour[subset], label=f"{subset}, pi1")
    if min(p[1] for p in series["points"]) > 0:
        ax.set_xscale("log")
    else:
        ax.set_xscale("symlog", linthresh=1e-3)
    ax.set(xlabel="alpha0", ylabel="average reward (reward-model judge)", title="reward vs alpha0")
    if not series["reward"]:
        ax.text(0.5, 0.5, "no reward-model judge", ha="center", transform=ax.transAxes)
    ax.legend(fontsize=7)
    panels = (
        (2, "winrate.helpful", "helpful win rate vs pi1 (%)", 50.0, "harmless vs helpful"),
        (4, "probe.delta", "general-probe delta (points)", 0.0, "harmless vs forgetting"),
    )
    for ax, (xi, name, xlabel, ref, heading) in zip(axes[1:], panels):
        for kind, marker in (("train", "o"), ("decode", "^")):
            pts = [p for p in series["points"] if p[0] == kind and None not in (p[xi], p[3])]
            ax.scatter([p[xi] for p in pts], [p[3] for p in pts], marker=marker, label=kind)
            dy = 4 if kind == "train" else -11  # decode labels below their points
            for p in pts:
                ax.annotate(f"{p[1]:g}", (p[xi], p[3]), xytext=(4, dy), textcoords="offset points")
        if chosen is not None:
            ax.scatter([chosen[name]], [chosen["winrate.harmless"]], s=220, facecolors="none",
                       edgecolors="k", label="chosen")  # fmt: skip
        ax.axvline(ref, ls=":", color="grey")
        ax.axhline(50.0, ls=":", color="grey")
        ax.set(xlabel=xlabel, ylabel="harmless win rate vs pi1 (%)", title=heading)
        ax.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def markdown(profile: str, rows: list[dict], sel, figure_ref: str, parent: str) -> str:
    cols = ("kind", "alpha0", "winrate.harmless", "winrate.helpful", "probe.delta", "kl.general",
            "reward.harmless", "reward.helpful", "model_version", "chosen", "reason")  # fmt: skip
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(str(report.rounded(r.get(c))) for c in cols) + " |")
    return (
        f"# alpha0 sweep ({profile})\n\n{chr(10).join(lines)}\n\n"
        f"**Selection:** {sel.summary}.\n\n![Figure 3]({figure_ref})\n\n"
        f"MLflow parent run `{parent}`: `sweep/figure3.png`, `sweep/table.csv`.\n"
    )


def figure_url(parent: str) -> str:
    """Where the logged PNG can be opened: through the MLflow server, else its artifact URI."""
    from urllib.parse import quote

    uri = tracking.tracking_uri()
    if tracking.through_server(uri):
        return f"{uri.rstrip('/')}/get-artifact?path={quote('sweep/figure3.png')}&run_uuid={parent}"
    return f"{tracking.client().get_run(parent).info.artifact_uri}/sweep/figure3.png"


def pick(c, rows: list[dict], sel) -> None:
    """Tag every point ``sweep.chosen`` (true / false) and set ``candidate`` on the chosen one's
    version (a decode-time pick also tags the version with the alpha0 to decode it at)."""
    from qadapter import registry

    for r in rows:
        c.set_tag(r["run_id"], "sweep.chosen", str(r is sel.chosen).lower())
    if sel.chosen is None:
        return
    version = sel.chosen["model_version"]
    registry.set_alias(tracking.REGISTERED_MODEL, version, "candidate", client=c)
    if sel.chosen["kind"] == "decode":
        c.set_model_version_tag(
            tracking.REGISTERED_MODEL, version, "sweep.decode_alpha0", str(sel.chosen["alpha0"])
        )


@flow(name="sweep")
def sweep(
    profile: Literal["smol", "paper", "tiny"] = "smol",
    train_alphas: Optional[list[float]] = None,
    decode_alphas: Optional[list[float]] = None,
    decode_from: Optional[float] = None,
    kinds: Optional[list[Literal["train", "decode"]]] = None,
    select_from: Literal["train", "decode", "all"] = "train",
    max_probe_drop: float = 2.0,
    max_helpful_loss: Optional[float] = 5.0,
    max_answered_loss: float = 10.0,
    max_concurrent_trainings: int = 1,
    max_concurrent_evaluations: int = 1,
    judge: Literal["reward-model", "openai"] = "reward-model",
    judge_base_url: Optional[str] = None,
    judge_model: Optional[str] = None,
    rejected: Optional[Literal["data", "onpolicy"]] = None,
    onpolicy_tokens: Optional[int] = None,
    mix: Optional[list[str]] = None,
    mix_pairs: Optional[int] = None,
    chosen_nll: Optional[float] = None,
    force: bool = False,
) -> dict:
    """alpha0 sweeps (module docstring). ``*_alphas``: grids (None: the profile's, see
    ``tasks.sweep.GRIDS``); ``decode_from``: alpha0 of the Q the decode-time sweep evaluates;
    ``max_probe_drop`` (general-probe points), ``max_answered_loss`` (points of helpful prompts
    pi1 answers no longer answered) and ``max_helpful_loss`` (helpful win-rate points below 50;
    None: not a criterion): the selection rule's tolerances (``tasks.sweep.select``, read only
    on trusted signals); ``select_from``: which kind it picks from.
    ``rejected``, ``onpolicy_tokens``, ``mix``, ``mix_pairs``, ``chosen_nll``: the training recipe
    of every point, as in ``customize``."""
    logger = get_run_logger()
    kinds = list(dict.fromkeys(kinds or ["train", "decode"]))
    cfg = experiment(
        profile,
        judge=judge,
        judge_base_url=judge_base_url,
        judge_model=judge_model,
        rejected=rejected,
        onpolicy_tokens=onpolicy_tokens,
        mix=mix,
        mix_pairs=mix_pairs,
        chosen_nll=chosen_nll,
    )
    grids = {k: S.grid(profile, k, train_alphas if k == "train" else decode_alphas) for k in kinds}
    source = cfg.train.alpha0 if decode_from is None else float(decode_from)
    set_limits(max_concurrent_trainings, max_concurrent_evaluations)
    hashes = data_hashes(cfg)
    run_id = str(flow_run.get_id() or "local")
    parent = tracking.start_parent(
        tags={
            "mlflow.runName": f"sweep-{profile}-{flow_run.get_name() or 'local'}",
            "prefect.flow_run_id": run_id,
            "git.commit": tracking.git_commit(),
            "profile": profile,
            "flow": "sweep",
        },
        params={
            "profile": profile,
            **{f"sweep.{k}_alphas": ",".join(f"{a:g}" for a in v) for k, v in grids.items()},
            "sweep.decode_from": source,
            "sweep.select_from": select_from,
            "sweep.max_probe_drop": max_probe_drop,
            "sweep.max_helpful_loss": "off" if max_helpful_loss is None else max_helpful_loss,
            "sweep.max_answered_loss": max_answered_loss,
            **cfg.to_dict(),
        },
    )
    logger.info("MLflow parent run %s (%s)", parent, redact(tracking.tracking_uri()))
    opts = result_options(force)
    try:
        hb = T.helpful_base.with_options(**opts)(cfg, hashes, parent)
        futures = {}
        if "train" in grids:
            futures["train"] = train_point.map(
                grids["train"], unmapped(cfg), unmapped(hashes), unmapped(hb), unmapped(parent),
                unmapped(opts),
            )  # fmt: skip
        if "decode" in grids:
            cfg_q = at_alpha0(cfg, source)
            trained = dict(zip(grids.get("train", []), futures.get("train", [])))
            qa = (
                trained[source].result()["qadapter"]
                if source in trained
                else train_q(cfg_q, hashes, hb, parent, opts)
            )
            futures["decode"] = decode_point.map(
                grids["decode"], unmapped(cfg_q), unmapped(hashes), unmapped(hb), unmapped(qa),
                unmapped(parent), unmapped(opts),
            )  # fmt: skip
        rows, failed = [], []
        for kind, fs in futures.items():
            for a, f in zip(grids[kind], fs):
                f.wait()
                if f.state.is_completed():
                    rows.append({k: v for k, v in f.result().items() if k != "qadapter"})
                else:
                    failed.append(f"{kind} alpha0={a:g}: {f.state.message}")
        if not rows:
            raise RuntimeError("no sweep point finished: " + "; ".join(failed))
        chosen_kinds = ("train", "decode") if select_from == "all" else (select_from,)
        sel = S.select(
            rows,
            max_probe_drop=max_probe_drop,
            max_helpful_loss=max_helpful_loss,
            max_answered_loss=max_answered_loss,
            kinds=chosen_kinds,
        )
        table = S.table(rows, sel)
        c = tracking.client()
        with tempfile.TemporaryDirectory() as tmp:
            S.write_csv(Path(tmp) / "table.csv", table)
            c.log_artifact(parent, str(Path(tmp) / "table.csv"), "sweep")
        fig = figure(S.plot_series(rows), sel.chosen, f"alpha0 sweep ({profile})")
        c.log_figure(parent, fig, "sweep/figure3.png")
        pick(c, rows, sel)
        c.set_tag(parent, "sweep.selection", sel.summary)
        c.set_tag(parent, "sweep.outcome", sel.outcome)
        c.set_tag(parent, "sweep.chosen_run", sel.chosen["run_id"] if sel.chosen else "none")
        if sel.chosen is not None:
            c.log_metric(parent, "sweep.chosen_alpha0", sel.chosen["alpha0"])
        logger.info("selection: %s", sel.summary)
        create_markdown_artifact(
            markdown(profile, table, sel, figure_url(parent), parent), key="sweep-summary"
        )
        create_table_artifact(
            [{k: report.rounded(v) for k, v in r.items()} for r in table], key="sweep-table"
        )
        if failed:
            raise RuntimeError(f"{len(failed)} sweep point(s) failed: " + "; ".join(failed))
        tracking.end_run(parent)
    except BaseException as e:
        tracking.end_run(parent, e)
        raise
    return {
        "parent_run": parent,
        "rows": table,
        "chosen": sel.chosen,
        "selection": sel.summary,
        "outcome": sel.outcome,
        "helpful_base": hb,
    }


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    print(sweep(profile=sys.argv[1] if len(sys.argv) > 1 else "tiny"))
