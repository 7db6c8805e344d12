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
