"""The ``openai`` judge against a scripted OpenAI-compatible server on 127.0.0.1 (port 0)."""

import json
import logging
import pickle
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qadapter.evaluate.judges import JudgeError, OpenAIJudgeConfig, get_judge
from qadapter.evaluate.judges.openai_compat import parse_verdict, retry_after_s
from qadapter.evaluate.winrate import annotate, leaderboard_row

MARKER = "GOOD"
_LAYOUT = re.compile(
    r"## Conversation\n(.*?)\n\n## Response 1\n(.*?)\n\n## Response 2\n(.*?)\n\n", re.S
)


class Stub(ThreadingHTTPServer):
    """Scripted replies per instruction: ``script[instruction]`` lists the actions of successive
    attempts (then "good"). A good verdict names the response containing MARKER."""

    daemon_threads = True

    def __init__(self, script):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script, self.calls, self.auth = script, Counter(), set()
        self.lock, self.release = threading.Lock(), threading.Event()
        self.inflight = self.max_inflight = 0
        self.arrivals = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_POST(self):
        srv = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        instruction, out1, out2 = _LAYOUT.search(body["messages"][-1]["content"]).groups()
        with srv.lock:
            attempt = srv.calls[instruction]
            srv.calls[instruction] += 1
            srv.auth.add(self.headers.get("Authorization"))
            srv.inflight += 1
            srv.max_inflight = max(srv.max_inflight, srv.inflight)
            srv.arrivals.append(time.monotonic())
        steps = srv.script.get(instruction, [])
        action = steps[attempt] if attempt < len(steps) else "good"
        try:
            self._act(action, out1, out2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with srv.lock:
                srv.inflight -= 1

    def _act(self, action, out1, out2):
        if action == "429":
            return self._send(429, b'{"error": "rate limited"}', {"Retry-After": "7"})
        if action == "500":
            return self._send(500, b'{"error": "boom"}')
        if action == "401":  # a careless server echoing the credentials it got
            return self._send(
                401,
                json.dumps({"error": f"bad key {self.headers['Authorization']}"}).encode(),
            )
        if action == "slow":  # held until the test ends; the client times out first
            self.server.release.wait(20)
        if action == "busy":
            time.sleep(0.05)
        if action == "badjson":
            return self._send(200, b"<html>upstream error</html>")
        winner = "1" if MARKER in out1 else "2"
        text = f"Response {winner} is more useful.\nVerdict: {winner}"
        if action == "garbage":
            text = "I like both of them equally well."
        reply = {
            "id": "x",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": text},
                }
            ],
        }
        self._send(200, json.dumps(reply).encode())

    def _send(self, code, payload, headers=None):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def stub():
    servers = []

    def start(script):
        srv = Stub(script)
        threading.Thread(
            target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.release.set()
        srv.shutdown()
        srv.server_close()


def config(srv, tmp_path, **overrides):
    fields = dict(
        base_url=f"http://127.0.0.1:{srv.server_address[1]}/v1",
        model="stub-judge",
        api_key_env="QA_TEST_JUDGE_CRED",
        timeout_s=3.0,
        backoff_s=0.01,
        max_retries=3,
        requests_per_second=1000.0,
        concurrency=3,
        cache_dir=str(tmp_path / "cache"),
    )
    fields.update(overrides)
    return OpenAIJudgeConfig(**fields)


def prompts(names):
    return [[{"role": "user", "content": n}] for n in names]


def test_retries_backoff_garbage_and_cache_resume(stub, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_TEST_JUDGE_CRED", "k-123456")
    names = [
        "ok-a",
        "ok-b",
        "ok-c",
        "q-429",
        "q-500",
        "q-slow",
        "q-garbage",
        "q-badjson",
    ]
    srv = stub(
        {
            "q-429": ["429"],
            "q-500": ["500", "500"],
            "q-slow": ["slow"],
            "q-garbage": ["garbage"] * 9,
            "q-badjson": ["badjson"] * 9,
        }
    )
    slept = []
    judge = get_judge("openai", config=config(srv, tmp_path), sleep=slept.append)
    model = [f"{MARKER} answer to {n}" for n in names]
    reference = [f"plain answer to {n}" for n in names]
    rows = annotate(prompts(names), reference, model, judge, seed=3)

    assert dict(srv.calls) == {
        "ok-a": 1,
        "ok-b": 1,
        "ok-c": 1,
        "q-429": 2,
        "q-500": 3,
        "q-slow": 2,
        "q-garbage": 1,
        "q-badjson": 1,
    }
    assert sorted(slept) == [
        0.01,
        0.01,
        0.02,
        7.0,
    ]  # backoff 0.01 * 2**attempt; Retry-After honoured
    assert judge.stats == {
        "requests": 12,
        "retries": 4,
        "cache_hits": 0,
        "unparsed": 2,
        "judged": 8,
    }
    prefs = {r["instruction"]: r["preference"] for r in rows}
    assert {n: prefs[n] for n in names[:6]} == dict.fromkeys(
        names[:6], 2.0
    )  # mapped back, whatever the order
    assert prefs["q-garbage"] is None and prefs["q-badjson"] is None
    assert any(r["swapped"] for r in rows) and not all(r["swapped"] for r in rows)
    row = leaderboard_row(rows, mode="openai")
    assert (row["n_total"], row["n_unparsed"], row["win_rate"], row["n_wins"]) == (
        6,
        2,
        100.0,
        6,
    )
    garbage = next(r for r in rows if r["instruction"] == "q-garbage")
    assert garbage["raw_completion"] == "I like both of them equally well."

    again = get_judge("openai", config=config(srv, tmp_path), sleep=slept.append)
    before = sum(srv.calls.values())
    rows2 = annotate(prompts(names), reference, model, again, seed=3)
    assert sum(srv.calls.values()) == before  # the second run pays for nothing
    assert (
        again.stats["requests"] == 0
        and again.stats["cache_hits"] == 8
        and again.stats["unparsed"] == 2
    )
    assert [r["preference"] for r in rows2] == [r["preference"] for r in rows]


def test_exhausted_retries_raise_and_keep_the_answers_already_paid_for(stub, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_TEST_JUDGE_CRED", "k-123456")
    srv = stub({"down": ["500"] * 3})
    slept = []
    cfg = config(srv, tmp_path, max_retries=2, concurrency=1)
    names = ["up-1", "up-2", "down"]
    with pytest.raises(JudgeError, match=r"HTTP 500 .* still failing after 2 retries"):
        annotate(
            prompts(names),
            ["a"] * 3,
            [MARKER] * 3,
            get_judge("openai", config=cfg, sleep=slept.append),
        )
    assert srv.calls["down"] == 3 and slept == [0.01, 0.02]
    resumed = get_judge(
        "openai", config=cfg, sleep=slept.append
    )  # the server has recovered ("good" after 3)
    rows = annotate(prompts(names), ["a"] * 3, [MARKER] * 3, resumed)
    assert resumed.stats["requests"] == 1 and resumed.stats["cache_hits"] == 2
    assert [r["preference"] for r in rows] == [2.0, 2.0, 2.0]


def test_rate_limit_and_concurrency_limit(stub, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_TEST_JUDGE_CRED", "k-123456")
    names = [f"item-{i}" for i in range(12)]
    srv = stub({n: ["busy"] for n in names})
    judge = get_judge(
        "openai", config=config(srv, tmp_path, requests_per_second=20.0, concurrency=2)
    )
    annotate(prompts(names), ["a"] * 12, [MARKER] * 12, judge)
    assert srv.max_inflight <= 2
    arrivals = sorted(srv.arrivals)
    assert (
        len(arrivals) == 12 and arrivals[-1] - arrivals[0] >= 11 / 20 - 0.02
    )  # starts >= 50 ms apart


def test_other_http_errors_stop_at_once_and_the_key_never_leaks(
    stub, tmp_path, monkeypatch, caplog, capsys
):
    key = "sk-qadapter-DISTINCTIVE-7f3a9c"
    monkeypatch.setenv("QA_TEST_JUDGE_CRED", key)
    caplog.set_level(logging.DEBUG)  # httpx / httpcore debug logs included
    srv = stub({"q-500": ["500"], "q-garbage": ["garbage"], "q-denied": ["401"] * 9})
    judge = get_judge("openai", config=config(srv, tmp_path))
    rows = annotate(prompts(["ok", "q-500", "q-garbage"]), ["a"] * 3, [MARKER] * 3, judge)
    with pytest.raises(JudgeError) as err:
        annotate(prompts(["q-denied"]), ["a"], [MARKER], judge)
    assert srv.calls["q-denied"] == 1  # 401 is not retried
    assert "HTTP 401" in str(err.value) and "***" in str(err.value)  # the echoed key was scrubbed
    with pytest.raises(TypeError):
        pickle.dumps(judge)
    assert srv.auth == {f"Bearer {key}"}  # the key was used...
    files = [p.read_text() for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    out = capsys.readouterr()
    seen = [
        str(err.value),
        repr(err.value),
        repr(judge),
        json.dumps(judge.describe()),
        json.dumps(rows),
        caplog.text,
        out.out,
        out.err,
        *files,
    ]
    assert len(files) == 3 and "retry 1/3" in caplog.text
    assert not [s for s in seen if key in s]  # ...and appears nowhere else


def test_missing_key_is_one_clear_error(monkeypatch):
    monkeypatch.delenv("QA_TEST_JUDGE_CRED", raising=False)
    with pytest.raises(JudgeError, match="QA_TEST_JUDGE_CRED is unset or empty"):
        get_judge("openai", api_key_env="QA_TEST_JUDGE_CRED")
    with pytest.raises(JudgeError, match="unknown judge 'gpt'"):
        get_judge("gpt")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Verdict: 1", 1.0),
        ("verdict:2", 2.0),
        ("**Verdict: tie**", 1.5),
        ("Verdict = 2.", 2.0),
        ("Response 1 is longer.\nVerdict: 2", 2.0),
        ("Verdict: 1\n...on reflection\nVerdict: 2", 2.0),
        ("2", 2.0),
        (" tie. ", 1.5),
        ("Response 1", None),
        ("both are fine", None),
        ("", None),
        ("Verdict: 3", None),
    ],
)
def test_parse_verdict(text, expected):
    assert parse_verdict(text) == expected


def test_retry_after_header_forms():
    assert retry_after_s("3") == 3.0 and retry_after_s("0.5") == 0.5 and retry_after_s(None) is None
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= retry_after_s(future) <= 31
