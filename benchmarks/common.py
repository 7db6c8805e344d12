"""What the decoding benchmarks share: the prompts, random adapters, the peer (the base model's own
``generate``), decoders forced to the full length, and the interleaved timing loop.

Each benchmark times its runners (``go(x)`` decodes exactly ``n`` new tokens from input ``x``) in
rounds that interleave them, so machine noise hits them alike, and reports medians. Every call is
timed twice: per wall-clock second and per second of this process's CPU time
(``time.process_time``); on a shared, saturated machine the wall-clock numbers follow the other
tenants' load, the CPU-time ratios much less.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from qadapter.adapter import AdapterConfig, QAdapter, save_adapter  # noqa: E402
from qadapter.data.tokenize import encode_prompt  # noqa: E402

PROMPTS = [
    "Tell me about the history of bread.",
    "How can I keep my houseplants alive in winter?",
    "Explain what a hash table is to a beginner.",
]


def prompt_ids(tokenizer, prompts: Sequence[str] = PROMPTS, device=None) -> list[torch.Tensor]:
    """Each prompt as a one-row chat-template batch, (1, T) long."""
    return [
        torch.tensor([encode_prompt(tokenizer, [{"role": "user", "content": p}])], device=device)
        for p in prompts
    ]


def random_adapter(
    base,
    directory: Path,
    *,
    seed: int = 0,
    noise_seed: int | None = None,
    alpha0: float = 1.0,
    parent=None,
) -> Path:
    """A residual-head adapter with random non-zero LoRA factors (N(0, 0.01^2) added to PEFT's
    initialisation; ``noise_seed`` defaults to ``seed``), saved with ``alpha0``, alpha_tilde 1,
    on ``parent`` (a ``Stack``) when given. The LoRA layers are taken out of ``base`` again."""
    model = QAdapter(base.model, AdapterConfig(head="residual"), parent=parent, seed=seed)
    g = torch.Generator().manual_seed(seed if noise_seed is None else noise_seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn(p.shape, generator=g).to(p.device, p.dtype) * 0.01)
    meta = {"alpha0": alpha0, "alpha_tilde": 1.0, "gamma": 0.99}
    save_adapter(
        model, directory, {**meta, "base_model": base.name, "base_hash": base.content_hash}
    )
    model.qnet.unload()
    return directory


def base_generate_n(model, ids: torch.Tensor, n: int) -> None:
    """The peer: the model's own greedy ``generate`` of exactly ``n`` new tokens (EOS ignored)."""
    with torch.inference_mode():
        out = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=n,
            min_new_tokens=n,
            do_sample=False,
        )
    assert out.shape[1] - ids.shape[1] == n


class NoEos:
    """Make a decoder run the full length, like min_new_tokens does for generate."""

    def __init__(self, decoder):
        self.decoder, self.saved = decoder, decoder.eos

    def __enter__(self):
        self.decoder.eos = torch.tensor([-1])

    def __exit__(self, *exc):
        self.decoder.eos = self.saved


def base_runner(model, n: int) -> Callable[[torch.Tensor], None]:
    """``go(ids)``: the peer on one prompt."""

    def go(ids: torch.Tensor) -> None:
        base_generate_n(model, ids, n)

    return go


def decoder_runner(decoder, cfg, n: int) -> Callable[[torch.Tensor], None]:
    """``go(ids)``: a ``CustomizedDecoder`` on one prompt, EOS ignored, exactly ``n`` tokens."""

    def go(ids: torch.Tensor) -> None:
        with NoEos(decoder):
            out = decoder.generate(ids, torch.ones_like(ids), cfg)
        assert out.shape[1] == n

    return go


def no_sync() -> None:
    """What :func:`interleaved_rates` waits on around each call on a CPU: nothing."""


def timed(fn, *args, sync: Callable[[], None] = no_sync) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call ``fn(*args)``."""
    sync()
    w, c = time.perf_counter(), time.process_time()
    fn(*args)
    sync()
    return time.perf_counter() - w, time.process_time() - c


def interleaved_rates(
    runners: dict[str, Callable],
    inputs: Sequence,
    n: int,
    repeats: int,
    *,
    sync: Callable[[], None] = no_sync,
    log: bool = False,
) -> dict[str, tuple[list[float], list[float]]]:
    """``{name: (tokens per wall second, tokens per CPU second)}`` per round: round r runs every
    runner once, in order, on ``inputs[r % len(inputs)]``. ``sync`` is called before and after
    each call (a GPU's queue); ``log`` prints each round's rate to stderr."""
    rates: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in runners}
    for r in range(repeats):
        x = inputs[r % len(inputs)]
        for name, go in runners.items():
            wall, cpu = timed(go, x, sync=sync)
            rates[name][0].append(n / wall)
            rates[name][1].append(n / max(cpu, 1e-9))
            if log:
                print(f"  round {r + 1} {name}: {n / wall:.2f} tok/s", file=sys.stderr, flush=True)
    return rates
