"""On-policy pairs on the tiny model: chosen kept, rejected = pi1's greedy reply (explicit loop)."""

import pytest
import torch

from qadapter.data.tokenize import encode_prompt
from qadapter.models import load_base
from qadapter.onpolicy import onpolicy_pairs, select_pairs


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


def test_rejected_is_pi1_greedy_reply_and_chosen_is_kept(toy_pairs):
    base = load_base("tiny")
    got = onpolicy_pairs(base, toy_pairs, n=3, seed=1, max_new_tokens=6, batch_size=2)
    picked = select_pairs(toy_pairs, 3, 1)
    assert [p.prompt for p in got] == [p.prompt for p in picked]
    assert [p.chosen for p in got] == [p.chosen for p in picked]
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
