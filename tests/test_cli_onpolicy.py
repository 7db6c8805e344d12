"""``qadapter train --onpolicy --mix``: the steering recipe from the command line (tiny model).

``--onpolicy`` replaces the rejected side of every ``--data`` train pair with pi1's own greedy
reply; ``--mix`` appends another source's train split unchanged. Checked against pi1's greedy
reply recomputed one full forward per token, and against the pair counts the command prints.
"""

from __future__ import annotations

import json
import re

from test_onpolicy import greedy_loop

from qadapter import cli
from qadapter.data import dataset_hash, load_splits
from qadapter.data.pairs import PreferencePair


def _train(data, out, *extra) -> int:
    argv = ["train", "--profile", "tiny", "--data", str(data), "-o", str(out), "--quiet"]
    return cli.main([*argv, "--max-steps", "2", "--no-eval", *extra])


def _mix_source(tmp_path):
    path = tmp_path / "mix" / "train.jsonl"
    path.parent.mkdir()
    rows = [
        {
            "prompt": f"How do I fold a paper crane, step {i}?",
            "chosen": "Fold it.",
            "rejected": "No.",
        }
        for i in range(4)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path.parent


def test_onpolicy_and_mix_train_on_pi1_replies_plus_the_mixed_pairs(
    toy_jsonl, tmp_path, capsys, talkative_tiny
):
    data, mix, out = toy_jsonl[0].parent, _mix_source(tmp_path), tmp_path / "steer"
    argv = ["--onpolicy", "--onpolicy-tokens", "5", "--mix", str(mix)]
    assert _train(data, out, *argv) == 0
    captured = capsys.readouterr()
    assert "on-policy: 9 pairs" in captured.err
    # progress lines while the replies are generated (batches of 8: 8/9, then 9/9)
    assert re.findall(r"on-policy: (\d+)/9 replies", captured.err) == ["8", "9"]
    assert "mix: 4 train pairs from" in captured.err
    assert re.search(r"trained \d+ steps on 13 pairs", captured.out)

    meta = json.loads((out / "qadapter.json").read_text())["data"]
    train = load_splits(str(data), seed=0).train
    base = talkative_tiny("tiny")  # the CLI loaded the same talkative pi1
    expected = [
        PreferencePair(p.prompt, p.chosen, greedy_loop(base, list(p.prompt), 5)) for p in train
    ]
    assert all(e.rejected for e in expected)
    assert any(e.rejected != p.rejected for e, p in zip(expected, train))  # really replaced
    assert meta["onpolicy"] == {
        "policy": "pi1",
        "tokens": 5,
        "pairs": 9,
        "hash": dataset_hash(expected),
    }
    mixed = load_splits(str(mix), seed=0).train
    assert [(m["pairs"], m["hash"]) for m in meta["mix"]] == [(4, dataset_hash(mixed))]
    assert meta["trained_hash"] == dataset_hash(expected + mixed)
    assert meta["hash"] == dataset_hash(train)  # lineage keeps naming the user's data


def test_plain_train_records_no_recipe(toy_jsonl, tmp_path, capsys):
    out = tmp_path / "plain"
    assert _train(toy_jsonl[0].parent, out) == 0
    meta = json.loads((out / "qadapter.json").read_text())["data"]
    assert not {"onpolicy", "mix", "trained_hash"} & set(meta)


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(err)
    assert err[-1].startswith("qadapter: error:")
    return err[-1]


def stack_greedy_loop(base, parent_dir, messages, n_tokens):
    """The depth-1 stack's greedy reply by hand: one full forward of pi1 and of the parent's own
    network per token, eq. 6 on their logits, argmax, stop at EOS."""
    import copy

    import torch
    from peft import PeftModel

    from qadapter.data.tokenize import encode_prompt
    from qadapter.meta import read_meta

    meta = read_meta(parent_dir)
    a0, at = meta["alpha0"], meta["alpha_tilde"]
    net = PeftModel.from_pretrained(copy.deepcopy(base.model), str(parent_dir)).eval()
    tok = base.tokenizer
    ids = encode_prompt(tok, messages)
    out = []
    with torch.no_grad():
        for _ in range(n_tokens):
            x = torch.tensor([ids + out])
            f0 = base.model(input_ids=x).logits[0, -1].double()
            f1 = net(input_ids=x).logits[0, -1].double()
            q = f1 - f0 if meta["head"] == "residual" else f1
            nxt = int(((q + a0 * torch.log_softmax(f0, -1)) / at).argmax())
            if nxt == tok.eos_token_id:
                break
            out.append(nxt)
    return tok.decode(out, skip_special_tokens=True).strip()


def test_onpolicy_on_a_parent_uses_the_parent_stacks_replies(toy_jsonl, tmp_path, talkative_tiny):
    """``--onpolicy --parent P``: the rejected side is P's customized greedy reply (the new level's
    pi1), recomputed here from the two networks' full forwards."""
    from test_stack import make_stack

    (parent,) = make_stack(tmp_path, 1)
    data, out = toy_jsonl[0].parent, tmp_path / "child"
    argv = ["--onpolicy", "--onpolicy-tokens", "5", "--parent", str(parent)]
    assert _train(data, out, *argv) == 0
    meta = json.loads((out / "qadapter.json").read_text())
    train = load_splits(str(data), seed=0).train
    base = talkative_tiny("tiny")
    expected = [
        PreferencePair(p.prompt, p.chosen, stack_greedy_loop(base, parent, list(p.prompt), 5))
        for p in train
    ]
    pi1 = [greedy_loop(base, list(p.prompt), 5) for p in train]
    assert all(e.rejected for e in expected)
    assert [e.rejected for e in expected] != pi1  # the parent's policy, not pi1, answered
    assert meta["data"]["onpolicy"] == {
        "policy": "parent",
        "tokens": 5,
        "pairs": 9,
        "hash": dataset_hash(expected),
    }
    assert meta["parent_hash"]  # and the new level is stacked on it


def test_bad_onpolicy_tokens_and_empty_mix_are_one_line(toy_jsonl, tmp_path, capsys):
    data = toy_jsonl[0].parent
    assert _train(data, tmp_path / "a", "--onpolicy", "--onpolicy-tokens", "0") == 2
    assert "--onpolicy-tokens must be >= 1, got 0" in _one_line_error(capsys)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "train.jsonl").write_text("")
    assert _train(data, tmp_path / "b", "--mix", str(empty)) == 2
    assert str(empty) in _one_line_error(capsys)
    assert not (tmp_path / "b").exists()
    assert _train(data, tmp_path / "c", "--mix", str(data), "--mix-pairs", "0") == 2
    assert "--mix-pairs must be >= 1, got 0" in _one_line_error(capsys)
    assert _train(data, tmp_path / "d", "--rehearse") == 2
    assert "--rehearse rehearses the --parent lineage" in _one_line_error(capsys)


