"""Dependencies follow the layers, read from the source (every import, also inside functions).

- ``qadapter/`` (the library, its CLI included) never imports ``tasks``, ``flows`` or ``prefect``;
- ``mlflow`` only in the modules that are the MLflow integration (:data:`MLFLOW_MODULES`);
- the ``serve`` extra (FastAPI, Starlette, uvicorn) only in ``qadapter.serving``, and the
  ``dpo`` extra (TRL) only inside functions, so the rest loads without them;
- no import cycle among the project's modules (``qadapter``, ``tasks``, ``flows``), counting
  imports inside functions.

The graph is :mod:`import_graph` (``ast``, not what happens to load at import time); the checker
is tested on a small fake package below, so a checker that sees nothing fails.
"""

import sys
import tomllib
from pathlib import Path

import pytest
from import_graph import (
    all_imports,
    cycle_path,
    describe,
    edges,
    module_name,
    project_files,
    strongly_connected,
    top,
)

REPO = Path(__file__).resolve().parents[1]
PROJECT = ("qadapter", "tasks", "flows")
LIBRARY = "qadapter"
NEVER_IN_LIBRARY = ("tasks", "flows", "prefect")
# The MLflow integration, and nothing else in the library, imports mlflow:
# - store: the default tracking store (state/mlflow.db) and a client on it, shared with the pipeline
# - registry: models:/ references, aliases, downloads (qadapter models, promote, serve, eval)
# - serving.pyfunc: an adapter as an MLflow pyfunc model (what the pipeline logs and registers)
MLFLOW_MODULES = (
    "qadapter.store",
    "qadapter.registry",
    "qadapter.serving.pyfunc",
    "qadapter.serving.pyfunc_model",  # the model-from-code file MLflow loads (no pickle)
)
SERVE_EXTRA, SERVING = ("fastapi", "starlette", "uvicorn"), "qadapter.serving"
LAZY_EXTRAS = ("trl",)


def layer_violations(root: Path, packages=PROJECT, library=LIBRARY) -> list[str]:
    """One line per import that breaks a layer rule: ``module (file:line) imports target``."""
    bad = []
    for imp in all_imports(root, packages):
        if top(imp.module) != library:
            continue
        where = f"{imp.module} ({imp.path.relative_to(root)}:{imp.line}) imports {imp.target}"
        if top(imp.target) in NEVER_IN_LIBRARY:
            bad.append(where)
        elif top(imp.target) == "mlflow" and imp.module not in MLFLOW_MODULES:
            bad.append(f"{where} (not one of the MLflow modules {MLFLOW_MODULES})")
        elif top(imp.target) in SERVE_EXTRA and not imp.module.startswith(SERVING + "."):
            bad.append(f"{where} (the serve extra, outside {SERVING})")
        elif top(imp.target) in LAZY_EXTRAS and not imp.in_function:
            bad.append(f"{where} (an optional extra, at module level)")
    return bad


def import_cycles(root: Path, packages=PROJECT) -> list[str]:
    """Each cycle among the project's modules as ``a (a.py:3) -> b (b.py:9) -> a``."""
    modules = {module_name(p, root) for p in project_files(root, packages)}
    graph = edges(all_imports(root, packages), modules)
    return [describe(cycle_path(graph, c), root) for c in strongly_connected(graph)]


def test_the_library_never_imports_the_pipeline_prefect_or_stray_mlflow():
    assert layer_violations(REPO) == []


def test_no_import_cycles_among_the_projects_modules():
    assert import_cycles(REPO) == []


