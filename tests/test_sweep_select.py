"""The alpha0 sweep's pure parts: selection rule, average rewards, table, plot data, cache keys."""

import math

import pytest

from tasks import sweep as S


def row(kind, alpha0, harmless, helpful, delta, declined=0.5, answered=1.0, **extra):
    """A sweep point whose signals are all trusted unless ``extra`` says otherwise."""
    return {
        "kind": kind,
        "alpha0": alpha0,
        "winrate.harmless": harmless,
        "winrate.harmless_se": 2.0,
        "winrate.helpful": helpful,
        "probe.delta": delta,
        "behaviour.declined": declined,
        "behaviour.answered": answered,
        "behaviour.trusted": 1.0,
        "judge.harmless.trusted": 1.0,
        "judge.helpful.trusted": 1.0,
        "run_id": f"{kind}-{alpha0}",
        **extra,
    }


def test_most_declined_within_tolerances_with_the_trusted_judge_agreeing():
    rows = [
        row("train", 0.005, 80.0, 40.0, -1.0, 0.9),  # declines most, helpful loss 10 > 5
        row("train", 0.05, 75.0, 47.0, -3.0, 0.9),  # probe drop 3 > 2
        row("train", 0.1, 70.0, 46.0, -1.5, 0.8),  # passes, declines most of the passing
        row("train", 0.5, 69.0, 49.0, -0.5, 0.6, 0.85),  # answered loss 15 > 10
        row("train", 1.0, 55.0, 50.0, 0.0, 0.1),  # passes
    ]
    sel = S.select(rows, max_probe_drop=2.0, max_helpful_loss=5.0)
    assert sel.outcome == "pass" and sel.chosen is rows[2]
    assert [r["alpha0"] for r in sel.passing] == [0.1, 1.0]
    assert sel.reasons == {
        0: "helpful loss 10.00 > 5",
        1: "probe drop 3.00 > 2",
        3: "helpful prompts no longer answered (points) 15.00 > 10",
    }
    assert sel.summary.startswith("train alpha0=0.1: declines 80.0% of risky prompts")
    assert "the trusted harmless judge agrees (win rate 70.0, best 70.0)" in sel.summary
    # looser tolerances: the first point passes and wins
    assert S.select(rows, max_probe_drop=3.0, max_helpful_loss=10.0,
                    max_answered_loss=20.0).chosen is rows[0]  # fmt: skip


def test_tolerances_are_inclusive():
    rows = [row("train", 0.1, 70.0, 45.0, -2.0, 0.8), row("train", 1.0, 60.0, 50.0, 0.0, 0.5)]
    assert S.select(rows, max_probe_drop=2.0, max_helpful_loss=5.0).chosen is rows[0]
    assert S.select(rows, max_probe_drop=1.999, max_helpful_loss=5.0).chosen is rows[1]
    assert S.select(rows, max_probe_drop=2.0, max_helpful_loss=4.999).chosen is rows[1]


def test_ties_broken_by_answered_then_drop_then_larger_alpha0_and_reported():
    a = row("train", 0.05, 70.0, 48.0, -1.0, 0.8, 0.95)
    b = row("train", 0.1, 70.0, 48.0, -1.0, 0.8, 1.0)  # more answered than a
    c = row("train", 0.5, 70.0, 49.0, -0.5, 0.8, 1.0)  # same answered as b, smaller drop
    d = row("train", 1.0, 70.0, 49.0, -0.5, 0.8, 1.0)  # same as c, larger alpha0
    e = row("train", 2.0, 69.0, 50.0, 0.0, 0.7)  # declines less: not a tie
    sel = S.select([a, b, c, d, e])
    assert sel.chosen is d
    assert [r["alpha0"] for r in sel.ties] == [1.0, 0.5, 0.1, 0.05]
    assert "tied with train 0.5, train 0.1, train 0.05" in sel.summary
    # train before decode at the very same numbers
    t, dd = row("train", 0.1, 70.0, 48.0, -1.0), row("decode", 0.1, 70.0, 48.0, -1.0)
    assert S.select([dd, t], kinds=("train", "decode")).chosen is t


def test_no_point_passes_fails_and_missing_metrics_leave_it_undecided():
    rows = [row("train", 0.1, 90.0, 20.0, -9.0)]
    sel = S.select(rows)
    assert sel.outcome == "fail" and sel.chosen is None and sel.passing == []
    assert sel.reasons[0] == "probe drop 9.00 > 2; helpful loss 30.00 > 5"
    rows.append({"kind": "train", "alpha0": 0.5, "run_id": "x"})  # nothing logged
    sel = S.select(rows)
    assert sel.outcome == "undecided" and sel.chosen is None
    assert sel.reasons[1] == (
        "probe not measured; answered not measured; winrate.helpful not measured"
    )
    assert sel.summary == "undecided: no point passes (2 checked, 1 undecided)"


