"""Shared helpers for the data tests, as fixtures (so no test imports conftest by name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def _hh(*turns: str) -> str:
    speakers = ("Human", "Assistant")
    return "".join(f"\n\n{speakers[i % 2]}: {t}" for i, t in enumerate(turns))


def _write_jsonl(path: Path, rows: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def hh():
    """hh("q", "a", "q2", "a2") -> "\\n\\nHuman: q\\n\\nAssistant: a\\n\\nHuman: q2..."."""
    return _hh


@pytest.fixture
def write_jsonl():
    """write_jsonl(path, rows) writes one JSON value per line and returns the path."""
    return _write_jsonl


@pytest.fixture
def trl_rows() -> list[dict]:
    return [
        {"prompt": "What is 2+2?", "chosen": "4", "rejected": "5"},
        {"prompt": "Capital of France?", "chosen": "Paris", "rejected": "Lyon"},
        {"prompt": "Say hi", "chosen": "Hi!", "rejected": "No."},
    ]
