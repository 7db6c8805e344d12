"""``qadapter.customize.fit``'s record and its reply cache (tiny model).

- Records of the shape written before ``fit`` (``tests/data/records-v1``: the three drivers'
  ``qadapter.json`` as they were, the method's values repeated in ``train_config``) still read:
  the same training settings, the same rehearsal recipe, the same ``qadapter info`` lines.
- New records keep each method value once, and say the rejected side by name.
- pi1's on-policy replies are generated once for the same base, prompts and settings, whichever
  driver asks (counted calls), and again when a setting changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_recipe import _mix_source

from qadapter import cli, onpolicy, rehearsal, stages
from qadapter.config import MethodConfig, profile
from qadapter.customize import Recipe, Rejected, fit, source_data
from qadapter.meta import META_FILE, read_meta, stored_train_config

V1 = Path(__file__).parent / "data" / "records-v1"
METHOD = [f for f in MethodConfig.__dataclass_fields__]


def _info(capsys, directory) -> dict:
    capsys.readouterr()
    assert cli.main(["info", str(directory)]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {ln[:13].strip(): ln[13:] for ln in lines if ln[:1] != " "}


@pytest.mark.parametrize("name", ["cli", "stage", "level"])
def test_v1_records_read_as_they_were_written(name):
    old = json.loads((V1 / f"{name}.json").read_text())
    assert "method" in old["train_config"]  # the old shape: the method twice
    tc = stored_train_config(old)
    assert tc == old["train_config"]
    # the same record in the new shape (the method once, at the top level) reads the same
    new = {**old, "train_config": {k: v for k, v in tc.items() if k != "method"}}
    assert stored_train_config(new) == tc
    assert tc["method"] == {k: old[k] for k in METHOD}


def test_v1_stage_record_rehearses_and_shows_as_before(tmp_path, toy_jsonl, capsys):
    old = json.loads((V1 / "stage.json").read_text())
    r = rehearsal.trained_on(old, "models:/m/1")
    assert (r.pairs, r.seed, r.onpolicy_tokens, r.total) == (6, 0, 4, 9)
    assert r.record() == {"pairs": 9, "hash": old["data"]["trained_hash"]}
    # qadapter info on an adapter directory holding the old record
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    out = tmp_path / "a"
    stages.customize("tiny", Recipe(str(toy_jsonl[0].parent), 6), 3, cfg, out)
    (out / META_FILE).write_text(json.dumps(old))
    shown = _info(capsys, out)
    assert shown["rejected"] == "onpolicy  (pi1's greedy replies, onpolicy_tokens=4)"
    assert shown["eq. 6"] == f"alpha0={old['alpha0']}  alpha_tilde={old['alpha_tilde']}"
    assert shown["trained"].endswith(f"on 9 pairs; 3 pairs of {old['data']['mix'][0]['source']}"
                                     " mixed in")  # fmt: skip


def test_new_records_keep_each_method_value_once(tmp_path, toy_jsonl, capsys, talkative_tiny):
    mix = str(_mix_source(tmp_path))
    cfg = profile("tiny", max_steps=1, checkpoint_every=0, alpha0=0.5)
    recipe = Recipe(str(toy_jsonl[0].parent), 6, "onpolicy", 4, mix=(mix,), mix_pairs=3)
    out = tmp_path / "new"
    fit(recipe, cfg, out, base="tiny")
    meta = read_meta(out)
    assert "method" not in meta["train_config"]
    assert meta["alpha0"] == 0.5 and stored_train_config(meta) == json.loads(
        json.dumps(cfg.to_dict())
    )
    old = json.loads((V1 / "stage.json").read_text())
    assert set(meta) == set(old)  # the same fields otherwise
    assert set(meta["data"]) == set(old["data"]) | {"rejected"}
    assert meta["data"]["rejected"] == "onpolicy"
    assert _info(capsys, out)["rejected"] == _info_of_v1(tmp_path, toy_jsonl, capsys)
    plain = tmp_path / "plain"
    fit(Recipe(str(toy_jsonl[0].parent), 6), cfg, plain, base="tiny")
    assert read_meta(plain)["data"]["rejected"] == "data"
    assert _info(capsys, plain)["rejected"] == "data"


def _info_of_v1(tmp_path, toy_jsonl, capsys) -> str:
    out = tmp_path / "v1"
    shutil.copytree(tmp_path / "new", out)
    (out / META_FILE).write_text((V1 / "stage.json").read_text())
    return _info(capsys, out)["rejected"]


def _count_generation(monkeypatch) -> list:
    calls = []
    real = onpolicy.onpolicy_pairs

    def counted(*a, **k):
        calls.append(len(a[1]))
        return real(*a, **k)

    monkeypatch.setattr(onpolicy, "onpolicy_pairs", counted)
    return calls


# talk() unties the tiny model's output layer on purpose; PEFT says so when the stack is merged
@pytest.mark.filterwarnings("ignore:Input and output embeddings are no longer tied")
def test_replies_are_generated_once_for_every_driver(tmp_path, toy_jsonl, monkeypatch,
                                                     talkative_tiny):  # fmt: skip
    """The stage, another alpha0 (a sweep point), the CLI and a level on the same pi1 and
    prompts share pi1's replies; another reply length or another policy generates again."""
    from tasks import recustomize as R

    calls = _count_generation(monkeypatch)
    source = str(toy_jsonl[0].parent)
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    recipe = Recipe(source, None, Rejected.ONPOLICY, 4)
    stages.customize("tiny", recipe, 3, cfg, tmp_path / "stage")
    assert calls == [9]
    stages.customize("tiny", recipe, 3, cfg.with_overrides(alpha0=0.3), tmp_path / "a0.3")
    argv = ["train", "--profile", "tiny", "--data", source, "-o", str(tmp_path / "cli")]
    argv += ["--quiet", "--max-steps", "1", "--no-eval", "--rejected", "onpolicy"]
    assert cli.main([*argv, "--onpolicy-tokens", "4"]) == 0
    train = source_data(recipe, cfg.seed)[0].pairs
    level = Recipe("recustomize", rejected="onpolicy", onpolicy_tokens=4)
    R.train_level("tiny", None, None, list(train), None, cfg, tmp_path / "lvl", level)
    assert calls == [9]  # no generation after the first
    assert cli.main([*argv, "--onpolicy-tokens", "5"]) == 0
    assert calls == [9, 9]  # another reply length: generated
    R.train_level("tiny", str(tmp_path / "stage"), None, list(train), None, cfg,
                  tmp_path / "lvl2", level)  # fmt: skip
    assert calls == [9, 9, 9]  # another policy (the parent stack): generated
    assert len(list(onpolicy.replies_cache().glob("replies-*.json"))) == 3
