"""Rehearsal (``qadapter.rehearsal``): the pairs an adapter was trained on, rebuilt from its
``qadapter.json``. Checked against the pairs the customize stage really trained on (the record's
``trained_hash``) and against a brute-force rebuild (pi1's greedy reply one full forward per
token, ``test_onpolicy.greedy_loop``; the mixed source's own seeded train split)."""

from __future__ import annotations

import json

import pytest
from test_onpolicy import greedy_loop
from test_recipe import _mix_source

from qadapter import models, onpolicy, rehearsal, stages
from qadapter.config import ConfigError, profile
from qadapter.customize import Recipe, Rejected
from qadapter.data import dataset_hash
from qadapter.data.pairs import PreferencePair
from qadapter.meta import read_meta


@pytest.fixture
def customized(toy_jsonl, tmp_path, talkative_tiny):
    """A tiny adapter trained with the steering recipe: 6 pairs with pi1's 4-token replies as the
    rejected side, 3 pairs of another source mixed in."""
    source, mix = str(toy_jsonl[0].parent), _mix_source(tmp_path)
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    recipe = Recipe(source, 6, Rejected.ONPOLICY, 4, mix=(mix,), mix_pairs=3)
    rec = stages.customize("tiny", recipe, 3, cfg, tmp_path / "run")
    return rec["adapter_dir"], source, mix, cfg


def test_rebuild_gives_exactly_the_pairs_the_adapter_was_trained_on(
    customized, monkeypatch, tmp_path
):
    adapter, source, mix, cfg = customized
    # another machine: pi1's replies are not in its cache and are generated again
    monkeypatch.setenv("QADAPTER_REPLY_CACHE", str(tmp_path / "elsewhere"))
    [r] = rehearsal.lineage_recipes(adapter, "models:/m/1")
    assert (r.label, r.source, r.pairs, r.seed, r.onpolicy_tokens) == (
        "models:/m/1",
        source,
        6,
        cfg.seed,
        4,
    )
    assert [(s, n) for s, n, _ in r.mix] == [(mix, 3)] and r.total == 9
    data = read_meta(adapter)["data"]
    assert r.record() == {"pairs": 9, "hash": data["trained_hash"]}

    lines = []
    got = rehearsal.rebuild(r, models.load_base("tiny"), log=lines.append)
    assert got.verified and got.label == "models:/m/1"
    assert dataset_hash(got.pairs) == data["trained_hash"]  # what training saw, to the byte
    # by hand: the seeded subset with pi1's greedy replies, then the mixed source's subset
    base = models.load_base("tiny")
    own = [
        PreferencePair(p.prompt, p.chosen, greedy_loop(base, list(p.prompt), 4))
        for p in stages.stage_data(source, 6, 0, cfg.seed)["train"]
    ]
    mixed = stages.stage_data(mix, 3, 0, cfg.seed)["train"]
    assert [(p.prompt, p.chosen, p.rejected) for p in got.pairs] == [
        (p.prompt, p.chosen, p.rejected) for p in own + mixed
    ]
    assert lines[0] == "on-policy: pi1's greedy replies (4 new tokens) to 6 prompts"

    # replies regenerated differently (other hardware): rehearsed, but reported as unverified
    def other(base, train, n=None, seed=0, **kw):
        return [PreferencePair(p.prompt, p.chosen, "something else") for p in train]

    monkeypatch.setattr(onpolicy, "onpolicy_pairs", other)
    monkeypatch.setenv("QADAPTER_REPLY_CACHE", str(tmp_path / "yet another"))
    lines.clear()
    off = rehearsal.rebuild(r, models.load_base("tiny"), log=lines.append)
    assert not off.verified and [p.rejected for p in off.pairs[:6]] == ["something else"] * 6
    assert any(
        x.startswith("rehearsal: pi1's regenerated replies for models:/m/1 differ") for x in lines
    )
    assert rehearsal.rebuild_all([r], models.load_base("tiny"))[0][0] == "rehearsal of models:/m/1"


def test_changed_data_is_refused_with_one_line(customized, toy_jsonl, tmp_path):
    adapter, source, mix, _ = customized
    [r] = rehearsal.lineage_recipes(adapter)
    assert r.label == adapter  # no reference given: the directory
    rows = toy_jsonl[0].read_text().splitlines()
    row = json.loads(rows[0])
    row["chosen"] = "A different answer."
    toy_jsonl[0].write_text("\n".join([json.dumps(row)] + rows[1:]) + "\n")
    with pytest.raises(ConfigError, match=r"^rehearsal: .*toy no longer gives the pairs"):
        rehearsal.rebuild(r, models.load_base("tiny"))
    toy_jsonl[0].write_text("\n".join(rows) + "\n")  # the source back; its mix gone
    (tmp_path / "mix" / "train.jsonl").unlink()
    with pytest.raises(ConfigError, match="^rehearsal: cannot load"):
        rehearsal.rebuild(r, models.load_base("tiny"))


