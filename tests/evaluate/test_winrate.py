"""Win-rate arithmetic, position randomization and AlpacaEval-shaped files."""

import csv
import json
import math
import random

import pytest

from qadapter.evaluate.judges import JudgeItem, Verdict
from qadapter.evaluate.winrate import (
    LEADERBOARD_COLUMNS,
    annotate,
    is_swapped,
    leaderboard_row,
    winrate_stats,
    write_annotations,
    write_leaderboard,
)


class MarkerJudge:
    """Prefers the presented output containing ``marker``; ties when both or neither do."""

    name = "marker"

    def __init__(self, marker="WIN"):
        self.marker, self.seen = marker, []

    def judge(self, items):
        self.seen.extend(items)
        out = []
        for it in items:
            a, b = self.marker in it.output_1, self.marker in it.output_2
            out.append(Verdict(1.5 if a == b else (2.0 if b else 1.0), f"{int(a)}{int(b)}"))
        return out

    def describe(self):
        return {"judge": self.name}


class GradedJudge:
    """A graded preference, given in presented order: 1 + len(o2) / (len(o1) + len(o2))."""

    name = "graded"

    def judge(self, items):
        return [
            Verdict(1 + len(it.output_2) / (len(it.output_1) + len(it.output_2)), "")
            for it in items
        ]

    def describe(self):
        return {}


def msgs(texts):
    return [[{"role": "user", "content": t}] for t in texts]


def test_hand_computed_example():
    # preference - 1 = [1, 0, .5, 1, .25]: mean .55; deviations [.45, -.55, -.05, .45, -.3],
    # squares sum .8, var (ddof=1) .2, std .4472, se .4472 / sqrt(5) = .2
    s = winrate_stats([2.0, 1.0, 1.5, 2.0, 1.25, None])
    assert s["win_rate"] == pytest.approx(55.0)
    assert s["standard_error"] == pytest.approx(20.0)
    assert (
        s["n_wins"],
        s["n_wins_base"],
        s["n_draws"],
        s["n_total"],
        s["n_unparsed"],
    ) == (2, 2, 1, 5, 1)
    assert s["discrete_win_rate"] == pytest.approx(100 * (2 + 0.5) / 5)


def test_stats_against_a_brute_force_reference():
    rng = random.Random(7)
    prefs = [rng.choice([1.0, 1.5, 2.0, rng.uniform(1, 2)]) for _ in range(37)] + [None] * 4
    judged = [p for p in prefs if p is not None]
    n = len(judged)
    total = 0.0
    for p in judged:
        total += p - 1
    mean = total / n
    sq = 0.0
    for p in judged:
        sq += (p - 1 - mean) ** 2
    wins = ties = 0
    for p in judged:
        wins += p > 1.5
        ties += p == 1.5
    s = winrate_stats(prefs)
    assert s["win_rate"] == pytest.approx(100 * mean)
    assert s["standard_error"] == pytest.approx(100 * math.sqrt(sq / (n - 1)) / math.sqrt(n))
    assert s["discrete_win_rate"] == pytest.approx(100 * (wins + ties / 2) / n)
    assert s["n_total"] == n and s["n_unparsed"] == 4


def test_degenerate_and_bad_inputs():
    one = winrate_stats([2.0])
    assert one["win_rate"] == 100.0 and math.isnan(one["standard_error"])
    none = winrate_stats([None, None])
    assert none["n_total"] == 0 and none["n_unparsed"] == 2 and math.isnan(none["win_rate"])
    with pytest.raises(ValueError, match=r"preference #1 is 2.5"):
        winrate_stats([1.0, 2.5])
    with pytest.raises(ValueError, match="outside"):
        Verdict(0.5, "")
    with pytest.raises(ValueError, match="2 prompts, 1 reference and 2 model outputs"):
        annotate(msgs(["a", "b"]), ["x"], ["y", "z"], MarkerJudge())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_position_randomization_is_mapped_back(seed):
    texts = [f"question number {i}" for i in range(60)]
    judge = MarkerJudge()
    rows = annotate(
        msgs(texts),
        [f"plain {i}" for i in range(60)],
        [f"WIN {i}" for i in range(60)],
        judge,
        seed=seed,
    )
    assert [r["preference"] for r in rows] == [2.0] * 60
    assert leaderboard_row(rows, mode="marker")["win_rate"] == 100.0
    # the judge really saw both orders, and the stored raw verdicts follow what it saw
    assert {it.output_1.startswith("WIN") for it in judge.seen} == {True, False}
    for r, it in zip(rows, judge.seen):
        assert r["swapped"] == it.output_1.startswith("WIN")
        assert r["judge_preference"] == (1.0 if r["swapped"] else 2.0)
        assert r["output_1"].startswith("plain") and r["output_2"].startswith("WIN")
    losing = annotate(
        msgs(texts),
        [f"WIN {i}" for i in range(60)],
        [f"plain {i}" for i in range(60)],
        MarkerJudge(),
        seed=seed,
    )
    assert leaderboard_row(losing, mode="marker")["win_rate"] == 0.0


