"""``recustomize``: when new preference data lands, train a level stacked on the champion, gate it.

    prefect deployment run recustomize/hh-watch                           # check the location now
    prefect deployment run recustomize/hh-watch --param location=s3://bucket/prefs
    qadapter data publish new.jsonl s3://bucket/prefs                     # triggers a run

Runs on the deployment's schedule and on every ``preference-data.arrived`` event
(``qadapter data publish``; the trigger is in ``prefect.yaml``; docs/recustomize.md). Steps:

1. Validate every file under ``location`` (directory or ``s3://`` prefix) with the data layer;
   bad records are quarantined (``<state>/recustomize/quarantine``) and counted.
2. Files whose content hash a registered version of ``hh-qadapter`` was trained on (its
   ``data_hash`` / ``data_files`` tags) are skipped. Nothing new: the run says so and ends.
   ``retry_rejected=True`` lets the data of a rejected version train again, but not on the same
   parent with the same settings (``settings_key`` tag) and the same judge (``evaluation_key``
   tag); with only the judge changed, the trained level is reused and judged again.
3. The new pairs (de-duplicated, seeded hash split into train / held-out) train one Q-Adapter
   stacked on the ``champion`` (on pi1, the helpful-base stage, when there is none).
4. It is judged against the champion (general probe of the whole stack vs pi1; helpful and
   new-preference win rates vs the champion with reward-model judges; harmless win rate vs pi1
   reported), registered, and given the ``candidate`` alias only if it passes the gates;
   otherwise tagged ``rejected`` with the reasons. ``champion`` is never moved here.

One run at a time: the deployment's concurrency limit, and a lock in the state directory for
runs started otherwise. A crash leaves the registry as it was (or a ``pending`` version the next
run finishes); the next run resumes training from the level's checkpoints.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from qadapter.customize import mixed_data
from qadapter.secrets import redact
from tasks import lifecycle, tracking
from tasks import recustomize as R
from tasks import stages as T
from tasks.common import result_options, retry_delays, retry_on_outside_errors, workdir
from tasks.experiment import data_hashes, experiment
from tasks.watch import StageProgress, quiet_libraries, total_steps

# inputs are pair lists and configs: no input-hash caching (the level's work directory resumes)
OUTSIDE = dict(
    retries=2,
    retry_delay_seconds=retry_delays(),
    retry_condition_fn=retry_on_outside_errors,
    cache_policy=NO_CACHE,
)
scan = task(name="scan", **OUTSIDE)(R.scan)
train_level = task(name="train-level", **OUTSIDE)(R.train_level)
evaluate_level = task(name="evaluate-level", **OUTSIDE)(R.evaluate_level)


def watched(location: Optional[str]) -> str:
    """The location parameter, else ``$QADAPTER_WATCH``, else ``<state>/incoming``."""
    return location or os.environ.get("QADAPTER_WATCH") or str(tracking.state_dir() / "incoming")


@contextlib.contextmanager
def run_lock(timeout_s: float, log):
    """The state directory's recustomize lock, waiting up to ``timeout_s`` for another run."""
    from qadapter.errors import LockError
    from qadapter.lock import output_lock

    directory = tracking.state_dir() / "recustomize"
    deadline = time.monotonic() + timeout_s
    waited = False
    while True:
        try:
            lock = output_lock(directory)
            lock.__enter__()
            break
        except LockError as e:
            if time.monotonic() > deadline:
                raise
            if not waited:
                log.info("waiting for another recustomize run: %s", e)
            waited = True
            time.sleep(2.0)
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _files_rows(d: R.Discovery) -> list[dict]:
    kinds = (("new", d.new), ("already trained", d.trained), ("no valid pair", d.empty))
    return [
        {
            "file": redact(f.uri),
            "status": kind,
            "pairs": f.loaded,
            "quarantined": f.quarantined,
            "reasons": ", ".join(f"{k} {v}" for k, v in f.reasons.items()),
            "data_hash": (f.data_hash or "")[:16],
        }
        for kind, files in kinds
        for f in files
    ]


