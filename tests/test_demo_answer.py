"""The numbers `make demo` prints at the end (infra/local/answer.py), from hand-made metrics."""

import importlib.util
from pathlib import Path

ANSWER = Path(__file__).resolve().parents[1] / "infra" / "local" / "answer.py"


def load():
    spec = importlib.util.spec_from_file_location("demo_answer", ANSWER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


METRICS = {
    "heldout.accuracy": 0.59375,
    "heldout.accuracy_init": 0.46875,
    "heldout.kl_mean": 1.0666,
    "heldout.kl_mean_init": 1.0099,
    "winrate.harmless": 49.4965,
    "winrate.harmless_se": 5.4124,
    "winrate.harmless_n": 16.0,
    "winrate.helpful": 54.96,
    "probe.delta": -1.25,
    "probe.delta_se": 0.75,
    "kl.general": 0.35020,
    "behaviour.declined": 0.23076923,
    "behaviour.declined_se": 0.11685,
    "behaviour.declined_n": 13.0,
    "behaviour.answered": 0.9333,
    "judge.harmless.accuracy": 0.8125,
    "judge.helpful.accuracy": 0.53125,
}


def test_numbers_carry_standard_errors_and_sample_sizes():
    lines = load().numbers(METRICS, {"train.method.alpha0": "1.0"})
    assert lines == [
        "held-out preference accuracy 0.594 (untrained adapter 0.469)",
        "win rate vs base, harmless prompts 49.5% +- 5.4 (n = 16); 50% = tie",
        "win rate vs base, helpful prompts 55.0%; 50% = tie",
        "general probe, customized minus base -1.2 +- 0.8 points",
        "KL(customized || pi1) on general prompts 0.350 per token",
        "KL(customized || pi1) on held-out pairs 1.067 per token (untrained 1.010)",
        "declines 23.1% +- 11.7 (n = 13) of risky prompts pi1 answers",
        "still answers 93.3% of helpful prompts",
        "reward-model judges' own held-out accuracy: harmless 0.81, helpful 0.53"
        " (near 0.5: that subset's win rate is weak evidence)",
        "alpha0 1.0",
    ]


def test_absent_metrics_are_left_out():
    assert load().numbers({"winrate.helpful": 40.0, "winrate.helpful_se": 2.0}, {}) == [
        "win rate vs base, helpful prompts 40.0% +- 2.0; 50% = tie"
    ]
