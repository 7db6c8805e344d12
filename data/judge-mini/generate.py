#!/usr/bin/env python3
"""Generate judge-mini: preference pairs for training and validating the reward-model judges.

Two subsets, each with a ``train.jsonl`` and a ``validation.jsonl``:

- ``harmless/``: risky requests; chosen = a refusal (short or long, bare, with a reason, with a
  redirect first or last, prose or bullets); rejected = a compliant reply (``refusal_vs_compliant``)
  or degenerate text: shuffled, repeated or garbled words (``refusal_vs_degenerate``).
- ``helpful/``: everyday questions with a short checkable answer; chosen = the correct answer
  (short or with one more sentence); rejected = a refusal (``answer_vs_refusal``), an evasion
  (``answer_vs_evasion``), the same sentence with a wrong fact (``answer_vs_wrong``) or the
  correct answer cut off before its key fact (``answer_vs_truncated``).

Train pairs use only ``train_parts.py`` (template family A), validation pairs only
``valid_parts.py`` (family B): other topics, prompts, templates and structures, so that a judge
cannot pass validation by recognising one writer's style. Records are TRL-style
``{"prompt", "chosen", "rejected", "kind"}``; the qadapter loader reads the first three and
ignores ``kind`` (its origin ``file:line`` finds the record again).

Before writing, ``main()`` asserts the sizes, that every kind is in both splits, the key-fact
rules of the helpful answers, and that no prompt is an exact or near duplicate (``overlap.py``)
of a prompt of any bundled set or of the other split. Deterministic (seed ``SEED``): running it
rewrites the four files byte for byte.

    python data/judge-mini/generate.py
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

import train_parts  # noqa: E402
import valid_parts  # noqa: E402
from overlap import bundled_prompts, collisions  # noqa: E402

SEED = 20261208
FAMILIES = {"train": train_parts, "validation": valid_parts}
HARMLESS_KINDS = ("refusal_vs_compliant", "refusal_vs_degenerate")
HELPFUL_KINDS = ("answer_vs_refusal", "answer_vs_evasion", "answer_vs_wrong", "answer_vs_truncated")
MIN_PAIRS = {"train": 300, "validation": 100}
ARITH_ITEMS = {"train": 6, "validation": 3}  # generated items per ARITH template
# pairs per risky topic: per phrasing (the hand-written ask, then a framed task), the kinds
HARMLESS_PLAN = {
    "train": [("C", "C", "D"), ("C", "C", "D")],
    "validation": [("C", "C", "D"), ("C", "D")],
}
SIZES = [("S", "S"), ("S", "L"), ("L", "S"), ("L", "L")]  # (chosen, rejected) length classes


class Deck:
    """Deals SIZES in shuffled rounds, so each kind gets every length combination equally."""

    def __init__(self, rng: random.Random):
        self.rng, self.cards = rng, []

    def draw(self) -> tuple[str, str]:
        if not self.cards:
            self.cards = list(SIZES)
            self.rng.shuffle(self.cards)
        return self.cards.pop()


def lc(text: str) -> str:
    """First letter lower-cased, unless the text starts with the pronoun I."""
    return text if re.match(r"I\b", text) else text[:1].lower() + text[1:]


def dress(opener: str, text: str) -> str:
    """``opener + text``; after a comma opener ("Well, ") the text goes on in lower case."""
    return opener + (lc(text) if opener.endswith(", ") else text)


def fill(template: str, fields: dict) -> str:
    out = template.format(**fields)
    assert "{" not in out and "}" not in out, out
    return out


# ------------------------------------------------------------------ harmless
def risky_fields(rng, item, parts) -> dict:
    ask, task, why, alt, gist = item
    s1, s2 = rng.sample(parts.GENERIC_STEPS, 2)
    fields = {"task": task, "why": why, "alt": alt, "gist": gist}
    fields.update({"g1": s1, "g2": s2, "h1": s1, "h2": s2})
    fields.update({f"{k}_lc": lc(v) for k, v in list(fields.items())})
    return fields


def degenerate(rng, op: str, source: str, target_words: int, parts) -> str:
    """Degenerate text of about ``target_words`` words made from ``source`` by ``op``."""
    words = source.split()
    if op == "shuffle":  # every word of the source, in random order
        out = list(words)
        rng.shuffle(out)
    elif op == "repeat_word":  # one word of the source, over and over
        pool = [w.strip(".,:;!?") for w in words if len(w.strip(".,:;!?")) >= 4] or words
        out = [rng.choice(pool)] * target_words
    elif op == "loop":  # a three-word phrase of the source, looped
        start = rng.randrange(max(1, len(words) - 3))
        phrase = words[start : start + 3]
        out = (phrase * (target_words // len(phrase) + 1))[:target_words]
    elif op == "stutter":  # every word twice, cut off mid-way
        out = [w for w in words for _ in range(2)][: max(4, target_words)]
    elif op == "swap":  # neighbouring words swapped pairwise
        out = list(words)
        for i in range(0, len(out) - 1, 2):
            out[i], out[i + 1] = out[i + 1], out[i]
    elif op in ("gibberish", "noise"):  # made-up syllable words
        n = max(4, int(target_words * rng.uniform(0.5, 1.0)))
        syl = parts.SYLLABLES
        out = ["".join(rng.choice(syl) for _ in range(rng.randint(1, 3))) for _ in range(n)]
        if op == "noise":
            out = [w + rng.choice(["", "", ",", "-", "..."]) for w in out]
    else:
        raise AssertionError(op)
    text = " ".join(out)
    if op in ("gibberish", "noise", "stutter"):  # truncated mid-word
        text = text[: max(8, len(text) - rng.randint(1, 4))]
    return text


def build_harmless(rng, split: str, parts) -> list[dict]:
    rows, deck = [], Deck(rng)
    ops = list(parts.DEGENERATE_OPS)
    op_i = 0
    for item in parts.RISKY:
        framed = fill(rng.choice(parts.RISKY_FRAMES), {"task": item[1]})
        prompts = [item[0], framed]
        assert framed != item[0], framed
        for prompt, plan in zip(prompts, HARMLESS_PLAN[split]):
            for code in plan:
                f = risky_fields(rng, item, parts)
                c_size, r_size = deck.draw()
                pool = parts.REFUSAL_SHORT if c_size == "S" else parts.REFUSAL_LONG
                chosen = fill(rng.choice(pool), f)
                if code == "C":
                    pool = parts.COMPLY_SHORT if r_size == "S" else parts.COMPLY_LONG
                    rejected, kind = fill(rng.choice(pool), f), "refusal_vs_compliant"
                else:
                    op = ops[op_i % len(ops)]
                    op_i += 1
                    comply = fill(rng.choice(parts.COMPLY_SHORT + parts.COMPLY_LONG), f)
                    source = chosen if rng.random() < 0.5 else comply
                    if len(source.split()) < 6:
                        source = comply
                    n = max(6, len(chosen.split()) + rng.randint(-2, 3))
                    rejected = degenerate(rng, op, source, n, parts)
                    while rejected in (source, chosen):  # a shuffle can leave the order as is
                        rejected = degenerate(rng, op, source, n, parts)
                    kind = "refusal_vs_degenerate"
                rows.append(row(prompt, chosen, rejected, kind))
    return rows


# ------------------------------------------------------------------ helpful
def arith_items(rng, split: str, parts) -> list[tuple]:
    """(question, answer, key, wrong, more) for the family's generated ARITH templates."""
    items = []
    for question, answer, more, op in parts.ARITH:
        seen = set()
        while len(seen) < ARITH_ITEMS[split]:
            if op == "mul":
                a, b = rng.randint(6, 19), rng.randint(3, 9)
                c, w = a * b, a * b + rng.choice([-a, a, 10, -10])
            elif op == "add":
                a, b = rng.randint(23, 89), rng.randint(14, 68)
                c, w = a + b, a + b + rng.choice([-10, 10, 1, -1])
            elif op == "sub":
                a, b = rng.randint(41, 97), rng.randint(12, 39)
                c, w = a - b, a - b + rng.choice([-10, 10, 2, -2])
            elif op == "m_cm":
                a = rng.randint(2, 12)
                b, c, w = 0, 100 * a, 10 * a
            elif op == "h_min":
                a = rng.randint(2, 12)
                b, c, w = 0, 60 * a, 100 * a
            else:
                raise AssertionError(op)
            if (a, b) in seen:
                continue
            seen.add((a, b))
            v = {"a": a, "b": b, "c": c}
            wrong_v = dict(v, c=w)
            items.append(
                (fill(question, v), fill(answer, v), str(c), fill(answer, wrong_v), fill(more, v))
            )
    return items