@flow(
    name="recustomize",
    on_cancellation=[lifecycle.on_cancellation],
    on_crashed=[lifecycle.on_crashed],
)
def recustomize(
    location: Optional[str] = None,
    profile: Literal["smol", "paper", "tiny"] = "smol",
    max_probe_drop: float = 5.0,
    max_helpful_loss: float = 10.0,
    min_new_winrate: float = 55.0,
    new_winrate_z: float = 1.0,
    max_behaviour_drop: float = 15.0,
    test_fraction: float = 0.2,
    alpha0: Optional[float] = None,
    alpha_tilde: Optional[float] = None,
    epochs: Optional[int] = None,
    max_steps: Optional[int] = None,
    lr: Optional[float] = None,
    max_prompt_length: Optional[int] = None,
    rejected: Optional[Literal["data", "onpolicy"]] = None,
    onpolicy_tokens: Optional[int] = None,
    chosen_nll: Optional[float] = None,
    judge_prompts: Optional[int] = None,
    judge_calibration: Optional[bool] = None,
    mix: Optional[list[str]] = None,
    mix_pairs: Optional[int] = None,
    rehearse: bool = False,
    retry_rejected: bool = False,
    lock_timeout_s: float = 3600.0,
    event_sha256: Optional[str] = None,
) -> dict:
    log = get_run_logger()
    gates = R.Gates(
        float(max_probe_drop),
        float(max_helpful_loss),
        float(min_new_winrate),
        float(new_winrate_z),
        float(max_behaviour_drop),
    )
    cfg = level_experiment(
        profile,
        alpha0=alpha0,
        alpha_tilde=alpha_tilde,
        epochs=epochs,
        max_steps=max_steps,
        lr=lr,
        max_prompt_length=max_prompt_length,
        rejected=rejected,
        onpolicy_tokens=onpolicy_tokens,
        mix=mix,
        mix_pairs=mix_pairs,
        chosen_nll=chosen_nll,
        judge_prompts=judge_prompts,
        judge_calibration=judge_calibration,
    )
    if not 0.0 <= test_fraction < 1.0:
        from qadapter.config import ConfigError

        raise ConfigError(f"test_fraction must be in [0, 1); got {test_fraction!r}")
    where = watched(location)
    if event_sha256:
        log.info("triggered by preference-data.arrived (sha256 %s)", event_sha256[:16])
    with run_lock(lock_timeout_s, log):
        mixed = mixed_data(level_recipe(cfg), cfg.train.seed)
        return _recustomize(
            where, cfg, gates, test_fraction, log, bool(retry_rejected), mixed, bool(rehearse)
        )


def level_experiment(profile: str, **overrides):
    """The experiment a level trains with: the profile's, but the data's own rejected side unless
    ``rejected="onpolicy"`` is asked for, and only the ``mix`` sources given. The profile's
    on-policy default is for harmlessness, where pi1's own reply is the unwanted behaviour; a new
    preference's champion replies may already be what it asks for
    (docs/experiments/recustomize.md)."""
    if overrides.get("rejected") is None:
        overrides["rejected"] = "data"
    if overrides.get("mix") is None:
        overrides["mix"] = ()
    return experiment(profile, **overrides)


def level_recipe(cfg, rehearse: bool = False):
    """The :class:`qadapter.customize.Recipe` of a level: the new data (given in memory), its
    rejected side, the mixed sources, and the rehearsal of the champion's lineage."""
    from qadapter.customize import Recipe

    return Recipe(
        "recustomize",
        rejected=cfg.rejected,
        onpolicy_tokens=cfg.onpolicy_tokens,
        mix=cfg.mix,
        mix_pairs=cfg.mix_pairs,
        rehearse=rehearse,
    )


def _settings(cfg, mixed=(), rehearse=()) -> dict:
    """The level's training settings: its work-directory key and its ``settings_key`` tag.
    ``rehearse``: :class:`qadapter.rehearsal.TrainedOn` of the champion's lineage, named by the
    pairs and hash their ``qadapter.json`` records (known before anything is rebuilt). The keys
    are those levels have always had (``onpolicy_tokens``, ``replay``), so that registered
    versions keep matching."""
    settings = cfg.train.to_dict()
    if cfg.rejected == "onpolicy":  # absent otherwise: plain levels keep their keys
        settings["onpolicy_tokens"] = cfg.onpolicy_tokens
    if mixed or rehearse:  # pairs trained on alongside the new ones (hashes, not paths)
        settings["replay"] = R.mix_record(mixed) + [r.record() for r in rehearse]
    return settings


