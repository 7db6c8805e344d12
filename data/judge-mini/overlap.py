"""Exact and near-duplicate prompts between judge-mini and the other bundled sets (stdlib only).

Prompts are compared after :func:`normalize` (lower case, every run of characters other than
letters and digits turned into one space). Two prompts collide when

- ``exact``: their normalized texts are equal;
- ``jaccard``: the Jaccard similarity of their sets of word 3-grams is at least ``JACCARD`` (0.5);
- ``contained``: at least ``CONTAINED`` (0.8) of the word 3-grams of one of them, with at least
  ``MIN_GRAMS`` (3) 3-grams, appear in the other (catches a question asked inside a longer turn,
  e.g. after "Thanks. Something else now.").

Bundled prompt texts: every Human turn of ``hh-mini`` and ``uncertainty-mini`` (train and test,
earlier turns of conversations included), the questions of ``probe/mc.jsonl`` and
``probe/arith.jsonl``, and the paragraphs of ``probe/prose.jsonl``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

JACCARD = 0.5
CONTAINED = 0.8
MIN_GRAMS = 3


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def grams(text: str) -> frozenset:
    words = normalize(text).split()
    return frozenset(tuple(words[i : i + 3]) for i in range(len(words) - 2))


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def human_turns(transcript: str) -> list[str]:
    return [t.split("\n\nAssistant:")[0] for t in transcript.split("\n\nHuman: ")[1:]]


def bundled_prompts(data: Path) -> dict[str, list[str]]:
    """{"hh-mini/harmless/train": [texts], ...} for every bundled split but judge-mini."""
    out = {}
    for name in ("hh-mini/harmless", "hh-mini/helpful", "uncertainty-mini"):
        for split in ("train", "test"):
            rows = _rows(data / name / f"{split}.jsonl")
            turns = {
                t for r in rows for side in ("chosen", "rejected") for t in human_turns(r[side])
            }
            out[f"{name}/{split}"] = sorted(turns)
    for name, field in (("mc", "question"), ("arith", "question"), ("prose", "text")):
        out[f"probe/{name}"] = [r[field] for r in _rows(data / "probe" / f"{name}.jsonl")]
    return out


def collision(a: str, b: str) -> str | None:
    """The measure by which prompts ``a`` and ``b`` collide, or None."""
    if normalize(a) == normalize(b):
        return "exact"
    ga, gb = grams(a), grams(b)
    if not ga or not gb:
        return None
    shared = len(ga & gb)
    if shared / len(ga | gb) >= JACCARD:
        return "jaccard"
    for g in (ga, gb):
        if len(g) >= MIN_GRAMS and shared / len(g) >= CONTAINED:
            return "contained"
    return None


def collisions(prompts: list[str], others: dict[str, list[str]]) -> list[tuple]:
    """Every (prompt, set name, other text, measure) that collides; an index on 3-grams and
    normalized text keeps it fast, and a pair sharing neither cannot collide."""
    index: dict = {}
    for name, texts in others.items():
        for text in texts:
            for key in list(grams(text)) + [normalize(text)]:
                index.setdefault(key, []).append((name, text))
    hits = []
    for p in prompts:
        candidates = {c for key in list(grams(p)) + [normalize(p)] for c in index.get(key, ())}
        for name, text in sorted(candidates):
            measure = collision(p, text)
            if measure:
                hits.append((p, name, text, measure))
    return hits
