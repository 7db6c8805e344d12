"""Multi-process training on CPU: 2-process DDP (torchrun, gloo) and DeepSpeed ZeRO-2 give the
adapter of one process with the same effective batch and seed; a 2-process run SIGKILLed after a
checkpoint resumes (at 2 or 1 processes) to the same adapter; launches that silently do the wrong
thing are refused.

The workers are this file run as a script under the launcher (``worker OUT [options]``): each
rank trains the tiny model on the toy pairs and writes its own adapter tensors, so the test can
check that the ranks agree, not just that rank 0 wrote something.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE.parent))

STEPS = 9  # 9 toy pairs, batch 4: steps of 4, 4, 1 examples per epoch, 3 epochs


def _root_conftest():
    """tests/conftest.py by path: under pytest, ``import conftest`` may name another folder's."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "qadapter_tests_conftest", HERE.parent / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_run(out, *, checkpoint_every=2, resume=False, callbacks=(), pairs=None):
    """The run every test compares: tiny model, batch 4 of micro 2, no dropout, seed 0."""
    toy_pair_list = _root_conftest().toy_pair_list

    from qadapter.adapter import QAdapter
    from qadapter.config import profile
    from qadapter.models import load_base
    from qadapter.train import train

    base = load_base("tiny")
    cfg = profile(
        "tiny",
        epochs=3,
        batch_size=4,
        micro_batch_size=2,
        lora_dropout=0.0,
        checkpoint_every=checkpoint_every,
    )
    model = QAdapter(base.model, cfg.adapter, seed=cfg.seed)
    meta = {"base_model": base.name, "base_hash": base.content_hash}
    result = train(
        model,
        base.tokenizer,
        pairs or toy_pair_list()[:9],
        cfg,
        out,
        meta=meta,
        resume=resume,
        callbacks=callbacks,
        progress=False,
    )
    return model, result


def worker(argv: list[str]) -> None:
    """One rank: train, then write this rank's adapter tensors to OUT.rank{R}.safetensors."""
    import argparse

    from faults import KillAfterCheckpoint
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--checkpoint-every", type=int, default=2)
    ap.add_argument("--kill-after", type=int)
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args(argv)
    rank = int(os.environ.get("RANK", "0"))
    callbacks = [KillAfterCheckpoint(a.kill_after)] if a.kill_after else []
    model, _ = tiny_run(
        a.out, checkpoint_every=a.checkpoint_every, resume=a.resume, callbacks=callbacks
    )
    state = {k: v.contiguous() for k, v in get_peft_model_state_dict(model.qnet).items()}
    save_file(state, f"{a.out}.rank{rank}.safetensors")


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    worker(sys.argv[2:])
    sys.exit(0)

import pytest  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from torch.testing import assert_close  # noqa: E402

from qadapter import distributed as D  # noqa: E402
from qadapter.launch import command, run_training  # noqa: E402
from qadapter.meta import read_meta  # noqa: E402

TIMEOUT = 900  # the first DeepSpeed run JIT-compiles its shared-memory op (~2 min)


def launch(launcher, nproc, out, *extra, config=None):
    argv, env = command(launcher, nproc, config, ["worker", str(out), *extra], program=(str(HERE),))
    env = {**os.environ, **env, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(HERE.parents[1])}
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    """The reference: one process, batch 4 = micro 2 x accumulation 2."""
    out = tmp_path_factory.mktemp("one") / "out"
    tiny_run(out)
    return load_file(str(out / "adapter_model.safetensors"))


def check_same_adapter(out: Path, reference: dict, world: int, kind: str) -> None:
    meta = read_meta(out)
    assert meta["world_size"] == world and meta["distributed_type"] == kind
    assert meta["steps"] == STEPS
    written = load_file(str(out / "adapter_model.safetensors"))
    assert written.keys() == reference.keys() and len(written) > 0
    # Summation order differs across ranks (DeepSpeed reduces in its own buckets), and Adam can
    # turn a 1e-8 gradient difference into a visible one where a gradient is near zero: measured
    # 8e-6 on 1 of 2048 elements on one CPU model (2026-11-27); 1.5e-8 at most, DDP and ZeRO-2,
    # on a 2-core AMD EPYC (2026-12-08; docs/scaling.md says the same). 2e-5 is under 1% of one
    # Adam step (lr 3e-3); a wrongly weighted average (the last step has 1 example), a missed
    # micro-batch or a skipped step moves whole tensors by about one step.
    for k in reference:
        assert_close(written[k], reference[k], atol=2e-5, rtol=1e-5, msg=lambda m, k=k: f"{k}: {m}")
    assert any(not torch.equal(v, torch.zeros_like(v)) for k, v in written.items() if "lora_B" in k)
    ranks = [load_file(f"{out}.rank{r}.safetensors") for r in range(world)]
    for other in ranks[1:]:  # the ranks hold the same adapter
        for k in ranks[0]:
            assert_close(other[k], ranks[0][k], atol=0, rtol=0)