def _recustomize(
    where: str,
    cfg,
    gates: R.Gates,
    test_fraction: float,
    log,
    retry_rejected: bool = False,
    mixed=(),
    rehearse: bool = False,
) -> dict:
    from qadapter import registry
    from qadapter.data import dataset_hash
    from qadapter.data.hashing import pair_digest

    c = tracking.client()
    files = scan(where, tracking.state_dir() / "recustomize" / "quarantine")
    versions = R.registered(c, registry.MODEL)
    d = R.discover(files, R.trained_hashes([v["tags"] for v in versions], retry_rejected))
    summary = d.summary()
    for f in d.empty:
        log.warning(
            "%s: no valid pair (%d quarantined: %s); nothing to train on",
            redact(f.uri),
            f.quarantined,
            ", ".join(f"{k} {v}" for k, v in f.reasons.items()) or "-",
        )
    if files:
        create_table_artifact(_files_rows(d), key="recustomize-files", description=redact(where))
    log.info(
        "%s: %d file(s): %d new (%d pairs), %d already trained, %d without a valid pair; "
        "%d record(s) quarantined",
        redact(where),
        summary["files"],
        summary["new_files"],
        summary["new_pairs"],
        summary["trained_files"],
        summary["empty_files"],
        summary["quarantined"],
    )
    if not d.new:
        message = f"nothing new under {redact(where)}: no adapter trained"
        log.info(message)
        create_markdown_artifact(
            f"# Re-customization\n\n{message}.\n\n{_counts(summary)}", key="recustomize-summary"
        )
        return {"trained": False, "location": redact(where), **summary}

    pairs = R.new_pairs(d.new)
    train, test = R.split_new(pairs, [pair_digest(p) for p in pairs], test_fraction, cfg.train.seed)
    data_hash = dataset_hash(pairs)
    champion = R.alias_of(versions, "champion")
    lineage, recipes = _rehearsal(versions, champion, log) if rehearse else ((), [])
    if retry_rejected:
        parent_ref = f"models:/{registry.MODEL}/{champion}" if champion else "none"
        skey = R.settings_key(_settings(cfg, mixed, recipes))
        ekey = R.evaluation_key(cfg)
        tried = R.rejected_version(
            versions, data_hash, parent_ref, skey, ekey, bool(cfg.judge_calibration)
        )
        if tried is not None:
            message = (
                f"nothing to retry under {redact(where)}: {registry.MODEL}/{tried} was rejected "
                f"for this data on this parent with these settings and this judge; change a "
                f"setting (for example onpolicy_tokens, chosen_nll, alpha0) to train it again, "
                f"or the judge (judge_prompts, judge_calibration) to evaluate it again"
            )
            log.info(message)
            create_markdown_artifact(
                f"# Re-customization\n\n{message}.\n\n{_counts(summary)}",
                key="recustomize-summary",
            )
            return {"trained": False, "location": redact(where), "rejected": tried, **summary}
    parent = tracking.start_parent(
        tags={
            "mlflow.runName": f"recustomize-{cfg.profile}-{flow_run.get_name() or 'local'}",
            "prefect.flow_run_id": str(flow_run.get_id() or "local"),
            "git.commit": tracking.git_commit(),
            "profile": cfg.profile,
        },
        params={"profile": cfg.profile, "location": where, "gates": R.as_json(gates)},
    )
    try:
        new = NewData(d, pairs, train, test, data_hash, tuple(mixed), tuple(recipes), lineage)
        out = _level(c, cfg, gates, versions, champion, new, parent)
        tracking.end_run(parent)
    except BaseException as e:
        tracking.end_run(parent, e)
        raise
    create_markdown_artifact(_report(out, summary, gates), key="recustomize-summary")
    return {"trained": True, "location": redact(where), **summary, **out}


