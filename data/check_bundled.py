#!/usr/bin/env python3
"""Validate the bundled offline datasets under data/ (standard library only).

    python data/check_bundled.py            # exit status 0 when everything passes

Checks: every line parses as JSON (valid UTF-8), required fields and types, minimum sizes, HH
transcripts split into well-formed Human/Assistant turns with no empty turns, chosen and rejected
identical up to and including the final "\\n\\nAssistant:" marker, at least 15% multi-turn pairs,
transcript length, length balance of the final answers (so that answer length does not predict which
side is chosen; checked in characters and in whitespace-separated words), train/test disjointness of first Human turns, no duplicate records, multiple
choice answer indices in range, arithmetic answers recomputed from the worked solutions, prose
length, and the lm-eval YAMLs pointing at files that exist (paths relative to the repo root).
For uncertainty-mini it also bounds the surface cues a reward model could learn instead of the
preference (length, openers, hedge/certainty markers, one-sided words; see its README).
For judge-mini: fields, sizes, every pair kind in both splits, no duplicates, no prompt in both
splits (its near-duplicate checks are in data/judge-mini/overlap.py and its test).
"""

from __future__ import annotations

import json
import re
import sys
from math import log
from pathlib import Path

DATA = Path(__file__).resolve().parent
ROOT = DATA.parent

MIN_HH = {
    ("helpful", "train"): 320,
    ("helpful", "test"): 110,
    ("harmless", "train"): 320,
    ("harmless", "test"): 110,
}
MIN_MULTI_TURN = 0.15
MAX_TRANSCRIPT_CHARS = 1200
# length balance of the final Assistant turns, per HH file, in characters and in words
BALANCE_FRAC = (0.40, 0.60)  # fraction of pairs whose chosen answer is longer than the rejected one
BALANCE_RATIO = (0.85, 1.15)  # mean chosen length / mean rejected length
MIN_MC, MIN_ARITH, MIN_PROSE = 160, 220, 65
MIN_FACTS = 400  # the paired margin measure wants several hundred items (with mc: 645)

errors: list[str] = []


def fail(msg: str) -> None:
    errors.append(msg)