@pytest.mark.integration
def test_two_process_ddp_equals_one_process(tmp_path, one_process):
    out = tmp_path / "ddp"
    done = launch("torchrun", 2, out)
    assert done.returncode == 0, done.stderr[-3000:]
    check_same_adapter(out, one_process, 2, "MULTI_CPU")
    assert read_meta(out)["final_metrics"]["effective_batch"] == 4


@pytest.mark.integration
def test_two_process_deepspeed_zero2_equals_one_process(tmp_path, one_process):
    pytest.importorskip("deepspeed", reason="pip install 'qadapter[distributed]'")
    out = tmp_path / "zero2"
    done = launch("deepspeed", 2, out, "--checkpoint-every", "0", config="zero2")
    assert done.returncode == 0, done.stderr[-3000:]
    check_same_adapter(out, one_process, 2, "DEEPSPEED")


@pytest.mark.integration
def test_two_process_run_sigkilled_after_a_checkpoint_resumes_to_the_same_adapter(
    tmp_path, one_process
):
    out = tmp_path / "killed"
    killed = launch("torchrun", 2, out, "--kill-after", "4")
    assert killed.returncode != 0
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == [
        "step-0000002",
        "step-0000004",
    ]
    assert not (out / "adapter_model.safetensors").exists()
    resumed = launch("torchrun", 2, out, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert read_meta(out)["resumed_from_step"] == 4
    check_same_adapter(out, one_process, 2, "MULTI_CPU")


@pytest.mark.integration
def test_a_two_process_checkpoint_resumes_in_one_process(tmp_path, one_process):
    out = tmp_path / "killed"
    killed = launch("torchrun", 2, out, "--kill-after", "4")
    assert killed.returncode != 0
    resumed = launch("none", 1, out, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert read_meta(out)["resumed_from_step"] == 4
    check_same_adapter(out, one_process, 1, "NO")


# ---- launch checks, sharding and command lines (fast) ------------------------------------------


class FakeAccelerator:
    def __init__(self, world, kind):
        from accelerate.utils import DistributedType

        self.num_processes = world
        self.distributed_type = DistributedType(kind)


@pytest.mark.parametrize(
    "world, kind, env, says",
    [
        # torchrun + a plain Accelerator() on CPU: every process has a world of 1
        (1, "NO", {"WORLD_SIZE": "2"}, "the launcher started 2 processes but Accelerate sees"),
        # accelerate launch --cpu --num_processes 2: one process, no WORLD_SIZE
        (1, "NO", {D.EXPECT_WORLD: "2"}, "2 processes were asked for but this run has 1"),
        # Accelerator(cpu=True) under --use_deepspeed: DDP instead of DeepSpeed
        (2, "MULTI_CPU", {"WORLD_SIZE": "2", "ACCELERATE_USE_DEEPSPEED": "true"}, "was dropped"),
        (2, "MULTI_CPU", {"WORLD_SIZE": "2", D.EXPECT_TYPE: "DEEPSPEED"}, "launched for DEEPSPEED"),
    ],
)
def test_silent_launch_failures_are_refused_in_one_line(world, kind, env, says):
    with pytest.raises(D.DistributedError, match=says) as e:
        D.check_launch(FakeAccelerator(world, kind), env)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    "world, kind, env",
    [
        (1, "NO", {}),
        (2, "MULTI_CPU", {"WORLD_SIZE": "2", D.EXPECT_WORLD: "2", D.EXPECT_TYPE: "MULTI_CPU"}),
        (2, "DEEPSPEED", {"WORLD_SIZE": "2", "ACCELERATE_USE_DEEPSPEED": "true"}),
    ],
)
def test_consistent_launches_pass(world, kind, env):
    D.check_launch(FakeAccelerator(world, kind), env)


def test_accelerate_launch_cpu_with_two_processes_is_refused(tmp_path):
    """The real silent failure: `accelerate launch --cpu --num_processes 2` starts ONE process."""
    argv = [sys.executable, "-m", "accelerate.commands.launch", "--cpu", "--num_processes=2"]
    env = {**os.environ, D.EXPECT_WORLD: "2", "PYTHONPATH": str(HERE.parents[1])}
    done = subprocess.run(
        [*argv, str(HERE), "worker", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode != 0
    assert "2 processes were asked for but this run has 1" in done.stderr
    assert not (tmp_path / "o" / "adapter_model.safetensors").exists()


@pytest.mark.parametrize("n, batch, micro, world", [(4, 4, 2, 2), (1, 4, 2, 2), (7, 8, 2, 4)])
def test_rank_shares_cover_the_step_in_one_process_order(n, batch, micro, world):
    step = [13 * i % 17 for i in range(n)]  # any order
    share, accumulation = D.per_rank_steps(batch, micro, world)
    assert share * world == batch and accumulation * micro == share
    shares = [D.rank_share(step, r, share) for r in range(world)]
    joined = []
    for s in shares:  # brute force: rank r's slice starts where rank r-1's ended
        assert len(s) <= share
        joined.extend(s)
    assert joined == step


def test_batch_not_divisible_by_micro_times_world_is_one_line():
    with pytest.raises(D.DistributedError, match=r"batch_size 6 must be a multiple of .*\(2 x 2\)"):
        D.per_rank_steps(6, 2, 2)


def test_command_lines():
    argv, env = command("torchrun", 2, None, ["train", "-o", "x"], cuda=False)
    assert argv[1:6] == ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "-m"]
    assert argv[6:] == ["qadapter.cli", "train", "-o", "x"]
    assert env == {D.EXPECT_WORLD: "2", D.EXPECT_TYPE: "MULTI_CPU"}
    argv, env = command("deepspeed", 4, None, ["train"], cuda=True)
    assert argv[1:5] == ["-m", "accelerate.commands.launch", "--config_file", argv[4]]
    assert argv[4].endswith("infra/accelerate/zero2.yaml") and "--num_processes=4" in argv
    assert env[D.EXPECT_TYPE] == "DEEPSPEED"
    for name in ("zero1", "zero3-offload"):
        assert command("deepspeed", 2, name, cuda=False)[1][D.EXPECT_TYPE] == "DEEPSPEED"
    assert command("accelerate", 2, "ddp", cuda=True)[1][D.EXPECT_TYPE] == "MULTI_GPU"
    assert command("none", 1)[0][1:3] == ["-m", "qadapter.cli"]


@pytest.mark.parametrize(
    "args, says",
    [
        (("mpirun", 2, None), "launcher 'mpirun': choose one of none, torchrun"),
        (("none", 2, None), "launcher none runs one process, not 2"),
        (("torchrun", 0, None), "process count must be a positive integer"),
        (("accelerate", 2, "ddp"), "accelerate launch starts ONE process on a machine without"),
        (("deepspeed", 2, "ddp"), "launcher deepspeed needs a DeepSpeed config"),
        (("deepspeed", 2, "zero9"), "accelerate config 'zero9': no such file"),
    ],
)
def test_bad_launches_are_one_line(args, says):
    with pytest.raises(D.DistributedError, match=says):
        command(*args, cuda=False)


def test_run_training_needs_an_output_directory():
    with pytest.raises(D.DistributedError, match="must name the output directory"):
        run_training("none", 1, None, ["--data", "x"])


@pytest.mark.integration
def test_run_training_runs_the_cli_under_torchrun_and_checks_the_world_size(tmp_path, toy_jsonl):
    """The pipeline's entry point: `qadapter train` under torchrun x2 (rank 0 locks and writes)."""
    out = tmp_path / "cli"
    args = ["--profile", "tiny", "--data", str(toy_jsonl[0]), "-o", str(out), "--quiet"]
    done = run_training("torchrun", 2, None, [*args, "--no-eval", "--lora-dropout", "0"])
    assert "adapter written to" in done.stdout
    meta = read_meta(out)
    assert meta["world_size"] == 2 and meta["distributed_type"] == "MULTI_CPU"
    assert meta["final_metrics"]["effective_batch"] == meta["train_config"]["batch_size"]
    assert not (out / ".qadapter.lock").exists() and not (out / "checkpoints").exists()
