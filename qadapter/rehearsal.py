"""Rehearsal: rebuild, from an adapter's ``qadapter.json``, the pairs it was trained on.

A new level stacked on a champion can forget what the champion learned (docs/recustomize.md:
a level trained on "state your uncertainty" stopped declining risky prompts). The textbook guard
in continual learning is rehearsal: train the new level on the old training data alongside the
new. Mixing an old *source* in (a recipe's ``mix``) is not the same thing when the old adapter was
trained with the steering recipe: its harmless pairs had pi1's own greedy replies as the rejected
side, and the pairs of another source mixed in. This module rebuilds exactly those pairs:

- the source's seeded train subset (``qadapter.data.subsets.stage_data`` with the recorded size and
  seed), checked against the recorded ``data.hash``;
- each mixed-in source's subset (``qadapter.data.subsets.mixed_sources``), checked against its hash;
- with ``data.onpolicy.policy == "pi1"``, pi1's greedy replies of the recorded length as the
  rejected side (``qadapter.onpolicy.cached_onpolicy_pairs``, the code that built them the first
  time; cached).

A re-customization level's pairs come from watched files, which its ``qadapter.json`` cannot
name, and its on-policy replies from its parent's stack. So a level stores its own pairs, as it
trained on them, in its adapter directory (:data:`OWN_PAIRS`, recorded as ``data.own`` with their
hash; bundled with the model in the registry); rehearsing it reads them back. Its replayed pairs
are not its own: they are its ancestors' (or old sources'), rehearsed from there.

A changed source or stored file is an error (that would not be rehearsal). Greedy replies
regenerated on other hardware may differ in a token or two; that is reported
(``Rebuilt.verified``), not refused. An adapter whose pairs can be neither rebuilt nor read (a
level trained before levels stored them, a redacted source) is named in one :class:`ConfigError`
line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .config import ConfigError

OWN_PAIRS = "trained_pairs.jsonl"  # a level's own training pairs, next to its weights
LABEL = "rehearsal of "  # how a level's data.mix names an ancestor's rehearsed pairs


@dataclass(frozen=True)
class TrainedOn:
    """What one adapter's ``qadapter.json`` says it was trained on."""

    label: str  # how lines and records name the adapter (its registry reference, or directory)
    base_model: str  # pi1, whose greedy replies were the on-policy rejected sides
    source: str
    pairs: int
    seed: int
    data_hash: str
    onpolicy_tokens: int | None
    onpolicy_hash: str | None
    mix: tuple[tuple[str, int, str], ...]  # (source, pairs, hash)
    trained_hash: str  # the hash of everything trained on (= data_hash for plain training)
    stored: str | None = None  # the file of a level's own pairs (then nothing is rebuilt)

    @property
    def total(self) -> int:
        return self.pairs + sum(n for _, n, _ in self.mix)

    def record(self) -> dict:
        """What identifies the rehearsal in a level's settings: pairs and content hash, the form
        of ``tasks.recustomize.replay_record`` (paths may differ between machines)."""
        return {"pairs": self.total, "hash": self.trained_hash}


@dataclass(frozen=True)
class Rebuilt:
    label: str
    pairs: list
    verified: bool  # every rebuilt part has its recorded hash (False: regenerated replies differ)


def trained_on(meta: dict, label: str, directory: str | Path | None = None) -> TrainedOn:
    """The :class:`TrainedOn` of a ``qadapter.json`` (``meta``, read from ``directory``);
    ``ConfigError`` if its training pairs can be neither rebuilt nor read."""
    data = meta.get("data") or {}
    source = data.get("source")
    own = data.get("own")
    if own and directory is not None:
        path = Path(directory) / own["file"]
        if not path.is_file():
            raise ConfigError(
                f"rehearsal: {label}'s own training pairs ({own['file']}) are missing from "
                f"{directory}; restore the adapter directory, or mix its sources in with mix"
            )
        return TrainedOn(
            label=label,
            base_model=meta["base_model"],
            source=str(path),
            pairs=int(own["pairs"]),
            seed=0,
            data_hash=own["hash"],
            onpolicy_tokens=None,
            onpolicy_hash=None,
            mix=(),
            trained_hash=own["hash"],
            stored=str(path),
        )
    if not source or source == "recustomize":
        raise ConfigError(
            f"rehearsal: {label} was trained by a re-customization level that did not store its "
            f"pairs ({OWN_PAIRS}, stored since 2026-11-27); mix old preferences in with "
            "mix instead"
        )
    if "***" in source:
        raise ConfigError(
            f"rehearsal: {label}'s training source is recorded redacted ({source}); mix its "
            "source in with mix instead"
        )
    onpolicy = data.get("onpolicy")
    if onpolicy and onpolicy.get("policy") != "pi1":
        raise ConfigError(
            f"rehearsal: {label} was trained on its parent's on-policy replies, which cannot be "
            "rebuilt yet; mix old preferences in with mix instead"
        )
    seed = (meta.get("train_config") or {}).get("seed")
    if seed is None or data.get("pairs") is None or not data.get("hash"):
        raise ConfigError(
            f"rehearsal: {label}'s qadapter.json lacks the seed, pair count or data hash of its "
            "training set; mix old preferences in with mix instead"
        )
    return TrainedOn(
        label=label,
        base_model=meta["base_model"],
        source=source,
        pairs=int(data["pairs"]),
        seed=int(seed),
        data_hash=data["hash"],
        onpolicy_tokens=int(onpolicy["tokens"]) if onpolicy else None,
        onpolicy_hash=onpolicy["hash"] if onpolicy else None,
        mix=tuple((m["source"], int(m["pairs"]), m["hash"]) for m in data.get("mix") or ()),
        trained_hash=data.get("trained_hash") or data["hash"],
    )


