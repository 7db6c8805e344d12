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
