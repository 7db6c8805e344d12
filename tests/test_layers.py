"""Dependencies follow the layers: the library never imports the pipeline's or extras' packages."""

import json
import subprocess
import sys

import pytest

PIPELINE_ONLY = ("prefect", "mlflow", "fastapi", "trl")
# The serving layer (the `serve` extra) is built on MLflow and FastAPI by design: the pyfunc model
# subclasses mlflow.pyfunc.PythonModel. It is imported only by `qadapter serve` and by the
# pipeline, never by the rest of the library or the CLI's start-up.
SERVING = "qadapter.serving."

SCRIPT = """
import importlib, json, pkgutil, sys
import qadapter
names = sorted(m.name for m in pkgutil.walk_packages(qadapter.__path__, "qadapter."))
for name in names:
    if not name.startswith(SERVING):
        importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_importing_every_library_module_never_imports_pipeline_packages():
    out = subprocess.run(
        [sys.executable, "-c", f"SERVING = {SERVING!r}\n{SCRIPT}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert {
        "qadapter.cli",
        "qadapter.train",
        "qadapter.dpo",
        "qadapter.stages",
        "qadapter.checkpoint",
    } <= set(report["modules"])
    assert "torch" in report["loaded"]  # the check can see imports at all
    assert [m for m in PIPELINE_ONLY if m in report["loaded"]] == []
    assert "qadapter.serving.pyfunc" in report["modules"]  # the exclusion names real modules


def test_dpo_stage_without_trl_is_one_clear_error(monkeypatch):
    from qadapter.dpo import DPOStageConfig, align_base
    from qadapter.errors import QAdapterError

    monkeypatch.setitem(sys.modules, "trl", None)  # import trl now raises ImportError
    with pytest.raises(
        QAdapterError, match=r"needs TRL, which is not installed; pip install 'qadapter\[dpo\]'"
    ):
        align_base(None, [], "/nonexistent", DPOStageConfig())
