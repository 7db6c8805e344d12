"""``qadapter serve`` under hostile load, against itself unloaded, in one run.

    python benchmarks/load.py [--model tiny] [--clients 32] [--seconds 60] [--new-tokens 8]
                              [--stalled-clients 4] [--big-mb 10] [--max-body-bytes N]

Starts a real server (``python -m qadapter.serving.server``, loopback) holding one random LoRA
adapter, with ``--tracking-uri`` pointing at a listener on 127.0.0.1 that accepts connections and
never answers (a stalled MLflow tracking server). Two phases of ``--seconds / 2`` each:

* ``baseline``: ``--clients`` concurrent clients ask for the loaded adapter, one request after
  another (``--new-tokens`` greedy tokens, EOS ignored);
* ``hostile``: the same clients, plus ``--stalled-clients`` clients asking for registry versions
  (``x<i>-<n>/1``, a new name each time) that the stalled tracking server never resolves, plus
  one client sending a ``--big-mb`` MB request again and again (413 under the default body
  limit; streamed in 1 MB chunks without ``Content-Length``, so the server reads up to its
  limit each time), at most one a second; these run in a separate process, so the measuring
  clients keep their interpreter. The lookup clients honour ``Retry-After`` (a hostile but fair
  user); ``--unfair`` makes both kinds resend at once, a flood rather than a client.

Printed per phase: the loaded adapter's requests/s, p50 and p99 latency, and errors; the hostile
clients' status codes; and the server's resident memory (VmRSS when idle before the first phase,
at the end, and the peak VmHWM) from /proc. The issue's target: hostile p99 within 2x of baseline
p99, RSS growth under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from serve import free_port, random_adapter  # noqa: E402

from qadapter.models import load_base  # noqa: E402


class StalledTracking:
    """A TCP listener on loopback that accepts and never answers (until stopped)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        self.sock.settimeout(0.5)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.held.append(conn)  # read nothing, answer nothing
            except OSError:
                continue

    def close(self):
        self.stop.set()
        for c in self.held:
            c.close()
        self.sock.close()


