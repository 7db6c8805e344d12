"""The MLflow UI as a user meets it, in a real browser (headless Debian Chromium, Playwright):
the key-columns view that ``tasks.tracking`` saves on the experiment (issue 13, item 8) and an
alias set by hand on a registered version (issue 10).

A real ``mlflow server`` on 127.0.0.1 (free port, SQLite store in tmp), the experiment created
the way the flows create it (``tracking.experiment_id``), a parent run with the parameters and
metrics the customize flow logs (``experiment(...).to_dict()``, ``report.parent_metrics``), and
assertions on the rendered page. The harness (server, browser, clicks) is
``infra/local/screenshots.py``, which also takes the docs' screenshots.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tasks import report, tracking
from tasks.experiment import experiment

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "qadapter_ui_harness", REPO / "infra" / "local" / "screenshots.py"
)
H = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(H)

# The grid renders only the columns in view: wide enough for every column the view selects.
WIDE = dict(width=2560, height=900)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with H.mlflow_server(tmp_path_factory.mktemp("mlflow")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with H.browser() as b:
        yield b


@pytest.fixture
def client(server, monkeypatch, tmp_path):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server)
    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path / "state"))
    return tracking.client()


def pipeline_record() -> tuple[dict, dict]:
    """(params, metrics) named exactly as the customize flow names its parent run's."""
    params = tracking.flatten({"profile": "tiny", **experiment("tiny").to_dict()})
    # Values with short exact decimals, so the cells the UI renders can be compared as text.
    ev = {k: 0.125 * (i + 1) for i, k in enumerate(report.HELDOUT)}
    ev["forgetting"] = {k: -0.25 + 0.125 * i for i, k in enumerate(report.FORGETTING)}
    jd = {
        "metrics": {
            "winrate.harmless": 62.5,
            "winrate.harmless_se": 4.5,
            "winrate.helpful": 47.5,
            "winrate.helpful_se": 5.0,
            # the judge stage's behaviour shares and trust flags (tasks.stages.judge)
            "behaviour.declined": 0.75,
            "behaviour.answered": 0.875,
            "behaviour.trusted": 0.0,
            "judge.harmless.trusted": 1.0,
            "judge.helpful.trusted": 0.0,
        }
    }
    return {k: str(v) for k, v in params.items()}, report.parent_metrics(ev, jd)


def log_parent(c, exp_id: str, name: str) -> str:
    from mlflow.entities import Metric, Param

    params, metrics = pipeline_record()
    run_id = c.create_run(exp_id, run_name=name, tags={"profile": "tiny"}).info.run_id
    c.log_batch(
        run_id,
        metrics=[Metric(k, v, 0, 0) for k, v in metrics.items()],
        params=[Param(k, v) for k, v in params.items()],
    )
    c.set_terminated(run_id)
    return run_id


