"""One explicit Q-Adapter training loop (Algorithm 1).

Per optimizer step: ``batch_size / micro_batch_size`` micro-batches; each runs the base pass
(no grad) and the adapter pass, the implied rewards of eq. 9 on response tokens only
(``qadapter.objective``), and the per-example loss; the step's loss is the mean over its examples
(micro-batch sums divided by the examples in the whole step, so accumulation equals one big
batch). AdamW, linear schedule.

Checkpoints (every ``checkpoint_every`` optimizer steps, ``qadapter.checkpoint``) make a run
killed at any instant resume to the same adapter as an uninterrupted run. The data order of each
epoch is a permutation drawn from ``seed + epoch`` alone, so it does not depend on where a run
was resumed. The output directory is locked for the whole run (``qadapter.lock``).

Callbacks: a plain callable receives each step's metrics; a :class:`TrainCallback` can also
watch checkpoint files being written and checkpoints completing (the tests' fault injection).
"""

from __future__ import annotations

import contextlib
import math
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Literal, Sequence

import torch

from .adapter import QAdapter, save_adapter
from .checkpoint import CHECKPOINTS, CheckpointError, complete_checkpoints, restore, save_checkpoint
from .config import TrainConfig
from .data.pairs import PreferencePair
from .data.tokenize import collate_pairs
from .distributed import (
    DistributedError,
    configure_deepspeed,
    full_parameters,
    is_deepspeed,
    loss_scale,
    make_accelerator,
    micro_step,
    per_rank_steps,
    rank_share,
    reduce_sums,
)
from .errors import TrainingError
from .lock import output_lock
from .objective import pair_terms, to_device, token_lengths, tokenize_all
from .progress import progress as progress_bar

__all__ = ["CHECKPOINTS", "TrainCallback", "TrainResult", "TrainingError", "pair_terms", "train"]


class TrainCallback:
    """Hooks into the loop; override what you need (all default to doing nothing)."""

    def on_step(self, metrics: dict) -> None:
        """After each optimizer step, with that step's metrics."""

    def on_checkpoint_file(self, path: Path) -> None:
        """After each file of a checkpoint is written, before the checkpoint is complete."""

    def on_checkpoint(self, step: int, path: Path) -> None:
        """After checkpoint ``step`` is complete at ``path``."""


class _StepFunction(TrainCallback):
    def __init__(self, fn: Callable[[dict], None]):
        self.fn = fn

    def on_step(self, metrics: dict) -> None:
        self.fn(metrics)


@dataclass
class TrainResult:
    output_dir: Path
    steps: int
    metrics: dict  # last step's metrics
    pairs: int
    truncated: int
    seconds: float
    token_lengths: dict  # {"prompt"|"chosen"|"rejected": {"min", "mean", "max"}} after truncation


def epoch_order(n: int, seed: int, epoch: int) -> list[int]:
    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n, generator=g).tolist()


def linear_schedule(optimizer, warmup: int, total: int):
    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


class _Objective(torch.nn.Module):
    """The module Accelerate wraps (DDP, DeepSpeed): a collated batch -> per-example loss (B,)
    and metrics. The base pi1 pass inside runs without gradients (in shared mode the same modules
    with LoRA disabled), so no gradient hook of the engine ever fires for it."""

    def __init__(self, model: QAdapter, cfg: TrainConfig):
        super().__init__()
        self.model, self.cfg = model, cfg

    def forward(self, batch: dict):
        return pair_terms(self.model, batch, self.cfg)


def _callbacks(callbacks) -> list[TrainCallback]:
    return [cb if isinstance(cb, TrainCallback) else _StepFunction(cb) for cb in callbacks]


def _with_base_identity(model: QAdapter, meta: dict) -> dict:
    """``meta`` with the base's name and hash (computed from its weights when not given), checked
    against the ``qadapter.json`` schema before any training happens."""
    from .meta import validate_meta
    from .models import state_dict_hash

    meta = dict(meta)
    if "base_hash" not in meta:
        meta["base_hash"] = state_dict_hash(model.base_model)
        meta.setdefault(
            "base_model", getattr(model.base_model.config, "name_or_path", "") or "unnamed"
        )
    probe = {**asdict(model.config), "alpha0": 1.0, "alpha_tilde": 1.0, "gamma": 1.0, **meta}
    validate_meta(probe, "qadapter.json metadata")
    return meta


