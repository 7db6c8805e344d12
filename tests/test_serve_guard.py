"""`qadapter serve` under hostile but fair clients: a stalled tracking server, big and half-sent
bodies, a full queue, a missing API key. Real servers run on 127.0.0.1 only (uvicorn in a thread
of this process, so a fake registry can be patched in); tests wait on progress (health checks,
events, socket reads), never on fixed sleeps."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
import torch
import uvicorn
from fastapi.testclient import TestClient

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.meta import AdapterError
from qadapter.models import load_base
from qadapter.serving import catalog
from qadapter.serving import server as server_module
from qadapter.serving.guard import DEFAULT_MAX_BODY, GuardConfig
from qadapter.serving.lookup import LookupConfig
from qadapter.serving.server import create_app
from qadapter.serving.startup import build_engine

MSG = [{"role": "user", "content": "How do I bake bread?"}]
N = 6


def _adapter(out, seed=1):
    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(lora_r=4, lora_alpha=8, lora_dropout=0.0), seed=seed)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    meta = {"alpha0": 1.0, "alpha_tilde": 0.5, "gamma": 0.99}
    save_adapter(model, out, {**meta, "base_model": base.name, "base_hash": base.content_hash})
    return out


@pytest.fixture(scope="module")
def adapter(tmp_path_factory):
    return _adapter(tmp_path_factory.mktemp("guard") / "adapter")


@pytest.fixture(scope="module")
def engine(adapter):
    return build_engine("tiny", [f"a={adapter}"])


def body(model="a", **kw):
    return {"model": model, "messages": MSG, "temperature": 0, "max_tokens": N, **kw}


def assert_openai_error(r, status, code):
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["code"] == code
    assert "\n" not in err["message"] and "Traceback" not in r.text
    return err["message"]


class StalledRegistry:
    """qadapter.registry's contract; resolve_adapter blocks until ``release`` is set, then says
    the version does not exist (a tracking server that never answers, then answers 404)."""

    def __init__(self):
        self.release, self.calls = threading.Event(), []

    def is_model_ref(self, ref):
        return "@" in ref or ref.rpartition("/")[2].isdigit()

    def resolve_adapter(self, ref, tracking_uri=None):
        self.calls.append(ref)
        self.release.wait(120)
        raise AdapterError(f"registered model {ref!r} does not exist")

    def install(self):
        pass


class LiveServer:
    """uvicorn on 127.0.0.1:<free port> in a thread; ``url``; stopped by ``stop()``."""

    def __init__(self, app):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(cfg)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.01)
        assert httpx.get(self.url + "/health").status_code == 200

    def stop(self):
        self.server.should_exit = True
        self.thread.join(30)


def test_a_stalled_tracking_server_never_delays_a_loaded_adapter(engine, monkeypatch):
    reg = StalledRegistry()
    monkeypatch.setattr(catalog, "registry_module", lambda: reg)
    lookup = LookupConfig(timeout=60, max_in_flight=4, negative_ttl=60)
    app = create_app(engine, default_max_tokens=N, lookup=lookup)
    live = LiveServer(app)
    try:
        with httpx.Client(base_url=live.url, timeout=120) as h:
            t0 = time.monotonic()
            want = h.post("/v1/chat/completions", json=body()).json()
            alone = time.monotonic() - t0
            stalled: dict[int, httpx.Response] = {}

            def ask_unknown(i):
                with httpx.Client(base_url=live.url, timeout=120) as c:
                    stalled[i] = c.post("/v1/chat/completions", json=body(f"x{i}/1"))

            threads = [threading.Thread(target=ask_unknown, args=(i,)) for i in range(20)]
            for t in threads:
                t.start()
            # four lookups are admitted (two run on the pool's two threads, stuck in the
            # registry; two wait for a thread); the other sixteen are answered 503 at once
            deadline = time.monotonic() + 60
            while (len(stalled) < 16 or len(reg.calls) < 2) and time.monotonic() < deadline:
                threads[0].join(0.05)
            assert app.state.lookup.in_flight == 4 and len(reg.calls) == 2
            busy = [r for r in stalled.values() if r.status_code == 503]
            assert len(busy) == 16 and all(int(r.headers["retry-after"]) >= 1 for r in busy)
            assert_openai_error(busy[0], 503, "registry_unavailable")
            t0 = time.monotonic()
            r = h.post("/v1/chat/completions", json=body())
            loaded = time.monotonic() - t0
            assert r.status_code == 200 and r.json()["choices"] == want["choices"]
            assert h.get("/health").json()["status"] == "ok"
            assert len(reg.calls) == 2 and app.state.lookup.in_flight == 4  # still stalled
            assert loaded < max(5 * alone, 2.0), (loaded, alone)
            reg.release.set()
            for t in threads:
                t.join(60)
            not_found = [r for r in stalled.values() if r.status_code == 404]
            assert (
                len(not_found) == 4 and "does not exist" in not_found[0].json()["error"]["message"]
            )
            # the negative cache answers a known-missing reference without asking the registry
            stuck = next(i for i, r in stalled.items() if r.status_code == 404)
            r = h.post("/v1/chat/completions", json=body(f"x{stuck}/1"))
            assert r.status_code == 404 and len(reg.calls) == 4
    finally:
        reg.release.set()
        live.stop()


def test_a_lookup_past_its_timeout_is_a_503_then_cached(engine, monkeypatch):
    reg = StalledRegistry()
    monkeypatch.setattr(catalog, "registry_module", lambda: reg)
    app = create_app(engine, lookup=LookupConfig(timeout=0.2, negative_ttl=60))
    try:
        with TestClient(app) as client:
            r = client.post("/v1/chat/completions", json=body("slow/1"))
            msg = assert_openai_error(r, 503, "registry_unavailable")
            assert "did not answer within 0.2 s" in msg and int(r.headers["retry-after"]) >= 1
            r = client.post("/v1/chat/completions", json=body("slow/1"))
            assert r.status_code == 503 and reg.calls == ["slow/1"]  # from the negative cache
    finally:
        reg.release.set()


@pytest.fixture(scope="module")
def guarded(engine):
    guard = GuardConfig(max_body_bytes=20_000, read_timeout=0.5, max_queue=2, api_key="k-Secret9")
    with TestClient(create_app(engine, default_max_tokens=N, guard=guard)) as c:
        yield c


AUTH = {"Authorization": "Bearer k-Secret9"}


def test_api_key_is_required_except_for_health(guarded):
    assert guarded.get("/health").status_code == 200
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "k-Secret9"}):
        r = guarded.post("/v1/chat/completions", json=body(), headers=headers)
        msg = assert_openai_error(r, 401, "invalid_api_key")
        assert "k-Secret9" not in r.text and "Authorization: Bearer" in msg
        assert guarded.get("/v1/models", headers=headers).status_code == 401
    assert guarded.get("/v1/models", headers=AUTH).status_code == 200
    assert guarded.post("/v1/chat/completions", json=body(), headers=AUTH).status_code == 200


def test_a_body_over_the_limit_is_a_413(guarded):
    big = body(messages=[{"role": "user", "content": "x" * 30_000}])
    r = guarded.post("/v1/chat/completions", json=big, headers=AUTH)
    msg = assert_openai_error(r, 413, "request_too_large")
    assert "20000 bytes" in msg and "--max-body-bytes" in msg

    def chunks():  # no Content-Length: cut off while reading
        yield b'{"model": "a", "messages": [{"role": "user", "content": "'
        for _ in range(10):
            yield b"y" * 5000
        yield b'"}]}'

    r = guarded.post("/v1/chat/completions", content=chunks(), headers=AUTH)
    assert_openai_error(r, 413, "request_too_large")
    assert DEFAULT_MAX_BODY == 4 * 1024 * 1024  # the documented default


def test_a_prompt_longer_than_any_context_is_refused_before_tokenizing(engine, monkeypatch):
    called = []
    monkeypatch.setattr(server_module, "encode_prompt", lambda *a: called.append(1) or [1])
    limit = server_module.prompt_char_limit(engine)
    with TestClient(create_app(engine, default_max_tokens=N)) as client:
        long = body(messages=[{"role": "user", "content": "z" * (limit + 1)}])
        r = client.post("/v1/chat/completions", json=long)
        assert "context" in assert_openai_error(r, 400, None) and called == []


def test_tokenizing_runs_off_the_event_loop(engine, monkeypatch):
    """While one request's prompt is being rendered (blocked here), /health still answers."""
    entered, release = threading.Event(), threading.Event()
    real = server_module.encode_prompt

    def slow(tokenizer, messages):
        entered.set()
        release.wait(60)
        return real(tokenizer, messages)

    monkeypatch.setattr(server_module, "encode_prompt", slow)
    live = LiveServer(create_app(engine, default_max_tokens=N))
    try:
        out = {}
        t = threading.Thread(
            target=lambda: out.setdefault(
                "r", httpx.post(live.url + "/v1/chat/completions", json=body(), timeout=120)
            )
        )
        t.start()
        assert entered.wait(60)
        assert httpx.get(live.url + "/health", timeout=5).status_code == 200
        release.set()
        t.join(60)
        assert out["r"].status_code == 200
    finally:
        release.set()
        live.stop()


