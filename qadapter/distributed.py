"""Thin helpers over Accelerate for running the training loop in one or several processes.

Accelerate does the distribution (DDP over gloo/NCCL, DeepSpeed ZeRO 1-3); this module only

* builds the run's ``Accelerator`` and refuses, in one line, the launches that silently do the
  wrong thing (``accelerate launch --cpu --num_processes 2`` runs ONE process; ``torchrun`` with a
  plain ``Accelerator()`` on CPU gives N independent world-size-1 runs; ``cpu=True`` under
  ``--use_deepspeed`` silently drops DeepSpeed);
* splits one optimizer step's examples across ranks (:func:`rank_share`), keeping one process's
  global order, and gives the factor that makes each rank's loss sum to the one-process gradient
  after the engine's averaging (:func:`loss_scale`);
* fills the DeepSpeed batch settings the loop implies (:func:`configure_deepspeed`).

``qadapter.launch`` sets ``QADAPTER_WORLD_SIZE`` (and ``QADAPTER_DISTRIBUTED_TYPE``) in the
workers' environment: the processes it asked for, which :func:`make_accelerator` checks.
"""

from __future__ import annotations

import contextlib
import os

import torch

from .errors import QAdapterError

EXPECT_WORLD = "QADAPTER_WORLD_SIZE"  # set by qadapter.launch: processes the launcher was asked for
EXPECT_TYPE = "QADAPTER_DISTRIBUTED_TYPE"  # set by qadapter.launch: MULTI_CPU, MULTI_GPU, DEEPSPEED


class DistributedError(QAdapterError):
    """The launch does not give the processes or the engine it was asked for."""


def deepspeed_requested(env=None) -> bool:
    """Whether the launcher asked for DeepSpeed (``accelerate launch --use_deepspeed`` or a
    DeepSpeed config set ACCELERATE_USE_DEEPSPEED)."""
    env = os.environ if env is None else env
    return env.get("ACCELERATE_USE_DEEPSPEED", "false").lower() in ("1", "true", "yes")


def is_rank_zero(env=None) -> bool:
    """True in a plain process and in rank 0 of a launched one (before any Accelerator exists:
    the CLI uses it to let only rank 0 lock the output directory and write beside training)."""
    env = os.environ if env is None else env
    return int(env.get("RANK", "0")) == 0


def local_device(env=None) -> str:
    """The device this process should load models on before the Accelerator exists: the rank's
    own GPU (``cuda:LOCAL_RANK``) under a launcher, else ``cuda`` or ``cpu``. Loading every rank on
    ``cuda`` would put N copies on GPU 0 (and an 8-bit base cannot be moved afterwards)."""
    env = os.environ if env is None else env
    if not torch.cuda.is_available():
        return "cpu"
    return f"cuda:{int(env['LOCAL_RANK'])}" if "LOCAL_RANK" in env else "cuda"


def make_accelerator(precision: str):
    """The run's Accelerator (gloo and ``cpu=True`` on CPU, DeepSpeed when launched with it),
    checked by :func:`check_launch`. Accelerate keeps its state per process; a second run asking
    for another precision (a pipeline, a notebook) re-creates that state."""
    from accelerate import Accelerator, InitProcessGroupKwargs
    from accelerate.state import AcceleratorState

    kwargs = {
        "mixed_precision": "bf16" if precision == "bf16" else "no",
        # one scheduler step per optimizer step: the loop, not a sharded dataloader, defines steps
        "step_scheduler_with_optimizer": False,
    }
    if not torch.cuda.is_available():
        if int(os.environ.get("WORLD_SIZE", "1")) > 1:  # a process group exists only when launched
            kwargs["kwargs_handlers"] = [InitProcessGroupKwargs(backend="gloo")]
        if not deepspeed_requested():  # cpu=True would make Accelerate drop DeepSpeed
            kwargs["cpu"] = True
    try:
        accelerator = Accelerator(**kwargs)
    except ValueError as e:  # "AcceleratorState has already been initialized and cannot be ..."
        if "already been initialized" not in str(e):
            raise
        AcceleratorState._reset_state()
        accelerator = Accelerator(**kwargs)
    check_launch(accelerator, dict(os.environ))
    return accelerator


