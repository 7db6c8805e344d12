"""`qadapter serve` against CustomizedDecoder run alone: routing, streaming, batching, errors.

Each adapter's expected text comes from ``CustomizedDecoder.from_adapter(dir, base)`` (its
default path: the merged single pass for residual / alpha0 = 1, the dual batch otherwise, the stack
for a stacked adapter) decoding one prompt by itself; the server must return exactly that text,
whether the request runs alone, batched with others, streamed, or next to other clients.
"""

import copy
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import torch
from fastapi.testclient import TestClient

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
from qadapter.data.tokenize import encode_prompt
from qadapter.decode import CustomizedDecoder, SamplingConfig
from qadapter.models import load_base
from qadapter.serving import catalog
from qadapter.serving.engine import Job, Settings
from qadapter.serving.server import create_app
from qadapter.serving.startup import build_engine
from qadapter.stack import Stack

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = [
    "How do I bake bread?",
    "What is the capital of France?",
    "Thanks!",
    "Tell me a story about a dog and a cat.",
]
# name: (head, alpha0, alpha_tilde, seed): the dual path, the logits head, the fused shortcut
ADAPTERS = {
    "a": ("residual", 0.5, 0.5, 1),
    "b": ("logits", 1.0, 0.7, 2),
    "c": ("residual", 1.0, 0.5, 3),
}
N = 24  # max_tokens in these tests


def _random_adapter(out, head, a0, at, seed, parent=None, parent_ref=None):
    base = load_base("tiny")
    stack = Stack.load(parent, base.model, base.content_hash) if parent else None
    cfg = AdapterConfig(head=head, lora_r=4, lora_alpha=8, lora_dropout=0.0)
    model = QAdapter(base.model, cfg, seed=seed, parent=stack)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    meta = {"alpha0": a0, "alpha_tilde": at, "gamma": 0.99}
    meta.update(base_model=base.name, base_hash=base.content_hash)
    save_adapter(model, out, meta)
    return out


@pytest.fixture(scope="module")
def adapters(tmp_path_factory):
    """{name: directory}: three single adapters and a depth-2 stack ("s", on top of "a")."""
    root = tmp_path_factory.mktemp("adapters")
    dirs = {n: _random_adapter(root / n, *spec) for n, spec in ADAPTERS.items()}
    dirs["s"] = _random_adapter(root / "s", "logits", 0.8, 0.6, 4, parent=dirs["a"])
    return dirs


@pytest.fixture(scope="module")
def engine(adapters):
    return build_engine("tiny", [f"{n}={d}" for n, d in adapters.items()])


@pytest.fixture(scope="module")
def client(engine):
    with TestClient(create_app(engine, default_max_tokens=N)) as c:
        yield c


def alone(adapter_dir, prompt, *, alpha0=None, **sampling):
    """The reference: CustomizedDecoder on a fresh base, this prompt by itself."""
    base = load_base("tiny")
    dec = CustomizedDecoder.from_adapter(adapter_dir, base, alpha0=alpha0)
    cfg = SamplingConfig(max_new_tokens=sampling.pop("max_new_tokens", N), **sampling)
    return dec.generate_text(base.tokenizer, [prompt], cfg)[0]


def alone_ids(adapter_dir, prompt):
    """The reference's greedy token row (N tokens, padding after an EOS) and its EOS ids."""
    base = load_base("tiny")
    dec = CustomizedDecoder.from_adapter(adapter_dir, base)
    ids = torch.tensor([encode_prompt(base.tokenizer, [{"role": "user", "content": prompt}])])
    row = dec.generate(ids, torch.ones_like(ids), SamplingConfig(max_new_tokens=N, greedy=True))
    return row[0].tolist(), set(dec.eos.tolist())


def base_alone(prompt, n=N):
    """The bare base's greedy text from Hugging Face ``generate`` (cut at EOS)."""
    base = load_base("tiny")
    ids = torch.tensor([encode_prompt(base.tokenizer, [{"role": "user", "content": prompt}])])
    eos = base.tokenizer.eos_token_id
    with torch.no_grad():
        out = base.model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=n,
            do_sample=False,
            eos_token_id=eos,
            pad_token_id=base.tokenizer.pad_token_id,
        )[0, ids.shape[1] :].tolist()
    return base.tokenizer.decode(out[: out.index(eos)] if eos in out else out)


