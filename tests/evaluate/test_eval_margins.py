"""The paired per-item margin measure: hand-worked values, eq. 6 log-likelihoods brute-forced,
pi1 against itself exactly 0, a damaged policy as the positive control, the cache of pi1's half."""

import copy
import json
import math
import statistics

import pytest
import torch
from peft import PeftModel

from qadapter.evaluate.benchmarks import run_suite
from qadapter.evaluate.harness import QAdapterLM
from qadapter.evaluate.margins import (
    cache_file,
    cached_item_scores,
    correct,
    item_scores,
    items_hash,
    load_items,
    margin,
    margin_metrics,
)


def test_margin_and_correct_hand_worked():
    # logsumexp(-2, -3, -4) = -2 + log(1 + e^-1 + e^-2) = -1.592394
    assert margin([-1.0, -2.0, -3.0, -4.0], 0) == pytest.approx(0.592394, abs=1e-6)
    # logsumexp(-1, -2, -3) = -1 + 0.407606 = -0.592394: m = -4 + 0.592394
    assert margin([-1.0, -2.0, -3.0, -4.0], 3) == pytest.approx(-3.407606, abs=1e-6)
    # equal options: log(1/4) - log(3/4) = -log 3
    assert margin([-5.0] * 4, 2) == pytest.approx(-math.log(3))
    assert correct([-1.0, -2.0, -3.0, -4.0], 0) == 1
    assert correct([-1.0, -2.0, -3.0, -4.0], 1) == 0
    assert correct([-2.0, -1.0, -1.0, -4.0], 1) == 1 and correct([-2.0, -1.0, -1.0, -4.0], 2) == 0


def test_items_are_mc_then_facts_and_the_hash_sees_every_answer():
    items = load_items()
    assert len(items) >= 600 and items[0]["id"] == "mc-0001"
    assert sum(r["id"].startswith("facts-") for r in items) >= 400
    assert len({r["id"] for r in items}) == len(items)
    changed = copy.deepcopy(items)
    changed[-1]["answer"] = (changed[-1]["answer"] + 1) % 4
    assert items_hash(changed) != items_hash(items) == items_hash(load_items())


@torch.no_grad()
def test_choice_logprobs_are_eq6_summed_over_the_answer_tokens(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter), batch_size=3)
    items = load_items(2)
    got = item_scores(lm, items)["logprobs"]
    peft = PeftModel.from_pretrained(copy.deepcopy(tiny_base.model), str(random_adapter)).eval()
    tok = tiny_base.tokenizer
    for r, lps in zip(items, got):
        ctx = tok.encode(f"Question: {r['question']}\nAnswer:", add_special_tokens=False)
        for choice, lp in zip(r["choices"], lps):
            whole = tok.encode(
                f"Question: {r['question']}\nAnswer: {choice}", add_special_tokens=False
            )
            assert whole[: len(ctx)] == ctx
            total = 0.0
            for i in range(len(ctx), len(whole)):
                ids = torch.tensor([whole[:i]])
                f_b = tiny_base.model(input_ids=ids).logits[0, -1].double()
                f_q = peft(input_ids=ids).logits[0, -1].double()
                z = ((f_q - f_b) + 0.7 * torch.log_softmax(f_b, 0)) / 0.6  # eq. 6
                total += float(torch.log_softmax(z, 0)[whole[i]])
            assert lp == pytest.approx(total, rel=1e-5, abs=1e-5)