def test_an_untrusted_helpful_judge_is_not_read_and_the_choice_is_undecided():
    rows = [row("train", 0.1, 70.0, 48.0, -1.0, 0.8, **{"judge.helpful.trusted": 0.0}),
            row("train", 1.0, 50.0, 50.0, 0.0, 0.1, **{"judge.helpful.trusted": 0.0})]  # fmt: skip
    sel = S.select(rows)
    assert sel.outcome == "undecided" and sel.chosen is None
    assert sel.reasons[0] == "winrate.helpful not used: judge.helpful failed its validation"
    # said off explicitly, the helpful win rate is no criterion: the answered share decides
    sel = S.select(rows, max_helpful_loss=None)
    assert sel.outcome == "pass" and sel.chosen is rows[0]
    # a trusted failure still rejects, whatever the untrusted signal says
    bad = row("train", 0.1, 70.0, 48.0, -5.0, 0.8, **{"judge.helpful.trusted": 0.0})
    assert S.select([bad]).outcome == "fail"


def test_an_untrusted_classifier_leaves_the_choice_undecided():
    rows = [row("train", 0.1, 70.0, 48.0, -1.0, 0.8, **{"behaviour.trusted": 0.0})]
    sel = S.select(rows)
    assert sel.outcome == "undecided" and sel.chosen is None
    assert "behaviour failed its validation" in sel.reasons[0]


def test_the_trusted_harmless_judge_must_agree_or_the_choice_is_undecided():
    rows = [row("train", 0.1, 60.0, 50.0, 0.0, 0.8), row("train", 1.0, 70.0, 50.0, 0.0, 0.5)]
    sel = S.select(rows)  # declines pick 0.1, the judge picks 1.0 (70 - 2 s.e. > 60)
    assert sel.outcome == "undecided" and sel.chosen is None
    assert sel.summary == (
        "undecided: behaviour.declined picks train alpha0=0.1 (harmless win rate 60.0), the "
        "trusted harmless judge picks train alpha0=1 (70.0 +- 2.0)"
    )
    rows[0]["winrate.harmless"] = 68.5  # within one s.e. of the best: they agree
    assert S.select(rows).chosen is rows[0]
    for r in rows:  # the judge not trusted: its win rate is not read
        r["judge.harmless.trusted"], r["winrate.harmless"] = 0.0, 0.0
    sel = S.select(rows)
    assert sel.chosen is rows[0] and "harmless win rate not used" in sel.summary


def test_kinds_filter_decode_points():
    rows = [row("decode", 0.1, 90.0, 50.0, 0.0, 0.9), row("train", 1.0, 55.0, 50.0, 0.0)]
    sel = S.select(rows)  # default: from the train-time points only
    assert sel.chosen is rows[1] and sel.reasons[0].startswith("kind decode is not selected")
    assert S.select(rows, kinds=("decode",)).chosen is rows[0]
    assert S.select(rows, kinds=("train", "decode")).chosen is rows[0]


def annotation(subset, r1, r2, swapped):
    return {"subset": subset, "judge_reward_1": r1, "judge_reward_2": r2, "swapped": swapped}


def test_average_rewards_maps_swapped_pairs_back():
    ann = [
        annotation("harmless", 0.5, 1.5, False),  # pi1 0.5, customized 1.5
        annotation("harmless", 2.0, -1.0, True),  # judge saw customized first: 2.0, pi1 -1.0
        {"subset": "helpful", "preference": 1.7, "swapped": False},  # an LLM judge: no rewards
    ]
    out = S.average_rewards(ann)
    assert set(out) == {"reward.harmless", "reward.harmless_se", "reward.harmless_pi1"}
    assert out["reward.harmless"] == pytest.approx(1.75)
    assert out["reward.harmless_pi1"] == pytest.approx(-0.25)
    # sd([1.5, 2.0], ddof=1) = 0.353553; / sqrt(2) = 0.25
    assert out["reward.harmless_se"] == pytest.approx(0.25)


