"""A private local stack (Prefect server + `local` process worker + MLflow server) for tests.

Not a test module: import it from tests that need real servers::

    from infra import local_stack          # or `from .infra import local_stack` in a package

    @pytest.mark.integration
    def test_something(tmp_path):
        with local_stack(tmp_path) as stack:
            subprocess.run(["prefect", "deployment", "run", "customize/hh-tiny"],
                           env=stack.env, check=True)
            MlflowClient(stack.mlflow_uri).search_experiments()

`local_stack` picks free loopback ports, keeps all state under ``tmp_path/state``, runs
``infra/local/up.sh``, and on the way out ALWAYS runs ``infra/local/down.sh`` and checks that no
process it started is left (killing leftovers if there are any).

``local_stack(tmp_path, non_reaping_parent=True)`` runs ``up.sh`` under a parent that adopts the
servers (a Linux child subreaper) and never reaps them until the end: every server that exits
stays a zombie, as under a container init (or a busy init) that does not reap. ``down.sh`` must
count such zombies as stopped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from qadapter.lock import pid_alive

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra" / "local"
UP_TIMEOUT_S = 420  # whole up.sh; each server also gets QADAPTER_START_TIMEOUT below
START_TIMEOUT_S = 180  # per service: the Prefect server takes 10-30 s on 2 busy cores
DOWN_TIMEOUT_S = 120


@dataclasses.dataclass(frozen=True)
class LocalStack:
    prefect_api_url: str  # http://127.0.0.1:PORT/api
    mlflow_uri: str  # http://127.0.0.1:PORT
    env: dict[str, str]  # environment for `prefect ...` / flow subprocesses against this stack
    state_dir: Path
    prefect_port: int
    mlflow_port: int
    up_output: str

    @property
    def run_dir(self) -> Path:
        return self.state_dir / "run"

    def prefect(
        self, *args: str, timeout: float = 120, check: bool = True
    ) -> subprocess.CompletedProcess:
        """Run the `prefect` CLI against this stack (captured text output)."""
        return subprocess.run(
            [str(_bin("prefect")), "--no-prompt", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _bin(name: str) -> Path:
    return Path(sys.executable).parent / name


def _base_env(state_dir: Path, prefect_port: int, mlflow_port: int) -> dict[str, str]:
    # Drop whatever Prefect/MLflow configuration the test process inherited (profiles, an
    # ephemeral test server, a user's tracking server): env.sh sets what the stack needs.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PREFECT_") and k not in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
    }
    env.update(
        PATH=f"{_bin('python').parent}{os.pathsep}{env.get('PATH', '')}",
        QADAPTER_STATE_DIR=str(state_dir),
        QADAPTER_PREFECT_PORT=str(prefect_port),
        QADAPTER_MLFLOW_PORT=str(mlflow_port),
        QADAPTER_START_TIMEOUT=str(START_TIMEOUT_S),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        MLFLOW_ENABLE_TELEMETRY="false",
        MLFLOW_DISABLE_TELEMETRY="true",
    )
    env.pop("QADAPTER_MLFLOW_ARTIFACTS", None)  # local artifacts under the private state dir
    return env


def _stack_env(base: dict[str, str]) -> dict[str, str]:
    """The environment env.sh produces: exactly what the scripts and the worker see."""
    out = subprocess.run(
        ["bash", "-c", f'source "{INFRA / "env.sh"}" >/dev/null && env -0'],
        env=base,
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    pairs = (item.split(b"=", 1) for item in out.split(b"\0") if b"=" in item)
    env = {k.decode(): v.decode() for k, v in pairs}
    for k in list(env):  # bash-internal leftovers that should not travel
        if k in ("_", "SHLVL", "PWD", "OLDPWD"):
            env.pop(k)
    return env


def _recorded_pids(run_dir: Path) -> dict[str, int]:
    pids = {}
    for f in run_dir.glob("*.pid"):
        with contextlib.suppress(ValueError, OSError):
            pids[f.stem] = int(f.read_text().strip())
    return pids


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            ppid = int(text.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
    return children


def _tree(pids: set[int]) -> set[int]:
    """pids and all their descendants (Linux /proc; just pids elsewhere)."""
    if not Path("/proc").is_dir():
        return set(pids)
    children, seen, todo = _children_map(), set(), list(pids)
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(children.get(p, []))
    return seen


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _any_in_group(pgid)  # zombies do not count


def _any_in_group(pgid: int) -> bool:
    if not Path("/proc").is_dir():
        return True
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def _logs_tail(run_dir: Path, lines: int = 40) -> str:
    parts = []
    for log in sorted(run_dir.glob("*.log")):
        with contextlib.suppress(OSError):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name} (last {len(tail)} lines)\n" + "\n".join(tail))
    return "\n".join(parts)


# Runs up.sh as a child subreaper (PR_SET_CHILD_SUBREAPER = 36): the servers up.sh leaves behind
# become its children, and it reaps none of them until SIGTERM (then it reaps all and exits).
_NON_REAPING_PARENT = r"""
import ctypes, json, os, signal, subprocess, sys, time
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
def reap_all_and_exit(*_):
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
signal.signal(signal.SIGTERM, reap_all_and_exit)
up = subprocess.run(["bash", sys.argv[1]], capture_output=True, text=True,
                    timeout=float(sys.argv[2]))
