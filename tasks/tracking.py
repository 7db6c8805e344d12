"""MLflow bookkeeping for the flows: one parent run per flow run, one child run per stage.

Uses ``MlflowClient`` with explicit run ids (no fluent "active run" state), so stages running in
worker threads never log into each other's runs. Tracking URI from ``MLFLOW_TRACKING_URI``, else
a SQLite store in the project state dir (MLflow 3 refuses the old file store). Every run ends
FINISHED or FAILED (with the error as a tag), never left RUNNING. Secrets never reach MLflow:
every string logged (params, tags, dataset sources, errors) passes ``qadapter.secrets.redact``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

from qadapter.errors import QAdapterError
from qadapter.secrets import mask_param, redact
from qadapter.store import REPO, client, state_dir, tracking_uri  # noqa: F401 (the flows' names)

EXPERIMENT = "qadapter-hh"
REGISTERED_MODEL = "hh-qadapter"
log = logging.getLogger(__name__)


class TrackingError(QAdapterError):
    """The MLflow store cannot hold this run's artifacts as configured (checked at flow start)."""


def through_server(uri: str) -> bool:
    """True when tracking goes through an MLflow tracking server (HTTP), not a local store."""
    return uri.split("://", 1)[0].lower() in ("http", "https")


def artifact_location(name: str, uri: str) -> str:
    """Where a new experiment keeps its artifacts.

    Through a server: ``mlflow-artifacts:/NAME``, i.e. uploads and downloads go over HTTP to the
    server (``mlflow server --serve-artifacts``), which alone holds the storage credentials; a
    worker on another host needs none. Without a server (``sqlite:///...``): the directory or
    store URI in ``QADAPTER_MLFLOW_ARTIFACTS``, else ``<state>/mlartifacts``.
    """
    if through_server(uri):
        return f"mlflow-artifacts:/{name}"
    root = os.environ.get("QADAPTER_MLFLOW_ARTIFACTS")
    if root and "://" in root:
        return f"{root.rstrip('/')}/{name}"
    return (Path(root) if root else state_dir() / "mlartifacts").resolve().as_uri()


# The MLflow UI (3.x) opens an experiment in its GenAI (traces) view unless the experiment says
# it is model development; this tag is what the UI's own "experiment type" selector writes.
EXPERIMENT_KIND = ("mlflow.experimentKind", "custom_model_development")
# A saved view of the runs table (the UI's "saved views" / share-link format, MLflow 3.17:
# experiment tag ``mlflow.sharedViewState.<key>`` holding {name, createdAt, updatedAt, state},
# ``state`` being the JSON of the table's URL facets and UI state). Opened by
# ``#/experiments/<id>/runs?viewStateShareKey=<key>`` (``runs_view_url``).
VIEW_KEY = "qadapter-key-columns"
VIEW_TAG = f"mlflow.sharedViewState.{VIEW_KEY}"
# The columns that answer "did it work": parent-run metrics and the parameter swept most often.
# Behaviour shares first (the rule classifier, validated), then each win rate beside whether
# its judge passed its validation (1 / 0): a win rate is read only with its judge trusted.
KEY_COLUMNS = (
    ("metrics", "behaviour.declined"),
    ("metrics", "behaviour.answered"),
    ("metrics", "behaviour.trusted"),
    ("metrics", "winrate.harmless"),
    ("metrics", "judge.harmless.trusted"),
    ("metrics", "winrate.helpful"),
    ("metrics", "judge.helpful.trusted"),
    ("metrics", "probe.delta"),
    ("metrics", "heldout.accuracy"),
    ("metrics", "heldout.accuracy_init"),
    ("metrics", "heldout.kl_mean"),
    ("params", "train.method.alpha0"),
    ("params", "profile"),
)


def column_key(kind: str, name: str) -> str:
    """The UI's canonical column key, e.g. metrics.`heldout.accuracy`."""
    return f"{kind}.`{name}`"


def runs_view_state() -> str:
    """The saved-view tag value: parent runs newest first, with KEY_COLUMNS shown."""
    state = {
        "searchFilter": "",
        "orderByKey": "attributes.start_time",
        "orderByAsc": False,
        "startTime": "ALL",
        "lifecycleFilter": "Active",
        "modelVersionFilter": "All Runs",
        "datasetsFilter": [],
        "selectedColumns": [column_key(k, n) for k, n in KEY_COLUMNS],
    }
    return json.dumps(
        {
            "name": "qadapter: key columns",
            "createdAt": 0,
            "updatedAt": 0,
            "state": json.dumps(state, separators=(",", ":")),
        },
        separators=(",", ":"),
    )


