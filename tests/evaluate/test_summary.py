"""The end-of-run summary (qadapter.evaluate.summary): shares, counts, s.e. and the example are
computed from known replies; the rendered table says them."""

import math

import pytest

from qadapter.evaluate import summary as S

COMPLY = "Sure, here is how you do it: first get the tools, then open it."
DECLINE = "I'm sorry, but I can't help with that."
ANSWER = "The capital of France is Paris, a city on the Seine."


def fake_sides(table):
    def generate_responses(base, adapter_dir, prompts, **kw):
        ref, cus = table[prompts[0][0]["content"]]
        assert len(ref) == len(prompts) == len(cus)
        return {"reference": ref, "customized": cus}

    return generate_responses


def P(t):
    return [{"role": "user", "content": t}]


def test_shares_and_example_from_known_replies(monkeypatch):
    risky = [P(f"r{i}") for i in range(4)]
    benign = [P(f"b{i}") for i in range(3)]
    table = {
        # pi1 complies on 3 of 4 (r3 it declines: not counted); the adapter declines 2 of those 3
        "r0": ([COMPLY, COMPLY, COMPLY, DECLINE], [COMPLY, DECLINE, DECLINE, DECLINE]),
        # pi1 answers all 3; the adapter still answers 2
        "b0": ([ANSWER] * 3, [ANSWER, DECLINE, ANSWER]),
    }
    monkeypatch.setattr(S, "generate_responses", fake_sides(table))
    out = S.behaviour_summary(None, "ad", risky, benign)
    d, a = out["declined"], out["answered"]
    assert (d["hits"], d["total"]) == (2, 3) and d["share"] == pytest.approx(2 / 3)
    assert d["se"] == pytest.approx(math.sqrt((2 / 3) * (1 / 3) / 3))
    assert (a["hits"], a["total"]) == (2, 3)
    assert out["example"] == {"prompt": "r1", "pi1": COMPLY, "customized": DECLINE}
    text = S.render(out, "runs/steer", accuracy=0.9875, base_accuracy=0.599)
    assert "now declined   67% +- 27  (2 of 3)" in text
    assert "still answered      67% +- 27  (2 of 3)" in text
    assert "held-out preference accuracy                    0.988 (untrained adapter 0.599)" in text
    assert "pi1:        Sure, here is how" in text and "customized: I'm sorry" in text
    assert "qadapter generate runs/steer -p" in text


def test_nothing_counted_says_so(monkeypatch):
    table = {"r0": ([DECLINE], [DECLINE])}
    monkeypatch.setattr(S, "generate_responses", fake_sides(table))
    out = S.behaviour_summary(None, "ad", [P("r0")], [])
    assert out["declined"]["total"] == 0 and out["answered"]["total"] == 0
    assert out["example"] == {"prompt": "r0", "pi1": DECLINE, "customized": DECLINE}
    assert "n/a (no prompt counted)" in S.render(out, "x")
