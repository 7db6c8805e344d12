"""``qadapter serve`` throughput against the base model's own ``generate``, in one run; and the
server's memory with 1 vs 4 adapters loaded.

    python benchmarks/serve.py [--model tiny|smollm2-135m-instruct] [--new-tokens 32]
                               [--repeats 3] [--clients 1,8] [--memory]

Starts a real server (``python -m qadapter.serving.server``, one thread, loopback) holding one
random (non-zero) LoRA adapter, then, in interleaved rounds on the same prompts and the same number
of new tokens (``ignore_eos`` on the server, ``min_new_tokens`` on the peer; greedy on both):

* ``generate``: the base model's own ``model.generate``, batch 1, one prompt after another (what
  a server without batching would do for k clients); ``generate xk``: the k prompts left-padded
  into one ``generate`` batch (the best the peer can do with all requests known in advance);
* ``serve base``: k concurrent HTTP clients asking the server for the bare base;
* ``serve adapter``: k concurrent clients asking for the adapter at alpha0 = 0.5 (eq. 6: base
  and adapter rows in each forward); ``serve adapter a0=1``: an adapter at alpha0 = 1 (residual
  head: one pass per token, exact).

tokens/s = all new tokens / wall time from the first request to the last answer; tok/CPU-s = the
same tokens / the CPU time the server process (or the peer) used meanwhile, which a loaded machine
disturbs less. Each is printed with its ratio to ``generate`` one by one (medians over rounds).
``--memory`` starts the server with 0, 1 and 4 adapters and prints its resident memory (VmRSS
after start-up, VmHWM the peak) from /proc.
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
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import base_generate_n, random_adapter  # noqa: E402  (benchmarks/common.py)

from qadapter.data.tokenize import encode_prompt, left_pad  # noqa: E402
from qadapter.models import load_base  # noqa: E402

PROMPTS = [
    "Tell me about the history of bread.",
    "How can I keep my houseplants alive in winter?",
    "Explain what a hash table is to a beginner.",
    "What should I pack for a weekend hike?",
    "Give me three tips for writing clear emails.",
    "Why is the sky blue?",
    "How do vaccines train the immune system?",
    "Suggest a name for a friendly robot.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m qadapter.serving.server`` on a free loopback port; always reaped."""

    def __init__(self, model: str, adapters: list[Path]):
        self.port = free_port()
        cmd = [sys.executable, "-m", "qadapter.serving.server", "--base", model]
        cmd += ["--port", str(self.port), "--log-level", "warning", "--max-batch", "8"]
        for i, d in enumerate(adapters):
            cmd += ["--adapter", f"adapter{i}={d}"]
        env = {**os.environ, "OMP_NUM_THREADS": str(torch.get_num_threads())}
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        import httpx

        deadline = time.monotonic() + 600
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become healthy in 600 s")
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def cpu_seconds(self) -> float:
        """user + system CPU time the server process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict[str, float]:
        """VmRSS and VmHWM of the server process, MiB."""
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
        return out


def serve_rate(server: Server, model: str, prompts: list[str], n: int) -> tuple[float, float]:
    """(tokens per wall second, tokens per server CPU second) of len(prompts) concurrent
    clients, each asking for n greedy tokens."""
    import httpx

    barrier = threading.Barrier(len(prompts) + 1)
    counts = [0] * len(prompts)

    def client(i: int) -> None:
        body = {"model": model, "messages": [{"role": "user", "content": prompts[i]}]}
        body.update(temperature=0, max_tokens=n, ignore_eos=True)
        with httpx.Client(timeout=600) as h:
            barrier.wait()
            r = h.post(f"{server.url}/v1/chat/completions", json=body)
            r.raise_for_status()
            counts[i] = r.json()["usage"]["completion_tokens"]

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(prompts))]
    for t in threads:
        t.start()
    barrier.wait()
    start, cpu = time.perf_counter(), server.cpu_seconds()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - start, server.cpu_seconds() - cpu
    assert counts == [n] * len(prompts), counts
    return sum(counts) / elapsed, sum(counts) / max(cpu, 1e-9)


def generate_rate(base, prompts: list[str], n: int, *, batched: bool) -> tuple[float, float]:
    """(tokens per wall second, tokens per CPU second) of the base model's own generate."""
    ids = [encode_prompt(base.tokenizer, [{"role": "user", "content": p}]) for p in prompts]
    start, cpu = time.perf_counter(), time.process_time()
    if batched:
        x, mask = left_pad(ids, base.tokenizer.pad_token_id)
        with torch.inference_mode():
            out = base.model.generate(
                x, attention_mask=mask, max_new_tokens=n, min_new_tokens=n, do_sample=False
            )
        assert out.shape[1] - x.shape[1] == n
    else:
        for row in ids:
            base_generate_n(base.model, torch.tensor([row]), n)
    tokens = len(prompts) * n
    return tokens / (time.perf_counter() - start), tokens / (time.process_time() - cpu)


