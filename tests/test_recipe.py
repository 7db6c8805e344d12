"""The steering recipe in the pipeline: on-policy rejected replies and a mixed-in source, for the
``customize`` stage (in process and under a launcher) and the experiment's settings (tiny model).

Expected pairs are rebuilt from pi1's greedy reply recomputed one full forward per token
(``test_onpolicy.greedy_loop``) and from the mixed source's own train split.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace

import pytest
from test_onpolicy import greedy_loop

from qadapter import launched, models, onpolicy, stages
from qadapter.config import ConfigError, profile
from qadapter.customize import Recipe, Rejected
from qadapter.data import dataset_hash
from qadapter.data.pairs import PreferencePair
from qadapter.meta import read_meta
from tasks.experiment import data_hashes, experiment


def _mix_source(tmp_path):
    path = tmp_path / "mix" / "train.jsonl"
    path.parent.mkdir()
    rows = [
        {"prompt": f"How do I fold a paper crane, step {i}?", "chosen": "Fold.", "rejected": "No."}
        for i in range(5)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path.parent)


def _expected(source, n_train, tokens, cfg):
    base = models.load_base("tiny")  # the talkative one where the test asks for it
    train = stages.stage_data(source, n_train, 0, cfg.seed)["train"]
    return [
        PreferencePair(p.prompt, p.chosen, greedy_loop(base, list(p.prompt), tokens)) for p in train
    ]


def _forbid_generation(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("on-policy replies generated again instead of reused")

    monkeypatch.setattr(onpolicy, "onpolicy_pairs", boom)


def test_customize_stage_trains_on_the_recipe_and_a_retry_reuses_the_replies(
    toy_jsonl, tmp_path, monkeypatch, talkative_tiny
):
    source, mix = str(toy_jsonl[0].parent), _mix_source(tmp_path)
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    recipe = Recipe(source, 6, Rejected.ONPOLICY, 4, mix=(mix,), mix_pairs=3)
    lines = []
    rec = stages.customize("tiny", recipe, 3, cfg, tmp_path / "run", log=lines.append)
    # the generation reports its progress with an estimate of the time left (in the flow: the
    # stage's run logger)
    assert lines[0] == "on-policy: pi1's greedy replies (4 new tokens) to 6 prompts"
    assert re.search(r"on-policy: 6/6 replies \(\d+s, about 0s left\)", " | ".join(lines))
    assert lines[-1].startswith("on-policy: 6 pairs (chosen vs pi1's reply) in ")

    expected = _expected(source, 6, 4, cfg)
    mixed = stages.stage_data(mix, 3, 0, cfg.seed)["train"]
    assert len(mixed) == 3
    assert all(e.rejected for e in expected)  # pi1 says something (``conftest.talk``)
    assert any(
        e.rejected != p.rejected
        for e, p in zip(expected, stages.stage_data(source, 6, 0, cfg.seed)["train"])
    )  # the rejected side really is replaced
    data = read_meta(rec["adapter_dir"])["data"]
    assert data["onpolicy"] == {
        "policy": "pi1",
        "tokens": 4,
        "pairs": 6,
        "hash": dataset_hash(expected),
    }
    assert [(m["pairs"], m["hash"]) for m in data["mix"]] == [(3, dataset_hash(mixed))]
    assert data["trained_hash"] == dataset_hash(expected + mixed)
    assert data["hash"] == rec["data_hash"] == stages.stage_data(source, 6, 0, 0)["train_hash"]
    assert rec["pairs"] == 9 and rec["recipe"]["trained_hash"] == data["trained_hash"]

    # a stage retried before its training finished (no qadapter.json yet), or another work
    # directory (another alpha0, a sweep point), trains again on the cached replies: no generation
    (tmp_path / "run" / "qadapter.json").unlink()
    _forbid_generation(monkeypatch)
    lines.clear()
    again = stages.customize("tiny", recipe, 3, cfg, tmp_path / "run", log=lines.append)
    assert again["recipe"] == rec["recipe"] and not again["reused"]
    [cache] = onpolicy.replies_cache().glob("replies-*.json")
    assert lines == [f"on-policy: 6 replies of pi1 reused from the cache ({cache.name})"]
    other = cfg.with_overrides(alpha0=0.5)
    point = stages.customize("tiny", recipe, 3, other, tmp_path / "alpha0=0.5")
    assert point["recipe"]["onpolicy"] == rec["recipe"]["onpolicy"] and not point["reused"]


def test_a_stage_retried_after_training_reuses_the_finished_adapter(
    toy_jsonl, tmp_path, monkeypatch
):
    """Training removes its checkpoints when it ends; a retry (say, the MLflow upload failed)
    must return the finished adapter, not train again from step 0."""
    import qadapter.train

    source = str(toy_jsonl[0].parent)
    cfg = profile("tiny", max_steps=2, checkpoint_every=0)
    recipe = Recipe(source, 6)
    rec = stages.customize("tiny", recipe, 3, cfg, tmp_path / "run")
    weights = (tmp_path / "run" / "adapter_model.safetensors").read_bytes()
    assert not rec["reused"] and rec["steps"] == 2

    def boom(*a, **k):
        raise AssertionError("trained again instead of reusing the finished adapter")

    with monkeypatch.context() as m:
        m.setattr(qadapter.train, "train", boom)
        m.setattr(launched.subprocess, "run", boom)  # no ranks started either
        again = stages.customize("tiny", recipe, 3, cfg, tmp_path / "run")
        ranks = launched.customize("tiny", recipe, 3, cfg, tmp_path / "run", launcher="torchrun")
    for r in (again, ranks):
        assert r["reused"] and r["adapter_dir"] == rec["adapter_dir"]
        for k in ("data_hash", "test_hash", "steps", "pairs", "truncated", "metrics", "recipe"):
            assert r[k] == rec[k], k
    assert (tmp_path / "run" / "adapter_model.safetensors").read_bytes() == weights

    # other settings or other pairs in the same directory are not the finished adapter
    other = stages.customize("tiny", recipe, 3, cfg.with_overrides(max_steps=1), tmp_path / "run")
    assert not other["reused"] and other["steps"] == 1
    fewer = stages.customize(
        "tiny", Recipe(source, 4), 3, cfg.with_overrides(max_steps=1), tmp_path / "run"
    )
    assert not fewer["reused"] and fewer["pairs"] == 4


def test_plain_customize_stage_records_no_recipe(toy_jsonl, tmp_path):
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    rec = stages.customize("tiny", Recipe(str(toy_jsonl[0].parent), 4), 3, cfg, tmp_path / "run")
    data = read_meta(rec["adapter_dir"])["data"]
    assert rec["recipe"] == {} and not {"onpolicy", "mix", "trained_hash"} & set(data)
    assert data["rejected"] == "data"  # "off" is said
    assert not list(onpolicy.replies_cache().glob("*"))


def test_cache_is_keyed_by_reply_length(toy_pairs, tmp_path, talkative_tiny):
    base = models.load_base("tiny")
    four = onpolicy.cached_onpolicy_pairs(base, toy_pairs[:3], 4)
    six = onpolicy.cached_onpolicy_pairs(base, toy_pairs[:3], 6)
    assert len(list(onpolicy.replies_cache().glob("replies-*.json"))) == 2
    assert [p.rejected for p in four] == [greedy_loop(base, list(p.prompt), 4) for p in four]
    assert [p.rejected for p in six] == [greedy_loop(base, list(p.prompt), 6) for p in six]
    assert all(p.rejected for p in six)  # non-empty replies (``conftest.talk``)
    assert [p.rejected for p in four] != [p.rejected for p in six]
    reused = onpolicy.cached_onpolicy_pairs(base, toy_pairs[:3], 4)
    assert [(p.key(), p.origin) for p in reused] == [(p.key(), p.origin) for p in four]


def test_launched_stage_generates_once_and_ranks_reuse(
    toy_jsonl, tmp_path, monkeypatch, talkative_tiny
):
    """Under a launcher the parent process writes the replies before the ranks start; the ranks
    (here: the launched module's main, run in process in place of torchrun) only read them."""
    source = str(toy_jsonl[0].parent)
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    real_run = subprocess.run

    def fake_launch(argv, **kwargs):
        spec = argv[-1]
        assert json.loads(open(spec).read())["recipe"]["onpolicy_tokens"] == 4
        assert list(onpolicy.replies_cache().glob("replies-*.json"))  # already there
        _forbid_generation(monkeypatch)
        monkeypatch.setenv("WORLD_SIZE", "1")
        assert launched.main([spec]) == 0
        return subprocess.CompletedProcess(argv, 0)

    monkeypatch.setattr(launched.subprocess, "run", fake_launch)
    recipe = Recipe(source, 6, Rejected.ONPOLICY, 4)
    rec = launched.customize("tiny", recipe, 3, cfg, tmp_path / "w", launcher="torchrun")
    monkeypatch.setattr(launched.subprocess, "run", real_run)
    assert rec["recipe"]["onpolicy"]["hash"] == dataset_hash(_expected(source, 6, 4, cfg))
    assert rec["pairs"] == 6


def test_experiment_settings_and_cache_keys():
    plain = experiment("tiny")
    assert (plain.rejected, plain.mix) == ("data", ())
    assert plain.recipe() == Recipe(plain.harmless_source, plain.harmless_pairs)
    assert "mix" not in data_hashes(plain)  # plain runs keep their cache keys
    cfg = experiment(
        "tiny",
        rejected="onpolicy",
        onpolicy_tokens=8,
        mix=[plain.helpful_source],
        mix_pairs=4,
        chosen_nll=0.5,
    )
    assert cfg.train.method.chosen_nll == 0.5
    r = cfg.recipe()
    assert (r.rejected, r.onpolicy_tokens, r.mix, r.mix_pairs) == (
        Rejected.ONPOLICY,
        8,
        (plain.helpful_source,),
        4,
    )
    hashes = data_hashes(cfg)
    assert hashes["mix"] == [stages.stage_data(plain.helpful_source, 4, 0, 0)["train_hash"]]
    assert hashes["mix"] != data_hashes(experiment("tiny", mix=[plain.helpful_source]))["mix"]
    with pytest.raises(ConfigError, match="onpolicy_tokens"):
        experiment("tiny", onpolicy_tokens=-1)
    with pytest.raises(ConfigError, match="not a data source"):
        experiment("tiny", mix=["  "])
    with pytest.raises(ConfigError, match="rejected"):
        experiment("tiny", rejected="none")


def test_smol_trains_with_the_recipe_and_each_part_switches_off():
    from qadapter.config import profile as train_profile

    smol = experiment("smol")
    assert (smol.rejected, smol.onpolicy_tokens, smol.mix_pairs) == ("onpolicy", 32, 160)
    assert len(smol.mix) == 1 and smol.mix[0].endswith("data/hh-mini/helpful")
    m = smol.train.method
    assert (m.alpha0, m.alpha_tilde, m.chosen_nll) == (0.1, 0.1, 1.0)
    assert (smol.train.lr, smol.train.epochs, smol.train.max_length) == (1e-3, 2, 80)
    assert train_profile("paper").method.alpha0 == 1.0  # Table 3 stays in the paper profile
    assert train_profile("paper").method.chosen_nll == 0.0
    # None keeps the profile's value; "data" and [] switch a part off, by name
    assert experiment("smol", rejected=None, mix=None) == smol
    plain = experiment("smol", rejected="data", mix=[], chosen_nll=0.0)
    assert (plain.rejected, plain.mix) == ("data", ())
    assert plain.recipe() == Recipe(smol.harmless_source, 160, onpolicy_tokens=32, mix_pairs=160)
    assert plain.train.method.chosen_nll == 0.0
    assert "mix" in data_hashes(smol) and "mix" not in data_hashes(plain)


def test_recustomize_level_trains_against_the_champion_stacks_replies(
    toy_pairs, tmp_path, talkative_tiny
):
    """``tasks.recustomize.train_level(onpolicy_tokens=n)`` on a parent: the rejected side is the
    parent stack's greedy reply (by hand, ``stack_greedy_loop``), recorded in the level's data;
    the user's pairs keep their hash (the lineage of re-customization reads it)."""
    from test_cli_onpolicy import stack_greedy_loop
    from test_stack import make_stack

    from tasks import recustomize as R

    (parent,) = make_stack(tmp_path, 1)
    pairs = toy_pairs[:6]
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    recipe = Recipe("recustomize", rejected="onpolicy", onpolicy_tokens=5)
    out = tmp_path / "lvl" / "adapter"
    level = R.train_level("tiny", str(parent), None, pairs, None, cfg, out, recipe)
    base = models.load_base("tiny")
    expected = [
        PreferencePair(p.prompt, p.chosen, stack_greedy_loop(base, parent, list(p.prompt), 5))
        for p in pairs
    ]
    data = read_meta(level["adapter_dir"])["data"]
    assert data["hash"] == dataset_hash(pairs)
    assert data["onpolicy"] == {
        "policy": "parent",
        "tokens": 5,
        "pairs": 6,
        "hash": dataset_hash(expected),
    }
    assert list(onpolicy.replies_cache().glob("replies-*.json"))

    # A retried level (the flow failed after training) reuses the finished adapter: no training.
    import qadapter.train as qtrain

    def _no_training(*a, **k):
        raise AssertionError("a finished level trained again")

    orig = qtrain.train
    qtrain.train = _no_training
    try:
        again = R.train_level("tiny", str(parent), None, pairs, None, cfg, out, recipe)
    finally:
        qtrain.train = orig
    assert again["reused"] and again["adapter_dir"] == level["adapter_dir"]
    assert again["steps"] == level["steps"] == 1


def test_finished_adapter_needs_the_same_pairs_settings_and_replies(toy_pairs, tmp_path):
    """``qadapter.customize.finished``: the one check behind every retry (CLI, stage, level)."""
    from qadapter.customize import finished
    from qadapter.meta import write_meta

    cfg = profile("tiny", max_steps=1)
    h = dataset_hash(toy_pairs[:4])
    mix = [("m", toy_pairs[4:6])]
    on = Recipe("s", rejected="onpolicy", onpolicy_tokens=5, mix=("m",))
    assert finished(tmp_path, h, cfg, on, mix) is None  # nothing there yet
    method = {k: v for k, v in cfg.method.__dict__.items()}
    write_meta(
        tmp_path,
        {
            **method,
            "base_model": "tiny",
            "base_hash": "b" * 64,
            "train_config": {k: v for k, v in cfg.to_dict().items() if k != "method"},
            "data": {
                "hash": h,
                "onpolicy": {"tokens": 5},
                "mix": [
                    {"source": "m", "pairs": 2, "hash": dataset_hash(toy_pairs[4:6])},
                    {"source": "rehearsal of models:/m/1", "pairs": 3, "hash": "x"},
                ],
            },
        },
    )
    assert finished(tmp_path, h, cfg, on, mix)["data"]["hash"] == h
    assert finished(tmp_path, dataset_hash(toy_pairs[:3]), cfg, on, mix) is None  # other pairs
    assert finished(tmp_path, h, profile("tiny", max_steps=2), on, mix) is None  # other settings
    assert finished(tmp_path, h, cfg.with_overrides(alpha0=0.5), on, mix) is None  # other method
    assert finished(tmp_path, h, cfg, Recipe("s", mix=("m",)), mix) is None  # asked without
    assert finished(tmp_path, h, cfg, replace(on, onpolicy_tokens=6), mix) is None  # length
    assert finished(tmp_path, h, cfg, on, [("m", toy_pairs[4:7])]) is None  # other mixed pairs
    assert finished(tmp_path, h, cfg, on, []) is None  # nothing mixed in


def test_recipe_says_off_by_name_and_round_trips():
    r = Recipe("src", 8, "onpolicy", 16, mix=["a", "b"], mix_pairs=4, rehearse=True)
    assert r.rejected is Rejected.ONPOLICY and r.mix == ("a", "b")
    assert Recipe.from_dict(json.loads(json.dumps(r.to_dict()))) == r
    assert Recipe("src").rejected is Rejected.DATA and not Recipe("src").onpolicy
    for bad, match in (
        (dict(rejected="none"), "rejected must be one of data, onpolicy"),
        (dict(onpolicy_tokens=0), "onpolicy_tokens must be an integer"),
        (dict(pairs=True), "pairs must be an integer"),
        (dict(mix=("",)), "not a data source"),
    ):
        with pytest.raises(ConfigError, match=match):
            Recipe("src", **bad)