def check_launch(accelerator, env: dict) -> None:
    """Raise :class:`DistributedError` when the processes or engine differ from the launch's."""
    got = accelerator.num_processes
    kind = accelerator.distributed_type.value
    launched = int(env.get("WORLD_SIZE", "1"))
    if launched != got:
        raise DistributedError(
            f"the launcher started {launched} processes but Accelerate sees a world of {got} "
            f"({kind}); each would train its own adapter. Launch with `qadapter.launch` or pass "
            "--cpu/--use_deepspeed consistently"
        )
    expected = env.get(EXPECT_WORLD)
    if expected is not None and int(expected) != got:
        raise DistributedError(
            f"{int(expected)} processes were asked for but this run has {got} ({kind}); "
            "`accelerate launch --cpu --num_processes N` starts one process: use "
            "`torchrun --nproc_per_node N` or `accelerate launch --multi_gpu/--use_deepspeed`"
        )
    if deepspeed_requested(env) and kind != "DEEPSPEED":
        raise DistributedError(
            f"launched with --use_deepspeed but Accelerate runs {kind}; DeepSpeed was dropped "
            "(an Accelerator(cpu=True) does that); nothing was trained"
        )
    want = env.get(EXPECT_TYPE)
    if want is not None and want != kind:
        raise DistributedError(f"launched for {want} but Accelerate runs {kind}; nothing trained")


def is_deepspeed(accelerator) -> bool:
    return accelerator.distributed_type.value == "DEEPSPEED"


def zero_stage(accelerator) -> int:
    return accelerator.state.deepspeed_plugin.zero_stage if is_deepspeed(accelerator) else 0


def per_rank_steps(batch_size: int, micro: int, world: int) -> tuple[int, int]:
    """(examples per rank per step, micro-batches per rank per step) of a global ``batch_size``.

    The effective batch is ``micro x accumulation x world`` = ``batch_size``."""
    if batch_size % (micro * world):
        raise DistributedError(
            f"batch_size {batch_size} must be a multiple of micro_batch_size x processes "
            f"({micro} x {world}); change --batch-size or --micro-batch-size"
        )
    share = batch_size // world
    return share, share // micro


def rank_share(step_ids: list[int], rank: int, share: int) -> list[int]:
    """Rank ``rank``'s contiguous slice of one step's examples (global order kept; the last, short
    step of an epoch may leave a rank fewer or none)."""
    return step_ids[rank * share : (rank + 1) * share]


def loss_scale(accelerator, accumulation: int) -> float:
    """Factor on ``sum(per-example loss) / examples in the step`` that undoes the engine's
    reductions: DDP and DeepSpeed average gradients over ranks (x world), DeepSpeed also divides
    each backward by its accumulation steps (x accumulation). The synced gradient then equals one
    process's gradient of the step's mean loss."""
    scale = float(accelerator.num_processes)
    if is_deepspeed(accelerator):
        scale *= accumulation
    return scale


def configure_deepspeed(accelerator, micro: int, accumulation: int, grad_clip: float) -> None:
    """Set DeepSpeed's batch and clipping settings to the loop's (before ``prepare``)."""
    if not is_deepspeed(accelerator):
        return
    ds = accelerator.state.deepspeed_plugin.deepspeed_config
    ds["train_micro_batch_size_per_gpu"] = micro
    ds["gradient_accumulation_steps"] = accumulation
    ds["train_batch_size"] = micro * accumulation * accelerator.num_processes
    ds["gradient_clipping"] = grad_clip
    ds.setdefault("zero_allow_untested_optimizer", True)  # torch AdamW as the client optimizer
    accelerator.gradient_accumulation_steps = accumulation


@contextlib.contextmanager
def micro_step(accelerator, model, last: bool):
    """One micro-batch's forward/backward: gradients are synchronized (and DeepSpeed steps) only
    on the step's ``last`` micro-batch."""
    accelerator.sync_gradients = last
    try:
        with contextlib.nullcontext() if last else accelerator.no_sync(model):
            yield
    finally:
        accelerator.sync_gradients = True


def reduce_sums(accelerator, sums: dict[str, float]) -> dict[str, float]:
    """Per-rank sums -> global sums (same keys, same order on every rank)."""
    if accelerator.num_processes == 1:
        return dict(sums)
    keys = sorted(sums)
    t = torch.tensor([sums[k] for k in keys], dtype=torch.float64, device=accelerator.device)
    t = accelerator.reduce(t, reduction="sum")
    return {k: float(v) for k, v in zip(keys, t.tolist())}


@contextlib.contextmanager
def full_parameters(accelerator, params):
    """ZeRO-3 partitions parameters: gather ``params`` on every rank for the block (a collective:
    all ranks enter it). Anything else keeps full parameters on each rank: no-op."""
    if zero_stage(accelerator) == 3:
        import deepspeed

        with deepspeed.zero.GatheredParameters(list(params), modifier_rank=None):
            yield
    else:
        yield