def train(
    model: QAdapter,
    tokenizer,
    pairs: Sequence[PreferencePair],
    cfg: TrainConfig,
    output_dir: str | Path,
    *,
    meta: dict,
    resume: bool | Literal["auto"] = False,
    callbacks: Sequence[Callable[[dict], None] | TrainCallback] = (),
    progress: bool = True,
) -> TrainResult:
    """Train the adapter of ``model`` on ``pairs``; write the adapter and ``qadapter.json``.

    ``meta`` is merged into ``qadapter.json`` (base name and hash, data hash, parent, ...).
    ``resume``: True continues from the newest usable checkpoint and fails if there is none;
    "auto" continues if there is one (retried pipeline stages); False starts from step 0.
    """
    if not pairs:
        raise TrainingError(
            "no preference pairs to train on; check the data source (qadapter data check SOURCE)"
        )
    hooks = _callbacks(callbacks)
    meta = _with_base_identity(model, meta)
    accelerator = make_accelerator(cfg.precision)
    main = accelerator.is_main_process
    world, rank = accelerator.num_processes, accelerator.process_index
    share, accumulation = per_rank_steps(cfg.batch_size, cfg.micro_batch_size, world)
    if is_deepspeed(accelerator) and cfg.checkpoint_every:
        raise DistributedError(
            "checkpoints under DeepSpeed are not supported (ZeRO shards the optimizer state); "
            "pass --checkpoint-every 0, or launch with torchrun (DDP) for resumable runs"
        )
    # only rank 0 holds the output lock and writes; the others wait for it at the barriers
    with output_lock(output_dir) if main else contextlib.nullcontext():
        out = Path(output_dir)
        if resume is True and not complete_checkpoints(out):
            raise CheckpointError(
                f"--resume: no complete checkpoint in {out / CHECKPOINTS}; "
                "run without --resume to start from step 0"
            )
        device = accelerator.device
        torch.manual_seed(cfg.seed)
        random.seed(cfg.seed)

        data = tokenize_all(tokenizer, pairs, cfg)
        truncated = sum(p.truncated for p in data)
        steps_per_epoch = math.ceil(len(data) / cfg.batch_size)
        total = steps_per_epoch * cfg.epochs
        if cfg.max_steps is not None:
            total = min(total, cfg.max_steps)

        if cfg.gradient_checkpointing:
            model.qnet.gradient_checkpointing_enable(
                gradient_checkpointing_kwargs={"use_reentrant": False}
            )
            model.qnet.enable_input_require_grads()
        params = model.trainable_parameters()
        optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
        scheduler = linear_schedule(optimizer, cfg.warmup_steps, total)

        step = 0
        if resume:  # every rank loads the same full state (any world size resumes)
            step = restore(out, model.qnet, optimizer, scheduler) or 0
        resumed_from = step
        configure_deepspeed(accelerator, cfg.micro_batch_size, accumulation, cfg.grad_clip)
        objective = _Objective(model, cfg)
        wrapped, opt, sched = accelerator.prepare(objective, optimizer, scheduler)
        scale = loss_scale(accelerator, accumulation)
        # padding micro-batches (weight 0) keep every rank's collectives in step; one plain
        # process runs only the micro-batches that hold examples, as before
        pad = world > 1 or is_deepspeed(accelerator)
        model.qnet.train()
        if main and progress:
            print(
                f"q-adapter: {world} process(es), {accelerator.distributed_type.value}: effective "
                f"batch {cfg.batch_size} = micro {cfg.micro_batch_size} x accumulation "
                f"{accumulation} x world {world}",
                file=sys.stderr,
            )

        pad_id = tokenizer.pad_token_id
        bar = progress_bar(total, "q-adapter", enabled=progress and main, initial=step, unit="step")
        metrics: dict = {}
        t0 = time.time()
        tokens = 0
        while step < total:
            epoch, in_epoch = divmod(step, steps_per_epoch)
            order = epoch_order(len(data), cfg.seed, epoch)
            chunk_ids = order[in_epoch * cfg.batch_size : (in_epoch + 1) * cfg.batch_size]
            n_examples = len(chunk_ids)  # the step's examples over all ranks
            mine = rank_share(chunk_ids, rank, share)
            n_micro = accumulation if pad else math.ceil(len(mine) / cfg.micro_batch_size)
            sums: dict[str, float] = {}
            for i in range(n_micro):
                ids = mine[i * cfg.micro_batch_size : (i + 1) * cfg.micro_batch_size]
                n_pad = cfg.micro_batch_size - len(ids) if pad else 0
                weight = [1.0] * len(ids) + [0.0] * n_pad
                ids = ids + [chunk_ids[0]] * n_pad
                batch = to_device(collate_pairs([data[j] for j in ids], pad_id), device)
                w = torch.tensor(weight, device=device)  # (b,)
                with micro_step(accelerator, wrapped, last=i == n_micro - 1):
                    with accelerator.autocast():
                        loss, m = wrapped(batch)
                    accelerator.backward((loss * w).sum() * scale / n_examples)
                real = torch.cat([w, w]) > 0  # rows: b chosen, then b rejected
                tokens += int(batch["attention_mask"][real].sum())
                for k, v in {"loss": loss.detach(), **m}.items():
                    sums[k] = sums.get(k, 0.0) + float((v.detach() * w).sum())
            metrics = {k: v / n_examples for k, v in reduce_sums(accelerator, sums).items()}
            if not math.isfinite(metrics["loss"]):
                raise TrainingError(
                    f"loss became {metrics['loss']} at step {step + 1} (epoch {epoch + 1}); lower "
                    "--lr or raise --alpha-tilde, and resume from the last checkpoint with --resume"
                )
            grad_norm = (
                accelerator.clip_grad_norm_(params, cfg.grad_clip) if cfg.grad_clip > 0 else None
            )
            metrics["lr"] = sched.get_last_lr()[0]
            opt.step()  # DeepSpeed stepped inside the last backward; these are no-ops there
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            elapsed = max(1e-9, time.time() - t0)
            metrics.update(
                step=step,
                epoch=epoch + 1,
                grad_norm=float(grad_norm) if grad_norm is not None else 0.0,
                tokens_per_s=reduce_sums(accelerator, {"t": tokens})["t"] / elapsed,
                world_size=world,
                effective_batch=cfg.micro_batch_size * accumulation * world,
            )
            if main:
                for cb in hooks:
                    cb.on_step(dict(metrics))
                bar.update(1)
                bar.set_postfix(
                    loss=f"{metrics['loss']:.4f}",
                    acc=f"{metrics['accuracy']:.2f}",
                    margin=f"{metrics['margin']:.2f}",
                )
            if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and step < total:
                if main:

                    def on_file(path: Path) -> None:
                        for cb in hooks:
                            cb.on_checkpoint_file(path)

                    path = save_checkpoint(
                        out,
                        step,
                        model.qnet,
                        optimizer,
                        scheduler,
                        cfg.keep_checkpoints,
                        on_file=on_file,
                    )
                    for cb in hooks:
                        cb.on_checkpoint(step, path)
                accelerator.wait_for_everyone()
        bar.close()

        model.qnet.eval()
        lengths = token_lengths(data)
        record = {
            **{k: v for k, v in asdict(cfg.method).items() if k != "head"},  # head: the model's
            # the method's values once, at the top level (qadapter.meta.stored_train_config)
            "train_config": {k: v for k, v in cfg.to_dict().items() if k != "method"},
            "steps": step,
            "pairs": len(data),
            "truncated_pairs": truncated,
            "final_metrics": metrics,
            "resumed_from_step": resumed_from,
            "token_lengths": lengths,
            "world_size": world,
            "distributed_type": accelerator.distributed_type.value,
            "parent": None,
            **meta,
        }
        with full_parameters(accelerator, params):
            if main:
                save_adapter(model, out, record)
                shutil.rmtree(out / CHECKPOINTS, ignore_errors=True)
        accelerator.wait_for_everyone()
        seconds = time.time() - t0
    return TrainResult(
        output_dir=out,
        steps=step,
        metrics=metrics,
        pairs=len(data),
        truncated=truncated,
        seconds=seconds,
        token_lengths=lengths,
    )