def _ui_tags(c, exp) -> None:
    """Model-training mode and the key-columns view, on a new or an older experiment."""
    tags = exp.tags or {}
    want = {EXPERIMENT_KIND[0]: EXPERIMENT_KIND[1], VIEW_TAG: runs_view_state()}
    for k, v in want.items():
        if tags.get(k) != v and not (k == EXPERIMENT_KIND[0] and k in tags):
            c.set_experiment_tag(exp.experiment_id, k, v)


def ui_url(server: str, fragment: str) -> str:
    """A URL of the MLflow UI (a hash-routed single-page app) on ``server``."""
    return f"{server.rstrip('/')}/#/{fragment.lstrip('/')}"


def runs_view_url(server: str, experiment_id: str) -> str:
    """The experiment's runs table with the key-columns view applied."""
    # workflowType: MLflow 3.17's UI takes the experiment kind from the URL (else the browser's
    # remembered choice, GenAI by default), not from the mlflow.experimentKind tag
    return ui_url(
        server,
        f"experiments/{experiment_id}/runs?viewStateShareKey={VIEW_KEY}"
        "&workflowType=machine_learning",
    )


def run_url(server: str, experiment_id: str, run_id: str) -> str:
    return ui_url(server, f"experiments/{experiment_id}/runs/{run_id}")


def model_version_url(server: str, name: str, version: str | int) -> str:
    return ui_url(server, f"models/{quote(name, safe='')}/versions/{version}")


def experiment_id(c, name: str = EXPERIMENT) -> str:
    exp = c.get_experiment_by_name(name)
    if exp is not None:
        _ui_tags(c, exp)
        loc = exp.artifact_location
        if not through_server(tracking_uri()) and loc.startswith("mlflow-artifacts:"):
            raise TrackingError(
                f"MLflow experiment {name!r} in {redact(tracking_uri())} keeps its artifacts on "
                f"a tracking server ({loc}), but this process tracks without one, so every "
                "upload would fail at the end of its stage: start the local stack (make up) and "
                "run `source infra/local/env.sh` first, or set MLFLOW_TRACKING_URI to the "
                "server, or use another state directory (QADAPTER_STATE_DIR)"
            )
        if through_server(tracking_uri()) and not loc.startswith("mlflow-artifacts:"):
            log.warning(
                "MLflow experiment %r (created earlier) keeps artifacts at %s, not through the "
                "tracking server: this process writes there directly; rename or delete the "
                "experiment to get one that uploads through the server",
                name,
                redact(loc),
            )
        return exp.experiment_id
    exp_id = c.create_experiment(
        name,
        artifact_location=artifact_location(name, tracking_uri()),
        tags={EXPERIMENT_KIND[0]: EXPERIMENT_KIND[1], VIEW_TAG: runs_view_state()},
    )
    return exp_id


def git_commit() -> str:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
            ).stdout.strip()
            or "unknown"
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            # numbers are kept (metrics, and no credential is a float); everything else is
            # masked by its key (qadapter.secrets.is_sensitive_name) or redacted
            numeric = isinstance(v, (int, float)) and not isinstance(v, bool)
            out[key] = v if numeric else mask_param(key, v)
    return out


def start_parent(tags: dict, params: dict) -> str:
    c = client()
    _reconcile_orphans(c)
    run = c.create_run(
        experiment_id(c),
        tags={k: redact(str(v)) for k, v in tags.items()},
        run_name=tags.get("mlflow.runName"),
    )
    for k, v in flatten(params).items():
        c.log_param(run.info.run_id, k[:250], str(v)[:6000])
    return run.info.run_id


def _reconcile_orphans(c) -> None:
    """End runs left RUNNING by dead flow runs (``tasks.lifecycle.reconcile``); best effort:
    a tracking or Prefect API hiccup here must not stop a new flow run."""
    from tasks import lifecycle

    try:
        out = lifecycle.reconcile(c)
    except Exception as e:  # noqa: BLE001 (logged, the flow goes on)
        log.warning(
            "could not check for orphaned MLflow runs: %s", redact(f"{type(e).__name__}: {e}")
        )
        return
    if out["mlflow_runs_killed"]:
        log.warning(
            "marked %d MLflow run(s) of ended flow runs KILLED: %s",
            len(out["mlflow_runs_killed"]),
            ", ".join(out["mlflow_runs_killed"]),
        )


def end_run(run_id: str, error: BaseException | None = None) -> None:
    c = client()
    if error is not None:
        c.set_tag(run_id, "error", redact(f"{type(error).__name__}: {error}")[:5000])
    c.set_terminated(run_id, status="FAILED" if error is not None else "FINISHED")


