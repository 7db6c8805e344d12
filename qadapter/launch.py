"""Command lines that run ``qadapter train`` under a launcher, and :func:`run_training` for the
pipeline.

Launchers (``LAUNCHERS``):

* ``none``: one plain process (``python -m qadapter.cli train ...``).
* ``torchrun``: ``torchrun --standalone --nproc_per_node N`` (DDP: gloo on CPU, NCCL on CUDA).
* ``accelerate``: ``accelerate launch --config_file infra/accelerate/CONFIG.yaml
  --num_processes N`` (any of the shipped configs, or a path to your own).
* ``deepspeed``: ``accelerate launch`` with a DeepSpeed config (``zero1``, ``zero2``,
  ``zero3-offload``; default ``zero2``).

The workers get ``QADAPTER_WORLD_SIZE`` and ``QADAPTER_DISTRIBUTED_TYPE``, which
``qadapter.distributed.make_accelerator`` checks, so a launch that starts fewer processes or drops
DeepSpeed stops with one line instead of training N independent adapters.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from .distributed import EXPECT_TYPE, EXPECT_WORLD, DistributedError

LAUNCHERS = ("none", "torchrun", "accelerate", "deepspeed")
CONFIG_DIR = Path(__file__).resolve().parents[1] / "infra" / "accelerate"
CONFIGS = ("ddp", "zero1", "zero2", "zero3-offload")
CLI = ("-m", "qadapter.cli")


def config_path(config: str | Path) -> Path:
    """A shipped config name (``ddp``, ``zero2``, ...) or a path to an Accelerate YAML file."""
    path = CONFIG_DIR / f"{config}.yaml" if str(config) in CONFIGS else Path(config)
    if not path.is_file():
        raise DistributedError(
            f"accelerate config {config!r}: no such file; use one of {', '.join(CONFIGS)} "
            "or a path to an Accelerate YAML config"
        )
    return path


def _config_type(path: Path, launcher: str, cuda: bool) -> str:
    kind = str(yaml.safe_load(path.read_text()).get("distributed_type", "NO"))
    if launcher == "deepspeed" and kind != "DEEPSPEED":
        raise DistributedError(
            f"launcher deepspeed needs a DeepSpeed config; {path.name} is {kind}"
        )
    if kind == "MULTI_GPU" and not cuda:
        raise DistributedError(
            f"{path.name}: accelerate launch starts ONE process on a machine without CUDA; "
            "use launcher torchrun (DDP over gloo) or deepspeed on CPU"
        )
    return kind


def command(
    launcher: str,
    nproc: int = 1,
    config: str | Path | None = None,
    args: list[str] | tuple[str, ...] = (),
    *,
    program: tuple[str, ...] = CLI,
    cuda: bool | None = None,
) -> tuple[list[str], dict[str, str]]:
    """(argv, extra environment) running ``program args`` under ``launcher`` with ``nproc``
    processes on this node. ``program``: ``("-m", "module")`` or ``(script.py,)``."""
    if launcher not in LAUNCHERS:
        raise DistributedError(f"launcher {launcher!r}: choose one of {', '.join(LAUNCHERS)}")
    if not isinstance(nproc, int) or nproc < 1:
        raise DistributedError(f"process count must be a positive integer; got {nproc!r}")
    cuda = _cuda() if cuda is None else cuda
    py = sys.executable
    env = {EXPECT_WORLD: str(nproc)}
    if launcher == "none":
        if nproc != 1:
            raise DistributedError(f"launcher none runs one process, not {nproc}; pick torchrun")
        return [py, *program, *args], env
    if launcher == "torchrun":
        if config is not None:
            raise DistributedError("launcher torchrun takes no config; use accelerate/deepspeed")
        env[EXPECT_TYPE] = "NO" if nproc == 1 else "MULTI_GPU" if cuda else "MULTI_CPU"
        run = [py, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}"]
        return [*run, *program, *args], env
    path = config_path(config or ("zero2" if launcher == "deepspeed" else "ddp"))
    kind = _config_type(path, launcher, cuda)
    env[EXPECT_TYPE] = kind if nproc > 1 or kind == "DEEPSPEED" else "NO"
    run = [py, "-m", "accelerate.commands.launch", "--config_file", str(path)]
    run += [f"--num_processes={nproc}"]
    return [*run, *program, *args], env


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def _output(cli_args: list[str]) -> Path:
    for i, a in enumerate(cli_args):
        if a in ("-o", "--output") and i + 1 < len(cli_args):
            return Path(cli_args[i + 1])
        if a.startswith("--output="):
            return Path(a.split("=", 1)[1])
    raise DistributedError("run_training: cli_args must name the output directory (-o OUT)")


def run_training(
    launcher: str,
    nproc: int,
    config: str | Path | None,
    cli_args: list[str],
    *,
    resume: bool = True,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Run ``qadapter train CLI_ARGS`` under ``launcher``; check the adapter's recorded world
    size. ``resume``: continue from the newest complete checkpoint in the output directory when
    there is one (a retried pipeline task). Raises :class:`DistributedError` on failure with the
    run's last error line."""
    from .checkpoint import complete_checkpoints
    from .meta import read_meta

    out = _output(cli_args)
    args = ["train", *cli_args]
    if resume and "--resume" not in args and complete_checkpoints(out):
        args.append("--resume")
    argv, extra = command(launcher, nproc, config, args)
    env = {**os.environ, **extra}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        errors = [ln for ln in lines if "qadapter: error" in ln] or lines[-1:] or ["(no output)"]
        raise DistributedError(
            f"qadapter train under {launcher} x{nproc} exited with {done.returncode}: {errors[-1]}"
        )
    got = read_meta(out).get("world_size")
    if got != nproc:
        raise DistributedError(f"{out}: trained with world size {got}, asked for {nproc}")
    return done