def proc_memory(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def start_server(args, adapter: Path, tracking_port: int):
    port = free_port()
    cmd = [sys.executable, "-m", "qadapter.serving.server", "--base", args.model]
    cmd += ["--port", str(port), "--log-level", "warning", "--adapter", f"a={adapter}"]
    cmd += ["--tracking-uri", f"http://127.0.0.1:{tracking_port}"]
    if args.max_body_bytes:
        cmd += ["--max-body-bytes", str(args.max_body_bytes)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 600
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("server did not become healthy in 600 s")
        time.sleep(0.2)


BODY = {
    "model": "a",
    "messages": [{"role": "user", "content": "Tell me about bread."}],
    "temperature": 0,
    "ignore_eos": True,
}


def hostile_process(url: str, args: argparse.Namespace, seconds: float, out) -> None:
    """The hostile clients, in a process of their own (so that building and sending 10 MB bodies
    does not take the measuring process's interpreter lock): their status codes into ``out``."""
    import httpx

    stop = threading.Event()
    codes: Counter = Counter()
    lock = threading.Lock()
    body = {**BODY, "max_tokens": args.new_tokens}

    def stalled_client(i: int):
        n = 0
        with httpx.Client(base_url=url, timeout=300) as h:
            while not stop.is_set():
                n += 1
                wait = 0.0
                try:
                    r = h.post("/v1/chat/completions", json={**body, "model": f"x{i}-{n}/1"})
                    code = r.status_code
                    wait = float(r.headers.get("retry-after", 0)) if not args.unfair else 0.0
                except httpx.HTTPError as e:
                    code = type(e).__name__
                with lock:
                    codes[f"lookup {code}"] += 1
                stop.wait(wait)  # a fair client honours Retry-After

    text = "y" * (args.big_mb * 1_000_000)
    big = json.dumps({**body, "messages": [{"role": "user", "content": text}]}).encode()

    def chunks():  # streamed without Content-Length: the server must read up to its limit
        for k in range(0, len(big), 1 << 20):
            yield big[k : k + (1 << 20)]

    def big_client():
        with httpx.Client(base_url=url, timeout=300) as h:
            while not stop.is_set():
                t0 = time.monotonic()
                try:
                    code = h.post(
                        "/v1/chat/completions",
                        content=chunks(),
                        headers={"content-type": "application/json"},
                    ).status_code
                except httpx.HTTPError as e:
                    code = type(e).__name__
                with lock:
                    codes[f"big {code}"] += 1
                if not args.unfair:  # one big request a second, not a flood
                    stop.wait(max(0.0, 1.0 - (time.monotonic() - t0)))

    threads = [
        threading.Thread(target=stalled_client, args=(i,)) for i in range(args.stalled_clients)
    ]
    threads.append(threading.Thread(target=big_client))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(300)
    out.put(dict(codes))


def run_phase(url: str, args, hostile: bool) -> dict:
    import multiprocessing

    import httpx

    stop = threading.Event()
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    body = {**BODY, "max_tokens": args.new_tokens}

    def loaded_client():
        with httpx.Client(base_url=url, timeout=300) as h:
            while not stop.is_set():
                t0 = time.monotonic()
                try:
                    r = h.post("/v1/chat/completions", json=body)
                    ok = r.status_code == 200
                except httpx.HTTPError as e:
                    ok, r = False, type(e).__name__
                with lock:
                    if ok:
                        latencies.append(time.monotonic() - t0)
                    else:
                        errors[getattr(r, "status_code", r)] += 1

    seconds = args.seconds / 2
    proc = queue = None
    if hostile:
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=hostile_process, args=(url, args, seconds, queue))
        proc.start()
    threads = [threading.Thread(target=loaded_client) for _ in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(seconds)  # the phase's length (a benchmark, not a test)
    stop.set()
    for t in threads:
        t.join(300)
    wall = time.monotonic() - t0
    codes = queue.get(timeout=600) if hostile else {}
    if proc is not None:
        proc.join(60)
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
    return {
        "requests": len(lat),
        "rps": len(lat) / wall,
        "p50": q[49],
        "p99": q[98],
        "errors": dict(errors),
        "hostile": codes,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model", default="tiny", choices=["tiny", "smollm2-135m-instruct"])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--new-tokens", type=int, default=8)
    ap.add_argument("--stalled-clients", type=int, default=4)
    ap.add_argument("--big-mb", type=int, default=10)
    ap.add_argument("--max-body-bytes", type=int, default=None, help="the server's (default 4 MiB)")
    ap.add_argument(
        "--unfair",
        action="store_true",
        help="hostile clients ignore Retry-After and resend the big request without pause",
    )
    args = ap.parse_args()

    base = load_base(args.model)
    tracking = StalledTracking()
    with tempfile.TemporaryDirectory(prefix="qadapter-load-") as tmp:
        adapter = random_adapter(base, Path(tmp) / "a", seed=1)
        del base
        proc, url = start_server(args, adapter, tracking.port)
        try:
            idle = proc_memory(proc.pid)
            results = {}
            for phase, hostile in (("baseline", False), ("hostile", True)):
                results[phase] = run_phase(url, args, hostile)
            end = proc_memory(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            tracking.close()
    print(
        f"model {args.model}, {args.clients} clients, {args.new_tokens} new tokens, "
        f"{args.seconds / 2:g} s per phase, {os.cpu_count()} CPUs"
        + (", unfair hostile clients" if args.unfair else "")
    )
    print(f"{'phase':<10} {'req':>6} {'req/s':>7} {'p50 s':>7} {'p99 s':>7}  errors / hostile")
    for phase, r in results.items():
        print(
            f"{phase:<10} {r['requests']:>6} {r['rps']:>7.2f} {r['p50']:>7.3f} {r['p99']:>7.3f}  "
            f"{r['errors'] or '-'} {r['hostile'] or ''}"
        )
    ratio = results["hostile"]["p99"] / results["baseline"]["p99"]
    print(f"p99 hostile / baseline: {ratio:.2f} (target <= 2)")
    print(
        f"RSS idle {idle['VmRSS']:.0f} MiB, end {end['VmRSS']:.0f} MiB, peak {end['VmHWM']:.0f} "
        f"MiB: growth {end['VmHWM'] - idle['VmRSS']:.0f} MiB at peak (target < 500)"
    )


if __name__ == "__main__":
    main()
