"""The experiment's stages as path-in, record-out library calls (the Prefect tasks wrap these).

helpful-base (DPO on helpful pairs -> pi1) -> qadapter (Q-Adapter on harmless pairs) ->
evaluate (held-out preference accuracy, KL drift) -> judge (side-by-side generations).

Stages hand each other directory paths and small JSON-able records, never live models. Every
stage is deterministic in its inputs: :func:`stage_key` hashes the stage name, its configuration,
the content hashes of its data and upstream artifacts, and the code version; work directories are
named by that key, so a retried stage finds its own checkpoints and resumes.

Profiles (``PIPELINES``): ``smol`` (embedded SmolLM2-135M, bundled mini-HH, sized to finish on a
2-core CPU in well under 20 minutes: stage data are seeded subsets, see the sizes below), ``paper``
(Llama-3.1-8B-Instruct on Anthropic HH-RLHF, Table 3; CUDA, 8-bit base), ``tiny`` (tests).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from .config import TrainConfig, profile as train_profile
from .data import PreferencePair, dataset_hash, load_splits
from .data.hashing import pair_digest
from .dpo import DPOStageConfig

REPO = Path(__file__).resolve().parents[1]
Callback = Callable[[dict], None]


@dataclass(frozen=True)
class PipelineConfig:
    profile: str
    base: str  # base model to align (or, with skip_base_stage, pi1 itself)
    helpful_source: str
    harmless_source: str
    skip_base_stage: bool = False
    helpful_pairs: int | None = None  # seeded subset sizes per stage; None = everything
    harmless_pairs: int | None = None
    eval_pairs: int | None = None
    kl_pairs: int = 16  # KL drift is measured on this many held-out pairs (full-vocab passes)
    judge_prompts: int = 8
    max_new_tokens: int = 96
    dpo: DPOStageConfig = DPOStageConfig()
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict:
        return asdict(self)


def _data(name: str) -> str:
    return str(REPO / "data" / "hh-mini" / name)


PIPELINES: dict[str, PipelineConfig] = {
    "tiny": PipelineConfig(
        profile="tiny", base="tiny", helpful_source=_data("helpful"), harmless_source=_data("harmless"),
        helpful_pairs=8, harmless_pairs=16, eval_pairs=8, kl_pairs=4, judge_prompts=2, max_new_tokens=8,
        dpo=DPOStageConfig(batch_size=4, micro_batch_size=2, max_length=96, max_steps=2, save_steps=1, lr=1e-3),
        train=train_profile("tiny", epochs=1),
    ),
    "smol": PipelineConfig(
        profile="smol", base="smollm2-135m-instruct", helpful_source=_data("helpful"), harmless_source=_data("harmless"),
        helpful_pairs=48, harmless_pairs=160, eval_pairs=64, kl_pairs=16, judge_prompts=8, max_new_tokens=96,
        dpo=DPOStageConfig(batch_size=8, micro_batch_size=2, max_length=256, save_steps=2),
        train=train_profile("smol", checkpoint_every=5),
    ),
    "paper": PipelineConfig(
        profile="paper", base="meta-llama/Llama-3.1-8B-Instruct",
        helpful_source="hf://Anthropic/hh-rlhf?data_dir=helpful-base", harmless_source="hf://Anthropic/hh-rlhf?data_dir=harmless-base",
        eval_pairs=512, kl_pairs=64, judge_prompts=128, max_new_tokens=256,
        dpo=DPOStageConfig(batch_size=64, micro_batch_size=1, max_length=512, save_steps=50, bf16=True),
        train=train_profile("paper", checkpoint_every=20),
    ),
}


def pipeline(name: str, **overrides) -> PipelineConfig:
    """A profile with overrides; ``train.*`` fields (alpha0, beta, ...) go into the TrainConfig."""
    if name not in PIPELINES:
        raise ValueError(f"unknown profile {name!r}; choose one of {sorted(PIPELINES)}")
    cfg = PIPELINES[name]
    train_fields = {f for f in TrainConfig.__dataclass_fields__}
    t = {k: v for k, v in overrides.items() if k in train_fields and v is not None}
    p = {k: v for k, v in overrides.items() if k not in train_fields and v is not None}
    return replace(cfg, train=replace(cfg.train, **t), **p)


# ---- data and keys ------------------------------------------------------------------------------


def subset(pairs: Sequence[PreferencePair], n: int | None, seed: int) -> list[PreferencePair]:
    """A seeded subset that does not depend on file order: the n pairs with the smallest salted digest."""
    if n is None or n >= len(pairs):
        return list(pairs)
    salt = f"{seed}:".encode()
    return sorted(pairs, key=lambda p: hashlib.sha256(salt + pair_digest(p).encode()).hexdigest())[:n]


def stage_data(source: str, n_train: int | None, n_test: int | None, seed: int) -> dict:
    """Train and held-out pairs of a source (its own test split, else a seeded hash split)."""
    splits = load_splits(source, seed=seed)
    train = subset(splits.train, n_train, seed)
    test = subset(splits.test, n_test, seed)
    return {"train": train, "test": test, "train_hash": dataset_hash(train), "test_hash": dataset_hash(test) if test else None,
            "split": splits.method, "quarantined": sum(s.quarantined for s in splits.summaries)}


def code_version() -> str:
    """sha256 over the library's and tasks' source files: a code change invalidates cached stages."""
    h = hashlib.sha256()
    for path in sorted(p for d in ("qadapter", "tasks") for p in (REPO / d).rglob("*.py")):
        h.update(path.relative_to(REPO).as_posix().encode() + b"\n" + path.read_bytes())
    return h.hexdigest()[:16]


def stage_key(stage: str, **inputs) -> str:
    blob = json.dumps({"stage": stage, "code": code_version(), **inputs}, sort_keys=True, default=str)
    return f"{stage}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


# ---- stages -------------------------------------------------------------------------------------


def helpful_base(cfg: PipelineConfig, workdir: str | Path, *, callbacks: Sequence[Callback] = ()) -> dict:
    """Stage 1: DPO on helpful pairs, merged -> pi1 directory. Skipped: pi1 is ``cfg.base`` itself."""
    from .models import load_base

    base = load_base(cfg.base)
    if cfg.skip_base_stage:
        return {"base_path": cfg.base, "base_hash": base.content_hash, "skipped": True, "data_hash": None, "pairs": 0}
    data = stage_data(cfg.helpful_source, cfg.helpful_pairs, 0, cfg.dpo.seed)
    from .dpo import align_base

    out = align_base(base, data["train"], workdir, cfg.dpo, callbacks=callbacks)
    return {"base_path": out["path"], "base_hash": out["content_hash"], "skipped": False, "data_hash": data["train_hash"],
            "pairs": len(data["train"]), "steps": out["steps"], "metrics": out["metrics"], "parent_base": cfg.base}


def qadapter(cfg: PipelineConfig, base_path: str, workdir: str | Path, *, callbacks: Sequence[Callback] = (), parent: str | None = None) -> dict:
    """Stage 2: Q-Adapter on harmless pairs on top of pi1 -> adapter directory (resumes if retried)."""
    from .adapter import QAdapter
    from .models import load_base
    from .train import train

    data = stage_data(cfg.harmless_source, cfg.harmless_pairs, cfg.eval_pairs, cfg.train.seed)
    base = load_base(base_path)
    model = QAdapter(base.model, cfg.train.adapter, seed=cfg.train.seed)
    meta = {"base_model": base.name, "base_hash": base.content_hash, "q_model": None,
            "data": {"source": cfg.harmless_source, "hash": data["train_hash"], "pairs": len(data["train"]), "split": data["split"],
                     "test_hash": data["test_hash"]}}
    result = train(model, base.tokenizer, data["train"], cfg.train, workdir, meta=meta, resume=True, callbacks=callbacks, progress=False)
    if parent:  # lineage: the adapter this one was customized after (stacking)
        _set_parent(Path(workdir), parent)
    return {"adapter_dir": str(result.output_dir), "data_hash": data["train_hash"], "test_hash": data["test_hash"], "steps": result.steps,
            "pairs": result.pairs, "truncated": result.truncated, "metrics": result.metrics, "seconds": result.seconds}


def _set_parent(adapter_dir: Path, parent: str) -> None:
    path = adapter_dir / "qadapter.json"
    record = json.loads(path.read_text())
    record["parent"] = parent
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")


def evaluate(cfg: PipelineConfig, base_path: str, adapter_dir: str) -> dict:
    """Stage 3: held-out preference accuracy and KL(pi~ || pi1), trained vs untrained adapter.

    The untrained numbers are the baseline: with Q = 0 the customized policy is already
    pi1^(alpha0/alpha_tilde), sharper than pi1 (KL > 0), and its implied returns already rank pairs.
    """
    from .adapter import QAdapter, load_adapter
    from .evaluate import heldout_metrics
    from .models import load_base
    
    test = stage_data(cfg.harmless_source, 0, cfg.eval_pairs, cfg.train.seed)["test"]
    base = load_base(base_path)
    model, _ = load_adapter(adapter_dir, base.model, base.content_hash)
    after = heldout_metrics(model, base.tokenizer, test, cfg.train, kl_pairs=cfg.kl_pairs)
    model.qnet.unload()
    fresh = load_base(base_path)
    init = heldout_metrics(QAdapter(fresh.model, cfg.train.adapter, seed=cfg.train.seed), fresh.tokenizer, test, cfg.train, kl_pairs=cfg.kl_pairs)
    return {"pairs": len(test), "accuracy": after["accuracy"], "accuracy_init": init["accuracy"], "margin": after["margin"],
            "margin_init": init["margin"], "loss": after["loss"], "kl_mean": after["kl_mean"], "kl_max": after["kl_max"],
            "kl_mean_init": init["kl_mean"], "kl_states": after["kl_states"]}


def judge(cfg: PipelineConfig, base_path: str, adapter_dir: str) -> list[dict]:
    """Stage 4 (until the judge issue): base vs customized greedy responses for held-out prompts."""
    from .decode import SamplingConfig
    from .evaluate import sample_generations
    from .models import load_base

    test = stage_data(cfg.harmless_source, 0, cfg.judge_prompts, cfg.train.seed)["test"]
    base = load_base(base_path)
    return sample_generations(base, adapter_dir, test, SamplingConfig(max_new_tokens=cfg.max_new_tokens, greedy=True))


def data_hashes(cfg: PipelineConfig) -> dict:
    """Content hashes of exactly the pairs each stage will use: the stages' cache keys."""
    helpful = stage_data(cfg.helpful_source, cfg.helpful_pairs, 0, cfg.dpo.seed) if not cfg.skip_base_stage else None
    harmless = stage_data(cfg.harmless_source, cfg.harmless_pairs, cfg.eval_pairs, cfg.train.seed)
    return {"helpful": helpful["train_hash"] if helpful else None, "harmless": harmless["train_hash"], "harmless_test": harmless["test_hash"]}
