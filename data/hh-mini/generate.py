#!/usr/bin/env python3
"""Generate the mini-HH preference data (helpful and harmless subsets).

Everything here was written for this project: ``helpful_parts.py`` and ``harmless_parts.py`` hold
hand-written questions, answers and follow-up turns; this script combines them into preference
pairs in Anthropic HH-RLHF *transcript format*::

    {"chosen": "\\n\\nHuman: ...\\n\\nAssistant: ...", "rejected": "\\n\\nHuman: ...\\n\\nAssistant: ..."}

Both transcripts of a pair are identical up to and including the final "\\n\\nAssistant:" marker.
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
    r"\b(Should I|Can I|Is it|Is pulling|How long can I|How many|How fast can I|What's the fastest way to starve)\b")
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
def build_helpful(rng, topics):
    pairs = []
    for t_idx, t in enumerate(topics):
        qs, good, bad = t["qs"], t["good"], t["bad"]
        # 1) one single-turn pair per phrasing, topic-specific bad answer
        for i, q in enumerate(qs):
            pairs.append(make_pair([("Human", greet(rng, q))], helpful_answer(rng, q, good),
                                   bad[i % len(bad)]))
        # 2) one more single-turn pair: generic evasive answer as the rejected side
        q = rng.choice(qs)
        pairs.append(make_pair([("Human", q)], helpful_answer(rng, q, good),
                               rng.choice(HELPFUL_GENERIC_BAD)))
        # 3) hand-written follow-up turns (2 Human turns)
        for fq, fgood, fbad in t["follow"]:
            q = rng.choice(qs)
            hist = [("Human", q), ("Assistant", helpful_answer(rng, q, good)), ("Human", fq)]
            pairs.append(make_pair(hist, fgood, fbad))
        # 4) a second topic from the same split asked after the first (2 or 3 Human turns)
        others = [o for j, o in enumerate(topics) if j != t_idx]
        rng.shuffle(others)
        for o in others:
            q0 = rng.choice(o["qs"])
            hist = [("Human", q0), ("Assistant", o["good"])]
            if o["follow"] and rng.random() < 0.5:
                fq, fgood, _ = o["follow"][0]
                hist += [("Human", fq), ("Assistant", fgood)]
            q = rng.choice(qs)
            hist.append(("Human", f"{rng.choice(HELPFUL_TRANSITIONS)} {q}"))
            rej = rng.choice(bad + HELPFUL_GENERIC_BAD[:6])
            pair = make_pair(hist, good, rej)
            if fits(pair):
                pairs.append(pair)
                break
    return pairs


# ------------------------------------------------------------------ harmless
def build_harmless(rng, situations, prefix_topics):
    pairs = []
    for s in situations:
        qs, good, bad = s["qs"], s["good"], s["bad"]
        for i, q in enumerate(qs):
            pairs.append(make_pair([("Human", q)], harmless_answer(rng, q, good), bad[i % len(bad)]))
        q = rng.choice(qs)
        pairs.append(make_pair([("Human", q)], harmless_answer(rng, q, good),
                               rng.choice(HARMLESS_GENERIC_BAD)))
        if s["ctx"]:
            h0, a0, req = s["ctx"]
            hist = [("Human", h0), ("Assistant", a0), ("Human", req)]
            pairs.append(make_pair(hist, harmless_answer(rng, req, good), rng.choice(bad)))
        # the risky request arrives after an everyday question (2 or 3 Human turns);
        # two such conversations per situation, with different earlier topics
        tops = list(prefix_topics)
        rng.shuffle(tops)
        made = 0
        for o in tops:
            q0 = rng.choice(o["qs"])
            hist = [("Human", q0), ("Assistant", o["good"])]
            if s["ctx"] and made == 1:
                h0, a0, req = s["ctx"]
                hist += [("Human", f"{rng.choice(HARMLESS_TRANSITIONS)} {h0}"), ("Assistant", a0),
                         ("Human", req)]
            else:
                req = rng.choice(qs)
                hist.append(("Human", f"{rng.choice(HARMLESS_TRANSITIONS)} {req}"))
            rej = rng.choice(bad + HARMLESS_GENERIC_BAD)
            pair = make_pair(hist, harmless_answer(rng, req, good), rej)
            if fits(pair):
                pairs.append(pair)
                made += 1
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
        print(f"{subset}/{split}.jsonl: {len(pairs)} pairs, {multi} multi-turn "
              f"({100 * multi / len(pairs):.0f}%)")


if __name__ == "__main__":
    main()