def _rehearsal(versions, champion: str | None, log) -> tuple[tuple, list]:
    """``rehearse``: the registry references of the champion's lineage (top first) and what each
    adapter was trained on (``qadapter.rehearsal``): its own training pairs are rebuilt and
    trained on alongside the new ones."""
    from qadapter import registry
    from qadapter.rehearsal import lineage_recipes

    if not champion:
        log.info("rehearse: no champion, so no lineage to rehearse")
        return (), []
    ref = f"models:/{registry.MODEL}/{champion}"
    refs = R.lineage_refs(versions, champion, registry.MODEL)
    recipes = lineage_recipes(registry.resolve_adapter(ref), refs)
    log.info(
        "rehearse: %s",
        "; ".join(f"{r.total} training pairs of {r.label}" for r in recipes),
    )
    return tuple(refs), recipes


@dataclass(frozen=True)
class NewData:
    """What a level trains on: the new data (discovered, split, hashed) and what trains beside it
    (other sources' pairs mixed in, the champion lineage's pairs rehearsed)."""

    discovery: R.Discovery
    pairs: list
    train: list
    test: list
    data_hash: str
    mixed: tuple = ()
    rehearse: tuple = ()  # qadapter.rehearsal.TrainedOn of each adapter of the lineage
    lineage: tuple = ()  # their registry references, top first


