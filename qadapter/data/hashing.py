"""A stable content hash of a set of preference pairs.

The hash depends only on what the pairs say (prompt messages, chosen, rejected), never on where
they came from: the same pairs read from JSONL or Parquet, or written as HH transcripts or TRL
messages, hash the same, in any order. Duplicates count (it is a hash of a multiset), so hash
after de-duplication, as :func:`qadapter.data.load_preferences` does.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable

from qadapter.data.pairs import PreferencePair

HASH_VERSION = "qadapter-pairs-v1"  # change when the canonical form changes


def pair_digest(pair: PreferencePair) -> str:
    """sha256 hex of one pair's canonical JSON: ``[[[role, content], ...], chosen, rejected]``."""
    canonical = [[[m["role"], m["content"]] for m in pair.prompt], pair.chosen, pair.rejected]
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def dataset_hash(pairs: Iterable[PreferencePair]) -> str:
    """sha256 hex over the sorted pair digests: independent of order, origin and file format."""
    digests = sorted(pair_digest(p) for p in pairs)
    outer = hashlib.sha256(f"{HASH_VERSION}\n{len(digests)}\n".encode())
    for digest in digests:
        outer.update(digest.encode() + b"\n")
    return outer.hexdigest()
