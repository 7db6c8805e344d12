"""`prefect deployment run customize/hh-tiny` against a real local Prefect server, process
worker and MLflow server on free loopback ports; results read back through the MLflow client and
the Prefect API."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from infra import local_stack  # noqa: E402

pytestmark = pytest.mark.integration


def api(stack, path: str, body: dict) -> list:
    import urllib.request

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

        # Prefect API: the flow run completed and published its artifacts
        runs = api(stack, "flow_runs/filter", {})
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
