"""End to end on the real embedded base, SmolLM2-135M-Instruct (slow: ~1-2 minutes on 2 cores)."""

import pytest
import torch

from qadapter import cli
from qadapter.adapter import read_meta
from qadapter.models import EMBEDDED, embedded_gguf_path, load_base, state_dict_hash

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smol():
    return load_base(EMBEDDED)


def test_converted_model_matches_the_gguf_model(smol):
    from transformers import AutoModelForCausalLM

    gguf = embedded_gguf_path()
    direct = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32
    ).eval()
    ids = torch.tensor([smol.tokenizer("The capital of France is")["input_ids"]])
    with torch.no_grad():
        assert torch.equal(direct(input_ids=ids).logits, smol.model(input_ids=ids).logits)
    assert smol.tokenizer.eos_token == "<|im_end|>" and smol.model.config.vocab_size == 49152
    # an aligned chat model: it answers a simple question sensibly with greedy decoding
    text = smol.tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is the capital of France?"}],
        tokenize=False,
        add_generation_prompt=True,
    )
    enc = smol.tokenizer(text, return_tensors="pt", add_special_tokens=False)
    with torch.no_grad():
        out = smol.model.generate(**enc, max_new_tokens=12, do_sample=False)
    assert "Paris" in smol.tokenizer.decode(out[0, enc["input_ids"].shape[1] :])


def test_train_a_few_steps_then_generate(smol, tmp_path, capsys):
    before = state_dict_hash(smol.model)
    out = tmp_path / "adapter"
    rc = cli.main(
        [
            "train",
            "--base",
            EMBEDDED,
            "--profile",
            "smol",
            "--data",
            "data/hh-mini/harmless/train.jsonl",
            "-o",
            str(out),
            "--max-steps",
            "2",
            "--batch-size",
            "2",
            "--micro-batch-size",
            "1",
            "--max-length",
            "160",
            "--quiet",
            "--no-eval",
        ]
    )
    assert rc == 0, capsys.readouterr().err
    meta = read_meta(out)
    assert meta["steps"] == 2 and meta["base_hash"] == smol.content_hash
    assert meta["data"]["pairs"] >= 320
    import math

    assert math.isfinite(meta["final_metrics"]["loss"])
    assert state_dict_hash(load_base(EMBEDDED).model) == before
    capsys.readouterr()
    assert (
        cli.main(
            [
                "generate",
                str(out),
                "-p",
                "What is the capital of France?",
                "--greedy",
                "--max-new-tokens",
                "12",
                "--json",
                "--alpha0",
                "0.9",
            ]
        )
        == 0
    )
    import json

    response = json.loads(capsys.readouterr().out)[0]["response"]
    assert len(response.strip()) > 0
