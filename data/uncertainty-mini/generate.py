#!/usr/bin/env python3
"""Generate uncertainty-mini: calibrated answers preferred over confident guesses.

Everything here was written for this project: ``parts.py`` holds hand-written questions and
answers; this script combines them into preference pairs in Anthropic HH-RLHF transcript format
(the same as ``data/hh-mini``)::

    {"chosen": "\\n\\nHuman: ...\\n\\nAssistant: ...", "rejected": "\\n\\nHuman: ...\\n\\nAssistant: ..."}

``chosen`` states uncertainty honestly (what is known, what is not, how to check); ``rejected``
is a confident guess or fabrication. Both transcripts of a pair are identical up to and including
the final "\\n\\nAssistant:" marker.

Confounds are removed by construction and asserted before writing (with the measurements of
``data/check_bundled.py``): every topic yields pairs of four *kinds* (long or short honest answer
against long or short confident answer, dealt from ``DECK``), so the chosen answer is longer in
about half of the pairs; the same pool of openers is put in front of both sides at the same rate,
so the first words do not give the preference away. Topics are split into train and test *by
topic*, stratified by category.

Deterministic: running it rewrites ``train.jsonl`` and ``test.jsonl`` byte-for-byte identically.

    python data/uncertainty-mini/generate.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep data/ free of __pycache__
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from check_bundled import (  # noqa: E402
    UNC_MAX_OPENER_RULE,
    opener_rule_accuracy,
    uncertainty_confounds,
    uncertainty_violations,
)
from parts import TOPICS  # noqa: E402

SEED = 20261126
MAX_CHARS = 1200  # upper bound on each transcript's length
TEST_PER_CATEGORY = 3
MULTI_PER_TOPIC = 2  # conversations where the question follows an earlier exchange
OPENER_RATE = 0.35  # the same on both sides
# ------------------------------------------------------------------ shared pools (hand-written)
OPENERS = [
    "Good question. ",
    "Sure. ",
    "Okay. ",
    "Happy to help. ",
    "Let me help with that. ",
    "Thanks for asking. ",
]
HUMAN_GREETINGS = ["Hi! ", "Hey there. ", "Quick question. ", "Hello. "]
TRANSITIONS = [
    "Thanks, that's helpful. I have another question.",
    "Okay, got it. Something different now.",
    "Thanks! Unrelated question.",
    "That makes sense. One more thing.",
    "Great. Next question.",
    "Alright. Different topic.",
]
# Pair kinds: (honest side, confident side), "L" the long answer, "S" the short one. The chosen
# answer is longer in every L-S pair, shorter in every S-L pair, and about half of the L-L and S-S
# pairs (the parts are written to matching lengths), so length does not predict the preference.
DECK = [("L", "L"), ("S", "S"), ("L", "S"), ("S", "L")]


class KindDeck:
    """Deals pair kinds in shuffled rounds of DECK, so each file gets them in fixed proportions."""

    def __init__(self, rng):
        self.rng, self.cards = rng, []

    def draw(self):
        if not self.cards:
            self.cards = list(DECK)
            self.rng.shuffle(self.cards)
        return self.cards.pop()


# ------------------------------------------------------------------ transcript helpers
def render(turns):
    """turns: list of (role, text) -> HH transcript text (each turn preceded by a blank line)."""
    return "".join(f"\n\n{role}: {text}" for role, text in turns)


def make_pair(history, chosen, rejected):
    """history ends with a Human turn; returns the {"chosen", "rejected"} record."""
    assert history and history[-1][0] == "Human"
    for _, text in history + [("", chosen), ("", rejected)]:
        assert text.strip() and "\n\n" not in text and text == text.strip(), text
    prompt = render(history) + "\n\nAssistant:"
    return {"chosen": f"{prompt} {chosen}", "rejected": f"{prompt} {rejected}"}


def fits(pair):
    return max(len(pair["chosen"]), len(pair["rejected"])) <= MAX_CHARS


def with_opener(rng, text):
    """The same opener pool, at the same rate, for both sides of every pair."""
    if rng.random() < OPENER_RATE:
        return rng.choice(OPENERS) + text
    return text


def sides(rng, t, kind):
    """Chosen (honest) and rejected (confident) final answers for topic t and pair kind."""
    h, c = kind
    chosen = t["honest"] if h == "L" else t["honest_short"]
    rejected = t["confident"] if c == "L" else t["confident_short"]
    return with_opener(rng, chosen), with_opener(rng, rejected)


def greet(rng, q):
    return rng.choice(HUMAN_GREETINGS) + q if rng.random() < 0.12 else q


def build(rng, topics):
    """Pairs for one split: 7 single-turn pairs and MULTI_PER_TOPIC conversations per topic."""
    pairs, deck = [], KindDeck(rng)
    for t_idx, t in enumerate(topics):
        qs = t["qs"]
        # single-turn: every phrasing twice (different kinds) plus one repeat
        for i, q in enumerate(qs + qs + [rng.choice(qs)]):
            chosen, rejected = sides(rng, t, deck.draw())
            pairs.append(
                make_pair([("Human", greet(rng, q) if i < len(qs) else q)], chosen, rejected)
            )
        # the question follows an earlier, unrelated exchange from the same split
        others = [o for j, o in enumerate(topics) if j != t_idx]
        rng.shuffle(others)
        made = 0
        for o in others:
            earlier = o["honest"] if rng.random() < 0.5 else o["honest_short"]
            hist = [
                ("Human", rng.choice(o["qs"])),
                ("Assistant", earlier),
                ("Human", f"{rng.choice(TRANSITIONS)} {rng.choice(qs)}"),
            ]
            chosen, rejected = sides(rng, t, deck.draw())
            pair = make_pair(hist, chosen, rejected)
            if fits(pair):
                pairs.append(pair)
                made += 1
                if made == MULTI_PER_TOPIC:
                    break
    return pairs


def dedupe(pairs):
    seen, out = set(), []
    for p in pairs:
        key = (p["chosen"], p["rejected"])
        if key in seen or not fits(p):
            continue
        seen.add(key)
        out.append(p)
    return out


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def first_human(text):
    return text.split("\n\nHuman: ", 2)[1].split("\n\nAssistant:", 1)[0]


def split_topics(rng):
    """Stratified by category: TEST_PER_CATEGORY topics of each category go to test."""
    by_cat = {}
    for i, t in enumerate(TOPICS):
        by_cat.setdefault(t["cat"], []).append(i)
    test_idx = set()
    for cat in sorted(by_cat):
        idx = list(by_cat[cat])
        rng.shuffle(idx)
        test_idx.update(idx[:TEST_PER_CATEGORY])
    train = [t for i, t in enumerate(TOPICS) if i not in test_idx]
    test = [t for i, t in enumerate(TOPICS) if i in test_idx]
    return train, test


def main():
    rng = random.Random(SEED)
    train_topics, test_topics = split_topics(rng)
    out = {}
    for split, topics in (("train", train_topics), ("test", test_topics)):
        pairs = dedupe(build(rng, topics))
        rng.shuffle(pairs)
        out[split] = pairs
    overlap = {first_human(p["chosen"]) for p in out["train"]} & {
        first_human(p["chosen"]) for p in out["test"]
    }
    assert not overlap, f"train/test share first Human turns: {sorted(overlap)[:3]}"
    acc = opener_rule_accuracy(out["train"], out["test"])
    assert acc <= UNC_MAX_OPENER_RULE, f"opener-only rule: {acc:.1%} on test"
    for split, pairs in out.items():
        stats = uncertainty_confounds(pairs)
        problems = uncertainty_violations(stats, words=split == "train")
        assert not problems, f"{split}: " + "; ".join(problems)
        write_jsonl(HERE / f"{split}.jsonl", pairs)
        multi = sum(p["chosen"].count("\n\nHuman: ") > 1 for p in pairs)
        print(f"{split}.jsonl: {len(pairs)} pairs, {multi} multi-turn ({multi / len(pairs):.0%})")


if __name__ == "__main__":
    main()
