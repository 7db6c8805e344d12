"""One explicit Q-Adapter training loop (Algorithm 1): checkpoints, exact resume, metrics callbacks.

Per optimizer step: ``batch_size / micro_batch_size`` micro-batches; each runs the base pass
(no grad) and the adapter pass, the implied rewards of eq. 9 on response tokens only, and the
per-example loss; the step's loss is the mean over its examples (micro-batch sums divided by the
examples in the whole step, so accumulation equals one big batch). AdamW, linear schedule.

A checkpoint (every ``checkpoint_every`` optimizer steps) holds the adapter, optimizer, scheduler,
RNG states and the data position; it is written to a temporary directory and renamed, so a run
killed at any instant (SIGKILL included) resumes from the newest complete one and ends with the
same adapter as an uninterrupted run. The data order of each epoch is a permutation drawn from
``seed + epoch`` alone, so it does not depend on where a run was resumed.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import torch
from tqdm.auto import tqdm

from .adapter import QAdapter, save_adapter
from .config import TrainConfig
from .data.pairs import PreferencePair
from .data.tokenize import TokenizedPair, collate_pairs, tokenize_pair
from .loss import qadapter_loss, rewards_from_values

CHECKPOINTS = "checkpoints"
# Test hooks for failure handling (documented in the README; unset in normal use):
# after writing the checkpoint of step N the process SIGKILLs itself ...
FAULT_ENV = "QADAPTER_FAULT_AFTER_CHECKPOINT"  # "N"
# ... or raises once: "N:/path/marker" raises InjectedFailure unless the marker file exists
# (and creates it), so a retried attempt goes through: for testing retries that resume.
RAISE_ENV = "QADAPTER_RAISE_AFTER_CHECKPOINT"


class InjectedFailure(RuntimeError):
    """Raised by the RAISE_ENV test hook."""


def _inject_faults(step: int) -> None:
    if int(os.environ.get(FAULT_ENV, "0") or 0) == step:
        os.kill(os.getpid(), signal.SIGKILL)
    spec = os.environ.get(RAISE_ENV, "")
    if spec:
        n, _, marker = spec.partition(":")
        if int(n) == step and marker and not os.path.exists(marker):
            Path(marker).touch()
            raise InjectedFailure(f"injected failure after checkpoint {step} ({RAISE_ENV})")


class TrainingError(Exception):
    """Training cannot go on (NaN loss, nothing to train on); the message says what to do."""


@dataclass
class TrainResult:
    output_dir: Path
    steps: int
    metrics: dict  # last step's metrics
    pairs: int
    truncated: int
    seconds: float
    token_lengths: dict  # {"prompt"|"chosen"|"rejected": {"min", "mean", "max"}} after truncation


def pair_terms(model: QAdapter, batch: dict, cfg: TrainConfig) -> tuple[torch.Tensor, dict]:
    """Per-example loss and metrics of a collated batch (rows: B chosen, then B rejected)."""
    q_taken, values = model.response_terms(
        batch["input_ids"], batch["attention_mask"], batch["actions"], batch["action_mask"],
        alpha0=cfg.alpha0, alpha_tilde=cfg.alpha_tilde, chunk=cfg.chunk,
    )  # (2B, L) each
    rewards = rewards_from_values(q_taken, values, batch["action_mask"], gamma=cfg.gamma)  # (2B, L)
    b = rewards.shape[0] // 2
    mask = batch["action_mask"]
    return qadapter_loss(rewards[:b], rewards[b:], mask[:b], mask[b:], beta=cfg.beta, reg_reduction=cfg.reg_reduction)


def _to(batch: dict, device) -> dict:
    return {k: v.to(device) for k, v in batch.items()}


def epoch_order(n: int, seed: int, epoch: int) -> list[int]:
    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n, generator=g).tolist()


def linear_schedule(optimizer, warmup: int, total: int):
    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


# ---- checkpoints ------------------------------------------------------------------------------


def _rng_state() -> dict:
    state = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(out: Path, step: int, model: QAdapter, optimizer, scheduler, keep: int) -> Path:
    root = out / CHECKPOINTS
    final = root / f"step-{step:07d}"
    tmp = root / f".tmp-step-{step:07d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.qnet.save_pretrained(tmp, safe_serialization=True)
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "rng": _rng_state()}, tmp / "state.pt")
    (tmp / "trainer_state.json").write_text(json.dumps({"step": step}) + "\n")
    with open(tmp / "trainer_state.json", "rb") as f:
        os.fsync(f.fileno())
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    for old in sorted(root.glob("step-*"))[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return final


def latest_checkpoint(out: Path) -> Path | None:
    done = sorted(p for p in (out / CHECKPOINTS).glob("step-*") if (p / "trainer_state.json").is_file())
    return done[-1] if done else None


def load_checkpoint(path: Path, model: QAdapter, optimizer, scheduler) -> int:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(model.qnet, load_file(str(path / "adapter_model.safetensors")))
    state = torch.load(path / "state.pt", weights_only=False)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    _set_rng_state(state["rng"])
    return json.loads((path / "trainer_state.json").read_text())["step"]


# ---- the loop ---------------------------------------------------------------------------------


def tokenize_all(tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig) -> list[TokenizedPair]:
    return [tokenize_pair(tokenizer, p, max_length=cfg.max_length, max_prompt_length=cfg.max_prompt_length) for p in pairs]


def token_lengths(data: Sequence[TokenizedPair]) -> dict:
    out = {}
    for field in ("prompt", "chosen", "rejected"):
        n = [len(getattr(p, f"{field}_ids")) for p in data]
        out[field] = {"min": min(n), "mean": sum(n) / len(n), "max": max(n)} if n else {"min": 0, "mean": 0.0, "max": 0}
    return out


def train(
    model: QAdapter,
    tokenizer,
    pairs: Sequence[PreferencePair],
    cfg: TrainConfig,
    output_dir: str | Path,
    *,
    meta: dict,
    resume: bool = False,
    callbacks: Sequence[Callable[[dict], None]] = (),
    progress: bool = True,
) -> TrainResult:
    """Train the adapter of ``model`` on ``pairs``; write the adapter and ``qadapter.json``.

    ``meta`` is merged into ``qadapter.json`` (base name and hash, data hash, parent, ...).
    """
    from accelerate import Accelerator

    if not pairs:
        raise TrainingError("no preference pairs to train on; check the data source (qadapter data check SOURCE)")
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    accelerator = Accelerator(mixed_precision="bf16" if cfg.precision == "bf16" else "no", cpu=not torch.cuda.is_available())
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
        model.qnet.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.qnet.enable_input_require_grads()
    params = model.trainable_parameters()
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    scheduler = linear_schedule(optimizer, cfg.warmup_steps, total)

    step = 0
    if resume and (ckpt := latest_checkpoint(out)) is not None:
        step = load_checkpoint(ckpt, model, optimizer, scheduler)
    resumed_from = step
    model.qnet.train()

    pad_id = tokenizer.pad_token_id
    bar = tqdm(total=total, initial=step, disable=not progress, desc="q-adapter", unit="step")
    metrics: dict = {}
    t0 = time.time()
    tokens = 0
    while step < total:
        epoch, in_epoch = divmod(step, steps_per_epoch)
        order = epoch_order(len(data), cfg.seed, epoch)
        chunk_ids = order[in_epoch * cfg.batch_size : (in_epoch + 1) * cfg.batch_size]
        n_examples = len(chunk_ids)
        sums: dict[str, float] = {}
        for i in range(0, n_examples, cfg.micro_batch_size):
            batch = _to(collate_pairs([data[j] for j in chunk_ids[i : i + cfg.micro_batch_size]], pad_id), device)
            with accelerator.autocast():
                loss, m = pair_terms(model, batch, cfg)
            accelerator.backward(loss.sum() / n_examples)
            tokens += int(batch["attention_mask"].sum())
            for k, v in {"loss": loss.detach(), **m}.items():
                sums[k] = sums.get(k, 0.0) + float(v.sum())
        metrics = {k: v / n_examples for k, v in sums.items()}
        if not math.isfinite(metrics["loss"]):
            raise TrainingError(
                f"loss became {metrics['loss']} at step {step + 1} (epoch {epoch + 1}); lower --lr or raise "
                f"--alpha-tilde, and resume from the last checkpoint with --resume"
            )
        grad_norm = accelerator.clip_grad_norm_(params, cfg.grad_clip) if cfg.grad_clip > 0 else torch.tensor(0.0)
        metrics["lr"] = scheduler.get_last_lr()[0]
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        metrics.update(step=step, epoch=epoch + 1, grad_norm=float(grad_norm), tokens_per_s=tokens / max(1e-9, time.time() - t0))
        for cb in callbacks:
            cb(dict(metrics))
        bar.update(1)
        bar.set_postfix(loss=f"{metrics['loss']:.4f}", acc=f"{metrics['accuracy']:.2f}", margin=f"{metrics['margin']:.2f}")
        if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and step < total:
            save_checkpoint(out, step, model, optimizer, scheduler, cfg.keep_checkpoints)
            _inject_faults(step)
    bar.close()

    model.qnet.eval()
    record = {
        "alpha0": cfg.alpha0, "alpha_tilde": cfg.alpha_tilde, "gamma": cfg.gamma, "beta": cfg.beta,
        "train_config": cfg.to_dict(), "steps": step, "pairs": len(data), "truncated_pairs": truncated,
        "final_metrics": metrics, "resumed_from_step": resumed_from, "token_lengths": token_lengths(data), "parent": None, **meta,
    }
    save_adapter(model, out, record)
    shutil.rmtree(out / CHECKPOINTS, ignore_errors=True)
    return TrainResult(output_dir=out, steps=step, metrics=metrics, pairs=len(data), truncated=truncated, seconds=time.time() - t0, token_lengths=token_lengths(data))


def eval_batches(model: QAdapter, tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig, batch_size: int):
    """Collated batches of ``pairs`` on the model's device, with the model in eval mode (no LoRA
    dropout) while they are consumed; the previous mode is restored afterwards."""
    was_training = model.qnet.training
    model.qnet.eval()
    data = tokenize_all(tokenizer, pairs, cfg)
    device = next(model.qnet.parameters()).device
    try:
        for i in range(0, len(data), batch_size):
            yield _to(collate_pairs(data[i : i + batch_size], tokenizer.pad_token_id), device)
    finally:
        model.qnet.train(was_training)


@torch.no_grad()
def evaluate_pairs(model: QAdapter, tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig, *, batch_size: int = 8) -> dict:
    """Held-out preference accuracy and mean margin of the implied returns (no dropout)."""
    sums: dict[str, float] = {}
    for batch in eval_batches(model, tokenizer, pairs, cfg, batch_size):
        loss, m = pair_terms(model, batch, cfg)
        for k, v in {"loss": loss, **m}.items():
            sums[k] = sums.get(k, 0.0) + float(v.sum())
    return {k: v / max(1, len(pairs)) for k, v in sums.items()} | {"pairs": len(pairs)}
