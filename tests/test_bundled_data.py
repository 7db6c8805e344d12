"""The bundled offline datasets: their own checker passes and the data layer loads them whole."""

import subprocess
import sys
from pathlib import Path

import pytest

from qadapter.data import load_preferences, load_splits

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_checker_passes():
    res = subprocess.run(
        [sys.executable, str(ROOT / "data" / "check_bundled.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "OK: all bundled data checks passed" in res.stdout


@pytest.mark.parametrize("subset", ["helpful", "harmless"])
def test_mini_hh_loads_with_nothing_quarantined_and_an_explicit_split(subset):
    result = load_preferences(str(ROOT / "data" / "hh-mini" / subset))
    s = result.summary
    assert s.quarantined == 0 and s.deduplicated == 0 and s.loaded == s.total >= 400
    splits = load_splits(str(ROOT / "data" / "hh-mini" / subset))
    assert (
        splits.method.startswith("explicit")
        and len(splits.test) >= 100
        and len(splits.train) >= 300
    )
    assert not {p.key() for p in splits.train} & {p.key() for p in splits.test}
    # no length confound: the chosen response is the longer one in roughly half the pairs
    longer = sum(len(p.chosen) > len(p.rejected) for p in splits.train) / len(splits.train)
    assert 0.4 <= longer <= 0.6
    assert any(
        len(p.prompt) > 1 for p in splits.train
    )  # multi-turn conversations are kept as messages
