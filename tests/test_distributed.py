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


def tiny_run(out, *, checkpoint_every=2, resume=False, callbacks=(), pairs=None):
    """The run every test compares: tiny model, batch 4 of micro 2, no dropout, seed 0."""
    from conftest import toy_pair_list

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

from qadapter.launch import command  # noqa: E402
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
    for k in reference:
        assert_close(written[k], reference[k], atol=2e-6, rtol=1e-5), k
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
