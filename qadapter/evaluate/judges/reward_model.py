"""The offline judge: a reward model per preference subset, trained with TRL's ``RewardTrainer``.

The reward model is the base model as a sequence classifier (``num_labels=1``, a fresh ``score``
head on the last non-padding token) with LoRA on all linear layers, trained with the
Bradley-Terry loss ``-log sigmoid(r(chosen) - r(rejected))`` on the subset's *train* split and
cached on disk under ``$QADAPTER_CACHE/reward-models/<key>``, where the key hashes the base's
content hash, the train pairs' :func:`qadapter.data.dataset_hash` and the config. Its pairwise
accuracy on the *test* split says whether it can be trusted as a judge (``trusted`` is False and
a warning is logged below ``min_accuracy``, 0.6 by default).

Tokenization is the project's (``qadapter.data.tokenize``): prompt rendered with the chat template
and the generation prompt, response, EOS; too long inputs keep the prompt's end and the response's
start (``tokenize_pair``'s rule), so nothing is dropped. RewardTrainer's own length filter is off.

The judge built on it lives in :mod:`qadapter.evaluate.judges.reward_judge`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import shutil
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import torch

from ...baselines.lora import quiet
from ...data.hashing import dataset_hash
from ...data.pairs import PreferencePair
from ...data.tokenize import tokenize_pair

log = logging.getLogger(__name__)
KEY_VERSION = "qadapter-reward-model-v1"


@dataclass(frozen=True)
class RewardModelConfig:
    epochs: float = 1.0  # passes over the train split
    lr: float = 1e-4  # AdamW learning rate (linear decay)
    batch_size: int = 8  # pairs per optimizer step
    micro_batch_size: int = 4  # pairs per forward pass
    max_length: int = (
        256  # tokens of prompt + response (longer inputs are truncated, never dropped)
    )
    lora_r: int = 16
    lora_alpha: int = 32
    lora_layers: int = (
        0  # 0: LoRA on every decoder layer; N: on the top N only (backward stops there)
    )
    seed: int = 0
    max_steps: int = -1  # -1: all epochs


def reward_model_key(base_hash: str, data_hash: str, cfg: RewardModelConfig) -> str:
    """sha256 of (base content hash, train data hash, config): the cache directory's name."""
    text = json.dumps([KEY_VERSION, base_hash, data_hash, asdict(cfg)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def sequence_classifier(base, seed: int = 0):
    """A copy of ``base.model`` as ``AutoModelForSequenceClassification`` with one label.

    The transformer weights are the base's; only the ``score`` head is new (seeded init).
    """
    from transformers import AutoModelForSequenceClassification

    config = copy.deepcopy(base.model.config)
    config.num_labels = 1
    config.pad_token_id = base.tokenizer.pad_token_id
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = AutoModelForSequenceClassification.from_config(
            config, dtype=next(base.model.parameters()).dtype
        )
    missing, _ = model.load_state_dict(base.model.state_dict(), strict=False)
    if missing != ["score.weight"]:
        raise RuntimeError(f"reward model from {base.name}: unexpected missing weights {missing}")
    return model


def encode(tokenizer, prompt, response: str, max_length: int) -> tuple[list[int], bool]:
    """(ids of prompt + response + EOS, truncated?) with ``tokenize_pair``'s truncation rule."""
    t = tokenize_pair(
        tokenizer,
        PreferencePair(tuple(prompt), response, response),
        max_length=max_length,
    )
    return list(t.prompt_ids + t.chosen_ids), t.truncated


class RewardModel:
    """A trained reward model: ``score(prompts, responses) -> list[float]`` (API.md's interface)."""

    def __init__(self, model, tokenizer, cfg: RewardModelConfig, meta: dict):
        self.model, self.tokenizer, self.cfg, self.meta = (
            model.eval(),
            tokenizer,
            cfg,
            meta,
        )

    @torch.inference_mode()
    def score(
        self,
        prompts: Sequence[Sequence[dict]],
        responses: Sequence[str],
        *,
        batch_size: int = 8,
    ) -> list[float]:
        """One scalar reward per (prompt, response); batched by length, right-padded."""
        if len(prompts) != len(responses):
            raise ValueError(f"score: {len(prompts)} prompts but {len(responses)} responses")
        ids = [
            encode(self.tokenizer, p, r, self.cfg.max_length)[0] for p, r in zip(prompts, responses)
        ]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = [0.0] * len(ids)
        pad = self.tokenizer.pad_token_id
        device = next(self.model.parameters()).device
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(ids[i]) for i in chunk)
            input_ids = torch.full((len(chunk), width), pad, dtype=torch.long)  # (B, T)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)  # (B, T)
            for row, i in enumerate(chunk):
                input_ids[row, : len(ids[i])] = torch.tensor(ids[i])
                mask[row, : len(ids[i])] = 1
            logits = self.model(
                input_ids=input_ids.to(device), attention_mask=mask.to(device)
            ).logits
            rewards = logits[:, 0].float().cpu()  # (B,)
            for row, i in enumerate(chunk):
                out[i] = float(rewards[row])
        return out

    def pairwise_accuracy(self, pairs: Sequence[PreferencePair]) -> dict:
        """Fraction of pairs with r(chosen) > r(rejected) (ties count half), the mean margin and
        every pair's margin r(chosen) - r(rejected) (``margins``, in the pairs' order)."""
        if not pairs:
            return {
                "accuracy": math.nan,
                "n_pairs": 0,
                "ties": 0,
                "margin": math.nan,
                "margins": [],
            }
        prompts = [p.prompt for p in pairs]
        chosen = self.score(prompts, [p.chosen for p in pairs])
        rejected = self.score(prompts, [p.rejected for p in pairs])
        wins = sum(c > r for c, r in zip(chosen, rejected))
        ties = sum(c == r for c, r in zip(chosen, rejected))
        margin = sum(c - r for c, r in zip(chosen, rejected)) / len(pairs)
        return {
            "accuracy": (wins + ties / 2) / len(pairs),
            "n_pairs": len(pairs),
            "ties": ties,
            "margin": margin,
            "margins": [c - r for c, r in zip(chosen, rejected)],
        }


def train_reward_model(
    base,
    train_pairs: Sequence[PreferencePair],
    cfg: RewardModelConfig = RewardModelConfig(),
    *,
    cache_root: str | Path | None = None,
    progress: bool = False,
) -> RewardModel:
    """The reward model of ``train_pairs`` on ``base``: from the cache, or trained and cached.

    ``meta`` records the key's parts, the number of truncated pairs, steps, loss and wall time,
    and ``cache_hit``.
    """
    from filelock import FileLock

    from ...models import cache_dir

    if not train_pairs:
        raise ValueError("reward model: no train pairs; give the subset's train split")
    data_hash = dataset_hash(train_pairs)
    key = reward_model_key(base.content_hash, data_hash, cfg)
    root = Path(cache_root) if cache_root is not None else cache_dir() / "reward-models"
    target = root / key[:24]
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not (target / "reward_model.json").is_file():
            _train_into(
                base,
                train_pairs,
                cfg,
                target,
                key=key,
                data_hash=data_hash,
                progress=progress,
            )
            hit = False
        else:
            hit = True
    return load_reward_model(target, base, cache_hit=hit)


def load_reward_model(directory: str | Path, base, *, cache_hit: bool = True) -> RewardModel:
    """Load a reward model written by :func:`train_reward_model` onto ``base`` (hash checked)."""
    from peft import PeftModel

    directory = Path(directory)
    meta = json.loads((directory / "reward_model.json").read_text())
    if meta["base_hash"] != base.content_hash:
        raise ValueError(
            f"{directory}: reward model was trained on base {meta['base_name']} "
            f"({meta['base_hash'][:12]}), not {base.name} ({base.content_hash[:12]}); retrain it"
        )
    cfg = RewardModelConfig(**meta["config"])
    model = PeftModel.from_pretrained(
        sequence_classifier(base, cfg.seed), str(directory / "adapter")
    )
    meta = {**meta, "cache_hit": cache_hit, "path": str(directory)}
    return RewardModel(model.merge_and_unload(), base.tokenizer, cfg, meta)


def lora_config(model, cfg: RewardModelConfig):
    """LoRA on all linear layers of the decoder, or of its top ``cfg.lora_layers`` layers only."""
    from peft import LoraConfig

    from ...adapter import top_layers

    common = dict(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=0.0, task_type="SEQ_CLS")
    n_layers = model.config.num_hidden_layers
    if not 0 < cfg.lora_layers < n_layers:
        return LoraConfig(target_modules="all-linear", **common)
    return LoraConfig(**top_layers(model, cfg.lora_layers), **common)


def _reward_config(cfg: RewardModelConfig, work: Path, progress: bool):
    from trl import RewardConfig

    return RewardConfig(
        output_dir=str(work / "trainer"),
        learning_rate=cfg.lr,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.micro_batch_size,
        gradient_accumulation_steps=max(1, cfg.batch_size // cfg.micro_batch_size),
        max_length=None,
        gradient_checkpointing=False,
        bf16=False,
        save_strategy="no",
        report_to=[],
        logging_steps=1,
        seed=cfg.seed,
        use_cpu=not torch.cuda.is_available(),
        dataloader_num_workers=0,
        disable_tqdm=not progress,
        lr_scheduler_type="linear",
    )


def _train_into(
    base,
    pairs,
    cfg: RewardModelConfig,
    target: Path,
    *,
    key: str,
    data_hash: str,
    progress: bool,
) -> None:
    from datasets import Dataset
    from trl import RewardTrainer

    tok = base.tokenizer
    rows, truncated = [], 0
    for p in pairs:
        t = tokenize_pair(tok, p, max_length=cfg.max_length)
        truncated += t.truncated
        rows.append(
            {
                "chosen_ids": list(t.prompt_ids + t.chosen_ids),
                "rejected_ids": list(t.prompt_ids + t.rejected_ids),
            }
        )
    work = target.with_name(target.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    # transformers 5 renames gradient_checkpointing (a FutureWarning); TRL's config still sets it
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=".*gradient_checkpointing", category=FutureWarning
        )
        args = _reward_config(cfg, work, progress)
    lora = lora_config(base.model, cfg)
    started = time.perf_counter()
    model = sequence_classifier(base, cfg.seed)
    trainer = RewardTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tok,
        peft_config=lora,
    )
    quiet(trainer, progress)
    result = trainer.train()
    wall = time.perf_counter() - started
    trainer.model.save_pretrained(str(work / "adapter"))
    meta = {
        "key": key,
        "base_name": base.name,
        "base_hash": base.content_hash,
        "data_hash": data_hash,
        "config": asdict(cfg),
        "train_pairs": len(rows),
        "truncated_pairs": truncated,
        "steps": result.global_step,
        "epochs_done": float(trainer.state.epoch or 0.0),  # < epochs when max_steps stopped it
        "train_loss": result.training_loss,
        "train_wall_s": wall,
    }
    (work / "reward_model.json").write_text(json.dumps(meta, indent=2) + "\n")
    shutil.rmtree(work / "trainer", ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    log.info(
        "reward model %s: %d pairs (%d truncated), %d steps, %.0f s",
        key[:12],
        len(rows),
        truncated,
        result.global_step,
        wall,
    )
