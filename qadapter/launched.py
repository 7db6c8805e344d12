"""The pipeline's Q-Adapter training stage under a launcher (torchrun, accelerate, deepspeed).

The Prefect ``qadapter`` task calls :func:`customize` with ``launcher="none"`` (the default) to
train in its own process, or with a launcher and a process count to train under it:

    python -m qadapter.launched SPEC.json      # what the launcher starts on every rank

The spec is the stage's exact arguments (the same seeded subset of the same source, the same
``TrainConfig``, the same work directory), so every rank runs :func:`qadapter.stages.customize`
(``qadapter.customize.fit``), the code path of one process: Accelerate shards each optimizer
step's examples across the ranks in one process's global order, so N processes give the
adapter of one process (within float tolerance; tests/test_distributed.py) when LoRA dropout is
0; with dropout, each rank draws its
own masks, so the adapter is the same in distribution but not in its digits. The pipeline's cache
key leaves the launcher out on purpose: a stage trained under 2 processes serves a 1-process
request (and the other way round). Only rank 0 writes the stage record (``record.json`` in
the work directory) and the adapter. A retried task re-launches into the same work directory and
resumes from its newest checkpoint (``resume="auto"``).

What a launched stage gives up: the task's callbacks (live MLflow metrics, Prefect progress lines)
run in the task's process and cannot cross into the ranks; the stage logs the final metrics from
the record instead, and the ranks' own output goes to ``launch.log`` in the work directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Sequence

from .config import TrainConfig
from .customize import Recipe
from .distributed import DistributedError, is_rank_zero
from .launch import LAUNCHERS, command

RECORD = "record.json"
SPEC = "launch-spec.json"
LOG = "launch.log"


def customize(
    base_path: str,
    recipe: Recipe,
    n_test: int | None,
    cfg: TrainConfig,
    workdir: str | Path,
    *,
    launcher: str = "none",
    processes: int = 1,
    accelerate_config: str | None = None,
    callbacks: Sequence[Callable] = (),
    parent: str | None = None,
    timeout: float | None = None,
    log: Callable[[str], None] | None = None,
) -> dict:
    """:func:`qadapter.stages.customize` in this process (``launcher="none"``) or under
    ``launcher`` with ``processes`` ranks; returns the same record either way."""
    from . import stages
    from .customize import finished, mixed_data, source_data

    if launcher not in LAUNCHERS:
        raise DistributedError(f"launcher {launcher!r}: choose one of {', '.join(LAUNCHERS)}")
    if launcher == "none":
        if processes != 1 or accelerate_config is not None:
            raise DistributedError(
                "launcher none trains in this process: processes must be 1 and "
                "accelerate_config unset; pick launcher torchrun, accelerate or deepspeed"
            )
        return stages.customize(
            base_path, recipe, n_test, cfg, workdir, callbacks=callbacks, parent=parent, log=log
        )
    data, _ = source_data(recipe, cfg.seed, n_test)
    from .data import dataset_hash

    if finished(workdir, dataset_hash(data.pairs), cfg, recipe, mixed_data(recipe, cfg.seed)):
        # finished by an earlier try: no ranks to start (the ranks' own fit returns its record)
        return stages.customize(base_path, recipe, n_test, cfg, workdir, parent=parent)
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    spec = {
        "base_path": str(base_path),
        "recipe": recipe.to_dict(),
        "n_test": n_test,
        "cfg": cfg.to_dict(),
        "workdir": str(work),
        "parent": parent,
    }
    stages.pregenerate(base_path, recipe, cfg.seed, log=log)  # once, here; the ranks reuse them
    (work / SPEC).write_text(json.dumps(spec, indent=1))
    (work / RECORD).unlink(missing_ok=True)
    argv, extra = command(
        launcher, processes, accelerate_config, [str(work / SPEC)], program=("-m", __name__)
    )
    with open(work / LOG, "a") as out:
        done = subprocess.run(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **extra},
            timeout=timeout,
        )
    if done.returncode != 0:
        raise DistributedError(
            f"training under {launcher} x{processes} exited with {done.returncode}: "
            f"{_last_error(work / LOG)} (whole output: {work / LOG})"
        )
    record = json.loads((work / RECORD).read_text())
    got = record.get("world_size")
    if got != processes:
        raise DistributedError(f"{work}: trained with world size {got}, asked for {processes}")
    return record


def _last_error(log: Path) -> str:
    lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if "Error" in ln or "error:" in ln]
    return (errors or lines or ["(no output)"])[-1]


def main(argv: list[str] | None = None) -> int:
    from . import stages
    from .meta import read_meta

    spec_path = Path((argv if argv is not None else sys.argv[1:])[0])
    spec = json.loads(spec_path.read_text())
    record = stages.customize(
        spec["base_path"],
        Recipe.from_dict(spec["recipe"]),
        spec["n_test"],
        TrainConfig.from_dict(spec["cfg"]),
        spec["workdir"],
        parent=spec["parent"],
    )
    if is_rank_zero():
        meta = read_meta(record["adapter_dir"])
        record = {
            **record,
            "world_size": meta.get("world_size"),
            "distributed_type": meta.get("distributed_type"),
        }
        tmp = Path(spec["workdir"]) / f".{RECORD}.tmp"
        tmp.write_text(json.dumps(record, indent=1, default=str))
        tmp.replace(Path(spec["workdir"]) / RECORD)
    return 0


if __name__ == "__main__":
    sys.exit(main())
