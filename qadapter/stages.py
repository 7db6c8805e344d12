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

from pathlib import Path
from typing import Callable, Sequence

from .config import TrainConfig
from .customize import Recipe
from .data.subsets import mixed_sources, stage_data, subset
from .dpo import DPOStageConfig

__all__ = ["align", "customize", "evaluate", "generations", "mixed_sources", "stage_data", "subset"]

Callback = Callable[[dict], None]


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
    recipe: Recipe,
    n_test: int | None,
    cfg: TrainConfig,
    workdir: str | Path,
    *,
    callbacks: Sequence[Callback] = (),
    parent: str | None = None,
    log: Callable[[str], None] | None = None,
) -> dict:
    """Q-Adapter on top of ``base_path`` on the pairs of ``recipe`` (``qadapter.customize``)
    -> the stage record (adapter directory, hashes, metrics).

    The source's seeded subset and ``n_test`` held-out pairs (whose hash is recorded). A retried
    stage returns the adapter it finished, or resumes from the work directory's checkpoints.
    ``parent``: an adapter directory to stack on. ``log(line)`` receives the on-policy
    generation's progress."""
    from .customize import fit, source_data

    data, _ = source_data(recipe, cfg.seed, n_test)
    fitted = fit(
        recipe, cfg, workdir, base=base_path, data=data, parent=parent, callbacks=callbacks,
        log=log,
    )  # fmt: skip
    return fitted.record()


def pregenerate(base_path: str, recipe: Recipe, seed: int, log=None) -> None:
    """Generate (or find in the cache) the on-policy replies :func:`customize` will train on, so
    that the ranks of a launched stage all read them instead of generating."""
    from .customize import source_data
    from .models import load_base
    from .onpolicy import cached_onpolicy_pairs

    if recipe.onpolicy:
        train = source_data(recipe, seed)[0].pairs
        cached_onpolicy_pairs(load_base(base_path), train, recipe.onpolicy_tokens, log=log)


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