def test_adapters_whose_pairs_cannot_be_rebuilt_are_named():
    good = {
        "base_model": "tiny",
        "train_config": {"seed": 3},
        "data": {"source": "/d", "pairs": 2, "hash": "h"},
    }
    r = rehearsal.trained_on(good, "x")
    assert (r.seed, r.trained_hash, r.mix, r.onpolicy_tokens, r.total) == (3, "h", (), None, 2)
    level = {**good, "data": {**good["data"], "source": "recustomize"}}
    with pytest.raises(ConfigError, match="x was trained by a re-customization level"):
        rehearsal.trained_on(level, "x")
    parent = {**good, "data": {**good["data"], "onpolicy": {"policy": "parent", "tokens": 4}}}
    with pytest.raises(ConfigError, match="its parent's on-policy replies"):
        rehearsal.trained_on(parent, "x")
    with pytest.raises(ConfigError, match="lacks the seed"):
        rehearsal.trained_on({**good, "train_config": {}}, "x")
    with pytest.raises(ConfigError, match="recorded redacted"):
        rehearsal.trained_on({**good, "data": {**good["data"], "source": "s3://***@b/k"}}, "x")


# talk() unties the tiny model's output layer on purpose; PEFT says so when the stack is merged
@pytest.mark.filterwarnings("ignore:Input and output embeddings are no longer tied")
def test_a_level_stores_its_own_pairs_and_a_later_level_rehearses_them(customized, tmp_path):
    """A re-customization level's pairs come from watched files and its on-policy replies from
    its parent's stack: neither can be rebuilt, so the level stores them as it trained on them."""
    from qadapter.meta import update_meta
    from tasks import recustomize as R

    adapter, source, _, cfg = customized
    pairs = stages.stage_data(source, 4, 0, 0)["train"]
    recipe = Recipe("recustomize", rejected=Rejected.ONPOLICY, onpolicy_tokens=3)
    level = R.train_level("tiny", adapter, None, pairs, None, cfg, tmp_path / "lvl", recipe)
    data = read_meta(level["adapter_dir"])["data"]
    assert data["own"]["file"] == rehearsal.OWN_PAIRS and data["own"]["pairs"] == 4
    # its own pairs are the on-policy ones it trained on (the parent stack's replies)
    assert data["own"]["hash"] == data["onpolicy"]["hash"] != dataset_hash(pairs)

    root, top = rehearsal.lineage_recipes(level["adapter_dir"], "models:/m/2")
    assert root.label == adapter and root.onpolicy_tokens == 4  # the customize stage's recipe
    # registered stacks name their adapters by reference (bundled parents are relative paths)
    named = rehearsal.lineage_recipes(level["adapter_dir"], ["models:/m/2", "models:/m/1"])
    assert [r.label for r in named] == ["models:/m/1", "models:/m/2"]
    assert (top.label, top.total, top.stored is not None) == ("models:/m/2", 4, True)
    assert top.record() == {"pairs": 4, "hash": data["own"]["hash"]}
    lines = []
    got = rehearsal.rebuild(top, models.load_base("tiny"), log=lines.append)
    assert got.verified and dataset_hash(got.pairs) == data["own"]["hash"]
    assert [p.prompt for p in got.pairs] == [p.prompt for p in pairs]
    assert lines == [f"rehearsal: 4 pairs models:/m/2 trained on, read from {rehearsal.OWN_PAIRS}"]

    path = tmp_path / "lvl" / rehearsal.OWN_PAIRS
    rows = path.read_text().splitlines()
    path.write_text("\n".join(rows[:-1]) + "\n")  # a pair lost
    with pytest.raises(ConfigError, match="is not the file models:/m/2 stored"):
        rehearsal.rebuild(top, models.load_base("tiny"))
    path.unlink()
    with pytest.raises(
        ConfigError, match=r"own training pairs \(trained_pairs.jsonl\) are missing"
    ):
        rehearsal.lineage_recipes(level["adapter_dir"], "models:/m/2")
    update_meta(tmp_path / "lvl", data={k: v for k, v in data.items() if k != "own"})
    with pytest.raises(ConfigError, match="models:/m/2 was trained by a re-customization level"):
        rehearsal.lineage_recipes(level["adapter_dir"], "models:/m/2")
