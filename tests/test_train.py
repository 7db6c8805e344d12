"""Training on the tiny model: learning, frozen base, accumulation, exact resume after SIGKILL."""

import os
import signal
import subprocess
import sys

import pytest
import torch
from peft import PeftModel
from safetensors.torch import load_file
from torch.testing import assert_close

from qadapter.adapter import QAdapter, load_adapter, read_meta
from qadapter.config import profile
from qadapter.evaluate.preference import evaluate_pairs
from qadapter.models import load_base, state_dict_hash
from qadapter.train import TrainingError, train


def meta_for(base):
    return {"base_model": base.name, "base_hash": base.content_hash}


def test_training_learns_a_separable_preference_and_leaves_the_base_untouched(tmp_path, toy_pairs):
    base = load_base("tiny")
    before_hash = state_dict_hash(base.model)
    cfg = profile("tiny", epochs=10)
    model = QAdapter(base.model, cfg.adapter)
    heldout = toy_pairs[9:]
    before = evaluate_pairs(model, base.tokenizer, heldout, cfg)
    seen = []
    train(
        model,
        base.tokenizer,
        toy_pairs[:9],
        cfg,
        tmp_path / "out",
        meta=meta_for(base),
        callbacks=[seen.append],
        progress=False,
    )
    after = evaluate_pairs(model, base.tokenizer, heldout, cfg)
    assert before["accuracy"] == 0.0 and after["accuracy"] == 1.0
    assert after["bt_loss"] < 0.1 * before["bt_loss"]
    assert seen[0]["step"] == 1 and seen[-1]["step"] == len(seen) == 30  # 3 steps/epoch x 10
    assert seen[-1]["margin"] > seen[0]["margin"]
    assert seen[0]["lr"] == pytest.approx(cfg.lr) and seen[-1]["lr"] < cfg.lr  # linear decay
    # the base pi1 is bit-identical after training, parameter by parameter
    model.qnet.unload()
    assert state_dict_hash(base.model) == before_hash == load_base("tiny").content_hash


def test_gradient_accumulation_equals_one_big_batch(tmp_path, toy_pairs):
    adapters = {}
    for micro in (1, 2, 4):
        base = load_base("tiny")
        cfg = profile(
            "tiny", epochs=1, max_steps=1, batch_size=4, micro_batch_size=micro, lora_dropout=0.0
        )
        model = QAdapter(base.model, cfg.adapter)
        train(
            model,
            base.tokenizer,
            toy_pairs[:4],
            cfg,
            tmp_path / f"m{micro}",
            meta=meta_for(base),
            progress=False,
        )
        adapters[micro] = load_file(str(tmp_path / f"m{micro}" / "adapter_model.safetensors"))
    for micro in (2, 4):
        for k in adapters[1]:
            assert_close(adapters[micro][k], adapters[1][k], atol=1e-6, rtol=1e-5)
    assert any(
        not torch.equal(v, torch.zeros_like(v)) for k, v in adapters[1].items() if "lora_B" in k
    )


def test_adapter_round_trip_through_peft_and_load_adapter(tmp_path, toy_pairs):
    base = load_base("tiny")
    cfg = profile("tiny", epochs=1)
    model = QAdapter(base.model, cfg.adapter)
    train(
        model, base.tokenizer, toy_pairs, cfg, tmp_path / "out", meta=meta_for(base), progress=False
    )
    ids = torch.tensor([[1, 5, 9, 13, 2]])
    mask = torch.ones_like(ids)
    q_trained, lp_trained = model.full_outputs(ids, mask)
    meta = read_meta(tmp_path / "out")
    assert meta["head"] == "residual" and meta["alpha0"] == cfg.alpha0 and meta["parent"] is None
    assert meta["base_hash"] == base.content_hash and meta["train_config"]["lr"] == cfg.lr

    fresh = load_base("tiny")
    peft = PeftModel.from_pretrained(fresh.model, str(tmp_path / "out"))
    with torch.no_grad():
        assert_close(
            peft(input_ids=ids).logits.float() - load_base("tiny").model(input_ids=ids).logits,
            q_trained,
        )

    again = load_base("tiny")
    loaded, _ = load_adapter(tmp_path / "out", again.model, again.content_hash)
    q, lp = loaded.full_outputs(ids, mask)
    assert_close(q, q_trained)
    assert_close(lp, lp_trained)


def test_load_adapter_trainable_continues_training_from_the_saved_weights(tmp_path, toy_pairs):
    """Two-stage runs: a loaded adapter (trainable=True) trains its own LoRA weights, not pi1's.

    It used to come back with no trainable parameter at all (QAdapter froze every parameter of
    the base model, the LoRA layers PEFT had just injected included)."""
    base = load_base("tiny")
    cfg = profile("tiny", epochs=1)
    first = QAdapter(base.model, cfg.adapter)
    names = sorted(n for n, p in first.qnet.named_parameters() if p.requires_grad)
    train(
        first, base.tokenizer, toy_pairs, cfg, tmp_path / "a", meta=meta_for(base), progress=False
    )
    saved = load_file(tmp_path / "a" / "adapter_model.safetensors")

    frozen_base = load_base("tiny")
    frozen, _ = load_adapter(tmp_path / "a", frozen_base.model, frozen_base.content_hash)
    assert frozen.trainable_parameters() == []

    again = load_base("tiny")
    loaded, _ = load_adapter(tmp_path / "a", again.model, again.content_hash, trainable=True)
    trainable = sorted(n for n, p in loaded.qnet.named_parameters() if p.requires_grad)
    assert trainable == names and all("lora_" in n for n in trainable)
    train(
        loaded,
        again.tokenizer,
        toy_pairs,
        cfg,
        tmp_path / "b",
        meta=meta_for(again),
        progress=False,
    )
    continued = load_file(tmp_path / "b" / "adapter_model.safetensors")
    assert continued.keys() == saved.keys()
    assert any(not torch.equal(continued[k], saved[k]) for k in saved)
    # pi1 itself did not move
    loaded.qnet.unload()
    assert state_dict_hash(again.model) == load_base("tiny").content_hash