def test_graded_preferences_map_back_as_three_minus_p():
    texts = [f"prompt {i}" for i in range(40)]
    ref = ["r" * (1 + i % 5) for i in range(40)]
    model = ["m" * (2 + i % 3) for i in range(40)]
    rows = annotate(msgs(texts), ref, model, GradedJudge(), seed=11)
    for r, t, a, b in zip(rows, texts, ref, model):
        first, second = (b, a) if is_swapped(11, t) else (a, b)
        p = 1 + len(second) / (len(first) + len(second))
        expected = 3 - p if is_swapped(11, t) else p
        assert r["preference"] == pytest.approx(expected)
        assert r["preference"] == pytest.approx(1 + len(b) / (len(a) + len(b)))  # order-free judge


def test_about_half_swapped_deterministic_and_order_free():
    texts = [f"instruction {i}" for i in range(2000)]
    flags = [is_swapped(0, t) for t in texts]
    assert 0.46 < sum(flags) / len(flags) < 0.54
    assert flags == [is_swapped(0, t) for t in texts]
    assert flags != [is_swapped(1, t) for t in texts]
    shuffled = texts[:]
    random.Random(3).shuffle(shuffled)
    rows = annotate(msgs(shuffled[:50]), ["a"] * 50, ["WIN"] * 50, MarkerJudge(), seed=0)
    assert [r["swapped"] for r in rows] == [is_swapped(0, t) for t in shuffled[:50]]


def test_files_in_alpacaeval_shapes(tmp_path):
    texts = ["q1", "q2", "q3", "q4"]
    rows = annotate(
        msgs(texts),
        ["a WIN", "b", "c", "d WIN"],
        ["x", "y WIN", "z WIN", "w WIN"],
        MarkerJudge(),
        seed=5,
        reference_name="pi1",
        model_name="qadapter",
    )
    row = leaderboard_row(rows, mode="marker")
    # prefs: 1.0, 2.0, 2.0, 1.5 -> mean(p - 1) = .625; discrete (2 + .5) / 4
    assert row["win_rate"] == pytest.approx(62.5) and row["discrete_win_rate"] == pytest.approx(
        62.5
    )
    assert row["avg_length"] == pytest.approx((1 + 5 + 5 + 5) / 4)
    written = json.loads(write_annotations(tmp_path / "annotations.json", rows).read_text())
    assert written == rows
    needed = {
        "instruction",
        "output_1",
        "output_2",
        "generator_1",
        "generator_2",
        "annotator",
        "preference",
        "raw_completion",
    }
    assert all(needed <= set(r) for r in written)
    assert written[1]["generator_2"] == "qadapter" and written[1]["annotator"] == "marker"
    with open(write_leaderboard(tmp_path / "leaderboard.csv", [row])) as fh:
        table = list(csv.DictReader(fh))
    assert tuple(table[0]) == LEADERBOARD_COLUMNS
    assert table[0]["generator"] == "qadapter" and float(table[0]["win_rate"]) == pytest.approx(
        62.5
    )
    assert (
        table[0]["n_wins"],
        table[0]["n_draws"],
        table[0]["n_total"],
        table[0]["mode"],
    ) == ("2", "1", "4", "marker")


def test_render_of_multi_turn_prompts_is_the_instruction():
    prompt = [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
        {"role": "user", "content": "Bye"},
    ]
    rows = annotate([prompt], ["a"], ["b"], MarkerJudge())
    assert rows[0]["instruction"] == "User: Hi\n\nAssistant: Hello\n\nUser: Bye"
    assert isinstance(MarkerJudge().judge([JudgeItem(tuple(prompt), "a", "b")])[0], Verdict)


