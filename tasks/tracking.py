"""MLflow bookkeeping for the flows: one parent run per flow run, one child run per stage.

Uses ``MlflowClient`` with explicit run ids (no fluent "active run" state), so stages running in
worker threads never log into each other's runs. Tracking URI from ``MLFLOW_TRACKING_URI``, else
a SQLite store in the project state dir (MLflow 3 refuses the old file store). Every run ends
FINISHED or FAILED (with the error as a tag), never left RUNNING. Secrets never reach MLflow:
every string logged (params, tags, dataset sources, errors) passes ``qadapter.secrets.redact``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from qadapter.secrets import redact

REPO = Path(__file__).resolve().parents[1]
EXPERIMENT = "qadapter-hh"
REGISTERED_MODEL = "hh-qadapter"

os.environ.setdefault("MLFLOW_ENABLE_TELEMETRY", "false")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "1")


def state_dir() -> Path:
    return Path(os.environ.get("QADAPTER_STATE_DIR", REPO / "state")).resolve()


def tracking_uri() -> str:
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if uri:
        return uri
    state_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{state_dir() / 'mlflow.db'}"


def client():
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=tracking_uri())


def experiment_id(c, name: str = EXPERIMENT) -> str:
    exp = c.get_experiment_by_name(name)
    if exp is not None:
        return exp.experiment_id
    artifact_root = os.environ.get("QADAPTER_MLFLOW_ARTIFACTS")
    if artifact_root is None and tracking_uri().startswith("sqlite:"):
        artifact_root = (state_dir() / "mlartifacts").as_uri()
    return c.create_experiment(name, artifact_location=artifact_root)


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
            out[key] = redact(v) if isinstance(v, str) else v
    return out


def start_parent(tags: dict, params: dict) -> str:
    c = client()
    run = c.create_run(
        experiment_id(c),
        tags={k: redact(str(v)) for k, v in tags.items()},
        run_name=tags.get("mlflow.runName"),
    )
    for k, v in flatten(params).items():
        c.log_param(run.info.run_id, k[:250], str(v)[:6000])
    return run.info.run_id


def end_run(run_id: str, error: BaseException | None = None) -> None:
    c = client()
    if error is not None:
        c.set_tag(run_id, "error", redact(f"{type(error).__name__}: {error}")[:5000])
    c.set_terminated(run_id, status="FAILED" if error is not None else "FINISHED")


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
        self.c.log_table(
            self.run_id,
            data={k: [r[k] for r in rows] for k in (rows[0] if rows else {})},
            artifact_file=name,
        )

    def register(self, artifact_path: str, tags: dict) -> str:
        """A new version of the registered adapter model, pointing at this run's artifacts."""
        from mlflow.exceptions import MlflowException

        with contextlib.suppress(MlflowException):
            self.c.create_registered_model(
                REGISTERED_MODEL,
                description="Q-Adapter adapters customized on harmless preferences",
            )
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
