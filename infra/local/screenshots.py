"""Screenshots of the MLflow UI for docs/mlflow-ui.md, taken in a real browser (Debian's headless
Chromium, driven by Playwright), and the browser harness tests/test_mlflow_ui_browser.py uses.

Regenerate docs/img/mlflow-*.png from a tiny alpha0 sweep (about 5 minutes on 2 busy cores):

    export QADAPTER_STATE_DIR=/tmp/qadapter-sweep
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=600 OMP_NUM_THREADS=1 \
        .venv/bin/python flows/sweep.py tiny
    .venv/bin/python infra/local/screenshots.py --state /tmp/qadapter-sweep

The MLflow server started here (127.0.0.1, a free port) serves a COPY of the sweep's store
(``STATE/mlflow.db``): the alias this script sets by clicking in the UI never reaches the
sweep's registry. Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``; another binary:
``QADAPTER_CHROMIUM=PATH``) and the ``playwright`` Python package (it drives that browser;
``playwright install``, which downloads a browser of its own, is never needed).
Each PNG is palette-quantized to stay under 150 KB.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tasks import tracking  # noqa: E402

# Headless Chromium as root on a machine without a display or outside network: no sandbox (root),
# no GPU, and none of the background fetches (updates, sync, QUIC) that a closed network refuses.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# MLflow 3.17 opens its AI-assistant side panel on a first visit; closed, the page has the room.
QUIET_UI = (
    "localStorage.setItem('mlflow.assistant.panelOpen_v1', 'false');"
    "localStorage.setItem('mlflow.assistant.fab.autoOpenedOnFirstLoad_v1', 'true');"
)
MAX_PNG = 150 * 1024
WAIT_MS = 90_000  # the UI's first load on a loaded 2-core machine


def chromium() -> str:
    path = os.environ.get("QADAPTER_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        raise RuntimeError(
            f"no Chromium at {path}: install Debian's ('apt-get install -y chromium', "
            "as 'make setup' does) or set QADAPTER_CHROMIUM to a Chromium binary"
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def mlflow_server(workdir: Path, db: Path | None = None, timeout: float = 240) -> Iterator[str]:
    """A real ``mlflow server`` on 127.0.0.1 -> its URL; stopped and reaped on exit.

    SQLite store ``workdir/mlflow.db`` (a copy of ``db`` when given), artifacts served from
    ``workdir/artifacts``. Ready when ``/health`` answers; a server that exits first raises with
    the tail of its log.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    store = workdir / "mlflow.db"
    if db is not None:
        if not db.is_file():
            raise RuntimeError(f"no MLflow store at {db}: pass --state the sweep's state dir")
        shutil.copyfile(db, store)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.update(
        MLFLOW_ENABLE_TELEMETRY="false",
        MLFLOW_DISABLE_TELEMETRY="true",
        DO_NOT_TRACK="1",
        # MLflow 3's GenAI job runner: ~7 more processes, none of them used by these pages.
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION="false",
    )
    log_path = workdir / "mlflow-server.log"
    cmd = [
        str(Path(sys.executable).parent / "mlflow"),
        "server",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--workers", "1",
        "--backend-store-uri", f"sqlite:///{store}",
        "--serve-artifacts",
        "--artifacts-destination", str(workdir / "artifacts"),
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(
                    f"mlflow server exited ({proc.returncode}) before /health:\n{tail}"
                )
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mlflow server on {url} not healthy after {timeout:.0f} s")
            time.sleep(0.25)
        yield url
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server, which stops and reaps its uvicorn child; after 30 s, SIGKILL to
    its whole process group. Always ``wait()``: PID 1 here never reaps zombies."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextlib.contextmanager
def browser():
    """Headless Debian Chromium under Playwright -> a ``Browser``; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium(), args=FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def new_page(b, width: int = 1280, height: int = 800):
    """A page in a fresh browser context (empty profile: no remembered UI choices)."""
    ctx = b.new_context(
        viewport={"width": width, "height": height}, locale="en-US", timezone_id="UTC"
    )
    ctx.add_init_script(QUIET_UI)
    ctx.set_default_timeout(WAIT_MS)
    return ctx.new_page()


def header_texts(page) -> list[str]:
    """The runs table's column headers ("Metrics"/"Parameters" group headers too), once each."""
    texts = page.locator("[role=columnheader]").all_inner_texts()
    return list(dict.fromkeys(t.strip() for t in texts if t.strip()))


def open_runs_view(page, server: str, exp_id: str, row_text: str) -> None:
    """The experiment's runs table through ``tracking.runs_view_url``, loaded up to a row."""
    page.goto(tracking.runs_view_url(server, exp_id))
    page.get_by_text(row_text, exact=True).first.wait_for()


def pick(page, select, option: str) -> None:
    """Choose ``option`` in one of the UI's (antd) select boxes: click, type, click the option."""
    select.locator(".du-bois-light-select-selector").click()
    select.locator("input").fill(option)
    page.locator(f".du-bois-light-select-item-option[title='{option}']").first.click()
    page.keyboard.press("Escape")


def set_alias_by_clicks(page, server: str, name: str, version: str, alias: str, shot=None) -> None:
    """On the version page: Aliases "Add" (or the pencil next to the aliases there), type the
    alias, Enter, "Save aliases". ``shot(page)``, when given, sees the dialog before saving."""
    page.goto(tracking.model_version_url(server, name, version))
    field = page.locator("[data-testid=descriptions-item]", has_text="Aliases").first
    field.get_by_role("button").first.click()  # "Add" with no alias yet, else "Edit aliases"
    dialog = page.get_by_role("dialog")
    dialog.locator("input").first.fill(alias)
    page.keyboard.press("Enter")
    dialog.get_by_text(f"@ {alias}", exact=True).first.wait_for()  # the new alias' chip
    if shot is not None:
        shot(page)
    dialog.get_by_role("button", name="Save aliases").click()
    dialog.wait_for(state="hidden")
    field.get_by_text(f"@ {alias}", exact=True).first.wait_for()


def small_png(png: bytes, path: Path, colors: int = 64) -> int:
    """Write ``png`` palette-quantized (no dithering: UI text stays crisp) -> bytes written."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    img = img.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    size = path.stat().st_size
    if size > MAX_PNG:
        raise RuntimeError(f"{path}: {size} bytes, over {MAX_PNG}; shoot a smaller area")
    return size


def expand(page, run_id: str) -> None:
    """Unfold a parent run's row in the runs table (the +/- button in its Run Name cell)."""
    page.locator(f"[role=row][row-id='{run_id}'] [col-id='attributes.`Run Name`'] button").click()


def model_training_mode(page, server: str) -> None:
    """Click "Model training" at the top of the sidebar, as docs/mlflow-ui.md tells a user to:
    the browser remembers it, and experiments then open on their runs table."""
    page.goto(tracking.ui_url(server, "experiments"))
    page.get_by_text("Model training", exact=True).first.click()


def sweep_runs(c, exp_id: str) -> tuple:
    """The newest sweep's parent run and its alpha0 points (oldest first)."""
    parents = c.search_runs(
        [exp_id], "tags.flow = 'sweep'", order_by=["attributes.start_time DESC"], max_results=1
    )
    if not parents:
        raise RuntimeError("no sweep run in this store: run 'python flows/sweep.py tiny' first")
    parent = parents[0]
    points = c.search_runs(
        [exp_id],
        f"tags.`mlflow.parentRunId` = '{parent.info.run_id}' and tags.stage = 'sweep-point'",
        order_by=["attributes.start_time ASC"],
    )
    if not points:
        raise RuntimeError(f"sweep run {parent.info.run_id} has no finished alpha0 point")
    return parent, points


def shoot(page, path: Path, clip: dict | None = None) -> None:
    size = small_png(page.screenshot(clip=clip), path)
    print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {size // 1024} KB")


POINT_FILTER = "tags.stage = 'sweep-point'"
PARALLEL = {
    "params": ["alpha0"],
    "metrics": [
        "winrate.harmless",
        "winrate.helpful",
        "probe.delta",
        "kl.general",
        "heldout.accuracy",
    ],
}
SCATTER = ("alpha0", "winrate.harmless")


def screenshots(server: str, out: Path) -> None:
    """The five PNGs of docs/mlflow-ui.md, from the newest sweep in the store ``server`` serves."""
    from mlflow import MlflowClient

    c = MlflowClient(server)
    exp = c.get_experiment_by_name(tracking.EXPERIMENT)
    if exp is None:
        raise RuntimeError(f"no experiment {tracking.EXPERIMENT!r} in this store")
    parent, points = sweep_runs(c, exp.experiment_id)
    with browser() as b:
        page = new_page(b, width=1600, height=860)
        try:
            model_training_mode(page, server)
            runs_view(page, server, exp.experiment_id, parent, points, out)
            compare(page, points, out)
            alias(page, c, server, out)
        except Exception:
            failed = Path(tempfile.gettempdir()) / "screenshots-failure.png"
            page.screenshot(path=failed)
            print(f"failed at {page.url}; the page as it was: {failed}", file=sys.stderr)
            raise


def runs_view(page, server: str, exp_id: str, parent, points, out: Path) -> None:
    """(a) The key-columns view, filtered to sweep points, the sweep's row unfolded."""
    open_runs_view(page, server, exp_id, parent.info.run_name)
    search = page.get_by_placeholder("metrics.rmse", exact=False).first
    search.fill(POINT_FILTER)
    search.press("Enter")
    page.wait_for_function("location.hash.includes('searchFilter=tags.stage')")
    page.locator(f"[role=row][row-id='{parent.info.run_id}']").first.wait_for()
    expand(page, parent.info.run_id)  # the points are the sweep run's children
    page.get_by_text(points[-1].info.run_name, exact=True).first.wait_for()
    page.wait_for_timeout(1500)  # let the grid finish its layout before the picture
    shoot(page, out / "mlflow-runs-view.png")


def compare(page, points, out: Path) -> None:
    """(b) Tick the points, Compare: parallel coordinates, then a scatter against alpha0."""
    for p in points:
        page.locator(f"[role=row][row-id='{p.info.run_id}'] input.ag-checkbox-input").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("Parallel Coordinates Plot").wait_for()
    page.get_by_role("button", name="Clear All").click()
    selects = page.locator(".du-bois-light-select")
    for k, names in enumerate((PARALLEL["params"], PARALLEL["metrics"])):
        for name in names:
            pick(page, selects.nth(k), name)
    page.wait_for_timeout(2000)  # plotly's redraw
    shoot(page, out / "mlflow-compare-parallel.png")
    page.get_by_text("Scatter Plot", exact=True).click()
    for axis, name in zip(("x", "y"), SCATTER):
        page.locator(f"#{axis}-axis-selector").click()
        page.get_by_role("option", name=name, exact=True).first.click()
    page.wait_for_timeout(2000)
    shoot(page, out / "mlflow-compare-scatter.png")


def alias(page, c, server: str, out: Path) -> None:
    """(c) ``champion`` set by clicks on the version the sweep made the ``candidate``."""
    name = tracking.REGISTERED_MODEL
    version = c.get_registered_model(name).aliases.get("candidate")
    if version is None:
        raise RuntimeError(f"no version of {name} has the alias 'candidate' (the sweep sets it)")
    version = str(version)
    set_alias_by_clicks(
        page, server, name, version, "champion",
        shot=lambda pg: shoot(pg, out / "mlflow-alias-dialog.png"),
    )  # fmt: skip
    page.wait_for_timeout(1000)
    shoot(page, out / "mlflow-model-version.png")
    got = str(c.get_model_version_by_alias(name, "champion").version)
    if got != version:
        raise RuntimeError(f"the alias set in the UI points at version {got}, not {version}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Screenshots of the MLflow UI for docs/mlflow-ui.md")
    ap.add_argument(
        "--state", type=Path, required=True, help="the QADAPTER_STATE_DIR a sweep ran with"
    )
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="where PNGs go")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        with mlflow_server(Path(tmp), db=args.state / "mlflow.db") as server:
            screenshots(server, args.out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