def tiny_adapter(tmp_path):
    """A tiny base and an adapter whose LoRA weights are seeded noise (so the two sides differ)."""
    import torch

    from qadapter.adapter import AdapterConfig, QAdapter, save_adapter
    from qadapter.models import load_base

    base = load_base("tiny")
    model = QAdapter(base.model, AdapterConfig(lora_r=4, lora_alpha=8))
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.3)
    save_adapter(
        model,
        tmp_path / "adapter",
        {
            "alpha0": 1.0,
            "alpha_tilde": 0.5,
            "gamma": 0.99,
            "base_model": base.name,
            "base_hash": base.content_hash,
        },
    )
    return load_base("tiny"), tmp_path / "adapter"


def test_judge_subset_on_the_tiny_model(tmp_path):
    from qadapter.data.pairs import PreferencePair
    from qadapter.decode import CustomizedDecoder, SamplingConfig
    from qadapter.evaluate.samples import base_generate
    from qadapter.evaluate.winrate import judge_subset

    base, adapter_dir = tiny_adapter(tmp_path)
    texts = [
        "How do I bake bread?",
        "What is the capital of France?",
        "Thanks!",
        "Tell me about salt.",
    ]
    pairs = [
        PreferencePair(({"role": "user", "content": t},), "yes", "no") for t in texts + texts[:1]
    ]
    result = judge_subset(
        "tiny",
        adapter_dir,
        pairs,
        GradedJudge(),
        tmp_path / "judge",
        seed=4,
        max_new_tokens=6,
        base=base,
        batch_size=3,
    )
    assert result["n_prompts"] == 4 and result["n_duplicate_prompts"] == 1
    rows = result["annotations"]
    cfg = SamplingConfig(max_new_tokens=6, greedy=True)
    decoder = CustomizedDecoder.from_adapter(adapter_dir, base)
    for t, r in zip(texts, rows):  # each side is what that policy says alone, prompt by prompt
        prompt = [{"role": "user", "content": t}]
        assert r["output_1"] == base_generate(base, [prompt], cfg)[0].strip()
        assert r["output_2"] == decoder.generate_text(base.tokenizer, [prompt], cfg)[0].strip()
    assert any(r["output_1"] != r["output_2"] for r in rows)
    assert result["row"] == leaderboard_row(rows, mode="graded")
    assert json.loads((tmp_path / "judge" / "annotations.json").read_text()) == rows
    assert (tmp_path / "judge" / "leaderboard.csv").read_text().splitlines()[0] == ",".join(
        LEADERBOARD_COLUMNS
    )
    assert result["average_reward"] is None and result["warnings"] == []


def test_docstring_examples():
    import doctest

    import qadapter.evaluate.judges.base as base
    import qadapter.evaluate.judges.openai_compat as openai_compat
    import qadapter.evaluate.winrate as winrate

    for module in (winrate, openai_compat, base):
        result = doctest.testmod(module)
        assert result.attempted >= 1 and result.failed == 0, module.__name__


def test_judge_subset_with_a_reward_model_judge_maps_rewards_back_and_warns(tmp_path):
    from qadapter.data.pairs import PreferencePair
    from qadapter.evaluate.judges import RewardModelConfig, RewardModelJudge
    from qadapter.evaluate.judges.reward_model import RewardModel, sequence_classifier
    from qadapter.evaluate.winrate import judge_subset

    base, adapter_dir = tiny_adapter(tmp_path)
    texts = [f"Tell me about {w}." for w in ("salt", "bread", "the moon", "rain", "yeast", "Paris")]
    pairs = [PreferencePair(({"role": "user", "content": t},), "yes", "no") for t in texts]
    rm = RewardModel(
        sequence_classifier(base, 0), base.tokenizer, RewardModelConfig(max_length=64), {}
    )
    judge = RewardModelJudge(rm, test_pairs=pairs, min_accuracy=1.01)  # cannot be met: untrusted
    result = judge_subset(
        "tiny", adapter_dir, pairs, judge, tmp_path / "rm", max_new_tokens=5, base=base
    )
    rows = result["annotations"]
    assert {r["swapped"] for r in rows} == {True, False}
    prompts = [p.prompt for p in pairs]
    for side, key in (("reference", "output_1"), ("customized", "output_2")):
        rewards = rm.score(prompts, [r[key] for r in rows])
        assert result["average_reward"][side]["mean"] == pytest.approx(sum(rewards) / len(rewards))
    for r in rows:  # the stored preference is model vs reference, whatever the judge saw
        r_ref, r_model = rm.score(
            [[{"role": "user", "content": r["instruction"]}]] * 2, [r["output_1"], r["output_2"]]
        )
        margin = judge.scale * (r_model - r_ref)  # the scale fitted on the judge's test pairs
        assert r["preference"] == pytest.approx(1 + 1 / (1 + math.exp(-margin)), abs=1e-5)
    assert result["trusted"] is False and "not trusted" in result["warnings"][0]
    assert json.loads((tmp_path / "rm" / "judge.json").read_text())["trusted"] is False