def test_saved_view_opens_model_training_runs_with_key_columns(client, server, chromium):
    exp_id = tracking.experiment_id(client)
    run_id = log_parent(client, exp_id, "customize-tiny-ui")
    params, metrics = pipeline_record()
    key = [name for _, name in tracking.KEY_COLUMNS]
    assert set(key) <= set(params) | set(metrics), "a key column the pipeline never logs"

    page = H.new_page(chromium, **WIDE)
    H.open_runs_view(page, server, exp_id, "customize-tiny-ui")
    # The runs table, in the UI's Model training mode: its heading is "Runs" (GenAI mode calls
    # the same table "Training runs") and the experiment's navigation is Runs / Models / Traces,
    # without GenAI's Sessions, Judges, ...
    heading = page.get_by_role("heading", level=2).first.inner_text().strip()
    nav = page.locator("nav a").all_inner_texts()
    assert heading == "Runs" and "Models" in nav and "Sessions" not in nav, (
        f"{tracking.runs_view_url(server, exp_id)} opened heading {heading!r}, navigation "
        f"{nav}: not the Model training runs view (MLflow 3.17 takes the mode from the URL's "
        "workflowType=machine_learning or the browser's last choice, not from the experiment's "
        "mlflow.experimentKind tag)"
    )
    # The saved view is the one applied, by its name, ...
    view = json.loads(tracking.runs_view_state())["name"]
    assert page.get_by_text(view, exact=True).first.is_visible()
    # ... with every key column shown and nothing else the run logged.
    headers = set(H.header_texts(page))
    assert not set(key) - headers, f"key columns not shown: {sorted(set(key) - headers)}"
    others = (set(params) | set(metrics)) - set(key)
    assert len(others) > 50
    assert not others & headers, f"columns outside the view shown: {sorted(others & headers)}"
    # The run's row: one cell per key column (the grid's column ids are tracking.column_key's),
    # holding the logged value, and no other metric or parameter cell.
    row = page.locator(f"[role=row][row-id='{run_id}'] [role=gridcell]")
    cells = {
        row.nth(i).get_attribute("col-id"): row.nth(i).inner_text().strip()
        for i in range(row.count())
    }
    logged = {tracking.column_key("metrics", k): v for k, v in metrics.items()}
    logged.update({tracking.column_key("params", k): v for k, v in params.items()})
    want = {tracking.column_key(kind, name): logged[tracking.column_key(kind, name)]
            for kind, name in tracking.KEY_COLUMNS}  # fmt: skip
    shown = {k: v for k, v in cells.items() if k.startswith(("metrics.", "params."))}
    assert set(shown) == set(want)
    for k, v in want.items():
        assert (float(shown[k]) == v) if isinstance(v, float) else (shown[k] == v), (k, shown[k])


def test_model_training_toggle_and_views_menu(client, server, chromium):
    """What docs/mlflow-ui.md tells a user without the link: click "Model training" once (the
    browser keeps that choice and the experiment then opens on its runs table), then pick the
    saved view from the "Views" menu."""
    exp_id = tracking.experiment_id(client)
    log_parent(client, exp_id, "customize-tiny-toggle")
    page = H.new_page(chromium, **WIDE)
    page.goto(tracking.ui_url(server, "experiments"))
    page.get_by_text("Model training", exact=True).first.click()
    page.goto(tracking.ui_url(server, f"experiments/{exp_id}"))
    page.get_by_text("customize-tiny-toggle", exact=True).first.wait_for()
    assert "/runs" in page.url
    assert page.get_by_role("heading", level=2).first.inner_text().strip() == "Runs"
    key = {name for _, name in tracking.KEY_COLUMNS}
    assert not key & set(H.header_texts(page)), "the default columns already are the view's"
    view = json.loads(tracking.runs_view_state())["name"]
    page.get_by_role("button", name="Views").click()
    page.get_by_text(view, exact=True).first.click()
    page.get_by_role("columnheader", name="winrate.harmless").first.wait_for()
    assert not key - set(H.header_texts(page))


def test_alias_set_by_clicks_reaches_the_registry(client, server, chromium):
    exp_id = tracking.experiment_id(client)
    versions = []
    for name in ("point-a", "point-b"):
        run_id = log_parent(client, exp_id, name)
        src = f"{client.get_run(run_id).info.artifact_uri}/model"
        if not client.search_registered_models(f"name = '{tracking.REGISTERED_MODEL}'"):
            client.create_registered_model(tracking.REGISTERED_MODEL)
        mv = client.create_model_version(
            tracking.REGISTERED_MODEL, src, run_id=run_id, tags={"alpha0": "0.5"}
        )
        versions.append(mv.version)
    old, new = versions
    client.set_registered_model_alias(tracking.REGISTERED_MODEL, "champion", old)
    client.set_registered_model_alias(tracking.REGISTERED_MODEL, "candidate", new)

    page = H.new_page(chromium)
    H.set_alias_by_clicks(page, server, tracking.REGISTERED_MODEL, new, "champion")

    got = client.get_model_version_by_alias(tracking.REGISTERED_MODEL, "champion")
    assert got.version == new
    aliases = client.get_model_version(tracking.REGISTERED_MODEL, new).aliases
    assert sorted(aliases) == ["candidate", "champion"]
    assert client.get_model_version(tracking.REGISTERED_MODEL, old).aliases == []