def test_the_rules_name_real_modules_and_see_the_imports_they_allow():
    modules = {module_name(p, REPO) for p in project_files(REPO, PROJECT)}
    assert set(MLFLOW_MODULES) <= modules
    imports = all_imports(REPO, PROJECT)
    mlflow_users = {i.module for i in imports if top(i.target) == "mlflow"}
    assert {m for m in mlflow_users if top(m) == LIBRARY} == set(MLFLOW_MODULES)
    assert any(top(i.target) == "prefect" for i in imports if top(i.module) == "tasks")
    # function-level imports are read: the CLI imports its commands inside build_parser
    assert any(
        i.module == "qadapter.cli.parser" and i.target == "qadapter.cli.train" for i in imports
    )


def test_the_pipeline_hook_of_data_publish_is_registered():
    """``qadapter data publish`` reaches the pipeline's Prefect event only through this entry
    point (the library may not import it): it must name a real function."""
    from qadapter.data.publish import HOOKS
    from tasks.events import emit_arrived

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["entry-points"][HOOKS] == {"prefect-event": "tasks.events:emit_arrived"}
    assert callable(emit_arrived)


# ---- the checker itself, on a fake project ------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_checker_finds_an_in_function_prefect_import_and_a_two_module_cycle(tmp_path):
    write(
        tmp_path,
        {
            "qadapter/__init__.py": "",
            "qadapter/a.py": "from . import b\n\n\ndef f():\n    import prefect.events\n",
            "qadapter/b.py": "def g():\n    from .a import f\n    return f\n",
            "qadapter/c.py": "import importlib\n\nm = importlib.import_module('tasks.x')\n",
            "qadapter/d.py": "def h():\n    import mlflow\n",
            "qadapter/sub/__init__.py": "from ..e import E\n",
            "qadapter/e.py": "import trl\n\nE = 1\n",
            "qadapter/f.py": "def k():\n    import trl\n    import fastapi\n",
            "qadapter/serving/__init__.py": "",
            "qadapter/serving/s.py": "import fastapi\n",
            "tasks/__init__.py": "",
            "tasks/x.py": "import qadapter.a\nimport prefect\nimport mlflow\n",
        },
    )
    assert layer_violations(tmp_path, ("qadapter", "tasks")) == [
        "qadapter.a (qadapter/a.py:5) imports prefect.events",
        "qadapter.c (qadapter/c.py:3) imports tasks.x",
        "qadapter.d (qadapter/d.py:2) imports mlflow "
        f"(not one of the MLflow modules {MLFLOW_MODULES})",
        "qadapter.e (qadapter/e.py:1) imports trl (an optional extra, at module level)",
        "qadapter.f (qadapter/f.py:3) imports fastapi (the serve extra, outside qadapter.serving)",
    ]
    assert import_cycles(tmp_path, ("qadapter", "tasks")) == [
        "qadapter.a (qadapter/a.py:1) -> qadapter.b (qadapter/b.py:2) -> qadapter.a"
    ]


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"p/__init__.py": "", "p/a.py": "import p.b\n", "p/b.py": "x = 1\n"}, []),
        (  # three modules, a relative import two levels up, an __import__ call
            {
                "p/__init__.py": "",
                "p/a.py": "from .q import c\n",
                "p/q/__init__.py": "",
                "p/q/c.py": "from ..b import x\n",
                "p/b.py": "def f():\n    __import__('p.a')\n",
            },
            ["p.a (p/a.py:1) -> p.q.c (p/q/c.py:1) -> p.b (p/b.py:2) -> p.a"],
        ),
    ],
)
def test_checker_cycles_follow_what_is_written(tmp_path, files, expected):
    write(tmp_path, files)
    assert import_cycles(tmp_path, ("p",)) == expected


def test_dpo_stage_without_trl_is_one_clear_error(monkeypatch):
    from qadapter.dpo import DPOStageConfig, align_base
    from qadapter.errors import QAdapterError

    monkeypatch.setitem(sys.modules, "trl", None)  # import trl now raises ImportError
    with pytest.raises(
        QAdapterError, match=r"needs TRL, which is not installed; pip install 'qadapter\[dpo\]'"
    ):
        align_base(None, [], "/nonexistent", DPOStageConfig())