def test_a_half_sent_body_gets_a_408_after_the_read_timeout(engine):
    guard = GuardConfig(read_timeout=0.5)
    live = LiveServer(create_app(engine, default_max_tokens=N, guard=guard))
    try:
        with socket.create_connection(("127.0.0.1", live.port), timeout=30) as s:
            head = (
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            )
            s.sendall(head.encode() + b'{"model": "a"')
            t0 = time.monotonic()
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                piece = s.recv(65536)
                if not piece:
                    break
                reply += piece
            waited = time.monotonic() - t0
        status = reply.split(b"\r\n", 1)[0]
        assert b" 408 " in status, reply[:200]
        err = json.loads(reply.split(b"\r\n\r\n", 1)[1])["error"]
        assert err["code"] == "request_timeout" and "0.5 s" in err["message"]
        assert waited < 10
        assert httpx.get(live.url + "/health").status_code == 200
    finally:
        live.stop()


def test_a_full_queue_is_a_503_with_retry_after(engine):
    """The worker is held busy; with --max-queue 2, two requests wait and a third is refused."""
    hold = threading.Event()
    guard = GuardConfig(max_queue=2)
    live = LiveServer(create_app(engine, default_max_tokens=N, guard=guard))
    try:
        busy = engine.call(lambda: hold.wait(60))
        results = []
        waiting = [
            threading.Thread(
                target=lambda: results.append(
                    httpx.post(live.url + "/v1/chat/completions", json=body(), timeout=120)
                )
            )
            for _ in range(2)
        ]
        for t in waiting:
            t.start()
        deadline = time.monotonic() + 60
        while engine.queued < 2 and time.monotonic() < deadline:
            waiting[0].join(0.02)
        assert engine.queued == 2
        r = httpx.post(live.url + "/v1/chat/completions", json=body(), timeout=30)
        assert_openai_error(r, 503, "overloaded")
        assert r.headers["retry-after"] == "1"
        hold.set()
        busy.result(60)
        for t in waiting:
            t.join(60)
        assert [x.status_code for x in results] == [200, 200]
    finally:
        hold.set()
        live.stop()


