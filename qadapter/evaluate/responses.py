"""The two sides of a win-rate comparison: pi1's and the customized policy's responses.

Both sides answer the same prompts with the same sampling settings (greedy by default, so a
comparison is repeatable), in batches of prompts of similar length (less padding), returned in
the prompts' order. pi1 decodes with ``base_generate``; the customized policy with
:class:`qadapter.decode.CustomizedDecoder` (eq. 6, the adapter's alpha0 / alpha_tilde unless
overridden).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, replace
from pathlib import Path
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
    reference_cache: str | Path | None = None,
) -> dict:
    """``{"reference": [...], "customized": [...], "wall_s": {"reference", "customized"},
    "reference_cached": bool}``.

    ``reference`` are pi1's responses, ``customized`` the adapter's, one per prompt, in order,
    stripped of surrounding whitespace. A sampled ``cfg`` gets its seed advanced per batch so
    batches do not repeat each other's random draws. ``reference_cache``: a directory where pi1's
    greedy responses are kept by :func:`reference_key` (base content hash, prompts, settings,
    batch size), so pi1 answers a prompt set once for every adapter, alpha0 and run.
    """
    decoder = CustomizedDecoder.from_adapter(
        adapter_dir, base, alpha0=alpha0, alpha_tilde=alpha_tilde
    )
    cached_file = None
    if reference_cache is not None and cfg.greedy:
        cached_file = (
            Path(reference_cache) / f"{reference_key(base, prompts, cfg, batch_size)}.json"
        )
    known = _read_replies(cached_file, len(prompts))
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
        if known is None:
            plain = base_generate(base, chunk_prompts, batch_cfg)
        else:
            plain = [known[i] for i in chunk]
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
    if cached_file is not None and known is None:
        _write_replies(cached_file, reference)
    return {
        "reference": reference,
        "customized": customized,
        "wall_s": wall,
        "reference_cached": known is not None,
    }


def reference_replies(
    base,
    prompts: Sequence[Sequence[dict]],
    *,
    cfg: SamplingConfig = GREEDY,
    batch_size: int = 8,
    cache: str | Path | None = None,
) -> tuple[list[str], bool]:
    """pi1's greedy replies to ``prompts`` (in order, stripped) and whether they came from
    ``cache``: the same batches and file as :func:`generate_responses`' reference side, so
    either function reuses what the other generated."""
    if not cfg.greedy:
        raise ValueError("reference_replies: pi1's replies are cached for greedy decoding only")
    path = None
    if cache is not None:
        path = Path(cache) / f"{reference_key(base, prompts, cfg, batch_size)}.json"
    known = _read_replies(path, len(prompts))
    if known is not None:
        return known, True
    replies = [""] * len(prompts)
    for chunk in length_batches(base.tokenizer, prompts, batch_size):
        out = base_generate(base, [list(prompts[i]) for i in chunk], cfg)
        for i, r in zip(chunk, out):
            replies[i] = r.strip()
    if path is not None:
        _write_replies(path, replies)
    return replies, False


def _write_replies(path: Path, replies: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"replies": replies}, ensure_ascii=False) + "\n")
    tmp.replace(path)  # atomic: a reader never sees half a file


def reference_key(base, prompts: Sequence[Sequence[dict]], cfg: SamplingConfig, batch_size: int):
    """sha256 of what decides pi1's greedy replies: the base's content hash, the prompts in
    order, the sampling settings and the batch size (batches pad, padding can move a float)."""
    h = hashlib.sha256()
    h.update(base.content_hash.encode())
    h.update(json.dumps([list(p) for p in prompts], sort_keys=True).encode())
    h.update(json.dumps(asdict(cfg), sort_keys=True, default=str).encode())
    h.update(str(batch_size).encode())
    return h.hexdigest()[:32]


def _read_replies(path: Path | None, n: int) -> list[str] | None:
    """Cached replies, or None when there is no cache file or it does not fit (then pi1
    answers again and the file is rewritten)."""
    if path is None or not path.is_file():
        return None
    try:
        replies = json.loads(path.read_text())["replies"]
    except (ValueError, KeyError, TypeError):
        return None
    ok = (
        isinstance(replies, list) and len(replies) == n and all(isinstance(r, str) for r in replies)
    )
    return replies if ok else None
