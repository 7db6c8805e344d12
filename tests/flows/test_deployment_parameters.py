"""Every parameter ``prefect.yaml`` gives a deployment is a parameter of its flow (a renamed flow
parameter must be renamed there too; Prefect would refuse the run only when it starts)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_deployment_parameters_are_flow_parameters():
    deployments = yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]
    checked = 0
    for d in deployments:
        path, name = d["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        accepted = set(inspect.signature(getattr(module, name).fn).parameters)
        unknown = set(d.get("parameters") or {}) - accepted
        assert not unknown, f"{d['name']} ({d['entrypoint']}): {sorted(unknown)}"
        checked += len(d.get("parameters") or {})
    assert checked >= 10  # (the file's deployments do set parameters)
    hh_watch = next(d for d in deployments if d["name"] == "hh-watch")
    assert hh_watch["parameters"]["rehearse"] is True  # levels rehearse the lineage