def ask(client, model, prompt, **kw):
    body = {"model": model, "messages": [{"role": "user", "content": prompt}], **kw}
    body.setdefault("temperature", 0)
    body.setdefault("max_tokens", N)
    return client.post("/v1/chat/completions", json=body)


# ---- routing and equality -------------------------------------------------------------------


def test_models_lists_the_base_and_every_adapter(client, adapters):
    data = client.get("/v1/models").json()["data"]
    by_id = {m["id"]: m for m in data}
    assert set(by_id) == {"tiny:0", "tiny", *adapters}
    assert by_id["tiny"]["qadapter"]["kind"] == "base"
    assert by_id["a"]["qadapter"]["alpha0"] == 0.5 and by_id["a"]["qadapter"]["depth"] == 1
    assert by_id["s"]["qadapter"]["depth"] == 2
    assert client.get("/health").json()["status"] == "ok"


@pytest.mark.parametrize("name", ["a", "b", "c", "s"])
def test_greedy_text_equals_customized_decoder(client, adapters, name):
    for prompt in PROMPTS[:2]:
        r = ask(client, name, prompt)
        assert r.status_code == 200, r.text
        body = r.json()
        want = alone(adapters[name], prompt, greedy=True)
        assert body["choices"][0]["message"]["content"] == want
        assert body["model"] == name
        row, eos = alone_ids(adapters[name], prompt)
        stopped = any(t in eos for t in row)
        used = next((i + 1 for i, t in enumerate(row) if t in eos), len(row))
        assert body["choices"][0]["finish_reason"] == ("stop" if stopped else "length")
        assert body["usage"]["completion_tokens"] == used


def test_bare_base_equals_hf_generate(client):
    for prompt in PROMPTS[:2]:
        r = ask(client, "tiny", prompt)
        assert r.json()["choices"][0]["message"]["content"] == base_alone(prompt)


@pytest.mark.parametrize("name,alpha0", [("a", 2.0), ("a", 1.0), ("c", 0.5), ("s", 0.3)])
def test_alpha0_extension_equals_decoder_built_with_it(client, adapters, name, alpha0):
    """Across the one-pass / two-row switch too: "a" at 1.0 decodes in one pass, "c" at 0.5 not."""
    want = alone(adapters[name], PROMPTS[0], alpha0=alpha0, greedy=True)
    assert want != alone(adapters[name], PROMPTS[0], greedy=True)  # alpha0 must matter here
    r = ask(client, name, PROMPTS[0], alpha0=alpha0)
    assert r.json()["choices"][0]["message"]["content"] == want


def test_seeded_sampling_equals_decoder_and_repeats(client, adapters):
    kw = dict(temperature=0.9, top_p=0.95, seed=7)
    want = alone(adapters["b"], PROMPTS[1], greedy=False, **kw)
    texts = [ask(client, "b", PROMPTS[1], **kw).json() for _ in range(2)]
    assert [t["choices"][0]["message"]["content"] for t in texts] == [want, want]
    other = alone(adapters["b"], PROMPTS[1], greedy=False, **{**kw, "seed": 8})
    assert other != want  # the seed must matter, or the check above proves nothing


def test_max_tokens_cuts_the_greedy_text(client, adapters):
    r = ask(client, "a", PROMPTS[3], max_tokens=5).json()
    assert r["choices"][0]["message"]["content"] == alone(
        adapters["a"], PROMPTS[3], greedy=True, max_new_tokens=5
    )
    assert r["choices"][0]["finish_reason"] == "length" and r["usage"]["completion_tokens"] == 5


@pytest.fixture(scope="module")
def stopping(engine, adapters):
    """Adapter "a" served as "a-stop" with its 6th greedy token on PROMPTS[2] as the EOS, so
    that the stop path runs (random adapters rarely emit the real EOS in N tokens); returns
    (that token, the reference row)."""
    row, _ = alone_ids(adapters["a"], PROMPTS[2])
    stop = row[5]
    served = copy.copy(engine.models["a"])
    served.name, served.decoder = "a-stop", copy.copy(served.decoder)
    served.decoder.eos = torch.tensor([stop])
    engine.models["a-stop"] = served
    yield stop, row
    del engine.models["a-stop"]