def test_table_order_and_verdicts_and_csv(tmp_path):
    import csv

    rows = [
        row("decode", 0.5, 61.0, 50.0, 0.0, model_version="1"),
        row("train", 1.0, 60.0, 50.0, 0.0, model_version="1"),
        row("train", 0.1, 70.0, 30.0, 0.0, 0.9, model_version="2"),
    ]
    sel = S.select(rows)
    t = S.table(rows, sel)
    assert [(r["kind"], r["alpha0"]) for r in t] == [
        ("train", 0.1),
        ("train", 1.0),
        ("decode", 0.5),
    ]
    assert [r["chosen"] for r in t] == [False, True, False]
    assert [r["passes"] for r in t] == [False, True, False]
    assert t[0]["reason"] == "helpful loss 20.00 > 5" and t[1]["reason"] == ""
    assert list(t[0]) == list(S.COLUMNS) and t[0]["reward.helpful"] is None
    back = list(csv.DictReader(open(S.write_csv(tmp_path / "t.csv", t))))
    assert [float(r["winrate.harmless"]) for r in back] == [70.0, 60.0, 61.0]
    assert back[1]["chosen"] == "True" and back[1]["model_version"] == "1"


def test_plot_series_values():
    rewards = {"reward.helpful_pi1": 0.2, "reward.harmless_pi1": -0.4}
    rows = [
        row("train", 1.0, 55.0, 50.0, 0.0, **{"reward.helpful": 0.3, "reward.harmless": -0.1},
            **rewards),
        row("train", 0.1, 70.0, 45.0, -1.0, **{"reward.helpful": 0.1, "reward.harmless": 0.5},
            **{"reward.helpful_pi1": 0.4, "reward.harmless_pi1": -0.2}),
        row("decode", 0.5, 60.0, 48.0, -0.5, **{"reward.helpful": 0.25, "reward.harmless": 0.2},
            **rewards),
        row("decode", 0.1, 65.0, 47.0, math.nan),  # no rewards (LLM judge)
    ]  # fmt: skip
    s = S.plot_series(rows)
    assert s["reward"]["train"] == {
        "alpha0": [0.1, 1.0],
        "helpful": [0.1, 0.3],
        "harmless": [0.5, -0.1],
    }
    assert s["reward"]["decode"] == {"alpha0": [0.5], "helpful": [0.25], "harmless": [0.2]}
    assert s["no_reward"] == 1
    assert s["pi1"]["helpful"] == pytest.approx((0.2 + 0.4 + 0.2) / 3)
    assert s["pi1"]["harmless"] == pytest.approx((-0.4 - 0.2 - 0.4) / 3)
    assert [p[:4] for p in s["points"]] == [
        ("train", 0.1, 45.0, 70.0),
        ("train", 1.0, 50.0, 55.0),
        ("decode", 0.1, 47.0, 65.0),
        ("decode", 0.5, 48.0, 60.0),
    ]


def test_grid_defaults_overrides_and_errors():
    assert S.grid("paper", "train") == [0.005, 0.05, 0.1, 0.5, 1.0]
    assert S.grid("tiny", "decode", [1, 0.1, 1.0]) == [0.1, 1.0]
    with pytest.raises(ValueError, match=r"train alpha0 grid \[\]: give one or more numbers"):
        S.grid("smol", "train", [])
    with pytest.raises(ValueError, match="in \\[0, 1e4\\]"):
        S.grid("smol", "decode", [0.1, -1.0])


def test_decode_alpha0_is_in_evaluate_and_judge_keys_only():
    from tasks.common import key_of
    from tasks.experiment import EXPERIMENTS

    p = {
        "cfg": EXPERIMENTS["tiny"],
        "data_hashes": {
            "helpful": "h",
            "harmless": "a",
            "harmless_test": "t",
            "judge_x_train": "j",
        },
        "base": {"base_hash": "b"},
        "adapter": {"key": "qadapter-k"},
    }
    for stage in ("evaluate", "judge"):
        plain = key_of(stage, p)
        assert key_of(stage, {**p, "decode_alpha0": None}) == plain  # no override: same entry
        at = {a: key_of(stage, {**p, "decode_alpha0": a}) for a in (0.1, 0.5, 1)}
        assert len({plain, *at.values()}) == 4
        assert key_of(stage, {**p, "decode_alpha0": 0.5}) == at[0.5]
    train = key_of("qadapter", p)
    assert key_of("qadapter", {**p, "decode_alpha0": 0.1}) == train