result = {"returncode": up.returncode, "stdout": up.stdout, "stderr": up.stderr}
print(json.dumps(result), flush=True)
while True:
    time.sleep(3600)
"""


def _run_up(base: dict[str, str], non_reaping_parent: bool):
    """(CompletedProcess of up.sh, the non-reaping parent process or None)."""
    if not non_reaping_parent:
        up = subprocess.run(
            ["bash", str(INFRA / "up.sh")],
            env=base,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=UP_TIMEOUT_S,
        )
        return up, None
    parent = subprocess.Popen(
        [sys.executable, "-c", _NON_REAPING_PARENT, str(INFRA / "up.sh"), str(UP_TIMEOUT_S)],
        env=base,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = parent.stdout.readline()  # up.sh itself is bounded by UP_TIMEOUT_S
    if not line:
        raise RuntimeError(f"the non-reaping parent exited (status {parent.wait()})")
    result = json.loads(line)
    return subprocess.CompletedProcess(
        ["bash", "up.sh"], result["returncode"], result["stdout"], result["stderr"]
    ), parent


def _stop_parent(parent: subprocess.Popen | None) -> None:
    if parent is not None:
        parent.terminate()  # it reaps every zombie it holds, then exits
        try:
            parent.wait(timeout=30)
        except subprocess.TimeoutExpired:
            parent.kill()
            parent.wait()


def _leftovers(pids: set[int], groups: set[int]) -> tuple[set[int], set[int]]:
    return {p for p in pids if pid_alive(p)}, {g for g in groups if _group_alive(g)}


@contextlib.contextmanager
def local_stack(tmp_path: Path, *, non_reaping_parent: bool = False) -> Iterator[LocalStack]:
    """Bring up a private stack under tmp_path; always tear it down and check nothing is left."""
    state_dir = Path(tmp_path) / "state"
    prefect_port = free_port()
    mlflow_port = free_port()
    while mlflow_port == prefect_port:
        mlflow_port = free_port()
    base = _base_env(state_dir, prefect_port, mlflow_port)
    env = _stack_env(base)
    run_dir = state_dir / "run"
    ours: set[int] = set()  # every process the stack started, children included
    groups: set[int] = set()  # their process groups (each server leads its own)

    def remember() -> None:
        recorded = set(_recorded_pids(run_dir).values())
        groups.update(recorded)
        ours.update(_tree(recorded))

    failed = False
    parent = None
    try:
        try:
            up, parent = _run_up(base, non_reaping_parent)
        except subprocess.TimeoutExpired as e:
            remember()
            raise RuntimeError(
                f"infra/local/up.sh did not finish within {UP_TIMEOUT_S}s\n{_logs_tail(run_dir)}"
            ) from e
        remember()
        if up.returncode != 0:
            raise RuntimeError(
                f"infra/local/up.sh failed (exit {up.returncode}):\n{up.stdout}{up.stderr}\n"
                f"{_logs_tail(run_dir)}"
            )
        yield LocalStack(
            prefect_api_url=env["PREFECT_API_URL"],
            mlflow_uri=env["MLFLOW_TRACKING_URI"],
            env=env,
            state_dir=state_dir,
            prefect_port=prefect_port,
            mlflow_port=mlflow_port,
            up_output=up.stdout,
        )
    except BaseException:
        failed = True
        raise
    finally:
        remember()  # children that appeared while the test ran (flow runs)
        down = None
        with contextlib.suppress(subprocess.TimeoutExpired):
            down = subprocess.run(
                ["bash", str(INFRA / "down.sh")],
                env=base,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=DOWN_TIMEOUT_S,
            )
        deadline = time.monotonic() + 15
        left_pids, left_groups = _leftovers(ours, groups)
        while (left_pids or left_groups) and time.monotonic() < deadline:
            time.sleep(0.3)
            left_pids, left_groups = _leftovers(ours, groups)
        problems = []
        if down is None or down.returncode != 0:
            out = "" if down is None else down.stdout + down.stderr
            problems.append(f"infra/local/down.sh failed or timed out:\n{out}")
        if left_pids or left_groups:
            problems.append(
                f"processes left running after down.sh: pids {sorted(left_pids)}, "
                f"process groups {sorted(left_groups)} (killed now)"
            )
            for g in left_groups:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(g, signal.SIGKILL)
            for p in left_pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(p, signal.SIGKILL)
        if _recorded_pids(run_dir):
            problems.append(f"pid files left in {run_dir}: {sorted(_recorded_pids(run_dir))}")
        _stop_parent(parent)
        if problems and not failed:  # do not hide the test's own failure behind ours
            raise AssertionError("\n".join(problems))
