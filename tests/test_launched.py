"""The pipeline's training stage under a launcher equals the stage in one process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from safetensors.torch import load_file
from torch.testing import assert_close

from qadapter import launched
from qadapter.config import profile
from qadapter.customize import Recipe
from qadapter.data import DataError
from qadapter.distributed import DistributedError
from qadapter.meta import read_meta

HARMLESS = str(Path(__file__).resolve().parents[1] / "data" / "hh-mini" / "harmless")


def _cfg():
    return profile("tiny", epochs=1, batch_size=4, micro_batch_size=2, lora_dropout=0.0)


RECIPE = Recipe(HARMLESS, 8)


def _stage(workdir, **launch):
    return launched.customize("tiny", RECIPE, 4, _cfg(), workdir, **launch)


def test_launcher_none_refuses_several_processes(tmp_path):
    with pytest.raises(DistributedError, match="launcher none trains in this process"):
        _stage(tmp_path, processes=2)
    with pytest.raises(DistributedError, match="choose one of"):
        _stage(tmp_path, launcher="mpirun", processes=2)


@pytest.mark.integration
def test_torchrun_two_processes_equal_one(tmp_path, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    one = _stage(tmp_path / "one")
    two = launched.customize(
        "tiny",
        RECIPE,
        4,
        _cfg(),
        tmp_path / "two",
        launcher="torchrun",
        processes=2,
        timeout=600,
    )
    # the same stage record: same data, same steps; the launched one says how it ran
    assert two["world_size"] == 2 and two["distributed_type"] == "MULTI_CPU"
    for key in ("data_hash", "test_hash", "steps", "pairs"):
        assert two[key] == one[key], key
    assert one["steps"] == 2  # 8 pairs / batch 4, one epoch
    assert (
        json.loads((tmp_path / "two" / launched.RECORD).read_text())["adapter_dir"]
        == (two["adapter_dir"])
    )
    assert read_meta(two["adapter_dir"])["world_size"] == 2
    a = load_file(str(Path(one["adapter_dir"]) / "adapter_model.safetensors"))
    b = load_file(str(Path(two["adapter_dir"]) / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and a
    for k in a:
        assert_close(b[k], a[k], atol=2e-6, rtol=1e-5, msg=k)
    assert one["metrics"].keys() == two["metrics"].keys() and "loss" in one["metrics"]
    for k, v in one["metrics"].items():
        if k in ("tokens_per_s", "seconds", "wall_s", "world_size"):
            continue  # timings and the process count, not results
        assert two["metrics"][k] == pytest.approx(v, rel=1e-4, abs=1e-6), k


def test_a_missing_source_is_refused_before_any_rank_starts(tmp_path):
    with pytest.raises(DataError, match="source not found"):
        missing = Recipe(str(tmp_path / "missing"), 8)
        launched.customize("tiny", missing, 4, _cfg(), tmp_path / "w", launcher="torchrun")
    assert not (tmp_path / "w" / launched.LOG).exists()  # no launcher ran


def test_a_failed_launch_names_the_error(tmp_path, monkeypatch):
    """A rank that fails (here: a launcher command replaced by one that exits 3) is reported
    with the exit code and the log that holds its output."""
    real = launched.command

    def failing(*args, **kwargs):
        _, extra = real(*args, **kwargs)
        code = "import sys; print('rank 0: simulated failure'); sys.exit(3)"
        return [sys.executable, "-c", code], extra

    monkeypatch.setattr(launched, "command", failing)
    with pytest.raises(DistributedError, match=r"exited with .*launch\.log"):
        launched.customize(
            "tiny", RECIPE, 4, _cfg(), tmp_path / "w", launcher="torchrun", timeout=600
        )
    assert "simulated failure" in (tmp_path / "w" / launched.LOG).read_text()
