"""The generated probe questions (data/probe/facts.jsonl): reproducible, balanced, and disjoint
from every other bundled prompt, exactly and as near-duplicates."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = mod
    spec.loader.exec_module(mod)
    return mod


def test_facts_file_is_what_the_generator_writes():
    rows, dropped = _module(ROOT / "data" / "probe" / "make_facts.py").build()
    lines = (ROOT / "data" / "probe" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert len(rows) >= 400 and len(dropped) < 60
    counts = [sum(r["answer"] == i for r in rows) for i in range(4)]
    assert max(counts) - min(counts) <= 1
    assert len({r["subject"] for r in rows}) >= 6
    for r in rows:
        assert len(set(r["choices"])) == 4 and all(isinstance(c, str) for c in r["choices"])


def test_facts_are_disjoint_from_every_bundled_prompt():
    check = _module(ROOT / "data" / "check_bundled.py")
    facts = ROOT / "data" / "probe" / "facts.jsonl"
    questions = [json.loads(line)["question"] for line in facts.read_text().splitlines()]
    prompts = check.bundled_prompts(exclude=facts)
    assert len(prompts) > 1500  # mc, arith, hh-mini and uncertainty-mini turns
    assert check.probe_overlaps(questions, prompts) == []
    # the check sees both kinds of overlap
    mc_q = "What is the capital of Japan?"
    assert mc_q in prompts
    assert check.probe_overlaps(["what is the capital of JAPAN"], prompts) == [
        ("what is the capital of JAPAN", mc_q)
    ]
    near = "What is the capital of Japan, then?"  # 6 of 7 words shared: Jaccard 0.86
    assert check.probe_overlaps([near], prompts) == [(near, mc_q)]
    assert check.probe_overlaps(["What is the capital of Peru?"], prompts) == []
