"""The reward-model judge on the tiny model: learning a separable toy preference, cache, verdicts"""

import json
import logging
import math
import random
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from qadapter.data.pairs import PreferencePair
from qadapter.evaluate.judges import (
    JudgeItem,
    RewardModelConfig,
    RewardModelJudge,
    get_judge,
    train_reward_model,
)
from qadapter.evaluate.judges import reward_model as rm_module
from qadapter.evaluate.judges.reward_judge import fit_scale, heldout_accuracy, mean_and_se, sigmoid
from qadapter.evaluate.judges.reward_model import reward_model_key, sequence_classifier
from qadapter.models import load_base

WORDS = (
    "bread gravity France fox yeast salt water flour dog Paris idea thanks cat tree sun moon rain "
    "snow hill lake"
).split()
CFG = RewardModelConfig(epochs=2, lr=3e-3, batch_size=4, micro_batch_size=4, max_length=64)


def toy_pairs(n, seed):
    """Chosen responses end with the marker word "banana", rejected ones with "please"."""
    rng = random.Random(seed)
    pairs = []
    for i in range(n):
        body = " ".join(rng.sample(WORDS, 4))
        prompt = (
            {
                "role": "user",
                "content": f"Tell me about {' '.join(rng.sample(WORDS, 3))}.",
            },
        )
        pairs.append(PreferencePair(prompt, f"{body} banana", f"{body} please", origin=f"toy:{i}"))
    return pairs


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    base = load_base("tiny")
    root = tmp_path_factory.mktemp("rm-cache")
    long = PreferencePair(
        ({"role": "user", "content": "long one"},),
        " ".join(WORDS * 3) + " banana",
        "short please",
    )
    train = toy_pairs(16, seed=0) + [long]
    rm = train_reward_model(base, train, CFG, cache_root=root)
    return base, root, train, rm


def test_learns_a_separable_preference_and_reports_held_out_accuracy(trained):
    base, _, train, rm = trained
    held_out = toy_pairs(12, seed=1)
    assert not {p.key() for p in held_out} & {p.key() for p in train}
    # the untrained classifier (same seeded head) ranks every held-out pair the wrong way round,
    # so passing needs learning, not luck of the initialisation
    untrained = rm_module.RewardModel(sequence_classifier(base, CFG.seed), base.tokenizer, CFG, {})
    assert untrained.pairwise_accuracy(held_out)["accuracy"] == 0.0
    metrics = rm.pairwise_accuracy(held_out)
    assert metrics["accuracy"] >= 0.9 and metrics["n_pairs"] == 12 and metrics["margin"] > 0
    judge = RewardModelJudge(rm, test_pairs=held_out)
    assert judge.trusted and judge.describe()["test_accuracy"] == metrics["accuracy"]
    # the over-long pair was truncated (prompt end, response start), not dropped
    assert (
        rm.meta["train_pairs"] == 17
        and rm.meta["truncated_pairs"] == 1
        and rm.meta["cache_hit"] is False
    )
    assert rm.meta["steps"] == math.ceil(17 / 4) * 2 and rm.meta["epochs_done"] == pytest.approx(
        2.0
    )


def test_second_call_is_a_cache_hit_and_other_inputs_are_not(trained, monkeypatch):
    base, root, train, rm = trained
    monkeypatch.setattr(
        rm_module,
        "_train_into",
        lambda *a, **k: pytest.fail("trained again despite the cache"),
    )
    again = train_reward_model(
        base, list(reversed(train)), CFG, cache_root=root
    )  # order does not matter
    assert again.meta["cache_hit"] is True and again.meta["key"] == rm.meta["key"]
    prompts, responses = [p.prompt for p in train[:5]], [p.chosen for p in train[:5]]
    assert again.score(prompts, responses) == pytest.approx(rm.score(prompts, responses), abs=1e-6)
    key = reward_model_key(base.content_hash, rm.meta["data_hash"], CFG)
    assert key == rm.meta["key"]
    assert (
        len(
            {
                key,
                reward_model_key("other-base", rm.meta["data_hash"], CFG),
                reward_model_key(base.content_hash, "other-data", CFG),
                reward_model_key(base.content_hash, rm.meta["data_hash"], replace(CFG, lr=1e-3)),
            }
        )
        == 4
    )
    other = load_base("tiny:1")
    with pytest.raises(ValueError, match="trained on base tiny:0"):
        rm_module.load_reward_model(rm.meta["path"], other)


