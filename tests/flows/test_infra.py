"""The local stack (infra/local/*.sh) comes up on loopback, works, and goes away cleanly."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request

import pytest

try:
    from .infra import REPO, local_stack, port_is_free
except ImportError:  # tests/flows is not a package: pytest puts this directory on sys.path
    from infra import REPO, local_stack, port_is_free


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 (loopback URL)
        return json.loads(r.read() or b"null")


def _post_json(url: str, body: dict) -> object:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310 (loopback URL)
        return json.loads(r.read())


@pytest.mark.integration
def test_local_stack_up_and_down(tmp_path):
    from mlflow.tracking import MlflowClient

    t0 = time.monotonic()
    with local_stack(tmp_path) as stack:
        assert stack.prefect_api_url == f"http://127.0.0.1:{stack.prefect_port}/api"
        assert stack.mlflow_uri == f"http://127.0.0.1:{stack.mlflow_port}"
        assert stack.env["PREFECT_API_URL"] == stack.prefect_api_url
        assert stack.env["MLFLOW_TRACKING_URI"] == stack.mlflow_uri
        assert stack.env["PREFECT_HOME"] == str(stack.state_dir / "prefect")
        assert "Prefect UI:" in stack.up_output and "MLflow UI:" in stack.up_output

        # Prefect: healthy; the `local` process pool exists and a worker polls it.
        assert _get_json(f"{stack.prefect_api_url}/health") is True
        inspect = stack.prefect("work-pool", "inspect", "local", "--output", "json")
        pool = json.loads(inspect.stdout)
        assert pool["name"] == "local" and pool["type"] == "process"
        workers = _post_json(f"{stack.prefect_api_url}/work_pools/local/workers/filter", {})
        assert any(w["status"] == "ONLINE" for w in workers), workers

        # MLflow: answers and stores under the private state dir.
        client = MlflowClient(stack.mlflow_uri)
        assert [e.name for e in client.search_experiments()] == ["Default"]
        assert (stack.state_dir / "mlflow.db").is_file()

        # up.sh is idempotent: a second call leaves the running stack alone.
        pids = {p.name: p.read_text() for p in stack.run_dir.glob("*.pid")}
        assert set(pids) == {"prefect.pid", "worker.pid", "mlflow.pid"}
        again = subprocess.run(["bash", str(REPO / "infra/local/up.sh")], env=stack.env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert again.stdout.count("already running") == 3, again.stdout
        assert {p.name: p.read_text() for p in stack.run_dir.glob("*.pid")} == pids

    # local_stack has run down.sh and checked that no process it started is left.
    assert port_is_free(stack.prefect_port) and port_is_free(stack.mlflow_port)
    assert not list(stack.run_dir.glob("*.pid"))
    assert time.monotonic() - t0 < 90