def test_eos_stops_the_text_and_ignore_eos_runs_on(client, adapters, stopping):
    stop, row = stopping
    base = load_base("tiny")
    ref = CustomizedDecoder.from_adapter(adapters["a"], base)
    ref.eos = torch.tensor([stop])
    want = ref.generate_text(base.tokenizer, [PROMPTS[2]], SamplingConfig(N, greedy=True))[0]
    cut = row.index(stop)
    assert want == base.tokenizer.decode(row[:cut], skip_special_tokens=True)
    r = ask(client, "a-stop", PROMPTS[2]).json()
    assert r["choices"][0]["message"]["content"] == want
    assert r["choices"][0]["finish_reason"] == "stop"
    assert r["usage"]["completion_tokens"] == cut + 1  # the EOS counts
    r = ask(client, "a-stop", PROMPTS[2], ignore_eos=True).json()
    assert r["usage"]["completion_tokens"] == N and r["choices"][0]["finish_reason"] == "length"
    assert r["choices"][0]["message"]["content"] == alone(adapters["a"], PROMPTS[2], greedy=True)


def sse_events(lines):
    out = []
    for line in lines:
        if line.startswith("data: "):
            out.append(line[len("data: ") :])
    return out


def test_stream_chunks_concatenate_to_the_text(client, adapters):
    body = {"model": "s", "messages": [{"role": "user", "content": PROMPTS[0]}], "stream": True}
    with client.stream("POST", "/v1/chat/completions", json={**body, "temperature": 0}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.iter_lines())
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0]["finish_reason"] in ("stop", "length")
    assert len({c["id"] for c in chunks}) == 1
    pieces = [c["choices"][0]["delta"].get("content", "") for c in chunks]
    assert sum(1 for p in pieces if p) >= 3  # streamed in pieces, not one final chunk
    assert "".join(pieces) == alone(adapters["s"], PROMPTS[0], greedy=True)


def test_waiting_requests_are_batched_and_each_gets_its_own_text(engine, adapters):
    """Jobs queued before the worker starts: greedy rows of one model share a batch (whatever
    their max_tokens and top_p), seeded sampling runs alone; every text is the one alone gives."""
    engine.stop()
    tok = engine.base.tokenizer
    greedy, seeded = dict(temperature=0.0), dict(temperature=0.8, seed=5)
    specs = [("a", p, n, greedy) for p, n in zip(PROMPTS, (N, 7, N, 3))]
    specs += [("s", PROMPTS[2], N, greedy), ("a", PROMPTS[0], N, seeded)]
    specs += [("a", PROMPTS[1], N, seeded), ("a", PROMPTS[2], 9, {**greedy, "top_p": 0.5})]
    results = {}
    for i, (name, prompt, n, kw) in enumerate(specs):
        ids = encode_prompt(tok, [{"role": "user", "content": prompt}])
        sink = lambda ev, i=i: results.__setitem__(i, ev) if ev[0] != "delta" else None  # noqa: E731
        engine.submit(Job(engine.models[name], ids, Settings(max_tokens=n, **kw), sink, False))
    before = len(engine.batches)
    engine.start()
    deadline = time.monotonic() + 120
    while len(results) < len(specs) and time.monotonic() < deadline:
        time.sleep(0.02)
    # the five greedy "a" rows together, then "s", then each seeded request by itself
    assert engine.batches[before:] == [5, 1, 1, 1]
    for i, (name, prompt, n, kw) in enumerate(specs):
        kind, result = results[i]
        assert kind == "done"
        ref = {"greedy": True} if kw["temperature"] == 0 else {"greedy": False, **kw}
        assert result.text == alone(adapters[name], prompt, max_new_tokens=n, **ref), i