def test_runs_with_different_precisions_in_one_process(tmp_path, toy_pairs):
    """Accelerate's state is per process: a bf16 run after an fp32 run must re-create it, and the
    fp32 run after that must not inherit bf16 autocast (its loss equals a fresh fp32 run's)."""
    losses = {}
    for name, precision in (("a", "fp32"), ("b", "bf16"), ("c", "fp32")):
        base = load_base("tiny")
        cfg = profile("tiny", max_steps=1, precision=precision, lora_dropout=0.0)
        res = train(
            QAdapter(base.model, cfg.adapter),
            base.tokenizer,
            toy_pairs,
            cfg,
            tmp_path / name,
            meta=meta_for(base),
            progress=False,
        )
        losses[name] = res.metrics["loss"]
    assert losses["a"] == losses["c"] and losses["b"] != losses["a"]


def test_nan_loss_stops_with_a_clear_error(tmp_path, toy_pairs, monkeypatch):
    import qadapter.train as T

    def nan_terms(model, batch, cfg):
        loss, m = real(model, batch, cfg)
        return loss * float("nan"), m

    real = T.pair_terms
    monkeypatch.setattr(T, "pair_terms", nan_terms)
    base = load_base("tiny")
    cfg = profile("tiny")
    with pytest.raises(TrainingError, match=r"loss became nan at step 1 \(epoch 1\); lower --lr"):
        train(
            QAdapter(base.model, cfg.adapter),
            base.tokenizer,
            toy_pairs,
            cfg,
            tmp_path / "o",
            meta=meta_for(base),
            progress=False,
        )


FAULTS = os.path.join(os.path.dirname(__file__), "faults.py")


def cli_train(out, data, extra=(), fault=None):
    """``qadapter train`` in a subprocess; ``fault=(kind, spec)``: a tests/faults.py callback."""
    args = [
        "train",
        "--profile",
        "tiny",
        "--data",
        str(data),
        "-o",
        str(out),
        "--epochs",
        "3",
        "--checkpoint-every",
        "2",
        "--quiet",
        *extra,
    ]
    cmd = (
        [sys.executable, FAULTS, *fault, "--", *args]
        if fault
        else [sys.executable, "-m", "qadapter.cli", *args]
    )
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.mark.integration
def test_sigkilled_run_resumes_to_the_same_adapter(tmp_path, toy_jsonl):
    train_file, _ = toy_jsonl
    full = cli_train(tmp_path / "full", train_file)
    assert full.returncode == 0, full.stderr[-2000:]

    killed = cli_train(tmp_path / "resumed", train_file, fault=("kill-after-checkpoint", "4"))
    assert killed.returncode == -signal.SIGKILL
    ckpts = sorted(p.name for p in (tmp_path / "resumed" / "checkpoints").iterdir())
    assert ckpts == ["step-0000002", "step-0000004"]  # keep_checkpoints = 2, no temp dirs left
    assert (tmp_path / "resumed" / ".qadapter.lock").exists()  # left by the killed run: stale
    assert not (tmp_path / "resumed" / "adapter_model.safetensors").exists()

    resumed = cli_train(tmp_path / "resumed", train_file, extra=["--resume"])
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "removing the stale lock of process" in resumed.stderr
    a = load_file(str(tmp_path / "full" / "adapter_model.safetensors"))
    b = load_file(str(tmp_path / "resumed" / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and len(a) > 0
    for k in a:
        assert torch.equal(a[k], b[k]), k
    assert read_meta(tmp_path / "resumed")["steps"] == read_meta(tmp_path / "full")["steps"] == 9
    assert read_meta(tmp_path / "resumed")["resumed_from_step"] == 4  # it really continued
    assert read_meta(tmp_path / "full")["resumed_from_step"] == 0
    assert not (tmp_path / "resumed" / "checkpoints").exists()  # cleaned up after success


@pytest.mark.integration
def test_kill_in_the_middle_of_a_checkpoint_write_resumes_from_the_previous_one(
    tmp_path, toy_jsonl
):
    """SIGKILL after the adapter file of checkpoint 4 is written but before it is complete: resume
    must ignore the partial checkpoint (no marker, still a temp dir) and continue from step 2."""
    train_file, _ = toy_jsonl
    full = cli_train(tmp_path / "full", train_file)
    assert full.returncode == 0, full.stderr[-2000:]
    out = tmp_path / "cut"
    killed = cli_train(
        out, train_file, fault=("kill-during-checkpoint", "4:adapter_model.safetensors")
    )
    assert killed.returncode == -signal.SIGKILL
    partial = out / "checkpoints" / ".tmp-step-0000004"
    assert (partial / "adapter_model.safetensors").exists() and not (
        partial / "trainer_state.json"
    ).exists()
    assert sorted(p.name for p in (out / "checkpoints").glob("step-*")) == ["step-0000002"]

    resumed = cli_train(out, train_file, extra=["--resume"])
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert read_meta(out)["resumed_from_step"] == 2
    a = load_file(str(tmp_path / "full" / "adapter_model.safetensors"))
    b = load_file(str(out / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