def test_scores_do_not_depend_on_batching_or_padding(trained):
    _, _, train, rm = trained
    prompts = [p.prompt for p in train] * 2
    responses = [p.chosen for p in train] + [p.rejected for p in train]
    one = rm.score(prompts, responses, batch_size=1)
    assert rm.score(prompts, responses, batch_size=7) == pytest.approx(one, abs=1e-5)
    assert all(isinstance(x, float) for x in one)
    # by hand: the classifier's output at the last non-pad token of the unpadded sequence
    ids, _ = rm_module.encode(rm.tokenizer, prompts[0], responses[0], CFG.max_length)
    with torch.no_grad():
        direct = rm.model(input_ids=torch.tensor([ids])).logits[0, 0].item()
    assert one[0] == pytest.approx(direct, abs=1e-5)


@pytest.mark.parametrize("calibrate", [False, True])
def test_pairwise_verdicts_are_bradley_terry_probabilities(trained, calibrate):
    _, _, train, rm = trained
    held_out = toy_pairs(10, seed=4)
    judge = RewardModelJudge(rm, test_pairs=held_out, calibrate=calibrate)
    p = train[0]
    items = [
        JudgeItem(p.prompt, p.rejected, p.chosen),
        JudgeItem(p.prompt, p.chosen, p.rejected),
        JudgeItem(p.prompt, p.chosen, p.chosen),
    ]
    verdicts = judge.judge(items)
    r_c, r_r = rm.score([p.prompt, p.prompt], [p.chosen, p.rejected])
    # the scale: 1 uncalibrated; calibrated, the maximum-likelihood temperature of the held-out
    # margins, each recomputed here from the reward model's scores
    chosen = rm.score([q.prompt for q in held_out], [q.chosen for q in held_out])
    rejected = rm.score([q.prompt for q in held_out], [q.rejected for q in held_out])
    margins = [c - r for c, r in zip(chosen, rejected)]
    s = fit_scale(margins) if calibrate else 1.0
    assert judge.scale == pytest.approx(s, rel=1e-6) and judge.describe()["scale"] == judge.scale
    assert judge.describe()["calibrated"] is calibrate
    assert verdicts[0].preference == pytest.approx(1 + 1 / (1 + math.exp(-s * (r_c - r_r))))
    assert verdicts[1].preference == pytest.approx(1 + 1 / (1 + math.exp(-s * (r_r - r_c))))
    assert verdicts[0].preference > 1.5 > verdicts[1].preference
    assert verdicts[2].preference == 1.5  # identical outputs: an exact tie
    assert sigmoid(-800.0) == 0.0 and sigmoid(800.0) == 1.0 and sigmoid(0.0) == 0.5


def _log_likelihood(s, margins):
    m = sum(abs(x) for x in margins) / len(margins)
    return sum(math.log(sigmoid(s * x)) for x in list(margins) + [m, -m])


@pytest.mark.parametrize(
    "margins",
    [
        [0.3, -0.1, 0.05, 0.2, -0.02, 0.1, 0.15, 0.01],  # right 6 of 8, by small margins
        [2.0, -1.0, 0.5, 3.0, -0.5, 1.5],
        [0.01, 0.02, -0.015, 0.03, 0.005],
    ],
)
def test_fit_scale_maximizes_the_smoothed_held_out_likelihood(margins):
    s = fit_scale(margins)
    # brute force: a fine grid over [0, 50 / mean |m|], then a finer one around the best point
    hi = 50 / (sum(abs(x) for x in margins) / len(margins))
    grid = [hi * i / 20000 for i in range(20001)]
    best = max(grid, key=lambda g: _log_likelihood(g, margins))
    step = hi / 20000
    fine = [best - step + 2 * step * i / 2000 for i in range(2001)]
    best = max((g for g in fine if g >= 0), key=lambda g: _log_likelihood(g, margins))
    assert s == pytest.approx(best, rel=1e-3)
    assert _log_likelihood(s, margins) >= _log_likelihood(best, margins) - 1e-9
    # the scale is in units of 1 / reward: rescaling the rewards rescales it inversely
    assert fit_scale([10 * x for x in margins]) == pytest.approx(s / 10, rel=1e-6)