def test_one_base_copy_however_many_adapters(engine):
    """Every network the server decodes with reads the base's own weight tensors; its only other
    tensors are LoRA factors, one copy per adapter (its one-pass and two-row networks share them).
    """
    base_ptrs = {p.data_ptr() for p in engine.base.model.parameters()}
    base_bufs = {b.data_ptr() for b in engine.base.model.buffers()}
    modes = {"a": "dual", "b": "dual", "c": "single", "s": "stack"}
    factors = {}
    for name, s in engine.models.items():
        nets = [s.decoder.q_net] + (list(s.networks[:2]) if s.networks else [])
        for net in nets:
            assert {p.data_ptr() for p in net.parameters()} == base_ptrs, name
            own = {
                (n.rsplit(".", 1)[-1], b.untyped_storage().data_ptr(), b.nbytes)
                for n, b in net.named_buffers()
                if b.data_ptr() not in base_bufs
            }
            assert {k for k, _, _ in own} <= {"a", "b"}, name  # the LoRA factors, nothing else
            factors.setdefault(name, set()).update((p, n) for _, p, n in own)
        if name in modes:
            assert s.decoder.mode == modes[name], name
    for name in ("a", "b", "c"):  # single and dual read one copy of the factors
        single, dual, _ = engine.models[name].networks
        assert len(factors[name]) == sum(
            1 for n, _ in single.named_buffers() if n[-2:] in (".a", ".b")
        )
    assert engine.models["c"].decoder_for(0.5).mode == "dual"
    assert engine.models["a"].decoder_for(1.0).mode == "single"
    lora = sum(n for name in modes for _, n in factors[name])
    total = sum(p.numel() * p.element_size() for p in engine.base.model.parameters())
    assert 0 < lora < total  # four adapters add less than one base


# ---- registry references --------------------------------------------------------------------


