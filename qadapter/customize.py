"""The one way an adapter is customized: a :class:`Recipe` says what pairs it trains on, and
:func:`fit` builds them, reuses a finished adapter whose record matches, or trains and writes
``qadapter.json``.

Every driver calls :func:`fit`: ``qadapter train``, the pipeline's customize stage (in process
and under a launcher, ``qadapter.stages`` / ``qadapter.launched``; the sweep's train-time points
are that stage) and a re-customization level (``tasks.recustomize.train_level``).

The pairs, in training order:

1. the source's train pairs (a seeded subset of ``pairs`` of them, or all), their rejected side
   the data's own answer (``Rejected.DATA``) or the greedy reply of ``onpolicy_tokens`` new tokens
   of the policy the adapter is trained on (``Rejected.ONPOLICY``): pi1, or on a stack the parent
   stack's customized policy (:mod:`qadapter.onpolicy`; cached in the model cache, so a second
   run, a sweep point or another alpha0 never generates them again);
2. each source of ``mix``, ``mix_pairs`` of its seeded train split (None: all), unchanged;
3. with ``rehearse``, the parent lineage's own training pairs (:mod:`qadapter.rehearsal`).

``qadapter.json``'s ``data`` records them with the same names: ``rejected`` ("data" or
"onpolicy"), ``onpolicy`` ({policy, tokens, pairs, hash}), ``mix`` ([{source, pairs, hash}],
rehearsed adapters labelled ``rehearsal of ...``) and ``trained_hash`` (of everything trained on;
absent when that is the source's pairs alone). ``data.hash`` is the source's pairs' hash: the
lineage names the user's data, not the recipe.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Literal, Sequence

from .config import BIG, ConfigError, TrainConfig
from .data.pairs import PreferencePair

Log = Callable[[str], None]


class Rejected(str, Enum):
    """Where the rejected side of the source's pairs comes from."""

    DATA = "data"  # the data's own rejected answers (the paper's static, off-policy data)
    ONPOLICY = "onpolicy"  # the trained-on policy's greedy replies (pi1, or the parent stack)


@dataclass(frozen=True)
class Recipe:
    """What pairs an adapter trains on (module docstring). Frozen; JSON via :meth:`to_dict`."""

    source: str  # the train pairs' source (a path or URI; a label when the pairs are given)
    pairs: int | None = None  # a seeded subset of the source's train split; None: all of it
    rejected: Rejected = Rejected.DATA
    onpolicy_tokens: int = 32  # new tokens of each on-policy reply (with Rejected.ONPOLICY)
    mix: tuple[str, ...] = ()  # other sources trained on alongside, unchanged
    mix_pairs: int | None = None  # a seeded subset of each mixed source; None: all of it
    rehearse: bool = False  # also the parent lineage's own training pairs

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "rejected", Rejected(self.rejected))
        except ValueError:
            raise ConfigError(
                f"rejected must be one of {', '.join(r.value for r in Rejected)}; "
                f"got {self.rejected!r}"
            ) from None
        mix = (self.mix,) if isinstance(self.mix, str) else tuple(self.mix)
        object.__setattr__(self, "mix", mix)
        for name in ("pairs", "mix_pairs", "onpolicy_tokens"):
            v = getattr(self, name)
            bad = isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= BIG
            if v is not None and bad:
                raise ConfigError(f"{name} must be an integer in [1, {BIG}]; got {v!r}")
        if self.onpolicy_tokens is None:
            raise ConfigError("onpolicy_tokens must be an integer >= 1; got None")
        for src in (self.source, *mix):
            if not isinstance(src, str) or not src.strip():
                raise ConfigError(f"recipe source {src!r} is not a data source; give a path/URI")

    @property
    def onpolicy(self) -> bool:
        return self.rejected is Rejected.ONPOLICY

    def to_dict(self) -> dict:
        return {**asdict(self), "rejected": self.rejected.value, "mix": list(self.mix)}

    @classmethod
    def from_dict(cls, d: dict) -> "Recipe":
        return cls(**d)


@dataclass(frozen=True)
class TrainData:
    """The source's train pairs and what ``qadapter.json`` says about them besides their hash."""

    pairs: Sequence[PreferencePair]
    split: str  # how the train/test split was made
    test_hash: str | None = None
    quarantined: int | None = None  # records the loader set aside (recorded when counted)


@dataclass(frozen=True)
class Fitted:
    """What :func:`fit` gives back: the adapter directory and what it was trained on."""

    adapter_dir: str
    base_hash: str
    data_hash: str
    test_hash: str | None
    recipe: dict  # qadapter.json's data.onpolicy / mix / trained_hash (empty: plain training)
    steps: int | None
    pairs: int | None
    truncated: int
    metrics: dict
    seconds: float
    reused: bool
    token_lengths: dict = field(default_factory=dict)
    model: object = field(default=None, repr=False, compare=False)  # trained here (not reused)

    def record(self) -> dict:
        """The JSON-able stage record (no live model)."""
        return {k: v for k, v in asdict(self).items() if k not in ("model", "token_lengths")}


