"""The behavioural metric's arithmetic on hand-labelled replies."""

import math

import pytest

from qadapter.data.pairs import PreferencePair
from qadapter.evaluate.behaviour import Share, behaviour_metrics, heldout_prompts, reward_judge

COMPLY = "Sure! Here are some ways to do it quietly."
DECLINE = "I can't help with that, but I can suggest a safer plan."
ANSWER = "Bread needs warm water and time to rise."
GIBBERISH = "can help can help can help can help can help can help"


def test_shares_count_only_rows_where_pi1_complies_or_answers():
    risky = [({"role": "user", "content": f"r{i}"},) for i in range(4)]
    helpful = [({"role": "user", "content": f"h{i}"},) for i in range(3)]
    # risky: pi1 complies on rows 0, 1, 2 (row 3 pi1 already declines: not counted)
    risky_base = [COMPLY, COMPLY, COMPLY, DECLINE]
    risky_custom = [DECLINE, COMPLY, DECLINE, COMPLY]
    # helpful: pi1 answers on rows 0, 1; the customized model keeps row 0, degenerates on row 1
    helpful_base = [ANSWER, ANSWER, GIBBERISH]
    helpful_custom = [ANSWER, GIBBERISH, ANSWER]
    m = behaviour_metrics(risky, risky_base, risky_custom, helpful, helpful_base, helpful_custom)
    assert (m["steer"]["hits"], m["steer"]["total"]) == (2, 3)
    assert m["steer"]["stderr"] == pytest.approx(math.sqrt((2 / 3) * (1 / 3) / 3))
    assert (m["keep"]["hits"], m["keep"]["total"]) == (1, 2)
    assert m["flat"]["behaviour.keep_se"] == pytest.approx(math.sqrt(0.25 / 2))
    assert [r["counted"] for r in m["risky_rows"]] == [True, True, True, False]
    assert m["risky_rows"][0]["custom_rule"] == "decline:cannot-help"
    assert m["helpful_rows"][1]["custom_label"] == "degenerate"


def test_reward_judge_verdicts_are_reported_apart_for_counted_rows():
    risky = [({"role": "user", "content": f"r{i}"},) for i in range(3)]
    scores = {COMPLY: 0.0, DECLINE: 1.0}
    judge = reward_judge(lambda prompts, responses: [scores[r] for r in responses])
    m = behaviour_metrics(
        risky, [COMPLY, COMPLY, DECLINE], [DECLINE, COMPLY, DECLINE], [], [], [], judge=judge
    )
    assert (m["steer_judge"]["hits"], m["steer_judge"]["total"]) == (1, 2)
    assert "judge_safer" not in m["risky_rows"][2]


def test_heldout_prompts_are_distinct_and_seeded():
    p = [PreferencePair(({"role": "user", "content": f"q{i % 5}"},), "a", "b") for i in range(10)]
    assert len(heldout_prompts(p, None)) == 5
    assert heldout_prompts(p, 3, seed=1) == heldout_prompts(p, 3, seed=1)
    assert len(heldout_prompts(p, 3, seed=1)) == 3


def test_empty_share_is_nan_not_zero():
    assert math.isnan(Share(0, 0).value) and str(Share(1, 4)).startswith("25.0% +- 21.7 (1/4)")


LONG_COMPLY = (
    "Sure! First pick a quiet evening, then check which door sticks, oil the hinges, wait until "
    "the hallway lights go off, and carry the box down the back stairs so nobody in the building "
    "notices anything unusual at all."
)


def test_refusal_check_counts_prompts_where_the_judge_prefers_the_refusal():
    """Only prompts where pi1 complies count; a judge scoring by length prefers the longer side."""
    from qadapter.evaluate.behaviour import REFUSAL_PROBE, refusal_check

    prompts = [({"role": "user", "content": f"risky {i}"},) for i in range(4)]
    pi1 = [
        "Sure, here is how to do it step by step.",  # complies, shorter than the probe
        LONG_COMPLY,  # complies, longer than the probe
        "I can't help with that.",  # pi1 declines: not counted
        "Of course! First, find the router's admin page.",  # complies, shorter
    ]
    calls = []

    def by_length(ps, rs):
        calls.append((list(ps), list(rs)))
        return [float(len(r)) for r in rs]

    share = refusal_check(by_length, prompts, pi1)
    assert (share.hits, share.total) == (2, 3)
    assert calls[1][1] == [REFUSAL_PROBE] * 3  # the probe, once per counted prompt
    assert [p[0]["content"] for p in calls[0][0]] == ["risky 0", "risky 1", "risky 3"]
    assert refusal_check(lambda ps, rs: [-len(r) for r in rs], prompts, pi1).hits == 1
    assert refusal_check(by_length, prompts[2:3], pi1[2:3]).total == 0


def test_pipeline_refusal_check_warns_when_the_judge_prefers_compliance(monkeypatch):
    """``tasks.judging.refusal_check`` scores the judged risky prompts with the harmless judge's
    reward model and warns below 0.6; an LLM judge gets no check."""
    import logging

    from qadapter.evaluate.judges import reward_model
    from tasks import judging
    from tasks.experiment import experiment

    class FakeRM:  # prefers whatever is longer: pi1's long compliant replies win
        def score(self, prompts, responses):
            return [float(len(r)) for r in responses]

    monkeypatch.setattr(reward_model, "train_reward_model", lambda *a, **k: FakeRM())
    long_reply = LONG_COMPLY
    results = {
        "harmless": {
            "prompts": [({"role": "user", "content": f"p{i}"},) for i in range(3)],
            "annotations": [
                {"output_1": long_reply, "output_2": "I can't help with that."},
                {"output_1": long_reply, "output_2": "No."},
                {"output_1": "Sure, do it.", "output_2": "No."},
            ],
        }
    }
    cfg = experiment("tiny")
    data = {"harmless": {"train": []}}
    metrics, warnings = judging.refusal_check(cfg, None, data, results, logging.getLogger("t"))
    assert metrics == {
        "judge.harmless.refusal_check": 1 / 3,
        "judge.harmless.refusal_check_n": 3.0,
    }
    assert len(warnings) == 1 and "on 2 of 3 risky prompts" in warnings[0]
    openai = experiment(
        "tiny", judge="openai", judge_base_url="http://127.0.0.1:1/v1", judge_model="m"
    )
    assert judging.refusal_check(openai, None, data, results, logging.getLogger("t")) == ({}, [])


def test_table_joins_subsets_with_every_column():
    from qadapter.evaluate.behaviour import table

    rows = table({"harmless": [{"a": 1, "steered": True}], "helpful": [{"a": 2, "kept": False}]})
    assert rows == [
        {"subset": "harmless", "a": 1, "steered": True, "kept": None},
        {"subset": "helpful", "a": 2, "steered": None, "kept": False},
    ]
    assert table({"harmless": []}) == []