def test_models_and_errors_show_no_absolute_paths(engine, adapter, monkeypatch):
    class Broken(StalledRegistry):
        def resolve_adapter(self, ref, tracking_uri=None):
            return adapter.parent / "not-an-adapter"

    monkeypatch.setattr(catalog, "registry_module", lambda: Broken())
    with TestClient(create_app(engine, default_max_tokens=N)) as client:
        cards = client.get("/v1/models").json()["data"]
        source = next(c for c in cards if c["id"] == "a")["qadapter"]["source"]
        assert source == ".../adapter" and str(adapter.parent) not in client.get("/v1/models").text
        r = client.post("/v1/chat/completions", json=body("broken/1"))
        assert r.status_code == 400 and str(adapter.parent) not in r.text, r.text
        assert ".../not-an-adapter" in r.json()["error"]["message"]


# ---- flags, the exposure warning, the key's environment variable ----------------------------


def serve_args(*argv):
    import argparse

    from qadapter.serving.startup import add_serve_arguments

    p = argparse.ArgumentParser()
    add_serve_arguments(p)
    return p.parse_args(["--base", "tiny", *argv])


@pytest.mark.parametrize(
    "host, auth, words",
    [
        ("127.0.0.1", False, None),
        ("localhost", False, None),
        ("::1", False, None),
        ("0.0.0.0", False, ["WITHOUT authentication", "--api-key-env"]),
        ("192.168.1.7", False, ["WITHOUT authentication"]),
        ("myhost.example", False, ["WITHOUT authentication"]),
        ("0.0.0.0", True, ["beyond this machine", "TLS"]),
    ],
)
def test_exposure_warning(host, auth, words):
    from qadapter.serving.startup import exposure_warning

    line = exposure_warning(host, auth)
    if words is None:
        assert line is None
    else:
        assert line.startswith("qadapter serve: warning: ") and "\n" not in line
        assert all(w in line for w in words)