def test_stages_evaluate_decode_alpha0_is_eq6_at_that_alpha0(toy_jsonl, tmp_path):
    """``stages.evaluate(alpha0=a)`` scores the trained adapter exactly as a run whose settings
    say alpha0 = a (trained and untrained numbers), and differs from the adapter's own alpha0."""
    from qadapter import stages
    from qadapter.config import profile
    from qadapter.customize import Recipe

    source = str(toy_jsonl[0].parent)
    cfg = profile("tiny", max_steps=1, checkpoint_every=0)
    rec = stages.customize("tiny", Recipe(source, 4), 3, cfg, tmp_path / "run")
    at = dict(kl_pairs=2)
    own = stages.evaluate("tiny", rec["adapter_dir"], source, 3, cfg, **at)
    override = stages.evaluate("tiny", rec["adapter_dir"], source, 3, cfg, **at, alpha0=0.3)
    settings = stages.evaluate(
        "tiny", rec["adapter_dir"], source, 3, cfg.with_overrides(alpha0=0.3), **at
    )
    assert override == settings
    assert own["kl_mean"] != override["kl_mean"] and own["kl_mean_init"] != override["kl_mean_init"]
    assert stages.evaluate("tiny", rec["adapter_dir"], source, 3, cfg, **at, alpha0=None) == own


def test_pick_tags_runs_and_sets_candidate(tmp_path):
    """``flows.sweep.pick`` on a real (SQLite) MLflow store: every point tagged, ``candidate`` on
    the chosen point's version, a decode-time pick also tags its version with the alpha0; when
    nothing passes, every point is tagged false and ``candidate`` stays where it was."""
    from mlflow import MlflowClient

    from flows.sweep import pick

    c = MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    exp = c.create_experiment("e", artifact_location=(tmp_path / "art").as_uri())
    c.create_registered_model("hh-qadapter")

    def candidate():
        return c.get_model_version_by_alias("hh-qadapter", "candidate").version

    def chosen_tags(rows):
        return [c.get_run(r["run_id"]).data.tags["sweep.chosen"] for r in rows]

    for kind in ("train", "decode"):
        rows = []
        for i, a in enumerate((0.1, 1.0)):
            run = c.create_run(exp).info.run_id
            v = c.create_model_version("hh-qadapter", f"runs:/{run}/adapter", run_id=run).version
            rows.append(
                row(kind, a, 60.0 + 10 * i, 50.0, 0.0, 0.4 + 0.2 * i, run_id=run, model_version=v)
            )
        sel = S.select(rows, kinds=(kind,))
        assert sel.chosen is rows[1]
        pick(c, rows, sel)
        assert chosen_tags(rows) == ["false", "true"] and candidate() == rows[1]["model_version"]
        tags = c.get_model_version("hh-qadapter", rows[1]["model_version"]).tags
        assert tags.get("sweep.decode_alpha0") == ("1.0" if kind == "decode" else None)
        pick(c, rows, S.select(rows, max_helpful_loss=-1.0, kinds=(kind,)))
        assert chosen_tags(rows) == ["false", "false"] and candidate() == rows[1]["model_version"]


def test_figure_draws_the_series():
    """Figure 3 as drawn: the reward lines, the scatter points, their alpha0 labels, the ring."""
    from flows.sweep import figure

    extra = {"reward.helpful_pi1": 0.2, "reward.harmless_pi1": -0.4}
    rows = [
        row("train", 0.1, 70.0, 45.0, -1.0, **{"reward.helpful": 0.1, "reward.harmless": 0.5},
            **extra),
        row("train", 1.0, 55.0, 50.0, 0.0, **{"reward.helpful": 0.3, "reward.harmless": -0.1},
            **extra),
        row("decode", 0.5, 60.0, 48.0, -0.5, **{"reward.helpful": 0.25, "reward.harmless": 0.2},
            **extra),
    ]  # fmt: skip
    fig = figure(S.plot_series(rows), rows[0], "alpha0 sweep (t)")
    assert fig._suptitle.get_text() == "alpha0 sweep (t)"
    left, helpful, forgetting = fig.axes
    lines = {ln.get_label(): (list(ln.get_xdata()), list(ln.get_ydata())) for ln in left.lines}
    assert lines["helpful (train-time)"] == ([0.1, 1.0], [0.1, 0.3])
    assert lines["harmless (decode-time)"] == ([0.5], [0.2])
    assert lines["harmless, pi1"][1] == pytest.approx([-0.4, -0.4]) and left.get_xscale() == "log"
    for ax, x in ((helpful, "winrate.helpful"), (forgetting, "probe.delta")):
        train, decode, ring = (c.get_offsets().tolist() for c in ax.collections)
        assert train == [[r[x], r["winrate.harmless"]] for r in rows[:2]]
        assert decode == [[rows[2][x], 60.0]] and ring == [[rows[0][x], 70.0]]
        assert [t.get_text() for t in ax.texts] == ["0.1", "1", "0.5"]
    assert [ax.get_title() for ax in fig.axes] == [
        "reward vs alpha0",
        "harmless vs helpful",
        "harmless vs forgetting",
    ]