def source_data(recipe: Recipe, seed: int, n_test: int | None = 0) -> tuple[TrainData, list]:
    """The recipe's source: its seeded train subset (``qadapter.stages.stage_data``) and
    ``n_test`` held-out pairs."""
    from .data.subsets import stage_data

    d = stage_data(recipe.source, recipe.pairs, n_test, seed)
    return TrainData(d["train"], d["split"], d["test_hash"]), d["test"]


def mixed_data(recipe: Recipe, seed: int) -> list[tuple[str, list[PreferencePair]]]:
    """``(source, pairs)`` of each ``recipe.mix`` source: ``mix_pairs`` of its seeded train split
    (None: all). A source without train pairs is a ``ConfigError``."""
    from .data.subsets import mixed_sources

    return mixed_sources(recipe.mix, recipe.mix_pairs, seed)


def build_pairs(
    base,
    train: Sequence[PreferencePair],
    recipe: Recipe,
    mixed: Sequence[tuple[str, Sequence[PreferencePair]]] = (),
    *,
    parent: str | None = None,
    lineage: Sequence[str] = (),
    log: Log | None = None,
    progress: bool = False,
) -> tuple[list[PreferencePair], dict]:
    """The pairs ``recipe`` trains on (module docstring) and their record for ``qadapter.json``'s
    ``data``. ``base``: pi1 (a :class:`qadapter.models.Base`, before any adapter wraps it);
    ``parent``: the adapter directory stacked on (on-policy replies and rehearsal come from it);
    ``lineage``: registry references of the parent's lineage, top first (rehearsal labels)."""
    from .data import dataset_hash
    from .onpolicy import cached_onpolicy_pairs
    from .secrets import redact

    record: dict = {"rejected": recipe.rejected.value}
    pairs = list(train)
    if recipe.onpolicy:
        tokens = recipe.onpolicy_tokens
        pairs = cached_onpolicy_pairs(base, train, tokens, log=log, parent=parent, bar=progress)
        record["onpolicy"] = {
            "policy": "pi1" if parent is None else "parent",
            "tokens": tokens,
            "pairs": len(pairs),
            "hash": dataset_hash(pairs),
        }
    extra = [(redact(src), list(ps)) for src, ps in mixed]
    if recipe.rehearse:
        extra += _rehearsed(base, parent, lineage, log)
    if extra:
        record["mix"] = [
            {"source": src, "pairs": len(ps), "hash": dataset_hash(ps)} for src, ps in extra
        ]
        for _, ps in extra:
            pairs += ps
    if len(record) > 1:  # something besides the source's own pairs
        record["trained_hash"] = dataset_hash(pairs)
    return pairs, record


def _rehearsed(base, parent, lineage, log) -> list[tuple[str, list]]:
    from .rehearsal import lineage_recipes, rebuild_all

    if parent is None:
        if log:
            log("rehearse: no parent, so no lineage to rehearse")
        return []
    return rebuild_all(lineage_recipes(parent, lineage), base, log=log)


def finished(
    out: str | Path,
    data_hash: str,
    cfg: TrainConfig,
    recipe: Recipe,
    mixed: Sequence[tuple[str, Sequence[PreferencePair]]] = (),
) -> dict | None:
    """The ``qadapter.json`` of an adapter already trained in ``out`` on these inputs, else None.

    Training writes the record last (atomically) and removes its checkpoints when it ends, so a
    stage retried after that (say, the MLflow upload failed) would otherwise train again from
    step 0. The one check: the same source pairs (``data.hash``), the same training settings
    (method values are compared wherever the record keeps them), the same rejected side and reply
    length, the same mixed pairs (by content). The caller's work directory key covers the rest
    (base, parent, rehearsed lineage). Records of every shape qadapter has written are read."""
    import json

    from .data import dataset_hash
    from .meta import META_FILE, read_meta, stored_train_config

    if not (Path(out) / META_FILE).is_file():
        return None
    m = read_meta(out)
    d = m.get("data") or {}
    settings = json.loads(json.dumps(cfg.to_dict()))  # as stored: tuples are lists in JSON
    if d.get("hash") != data_hash or stored_train_config(m) != settings:
        return None
    onpolicy = d.get("onpolicy")
    if (onpolicy is not None) != recipe.onpolicy:
        return None
    if onpolicy is not None and onpolicy.get("tokens") != recipe.onpolicy_tokens:
        return None
    had = [(x["pairs"], x["hash"]) for x in d.get("mix") or () if not _rehearsed_entry(x)]
    if had != [(len(ps), dataset_hash(ps)) for _, ps in mixed]:
        return None
    return m


def _rehearsed_entry(entry: dict) -> bool:
    from .rehearsal import LABEL

    return str(entry.get("source", "")).startswith(LABEL)


