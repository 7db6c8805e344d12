"""The adapter as an MLflow pyfunc model, against CustomizedDecoder run directly on the adapter.

The references decode the original adapter directory (not the logged copy) with
``CustomizedDecoder.from_adapter`` at the same alpha0 / alpha_tilde, so a logged model that lost a
parent, read the wrong alpha0, or decoded with another rule gives different text. The server tests
start a real ``mlflow models serve`` on 127.0.0.1 for a registered version.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import mlflow
import pandas as pd
import pytest
import torch
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.decode import CustomizedDecoder, SamplingConfig
from qadapter.meta import AdapterError, adapter_hash, read_meta
from qadapter.models import ModelError, load_base
from qadapter.serving.pyfunc import adapter_dir_in, log_adapter_model
from qadapter.stack import Stack

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_ENABLE_TELEMETRY", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

CHAT = [{"role": "user", "content": "How do I bake bread?"}]
CHAT2 = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "What is the capital of France?"},
]
NEW = 8  # max_new_tokens in every comparison


def make_adapter(
    out: Path, *, seed: int, alpha0: float, alpha_tilde: float, parent=None, head: str = "residual"
) -> Path:
    """A tiny adapter with random LoRA factors (scale 0.3), trained on ``parent`` if given."""
    base = load_base("tiny")
    stack = Stack.load(parent, base.model, base.content_hash) if parent else None
    cfg = AdapterConfig(head=head, lora_r=4, lora_alpha=8, lora_dropout=0.0)
    model = QAdapter(base.model, cfg, parent=stack, seed=seed)
    g = torch.Generator().manual_seed(100 + seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    record = {"alpha0": alpha0, "alpha_tilde": alpha_tilde, "gamma": 0.99}
    save_adapter(model, out, {**record, "base_model": base.name, "base_hash": base.content_hash})
    return out


def reference(adapter_dir, chats, *, alpha0=None, alpha_tilde=None, **sampling) -> list[str]:
    """Text of CustomizedDecoder on the original adapter directory."""
    base = load_base("tiny")
    dec = CustomizedDecoder.from_adapter(adapter_dir, base, alpha0=alpha0, alpha_tilde=alpha_tilde)
    cfg = SamplingConfig(max_new_tokens=NEW, **({"greedy": True} | sampling))
    return dec.generate_text(base.tokenizer, chats, cfg)


def store(tmp_path: Path) -> tuple[MlflowClient, str, str]:
    """A SQLite tracking store in tmp_path with one experiment; (client, uri, run id)."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri)
    exp = client.create_experiment("pyfunc", artifact_location=(tmp_path / "art").as_uri())
    return client, uri, client.create_run(exp).info.run_id


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """An adapter (alpha0 = 1, alpha_tilde = 0.5: the fused single-pass path) logged on a run."""
    tmp = tmp_path_factory.mktemp("pyfunc")
    adapter = make_adapter(tmp / "adapter", seed=1, alpha0=1.0, alpha_tilde=0.5)
    client, uri, run_id = store(tmp)
    model_uri = log_adapter_model(client, run_id, adapter)
    return {
        "adapter": adapter,
        "client": client,
        "uri": uri,
        "run_id": run_id,
        "model_uri": model_uri,
        "tmp": tmp,
    }


@pytest.fixture(scope="module")
def pyfunc_model(logged):
    return mlflow.pyfunc.load_model(logged["model_uri"])


def test_logged_model_is_on_the_run_and_holds_the_adapter(logged, tmp_path):
    client, run_id = logged["client"], logged["run_id"]
    assert mlflow.active_run() is None  # no fluent run leaked
    run = client.get_run(run_id)
    assert logged["model_uri"] == f"{run.info.artifact_uri}/model"
    assert {f.path for f in client.list_artifacts(run_id)} == {"model"}
    local = Path(mlflow.artifacts.download_artifacts(logged["model_uri"], dst_path=str(tmp_path)))
    inside = adapter_dir_in(local)
    assert inside == local / "artifacts" / "adapters" / "adapter"
    assert adapter_hash(inside) == adapter_hash(logged["adapter"])
    assert read_meta(inside) == read_meta(logged["adapter"])
    sig = mlflow.models.get_model_info(str(local)).signature
    assert [c.name for c in sig.inputs.inputs] == ["messages", "prompt"]
    defaults = {p.name: p.default for p in sig.params.params}
    assert defaults == {
        "alpha0": 1.0,
        "alpha_tilde": 0.5,
        "temperature": 0.0,
        "max_new_tokens": 128,
        "seed": 0,
    }