def throughput(args, base, adapters: list[Path]) -> None:
    clients = [int(c) for c in args.clients.split(",")]
    rates: dict[str, list[float]] = {}
    cpu_rates: dict[str, list[float]] = {}
    with Server(args.model, adapters) as server:
        for k in clients:  # warm-up
            serve_rate(server, "adapter0", PROMPTS[:k], 4)
        generate_rate(base, PROMPTS[:1], 4, batched=False)
        for r in range(args.repeats):
            for k in clients:
                prompts = [PROMPTS[(r + i) % len(PROMPTS)] for i in range(k)]
                n = args.new_tokens
                runs = {
                    f"generate x{k} one by one": lambda: generate_rate(
                        base, prompts, n, batched=False
                    ),
                    f"serve base, {k} clients": lambda: serve_rate(server, args.model, prompts, n),
                    f"serve adapter, {k} clients": lambda: serve_rate(
                        server, "adapter0", prompts, n
                    ),
                    f"serve adapter a0=1, {k} clients": lambda: serve_rate(
                        server, "adapter1", prompts, n
                    ),
                }
                if k > 1:
                    runs[f"generate x{k} batched"] = lambda: generate_rate(
                        base, prompts, n, batched=True
                    )
                for name, go in runs.items():
                    wall, cpu = go()
                    rates.setdefault(name, []).append(wall)
                    cpu_rates.setdefault(name, []).append(cpu)
                    print(
                        f"  round {r + 1} {name}: {wall:.1f} tok/s, {cpu:.1f} tok/CPU-s", flush=True
                    )
    print(
        f"model={args.model} new_tokens={args.new_tokens} repeats={args.repeats} "
        f"threads={torch.get_num_threads()} load={os.getloadavg()[0]:.2f}"
    )
    med = {k: statistics.median(v) for k, v in rates.items()}
    cmed = {k: statistics.median(v) for k, v in cpu_rates.items()}
    print(
        f"{'':30s} {'tok/s':>8s} {'[min-max]':>15s} {'ratio':>7s}   {'tok/CPU-s':>9s} {'ratio':>7s}"
    )
    for k in clients:
        peer = f"generate x{k} one by one"
        for name in [n for n in med if n.endswith((f"x{k} one by one", f"x{k} batched"))] + [
            f"serve base, {k} clients",
            f"serve adapter, {k} clients",
            f"serve adapter a0=1, {k} clients",
        ]:
            spread = f"[{min(rates[name]):.1f}-{max(rates[name]):.1f}]"
            print(
                f"{name:30s} {med[name]:8.1f} {spread:>15s} {med[name] / med[peer]:7.3f}   "
                f"{cmed[name]:9.1f} {cmed[name] / cmed[peer]:7.3f}"
            )


def memory(args, adapters: list[Path]) -> None:
    rows = []
    for count in (0, 1, 4):
        with Server(args.model, adapters[:count]) as server:
            rows.append((count, server.memory()))
    print(f"model={args.model} server resident memory (MiB), threads={torch.get_num_threads()}")
    for count, m in rows:
        extra = m["VmRSS"] - rows[0][1]["VmRSS"]
        print(
            f"{count} adapter(s): VmRSS {m['VmRSS']:8.1f}  VmHWM {m['VmHWM']:8.1f}  "
            f"(+{extra:.1f} over the bare base)"
        )
    per = (rows[2][1]["VmRSS"] - rows[1][1]["VmRSS"]) / 3
    print(f"each adapter after the first: {per:.1f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model", default="tiny", choices=["tiny", "smollm2-135m-instruct"])
    ap.add_argument("--new-tokens", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--clients", default="1,8")
    ap.add_argument("--memory", action="store_true", help="also measure RSS with 0/1/4 adapters")
    args = ap.parse_args()
    if args.new_tokens < 1 or args.repeats < 1:
        ap.error("--new-tokens and --repeats must be >= 1")
    base = load_base(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        adapters = [random_adapter(base, Path(tmp) / f"a{i}", seed=i, alpha0=0.5) for i in range(4)]
        one_pass = random_adapter(base, Path(tmp) / "one-pass", seed=9, alpha0=1.0)
        throughput(args, base, [adapters[0], one_pass])
        if args.memory:
            memory(args, adapters)
    print(json.dumps({"load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