def lineage_recipes(adapter_dir: str | Path, refs: Sequence[str] = ()) -> list[TrainedOn]:
    """The :class:`TrainedOn` of every adapter of the stack ending at ``adapter_dir``, root first
    (the lineage is verified: ``qadapter.meta.verified_lineage``). ``refs`` name the adapters top
    first (e.g. ``models:/m/5``, then its parent ``models:/m/1``): a registered stack's bundled
    ``parent`` fields are relative directories. Unnamed ones get the child's ``parent`` field, or
    their directory."""
    from .meta import verified_lineage

    chain = verified_lineage(adapter_dir)
    fallback = [m.get("parent") for _, m in chain[1:]] + [None]
    named = ([refs] if isinstance(refs, str) else list(refs))[: len(chain)][::-1]  # root first
    labels = [None] * (len(chain) - len(named)) + named
    return [
        trained_on(meta, str(label or parent or path), path)
        for (path, meta), label, parent in zip(chain, labels, fallback)
    ]


def write_own(directory: str | Path, pairs: Sequence) -> dict:
    """Store a level's own training pairs in ``directory`` (:data:`OWN_PAIRS`, one JSON object
    per line, written atomically); returns the record for ``qadapter.json``'s ``data.own``."""
    import json
    import os

    from .data import dataset_hash

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (OWN_PAIRS + ".tmp")
    with open(tmp, "w") as f:
        for p in pairs:
            f.write(json.dumps(p.to_row()) + "\n")
    os.replace(tmp, directory / OWN_PAIRS)
    return {"file": OWN_PAIRS, "pairs": len(pairs), "hash": dataset_hash(pairs)}


def read_own(path: str | Path) -> list:
    """The pairs :func:`write_own` stored."""
    import json

    from .data.pairs import PreferencePair

    lines = Path(path).read_text().splitlines()
    return [PreferencePair.from_row(json.loads(line)) for line in lines if line.strip()]


def rebuild(r: TrainedOn, base, *, log: Callable[[str], None] | None = None) -> Rebuilt:
    """The pairs ``r`` was trained on, in training order (own pairs, then each mixed source).
    ``base``: pi1 (a :class:`qadapter.models.Base`, the one ``r.base_model`` names)."""
    from .data import DataError, dataset_hash
    from .data.subsets import stage_data
    from .onpolicy import cached_onpolicy_pairs

    if r.stored is not None:
        pairs = read_own(r.stored)
        if dataset_hash(pairs) != r.data_hash or len(pairs) != r.pairs:
            raise ConfigError(
                f"rehearsal: {r.stored} is not the file {r.label} stored (content hash "
                f"{dataset_hash(pairs)[:12]}, recorded {r.data_hash[:12]}); restore the adapter "
                "directory, or mix its sources in with mix"
            )
        if log:
            log(f"rehearsal: {len(pairs)} pairs {r.label} trained on, read from {OWN_PAIRS}")
        return Rebuilt(r.label, pairs, True)

    def changed(what: str, got: str, want: str) -> ConfigError:
        return ConfigError(
            f"rehearsal: {what} no longer gives the pairs {r.label} was trained on (content hash "
            f"{got[:12]}, recorded {want[:12]}); restore that data, or mix its sources in with mix"
        )

    def load(src: str, n: int) -> list:
        try:
            return stage_data(src, n, 0, r.seed)["train"]
        except (DataError, OSError, ValueError) as e:
            raise ConfigError(f"rehearsal: cannot load {r.label}'s training data: {e}") from None

    train = load(r.source, r.pairs)
    got = dataset_hash(train)
    if got != r.data_hash or len(train) != r.pairs:
        raise changed(r.source, got, r.data_hash)
    # each mixed-in source at its recorded size, as customize's mix chose them
    mixed = [(src, load(src, n)) for src, n, _ in r.mix]
    for (src, ps), (_, _, want) in zip(mixed, r.mix):
        if (got := dataset_hash(ps)) != want:
            raise changed(src, got, want)
    pairs = list(train)
    if r.onpolicy_tokens is not None:  # pi1's replies, as customize.fit built them (cached)
        pairs = cached_onpolicy_pairs(base, train, r.onpolicy_tokens, log=log)
    replies = dataset_hash(pairs)
    for _, ps in mixed:
        pairs += ps
    verified = r.onpolicy_hash is None or replies == r.onpolicy_hash
    if not verified and log:
        log(
            f"rehearsal: pi1's regenerated replies for {r.label} differ from the ones it was "
            f"trained on (hash {replies[:12]}, recorded {r.onpolicy_hash[:12]}); "
            "rehearsing the regenerated ones"
        )
    return Rebuilt(r.label, pairs, verified)


def rebuild_all(recipes: Sequence[TrainedOn], base, *, log=None) -> list[tuple[str, list]]:
    """``(label, pairs)`` of each recipe, the form of a level's ``replay``."""
    out = []
    for r in recipes:
        b = rebuild(r, base, log=log)
        out.append((LABEL + b.label, b.pairs))
    return out