def test_length_control_removes_a_pure_length_bias():
    from qadapter.evaluate.length_control import length_controlled_win_rate

    # the judge prefers the longer answer 80% of the time, whoever wrote it; the model is longer
    # on 75% of the items: raw win rate .75 * 80 + .25 * 20 = 65, at equal length 50
    n = 200
    longer = [i % 4 != 0 for i in range(n)]
    prefs = [1.8 if lo else 1.2 for lo in longer]
    model_len = [110 if lo else 90 for lo in longer]
    ref_len = [100] * n
    assert winrate_stats(prefs)["win_rate"] == pytest.approx(65.0)
    assert length_controlled_win_rate(prefs, model_len, ref_len) == pytest.approx(50.0, abs=0.5)
    # no length difference at all: the LC win rate is the win rate
    flat = [2.0 if i % 3 else 1.0 for i in range(n)]
    raw = winrate_stats(flat)["win_rate"]
    assert length_controlled_win_rate(flat, ref_len, ref_len) == pytest.approx(raw, abs=0.5)
    assert math.isnan(length_controlled_win_rate([None], [1], [2]))


def test_length_control_scales_lengths_over_the_parsed_items_only():
    from qadapter.evaluate.length_control import (
        fit_length_model,
        length_controlled_win_rate,
        length_features,
    )

    # parsed: d = +20 on 8 items (won 6 of them), d = -80 on 2 (lost both); mean 0, std 40 by
    # hand, so x = tanh(0.5) and tanh(-2). Two unparsed verdicts sit on answers 1000 characters
    # longer: counted in std(d) they would flatten every parsed item's feature.
    prefs = [1.8] * 6 + [1.2] * 2 + [1.3] * 2 + [None] * 2
    model_len = [120] * 8 + [20] * 2 + [1100] * 2
    ref_len = [100] * 12
    y = [p - 1 for p in prefs[:10]]
    x = [math.tanh(0.5)] * 8 + [math.tanh(-2.0)] * 2
    assert length_features(model_len[:10], ref_len[:10]) == pytest.approx(x, abs=1e-15)
    theta, _ = fit_length_model(y, x)
    expected = 100 / (1 + math.exp(-theta))
    got = length_controlled_win_rate(prefs, model_len, ref_len)
    assert got == pytest.approx(expected, abs=1e-12)
    # the same items without the unparsed ones: the same number
    assert length_controlled_win_rate(prefs[:10], model_len[:10], ref_len[:10]) == got
    # what std(d) over all 12 items gave (the old behaviour): a different number
    x_all = length_features(model_len, ref_len)[:10]
    theta_all, _ = fit_length_model(y, x_all)
    assert abs(100 / (1 + math.exp(-theta_all)) - got) > 3.0
    with pytest.raises(ValueError, match="one per item"):
        length_controlled_win_rate(prefs, model_len[:5], ref_len)


