"""Train/test splits: the source's own test split where it has one, else a seeded hash split.

Explicit splits, in order of preference:

1. ``test_source=`` given: that source is the test set;
2. the source declares a test split: ``test.jsonl`` beside ``train.jsonl`` in a directory (or an
   S3 prefix), a sibling ``test.*`` of a ``train.*`` file, or an hf:// dataset with a ``test``
   split; ``validation`` is used when there is no ``test``.

Otherwise each pair goes to test when a seeded hash of its *content* falls below
``test_fraction``, so the same pair always lands on the same side whatever the order or file
format. Pairs of the test set are removed from train (counted in ``Splits.overlap_removed``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from qadapter.data.hashing import pair_digest
from qadapter.data.pairs import PreferencePair
from qadapter.data.records import DataError
from qadapter.data.sources import available_splits, check_source, split_of
from qadapter.data.validate import Summary, load_preferences, require_pairs

HELD_OUT = ("test", "validation")  # split names usable as the test set, preferred first


@dataclass(frozen=True)
class Splits:
    """Train and test pairs, how they were split, and the load summaries behind them."""

    train: list[PreferencePair]
    test: list[PreferencePair]
    method: str  # "explicit (test split of ...)" or "hash(test_fraction=..., seed=...)"
    summaries: tuple[Summary, ...]  # one per load (train, then test when explicit)
    overlap_removed: int = 0  # train pairs dropped because the same pair is in test


def is_test(pair: PreferencePair, *, test_fraction: float, seed: int) -> bool:
    """Whether ``pair`` belongs to the test side of a seeded hash split."""
    digest = hashlib.sha256(f"{seed}\n{pair_digest(pair)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < test_fraction


def hash_split(
    pairs: Iterable[PreferencePair],
    *,
    test_fraction: float = 0.05,
    seed: int = 0,
) -> tuple[list[PreferencePair], list[PreferencePair]]:
    """(train, test), each in input order; membership depends only on content and seed."""
    if not 0.0 <= test_fraction <= 1.0:
        raise DataError(f"test_fraction={test_fraction}; give a number between 0 and 1")
    train, test = [], []
    for pair in pairs:
        (test if is_test(pair, test_fraction=test_fraction, seed=seed) else train).append(pair)
    return train, test


def load_splits(
    source: str,
    *,
    test_source: str | None = None,
    test_fraction: float = 0.05,
    seed: int = 0,
    **load_kwargs: Any,
) -> Splits:
    """Load ``source`` as train and test sets (see the module docstring for the rules).

    ``load_kwargs`` go to :func:`load_preferences` (format, target_domain, strict, ...); with an
    explicit test set, a ``quarantine_path`` gets a ``.test`` twin for the test load. A load with
    no usable pair (empty, or every record quarantined) raises :class:`DataError`.
    """
    source = check_source(source)
    if test_source is not None:
        test_source = check_source(test_source)
    held_out = None
    if test_source is None:
        test_source, held_out = _explicit_test(source)
    if test_source is None:
        result = require_pairs(load_preferences(source, **load_kwargs))
        train, test = hash_split(result.pairs, test_fraction=test_fraction, seed=seed)
        _require_train(train, len(result.pairs), source, f"test_fraction={test_fraction}")
        return Splits(
            train, test, f"hash(test_fraction={test_fraction}, seed={seed})", (result.summary,)
        )
    if held_out is None:  # a separate test source
        train_result = require_pairs(load_preferences(source, **load_kwargs))
        test_result = require_pairs(load_preferences(test_source, **_test_kwargs(load_kwargs)))
    else:  # splits of one source
        train_result = require_pairs(load_preferences(source, split="train", **load_kwargs))
        test_result = require_pairs(
            load_preferences(source, split=held_out, **_test_kwargs(load_kwargs))
        )
    test_keys = {p.key() for p in test_result.pairs}
    train = [p for p in train_result.pairs if p.key() not in test_keys]
    _require_train(train, len(train_result.pairs), source, f"the test set {test_source}")
    return Splits(
        train,
        list(test_result.pairs),
        f"explicit ({held_out or 'test'} split of {test_source})",
        (train_result.summary, test_result.summary),
        len(train_result.pairs) - len(train),
    )


def _require_train(train: list, loaded: int, source: str, why: str) -> None:
    """No training pairs left after the split is a data error, raised before any work starts."""
    if not train:
        raise DataError(
            f"no training pairs left in {source}: all {loaded} loaded pair(s) went "
            f"to the test side ({why}); add pairs or use a different test set"
        )


def _explicit_test(source: str) -> tuple[str | None, str | None]:
    """(test source, split name) when ``source`` declares a held-out split, else (None, None)."""
    path = Path(source)
    if not source.startswith(("hf://", "s3://")) and path.is_file():
        if split_of(path.name) != "train":
            return None, None
        for name in HELD_OUT:
            siblings = sorted(
                p
                for p in path.parent.iterdir()
                if p.is_file()
                and split_of(p.name) == name
                and p.name.split(".", 1)[-1] == path.name.split(".", 1)[-1]
            )
            if siblings:
                return str(siblings[0]), None
        return None, None
    splits = available_splits(source)
    for name in HELD_OUT:
        if name in splits:
            if "train" not in splits:
                raise DataError(
                    f"{source} has a {name!r} split but no 'train' split; name the "
                    "training files train.* (or pass test_source=)"
                )
            return source, name
    return None, None


def _test_kwargs(load_kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs = dict(load_kwargs)
    if kwargs.get("quarantine_path") is not None:
        path = Path(kwargs["quarantine_path"])
        kwargs["quarantine_path"] = path.with_name(f"{path.stem}.test{path.suffix}")
    return kwargs