def has_key(text: str, key: str) -> bool:
    return re.search(rf"(?<![\w.,]){re.escape(key)}(?![\w]|[.,]\d)", text, re.I) is not None


def truncate(rng, text: str, key: str, split: str) -> str:
    """``text`` cut off before its key fact (family A: right before it; family B: one or two
    words earlier, ending in half a word)."""
    m = re.search(rf"(?<![\w.,]){re.escape(key)}(?![\w]|[.,]\d)", text, re.I)
    words = text[: m.start()].split()
    assert len(words) >= 3, (text, key)
    if split == "train":
        return " ".join(words).rstrip(",:;")
    drop = rng.randint(1, min(2, len(words) - 2))
    head, nxt = words[:-drop], words[-drop]
    return " ".join(head + [nxt[: max(1, len(nxt) // 2)]])


def build_helpful(rng, split: str, parts) -> list[dict]:
    rows, deck = [], Deck(rng)
    items = list(parts.BENIGN) + arith_items(rng, split, parts)
    for q, answer, key, wrong, more in items:
        assert has_key(answer, key) and not has_key(wrong, key), (answer, wrong, key)
        assert len(answer[: answer.lower().find(key.lower())].split()) >= 3, (answer, key)
        for kind in HELPFUL_KINDS:
            frame = rng.choice(parts.BENIGN_FRAMES)
            prompt = fill(frame, {"q": q, "q_lc": lc(q)})
            c_size, r_size = deck.draw()
            opener, closer = rng.choice(parts.OPENERS), rng.choice(parts.CLOSERS)
            # a wrong answer is compared with the right one in the same words and dressing
            body = answer if c_size == "S" or kind == "answer_vs_wrong" else f"{answer} {more}"
            chosen = dress(opener, body) + closer
            if kind == "answer_vs_wrong":  # the same dressing, a wrong fact
                rejected = dress(opener, wrong) + closer
            elif kind == "answer_vs_truncated":
                rejected = truncate(rng, dress(opener, body), key, split)
            elif kind == "answer_vs_refusal":
                pool = parts.HELP_REFUSALS_SHORT if r_size == "S" else parts.HELP_REFUSALS_LONG
                rejected = dress(rng.choice(parts.OPENERS), rng.choice(pool))
            else:
                pool = parts.EVASIONS_SHORT if r_size == "S" else parts.EVASIONS_LONG
                evasion = dress(rng.choice(parts.OPENERS), rng.choice(pool))
                rejected = evasion + rng.choice(parts.CLOSERS)
            if kind != "answer_vs_truncated":
                assert not has_key(rejected, key), (rejected, key)
            rows.append(row(prompt, chosen, rejected, kind))
    return rows


# ------------------------------------------------------------------ output and checks
def row(prompt: str, chosen: str, rejected: str, kind: str) -> dict:
    assert prompt.strip() and chosen.strip() and rejected.strip() and chosen != rejected
    return {"prompt": prompt, "chosen": chosen, "rejected": rejected, "kind": kind}


def dedupe(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        k = (r["prompt"], r["chosen"], r["rejected"])
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def length_stats(rows: list[dict], kinds) -> dict:
    """{kind: (pairs, mean chosen chars, mean rejected chars, share with a longer chosen)}."""
    out = {}
    for kind in kinds:
        rs = [r for r in rows if r["kind"] == kind]
        c = [len(r["chosen"]) for r in rs]
        j = [len(r["rejected"]) for r in rs]
        longer = sum(x > y for x, y in zip(c, j)) / len(rs)
        out[kind] = (len(rs), sum(c) / len(rs), sum(j) / len(rs), longer)
    return out


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def build() -> dict:
    """{(subset, split): rows}, shuffled, checked."""
    rng = random.Random(SEED)
    out = {}
    for split, parts in FAMILIES.items():
        for subset, builder, kinds in (
            ("harmless", build_harmless, HARMLESS_KINDS),
            ("helpful", build_helpful, HELPFUL_KINDS),
        ):
            rows = dedupe(builder(rng, split, parts))
            rng.shuffle(rows)
            assert len(rows) >= MIN_PAIRS[split], (subset, split, len(rows))
            assert {r["kind"] for r in rows} == set(kinds), (subset, split)
            out[subset, split] = rows
    prompts = {key: sorted({r["prompt"] for r in rows}) for key, rows in out.items()}
    bundled = bundled_prompts(HERE.parent)
    for key, ps in prompts.items():
        hits = collisions(ps, bundled)
        assert not hits, f"{key}: {len(hits)} prompt(s) overlap bundled data, e.g. {hits[:3]}"
    for subset in ("harmless", "helpful"):
        valid = {f"judge-mini/{subset}/train": prompts[subset, "train"]}
        hits = collisions(prompts[subset, "validation"], valid)
        assert not hits, f"{subset}: validation prompts overlap train, e.g. {hits[:3]}"
    return out


def main() -> int:
    out = build()
    for (subset, split), rows in out.items():
        write_jsonl(HERE / subset / f"{split}.jsonl", rows)
        kinds = HARMLESS_KINDS if subset == "harmless" else HELPFUL_KINDS
        n_prompts = len({r["prompt"] for r in rows})
        print(f"{subset}/{split}.jsonl: {len(rows)} pairs, {n_prompts} distinct prompts")
        for kind, (n, c, j, longer) in length_stats(rows, kinds).items():
            print(f"  {kind:<22} {n:>4}  chars chosen {c:6.1f}  rejected {j:6.1f}  ", end="")
            print(f"chosen longer {longer:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
