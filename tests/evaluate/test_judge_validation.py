"""Judge validation (qadapter.evaluate.judges.validation) with fake judges whose answers are known:
each check's share is recomputed by brute force from the items the judge was shown."""

from __future__ import annotations

import math

import pytest

from qadapter.evaluate.judges.base import Verdict
from qadapter.evaluate.judges.validation import (
    PLAIN_REFUSALS,
    Cases,
    Thresholds,
    degrade,
    pearson,
    validate,
)


def P(text):
    return [{"role": "user", "content": text}]


class Oracle:
    """Prefers the reply in ``good`` (by text); ties when neither or both are good."""

    name = "oracle"

    def __init__(self, good):
        self.good, self.seen = set(good), []

    def judge(self, items):
        self.seen.extend(items)
        out = []
        for it in items:
            a, b = it.output_1 in self.good, it.output_2 in self.good
            out.append(Verdict(1.5 if a == b else (2.0 if b else 1.0), ""))
        return out

    def describe(self):
        return {}


class First:
    name = "first"

    def __init__(self):
        self.seen = []

    def judge(self, items):
        self.seen.extend(items)
        return [Verdict(1.0, "") for _ in items]


class Longer:
    name = "longer"

    def judge(self, items):
        return [Verdict(2.0 if len(i.output_2) > len(i.output_1) else 1.0, "") for i in items]


class Mute:
    name = "mute"

    def judge(self, items):
        return [Verdict(None, "???") for _ in items]


def cases(n=20):
    heldout = [
        (P(f"q{i}"), f"good {i} " + "x" * (20 * (i % 2)), f"bad {i} " + "y" * 10) for i in range(n)
    ]
    compliant = [
        (P(f"risky {i}"), f"Sure, here is how to do thing {i}: step one") for i in range(n)
    ]
    answered = [(P(f"benign {i}"), f"The answer to question {i} is {i * 7}.") for i in range(n)]
    fluent = [(P(f"f{i}"), f"a fluent and sensible reply number {i} here") for i in range(n)]
    return Cases(heldout, compliant, answered, fluent)


def test_oracle_is_trusted_with_every_check_at_one():
    c = cases()
    good = {t[1] for t in c.heldout} | set(PLAIN_REFUSALS) | {r for _, r in c.fluent}
    v = validate(Oracle(good), c, "harmless")
    assert v.trusted and v.reasons == []
    assert {k: ch.value for k, ch in v.checks.items()} == {
        "heldout": 1.0,
        "refusal": 1.0,
        "degeneracy": 1.0,
        "position": 1.0,
        "length_bias": 0.0,  # no errors: nothing correlates
    }
    assert v.checks["heldout"].n == 20 and v.checks["refusal"].n == 20


def test_helpful_role_checks_over_refusal_and_oracle_of_refusals_fails_it():
    c = cases()
    # a judge that loves refusals: right on held-out pairs, wrong on every over-refusal case
    good = {t[1] for t in c.heldout} | set(PLAIN_REFUSALS) | {r for _, r in c.fluent}
    v = validate(Oracle(good), c, "helpful")
    assert "refusal" not in v.checks and v.checks["over_refusal"].value == 0.0
    assert not v.trusted
    assert v.reasons == ["over_refusal check 0.000 on 20 cases, needs >= 0.9"]


def test_position_judge_scores_the_share_where_the_right_reply_is_first():
    c = cases()
    judge = First()
    v = validate(judge, c, "other")
    # brute force: the held-out items shown first (the first 20 judged): right when it is first
    shown = judge.seen[:20]
    right_first = sum(it.output_1 == t[1] for it, t in zip(shown, c.heldout))
    assert 0 < right_first < 20  # the position is alternated
    assert v.checks["heldout"].value == pytest.approx(right_first / 20)
    assert v.checks["position"].value == 0.0  # (a, b) -> a and (b, a) -> b: never the same
    assert not v.trusted


def test_length_bias_is_the_correlation_of_errors_with_length_difference():
    c = cases()
    v = validate(Longer(), c, "other", Thresholds(min_cases=2))
    # brute force over the same presentation
    from qadapter.evaluate.judges.validation import _items

    items, second = _items(list(c.heldout), "judge-validation-0")
    errs, diffs = [], []
    for it, s in zip(items, second):
        pref = 2.0 if len(it.output_2) > len(it.output_1) else 1.0
        errs.append(pref - 1.0 - float(s))
        diffs.append(len(it.output_2) - len(it.output_1))
    assert v.checks["length_bias"].value == pytest.approx(abs(pearson(errs, diffs)))
    assert v.checks["length_bias"].value > 0.4 and not v.checks["length_bias"].passed


def test_unparsed_verdicts_count_as_wrong_and_are_counted():
    v = validate(Mute(), cases(), "harmless")
    assert v.checks["heldout"].value == 0.0 and v.checks["heldout"].unparsed == 20
    assert not v.trusted


def test_too_few_cases_is_not_measured_and_not_trusted():
    c = cases(5)
    good = {t[1] for t in c.heldout} | set(PLAIN_REFUSALS) | {r for _, r in c.fluent}
    v = validate(Oracle(good), c, "harmless")
    assert not v.trusted
    assert "heldout check not measured (5 cases < 10)" in v.reasons
    assert validate(Oracle(good), c, "harmless", Thresholds(min_cases=5)).trusted


def test_metrics_flatten_checks():
    c = cases()
    good = {t[1] for t in c.heldout} | set(PLAIN_REFUSALS) | {r for _, r in c.fluent}
    m = validate(Oracle(good), c, "harmless").metrics("judge.harmless")
    assert m["judge.harmless.trusted"] == 1.0 and m["judge.harmless.refusal"] == 1.0
    assert m["judge.harmless.refusal_n"] == 20.0


def test_degrade_repeat_and_shuffle():
    r = "one two three four five six"
    rep = degrade(r, "repeat")
    assert rep.split()[:5] == ["one", "two", "three", "four", "five"]
    assert len(rep.split()) == 12 and rep != r
    sh = degrade(r, "shuffle", seed=3)
    assert sorted(sh.split()) == sorted(r.split()) and sh != r
    assert sh == degrade(r, "shuffle", seed=3)  # seeded
    with pytest.raises(ValueError, match="unknown way"):
        degrade(r, "reverse")


def test_pearson_reference():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0
    assert math.isnan(pearson([1], [1]))
    xs, ys = [1.0, 2.0, 4.0, 7.0], [2.0, 1.0, 5.0, 4.0]
    mx, my = sum(xs) / 4, sum(ys) / 4
    ref = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(
        sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)
    )
    assert pearson(xs, ys) == pytest.approx(ref)


def test_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown role"):
        validate(First(), cases(), "funny")
