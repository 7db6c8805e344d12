"""Pipeline stages as path-in, record-out library calls (the Prefect tasks in ``tasks/`` wrap them).

align (DPO on preference pairs -> a new base pi1) -> customize (Q-Adapter on other pairs) ->
evaluate (held-out preference accuracy, KL drift, next to the untrained adapter's) ->
generations (base and customized responses side by side for held-out prompts).

Generic on purpose: sources, models and sizes are arguments; nothing here knows an experiment,
the repository layout or the bundled data (the HH experiment is defined in ``tasks/experiment.py``).
Stages hand each other directory paths and small JSON-able records, never live models; each is
deterministic in its inputs, and a stage re-run in the same work directory resumes from its
checkpoints.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

from .config import TrainConfig
from .data import PreferencePair, dataset_hash, load_splits
from .data.hashing import pair_digest
from .dpo import DPOStageConfig

Callback = Callable[[dict], None]


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
    ``mix_source``, a re-customization level's replay): ``n`` (None: all) of its seeded train
    split (:func:`stage_data`). A source without train pairs is a ``ConfigError``."""
    from .config import ConfigError
    from .secrets import redact

    out = []
    for src in sources:
        pairs = stage_data(src, n, 0, seed)["train"]
        if not pairs:
            raise ConfigError(f"{what} {redact(src)}: no train pairs; check the source")
        out.append((src, list(pairs)))
    return out


def stage_data(source: str, n_train: int | None, n_test: int | None, seed: int) -> dict:
    """Train and held-out pairs of a source (its own test split, else a seeded hash split)."""
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


def align(
    base_name: str,
    source: str,
    n_pairs: int | None,
    cfg: DPOStageConfig,
    workdir: str | Path,
    *,
    callbacks: Sequence[Callback] = (),
) -> dict:
    """DPO-align ``base_name`` on the train pairs of ``source``, merged -> a new base directory."""
    from .dpo import align_base
    from .models import load_base

    data = stage_data(source, n_pairs, 0, cfg.seed)
    base = load_base(base_name)
    out = align_base(base, data["train"], workdir, cfg, callbacks=callbacks)
    return {
        "base_path": out["path"],
        "base_hash": out["content_hash"],
        "skipped": False,
        "data_hash": data["train_hash"],
        "pairs": len(data["train"]),
        "steps": out["steps"],
        "metrics": out["metrics"],
        "parent_base": base_name,
    }


def unaligned(base_name: str) -> dict:
    """The record of a skipped alignment stage: the base already is pi1."""
    from .models import load_base

    return {
        "base_path": base_name,
        "base_hash": load_base(base_name).content_hash,
        "skipped": True,
        "data_hash": None,
        "pairs": 0,
    }


def customize(
    base_path: str,
    source: str,
    n_train: int | None,
    n_test: int | None,
    cfg: TrainConfig,
    workdir: str | Path,
    *,
    callbacks: Sequence[Callback] = (),
    parent: str | None = None,
    onpolicy_tokens: int | None = None,
    mix_source: str | None = None,
    mix_pairs: int | None = None,
    log: Callable[[str], None] | None = None,
) -> dict:
    """Q-Adapter on the train pairs of ``source`` on top of ``base_path`` -> adapter directory.

    Resumes from the work directory's checkpoints when re-run (a retried stage).
    ``parent``: the adapter this one was customized after (lineage, for stacking).
    The steering recipe (``qadapter.onpolicy.training_recipe``, docs/experiments/steering.md):
    ``onpolicy_tokens`` replaces each train pair's rejected side by pi1's greedy reply of that
    many tokens (kept in ``workdir``, so a retried stage and every launched rank reuse them);
    ``mix_source`` appends ``mix_pairs`` (None: all) train pairs of another source unchanged.
    ``log(line)`` receives the on-policy generation's progress.
    """
    from .adapter import QAdapter
    from .models import load_base
    from .onpolicy import training_recipe
    from .secrets import redact
    from .train import train

    data = stage_data(source, n_train, n_test, cfg.seed)
    done = finished_customize(workdir, data, cfg, onpolicy_tokens)
    if done is not None:
        return done
    mixed = mixed_sources([mix_source] if mix_source is not None else [], mix_pairs, cfg.seed)
    base = load_base(base_path)
    pairs, recipe = training_recipe(
        base, data["train"], mixed, onpolicy_tokens, cache_dir=Path(workdir) / "onpolicy", log=log
    )
    model = QAdapter(base.model, cfg.adapter, seed=cfg.seed)
    meta = {
        "base_model": base.name,
        "base_hash": base.content_hash,
        "q_model": None,
        "parent": parent,
        "data": {
            "source": redact(source),
            "hash": data["train_hash"],
            "pairs": len(data["train"]),
            "split": data["split"],
            "test_hash": data["test_hash"],
            **recipe,
        },
    }
    result = train(
        model,
        base.tokenizer,
        pairs,
        cfg,
        workdir,
        meta=meta,
        resume="auto",
        callbacks=callbacks,
        progress=False,
    )
    return {
        "adapter_dir": str(result.output_dir),
        "data_hash": data["train_hash"],
        "test_hash": data["test_hash"],
        "recipe": recipe,
        "steps": result.steps,
        "pairs": result.pairs,
        "truncated": result.truncated,
        "metrics": result.metrics,
        "seconds": result.seconds,
        "reused": False,
    }