def test_serve_flags_defaults_and_wiring(monkeypatch, capsys):
    """--host beyond loopback warns on stderr; the key comes from the named variable and never
    shows; the flags reach the app (uvicorn.run is replaced: nothing binds)."""
    args = serve_args()
    assert (args.max_body_bytes, args.read_timeout, args.max_queue) == (4194304, 30.0, 64)
    assert args.api_key_env is None and args.registry_timeout == 5.0
    ran = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.update(app=app, **kw))
    monkeypatch.setenv("QA_TEST_KEY", "k-Secret9")
    argv = ["--host", "0.0.0.0", "--api-key-env", "QA_TEST_KEY", "--max-body-bytes", "100"]
    assert server_module.serve(serve_args(*argv)) == 0
    err = capsys.readouterr().err
    assert "k-Secret9" not in err and "warning: listening on 0.0.0.0" in err
    with TestClient(ran["app"]) as c:
        r = c.post("/v1/chat/completions", json=body(), headers=AUTH)
        assert_openai_error(r, 413, "request_too_large")
        assert c.get("/v1/models").status_code == 401
    assert server_module.serve(serve_args("--host", "0.0.0.0")) == 0
    assert "WITHOUT authentication" in capsys.readouterr().err


def test_a_missing_key_variable_is_one_error_line(monkeypatch, capsys):
    monkeypatch.delenv("QA_MISSING_KEY", raising=False)
    assert server_module.serve(serve_args("--api-key-env", "QA_MISSING_KEY")) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("qadapter: error: --api-key-env QA_MISSING_KEY: the environment")
    assert server_module.serve(serve_args("--max-queue", "0")) == 2
    assert "--max-queue" in capsys.readouterr().err


def test_a_tracking_server_that_never_answers_is_unavailable_not_missing(monkeypatch, tmp_path):
    """The real registry client against a loopback listener that accepts and never answers:
    RegistryUnavailable (the server's 503), not "no such model" (a 404 that would be wrong)."""
    from qadapter import registry

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "1")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        uri = f"http://127.0.0.1:{listener.getsockname()[1]}"
        t0 = time.monotonic()
        with pytest.raises(registry.RegistryUnavailable):
            registry.resolve_adapter("hh-qadapter/1", tracking_uri=uri)
        assert time.monotonic() - t0 < 30
        with pytest.raises(registry.RegistryUnavailable):
            catalog.resolve_reference("hh-qadapter/1", uri)


def test_an_unavailable_registry_is_a_503(engine, monkeypatch):
    from qadapter import registry

    class Down(StalledRegistry):
        RegistryUnavailable = registry.RegistryUnavailable

        def resolve_adapter(self, ref, tracking_uri=None):
            self.calls.append(ref)
            raise registry.RegistryUnavailable("model registry http://h: timed out")

    reg = Down()
    monkeypatch.setattr(catalog, "registry_module", lambda: reg)
    with TestClient(create_app(engine, default_max_tokens=N)) as client:
        r = client.post("/v1/chat/completions", json=body("down/1"))
        assert "registry failed" in assert_openai_error(r, 503, "registry_unavailable")
        assert client.post("/v1/chat/completions", json=body("down/1")).status_code == 503
        assert reg.calls == ["down/1"]  # the second answer came from the negative cache
