"""qadapter.registry against a real MLflow store (SQLite in tmp, real model versions).

Adapters are random-LoRA adapters on the tiny base, saved with ``save_adapter`` and registered
as a run's ``adapter`` artifact, the way the customize flow registers them. A resolved reference
must give back the very adapter registered (its content hash), by number and by alias, with
``models:/`` parents downloaded too; unknown names, versions and aliases are one line that says
what exists.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import torch

from qadapter import registry as R
from qadapter.adapter import AdapterConfig, QAdapter, load_adapter, save_adapter
from qadapter.meta import adapter_hash, read_meta, verified_lineage
from qadapter.models import load_base
from qadapter.stack import Stack

NAME = "hh-qadapter"


def build_adapter(directory: Path, seed: int, *, parent: Path | None = None, ref=None) -> Path:
    """A tiny-base adapter with random LoRA weights (seeded); on ``parent`` when given, recorded
    with the parent reference ``ref`` (e.g. models:/NAME/1)."""
    base = load_base("tiny")
    stack = Stack.load(parent, base.model, base.content_hash) if parent else None
    model = QAdapter(
        base.model, AdapterConfig(head="residual", lora_r=2, lora_alpha=4), parent=stack
    )
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    meta = {"alpha0": 0.5 + seed / 10, "alpha_tilde": 0.7, "gamma": 0.9}
    meta.update(base_model=base.name, base_hash=base.content_hash)
    if ref:
        meta["parent"] = ref
    return save_adapter(model, directory, meta)


def register(c, experiment: str, adapter_dir: Path, *, name=NAME, metrics=None, parent_run=None):
    """A run holding the adapter as its ``adapter`` artifact, registered as a new version."""
    tags = {"mlflow.parentRunId": parent_run} if parent_run else {}
    run = c.create_run(experiment, tags=tags).info.run_id
    for k, v in (metrics or {}).items():
        c.log_metric(run, k, v)
    c.log_artifacts(run, str(adapter_dir), "adapter")
    if not c.search_registered_models(f"name = '{name}'"):
        c.create_registered_model(name)
    source = f"{c.get_run(run).info.artifact_uri}/adapter"
    return str(c.create_model_version(name, source=source, run_id=run).version)


class Store:
    """A SQLite MLflow store in tmp with three registered versions of two adapters."""

    def __init__(self, root: Path):
        from mlflow import MlflowClient

        self.root = root
        self.uri = f"sqlite:///{root / 'mlflow.db'}"
        self.c = MlflowClient(tracking_uri=self.uri, registry_uri=self.uri)
        self.exp = self.c.create_experiment("t", artifact_location=(root / "art").as_uri())
        self.dirs = [build_adapter(root / f"a{i}", seed=i) for i in (1, 2)]
        self.parent_run = self.c.create_run(self.exp).info.run_id
        self.c.log_metric(self.parent_run, "winrate.harmless", 62.5)
        self.c.log_metric(self.parent_run, "probe.delta", -1.25)
        self.versions = [
            register(self.c, self.exp, self.dirs[0], metrics={"final.loss": 0.75}),
            register(
                self.c,
                self.exp,
                self.dirs[1],
                metrics={"final.loss": 0.5},
                parent_run=self.parent_run,
            ),
            register(self.c, self.exp, self.dirs[0]),
        ]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("registry")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root / 'mlflow.db'}")
        mp.setenv("QADAPTER_CACHE", str(root / "cache"))
        yield Store(root)


@pytest.fixture
def fresh_cache(store):
    """No downloaded versions and nothing resolved yet in this process."""
    shutil.rmtree(store.root / "cache" / "registry", ignore_errors=True)
    R._RESOLVED.clear()
    R._STORES.clear()
    return store.root / "cache" / "registry"


def test_parse_ref_accepts_four_forms_and_refuses_others(tmp_path):
    assert R.parse_ref("models:/hh-qadapter/3") == R.Ref("hh-qadapter", "3", None)
    assert R.parse_ref("models:/hh-qadapter@champion") == R.Ref("hh-qadapter", None, "champion")
    assert R.parse_ref("hh-qadapter/12") == R.Ref("hh-qadapter", "12", None)
    assert R.parse_ref("my.model@previous-champion").alias == "previous-champion"
    assert str(R.parse_ref("hh-qadapter@champion")) == "models:/hh-qadapter@champion"
    for bad in ("models:/hh-qadapter", "models:/a/b/3", "hh-qadapter/x", "@champion", ""):
        with pytest.raises(R.RegistryError, match="models:/NAME/VERSION"):
            R.parse_ref(bad)
    assert R.is_model_ref("models:/x/1") and R.is_model_ref("x@champion")
    (tmp_path / "out" / "3").mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:  # restores the working directory afterwards
        mp.chdir(tmp_path)  # an existing directory that looks like NAME/VERSION is a directory
        assert not R.is_model_ref("out/3") and R.is_model_ref("models:/out/3")
    assert not R.is_model_ref(tmp_path) and not R.is_model_ref("runs/adapter")
    # written as a reference but malformed (MLflow's old stage form): the reference's own error
    assert R.is_model_ref("models:/hh-qadapter/champion")
    with pytest.raises(R.RegistryError, match="an alias follows @") as e:
        R.resolve_adapter("models:/hh-qadapter/champion")
    assert str(e.value).startswith("'models:/hh-qadapter/champion' is not a registry reference")


def test_set_alias_get_version_and_promote_twice(store):
    c, (v1, v2, v3) = store.c, store.versions
    R.set_alias(NAME, v2, "candidate", client=c)
    assert str(R.get_version(NAME, "candidate", client=c).version) == v2
    assert str(R.get_version(NAME, v3, client=c).version) == v3

    assert R.promote(NAME, v1, client=c) == {"champion": v1, "previous-champion": None,
                                             "changed": True}  # fmt: skip
    assert R.promote(NAME, v2, client=c) == {"champion": v2, "previous-champion": v1,
                                             "changed": True}  # fmt: skip
    # the current champion again: nothing moves
    assert R.promote(NAME, v2, client=c) == {"champion": v2, "previous-champion": v1,
                                             "changed": False}  # fmt: skip
    assert R.promote(NAME, v3, client=c)["previous-champion"] == v2
    aliases = {a: str(v) for a, v in c.get_registered_model(NAME).aliases.items()}
    assert (aliases["champion"], aliases["previous-champion"], aliases["candidate"]) == (v3, v2, v2)
    R.promote(NAME, v2, client=c)  # back to v2 (v3 becomes previous) for the other tests
    assert str(c.get_registered_model(NAME).aliases["previous-champion"]) == v3


def test_describe_and_list_versions(store):
    c, (v1, v2, v3) = store.c, store.versions
    fields = {"alpha0": 0.125, "winrate.harmless": 61.23456789, "parent": None, "profile": "tiny"}
    R.describe_version(NAME, v2, fields, client=c)
    mv = c.get_model_version(NAME, v2)
    assert {k: mv.tags[k] for k in fields} == {
        "alpha0": "0.125",
        "winrate.harmless": "61.23456789",
        "parent": "none",
        "profile": "tiny",
    }
    for row in ("| alpha0 | 0.125 |", "| winrate.harmless | 61.2346 |", "| parent | none |"):
        assert row in mv.description
    rows = {r["version"]: r for r in R.list_versions(NAME, client=c)}
    assert list(rows) == [v1, v2, v3]
    assert rows[v2]["tags"]["alpha0"] == "0.125"
    # the version's run metrics over its parent run's (the flow's summary metrics)
    assert rows[v2]["metrics"] == {
        "final.loss": 0.5,
        "winrate.harmless": 62.5,
        "probe.delta": -1.25,
    }
    assert rows[v1]["metrics"] == {"final.loss": 0.75} and rows[v3]["metrics"] == {}
    aliases = c.get_registered_model(NAME).aliases
    for v, row in rows.items():
        assert row["aliases"] == sorted(a for a, av in aliases.items() if str(av) == v)
    assert rows[v2]["source"].endswith("/adapter") and rows[v2]["created"] > 0


def test_resolve_by_version_and_alias_gives_the_registered_adapter(store, fresh_cache, monkeypatch):
    v1, v2, _ = store.versions
    got1 = R.resolve_adapter(f"models:/{NAME}/{v1}")
    assert got1 == fresh_cache / R.store_key(store.c) / NAME / v1
    assert adapter_hash(got1) == adapter_hash(store.dirs[0])
    R.set_alias(NAME, v2, "candidate", client=store.c)
    got2 = R.resolve_adapter(f"{NAME}@candidate")
    assert adapter_hash(got2) == adapter_hash(store.dirs[1]) != adapter_hash(got1)
    assert R.pinned(f"{NAME}@candidate") == f"models:/{NAME}/{v2}"

    import mlflow.artifacts

    calls = []
    real = mlflow.artifacts.download_artifacts
    monkeypatch.setattr(mlflow.artifacts, "download_artifacts", lambda **k: calls.append(k))
    assert R.resolve_adapter(f"models:/{NAME}/{v1}") == got1  # cached: no download
    assert calls == []
    (got1 / R.MARKER).write_text('{"source": "elsewhere"}')  # another store's version 1
    monkeypatch.setattr(mlflow.artifacts, "download_artifacts", lambda **k: calls.append(k) or
                        real(**k))  # fmt: skip
    assert adapter_hash(R.resolve_adapter(f"models:/{NAME}/{v1}")) == adapter_hash(store.dirs[0])
    assert len(calls) == 1
    assert R.resolve_adapter(store.dirs[0]) == store.dirs[0]  # a directory is itself


def test_two_stores_never_share_a_download(store, fresh_cache, tmp_path):
    """Version 1 of hh-qadapter in two stores (two tracking servers, or the tests' store beside a
    real one on the same machine): each keeps its own download. With one directory per
    NAME/VERSION, a process resolving one store's version replaced the other's while a flow run
    was using it."""
    from mlflow import MlflowClient

    uri = f"sqlite:///{tmp_path / 'other.db'}"
    other = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exp = other.create_experiment("o", artifact_location=(tmp_path / "art").as_uri())
    adapter = build_adapter(tmp_path / "o1", seed=7)
    v = register(other, exp, adapter)
    assert v == store.versions[0]  # the same name and version number in both stores
    mine = R.resolve_adapter(f"models:/{NAME}/{v}")
    theirs = R.resolve_adapter(f"models:/{NAME}/{v}", tracking_uri=uri)
    assert mine != theirs and R.store_key(other) != R.store_key(store.c)
    assert adapter_hash(theirs) == adapter_hash(adapter)
    assert adapter_hash(mine) == adapter_hash(store.dirs[0])  # untouched by the other download

    # In one process too: a stack downloaded from the other store finds its models:/ parent in
    # that store, even after this store's NAME/1 was resolved last (before, the last one won and
    # the lineage check refused the stack: "parent_hash mismatch").
    child = build_adapter(tmp_path / "oc", seed=8, parent=theirs, ref=f"models:/{NAME}/{v}")
    vc = register(other, exp, child, name="stacked-other")
    theirs_child = R.resolve_adapter(f"models:/stacked-other/{vc}", tracking_uri=uri)
    assert R.resolve_adapter(f"models:/{NAME}/{v}") == mine
    chain = verified_lineage(theirs_child)
    assert [adapter_hash(d) for d, _ in chain] == [adapter_hash(adapter), adapter_hash(child)]
    assert chain[0][0] == theirs


def test_stacked_adapter_whose_parent_is_a_registry_reference(store, fresh_cache):
    v1 = store.versions[0]
    parent_dir = R.resolve_adapter(f"models:/{NAME}/{v1}")
    child = build_adapter(
        store.root / "child", seed=5, parent=parent_dir, ref=f"models:/{NAME}/{v1}"
    )
    assert read_meta(child)["parent"] == f"models:/{NAME}/{v1}"
    v_child = register(store.c, store.exp, child, name="stacked")

    shutil.rmtree(fresh_cache)  # nothing downloaded: the parent must come from the registry too
    R._RESOLVED.clear()
    got = R.resolve_adapter(f"models:/stacked/{v_child}")
    assert (fresh_cache / R.store_key(store.c) / NAME / v1 / "qadapter.json").is_file()
    chain = verified_lineage(got)  # through the installed models:/ resolver
    assert [adapter_hash(d) for d, _ in chain] == [adapter_hash(store.dirs[0]), adapter_hash(child)]
    base = load_base("tiny")
    assert Stack.load(got, base.model, base.content_hash).depth == 2


def test_unknown_names_versions_aliases_and_store_are_one_line(store, tmp_path):
    v1, v2, v3 = store.versions
    cases = {
        f"models:/{NAME}/99": f"has no version 99 (versions: {v1}, {v2}, {v3})",
        f"models:/{NAME}@gold": "has no alias 'gold' (aliases: ",
        "models:/nope/1": f"no registered model 'nope' in sqlite:///{store.root}",
    }
    for ref, expected in cases.items():
        with pytest.raises(R.RegistryError) as e:
            R.resolve_adapter(ref)
        assert expected in str(e.value) and "\n" not in str(e.value)
    missing = tmp_path / "none.db"
    with pytest.raises(R.RegistryError, match="no MLflow tracking store at .*none.db"):
        R.resolve_adapter(f"models:/{NAME}/1", tracking_uri=f"sqlite:///{missing}")
    assert not missing.exists()  # not created by looking


def test_base_mismatch_names_the_reference(store, fresh_cache):
    ref = f"models:/{NAME}/{store.versions[0]}"
    path = R.resolve_adapter(ref)
    base = load_base("tiny")
    with pytest.raises(R.AdapterError) as e, R.naming(ref):
        load_adapter(path, base.model, "0" * 64)
    msg = str(e.value)
    assert msg.startswith(f"{ref} (downloaded to {path}): adapter was trained on base")


def test_qadapter_stage_registers_a_servable_version_that_resolves(tmp_path, monkeypatch):
    """The pipeline's registration: pyfunc model as the source, plain adapter kept, tags set."""
    from tasks import stages as T
    from tasks import tracking
    from tasks.experiment import data_hashes, experiment

    monkeypatch.setenv("QADAPTER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    R._RESOLVED.clear()
    cfg = experiment("tiny", skip_base_stage=True, max_steps=1)
    hashes = data_hashes(cfg)
    c = tracking.client()
    parent = c.create_run(tracking.experiment_id(c)).info.run_id  # no Prefect server needed
    hb = T.helpful_base.fn(cfg, hashes, parent)
    qa = T.qadapter.fn(cfg, hashes, hb, parent)

    mv = c.get_model_version(NAME, qa["model_version"])
    run = c.get_run(qa["mlflow_run_id"])
    assert mv.source == f"{run.info.artifact_uri}/model" and mv.run_id == run.info.run_id
    plain = {a.path for a in c.list_artifacts(run.info.run_id, "adapter")}
    assert {"adapter/qadapter.json", "adapter/adapter_model.safetensors"} <= plain
    method = cfg.train.method
    assert mv.tags == {
        "alpha0": str(method.alpha0),
        "alpha_tilde": str(method.alpha_tilde),
        "data_hash": qa["data_hash"],
        "base_hash": hb["base_hash"],
        "parent": "none",
        "parent_hash": "none",
        "profile": "tiny",
    }
    R.promote(NAME, qa["model_version"], client=c)
    got = R.resolve_adapter(f"models:/{NAME}@{R.CHAMPION}")
    assert got.parts[-3:] == ("artifacts", "adapters", "adapter")  # inside the pyfunc model
    assert adapter_hash(got) == adapter_hash(qa["adapter_dir"])

    # after the judge stage (flows/customize.py): the version's picking fields
    metrics = {"winrate.harmless": 60.5, "winrate.helpful": 49.0, "probe.delta": -0.5,
               "kl.general": 0.02, "heldout.accuracy": 0.75}  # fmt: skip
    fields = tracking.version_fields("tiny", method, hb["base_hash"], qa, metrics)
    assert "heldout.accuracy" not in fields and fields["winrate.helpful"] == 49.0
    R.describe_version(NAME, qa["model_version"], fields, client=c)
    (row,) = R.list_versions(NAME, client=c)
    assert row["aliases"] == ["champion"] and row["tags"]["probe.delta"] == "-0.5"
    assert row["metrics"]["final.loss"] == qa["metrics"]["loss"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_tracking_server_is_one_line_and_fast():
    import time

    t0 = time.perf_counter()
    with pytest.raises(R.RegistryError, match="no MLflow tracking server answers at http://127"):
        R.resolve_adapter(f"models:/{NAME}/1", tracking_uri=f"http://127.0.0.1:{_free_port()}")
    assert time.perf_counter() - t0 < 10  # MLflow's client alone retries for minutes


@pytest.mark.integration
def test_resolve_through_a_tracking_server_with_proxied_artifacts(tmp_path, monkeypatch):
    """The local stack's set-up (make up): artifacts uploaded and downloaded through the server
    (mlflow-artifacts:/), the client holding no storage path."""
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from mlflow import MlflowClient

    port = _free_port()
    uri = f"http://127.0.0.1:{port}"
    mlflow_bin = Path(sys.executable).parent / "mlflow"
    proc = subprocess.Popen(
        [str(mlflow_bin), "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}", "--serve-artifacts",
         "--artifacts-destination", str(tmp_path / "served")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, "mlflow server exited"
            try:
                with urllib.request.urlopen(f"{uri}/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "mlflow server did not become healthy"
                time.sleep(0.5)
        monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
        c = MlflowClient(tracking_uri=uri, registry_uri=uri)
        exp = c.create_experiment("served", artifact_location="mlflow-artifacts:/served")
        adapter = build_adapter(tmp_path / "a", seed=3)
        version = register(c, exp, adapter)
        assert c.get_model_version(NAME, version).source.startswith("mlflow-artifacts:")
        R.set_alias(NAME, version, "candidate", client=R.client_for(uri))
        got = R.resolve_adapter(f"models:/{NAME}@candidate", tracking_uri=uri)
        assert adapter_hash(got) == adapter_hash(adapter)
        assert got == tmp_path / "cache" / "registry" / R.store_key(c) / NAME / version
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and its uvicorn worker
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_find_adapter_reads_the_pyfunc_layout_without_the_serving_package(tmp_path, monkeypatch):
    import sys

    parent = build_adapter(tmp_path / "m" / "artifacts" / "adapters" / "parent-1", seed=1)
    child = build_adapter(
        tmp_path / "m" / "artifacts" / "adapters" / "adapter", seed=2, parent=parent
    )
    monkeypatch.setitem(sys.modules, "qadapter.serving.pyfunc", None)  # the registry needs none
    assert R._find_adapter(tmp_path / "m") == child  # the top, not its parent
    assert R._find_adapter(parent) == parent  # qadapter.json at the top
    (tmp_path / "empty").mkdir()
    with pytest.raises(R.AdapterError, match="neither a qadapter pyfunc model"):
        R._find_adapter(tmp_path / "empty")
