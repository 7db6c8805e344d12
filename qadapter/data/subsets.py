"""Seeded subsets of a source's train and held-out pairs: what every stage and recipe trains on.

A subset is independent of file order (the n pairs with the smallest salted digest), so the same
source, size and seed give the same pairs on every machine.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

from .hashing import dataset_hash, pair_digest
from .pairs import PreferencePair


def subset(pairs: Sequence[PreferencePair], n: int | None, seed: int) -> list[PreferencePair]:
    """A seeded subset independent of file order: the n pairs with the smallest salted digest."""
    if n is None or n >= len(pairs):
        return list(pairs)
    salt = f"{seed}:".encode()
    return sorted(pairs, key=lambda p: hashlib.sha256(salt + pair_digest(p).encode()).hexdigest())[
        :n
    ]


def mixed_sources(
    sources: Sequence[str], n: int | None, seed: int, what: str = "mix source"
) -> list[tuple[str, list[PreferencePair]]]:
    """``(source, pairs)`` of each source trained on alongside a stage's own pairs (customize's
    ``mix``, and a re-customization level's): ``n`` (None: all) of its seeded train
    split (:func:`stage_data`). A source without train pairs is a ``ConfigError``."""
    from ..config import ConfigError
    from ..secrets import redact

    out = []
    for src in sources:
        pairs = stage_data(src, n, 0, seed)["train"]
        if not pairs:
            raise ConfigError(f"{what} {redact(src)}: no train pairs; check the source")
        out.append((src, list(pairs)))
    return out


def stage_data(source: str, n_train: int | None, n_test: int | None, seed: int) -> dict:
    """Train and held-out pairs of a source (its own test split, else a seeded hash split)."""
    from .split import load_splits

    splits = load_splits(source, seed=seed)
    train = subset(splits.train, n_train, seed)
    test = subset(splits.test, n_test, seed)
    return {
        "train": train,
        "test": test,
        "train_hash": dataset_hash(train),
        "test_hash": dataset_hash(test) if test else None,
        "split": splits.method,
        "quarantined": sum(s.quarantined for s in splits.summaries),
    }
