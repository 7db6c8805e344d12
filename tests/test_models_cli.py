"""Model loading and the command line: determinism, clear one-line errors, info and lineage."""

import json

import pytest
import torch

from qadapter import cli
from qadapter.adapter import AdapterConfig, QAdapter
from qadapter.config import profile
from qadapter.models import ModelError, load_base, state_dict_hash, tiny_model
from qadapter.train import train


def test_tiny_model_is_deterministic_from_its_seed():
    a, b, c = load_base("tiny"), load_base("tiny:0"), load_base("tiny:1")
    assert a.content_hash == b.content_hash != c.content_hash
    assert a.name == "tiny:0" and c.name == "tiny:1"
    ids = torch.tensor([[1, 10, 20, 30]])
    with torch.no_grad():
        assert torch.equal(a.model(input_ids=ids).logits, b.model(input_ids=ids).logits)
    # the tiny policy is neither uniform nor one-hot
    p = torch.softmax(a.model(input_ids=ids).logits[0, -1], -1)
    assert 0.01 < p.max().item() < 0.9


def test_missing_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no such directory"):
        load_base(str(tmp_path / "nope"))


def test_directory_hash_is_dtype_independent(tmp_path):
    tiny_model(seed=3).save_pretrained(tmp_path / "m")
    from qadapter.models import tiny_tokenizer

    tiny_tokenizer().save_pretrained(tmp_path / "m")
    fp32 = load_base(str(tmp_path / "m"))
    bf16 = load_base(str(tmp_path / "m"), dtype=torch.bfloat16)
    assert fp32.content_hash == bf16.content_hash
    assert next(bf16.model.parameters()).dtype == torch.bfloat16
    assert state_dict_hash(fp32.model) == state_dict_hash(tiny_model(seed=3))


@pytest.fixture
def trained(tmp_path, toy_pairs):
    base = load_base("tiny")
    cfg = profile("tiny", epochs=1)
    model = QAdapter(base.model, cfg.adapter)
    out = tmp_path / "adapter"
    train(
        model,
        base.tokenizer,
        toy_pairs,
        cfg,
        out,
        meta={
            "base_model": base.name,
            "base_hash": base.content_hash,
            "data": {"source": "toy", "pairs": 12, "hash": "ab" * 32},
        },
        progress=False,
    )
    return out


def one_error_line(err: str) -> str:
    """stderr ends with exactly one error line (progress summaries may precede it), no traceback."""
    lines = [line for line in err.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("qadapter: error: ")]
    assert "Traceback" not in err and len(errors) == 1 and lines[-1] == errors[0], err
    return errors[0]


