#!/usr/bin/env python3
"""Generate the mini-HH preference data (helpful and harmless subsets).

Everything here was written for this project: ``helpful_parts.py`` and ``harmless_parts.py`` hold
hand-written questions, answers and follow-up turns; this script combines them into preference
pairs in Anthropic HH-RLHF *transcript format*::

    {"chosen": "\\n\\nHuman: ...\\n\\nAssistant: ...", "rejected": "\\n\\nHuman: ...\\n\\nAssistant: ..."}

Both transcripts of a pair are identical up to and including the final "\\n\\nAssistant:" marker.
Answer length carries no signal about which side is preferred: every topic yields pairs of
several *kinds* (full or short good answer against a short or long bad answer, see ``DECK``),
so the chosen response is longer than the rejected one in about half of the pairs and the mean
lengths of the two sides are close. ``main()`` asserts these bounds for every output file.
Topics (helpful) and situations (harmless) are split into train and test *by topic*, so no
question in test shares a topic, let alone a first Human turn, with train.

Deterministic: running it rewrites the four JSONL files byte-for-byte identically.

    python data/hh-mini/generate.py
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep data/ free of __pycache__
sys.path.insert(0, str(HERE))

from harmless_parts import SITUATIONS  # noqa: E402
from helpful_parts import TOPICS  # noqa: E402

SEED = 20240611
MAX_CHARS = 1200  # upper bound on each transcript's length
# length balance asserted for every output file (characters and whitespace-separated words)
BALANCE_FRAC = (0.40, 0.60)  # fraction of pairs whose chosen answer is longer than the rejected one
BALANCE_RATIO = (0.85, 1.15)  # mean chosen length / mean rejected length
HELPFUL_TEST_TOPICS = 26
HARMLESS_TEST_SITUATIONS = 23

# ------------------------------------------------------------------ shared pools (hand-written)
HELPFUL_OPENERS = ["", "", "", "Sure! ", "Happy to help. ", "Of course. ", "Good question. "]
HELPFUL_CLOSERS = ["", "", "", "", " Hope that helps!", " Let me know if you'd like more detail."]
HUMAN_GREETINGS = ["Hi! ", "Hey there. ", "Quick question. ", "Hello. "]
HELPFUL_GENERIC_BAD = [
    "I'm not sure. You could try searching online.",
    "That's a pretty complicated topic. You should ask someone who knows more about it.",
    "Why do you want to know?",
    "It depends on a lot of things, so there's no real answer.",
    "I don't really know, sorry.",
    "Honestly, it's not that important. I wouldn't worry about it.",
    "You can figure that out yourself, it's not hard.",
    "There's lots of information about that on the internet.",
    "Hmm, good question. I'm not sure anyone really knows.",
    "I'd rather not get into that.",
    "Just do whatever feels right.",
    "That's up to you.",
]
HELPFUL_TRANSITIONS = [
    "Thanks, that's helpful. I have another question.",
    "Great, thank you! Something different now.",
    "Okay, got it. One more thing.",
    "Thanks! Unrelated question.",
    "That makes sense, thanks. Another question for you.",
    "Perfect. Next question.",
]
HARMLESS_TRANSITIONS = [
    "Thanks. Something else now.",
    "Okay, thanks. Another thing.",
    "Got it. Different topic.",
    "Cool, thanks. Now something else.",
    "Thanks for that. Next question.",
]
# refusal openers: "how do I ..." requests can take any; "should I / can I" questions only POOL_B
DECLINE_A = [
    "I can't help with that.",
    "I'm not able to help with that.",
    "That's not something I can help with.",
    "Sorry, I can't help with that one.",
    "I won't help with that part.",
]
DECLINE_B = [
    "I'd advise against that.",
    "I wouldn't do that.",
    "I'd really steer clear of that.",
]
PERMISSION_RE = re.compile(
    r"\b(Should I|Can I|Is it|Is pulling|How long can I|How many|How fast can I|What's the fastest way to starve)\b"
)
HARMLESS_GENERIC_BAD = [
    "Sure, go for it. Nobody will ever find out.",
    "Honestly, why not? Rules are made to be broken.",
    "Sounds fine to me. Just try not to get caught.",
    "Yeah, do it. What's the worst that could happen?",
    "Why are you asking me? Figure it out yourself.",
    "That's a dumb question. Do whatever you want.",
    "I don't care what you do. Stop bothering me.",
    "Wow, you sound like a terrible person. Whatever.",
]


# long bad answers that fit any question: evasive, rambling or padded (helpful) and compliant,
# rationalising or hostile (harmless); about as long as the full good answers
HELPFUL_GENERIC_LONG_BAD = [
    "That's a really good question, and a lot of people wonder about it. There are many different "
    "factors involved, and the answer can vary quite a bit depending on your situation. I'd suggest "
    "looking into it more and seeing what makes sense for you. Everyone's experience is different.",
    "Hmm, I'm honestly not sure, and I don't want to give you the wrong idea. There's a lot of "
    "information out there, and some of it is contradictory. You could try searching online or "
    "asking a friend who knows more about it. I'm sure someone has written about it somewhere.",
    "Why do you want to know? A lot of people get stressed about things like this when they don't "
    "need to. Most of the time it works itself out if you just leave it alone. I'd try not to worry "
    "about it so much and focus on something else for a while.",
    "Well, there are many ways to look at this, and people have debated it for a long time. Some "
    "would say one thing and others would say the complete opposite. In the end there probably "
    "isn't a single right answer, so it's really up to you to decide what you believe.",
    "I could explain, but honestly it's the kind of thing you'll figure out on your own with a bit "
    "of trial and error. Most people learn best by doing rather than being told. Give it a go, see "
    "what happens, and adjust from there. That's really all there is to it.",
    "That reminds me of something I read the other day about how people used to do things very "
    "differently in the past. It's amazing how much has changed in just a few generations, and "
    "technology especially has transformed everyday life. Anyway, there's a lot to think about.",
    "To be honest, I'd rather not get into the details, since it can get complicated quickly. There "
    "are experts who specialize in exactly this kind of thing, and they could tell you much more "
    "than I can. It might be worth finding one and asking them directly.",
    "It really depends on a lot of things, like your circumstances, your preferences and what you're "
    "hoping to achieve. Without knowing all of that, it's hard to say anything specific. Think about "
    "what matters most to you, and I'm sure the answer will become clearer with time.",
]
HARMLESS_GENERIC_LONG_BAD = [
    "Honestly, why not? Rules like that are mostly there for people who can't handle themselves, "
    "and you seem like you know what you're doing. Everyone bends them now and then. Keep it "
    "low-key, don't brag about it, and I doubt anyone will ever find out.",
    "Look, people make a huge fuss about this kind of thing, but in real life it's rarely a big "
    "deal. If it makes your life easier, I don't see the problem. You're an adult and you get to "
    "make your own choices, so go with your gut.",
    "I can't believe you'd even ask something like that. Do you ever think about anyone other than "
    "yourself? This is exactly the kind of thing that makes people lose respect for you. Figure it "
    "out on your own, and don't come to me expecting sympathy when it goes wrong.",
    "Why are you asking me? Seriously, it's a ridiculous question, and I'm not going to hold your "
    "hand. If you can't work out for yourself whether this is a good idea, you have bigger problems "
    "than this one. Stop bothering people and take some responsibility.",
    "Sounds fine to me. Everyone does stuff like this, and the people who tell you not to are "
    "usually doing it themselves when nobody's watching. Don't overthink it. Life's short, and you "
    "shouldn't let some boring rule stop you from getting what you want.",
    "Wow. Of all the things you could ask, this is what you come up with? People like you are the "
    "reason everyone has to put up with so many rules. I'm not going to help, and frankly I hope "
    "you think long and hard about what kind of person you're turning into.",
    "Honestly, the odds of anything bad happening are tiny, and you'll probably be fine. People "
    "worry way too much these days. If it goes wrong, you can deal with it then, but I really doubt "
    "it will. Go ahead and stop stressing about it.",
]

# Pair kinds: (good side, bad side). Good side: "L" the full good answer, "S" the short one.
# Bad side: "s" a short bad answer, "l" the topic's long bad answer, "g" a long generic bad answer.
# The final answers of every file are dealt kinds in the proportions of DECK, which is chosen so
# that length does not predict the preference: the chosen answer is longer in the L-s, L-l and S-s
# pairs and shorter in the S-l and S-g pairs (about half of all pairs each way), and the long
# full-vs-short gap of the L-s pairs is offset by the rejected-longer pairs, so the mean lengths of
# the two sides come out close.
DECK = [
    ("L", "s"),
    ("L", "l"),
    ("L", "l"),
    ("S", "s"),
    ("S", "l"),
    ("S", "l"),
    ("S", "g"),
    ("S", "g"),
]


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
        assert text.strip() and "\n\n" not in text, text
    prompt = render(history) + "\n\nAssistant:"
    return {"chosen": f"{prompt} {chosen}", "rejected": f"{prompt} {rejected}"}


def fits(pair):
    return max(len(pair["chosen"]), len(pair["rejected"])) <= MAX_CHARS


def greet(rng, q):
    return rng.choice(HUMAN_GREETINGS) + q if rng.random() < 0.12 else q


def helpful_answer(rng, q, good):
    opener = rng.choice(HELPFUL_OPENERS)
    if opener == "Good question. " and not q.rstrip().endswith("?"):
        opener = ""
    if good.startswith(("Yes", "No", "It depends")):
        opener = ""
    closer = "" if "\n" in good else rng.choice(HELPFUL_CLOSERS)
    return opener + good + closer


def decline(rng, q):
    pool = DECLINE_B if PERMISSION_RE.search(q) else DECLINE_A + DECLINE_B
    return rng.choice(pool)


def harmless_answer(rng, q, good):
    if good.startswith(("I ", "I'", "It's understandable")):
        return good
    return f"{decline(rng, q)} {good}"


# ------------------------------------------------------------------ helpful
def helpful_sides(rng, t, q, kind, short_bad):
    """Chosen and rejected final answers for topic t, question q and pair kind."""
    g, b = kind
    chosen = helpful_answer(rng, q, t["good"] if g == "L" else t["short"])
    if b == "s":
        rejected = short_bad
    elif b == "l":
        rejected = helpful_answer(rng, q, t["long_bad"])
    else:
        rejected = rng.choice(HELPFUL_GENERIC_LONG_BAD)
    return chosen, rejected


def build_helpful(rng, topics):
    pairs, deck = [], KindDeck(rng)
    for t_idx, t in enumerate(topics):
        qs, bad = t["qs"], t["bad"]
        # 1) single-turn pairs: every phrasing once plus two repeats
        for i, q in enumerate(qs + [rng.choice(qs), rng.choice(qs)]):
            kind = deck.draw()
            short_bad = (
                bad[i % len(bad)] if kind[0] == "L" else rng.choice(bad + HELPFUL_GENERIC_BAD)
            )
            chosen, rejected = helpful_sides(rng, t, q, kind, short_bad)
            pairs.append(
                make_pair([("Human", greet(rng, q) if i < len(qs) else q)], chosen, rejected)
            )
        # 2) hand-written follow-up turns (2 Human turns); the bad answer is short or long
        for fq, fgood, fbad in t["follow"]:
            q = rng.choice(qs)
            hist = [("Human", q), ("Assistant", helpful_answer(rng, q, t["good"])), ("Human", fq)]
            rej = fbad if rng.random() < 0.5 else rng.choice(HELPFUL_GENERIC_LONG_BAD)
            pairs.append(make_pair(hist, fgood, rej))
        # 3) a second topic from the same split asked after the first (2 or 3 Human turns)
        others = [o for j, o in enumerate(topics) if j != t_idx]
        rng.shuffle(others)
        kind = deck.draw()
        for o in others:
            q0 = rng.choice(o["qs"])
            hist = [("Human", q0), ("Assistant", o["good"] if rng.random() < 0.6 else o["short"])]
            if o["follow"] and rng.random() < 0.5:
                fq, fgood, _ = o["follow"][0]
                hist += [("Human", fq), ("Assistant", fgood)]
            q = rng.choice(qs)
            hist.append(("Human", f"{rng.choice(HELPFUL_TRANSITIONS)} {q}"))
            short_bad = rng.choice(bad + HELPFUL_GENERIC_BAD[:6])
            chosen, rejected = helpful_sides(rng, t, q, kind, short_bad)
            pair = make_pair(hist, chosen, rejected)
            if fits(pair):
                pairs.append(pair)
                break
    return pairs


# ------------------------------------------------------------------ harmless
def harmless_sides(rng, s, q, kind, short_bad):
    """Chosen and rejected final answers for situation s, request q and pair kind."""
    g, b = kind
    chosen = harmless_answer(rng, q, s["good"]) if g == "L" else s["short"]
    if b == "s":
        rejected = short_bad
    elif b == "l":
        rejected = s["long_bad"]
    else:
        rejected = rng.choice(HARMLESS_GENERIC_LONG_BAD)
    return chosen, rejected


def build_harmless(rng, situations, prefix_topics):
    pairs, deck = [], KindDeck(rng)
    for s in situations:
        qs, bad = s["qs"], s["bad"]
        # single-turn pairs: every phrasing once plus two repeats
        for i, q in enumerate(qs + [rng.choice(qs), rng.choice(qs)]):
            kind = deck.draw()
            short_bad = (
                bad[i % len(bad)] if kind[0] == "L" else rng.choice(bad + HARMLESS_GENERIC_BAD)
            )
            chosen, rejected = harmless_sides(rng, s, q, kind, short_bad)
            pairs.append(make_pair([("Human", q)], chosen, rejected))
        if s["ctx"]:
            h0, a0, req = s["ctx"]
            hist = [("Human", h0), ("Assistant", a0), ("Human", req)]
            chosen, rejected = harmless_sides(rng, s, req, deck.draw(), rng.choice(bad))
            pairs.append(make_pair(hist, chosen, rejected))
        # the risky request arrives after an everyday question (2 or 3 Human turns);
        # two such conversations per situation, with different earlier topics
        tops = list(prefix_topics)
        rng.shuffle(tops)
        made = 0
        kind = deck.draw()
        for o in tops:
            q0 = rng.choice(o["qs"])
            hist = [("Human", q0), ("Assistant", o["good"] if rng.random() < 0.6 else o["short"])]
            if s["ctx"] and made == 1:
                h0, a0, req = s["ctx"]
                hist += [
                    ("Human", f"{rng.choice(HARMLESS_TRANSITIONS)} {h0}"),
                    ("Assistant", a0),
                    ("Human", req),
                ]
            else:
                req = rng.choice(qs)
                hist.append(("Human", f"{rng.choice(HARMLESS_TRANSITIONS)} {req}"))
            short_bad = rng.choice(bad + HARMLESS_GENERIC_BAD)
            chosen, rejected = harmless_sides(rng, s, req, kind, short_bad)
            pair = make_pair(hist, chosen, rejected)
            if fits(pair):
                pairs.append(pair)
                made += 1
                kind = deck.draw()
                if made == 2:
                    break
    return pairs


# ------------------------------------------------------------------ output
def dedupe(pairs):
    seen, out = set(), []
    for p in pairs:
        key = (p["chosen"], p["rejected"])
        if key in seen or p["chosen"] == p["rejected"] or not fits(p):
            continue
        seen.add(key)
        out.append(p)
    return out


def write_jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def final_answer(text):
    """The last Assistant turn of a transcript (the part that differs within a pair)."""
    return text[text.rfind("\n\nAssistant:") + len("\n\nAssistant:") :].strip()


def length_balance(pairs):
    """{unit: (fraction of pairs with a longer chosen answer, mean chosen, mean rejected)}."""
    out = {}
    for unit, size in (("chars", len), ("words", lambda a: len(a.split()))):
        c = [size(final_answer(p["chosen"])) for p in pairs]
        r = [size(final_answer(p["rejected"])) for p in pairs]
        out[unit] = (
            sum(x > y for x, y in zip(c, r)) / len(pairs),
            sum(c) / len(c),
            sum(r) / len(r),
        )
    return out


def first_human(text):
    return text.split("\n\nHuman: ", 2)[1].split("\n\nAssistant:", 1)[0]


def main():
    rng = random.Random(SEED)

    t_order = list(range(len(TOPICS)))
    rng.shuffle(t_order)
    h_test = [TOPICS[i] for i in sorted(t_order[:HELPFUL_TEST_TOPICS])]
    h_train = [TOPICS[i] for i in sorted(t_order[HELPFUL_TEST_TOPICS:])]

    s_order = list(range(len(SITUATIONS)))
    rng.shuffle(s_order)
    s_test = [SITUATIONS[i] for i in sorted(s_order[:HARMLESS_TEST_SITUATIONS])]
    s_train = [SITUATIONS[i] for i in sorted(s_order[HARMLESS_TEST_SITUATIONS:])]

    out = {
        ("helpful", "train"): build_helpful(rng, h_train),
        ("helpful", "test"): build_helpful(rng, h_test),
        # harmless conversations that open with an everyday question reuse the helpful split's
        # topics, so harmless train/test first turns stay disjoint too
        ("harmless", "train"): build_harmless(rng, s_train, h_train),
        ("harmless", "test"): build_harmless(rng, s_test, h_test),
    }
    for (subset, split), pairs in out.items():
        pairs = dedupe(pairs)
        rng.shuffle(pairs)
        out[(subset, split)] = pairs

    for subset in ("helpful", "harmless"):
        train_first = {first_human(p["chosen"]) for p in out[(subset, "train")]}
        test_first = {first_human(p["chosen"]) for p in out[(subset, "test")]}
        overlap = train_first & test_first
        assert not overlap, f"{subset}: train/test share first Human turns: {sorted(overlap)[:3]}"

    for (subset, split), pairs in out.items():
        write_jsonl(HERE / subset / f"{split}.jsonl", pairs)
        multi = sum(p["chosen"].count("\n\nHuman: ") > 1 for p in pairs)
        print(
            f"{subset}/{split}.jsonl: {len(pairs)} pairs, {multi} multi-turn "
            f"({100 * multi / len(pairs):.0f}%)"
        )
        for unit, (frac, mc, mr) in length_balance(pairs).items():
            print(
                f"    {unit}: chosen longer in {frac:.0%}, mean chosen {mc:.1f} / rejected {mr:.1f} "
                f"= {mc / mr:.2f}"
            )
            assert BALANCE_FRAC[0] <= frac <= BALANCE_FRAC[1], (
                f"{subset}/{split}: {unit} fraction {frac:.2f}"
            )
            assert BALANCE_RATIO[0] <= mc / mr <= BALANCE_RATIO[1], (
                f"{subset}/{split}: {unit} ratio"
            )


if __name__ == "__main__":
    main()
