"""`prefect deployment run customize/hh-tiny` against a real local Prefect server, process
worker and MLflow server on free loopback ports; results read back through the MLflow client and
the Prefect API."""

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from infra import INFRA, REPO, local_stack  # noqa: E402

pytestmark = pytest.mark.integration


def api(stack, path: str, body: dict) -> list:
    req = urllib.request.Request(
        f"{stack.prefect_api_url}/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_deployment_run_end_to_end(tmp_path):
    from mlflow import MlflowClient

    with local_stack(tmp_path) as stack:
        deployed = stack.prefect("deploy", "--all", timeout=300)
        assert "customize/hh-tiny" in deployed.stdout + deployed.stderr
        run = stack.prefect(
            "deployment",
            "run",
            "customize/hh-tiny",
            "--watch",
            "--watch-timeout",
            "600",
            timeout=660,
            check=False,
        )
        out = run.stdout + run.stderr
        assert run.returncode == 0 and "Completed" in out, out[-3000:]
        # --watch shows the stage progress sent through the run logger, not only state events
        # (the server streams logs out only when env.sh turns it on)
        assert re.search(r"qadapter step 4/4 loss [0-9.]+ accuracy", out), out[-3000:]

        # Prefect API: the flow run completed and published its artifacts
        # (`deploy --all` also registers recustomize/hh-watch, whose interval schedule adds
        # future runs in state SCHEDULED: those are not this run)
        runs = [r for r in api(stack, "flow_runs/filter", {}) if r["state_type"] != "SCHEDULED"]
        assert (
            len(runs) == 1
            and runs[0]["state_type"] == "COMPLETED"
            and runs[0]["parameters"] == {"profile": "tiny"}
        )
        keys = {
            a["key"]
            for a in api(stack, "artifacts/filter", {})
            if a["flow_run_id"] == runs[0]["id"]
        }
        assert {"customize-summary", "customize-results", "customize-generations"} <= keys

        # MLflow server: registered version with tags, metrics, finished runs
        c = MlflowClient(stack.mlflow_uri)
        versions = c.search_model_versions("name='hh-qadapter'")
        assert (
            len(versions) == 1
            and versions[0].tags["profile"] == "tiny"
            and versions[0].tags["alpha0"] == "1.0"
        )
        qa = c.get_run(versions[0].run_id)
        assert qa.info.status == "FINISHED" and [
            m.step for m in c.get_metric_history(qa.info.run_id, "loss")
        ] == [1, 2, 3, 4]
        parent = c.get_run(qa.data.tags["mlflow.parentRunId"])
        assert parent.info.status == "FINISHED" and parent.data.tags[
            "prefect.flow_run_url"
        ].startswith(stack.prefect_api_url.replace("/api", ""))
        assert "heldout.accuracy" in parent.data.metrics
        meta = json.loads(
            Path(
                c.download_artifacts(qa.info.run_id, "adapter/qadapter.json", str(tmp_path / "dl"))
            ).read_text()
        )
        assert meta["base_model"].endswith("model") and meta["data"]["pairs"] == 16

        # Artifacts went through the server (HTTP): the experiment's location is the server's
        # mlflow-artifacts:/ scheme, the worker had no artifact path, and the files are in the
        # server's artifact root.
        exp = c.get_experiment(parent.info.experiment_id)
        assert exp.artifact_location == "mlflow-artifacts:/qadapter-hh"
        assert qa.info.artifact_uri.startswith("mlflow-artifacts:/qadapter-hh/")
        served = stack.state_dir / "mlartifacts" / "qadapter-hh" / qa.info.run_id / "artifacts"
        assert json.loads((served / "adapter" / "qadapter.json").read_text()) == meta

        # The demo's answer: key numbers and direct links built from the servers' addresses.
        answer = subprocess.run(
            [sys.executable, str(INFRA / "answer.py"), runs[0]["id"]],
            env=stack.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert answer.returncode == 0, answer.stdout + answer.stderr
        text = answer.stdout
        assert f"held-out preference accuracy {parent.data.metrics['heldout.accuracy']:.3f}" in text
        prefect_ui = stack.prefect_api_url.removesuffix("/api")
        exp_id = parent.info.experiment_id
        expected = [
            f"{prefect_ui}/runs/flow-run/{runs[0]['id']}",
            f"{stack.mlflow_uri}/#/experiments/{exp_id}/runs/{parent.info.run_id}",
            f"{stack.mlflow_uri}/#/models/hh-qadapter/versions/{versions[0].version}",
            f"{stack.mlflow_uri}/#/experiments/{exp_id}/runs?viewStateShareKey=qadapter-key-columns"
            "&workflowType=machine_learning",
        ]
        assert re.findall(r"http://\S+", text) == expected, text
        for url in expected:  # each page loads in a browser (the part after # is client-side)
            req = urllib.request.Request(url.split("#")[0], headers={"Accept": "text/html"})
            with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 (loopback URL)
                assert r.status == 200 and b"<html" in r.read(4096).lower(), url


def wait_for(what: str, check, timeout: float = 600, every: float = 1.0):
    """Poll check() until it returns something truthy (progress, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def start_run(stack, *params: str) -> str:
    args = [a for p in params for a in ("--param", p)]
    out = stack.prefect("deployment", "run", "customize/hh-tiny", *args, timeout=120)
    return re.search(r"UUID: ([0-9a-f-]{36})", out.stdout).group(1)


def flow_run(stack, flow_run_id: str) -> dict:
    with urllib.request.urlopen(
        f"{stack.prefect_api_url}/flow_runs/{flow_run_id}", timeout=30
    ) as r:
        return json.loads(r.read())


def mlflow_runs(c, flow_run_id: str) -> list:
    """The parent run of a flow run and its child runs."""
    exps = [e.experiment_id for e in c.search_experiments()]
    parents = c.search_runs(exps, f"tags.`prefect.flow_run_id` = '{flow_run_id}'")
    kids = [
        r
        for p in parents
        for r in c.search_runs(exps, f"tags.`mlflow.parentRunId` = '{p.info.run_id}'")
    ]
    return parents + kids


def none_running(runs: list) -> list:
    """The runs, when there are some and none is RUNNING; else []."""
    return runs if runs and all(r.info.status != "RUNNING" for r in runs) else []


def training_in_progress(c, flow_run_id: str) -> bool:
    """The qadapter stage has logged a training step: the run is in the middle of its work."""
    for r in mlflow_runs(c, flow_run_id):
        if r.data.tags.get("stage") == "qadapter" and "loss" in r.data.metrics:
            return r.info.status == "RUNNING"
    return False


def test_cancel_or_stop_mid_run_leaves_no_run_running(tmp_path):
    """Issue 13 item 5 on the real stack: a flow run cancelled in the middle of training ends
    Cancelled with its MLflow runs KILLED; `make down` in the middle of training cancels the run
    the same way; a run that `make down` has to kill is not "Running" after `make up`, and no
    MLflow run is RUNNING."""
    from mlflow import MlflowClient

    long_run = "epochs=5000"  # ~20,000 tiny steps: stopped long before it ends
    with local_stack(tmp_path) as stack:
        stack.prefect("deploy", "--all", timeout=300)
        c = MlflowClient(stack.mlflow_uri)

        # 1. Cancellation (Prefect UI "Cancel", or the CLI).
        first = start_run(stack, long_run)
        wait_for("training of the first run", lambda: training_in_progress(c, first))
        stack.prefect("flow-run", "cancel", first, timeout=120)
        state = wait_for(
            "the cancelled run to end",
            lambda: (s := flow_run(stack, first)["state_type"]) in ("CANCELLED", "CRASHED") and s,
            timeout=300,
        )
        assert state == "CANCELLED"
        ended = wait_for(
            "the cancellation hook to end the MLflow runs",
            lambda: none_running(mlflow_runs(c, first)),
            timeout=120,
        )
        by_stage = {r.data.tags.get("stage", "parent"): r.info.status for r in ended}
        assert by_stage["parent"] == "KILLED" and by_stage["qadapter"] == "KILLED", by_stage
        assert by_stage["helpful-base"] == "FINISHED", by_stage

        # 2. `make down` in the middle of training: it warns, cancels the run and waits for it.
        second = start_run(stack, long_run, "alpha0=2.0")
        wait_for("training of the second run", lambda: training_in_progress(c, second))
        down, up = down_then_up(stack)
        assert "1 flow run(s) in progress; cancelling them" in down.stderr, down.stderr
        assert second in down.stderr and "down.sh: flow runs cancelled" in down.stdout
        assert flow_run(stack, second)["state_type"] == "CANCELLED"
        by_stage = {r.data.tags.get("stage", "parent"): r for r in mlflow_runs(c, second)}
        status = {k: r.info.status for k, r in by_stage.items()}
        assert status.pop("parent") == "KILLED" and status.pop("qadapter") == "KILLED"
        assert set(status.values()) <= {"FINISHED"}, status  # helpful-base, unless cached
        assert by_stage["qadapter"].data.tags["ended_by"].startswith("Prefect flow run Cancel")
        assert second not in up.stdout  # nothing left for the start-up check to fix

        # 3. The run does not end in time (QADAPTER_CANCEL_TIMEOUT=0): it is stopped with the
        # worker; after `make up` neither Prefect nor MLflow shows it running.
        third = start_run(stack, long_run, "alpha0=3.0")
        wait_for("training of the third run", lambda: training_in_progress(c, third))
        down, up = down_then_up(stack, QADAPTER_CANCEL_TIMEOUT="0")
        assert "still in progress after 0s" in down.stderr, down.stderr
        fr = flow_run(stack, third)
        assert fr["state_type"] in ("CANCELLED", "CRASHED"), fr["state_type"]
        runs = mlflow_runs(c, third)
        assert {r.data.tags.get("stage", "parent") for r in runs} >= {"parent", "qadapter"}
        everything = c.search_runs([e.experiment_id for e in c.search_experiments()])
        assert [
            (r.data.tags.get("stage", "parent"), r.info.run_id)
            for r in everything
            if r.info.status == "RUNNING"
        ] == []
        print(
            f"stopped with the worker: flow run {fr['state_name']}, MLflow "
            f"{sorted((r.data.tags.get('stage', 'parent'), r.info.status) for r in runs)}; "
            f"up.sh: {[line for line in up.stdout.splitlines() if 'marked' in line]}",
            file=sys.stderr,
        )


def down_then_up(stack, **env) -> tuple:
    """`make down` then `make up` on the stack (extra environment for down.sh)."""
    results = []
    for script, extra, timeout in (("down.sh", env, 300), ("up.sh", {}, 420)):
        done = subprocess.run(
            ["bash", str(INFRA / script)],
            env={**stack.env, **extra},
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{script}:\n{done.stdout}{done.stderr}"
        results.append(done)
    return tuple(results)
