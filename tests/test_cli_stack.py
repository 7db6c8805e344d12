"""``qadapter train --parent``: a stacked adapter trained from the command line.

The second adapter's base is the first one's customized policy: it records the parent and its
content hash, ``info`` prints the verified chain, ``generate`` decodes the stack, and a bad parent
is refused with one line before any data or model loads.
"""

from __future__ import annotations

import json

from qadapter import cli
from qadapter.meta import adapter_hash, verified_lineage


def _train(data, out, *extra) -> int:
    argv = ["train", "--profile", "tiny", "--data", str(data), "-o", str(out), "--quiet"]
    return cli.main([*argv, "--max-steps", "2", "--no-eval", *extra])


def test_train_with_parent_records_a_verified_stack(toy_jsonl, tmp_path, capsys):
    data = toy_jsonl[0].parent
    first, second = tmp_path / "first", tmp_path / "second"
    assert _train(data, first) == 0
    assert _train(data, second, "--parent", str(first), "--alpha0", "0.5") == 0

    meta = json.loads((second / "qadapter.json").read_text())
    assert meta["parent_hash"] == adapter_hash(first)
    assert meta["base_model"] == json.loads((first / "qadapter.json").read_text())["base_model"]
    chain = [str(d.resolve()) for d, _ in verified_lineage(second)]
    assert chain == [str(first.resolve()), str(second.resolve())]
    capsys.readouterr()

    assert cli.main(["info", str(second)]) == 0
    assert "(depth 2, verified)" in capsys.readouterr().out

    argv = ["generate", str(second), "-p", "Hi", "--greedy", "--max-new-tokens", "4", "--json"]
    assert cli.main(argv) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["prompt"] == "Hi" and isinstance(row["response"], str)


def test_train_with_a_missing_parent_is_one_line_and_creates_nothing(toy_jsonl, tmp_path, capsys):
    out = tmp_path / "child"
    assert _train(toy_jsonl[0].parent, out, "--parent", str(tmp_path / "nope")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("qadapter: error:") and "nope" in err[-1]
    assert "Traceback" not in "\n".join(err)
    assert not out.exists()