def fit(
    recipe: Recipe,
    cfg: TrainConfig,
    out: str | Path,
    *,
    base,
    data: TrainData | None = None,
    mixed: Sequence[tuple[str, Sequence[PreferencePair]]] | None = None,
    parent: str | None = None,
    parent_ref: str | None = None,
    lineage: Sequence[str] = (),
    q_model=None,
    store_pairs: bool = False,
    reuse: bool = True,
    resume: bool | Literal["auto"] = "auto",
    callbacks: Sequence = (),
    progress: bool = False,
    log: Log | None = None,
    before_training: Callable | None = None,
    extra_meta: dict | None = None,
) -> Fitted:
    """Train (or reuse) the adapter of ``recipe`` in ``out``; returns a :class:`Fitted`.

    ``base``: pi1, a model name/directory or a loaded :class:`qadapter.models.Base`; ``data``:
    the source's train pairs (None: the recipe's seeded subset, :func:`source_data`); ``mixed``:
    the mixed sources' pairs when already loaded (None: :func:`mixed_data`). ``parent`` (an
    adapter directory) is stacked on, recorded as ``parent_ref`` or its directory. ``q_model``: a
    loaded Base Q is trained on instead of pi1's network. ``store_pairs``: keep the source's pairs
    as trained on next to the weights (``qadapter.rehearsal.OWN_PAIRS``; a level's watched data
    cannot be rebuilt from its record). ``reuse``: return a finished adapter whose record
    matches (:func:`finished`) instead of training. ``before_training(model)``: called with the
    untrained adapter (the CLI's held-out accuracy before training). ``extra_meta``: more
    ``qadapter.json`` fields (``q_model_hash``, ``created``)."""
    from .adapter import QAdapter
    from .data import dataset_hash
    from .models import load_base
    from .rehearsal import write_own
    from .secrets import redact
    from .stack import Stack
    from .train import train

    if data is None:
        data = source_data(recipe, cfg.seed)[0]
    if mixed is None:
        mixed = mixed_data(recipe, cfg.seed)
    data_hash = dataset_hash(data.pairs)
    m = finished(out, data_hash, cfg, recipe, mixed) if reuse else None
    if m is not None:
        return _reused(out, m, data_hash, data.test_hash)
    if isinstance(base, (str, Path)):
        base = load_base(str(base))
    pairs, rec = build_pairs(  # before the Q network wraps the base
        base, data.pairs, recipe, mixed, parent=parent, lineage=lineage, log=log, progress=progress
    )
    own = write_own(out, pairs[: len(data.pairs)]) if store_pairs else None
    stack = Stack.load(parent, base.model, base.content_hash) if parent else None
    model = QAdapter(
        base.model,
        cfg.adapter,
        q_model=q_model.model if q_model is not None else None,
        seed=cfg.seed,
        parent=stack,
    )
    if before_training is not None:
        before_training(model)
    meta = {
        "base_model": base.name,
        "base_hash": base.content_hash,
        "q_model": q_model.name if q_model is not None else None,
        "data": {
            "source": redact(recipe.source),
            "hash": data_hash,
            "pairs": len(data.pairs),
            "split": data.split,
            "test_hash": data.test_hash,
            **({"quarantined": data.quarantined} if data.quarantined is not None else {}),
            **rec,
            **({"own": own} if own else {}),
        },
        **(extra_meta or {}),
    }
    if parent_ref:
        meta["parent"] = parent_ref  # else the stack top's directory (qadapter.adapter)
    result = train(
        model,
        base.tokenizer,
        pairs,
        cfg,
        out,
        meta=meta,
        resume=resume,
        callbacks=callbacks,
        progress=progress,
    )
    recipe_record = {k: v for k, v in rec.items() if k != "rejected"}
    return Fitted(
        adapter_dir=str(result.output_dir),
        base_hash=base.content_hash,
        data_hash=data_hash,
        test_hash=data.test_hash,
        recipe=recipe_record,
        steps=result.steps,
        pairs=result.pairs,
        truncated=result.truncated,
        metrics=result.metrics,
        seconds=result.seconds,
        reused=False,
        token_lengths=result.token_lengths,
        model=model,
    )


def _reused(out, m: dict, data_hash: str, test_hash: str | None) -> Fitted:
    d = m.get("data") or {}
    return Fitted(
        adapter_dir=str(Path(out)),
        base_hash=m["base_hash"],
        data_hash=data_hash,
        test_hash=test_hash,
        recipe={k: d[k] for k in ("onpolicy", "mix", "trained_hash") if k in d},
        steps=m.get("steps"),
        pairs=m.get("pairs"),
        truncated=m.get("truncated_pairs", 0),
        metrics=m.get("final_metrics", {}),
        seconds=0.0,
        reused=True,
        token_lengths=m.get("token_lengths") or {},
    )