def load_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        fail(f"{path}: missing")
        return []
    rows = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path}: not valid UTF-8 ({e})")
        return []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            fail(f"{path}:{n}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            fail(f"{path}:{n}: invalid JSON ({e})")
            continue
        if not isinstance(obj, dict):
            fail(f"{path}:{n}: not a JSON object")
            continue
        rows.append(obj)
    return rows


def check_fields(path: Path, rows: list[dict], spec: dict) -> None:
    for n, r in enumerate(rows, 1):
        if set(r) != set(spec):
            fail(f"{path}:{n}: fields {sorted(r)} != {sorted(spec)}")
            continue
        for key, typ in spec.items():
            val = r[key]
            if typ is int:
                ok = isinstance(val, int) and not isinstance(val, bool)
            else:
                ok = isinstance(val, typ)
            if not ok:
                fail(f"{path}:{n}: field {key!r} should be {typ.__name__}")
            elif isinstance(val, str) and not val.strip():
                fail(f"{path}:{n}: field {key!r} is empty")


# ------------------------------------------------------------------ HH transcripts
TURN_RE = re.compile(r"\n\n(Human|Assistant): ")


def parse_transcript(text: str) -> list[tuple[str, str]] | None:
    """Split an HH transcript into (role, text) turns; None when malformed."""
    if not text.startswith("\n\nHuman: "):
        return None
    parts = TURN_RE.split(text)
    # parts = ['', role, text, role, text, ...]
    if parts[0] != "" or len(parts) % 2 != 1:
        return None
    turns = [(parts[i], parts[i + 1]) for i in range(1, len(parts), 2)]
    for i, (role, _) in enumerate(turns):
        if role != ("Human" if i % 2 == 0 else "Assistant"):
            return None
    if turns[-1][0] != "Assistant":
        return None
    return turns


def check_length_balance(path: Path, lengths: dict) -> dict:
    """Fail when the final answers' length predicts the preference; return the statistics."""
    stats = {}
    for unit, pairs in lengths.items():
        if not pairs:
            continue
        frac = sum(c > r for c, r in pairs) / len(pairs)
        mean_c = sum(c for c, _ in pairs) / len(pairs)
        mean_r = sum(r for _, r in pairs) / len(pairs)
        ratio = mean_c / mean_r if mean_r else float("inf")
        stats[unit] = (frac, mean_c, mean_r, ratio)
        if not BALANCE_FRAC[0] <= frac <= BALANCE_FRAC[1]:
            fail(
                f"{path}: chosen answer longer ({unit}) in {frac:.1%} of pairs, outside "
                f"{BALANCE_FRAC[0]:.0%}-{BALANCE_FRAC[1]:.0%}: length would predict the preference"
            )
        if not BALANCE_RATIO[0] <= ratio <= BALANCE_RATIO[1]:
            fail(
                f"{path}: mean chosen/rejected answer length ({unit}) {mean_c:.1f}/{mean_r:.1f} = "
                f"{ratio:.2f}, outside {BALANCE_RATIO[0]}-{BALANCE_RATIO[1]}"
            )
    return stats


def check_hh() -> dict:
    counts = {}
    first_turns = {}
    for (subset, split), minimum in MIN_HH.items():
        path = DATA / "hh-mini" / subset / f"{split}.jsonl"
        rows = load_jsonl(path)
        check_fields(path, rows, {"chosen": str, "rejected": str})
        counts[(subset, split)] = len(rows)
        if len(rows) < minimum:
            fail(f"{path}: {len(rows)} pairs < required {minimum}")
        seen, multi, firsts = set(), 0, set()
        lengths = {"chars": [], "words": []}  # (chosen, rejected) lengths of the final answers
        for n, r in enumerate(rows, 1):
            c, j = r.get("chosen"), r.get("rejected")
            if not (isinstance(c, str) and isinstance(j, str)):
                continue
            where = f"{path}:{n}"
            if c == j:
                fail(f"{where}: chosen == rejected")
            if (c, j) in seen:
                fail(f"{where}: duplicate pair")
            seen.add((c, j))
            for name, t in (("chosen", c), ("rejected", j)):
                if len(t) > MAX_TRANSCRIPT_CHARS:
                    fail(f"{where}: {name} is {len(t)} chars (> {MAX_TRANSCRIPT_CHARS})")
            tc, tj = parse_transcript(c), parse_transcript(j)
            if tc is None or tj is None:
                fail(f"{where}: transcript does not parse into alternating Human/Assistant turns")
                continue
            for role, txt in tc + tj:
                if not txt.strip() or txt != txt.strip():
                    fail(f"{where}: empty or badly spaced {role} turn")
            if len(tc) != len(tj) or tc[:-1] != tj[:-1]:
                fail(f"{where}: chosen and rejected differ before the last Assistant turn")
            cut_c, cut_j = c.rfind("\n\nAssistant:"), j.rfind("\n\nAssistant:")
            marker = len("\n\nAssistant:")
            if c[: cut_c + marker] != j[: cut_j + marker]:
                fail(f"{where}: prefixes up to the last '\\n\\nAssistant:' differ")
            if tc[-1][1] == tj[-1][1]:
                fail(f"{where}: final Assistant turns are identical")
            lengths["chars"].append((len(tc[-1][1]), len(tj[-1][1])))
            lengths["words"].append((len(tc[-1][1].split()), len(tj[-1][1].split())))
            if sum(role == "Human" for role, _ in tc) > 1:
                multi += 1
            firsts.add(tc[0][1])
        if rows and multi / len(rows) < MIN_MULTI_TURN:
            fail(f"{path}: only {multi}/{len(rows)} multi-turn pairs (< {MIN_MULTI_TURN:.0%})")
        counts[(subset, split, "multi")] = multi
        counts[(subset, split, "balance")] = check_length_balance(path, lengths)
        first_turns[(subset, split)] = firsts
    for subset in ("helpful", "harmless"):
        overlap = first_turns[(subset, "train")] & first_turns[(subset, "test")]
        if overlap:
            fail(
                f"hh-mini/{subset}: {len(overlap)} first Human turns appear in both train and test, "
                f"e.g. {sorted(overlap)[0]!r}"
            )
    return counts


# ------------------------------------------------------------------ uncertainty-mini
# Calibrated answers (chosen) against confident guesses (rejected). Besides the checks of the HH
# files above, the surface cues a reward model could learn instead of the preference are measured
# on the final Assistant turns and bounded (see data/uncertainty-mini/README.md):
MIN_UNCERTAINTY = {"train": 330, "test": 110}
UNC_MULTI_TURN = (0.20, 0.30)
UNC_FRAC = (0.45, 0.55)  # fraction of pairs whose chosen answer is longer (chars, and words)
UNC_RATIO = (0.95, 1.05)  # mean chosen length / mean rejected length (chars, and words)
UNC_MAX_OPENER_GAP = 0.15  # max |P(opener | chosen) - P(opener | rejected)|, first 1 and 2 words
UNC_MIN_RATE = 0.10  # train: a word in >= 10% of one side's answers must occur on the other side
UNC_MAX_OPENER_RULE = 0.70  # held-out accuracy of the best opener-only rule (chance is 0.50)
# hedging and certainty markers: each one that occurs in the file must occur on both sides
UNC_MARKERS = (
    "maybe", "might", "probably", "perhaps", "likely", "i think", "i'd say", "not sure",
    "depends", "roughly", "about", "around", "usually", "often", "honestly", "guess", "check",
    "exactly", "always", "never", "definitely", "sure", "can't", "don't know", "no way",
)  # fmt: skip
WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def final_answer(text: str) -> str:
    """The last Assistant turn of an HH transcript (the part that differs within a pair)."""
    return text[text.rfind("\n\nAssistant:") + len("\n\nAssistant:") :].strip()


def opener(answer: str, n: int) -> str:
    """The first n words of an answer, lowercased, without punctuation."""
    return " ".join(WORD_RE.findall(answer.lower())[:n])


def has_marker(answer: str, marker: str) -> bool:
    return re.search(rf"(?<![a-z']){re.escape(marker)}(?![a-z'])", answer.lower()) is not None


def uncertainty_confounds(pairs: list[dict]) -> dict:
    """Surface statistics of the final answers of {"chosen", "rejected"} pairs.

    Returns {"length": {unit: (frac chosen longer, mean chosen, mean rejected)},
    "opener": {n: (gap, opener, rate chosen, rate rejected)} for the opener of n words with the
    largest gap, "markers": {marker: (rate chosen, rate rejected)} (rates are fractions of pairs),
    "one_sided": [(word, side, rate)] words in >= UNC_MIN_RATE of one side and none of the other}.
    """
    c = [final_answer(p["chosen"]) for p in pairs]
    r = [final_answer(p["rejected"]) for p in pairs]
    n = len(pairs)
    out = {"length": {}, "opener": {}, "markers": {}, "one_sided": []}
    for unit, size in (("chars", len), ("words", lambda a: len(a.split()))):
        lc, lr = [size(a) for a in c], [size(a) for a in r]
        out["length"][unit] = (sum(x > y for x, y in zip(lc, lr)) / n, sum(lc) / n, sum(lr) / n)
    for k in (1, 2):
        oc, orj = [opener(a, k) for a in c], [opener(a, k) for a in r]
        gaps = [
            (abs(oc.count(o) - orj.count(o)) / n, o, oc.count(o) / n, orj.count(o) / n)
            for o in sorted(set(oc) | set(orj))
        ]
        out["opener"][k] = max(gaps)
    for m in UNC_MARKERS:
        rc = sum(has_marker(a, m) for a in c) / n
        rr = sum(has_marker(a, m) for a in r) / n
        out["markers"][m] = (rc, rr)
    wc = [set(WORD_RE.findall(a.lower())) for a in c]
    wr = [set(WORD_RE.findall(a.lower())) for a in r]
    for side, mine, other in (("chosen", wc, wr), ("rejected", wr, wc)):
        theirs = set().union(*other)
        for w in sorted(set().union(*mine) - theirs):
            rate = sum(w in s for s in mine) / n
            if rate >= UNC_MIN_RATE:
                out["one_sided"].append((w, side, rate))
    return out


def uncertainty_violations(stats: dict, *, words: bool = True) -> list[str]:
    """What in uncertainty_confounds(...) breaks the bounds above (empty when all hold); the
    one-sided word bound only with ``words`` (it is applied to the train file: the test file's 15
    topics are too few for whole-vocabulary rates to mean much, see the data card)."""
    bad = []
    for unit, (frac, mc, mr) in stats["length"].items():
        if not UNC_FRAC[0] <= frac <= UNC_FRAC[1]:
            bad.append(f"chosen longer ({unit}) in {frac:.1%} of pairs, outside {UNC_FRAC}")
        if not UNC_RATIO[0] <= mc / mr <= UNC_RATIO[1]:
            bad.append(f"mean length ratio ({unit}) {mc:.1f}/{mr:.1f} = {mc / mr:.3f}")
    for k, (gap, o, rc, rr) in stats["opener"].items():
        if gap >= UNC_MAX_OPENER_GAP:
            bad.append(f"opener {o!r} ({k} words) on {rc:.1%} chosen vs {rr:.1%} rejected")
    for m, (rc, rr) in stats["markers"].items():
        if (rc > 0) != (rr > 0):
            bad.append(f"marker {m!r} on {rc:.1%} of chosen but {rr:.1%} of rejected answers")
    for w, side, rate in stats["one_sided"] if words else []:
        bad.append(f"word {w!r} in {rate:.1%} of {side} answers and never on the other side")
    return bad


def opener_rule_accuracy(train: list[dict], test: list[dict], k: int = 2) -> float:
    """Held-out accuracy of the best opener-only rule: learn from train how often each k-word
    opener is on the chosen vs rejected side (add-one smoothing), then on each test pair pick the
    side whose opener has the higher chosen log-odds (ties count one half)."""
    cc, cr = {}, {}
    for p in train:
        oc, orj = opener(final_answer(p["chosen"]), k), opener(final_answer(p["rejected"]), k)
        cc[oc] = cc.get(oc, 0) + 1
        cr[orj] = cr.get(orj, 0) + 1

    def score(o: str) -> float:
        return log((cc.get(o, 0) + 1) / (cr.get(o, 0) + 1))

    right = 0.0
    for p in test:
        sc = score(opener(final_answer(p["chosen"]), k))
        sr = score(opener(final_answer(p["rejected"]), k))
        right += 1.0 if sc > sr else 0.5 if sc == sr else 0.0
    return right / len(test)


def check_uncertainty() -> dict:
    """uncertainty-mini: HH format checks, sizes, multi-turn share, disjointness, confounds."""
    out, firsts = {}, {}
    for split, minimum in MIN_UNCERTAINTY.items():
        path = DATA / "uncertainty-mini" / f"{split}.jsonl"
        rows = load_jsonl(path)
        check_fields(path, rows, {"chosen": str, "rejected": str})
        if len(rows) < minimum:
            fail(f"{path}: {len(rows)} pairs < required {minimum}")
        seen, multi, first = set(), 0, set()
        for n, r in enumerate(rows, 1):
            c, j = r.get("chosen"), r.get("rejected")
            if not (isinstance(c, str) and isinstance(j, str)):
                continue
            where = f"{path}:{n}"
            if (c, j) in seen:
                fail(f"{where}: duplicate pair")
            seen.add((c, j))
            tc, tj = parse_transcript(c), parse_transcript(j)
            if tc is None or tj is None:
                fail(f"{where}: transcript does not parse into alternating Human/Assistant turns")
                continue
            if max(len(c), len(j)) > MAX_TRANSCRIPT_CHARS:
                fail(f"{where}: transcript longer than {MAX_TRANSCRIPT_CHARS} chars")
            if any(not t.strip() or t != t.strip() for _, t in tc + tj):
                fail(f"{where}: empty or badly spaced turn")
            if len(tc) != len(tj) or tc[:-1] != tj[:-1] or tc[-1][1] == tj[-1][1]:
                fail(f"{where}: chosen and rejected must differ only in the last Assistant turn")
            multi += sum(role == "Human" for role, _ in tc) > 1
            first.add(tc[0][1])
        share = multi / len(rows) if rows else 0.0
        if not UNC_MULTI_TURN[0] <= share <= UNC_MULTI_TURN[1]:
            fail(f"{path}: multi-turn share {share:.1%} outside {UNC_MULTI_TURN}")
        pairs = [r for r in rows if isinstance(r.get("chosen"), str)]
        stats = uncertainty_confounds(pairs) if pairs else None
        for problem in uncertainty_violations(stats, words=split == "train") if stats else []:
            fail(f"{path}: {problem}")
        out[split] = (len(rows), multi, stats, pairs)
        firsts[split] = first
    overlap = firsts["train"] & firsts["test"]
    if overlap:
        fail(f"uncertainty-mini: {len(overlap)} first Human turns in both train and test")
    if out["train"][3] and out["test"][3]:
        acc = opener_rule_accuracy(out["train"][3], out["test"][3])
        out["opener_rule"] = acc
        if acc > UNC_MAX_OPENER_RULE:
            fail(
                f"uncertainty-mini: an opener-only rule picks the chosen side {acc:.1%} of the time"
            )
    return out


def print_uncertainty(out: dict) -> None:
    for split in MIN_UNCERTAINTY:
        n, multi, stats, _ = out[split]
        print(f"uncertainty-mini/{split}.jsonl: {n} pairs ({multi} multi-turn)")
        if not stats:
            continue
        for unit, (frac, mc, mr) in stats["length"].items():
            print(
                f"    final answer {unit:5}: chosen longer in {frac:.1%} of pairs; "
                f"mean chosen {mc:.1f} / rejected {mr:.1f} = {mc / mr:.3f}"
            )
        for k, (gap, o, rc, rr) in stats["opener"].items():
            print(f"    largest opener gap ({k} words): {o!r} {rc:.1%} chosen / {rr:.1%} rejected")
        worst = max(stats["markers"].items(), key=lambda kv: abs(kv[1][0] - kv[1][1]))
        top = max(stats["one_sided"], key=lambda t: t[2], default=None)
        if top:
            print(
                f"    most frequent one-sided word: {top[0]!r} in {top[2]:.1%} of {top[1]} answers"
            )
        print(
            f"    markers: all {len(UNC_MARKERS)} on both sides or neither; largest gap "
            f"{worst[0]!r} {worst[1][0]:.1%} chosen / {worst[1][1]:.1%} rejected"
        )
    if "opener_rule" in out:
        print(f"    opener-only rule (2 words, fit on train): {out['opener_rule']:.1%} on test")


# ------------------------------------------------------------------ probe
def check_mc(name: str = "mc", minimum: int | None = None) -> int:
    """mc.jsonl (hand-written) or facts.jsonl (generated): same schema, ids ``<name>-NNNN``."""
    path = DATA / "probe" / f"{name}.jsonl"
    minimum = MIN_MC if minimum is None else minimum
    rows = load_jsonl(path)
    check_fields(
        path, rows, {"id": str, "question": str, "choices": list, "answer": int, "subject": str}
    )
    if len(rows) < minimum:
        fail(f"{path}: {len(rows)} questions < required {minimum}")
    ids, questions, positions = set(), set(), [0, 0, 0, 0]
    for n, r in enumerate(rows, 1):
        where = f"{path}:{n}"
        if not re.fullmatch(rf"{name}-\d{{4}}", str(r.get("id", ""))):
            fail(f"{where}: bad id {r.get('id')!r}")
        if r.get("id") in ids:
            fail(f"{where}: duplicate id")
        ids.add(r.get("id"))
        if r.get("question") in questions:
            fail(f"{where}: duplicate question")
        questions.add(r.get("question"))
        ch = r.get("choices")
        if not (
            isinstance(ch, list)
            and len(ch) == 4
            and all(isinstance(x, str) and x.strip() for x in ch)
        ):
            fail(f"{where}: choices must be 4 non-empty strings")
        elif len(set(ch)) != 4:
            fail(f"{where}: duplicate choices")
        a = r.get("answer")
        if not (isinstance(a, int) and 0 <= a <= 3):
            fail(f"{where}: answer index {a!r} out of range 0..3")
        else:
            positions[a] += 1
    if rows and min(positions) < len(rows) / 4 * 0.6:
        fail(f"{path}: answer positions badly unbalanced {positions}")
    return len(rows)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def probe_overlaps(questions: list[str], prompts: list[str], threshold: float = 0.8) -> list:
    """(question, prompt) pairs that are equal after normalisation or whose word sets have a
    Jaccard similarity >= ``threshold`` (a near-duplicate)."""
    norm = {" ".join(sorted(_words(p))): p for p in prompts}
    index: dict[str, list[set[str]]] = {}
    sets = [(_words(p), p) for p in prompts]
    for ws, p in sets:
        for w in ws:
            index.setdefault(w, []).append((ws, p))
    hits = []
    for q in questions:
        qw = _words(q)
        if " ".join(sorted(qw)) in norm:
            hits.append((q, norm[" ".join(sorted(qw))]))
            continue
        seen = set()
        for w in qw:
            for ws, p in index.get(w, []):
                if p in seen:
                    continue
                seen.add(p)
                if len(qw & ws) / len(qw | ws) >= threshold:
                    hits.append((q, p))
                    break
    return hits


def bundled_prompts(exclude: Path) -> list[str]:
    """Every prompt of every other bundled JSONL file under data/: a row's ``question`` or
    ``prompt``, and each human turn of its ``chosen`` conversation."""
    prompts = []
    for path in sorted(DATA.rglob("*.jsonl")):
        if path == exclude:
            continue
        for r in load_jsonl(path):
            for key in ("question", "prompt"):
                if isinstance(r.get(key), str):
                    prompts.append(r[key])
            for turn in re.split(r"\n\nHuman: ", str(r.get("chosen", "")))[1:]:
                prompts.append(turn.split("\n\nAssistant:")[0].strip())
    return prompts


def check_probe_disjoint() -> None:
    path = DATA / "probe" / "facts.jsonl"
    questions = [r["question"] for r in load_jsonl(path)]
    for q, p in probe_overlaps(questions, bundled_prompts(exclude=path)):
        fail(f"{path}: {q!r} duplicates the bundled prompt {p!r}")


def _eval_arith(expr: str):
    expr = expr.replace("×", "*").replace("÷", "/").strip()
    if not re.fullmatch(r"[-\d\s+*/().]+", expr):
        return None
    try:
        return eval(expr, {"__builtins__": {}}, {})  # only digits and operators reach here
    except Exception:
        return None


CHAIN_RE = re.compile(r"-?[\d(][\d\s+\-×÷()]*(?:=\s*-?[\d(][\d\s+\-×÷()]*)+")


def check_arith() -> int:
    path = DATA / "probe" / "arith.jsonl"
    rows = load_jsonl(path)
    check_fields(path, rows, {"id": str, "question": str, "answer": int, "solution": str})
    if len(rows) < MIN_ARITH:
        fail(f"{path}: {len(rows)} problems < required {MIN_ARITH}")
    ids, questions, n_checked = set(), set(), 0
    for n, r in enumerate(rows, 1):
        where = f"{path}:{n}"
        if not re.fullmatch(r"arith-\d{4}", str(r.get("id", ""))):
            fail(f"{where}: bad id {r.get('id')!r}")
        if r.get("id") in ids or r.get("question") in questions:
            fail(f"{where}: duplicate id or question")
        ids.add(r.get("id"))
        questions.add(r.get("question"))
        sol, ans = r.get("solution"), r.get("answer")
        if not isinstance(sol, str) or not isinstance(ans, int):
            continue
        m = re.search(r"The answer is (-?\d+)\.$", sol)
        if not m:
            fail(f"{where}: solution does not end with 'The answer is N.'")
            continue
        if int(m.group(1)) != ans:
            fail(f"{where}: solution says {m.group(1)} but answer is {ans}")
        # recompute every arithmetic chain 'a op b = c (= d ...)' in the worked solution
        body = sol[: m.start()]
        chains = CHAIN_RE.findall(body)
        last, bad = None, False
        for chain in chains:
            values = [_eval_arith(part) for part in chain.split("=")]
            if any(v is None for v in values) or any(abs(v - values[0]) > 1e-9 for v in values):
                fail(f"{where}: arithmetic does not check out: {chain.strip()!r}")
                bad = True
            else:
                last = values[-1]
        if bad:
            continue
        if last is None:
            fail(f"{where}: no checkable arithmetic in the solution")
        elif abs(last - ans) > 1e-9:
            fail(f"{where}: last computed value {last} != answer {ans}")
        else:
            n_checked += 1
    return n_checked


def check_prose() -> int:
    path = DATA / "probe" / "prose.jsonl"
    rows = load_jsonl(path)
    check_fields(path, rows, {"id": str, "text": str, "topic": str})
    if len(rows) < MIN_PROSE:
        fail(f"{path}: {len(rows)} paragraphs < required {MIN_PROSE}")
    ids, texts = set(), set()
    for n, r in enumerate(rows, 1):
        where = f"{path}:{n}"
        if not re.fullmatch(r"prose-\d{3}", str(r.get("id", ""))):
            fail(f"{where}: bad id {r.get('id')!r}")
        if r.get("id") in ids or r.get("text") in texts:
            fail(f"{where}: duplicate id or text")
        ids.add(r.get("id"))
        texts.add(r.get("text"))
        if isinstance(r.get("text"), str):
            words = len(r["text"].split())
            if not 60 <= words <= 150:
                fail(f"{where}: {words} words (want 60-150)")
    return len(rows)


def check_yamls() -> None:
    d = DATA / "probe" / "lm_eval"
    expected = {
        "qadapter_probe_mc.yaml": ("multiple_choice", "data/probe/mc.jsonl"),
        "qadapter_probe_facts.yaml": ("multiple_choice", "data/probe/facts.jsonl"),
        "qadapter_probe_arith.yaml": ("generate_until", "data/probe/arith.jsonl"),
        "qadapter_probe_prose.yaml": ("loglikelihood_rolling", "data/probe/prose.jsonl"),
    }
    for name, (otype, data_file) in expected.items():
        p = d / name
        if not p.is_file():
            fail(f"{p}: missing")
            continue
        text = p.read_text(encoding="utf-8")
        if not text.lstrip().startswith("#") or "repository root" not in text.lower():
            fail(f"{p}: missing the 'run from the repository root' comment at the top")
        if f"output_type: {otype}" not in text:
            fail(f"{p}: output_type should be {otype}")
        if "dataset_path: json" not in text:
            fail(f"{p}: dataset_path should be json")
        m = re.search(r"^\s+test:\s*(\S+)\s*$", text, re.M)
        if not m or m.group(1) != data_file:
            fail(f"{p}: data_files test path should be {data_file}")
        elif not (ROOT / m.group(1)).is_file():
            fail(f"{p}: data file {m.group(1)} does not exist relative to the repo root")
        task = re.search(r"^task:\s*(\S+)", text, re.M)
        if not task or task.group(1) != name[:-5]:
            fail(f"{p}: task name should be {name[:-5]}")
    g = d / "qadapter_probe.yaml"
    if not g.is_file():
        fail(f"{g}: missing")
    else:
        text = g.read_text(encoding="utf-8")
        if "group: qadapter_probe" not in text:
            fail(f"{g}: should define group qadapter_probe")
        for name in expected:
            if f"- {name[:-5]}" not in text:
                fail(f"{g}: does not list {name[:-5]}")


# ------------------------------------------------------------------ judge-mini
JUDGE_KINDS = {
    "harmless": {"refusal_vs_compliant", "refusal_vs_degenerate"},
    "helpful": {"answer_vs_refusal", "answer_vs_evasion", "answer_vs_wrong", "answer_vs_truncated"},
}
MIN_JUDGE = {"train": 300, "validation": 100}


def check_judge_mini() -> dict:
    """judge-mini: fields and types, sizes, every kind in both splits, no duplicate pair, no
    prompt in both splits (near duplicates: data/judge-mini/overlap.py and its test)."""
    spec = {"prompt": str, "chosen": str, "rejected": str, "kind": str}
    counts = {}
    for subset, kinds in JUDGE_KINDS.items():
        prompts = {}
        for split, minimum in MIN_JUDGE.items():
            path = DATA / "judge-mini" / subset / f"{split}.jsonl"
            rows = load_jsonl(path)
            check_fields(path, rows, spec)
            rows = [r for r in rows if set(r) == set(spec)]
            counts[subset, split] = len(rows)
            if len(rows) < minimum:
                fail(f"{path}: {len(rows)} pairs, fewer than {minimum}")
            found = {r["kind"] for r in rows}
            if found != kinds:
                fail(f"{path}: kinds {sorted(found)} != {sorted(kinds)}")
            keys = [(r["prompt"], r["chosen"], r["rejected"]) for r in rows]
            if len(set(keys)) != len(keys):
                fail(f"{path}: {len(keys) - len(set(keys))} duplicate pair(s)")
            if any(r["chosen"].strip() == r["rejected"].strip() for r in rows):
                fail(f"{path}: a pair with identical chosen and rejected")
            prompts[split] = {r["prompt"] for r in rows}
        shared = prompts["train"] & prompts["validation"]
        if shared:
            fail(f"judge-mini/{subset}: {len(shared)} prompt(s) in both train and validation")
    return counts


def main() -> int:
    hh = check_hh()
    judge = check_judge_mini()
    unc = check_uncertainty()
    n_mc = check_mc()
    n_facts = check_mc("facts", MIN_FACTS)
    check_probe_disjoint()
    n_arith = check_arith()
    n_prose = check_prose()
    check_yamls()
    for subset, split in MIN_HH:
        print(
            f"hh-mini/{subset}/{split}.jsonl: {hh[(subset, split)]} pairs "
            f"({hh[(subset, split, 'multi')]} multi-turn)"
        )
        for unit, (frac, mean_c, mean_r, ratio) in hh[(subset, split, "balance")].items():
            print(
                f"    final answer {unit:5}: chosen longer in {frac:.1%} of pairs; "
                f"mean chosen {mean_c:.1f} / rejected {mean_r:.1f} = {ratio:.2f}"
            )
    print_uncertainty(unc)
    for (subset, split), n in judge.items():
        print(f"judge-mini/{subset}/{split}.jsonl: {n} pairs")
    print(f"probe/mc.jsonl: {n_mc} questions")
    print(f"probe/facts.jsonl: {n_facts} generated questions, disjoint from every bundled prompt")
    print(f"probe/arith.jsonl: {n_arith} problems with recomputed answers")
    print(f"probe/prose.jsonl: {n_prose} paragraphs")
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors[:50]:
            print("  -", e)
        return 1
    print("\nOK: all bundled data checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
