"""On-policy pairs and helpful anchors on the tiny model, against pi1's greedy reply (loops)."""

import random

import pytest
import torch

from qadapter.data.tokenize import encode_prompt
from qadapter.evaluate.refusal import DECLINE, classify
from qadapter.models import load_base
from qadapter.onpolicy import REFUSALS, anchor_pairs, onpolicy_pairs, pi1_answers, select_pairs


def greedy_loop(base, messages, n_tokens):
    """pi1's greedy continuation, one full forward per token (no cache), stopped at EOS."""
    tok = base.tokenizer
    ids = encode_prompt(tok, messages)
    out = []
    with torch.no_grad():
        for _ in range(n_tokens):
            logits = base.model(input_ids=torch.tensor([ids + out])).logits[0, -1]
            nxt = int(logits.argmax())
            if nxt == tok.eos_token_id:
                break
            out.append(nxt)
    return tok.decode(out, skip_special_tokens=True).strip()


def test_rejected_is_pi1_greedy_reply_and_chosen_is_kept(toy_pairs, talkative_tiny):
    base = talkative_tiny("tiny")  # a tiny pi1 whose greedy replies are not empty
    got = onpolicy_pairs(base, toy_pairs, n=3, seed=1, max_new_tokens=6, batch_size=2)
    picked = select_pairs(toy_pairs, 3, 1)
    assert [p.prompt for p in got] == [p.prompt for p in picked]
    assert [p.chosen for p in got] == [p.chosen for p in picked]
    assert all(p.rejected for p in got)
    assert [p.rejected for p in got] == [greedy_loop(base, list(p.prompt), 6) for p in picked]
    assert all(p.origin.startswith("onpolicy(pi1, greedy):") for p in got)


def test_selection_is_seeded_and_keeps_everything_when_n_is_none(toy_pairs):
    assert select_pairs(toy_pairs, 4, 7) == select_pairs(toy_pairs, 4, 7)
    assert select_pairs(toy_pairs, 4, 7) != select_pairs(toy_pairs, 4, 8)
    assert select_pairs(toy_pairs, None, 0) == list(toy_pairs)
    with pytest.raises(ValueError, match="n must be positive"):
        select_pairs(toy_pairs, 0, 0)


def test_sampled_replies_are_reproducible(toy_pairs):
    base = load_base("tiny")
    a = onpolicy_pairs(base, toy_pairs, n=2, seed=3, max_new_tokens=5, greedy=False)
    b = onpolicy_pairs(base, toy_pairs, n=2, seed=3, max_new_tokens=5, greedy=False)
    assert [p.rejected for p in a] == [p.rejected for p in b]


def test_keep_filter_counts_what_it_skips(toy_pairs):
    base = load_base("tiny")
    everything = onpolicy_pairs(base, toy_pairs, n=4, seed=0, max_new_tokens=4)
    drop = everything[1].rejected
    stats = {}
    with pytest.warns(UserWarning, match="skipped by keep"):
        kept = onpolicy_pairs(
            base, toy_pairs, n=4, seed=0, max_new_tokens=4, keep=lambda r: r != drop, stats=stats
        )
    assert [p for p in everything if p.rejected != drop] == kept
    assert (
        stats == {"generated": 4, "kept": len(kept), "skipped": 4 - len(kept)}
        and stats["skipped"] >= 1
    )


def talkative_tiny():
    """The tiny model answers every prompt with newlines only (empty after strip); with the
    output rows of newline tokens zeroed it says something non-empty that depends on the prompt
    ("999..." or other bytes), so that chosen == pi1's reply is a real check."""
    base = load_base("tiny")
    tok, out = base.tokenizer, base.model.get_output_embeddings().weight
    with torch.no_grad():
        out[[i for i in range(len(tok)) if "\n" in tok.decode([i])]] = 0
    return base


def test_anchor_pairs_chosen_is_pi1_greedy_reply_and_rejected_a_refusal(toy_pairs):
    base = talkative_tiny()
    refusals = ("No.", "I'd advise against that.", "Sorry, I can't.")
    stats = {}
    got = anchor_pairs(
        base,
        toy_pairs,
        n=8,
        seed=2,
        refusals=refusals,
        max_new_tokens=6,
        batch_size=3,
        keep=None,
        stats=stats,
    )
    picked = select_pairs(toy_pairs, 8, 2)
    replies = [greedy_loop(base, list(p.prompt), 6) for p in picked]
    assert all(replies) and len(set(replies)) >= 2  # non-trivial: non-empty, prompt-dependent
    rng = random.Random(3)  # seed + 1: one draw per selected prompt
    draws = [refusals[rng.randrange(3)] for _ in picked]
    assert [p.prompt for p in got] == [p.prompt for p in picked]
    assert [p.chosen for p in got] == replies
    assert [p.rejected for p in got] == draws and len(set(draws)) >= 2
    assert all(p.origin.startswith("anchor(pi1 greedy vs refusal):") for p in got)
    assert stats == {"generated": 8, "kept": 8, "skipped": 0}
    assert len(set(REFUSALS)) == len(REFUSALS) >= 3
    assert all(classify(r).label == DECLINE for r in REFUSALS)  # refusals the metric counts


def test_anchor_pairs_skip_prompts_where_pi1_does_not_answer_and_count_them(toy_pairs):
    base = talkative_tiny()
    picked = select_pairs(toy_pairs, 8, 0)
    replies = [greedy_loop(base, list(p.prompt), 5) for p in picked]
    drop = replies[0]
    n_drop = sum(r == drop for r in replies)
    assert 1 <= n_drop < 8
    # the refusal assignment is per selected prompt, so skipping does not shift it
    full = anchor_pairs(base, toy_pairs, n=8, seed=0, max_new_tokens=5, keep=None)
    stats = {}
    with pytest.warns(UserWarning, match=f"anchor_pairs: {n_drop} of 8 prompts skipped"):
        got = anchor_pairs(
            base, toy_pairs, n=8, seed=0, max_new_tokens=5, keep=lambda r: r != drop, stats=stats
        )
    assert got == [p for p in full if p.chosen != drop]
    assert [p.chosen for p in got] == [r for r in replies if r != drop]
    assert stats == {"generated": 8, "kept": 8 - n_drop, "skipped": n_drop}
    # default keep: the rule classifier; the plain tiny model's replies are empty -> all skipped
    plain = load_base("tiny")
    assert [greedy_loop(plain, list(p.prompt), 5) for p in picked] == [""] * 8
    stats = {}
    with pytest.warns(UserWarning, match="8 of 8 prompts skipped"):
        assert anchor_pairs(plain, toy_pairs, n=8, seed=0, max_new_tokens=5, stats=stats) == []
    assert stats == {"generated": 8, "kept": 0, "skipped": 8}


def test_pi1_answers_is_the_rule_classifiers_answer_label():
    assert pi1_answers("To make bread, you mix flour, water and yeast.")
    assert pi1_answers("Paris is the capital of France and its largest city.")
    assert not pi1_answers("I'm sorry, but I can't help with that.")
    assert not pi1_answers("That is illegal and could get you arrested.")
    assert not pi1_answers("")


def test_anchor_pairs_reject_empty_refusals(toy_pairs):
    base = load_base("tiny")
    with pytest.raises(ValueError, match="refusals must be non-empty strings"):
        anchor_pairs(base, toy_pairs, n=2, refusals=("ok", " "))
    with pytest.raises(ValueError, match="refusals must be non-empty strings"):
        anchor_pairs(base, toy_pairs, n=2, refusals=())