# The fields a registered version carries as tags and in its description (docs/pipeline.md
# names): what a person picks an adapter by.
VERSION_METRICS = (
    "behaviour.declined", "behaviour.declined_se", "behaviour.declined_n",
    "behaviour.answered", "behaviour.answered_se", "behaviour.answered_n", "behaviour.trusted",
    "winrate.harmless", "winrate.harmless_se", "judge.harmless.trusted",
    "winrate.helpful", "winrate.helpful_se", "judge.helpful.trusted",
    "probe.delta", "kl.general",
)  # fmt: skip


def version_fields(
    profile: str, method, base_hash: str, record: dict, metrics: dict | None = None
) -> dict:
    """Tags of a registered version: the method (``alpha0``, ``alpha_tilde``), the data and base
    hashes, the lineage (``parent``, ``parent_hash``: ``none`` for an adapter on the base), the
    profile, and, once judged, :data:`VERSION_METRICS` from ``metrics`` (the parent run's)."""
    fields = {
        "alpha0": method.alpha0,
        "alpha_tilde": method.alpha_tilde,
        "data_hash": record["data_hash"],
        "base_hash": base_hash,
        "parent": record.get("parent") or "none",
        "parent_hash": record.get("parent_hash") or "none",
        "profile": profile,
    }
    for k in VERSION_METRICS if metrics is not None else ():
        if k in metrics:
            fields[k] = metrics[k]
    return fields


class StageRun:
    """A child run of a stage: metrics from training callbacks, params, inputs, artifacts."""

    def __init__(self, parent_id: str, stage: str, key: str):
        self.c = client()
        parent = self.c.get_run(parent_id)
        self.run_id = self.c.create_run(
            parent.info.experiment_id,
            run_name=stage,
            tags={"mlflow.parentRunId": parent_id, "stage": stage, "cache_key": key},
        ).info.run_id

    def metrics(self, record: dict) -> None:
        """Training callback: log every numeric field at its step."""
        step = int(record.get("step", 0))
        for k, v in record.items():
            if k != "step" and isinstance(v, (int, float)):
                self.c.log_metric(self.run_id, k.replace("/", "_"), float(v), step=step)

    def summary(self, record: dict, prefix: str = "") -> None:
        for k, v in flatten(record, prefix).items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                self.c.log_metric(self.run_id, k.replace("/", "_"), float(v))

    def params(self, params: dict) -> None:
        for k, v in flatten(params).items():
            self.c.log_param(self.run_id, k[:250], str(v)[:6000])

    def dataset(self, name: str, digest: str, source: str, context: str, n: int) -> None:
        from mlflow.entities import Dataset, DatasetInput, InputTag

        ds = Dataset(
            name=name,
            digest=digest[:36],
            source_type="local" if "://" not in source else source.split("://")[0],
            source=redact(source),
            schema='{"fields": ["prompt", "chosen", "rejected"]}',
            profile=f'{{"pairs": {n}}}',
        )
        self.c.log_inputs(
            self.run_id,
            datasets=[DatasetInput(ds, tags=[InputTag("mlflow.data.context", context)])],
        )

    def artifacts(self, path: str | Path, artifact_path: str | None = None) -> None:
        p = Path(path)
        if p.is_dir():
            self.c.log_artifacts(self.run_id, str(p), artifact_path)
        else:
            self.c.log_artifact(self.run_id, str(p), artifact_path)

    def table(self, rows: list[dict], name: str) -> None:
        """Rows as an MLflow table; columns are the union of the rows' keys (missing: None)."""
        columns = list(dict.fromkeys(k for r in rows for k in r))
        self.c.log_table(
            self.run_id,
            data={k: [r.get(k) for r in rows] for k in columns},
            artifact_file=name,
        )

    def log_model(self, adapter_dir: str | Path) -> str:
        """The adapter (with its stacked parents) as an MLflow pyfunc model under ``model``;
        returns its artifact URI, the source to register."""
        from qadapter.serving.pyfunc import log_adapter_model

        return log_adapter_model(self.c, self.run_id, adapter_dir)

    def register(self, artifact_path: str | None, tags: dict, *, source: str | None = None) -> str:
        """A new version of the registered adapter model whose source is ``source`` (an artifact
        URI of this run, e.g. from :meth:`log_model`), else this run's ``artifact_path``."""
        from mlflow.exceptions import MlflowException

        with contextlib.suppress(MlflowException):
            self.c.create_registered_model(
                REGISTERED_MODEL,
                description="Q-Adapter adapters customized on harmless preferences",
            )
        if source is None:
            source = f"{self.c.get_run(self.run_id).info.artifact_uri}/{artifact_path}"
        version = self.c.create_model_version(
            REGISTERED_MODEL,
            source=source,
            run_id=self.run_id,
            tags={k: str(v) for k, v in tags.items()},
        )
        return version.version

    def __enter__(self) -> "StageRun":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        end_run(self.run_id, exc)