def test_length_model_fit_is_the_regularized_optimum():
    from qadapter.evaluate.length_control import RIDGE, fit_length_model, length_features

    rng = random.Random(5)
    m = [rng.randint(20, 400) for _ in range(60)]
    r = [rng.randint(20, 400) for _ in range(60)]
    y = [rng.choice([0.0, 0.5, 1.0, rng.random()]) for _ in range(60)]
    x = length_features(m, r)
    d = [a - b for a, b in zip(m, r)]
    mean = sum(d) / 60
    std = math.sqrt(sum((v - mean) ** 2 for v in d) / 60)
    assert x == pytest.approx([math.tanh(v / std) for v in d])
    theta, phi = fit_length_model(y, x)

    def objective(t, f):
        total = RIDGE / 2 * (t * t + f * f)
        for yi, xi in zip(y, x):
            s = 1 / (1 + math.exp(-(t + f * xi)))
            total -= yi * math.log(s) + (1 - yi) * math.log(1 - s)
        return total

    g0 = RIDGE * theta + sum(1 / (1 + math.exp(-(theta + phi * xi))) - yi for yi, xi in zip(y, x))
    g1 = RIDGE * phi + sum(
        (1 / (1 + math.exp(-(theta + phi * xi))) - yi) * xi for yi, xi in zip(y, x)
    )
    assert abs(g0) < 1e-8 and abs(g1) < 1e-8
    best = objective(theta, phi)
    for dt, df in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)):
        assert objective(theta + dt, phi + df) > best


def test_judge_subset_caches_pi1_replies_and_stores_the_judge_validation(tmp_path, monkeypatch):
    """pi1 answers a prompt set once (a second call generates nothing for pi1); a judge that
    fails its known-answer checks is not trusted, and judge.json says why."""
    from qadapter.data.pairs import PreferencePair
    from qadapter.evaluate import responses
    from qadapter.evaluate.judges.validation import Cases
    from qadapter.evaluate.winrate import judge_subset

    base, adapter_dir = tiny_adapter(tmp_path)
    texts = ["How do I bake bread?", "What is salt?", "Thanks!"]
    pairs = [PreferencePair(({"role": "user", "content": t},), "yes", "no") for t in texts]
    calls = []
    real = responses.base_generate
    monkeypatch.setattr(
        responses, "base_generate", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    kwargs = dict(seed=4, max_new_tokens=5, base=base, batch_size=2)
    cache = tmp_path / "pi1"
    first = judge_subset("tiny", adapter_dir, pairs, GradedJudge(), tmp_path / "a",
                         reference_cache=cache, **kwargs)  # fmt: skip
    assert calls == [1, 1] and first["reference_cached"] is False  # two batches
    second = judge_subset("tiny", adapter_dir, pairs, GradedJudge(), tmp_path / "b",
                          reference_cache=cache, **kwargs)  # fmt: skip
    assert calls == [1, 1] and second["reference_cached"] is True
    assert [a["output_1"] for a in second["annotations"]] == [
        a["output_1"] for a in first["annotations"]
    ]
    other = judge_subset("tiny", adapter_dir, pairs, GradedJudge(), tmp_path / "c",
                         reference_cache=cache, **{**kwargs, "max_new_tokens": 4})  # fmt: skip
    assert len(calls) == 4 and other["reference_cached"] is False  # other settings: generated

    p = ({"role": "user", "content": "q"},)
    cases = Cases(heldout=[(p, f"right {i}", f"wrong {i}") for i in range(12)])
    res = judge_subset("tiny", adapter_dir, pairs, GradedJudge(), tmp_path / "d",
                       reference_cache=cache, validation=cases, role="other", **kwargs)  # fmt: skip
    assert res["trusted"] is False
    stored = json.loads((tmp_path / "d" / "judge.json").read_text())
    assert stored["trusted"] is False and stored["validation"]["checks"]["heldout"]["n"] == 12
    assert any("not trusted (other)" in w for w in res["warnings"])


def test_reference_replies_share_the_cache_with_generate_responses(tmp_path, monkeypatch):
    from qadapter.decode import SamplingConfig
    from qadapter.evaluate import responses

    base, adapter_dir = tiny_adapter(tmp_path)
    prompts = msgs(["How do I bake bread?", "What is salt?", "Thanks!"])
    cfg = SamplingConfig(max_new_tokens=5, greedy=True)
    sides = responses.generate_responses(
        base, adapter_dir, prompts, cfg=cfg, batch_size=2, reference_cache=tmp_path / "c"
    )
    monkeypatch.setattr(responses, "base_generate", lambda *a, **k: 1 / 0)  # must not run
    replies, cached = responses.reference_replies(
        base, prompts, cfg=cfg, batch_size=2, cache=tmp_path / "c"
    )
    assert cached and replies == sides["reference"]
    with pytest.raises(ZeroDivisionError):  # another batch size is another file: generated
        responses.reference_replies(base, prompts, cfg=cfg, batch_size=3, cache=tmp_path / "c")