class FakeRegistry:
    """The contract of qadapter.registry (is_model_ref, resolve_adapter, install), in memory."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def is_model_ref(self, ref):
        return "@" in ref or ref.startswith("models:/") or ref.rpartition("/")[2].isdigit()

    def resolve_adapter(self, ref, tracking_uri=None):
        self.calls.append(ref)
        if ref not in self.table:
            raise catalog.AdapterError(f"registered model {ref!r} does not exist")
        return self.table[ref]

    def install(self):
        pass


def test_registry_references_resolve_per_request(client, engine, adapters, monkeypatch):
    reg = FakeRegistry({"hh-qadapter/3": adapters["b"], "hh-qadapter@champion": adapters["c"]})
    monkeypatch.setattr(catalog, "registry_module", lambda: reg)
    r = ask(client, "hh-qadapter/3", PROMPTS[0])
    assert r.json()["choices"][0]["message"]["content"] == alone(
        adapters["b"], PROMPTS[0], greedy=True
    )
    assert r.json()["model"] == "hh-qadapter/3"
    ask(client, "hh-qadapter/3", PROMPTS[0])  # a version stays loaded under its name
    assert reg.calls == ["hh-qadapter/3"]
    assert "hh-qadapter/3" in {m["id"] for m in client.get("/v1/models").json()["data"]}
    r = ask(client, "hh-qadapter@champion", PROMPTS[1])
    assert r.json()["choices"][0]["message"]["content"] == alone(
        adapters["c"], PROMPTS[1], greedy=True
    )
    reg.table["hh-qadapter@champion"] = adapters["a"]  # the alias moves: the next request follows
    r = ask(client, "hh-qadapter@champion", PROMPTS[1])
    assert r.json()["choices"][0]["message"]["content"] == alone(
        adapters["a"], PROMPTS[1], greedy=True
    )
    r = ask(client, "hh-qadapter/99", PROMPTS[0])
    assert r.status_code == 404 and "does not exist" in r.json()["error"]["message"]


def register(c, experiment, adapter_dir, name="hh-qadapter") -> str:
    """A run holding the adapter as its ``adapter`` artifact, registered as a new version."""
    run = c.create_run(experiment).info.run_id
    c.log_artifacts(run, str(adapter_dir), "adapter")
    if not c.search_registered_models(f"name = '{name}'"):
        c.create_registered_model(name)
    source = f"{c.get_run(run).info.artifact_uri}/adapter"
    return str(c.create_model_version(name, source=source, run_id=run).version)


@pytest.mark.integration
def test_real_registry_versions_and_a_moving_alias(adapters, tmp_path, monkeypatch):
    """A SQLite MLflow store with two versions: `--adapter NAME@champion` is pinned at start,
    a request for NAME@champion follows the alias, NAME/2 loads on first use."""
    from mlflow import MlflowClient

    from qadapter import registry

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))
    c = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exp = c.create_experiment("serve", artifact_location=(tmp_path / "art").as_uri())
    v1, v2 = register(c, exp, adapters["b"]), register(c, exp, adapters["c"])
    registry.set_alias("hh-qadapter", v1, "champion", client=c)
    eng = build_engine(None, ["pinned=hh-qadapter@champion"])
    assert eng.base.name == "tiny:0"  # the base recorded in the registered adapter
    with TestClient(create_app(eng, default_max_tokens=N)) as client:
        want_b = alone(adapters["b"], PROMPTS[0], greedy=True)
        want_c = alone(adapters["c"], PROMPTS[0], greedy=True)
        assert (
            ask(client, "pinned", PROMPTS[0]).json()["choices"][0]["message"]["content"] == want_b
        )
        for model, want in [("hh-qadapter@champion", want_b), (f"hh-qadapter/{v2}", want_c)]:
            r = ask(client, model, PROMPTS[0])
            assert r.json()["choices"][0]["message"]["content"] == want, model
        registry.promote("hh-qadapter", v2, client=c)
        r = ask(client, "hh-qadapter@champion", PROMPTS[0])
        assert r.json()["choices"][0]["message"]["content"] == want_c
        assert (
            ask(client, "pinned", PROMPTS[0]).json()["choices"][0]["message"]["content"] == want_b
        )
        r = ask(client, "hh-qadapter@nobody", PROMPTS[0])
        assert r.status_code == 404 and "nobody" in r.json()["error"]["message"]


# ---- bad requests ---------------------------------------------------------------------------

MSG = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    "body,status,words",
    [
        ({"model": "nope", "messages": MSG}, 404, ["'nope'", "/v1/models"]),
        ({"model": "a"}, 400, ["messages"]),
        ({"model": "a", "messages": []}, 400, ["messages"]),
        ({"model": "a", "messages": "hi"}, 400, ["messages"]),
        ({"model": "a", "messages": [{"role": "robot", "content": "x"}]}, 400, ["role"]),
        ({"model": "a", "messages": [{"role": "user"}]}, 400, ["content"]),
        ({"model": "a", "messages": MSG, "max_tokens": -1}, 400, ["max_tokens"]),
        ({"model": "a", "messages": MSG, "max_tokens": "5"}, 400, ["max_tokens"]),
        ({"model": "a", "messages": MSG, "temperature": -0.5}, 400, ["temperature"]),
        ({"model": "a", "messages": MSG, "stream": "yes"}, 400, ["stream"]),
        ({"model": "a", "messages": MSG, "n": 2}, 400, ["n"]),
        ({"model": "a", "messages": MSG, "stop": ["\n"]}, 400, ["stop sequences", "'stop'"]),
        ({"model": "a", "messages": MSG, "tools": [{}]}, 400, ["tool calls", "'tools'"]),
        ({"model": "a", "messages": MSG, "logprobs": True}, 400, ["logprobs are", "'logprobs'"]),
        ({"model": "a", "messages": MSG, "alpha0": -1}, 400, ["alpha0"]),
        ({"model": "a", "messages": MSG, "alpha0": 1e5}, 400, ["alpha0"]),  # MethodConfig's range
        ({"model": "tiny", "messages": MSG, "alpha0": 0.5}, 400, ["alpha0", "adapters"]),
        ({"model": "a", "messages": MSG, "max_tokens": 5000}, 400, ["context", "max_tokens"]),
        ({"model": "/etc", "messages": MSG}, 404, ["not served"]),
    ],
)
def test_bad_request_gets_a_clear_4xx(client, body, status, words):
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["type"] == "invalid_request_error"
    assert "\n" not in err["message"] and "Traceback" not in r.text
    for w in words:
        assert w in err["message"], (w, err["message"])


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"a string"'])
def test_malformed_json_body_is_a_400(client, raw):
    r = client.post(
        "/v1/chat/completions", content=raw, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error"


def test_wrong_path_and_method_are_openai_errors(client):
    r = client.get("/v1/chat/completions")
    assert r.status_code == 405 and "POST /v1/chat/completions" in r.json()["error"]["message"]
    r = client.get("/v1/nothing")
    assert r.status_code == 404 and "/v1/nothing" in r.json()["error"]["message"]


def test_chat_template_refusal_is_a_400(client, monkeypatch):
    from jinja2.exceptions import TemplateError

    from qadapter.serving import server

    def refuse(tokenizer, messages):
        raise TemplateError("Conversation roles must alternate user/assistant/user/assistant")

    monkeypatch.setattr(server, "encode_prompt", refuse)
    r = ask(client, "a", "hi")
    assert r.status_code == 400
    assert "roles must alternate" in r.json()["error"]["message"]


def test_a_client_leaving_mid_stream_leaves_the_server_working(client, adapters):
    body = {"model": "a", "messages": [{"role": "user", "content": PROMPTS[3]}], "stream": True}
    with client.stream("POST", "/v1/chat/completions", json={**body, "max_tokens": 200}) as r:
        first = next(iter(r.iter_lines()))
    assert first.startswith("data: ")
    r = ask(client, "a", PROMPTS[0])
    assert r.json()["choices"][0]["message"]["content"] == alone(
        adapters["a"], PROMPTS[0], greedy=True
    )


def test_secrets_never_reach_error_bodies(client, monkeypatch):
    monkeypatch.setenv("SERVE_TEST_API_KEY", "sk-verysecret123")
    r = ask(client, "models-sk-verysecret123", "hi")
    assert r.status_code == 404
    assert "sk-verysecret123" not in r.text and "***" in r.text


def test_start_up_refuses_bad_adapters(adapters, tmp_path):
    from qadapter.meta import AdapterError

    with pytest.raises(AdapterError, match="no such directory"):
        build_engine("tiny", [f"x={tmp_path / 'missing'}"])
    with pytest.raises(ValueError, match="given twice"):
        build_engine("tiny", [f"x={adapters['a']}", f"x={adapters['b']}"])
    with pytest.raises(AdapterError, match="content hash"):
        build_engine("tiny:1", [f"x={adapters['a']}"])  # another base


def test_serve_parser_and_one_error_line_for_a_bad_adapter(tmp_path, capsys):
    import argparse

    from qadapter.cli.serve import add_serve_parser

    parser = argparse.ArgumentParser(prog="qadapter")
    add_serve_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", "--base", "tiny", "--adapter", f"x={tmp_path / 'nope'}"])
    assert (args.host, args.port, args.max_batch, args.adapter) == (
        "127.0.0.1",
        8000,
        8,
        [f"x={tmp_path / 'nope'}"],
    )
    assert args.func(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("qadapter: error: --adapter ")
    assert "no such directory" in err[0]


# ---- a real server on loopback --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.integration
def test_real_server_concurrent_clients_each_get_their_own_text(adapters):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "qadapter.serving.server", "--base", "tiny", "--port", str(port)]
    for name in ("a", "s", "c"):
        cmd += ["--adapter", f"{name}={adapters[name]}"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become healthy"
            time.sleep(0.2)
        # (model, prompt, alpha0, stream): several per adapter so that some get batched
        cases = [(m, p, None, False) for m in ("a", "s") for p in PROMPTS[:3]]
        cases += [("c", PROMPTS[3], None, True), ("a", PROMPTS[0], 2.0, False)]
        cases += [("tiny", PROMPTS[1], None, False)]
        want = [
            base_alone(p) if m == "tiny" else alone(adapters[m], p, alpha0=a0, greedy=True)
            for m, p, a0, _ in cases
        ]
        got = [None] * len(cases)
        barrier = threading.Barrier(len(cases))

        def client(i):
            m, p, a0, stream = cases[i]
            body = {"model": m, "messages": [{"role": "user", "content": p}], "temperature": 0}
            body.update(max_tokens=N, stream=stream, **({"alpha0": a0} if a0 else {}))
            barrier.wait()
            with httpx.Client(base_url=url, timeout=300) as h:
                if not stream:
                    got[i] = h.post("/v1/chat/completions", json=body).json()
                    got[i] = got[i]["choices"][0]["message"]["content"]
                    return
                with h.stream("POST", "/v1/chat/completions", json=body) as r:
                    events = sse_events(r.iter_lines())
                assert events[-1] == "[DONE]"
                got[i] = "".join(
                    json.loads(e)["choices"][0]["delta"].get("content", "") for e in events[:-1]
                )

        threads = [threading.Thread(target=client, args=(i,)) for i in range(len(cases))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert got == want
        r = httpx.post(f"{url}/v1/chat/completions", json={"model": "zzz", "messages": MSG})
        assert r.status_code == 404 and r.json()["error"]["code"] == "model_not_found"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode in (0, -15)