def test_info_prints_config_and_lineage(trained, capsys):
    assert cli.main(["info", str(trained)]) == 0
    out = capsys.readouterr().out
    assert "alpha0=1.0  alpha_tilde=0.1" in out and "head         residual" in out
    assert "tiny:0" in out and "(12 pairs" in out and "(no parent)" in out
    meta = json.loads((trained / "qadapter.json").read_text())
    line = next(x for x in out.splitlines() if x.startswith("trained"))
    assert line == f"trained      {meta['steps']} steps on {meta['pairs']} pairs"  # no "?"
    assert cli.main(["info", str(trained), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["gamma"] == 0.99


def test_generate_cli_writes_json(trained, capsys):
    assert (
        cli.main(
            [
                "generate",
                str(trained),
                "-p",
                "Hi",
                "-p",
                "How do I bake bread?",
                "--greedy",
                "--max-new-tokens",
                "5",
                "--json",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [r["prompt"] for r in rows] == ["Hi", "How do I bake bread?"]
    assert all(isinstance(r["response"], str) for r in rows)


def test_adapter_for_another_base_is_refused(trained, capsys):
    assert cli.main(["generate", str(trained), "--base", "tiny:1", "-p", "Hi"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "trained on base 'tiny:0'" in line and "load the same base" in line


@pytest.mark.parametrize(
    "argv,needle",
    [
        (
            ["train", "--profile", "tiny", "--data", "/no/such/file.jsonl", "-o", "/tmp/x"],
            "/no/such/file.jsonl",
        ),
        (["info", "/no/such/adapter"], "qadapter.json"),
        (["train", "--profile", "huge", "--data", "x", "-o", "/tmp/x"], "unknown profile 'huge'"),
        (
            [
                "train",
                "--profile",
                "tiny",
                "--data",
                "x",
                "-o",
                "/tmp/x",
                "--batch-size",
                "3",
                "--micro-batch-size",
                "2",
            ],
            "multiple of micro_batch_size",
        ),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(argv, needle, capsys):
    assert cli.main(argv) == 2
    assert needle in one_error_line(capsys.readouterr().err)


def test_generate_without_prompt(trained, capsys):
    assert cli.main(["generate", str(trained)]) == 2
    assert "--prompt" in one_error_line(capsys.readouterr().err)


def test_corrupt_metadata_names_file_and_line(trained, capsys):
    (trained / "qadapter.json").write_text('{"alpha0": 1,\n oops}')
    assert cli.main(["info", str(trained)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "qadapter.json:2" in line and "invalid JSON" in line


def test_separate_q_model_trains_and_keeps_shapes(tmp_path, toy_pairs):
    base = load_base("tiny")
    small = tiny_model(seed=5, hidden=32, layers=1)
    cfg = profile("tiny", epochs=5, lr=1e-2)
    model = QAdapter(base.model, AdapterConfig(head="logits", lora_r=4), q_model=small)
    before = state_dict_hash(base.model)
    # reversed toy: the untrained small Q model ranks these pairs wrongly; learning must flip them
    from qadapter.data.pairs import PreferencePair

    reversed_pairs = [PreferencePair(p.prompt, p.rejected, p.chosen) for p in toy_pairs]
    seen = []
    res = train(
        model,
        base.tokenizer,
        reversed_pairs,
        cfg,
        tmp_path / "sep",
        meta={"base_model": base.name, "base_hash": base.content_hash, "q_model": "tiny-small"},
        callbacks=[seen.append],
        progress=False,
    )
    assert seen[0]["accuracy"] == 0.0 and seen[0]["margin"] < 0
    assert res.steps == 15 and seen[-1]["margin"] > seen[0]["margin"] + 1.0
    assert state_dict_hash(base.model) == before
    assert sum(p.numel() for p in model.trainable_parameters()) < sum(
        p.numel() for p in small.parameters()
    )
    with pytest.raises(Exception, match="head='logits' only"):
        QAdapter(
            load_base("tiny").model,
            AdapterConfig(head="residual"),
            q_model=tiny_model(seed=6, hidden=32),
        )


def test_cli_train_uses_the_sources_test_split_and_records_it(toy_jsonl, tmp_path, capsys):
    data_dir = toy_jsonl[0].parent  # train.jsonl + test.jsonl
    out = tmp_path / "cli-out"
    assert (
        cli.main(
            [
                "train",
                "--profile",
                "tiny",
                "--data",
                str(data_dir),
                "-o",
                str(out),
                "--epochs",
                "10",
                "--quiet",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "split: 9 train / 3 held-out pairs (explicit" in captured.err
    assert "held-out preference accuracy (3 pairs): 0.000 -> 1.000" in captured.out
    meta = json.loads((out / "qadapter.json").read_text())
    assert meta["data"]["pairs"] == 9 and meta["data"]["split"].startswith("explicit")
    assert meta["heldout"]["after"]["accuracy"] == 1.0
    assert (
        meta["token_lengths"]["chosen"]["min"] == meta["token_lengths"]["chosen"]["max"]
    )  # "Yes, gladly." + EOS every time
    assert (out / "quarantine.jsonl").read_text() == ""


def test_cli_nan_loss_is_one_line_and_exit_1(toy_jsonl, tmp_path, capsys, monkeypatch):
    import qadapter.train as T

    real = T.pair_terms
    monkeypatch.setattr(
        T, "pair_terms", lambda m, b, c: (lambda lm: (lm[0] * float("nan"), lm[1]))(real(m, b, c))
    )
    rc = cli.main(
        [
            "train",
            "--profile",
            "tiny",
            "--data",
            str(toy_jsonl[0]),
            "-o",
            str(tmp_path / "nan"),
            "--quiet",
            "--no-eval",
        ]
    )
    assert rc == 1
    assert "loss became nan at step 1" in one_error_line(capsys.readouterr().err)


def test_cuda_only_switches_are_refused_on_cpu(toy_jsonl, tmp_path, capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the switches are valid here")
    for flag in ("--bf16", "--load-in-8bit"):
        assert (
            cli.main(
                [
                    "train",
                    "--profile",
                    "tiny",
                    "--data",
                    str(toy_jsonl[0]),
                    "-o",
                    str(tmp_path / "x"),
                    flag,
                ]
            )
            == 2
        )
        assert "need a CUDA GPU" in one_error_line(capsys.readouterr().err)


def test_gradient_checkpointing_gives_the_same_adapter(tmp_path, toy_pairs):
    from safetensors.torch import load_file

    results = []
    for gc in (False, True):
        base = load_base("tiny")
        cfg = profile("tiny", epochs=1, max_steps=2, gradient_checkpointing=gc, lora_dropout=0.0)
        model = QAdapter(base.model, cfg.adapter, seed=cfg.seed)
        train(model, base.tokenizer, toy_pairs, cfg, tmp_path / f"gc{gc}", meta={}, progress=False)
        results.append(load_file(str(tmp_path / f"gc{gc}" / "adapter_model.safetensors")))
    for k in results[0]:
        torch.testing.assert_close(results[0][k], results[1][k], atol=1e-6, rtol=1e-5)


def test_8bit_base_needs_cuda():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ModelError, match="needs a CUDA GPU and bitsandbytes"):
        load_base("smollm2-135m-instruct", load_in_8bit=True)


def test_paper_profile_falls_back_to_fp32_on_cpu_with_a_notice(toy_jsonl, tmp_path, capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    rc = cli.main(
        [
            "train",
            "--profile",
            "paper",
            "--base",
            "tiny",
            "--data",
            str(toy_jsonl[0]),
            "-o",
            str(tmp_path / "p"),
            "--max-steps",
            "1",
            "--batch-size",
            "2",
            "--micro-batch-size",
            "2",
            "--max-length",
            "64",
            "--quiet",
            "--no-eval",
        ]
    )
    assert rc == 0
    assert "which needs CUDA; using fp32 on CPU" in capsys.readouterr().err
    meta = json.loads((tmp_path / "p" / "qadapter.json").read_text())
    assert (
        meta["train_config"]["precision"] == "fp32"
        and meta["train_config"]["gradient_checkpointing"] is True
    )