def test_base_is_checked_and_can_be_pointed_elsewhere(logged, monkeypatch):
    monkeypatch.setenv("QADAPTER_SERVE_BASE", "tiny:1")  # another base: its hash differs
    with pytest.raises(AdapterError, match="loaded base hashes to"):
        mlflow.pyfunc.load_model(logged["model_uri"])
    monkeypatch.setenv("QADAPTER_SERVE_BASE", "/nonexistent/base")
    with pytest.raises(ModelError, match="set QADAPTER_SERVE_BASE to its directory"):
        mlflow.pyfunc.load_model(logged["model_uri"])
    monkeypatch.setenv("QADAPTER_SERVE_BASE", "tiny:0")  # the recorded base, named explicitly
    got = mlflow.pyfunc.load_model(logged["model_uri"]).predict(
        {"messages": CHAT}, params={"max_new_tokens": NEW}
    )
    assert list(got) == reference(logged["adapter"], [CHAT])


def test_adapter_dir_in_plain_directory_and_refusal(logged, tmp_path):
    assert adapter_dir_in(logged["adapter"]) == logged["adapter"]
    with pytest.raises(AdapterError, match="neither a qadapter pyfunc model"):
        adapter_dir_in(tmp_path)


class _Payload:
    """A pickle payload: unpickling it creates the file ``path`` (what an attacker would run)."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_a_registered_version_unpickles_nothing(logged, tmp_path, monkeypatch):
    """The model is saved from code (no python_model.pkl); a pickle planted next to MLmodel in
    the stored artifacts of a registered version is never read by load_model."""
    import pickle

    client = logged["client"]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", logged["uri"])
    name = "pickle-probe"
    client.create_registered_model(name)
    mv = client.create_model_version(name, logged["model_uri"], run_id=logged["run_id"])
    stored = Path(mlflow.artifacts.download_artifacts(logged["model_uri"], dst_path=str(tmp_path)))
    assert not list(stored.rglob("*.pkl")) and (stored / "pyfunc_model.py").is_file()
    flavor = mlflow.models.Model.load(str(stored)).flavors["python_function"]
    assert "python_model" not in flavor and flavor["model_code_path"].endswith("pyfunc_model.py")

    art_root = Path(client.get_run(logged["run_id"]).info.artifact_uri.removeprefix("file://"))
    probe = tmp_path / "payload-ran"
    planted = art_root / "model" / "python_model.pkl"
    planted.write_bytes(pickle.dumps(_Payload(probe)))
    try:
        pickle.loads(planted.read_bytes())  # the payload is real: unpickling runs it
        assert probe.exists()
        probe.unlink()
        model = mlflow.pyfunc.load_model(f"models:/{name}/{mv.version}")
        got = model.predict({"messages": CHAT}, params={"max_new_tokens": NEW})
        assert not probe.exists(), "load_model unpickled the planted python_model.pkl"
        assert list(got) == reference(logged["adapter"], [CHAT])
    finally:
        planted.unlink()


def test_predict_is_typed_so_mlflow_does_not_warn_on_every_load():
    """MLflow checks ``predict``'s type hint once per class (cached) and, without one, prints
    "Add type hints to the `predict` method" on every process that loads a model (``qadapter
    info``, ``serve``). The hint is a DataFrame, from which MLflow infers no schema: the logged
    signature stays the contract, and the check returns no type-hint validation."""
    import warnings

    from mlflow.pyfunc.utils.data_validation import _get_func_info_if_type_hint_supported

    from qadapter.serving.pyfunc import QAdapterModel

    fn = QAdapterModel.predict
    _get_func_info_if_type_hint_supported.cache_clear()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert _get_func_info_if_type_hint_supported(fn) is None  # no validation by hint
    assert not [w for w in seen if "type hints" in str(w.message)]

    def untyped(self, context, model_input, params=None): ...

    with warnings.catch_warnings(record=True) as seen:  # the check itself still warns
        warnings.simplefilter("always")
        _get_func_info_if_type_hint_supported(untyped)
    assert [w for w in seen if "Add type hints" in str(w.message)]


def test_greedy_text_equals_the_decoder(logged, pyfunc_model):
    adapter = logged["adapter"]
    got = pyfunc_model.predict(
        pd.DataFrame({"messages": [CHAT, CHAT2]}), params={"max_new_tokens": NEW}
    )
    assert list(got) == reference(adapter, [CHAT, CHAT2])
    # one conversation as a dict (the form of MLflow's {"messages": [...]} request), and prompts
    one = pyfunc_model.predict({"messages": CHAT}, params={"max_new_tokens": NEW})
    assert list(one) == reference(adapter, [CHAT])
    prompt = pyfunc_model.predict(
        pd.DataFrame({"prompt": [CHAT[0]["content"]]}), params={"max_new_tokens": NEW}
    )
    assert list(prompt) == list(one)


def test_alpha_params_change_the_policy_used(logged, pyfunc_model):
    adapter, chats = logged["adapter"], [CHAT, CHAT2]
    default = reference(adapter, chats)
    for a0, at in ((0.5, None), (2.0, 0.7)):
        want = reference(adapter, chats, alpha0=a0, alpha_tilde=at)
        params = {"max_new_tokens": NEW, "alpha0": a0} | ({"alpha_tilde": at} if at else {})
        got = pyfunc_model.predict(pd.DataFrame({"messages": chats}), params=params)
        assert list(got) == want
        assert want != default  # the override moved the policy (else this test proves nothing)
    # back to the default after an override
    again = pyfunc_model.predict(pd.DataFrame({"messages": chats}), params={"max_new_tokens": NEW})
    assert list(again) == default


def test_sampling_is_seeded(logged, pyfunc_model):
    adapter = logged["adapter"]
    params = {"max_new_tokens": NEW, "temperature": 1.5}
    texts = {}
    for seed in (3, 4):
        got = pyfunc_model.predict({"messages": CHAT}, params=params | {"seed": seed})
        want = reference(adapter, [CHAT], greedy=False, temperature=1.5, seed=seed)
        assert list(got) == want
        texts[seed] = want[0]
    assert texts[3] != texts[4]


def test_stacked_adapter_is_logged_self_contained(tmp_path):
    level1 = make_adapter(tmp_path / "level1", seed=1, alpha0=0.7, alpha_tilde=0.5)
    level2 = make_adapter(
        tmp_path / "level2", seed=2, alpha0=1.3, alpha_tilde=0.8, parent=level1, head="logits"
    )
    assert read_meta(level2)["parent"] == str(level1.resolve())
    (level2 / "checkpoints" / "step-1").mkdir(parents=True)  # what a resumable run leaves
    (level2 / "checkpoints" / "step-1" / "optimizer.pt").write_bytes(b"0" * 1024)
    want = reference(level2, [CHAT, CHAT2])
    want_a0 = reference(level2, [CHAT, CHAT2], alpha0=0.4)
    assert want_a0 != want
    client, _, run_id = store(tmp_path)
    model_uri = log_adapter_model(client, run_id, level2)
    shutil.rmtree(level1)  # the logged copy must not need the original parent
    shutil.rmtree(level2)
    local = Path(mlflow.artifacts.download_artifacts(model_uri, dst_path=str(tmp_path / "dl")))
    top = adapter_dir_in(local)
    assert read_meta(top)["parent"] == "../parent-1"
    assert read_meta(top.parent / "parent-1").get("parent") is None
    assert sorted(p.name for p in top.parent.iterdir()) == ["adapter", "parent-1"]
    assert not (top / "checkpoints").exists()  # training leftovers stay behind
    model = mlflow.pyfunc.load_model(model_uri)
    frame = pd.DataFrame({"messages": [CHAT, CHAT2]})
    assert list(model.predict(frame, params={"max_new_tokens": NEW})) == want
    assert list(model.predict(frame, params={"max_new_tokens": NEW, "alpha0": 0.4})) == want_a0


def test_concurrent_requests_do_not_mix(logged, pyfunc_model):
    """MLflow's server predicts in worker threads; the decoders share row-group state that
    depends on the batch size, so requests of different sizes must not interleave."""
    from concurrent.futures import ThreadPoolExecutor

    batches = ((CHAT,), (CHAT, CHAT2), (CHAT2, CHAT, CHAT))
    cases = [(a0, b) for a0 in (1.0, 0.5, 2.0) for b in range(len(batches))] * 2
    want = {
        (a0, b): reference(logged["adapter"], list(batches[b]), alpha0=a0) for a0, b in set(cases)
    }

    def ask(case):
        a0, b = case
        frame = pd.DataFrame({"messages": list(batches[b])})
        return list(pyfunc_model.predict(frame, params={"max_new_tokens": NEW, "alpha0": a0}))

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(ask, cases))
    assert answers == [want[case] for case in cases]


def test_registry_parent_is_fetched_and_bundled(tmp_path, monkeypatch):
    """A child whose parent is a models:/ reference (a re-customization on the champion)."""
    from qadapter import registry
    from qadapter.meta import register_resolver, update_meta

    client, uri, run_id = store(tmp_path)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    level1 = make_adapter(tmp_path / "level1", seed=1, alpha0=0.7, alpha_tilde=0.5)
    client.create_registered_model("pf-parent")
    source = log_adapter_model(client, run_id, level1)
    client.create_model_version("pf-parent", source, run_id=run_id)
    level2 = make_adapter(tmp_path / "level2", seed=2, alpha0=1.3, alpha_tilde=0.8, parent=level1)
    want = reference(level2, [CHAT, CHAT2])
    update_meta(level2, parent="models:/pf-parent/1")  # not part of the hash
    shutil.rmtree(level1)  # only the registry has it now
    registry.install()
    try:
        run2 = client.create_run(client.get_run(run_id).info.experiment_id).info.run_id
        model_uri = log_adapter_model(client, run2, level2)
    finally:
        register_resolver("models", None)
    local = Path(mlflow.artifacts.download_artifacts(model_uri, dst_path=str(tmp_path / "dl")))
    top = adapter_dir_in(local)
    assert read_meta(top)["parent"] == "../parent-1"
    assert adapter_hash(top.parent / "parent-1") == read_meta(top)["parent_hash"]
    frame = pd.DataFrame({"messages": [CHAT, CHAT2]})
    got = mlflow.pyfunc.load_model(model_uri).predict(frame, params={"max_new_tokens": NEW})
    assert list(got) == want


@pytest.mark.parametrize(
    "data,params,match",
    [
        ({"messages": []}, {}, "'messages' must be a non-empty list"),
        (pd.DataFrame({"foo": ["x"]}), {}, "needs a 'messages' column .* or a 'prompt' column"),
        ([{"messages": [{"role": "user"}]}], {}, "Missing required properties: {'content'}"),
        ([{"messages": [{"role": "robot", "content": "hi"}]}], {}, "role 'robot' is not one of"),
        (pd.DataFrame({"prompt": [""]}), {}, "neither 'messages' nor a non-empty string"),
        ({"prompt": ["a", "b"]}, {}, "'prompt' must be one string"),
        ({"prompt": "hi"}, {"max_new_tokens": "many"}, "max_new_tokens"),
        ({"prompt": "hi"}, {"max_new_tokens": 0}, "max_new_tokens"),
        ({"prompt": "hi"}, {"temperature": -1.0}, "temperature must be >= 0"),
        ({"prompt": "hi"}, {"alpha_tilde": 0.0}, "alpha_tilde"),
    ],
)
def test_bad_requests_are_invalid_parameter_values(pyfunc_model, data, params, match):
    with pytest.raises(MlflowException, match=match) as info:
        pyfunc_model.predict(data, params=params)
    assert info.value.error_code == "INVALID_PARAMETER_VALUE"
    assert info.value.get_http_status_code() == 400


# ---- a real `mlflow models serve` ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body) -> tuple[int, object]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class Served:
    """``mlflow models serve -m MODEL --env-manager local`` on 127.0.0.1:free port."""

    def __init__(self, model: str, tracking_uri: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        bin_dir = Path(sys.executable).parent  # mlflow execs `uvicorn` from PATH: the venv's
        env = dict(os.environ, MLFLOW_TRACKING_URI=tracking_uri, OMP_NUM_THREADS="1")
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        mlflow_bin = bin_dir / "mlflow"
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(
            [
                str(mlflow_bin),
                "models",
                "serve",
                "-m",
                model,
                "--env-manager",
                "local",
                "-p",
                str(self.port),
                "-h",
                "127.0.0.1",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)  # poll interval of the health check, not a wait for readiness
        raise AssertionError(f"server not healthy after {timeout}s: {self.tail()}")

    def tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def group(self) -> list[tuple[int, str]]:
        """(pid, state) of every process still in the server's process group (zombies too)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # fields: state, ppid, pgrp, ...
                found.append((int(stat.parent.name), fields[0]))
        return found

    def stop(self) -> None:
        """Stop uvicorn first (so `mlflow`, its parent, reaps it), then reap `mlflow` itself."""
        if self.proc.poll() is None:
            for pid, _ in self.group():
                if pid != self.proc.pid:
                    os.kill(pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def registered(logged):
    client, name = logged["client"], "hh-qadapter-test"
    client.create_registered_model(name)
    mv = client.create_model_version(name, logged["model_uri"], run_id=logged["run_id"])
    client.set_registered_model_alias(name, "champion", mv.version)
    return name, mv.version


@pytest.fixture(scope="module")
def server(logged, registered):
    name, version = registered
    srv = Served(f"models:/{name}/{version}", logged["uri"], logged["tmp"] / "serve.log")
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()
    assert srv.group() == []  # nothing left behind, not even a zombie


@pytest.mark.integration
def test_served_version_answers_with_the_decoder_text(logged, server):
    adapter = logged["adapter"]
    body = {
        "dataframe_records": [{"messages": CHAT}, {"messages": CHAT2}],
        "params": {"max_new_tokens": NEW},
    }
    status, out = post(f"{server.url}/invocations", body)
    assert status == 200, out
    assert out == {"predictions": reference(adapter, [CHAT, CHAT2])}
    # the chat form: top-level messages, params beside them; the text comes back unwrapped
    status, out = post(
        f"{server.url}/invocations", {"messages": CHAT, "max_new_tokens": NEW, "alpha0": 0.5}
    )
    assert status == 200, out
    assert out == reference(adapter, [CHAT], alpha0=0.5)
    status, out = post(
        f"{server.url}/invocations",
        {"inputs": [{"prompt": CHAT[0]["content"]}], "params": {"max_new_tokens": NEW}},
    )
    assert status == 200, out
    assert out == {"predictions": reference(adapter, [CHAT])}
    # the completions form: a top-level prompt string
    status, out = post(
        f"{server.url}/invocations", {"prompt": CHAT2[1]["content"], "max_new_tokens": NEW}
    )
    assert status == 200, out
    assert out == reference(adapter, [[CHAT2[1]]])


@pytest.mark.integration
@pytest.mark.parametrize(
    "body,match",
    [
        ({"dataframe_records": [{"question": "hi"}]}, "needs a 'messages' column"),
        ({"messages": []}, "'messages' must be a non-empty list"),
        ({"messages": CHAT, "max_new_tokens": "many"}, "max_new_tokens"),
        ({"dataframe_records": [{"messages": CHAT}], "params": {"alpha0": "high"}}, "alpha0"),
        (b"{not json", "Invalid"),
    ],
)
def test_served_bad_requests_get_a_clear_400(server, body, match):
    status, out = post(f"{server.url}/invocations", body)
    assert status == 400, out
    assert out["error_code"] in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST"), out
    assert match in out["message"]
    assert "Traceback" not in json.dumps(out)
    assert server.proc.poll() is None  # still serving


@pytest.mark.integration
def test_served_by_alias(logged, registered, tmp_path):
    name, _ = registered
    srv = Served(f"models:/{name}@champion", logged["uri"], tmp_path / "serve.log")
    try:
        srv.wait_healthy()
        status, out = post(f"{srv.url}/invocations", {"messages": CHAT2, "max_new_tokens": NEW})
        assert status == 200, out
        assert out == reference(logged["adapter"], [CHAT2])
    finally:
        srv.stop()
    assert srv.group() == []  # nothing left behind, not even a zombie