def test_fit_scale_edge_cases():
    # every pair ranked right: the unsmoothed optimum is infinite, the smoothed one finite and
    # larger than that of the same margins with one ranked wrong
    right = [0.1, 0.2, 0.3, 0.4]
    assert 0 < fit_scale(right) < math.inf
    assert fit_scale(right) > fit_scale([0.1, 0.2, 0.3, -0.4])
    assert fit_scale([-0.1, -0.2, 0.05]) == 0.0  # the judge ranks held-out pairs the wrong way
    assert fit_scale([0.2, -0.2]) == 0.0  # at chance: every verdict a tie
    assert fit_scale([]) == 1.0 and fit_scale([0.0, 0.0]) == 1.0  # nothing to fit: raw scale
    # a compressed but mostly right judge (88 % right, margins about 0.1) is scaled up a lot
    compressed = [0.1] * 22 + [-0.1] * 3
    s = fit_scale(compressed)
    assert s > 10
    assert 1 / (1 + math.exp(-s * 0.1)) == pytest.approx(23 / 27, rel=1e-6)  # (22+1)/(25+2)


def test_held_out_metrics_cached_before_margins_existed_are_measured_again(trained):
    _, _, _, rm = trained
    held_out = toy_pairs(6, seed=5)
    first = heldout_accuracy(rm, held_out)
    assert first["cached"] is False and len(first["margins"]) == 6
    assert heldout_accuracy(rm, held_out)["cached"] is True
    path = next(Path(rm.meta["path"]).glob(f"test-{first['data_hash'][:24]}.json"))
    old = json.loads(path.read_text())
    del old["margins"]
    path.write_text(json.dumps(old))
    again = heldout_accuracy(rm, held_out)
    assert again["cached"] is False and again["margins"] == pytest.approx(first["margins"])


def test_a_judge_that_cannot_rank_held_out_pairs_is_flagged(trained, caplog):
    _, _, train, rm = trained
    flipped = [PreferencePair(p.prompt, p.rejected, p.chosen) for p in toy_pairs(8, seed=2)]
    with caplog.at_level(logging.WARNING):
        judge = RewardModelJudge(rm, test_pairs=flipped, min_accuracy=0.6)
    assert judge.trusted is False and judge.describe()["trusted"] is False
    assert "NOT trusted" in caplog.text
    assert RewardModelJudge(rm, test_pairs=()).trusted is False  # nothing measured, nothing trusted


def test_registry_builds_the_judge_from_the_cache(trained, monkeypatch):
    base, root, train, rm = trained
    first = get_judge(
        "reward-model",
        base=base,
        train_pairs=train,
        test_pairs=toy_pairs(6, seed=3),
        config=CFG,
        cache_root=root,
    )
    assert first.describe()["test_metrics_cached"] is False
    monkeypatch.setattr(
        rm_module.RewardModel, "pairwise_accuracy", lambda *a: pytest.fail("re-scored")
    )
    judge = get_judge(
        "reward-model",
        base=base,
        train_pairs=train,
        test_pairs=toy_pairs(6, seed=3),
        config=CFG,
        cache_root=root,
    )
    assert judge.reward_model.meta["cache_hit"] is True and judge.trusted
    assert judge.test_metrics["cached"] is True
    assert judge.describe()["test_accuracy"] == first.describe()["test_accuracy"]


def test_sequence_classifier_keeps_the_base_weights():
    base = load_base("tiny")
    model = sequence_classifier(base, seed=0)
    base_sd = base.model.state_dict()
    for name, tensor in model.state_dict().items():
        if name != "score.weight":
            assert torch.equal(tensor, base_sd[name]), name
    assert model.score.weight.shape == (1, base.model.config.hidden_size)
    assert torch.equal(sequence_classifier(base, seed=0).score.weight, model.score.weight)


def test_mean_and_se_by_hand():
    s = mean_and_se(
        [1.0, 2.0, 4.0]
    )  # mean 7/3; deviations -4/3, -1/3, 5/3: var (16+1+25)/9/2 = 7/3
    assert s["mean"] == pytest.approx(7 / 3) and s["standard_error"] == pytest.approx(
        math.sqrt(7 / 3 / 3)
    )
    assert math.isnan(mean_and_se([1.0])["standard_error"]) and s["n"] == 3