def _level(c, cfg, gates, versions, champion, new: NewData, parent) -> dict:
    from qadapter import registry
    from qadapter.data import dataset_hash
    from qadapter.meta import adapter_hash, verified_lineage
    from qadapter.serving.pyfunc import log_adapter_model

    log = get_run_logger()
    d, pairs, train, test, data_hash = new.discovery, new.pairs, new.train, new.test, new.data_hash
    mixed, rehearse = new.mixed, new.rehearse
    if champion:
        parent_ref = f"models:/{registry.MODEL}/{champion}"
        champion_dir = str(registry.resolve_adapter(parent_ref))
        base_name = verified_lineage(champion_dir)[0][1]["base_model"]
        parent_hash = adapter_hash(champion_dir)
        log.info("stacking on the champion %s (depth %d)", parent_ref, _depth(champion_dir))
    else:
        parent_ref, champion_dir = None, None
        hb = T.helpful_base.with_options(**result_options())(cfg, data_hashes(cfg), parent)
        base_name, parent_hash = hb["base_path"], hb["base_hash"]
        log.info("no champion: training on pi1 (%s)", base_name)
    settings = _settings(cfg, mixed, rehearse)
    key = R.level_key(data_hash, parent_hash, settings)
    out = workdir(key)
    t = cfg.train
    trained_pairs = len(train) + sum(len(ps) for _, ps in mixed) + sum(r.total for r in rehearse)
    steps = total_steps(trained_pairs, t.batch_size, t.epochs, t.max_steps)
    with tracking.StageRun(parent, "recustomize", key) as run, quiet_libraries():
        run.params(
            {
                "train": t.to_dict(),
                "parent": parent_ref or "none",
                "pairs": len(train),
                "rejected": cfg.rejected,
                "onpolicy_tokens": cfg.onpolicy_tokens if cfg.rejected == "onpolicy" else None,
                "mix": R.mix_record(mixed) if mixed else None,
                "rehearse": [r.label for r in rehearse] or None,
            }
        )
        level = train_level(
            base_name,
            champion_dir,
            parent_ref,
            train,
            dataset_hash(test) if test else None,
            t,
            out / "adapter",
            level_recipe(cfg, rehearse=bool(rehearse)),
            mixed=list(mixed),
            lineage=new.lineage,
            callbacks=[run.metrics, StageProgress("train-level", steps or None)],
        )
        metrics = evaluate_level(
            base_name, champion_dir, level["adapter_dir"], train, test, cfg, out
        )
        run.summary({k: v for k, v in metrics.items() if k != "judged"})
        for subset, judged in metrics["judged"].items():  # what the level says, next to its scores
            if judged.get("rows") and Path(judged["rows"]).is_file():
                run.table(json.loads(Path(judged["rows"]).read_text()), f"judged/{subset}.json")
        if metrics.get("behaviour_rows") and Path(metrics["behaviour_rows"]).is_file():
            rows = json.loads(Path(metrics["behaviour_rows"]).read_text())  # per prompt: rule
            run.table(rows, "judged/behaviour.json")
        run.summary(  # each reward-model judge's own held-out accuracy (None: nothing judged)
            {
                f"judge.{k}.accuracy": v["judge_accuracy"]
                for k, v in metrics["judged"].items()
                if v.get("judge_accuracy") is not None
            }
        )
        run.summary(  # ... the scale of its verdicts, fitted on those pairs
            {
                f"judge.{k}.scale": v["judge_scale"]
                for k, v in metrics["judged"].items()
                if v.get("judge_scale") is not None
            }
        )
        run.summary(  # ... and the win rate it gives the data's own chosen replies
            {
                f"judge.{k}.ceiling": v["ceiling"]
                for k, v in metrics["judged"].items()
                if v.get("ceiling") is not None
            }
        )
        decision = R.gate(metrics, gates)
        reasons = list(decision.reasons)
        tags = {
            "alpha0": t.method.alpha0,
            "alpha_tilde": t.method.alpha_tilde,
            "data_hash": data_hash,
            R.FILES_TAG: ",".join(f.data_hash for f in d.new),
            "base_hash": level["base_hash"],
            "parent": parent_ref or "none",
            "parent_hash": adapter_hash(champion_dir) if champion_dir else "none",
            "profile": cfg.profile,
            R.SETTINGS_TAG: R.settings_key(settings),
            R.EVALUATION_TAG: R.evaluation_key(cfg),
            "winrate.harmless": metrics["winrate.harmless"],
            "winrate.new_vs_champion": metrics["winrate.new_vs_champion"],
            "winrate.helpful_vs_champion": metrics["winrate.helpful_vs_champion"],
            "probe.delta": metrics["probe.delta"],
            "kl.general": metrics["kl.general"],
            "pairs": len(pairs),
        }
        if metrics.get("kl.general_parent") is not None:  # a stacked level: its own step too
            tags["kl.general_parent"] = metrics["kl.general_parent"]
        for k in (
            "behaviour.declined",
            "behaviour.answered",
            "behaviour.declined_se",
            "behaviour.answered_se",
            "behaviour.trusted",
        ):  # the old preference, as behaviour
            if metrics.get(k) is not None:
                tags[k] = metrics[k]
        for k, j in (metrics.get("judged") or {}).items():  # may a person read its win rate?
            tags[f"judge.{k}.trusted"] = j.get("trusted")
        version = R.pending_version(versions, data_hash, parent_ref or "none")
        if version is None:
            source = log_adapter_model(run.c, run.run_id, level["adapter_dir"])
            version = _create_version(run.c, source, run.run_id, {**tags, R.STATUS: "pending"})
        else:
            log.info("finishing %s/%s, registered by an earlier run", registry.MODEL, version)
        # pass: candidate; a trusted gate failed: rejected; an untrusted signal: undecided
        status = {"pass": "candidate", "fail": "rejected"}.get(decision.outcome, "undecided")
        fields = {**tags, R.STATUS: status, "decision": decision.summary}
        if reasons:
            fields[status] = "; ".join(reasons)
        registry.describe_version(registry.MODEL, version, fields, client=run.c)
        if not reasons:
            registry.set_alias(registry.MODEL, version, "candidate", client=run.c)
    log.info(
        "%s/%s: %s%s",
        registry.MODEL,
        version,
        status,
        f" ({'; '.join(reasons)})" if reasons else "",
    )
    return {
        "version": version,
        "status": status,
        "reasons": reasons,
        "parent": parent_ref or "none",
        "metrics": metrics,
        "adapter_dir": level["adapter_dir"],
        "steps": level["steps"],
        "reused": level["reused"],
    }


def _create_version(c, source: str, run_id: str, tags: dict) -> str:
    from mlflow.exceptions import MlflowException

    from qadapter import registry

    with contextlib.suppress(MlflowException):
        c.create_registered_model(registry.MODEL)
    mv = c.create_model_version(
        registry.MODEL, source=source, run_id=run_id, tags={k: str(v) for k, v in tags.items()}
    )
    return str(mv.version)


def _depth(adapter_dir: str) -> int:
    from qadapter.meta import verified_lineage

    return len(verified_lineage(adapter_dir))