def test_correct_matches_lm_evals_acc(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    res = run_suite("x", model=lm, limit=10, tasks=["qadapter_probe_mc"])
    acc = {r["doc_id"]: r["acc"] for r in res["items"]["qadapter_probe_mc"]}
    mine = item_scores(lm, load_items(10))["correct"]
    assert [acc[i] for i in range(10)] == mine


@pytest.fixture(scope="module")
def known_items():
    """Forty items whose 'known' answer is what pi1 prefers: pi1 is right on every one, so a
    policy that forgets what pi1 knew can only lose (the tiny random base knows no facts). Only
    items whose four options have equally many tokens: otherwise the tiny model's preference is
    mostly for the shortest option, which a flattened policy keeps."""
    from qadapter.models import load_base

    lm = QAdapterLM(base=load_base("tiny"))

    def lengths(r):
        ctx = f"Question: {r['question']}\nAnswer:"
        return {len(lm.encode_pair(ctx, " " + c)[1]) for c in r["choices"]}

    items = copy.deepcopy([r for r in load_items() if len(lengths(r)) == 1][::2][:40])
    assert len(items) == 40
    for r, lps in zip(items, item_scores(lm, items)["logprobs"]):
        r["answer"] = max(range(4), key=lambda j: (lps[j], -j))
    return items


def test_pi1_against_itself_is_exactly_zero(tiny_base, known_items, tmp_path):
    lm = QAdapterLM(base=tiny_base)
    fresh = item_scores(lm, known_items)
    again = cached_item_scores(QAdapterLM(base=tiny_base), known_items, "h" * 64, tmp_path)
    m = margin_metrics(fresh, again)
    assert m["probe.delta"] == 0.0 and m["probe.delta_se"] == 0.0
    assert m["probe.margin_delta"] == 0.0 and m["probe.margin_delta_se"] == 0.0
    assert m["probe.base"] == m["probe.customized"] == 100.0 and m["probe.n"] == 40


def test_damaged_adapter_shows_a_significant_drop(tiny_base, known_items, tmp_path, adapter_maker):
    damaged = adapter_maker(tmp_path / "damaged", scale=2.0, seed=3, alpha0=1.0, alpha_tilde=1.0)
    base = item_scores(QAdapterLM(base=tiny_base), known_items)
    got = item_scores(QAdapterLM(base=tiny_base, adapter=str(damaged)), known_items)
    m = margin_metrics(base, got)
    assert m["probe.delta"] < -2 * m["probe.delta_se"] < 0
    assert m["probe.margin_delta"] < -2 * m["probe.margin_delta_se"] < 0
    # the paired s.e. against a brute-force loop over the items
    n = len(known_items)
    d_m = [got["margin"][i] - base["margin"][i] for i in range(n)]
    d_c = [got["correct"][i] - base["correct"][i] for i in range(n)]
    assert m["probe.margin_delta"] == pytest.approx(sum(d_m) / n)
    assert m["probe.margin_delta_se"] == pytest.approx(statistics.stdev(d_m) / math.sqrt(n))
    assert m["probe.delta"] == pytest.approx(100 * sum(d_c) / n)
    assert m["probe.delta_se"] == pytest.approx(100 * statistics.stdev(d_c) / math.sqrt(n))


def test_flattened_policy_forgets(tiny_base, known_items, tmp_path, identity_adapter):
    """Q = 0 with alpha_tilde >> alpha0 flattens eq. 6 toward uniform: margins fall."""
    flat = QAdapterLM(base=tiny_base, adapter=str(identity_adapter), alpha0=0.1, alpha_tilde=50.0)
    base = item_scores(QAdapterLM(base=tiny_base), known_items)
    got = item_scores(flat, known_items)
    m = margin_metrics(base, got)
    # equally long options under a near-uniform policy: every margin is about -log 3
    assert got["margin"] == pytest.approx([-math.log(3)] * len(known_items), abs=0.05)
    assert m["probe.margin_delta"] < -2 * m["probe.margin_delta_se"] < 0
    assert m["probe.delta"] <= 0


def test_pi1_half_is_cached_by_base_and_item_hash(tiny_base, known_items, tmp_path):
    lm = QAdapterLM(base=tiny_base)
    first = cached_item_scores(lm, known_items[:5], "a" * 64, tmp_path)
    path = cache_file(tmp_path, "a" * 64, items_hash(known_items[:5]))
    assert not first["cached"] and path.is_file()
    record = json.loads(path.read_text())
    record["scores"]["margin"] = [99.0] * 5  # what a read-back returns: the stored half
    path.write_text(json.dumps(record))
    second = cached_item_scores(lm, known_items[:5], "a" * 64, tmp_path)
    assert second["cached"] and second["margin"] == [99.0] * 5
    other = cached_item_scores(lm, known_items[:5], "b" * 64, tmp_path)  # another base
    assert not other["cached"] and other["margin"] == first["margin"]
    record["base_hash"] = "c" * 64  # a file whose recorded hash disagrees is recomputed
    path.write_text(json.dumps(record))
    assert not cached_item_scores(lm, known_items[:5], "a" * 64, tmp_path)["cached"]


def test_different_items_are_refused(tiny_base, known_items):
    lm = QAdapterLM(base=tiny_base)
    with pytest.raises(ValueError, match="different items"):
        margin_metrics(item_scores(lm, known_items[:3]), item_scores(lm, known_items[1:4]))