def test_mix_pairs_and_rehearse_use_the_recipe_names(toy_jsonl, tmp_path, talkative_tiny):
    """``--mix-pairs N``: a seeded subset of each mixed source (the pipeline's ``mix_pairs``);
    ``--rehearse`` on a parent: the parent's own training pairs, rebuilt from its record."""
    from qadapter.data.subsets import subset

    data, mix = toy_jsonl[0].parent, _mix_source(tmp_path)
    parent = tmp_path / "parent"
    assert _train(data, parent, "--rejected", "onpolicy", "--onpolicy-tokens", "3") == 0
    out = tmp_path / "level"
    argv = ["--parent", str(parent), "--rehearse", "--mix", str(mix), "--mix-pairs", "2"]
    assert _train(data, out, *argv) == 0
    meta = json.loads((out / "qadapter.json").read_text())
    mixed = subset(load_splits(str(mix), seed=0).train, 2, 0)
    rehearsed = json.loads((parent / "qadapter.json").read_text())["data"]["trained_hash"]
    assert meta["data"]["rejected"] == "data"
    assert meta["data"]["mix"] == [
        {"source": str(mix), "pairs": 2, "hash": dataset_hash(mixed)},
        {"source": f"rehearsal of {parent}", "pairs": 9, "hash": rehearsed},
    ]
    assert meta["pairs"] == 9 + 2 + 9


def test_train_ends_with_what_changed_and_quiet_skips_it(toy_jsonl, tmp_path, capsys, monkeypatch):
    """The end-of-run table is the library's summary of pi1's and the adapter's replies to the
    held-out prompts of --data and of the --mix source; pi1's replies come from the reply cache
    on a second run; --quiet and --summary-prompts 0 print none."""
    from qadapter.data import load_splits as splits
    from qadapter.evaluate import responses
    from qadapter.evaluate.behaviour import heldout_prompts
    from qadapter.evaluate.summary import behaviour_summary, render
    from qadapter.models import load_base
    from qadapter.onpolicy import replies_cache

    monkeypatch.setenv("QADAPTER_REPLY_CACHE", str(tmp_path / "replies"))
    data, mix, out = toy_jsonl[0].parent, _mix_source(tmp_path), tmp_path / "sum"
    argv = ["train", "--profile", "tiny", "--data", str(data), "-o", str(out), "--max-steps", "2",
            "--mix", str(mix), "--summary-prompts", "3"]  # fmt: skip
    assert cli.main(argv) == 0
    printed = capsys.readouterr().out
    assert "What changed (greedy replies on held-out prompts, rule classifier):" in printed
    base = load_base("tiny")
    risky = heldout_prompts(splits(str(data), seed=0).test, 3, seed=0)
    benign = heldout_prompts(splits(str(mix), seed=0).test, 3, seed=0)
    calls = []
    real = responses.base_generate
    monkeypatch.setattr(
        responses, "base_generate", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    again = behaviour_summary(base, out, risky, benign, reference_cache=replies_cache())
    assert calls == []  # pi1's replies were cached by the command
    table = render(again, str(out)).split("\n")
    for line in table[2:4]:  # the two shares, exactly as the library computes them
        assert line in printed.split("\n")
    assert f"qadapter generate {out} -p" in printed
    assert cli.main([*argv, "--quiet"]) == 0
    assert "What changed" not in capsys.readouterr().out
    assert cli.main([*argv, "--summary-prompts", "0"]) == 0
    assert "What changed" not in capsys.readouterr().out
