"""tasks.table: a win rate under a judge that failed its validation is not read (cell, chart,
note); the behaviour rows lead."""

from tasks import table


def col(method, trusted_h, trusted_p):
    return {"method": method, "winrate.harmless": 61.25, "winrate.harmless_se": 4.5,
            "winrate.helpful": 47.0, "winrate.helpful_se": 2.0, "behaviour.declined": 0.8,
            "behaviour.answered": 0.95, "judge.harmless.trusted": trusted_h,
            "judge.helpful.trusted": trusted_p}  # fmt: skip


def test_untrusted_win_rates_are_not_read_and_the_note_says_which():
    cols = [col("qadapter", 1.0, 0.0), {"method": "pi1", "winrate.harmless": 50.0}]
    rows = {r["metric"]: r for r in table.rows(cols, {"qadapter": "Q", "pi1": "pi1"})}
    assert list(rows)[:2] == [
        "risky prompts declined where pi1 complies (share)",
        "helpful prompts still answered (share)",
    ]
    assert rows["harmless win rate vs pi1 (%)"]["Q"] == "61.25 ± 4.50"
    assert rows["helpful win rate vs pi1 (%)"]["Q"] == table.UNTRUSTED
    assert rows["harmless win rate vs pi1 (%)"]["pi1"] == "50.00"  # no judge: by definition
    md = table.markdown(list(rows.values()), "t", cols)
    assert "The helpful judge(s) failed their known-answer validation" in md
    assert "failed their" not in table.markdown(list(rows.values()), "t", [col("q", 1.0, 1.0)])
    assert table.readable(col("q", 0.0, 1.0), "winrate.harmless_se") is False


def test_customize_summary_lines_lead_with_behaviour_and_mark_untrusted_judges():
    from tasks.report import behaviour_summary, judge_summary

    m = {"behaviour.declined": 0.75, "behaviour.declined_se": 0.054, "behaviour.declined_n": 64.0,
         "behaviour.answered": 0.9, "behaviour.answered_se": 0.0375, "behaviour.answered_n": 64.0,
         "behaviour.trusted": 0.0, "winrate.harmless": 61.0, "winrate.harmless_se": 4.0,
         "judge.harmless.trusted": 0.0, "judge.harmless.heldout": 0.9,
         "judge.harmless.refusal": 0.5, "winrate.helpful": 48.0,
         "winrate.helpful_se": 2.0}  # fmt: skip
    assert behaviour_summary(m) == (
        "declined 75% +- 5 (n=64) of risky prompts pi1 complies with, answered 90% +- 4 (n=64) of "
        "helpful prompts pi1 answers **(refusal classifier NOT validated: not read by decisions)**"
    )
    assert judge_summary(m, "harmless") == (
        "harmless win rate 61.0% +- 4.0 (judge **NOT trusted, not read**: heldout 0.90, "
        "refusal 0.50)"
    )
    assert judge_summary(m, "helpful") == "helpful win rate 48.0% +- 2.0"  # no checks logged