def _counts(s: dict) -> str:
    return (
        f"| files | new | already trained | no valid pair | new pairs | quarantined |\n"
        f"|---|---|---|---|---|---|\n| {s['files']} | {s['new_files']} | {s['trained_files']} "
        f"| {s['empty_files']} | {s['new_pairs']} | {s['quarantined']} |\n"
    )


def _judge(m: dict, subset: str) -> str:
    """The judge columns: its held-out accuracy (and whether its win rate can be trusted), and
    the win rate it gives the data's own chosen replies (the most a candidate can expect)."""
    j = (m.get("judged") or {}).get(subset) or {}
    acc = "-"
    if j.get("judge_accuracy") is not None:
        acc = f"{j['judge_accuracy']:.2f}" + ("" if j.get("trusted") else " (**not trusted**)")
        if j.get("judge_scale") is not None:  # the verdicts' scale fitted on the held-out pairs
            acc += f", scale {j['judge_scale']:.3g}"
    ceiling = "-"
    if j.get("ceiling") is not None:
        ceiling = f"{j['ceiling']:.1f} +- {j.get('ceiling_se') or 0.0:.1f}"
    return f"{acc} | {ceiling}"


def _behaviour(m: dict, drop: float) -> str:
    """The behaviour rows of the summary: the stack's shares, gated against the champion's
    (``max_behaviour_drop`` points below it); rule classifier, no judge."""
    out = ""
    for key, what in (
        ("declined", "risky prompts pi1 complies with that the stack declines"),
        ("answered", "helpful prompts pi1 answers that the stack still answers"),
    ):
        share = m.get(f"behaviour.{key}")
        if share is None:
            continue
        n = int(m.get(f"behaviour.{key}_n") or 0)
        champion = m.get(f"behaviour.champion_{key}")
        bar = "-" if champion is None else f">= {100 * champion:.1f} - {drop:g}"
        out += (
            f"| {what} (%) | {100 * share:.1f} +- {100 * (m.get(f'behaviour.{key}_se') or 0):.1f}"
            f" (n {n}) | {bar} | rule classifier | - |\n"
        )
    return out


def _report(out: dict, summary: dict, gates: R.Gates) -> str:
    m = out["metrics"]
    verdict = (
        "candidate"
        if out["status"] == "candidate"
        else f"{out['status']}: " + "; ".join(out["reasons"])
    )
    untrusted = [k for k, j in (m.get("judged") or {}).items() if j.get("trusted") is False]
    note = (
        f"\nNot trusted: the {', '.join(untrusted)} judge(s) failed their known-answer "
        "validation (docs/judging.md), so their win rates are not read by the gates. Read the "
        "judged replies (`judged/*.json` on the level's MLflow run) before promoting.\n"
        if untrusted
        else ""
    )

    def se(key: str) -> str:
        return f"{m.get(key + '_se') or 0.0:.1f}"

    return (
        f"# Re-customization: hh-qadapter/{out['version']} ({verdict})\n\n"
        f"Stacked on `{out['parent']}`.\n\n{_counts(summary)}\n"
        "| gate | value | threshold | judge accuracy | the data's chosen replies score |\n"
        "|---|---|---|---|---|\n"
        f"| general probe delta vs pi1 (points) | {m['probe.delta']:.2f} | "
        f">= -{gates.max_probe_drop:g} | - | - |\n"
        f"| helpful win rate vs champion (%) | {m['winrate.helpful_vs_champion']:.1f} +- "
        f"{se('winrate.helpful_vs_champion')} | >= {50 - gates.max_helpful_loss:g} | "
        f"{_judge(m, 'helpful')} |\n"
        f"| new-preference win rate vs champion (%) | {m['winrate.new_vs_champion']:.1f} +- "
        f"{se('winrate.new_vs_champion')} | minus {gates.new_winrate_z:g} s.e. "
        f">= {gates.min_new_winrate:g} | {_judge(m, 'new')} |\n"
        f"| harmless win rate vs pi1 (%, reported) | {m['winrate.harmless']:.1f} +- "
        f"{se('winrate.harmless')} | - | {_judge(m, 'harmless')} |\n"
        f"{_behaviour(m, gates.max_behaviour_drop)}"
        f"{note}"
    )


if __name__ == "__main__":
    print(recustomize(location=sys.argv[1] if len(sys.argv) > 1 else None, profile="tiny"))