def finished_customize(
    workdir: str | Path, data: dict, cfg: TrainConfig, onpolicy_tokens: int | None
) -> dict | None:
    """The record of an adapter :func:`customize` already finished in ``workdir``, else None.

    Training removes its checkpoints when it ends, so without this a stage retried after its
    training finished (say, the upload to MLflow failed) would train again from step 0. The
    adapter is reused only when ``qadapter.json`` (written last, atomically) records the same
    train pairs, the same training settings and the same on-policy reply length; the work
    directory's key covers the rest (base, mixed source).
    """
    from .meta import finished

    m = finished(workdir, data["train_hash"], cfg.to_dict(), onpolicy_tokens)
    if m is None:
        return None
    d = m["data"]
    recipe = {k: d[k] for k in ("onpolicy", "mix", "trained_hash") if k in d}
    return {
        "adapter_dir": str(Path(workdir)),
        "data_hash": data["train_hash"],
        "test_hash": data["test_hash"],
        "recipe": recipe,
        "steps": m.get("steps"),
        "pairs": m.get("pairs"),
        "truncated": m.get("truncated_pairs", 0),
        "metrics": m.get("final_metrics", {}),
        "seconds": 0.0,
        "reused": True,
    }


def onpolicy_cache(
    base_path: str,
    source: str,
    n_train: int | None,
    cfg: TrainConfig,
    workdir,
    tokens: int,
    log: Callable[[str], None] | None = None,
) -> None:
    """Generate (or find) the on-policy pairs :func:`customize` will use, in ``workdir``."""
    from .models import load_base
    from .onpolicy import cached_onpolicy_pairs

    train = stage_data(source, n_train, 0, cfg.seed)["train"]
    cached_onpolicy_pairs(load_base(base_path), train, tokens, Path(workdir) / "onpolicy", log=log)


def evaluate(
    base_path: str,
    adapter_dir: str,
    source: str,
    n_test: int | None,
    cfg: TrainConfig,
    *,
    kl_pairs: int,
    alpha0: float | None = None,
) -> dict:
    """Held-out preference accuracy and KL(pi~ || pi1), trained vs untrained adapter.

    ``alpha0``: evaluate eq. 6 at this alpha0 instead of ``cfg``'s (a decode-time override: the
    adapter's weights are unchanged); both the trained and the untrained numbers use it.

    The untrained numbers are the baseline: with Q = 0 the customized policy is already
    pi1^(alpha0/alpha_tilde), sharper than pi1 (KL > 0), and its implied returns already rank pairs.
    """
    from .adapter import QAdapter, load_adapter
    from .evaluate import heldout_metrics
    from .models import load_base

    cfg = cfg.with_overrides(alpha0=alpha0)  # None keeps cfg's alpha0
    test = stage_data(source, 0, n_test, cfg.seed)["test"]
    base = load_base(base_path)
    model, _ = load_adapter(adapter_dir, base.model, base.content_hash)
    after = heldout_metrics(model, base.tokenizer, test, cfg, kl_pairs=kl_pairs)
    model.qnet.unload()
    fresh = load_base(base_path)
    untrained = QAdapter(fresh.model, cfg.adapter, seed=cfg.seed)
    init = heldout_metrics(untrained, fresh.tokenizer, test, cfg, kl_pairs=kl_pairs)
    return {
        "pairs": len(test),
        "accuracy": after["accuracy"],
        "accuracy_init": init["accuracy"],
        "margin": after["margin"],
        "margin_init": init["margin"],
        "loss": after["loss"],
        "kl_mean": after["kl_mean"],
        "kl_max": after["kl_max"],
        "kl_mean_init": init["kl_mean"],
        "kl_states": after["kl_states"],
    }


def generations(
    base_path: str, adapter_dir: str, source: str, n_prompts: int, max_new_tokens: int, seed: int
) -> list[dict]:
    """Base and customized greedy responses for held-out prompts of ``source``, side by side."""
    from .decode import SamplingConfig
    from .evaluate import sample_generations
    from .models import load_base

    test = stage_data(source, 0, n_prompts, seed)["test"]
    base = load_base(base_path)
    return sample_generations(
        base, adapter_dir, test, SamplingConfig(max_new_tokens=max_new_tokens, greedy=True)
    )
