"""The two sides of a win-rate comparison: pi1's and the customized policy's responses.

Both sides answer the same prompts with the same sampling settings (greedy by default, so a
comparison is repeatable), in batches of prompts of similar length (less padding), returned in
the prompts' order. pi1 decodes with ``base_generate``; the customized policy with
:class:`qadapter.decode.CustomizedDecoder` (eq. 6, the adapter's alpha0 / alpha_tilde unless
overridden).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Sequence

from ..data.pairs import PreferencePair
from ..data.tokenize import encode_prompt
from ..decode import CustomizedDecoder, SamplingConfig
from .samples import base_generate

GREEDY = SamplingConfig(max_new_tokens=128, greedy=True)


def unique_prompts(
    pairs: Sequence[PreferencePair],
) -> tuple[list[tuple[dict, ...]], int]:
    """The distinct prompts of ``pairs`` in first-seen order, and how many repeats were merged."""
    seen: dict[str, tuple[dict, ...]] = {}
    for p in pairs:
        seen.setdefault(json.dumps(p.prompt, sort_keys=True), p.prompt)
    return list(seen.values()), len(pairs) - len(seen)


def length_batches(
    tokenizer, prompts: Sequence[Sequence[dict]], batch_size: int
) -> list[list[int]]:
    """Indices of ``prompts`` grouped into batches of similar token length (stable order)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    lengths = [len(encode_prompt(tokenizer, p)) for p in prompts]
    order = sorted(range(len(prompts)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def generate_responses(
    base,
    adapter_dir,
    prompts: Sequence[Sequence[dict]],
    *,
    cfg: SamplingConfig = GREEDY,
    batch_size: int = 8,
    alpha0: float | None = None,
    alpha_tilde: float | None = None,
    progress: bool = False,
) -> dict:
    """``{"reference": [...], "customized": [...], "wall_s": {"reference", "customized"}}``.

    ``reference`` are pi1's responses, ``customized`` the adapter's, one per prompt, in order,
    stripped of surrounding whitespace. A sampled ``cfg`` gets its seed advanced per batch so
    batches do not repeat each other's random draws.
    """
    decoder = CustomizedDecoder.from_adapter(
        adapter_dir, base, alpha0=alpha0, alpha_tilde=alpha_tilde
    )
    batches = length_batches(base.tokenizer, prompts, batch_size)
    reference, customized = [""] * len(prompts), [""] * len(prompts)
    wall = {"reference": 0.0, "customized": 0.0}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(prompts), desc="responses", unit="prompt")
    for b, chunk in enumerate(batches):
        batch_cfg = cfg if cfg.seed is None else replace(cfg, seed=cfg.seed + b)
        chunk_prompts = [list(prompts[i]) for i in chunk]
        started = time.perf_counter()
        plain = base_generate(base, chunk_prompts, batch_cfg)
        wall["reference"] += time.perf_counter() - started
        started = time.perf_counter()
        custom = decoder.generate_text(base.tokenizer, chunk_prompts, batch_cfg)
        wall["customized"] += time.perf_counter() - started
        for i, r, c in zip(chunk, plain, custom):
            reference[i], customized[i] = r.strip(), c.strip()
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return {"reference": reference, "customized": customized, "wall_s": wall}
