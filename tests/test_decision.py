"""qadapter.decision: a trusted failure fails, an untrusted or missing signal leaves it undecided,
and only trusted passes pass."""

import math

from qadapter.decision import FAIL, PASS, UNDECIDED, Criterion, at_least, at_most, decide, trust_of


def test_rule_on_every_combination_of_two_criteria():
    states = {
        "pass": Criterion("a", True, True, "a ok"),
        "fail": Criterion("a", False, True, "a bad"),
        "untrusted-pass": Criterion("a", True, False, "a ok?", "judge at chance"),
        "untrusted-fail": Criterion("a", False, False, "a bad?", "judge at chance"),
        "missing": Criterion("a", None, True, "a n/a"),
    }
    for x, cx in states.items():
        for y, cy in states.items():
            d = decide([cx, cy])
            # brute-force reading of the rule
            if "fail" in (x, y):
                assert d.outcome == FAIL and d.reasons == ("a bad",) * (x, y).count("fail")
            elif {x, y} == {"pass"}:
                assert d.outcome == PASS and d.reasons == ()
            else:
                assert d.outcome == UNDECIDED and len(d.reasons) == sum(s != "pass" for s in (x, y))
    d = decide([states["untrusted-fail"], states["missing"]])
    assert d.reasons == ("a not used: judge at chance", "a not measured")
    assert d.summary == "undecided: a not used: judge at chance; a not measured"
    assert decide([]).outcome == PASS


def test_bars_are_inclusive_and_say_which_way():
    assert at_most("p", 2.0, 2.0, True, "drop").passed is True
    assert at_most("p", 2.01, 2.0, True, "drop").detail == "drop 2.01 > 2"
    assert at_least("w", 55.0, 55.0, 1.0, "win").passed is True
    assert at_least("w", 54.0, 55.0, "true", "win").detail == "win 54.00 < 55"
    assert at_least("w", None, 55.0, True, "win").passed is None


def test_trust_of_reads_every_stored_form():
    assert [trust_of(v) for v in (True, 1.0, 0.0, "true", "False", None, math.nan, "yes")] == [
        True, True, False, True, False, None, None, None,
    ]  # fmt: skip
