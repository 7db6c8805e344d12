"""The local stack (infra/local/*.sh) comes up on loopback, works, and goes away cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from qadapter.lock import pid_alive

try:
    from .infra import INFRA, REPO, _group_alive, _tree, local_stack, port_is_free
except ImportError:  # tests/flows is not a package: pytest puts this directory on sys.path
    from infra import INFRA, REPO, _group_alive, _tree, local_stack, port_is_free

BUSY_LOOP = (  # one core busy for argv[1] seconds at most
    "import sys, time\nend = time.monotonic() + float(sys.argv[1])\n"
    "while time.monotonic() < end: pass"
)


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 (loopback URL)
        return json.loads(r.read() or b"null")


def _post_json(url: str, body: dict) -> object:
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
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
        again = subprocess.run(
            ["bash", str(REPO / "infra/local/up.sh")],
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 0, again.stderr
        assert again.stdout.count("already running") == 3, again.stdout
        assert {p.name: p.read_text() for p in stack.run_dir.glob("*.pid")} == pids

    # local_stack has run down.sh and checked that no process it started is left.
    assert port_is_free(stack.prefect_port) and port_is_free(stack.mlflow_port)
    assert not list(stack.run_dir.glob("*.pid"))
    assert time.monotonic() - t0 < 90


@pytest.mark.integration
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc and prctl")
def test_down_stops_the_stack_under_load_with_a_parent_that_never_reaps(tmp_path):
    """The cause of `could not stop Prefect worker` (issue 8 item 12): a stopped server nobody
    reaps stays a zombie, and `kill -0` (pid or process group) still answers for it; a loaded
    machine only made the fixed waits too short on top of that. Here every server's parent never
    reaps (as under a container init that does not), and 4 busy loops load the machine while
    down.sh runs: down.sh must exit 0, remove the pid files, and leave no live process."""
    with local_stack(tmp_path, non_reaping_parent=True) as stack:
        leaders = {int(p.read_text()) for p in stack.run_dir.glob("*.pid")}
        assert len(leaders) == 3
        ours = _tree(leaders)
        load = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP, "100"]) for _ in range(4)]
        try:
            t0 = time.monotonic()
            down = subprocess.run(
                ["bash", str(INFRA / "down.sh")],
                env=stack.env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=110,
            )
            elapsed = time.monotonic() - t0
        finally:
            for p in load:
                p.kill()
                p.wait()
        assert down.returncode == 0, down.stdout + down.stderr
        assert "error" not in down.stderr, down.stderr
        assert "down.sh: stopped" in down.stdout
        assert not [p for p in ours if pid_alive(p)], "down.sh left live processes"
        assert not [g for g in leaders if _group_alive(g)]
        zombies = [p for p in ours if Path(f"/proc/{p}/stat").exists()]
        assert zombies, "the servers should be unreaped zombies here (the case under test)"
        assert not list(stack.run_dir.glob("*.pid"))
        print(
            f"down.sh under load: {elapsed:.1f} s, {len(zombies)} zombies counted as stopped",
            file=sys.stderr,
        )


# A client on "another host": its own state dir, no artifact path, only the server's URL.
_REMOTE_CLIENT = r"""
import json, os, sys
from pathlib import Path
assert "QADAPTER_MLFLOW_ARTIFACTS" not in os.environ
from tasks import tracking
c = tracking.client()
exp_id = tracking.experiment_id(c)
parent = c.create_run(exp_id).info.run_id
run = tracking.StageRun(parent, "qadapter", "k")
adapter = Path(sys.argv[1])
adapter.mkdir()
(adapter / "qadapter.json").write_text(json.dumps({"alpha0": 2.0}))
run.artifacts(adapter, "adapter")
run.__exit__(None, None, None)
tracking.end_run(parent)
uri = c.get_run(run.run_id).info.artifact_uri
print(json.dumps({"exp": exp_id, "run": run.run_id, "uri": uri}))
"""


@pytest.mark.integration
def test_artifacts_are_uploaded_through_the_mlflow_server(tmp_path):
    """Issue 13 item 6: tracking through the server, the experiment is created with an
    mlflow-artifacts:/ location, so a client that knows nothing of the server's storage (its
    own state dir, no QADAPTER_MLFLOW_ARTIFACTS) logs artifacts over HTTP; they appear under the
    server's artifact root."""
    from mlflow.tracking import MlflowClient

    with local_stack(tmp_path) as stack:
        env = {k: v for k, v in stack.env.items() if k != "QADAPTER_MLFLOW_ARTIFACTS"}
        env["QADAPTER_STATE_DIR"] = str(tmp_path / "client-state")
        out = subprocess.run(
            [sys.executable, "-c", _REMOTE_CLIENT, str(tmp_path / "adapter")],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        got = json.loads(out.stdout.strip().splitlines()[-1])
        exp = MlflowClient(stack.mlflow_uri).get_experiment(got["exp"])
        assert exp.artifact_location == "mlflow-artifacts:/qadapter-hh"
        assert got["uri"] == f"mlflow-artifacts:/qadapter-hh/{got['run']}/artifacts"
        served = stack.state_dir / "mlartifacts" / "qadapter-hh" / got["run"] / "artifacts"
        assert json.loads((served / "adapter" / "qadapter.json").read_text()) == {"alpha0": 2.0}
        assert not list((tmp_path / "client-state").rglob("qadapter.json"))
        # The worker the stack started does not get the server's artifact path either.
        worker_pid = (stack.run_dir / "worker.pid").read_text().strip()
        worker_env = Path(f"/proc/{worker_pid}/environ").read_bytes().split(b"\0")
        assert not [e for e in worker_env if e.startswith(b"QADAPTER_MLFLOW_ARTIFACTS=")]
        assert f"MLFLOW_TRACKING_URI={stack.mlflow_uri}".encode() in worker_env
