"""Decisions that read only trusted signals.

Every automatic choice qadapter makes (the sweep's candidate, a re-customized level's gates,
``qadapter promote``'s checks, the comparison's reading) is a set of **criteria**: one signal
compared with one bar. A signal carries whether it passed its own validation (a judge its
known-answer checks, :mod:`qadapter.evaluate.judges.validation`; the refusal classifier its
labelled replies; the probe a measured standard error). The rule:

* ``fail``: a criterion whose signal is trusted fails (the reasons name it). A trusted signal
  that says "no" is enough to say no, whatever the untrusted ones say.
* ``undecided``: no trusted criterion fails, but at least one criterion's signal is untrusted or
  was not measured: the reasons say which and why. No alias moves on an undecided decision.
* ``pass``: every criterion was measured on a trusted signal and passed.

A criterion that a user switches off is not in the list: "off" is said by leaving it out, never
by a bar that cannot fail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

PASS, FAIL, UNDECIDED = "pass", "fail", "undecided"


@dataclass(frozen=True)
class Criterion:
    """One check of one signal. ``passed`` None: the signal was not measured."""

    name: str
    passed: bool | None
    trusted: bool | None  # the signal's own validation; None (not validated) is not trusted
    detail: str  # what was compared, for a person: "probe drop 0.40 <= 2"
    untrusted_because: str = ""


@dataclass(frozen=True)
class Decision:
    outcome: str  # PASS, FAIL or UNDECIDED
    reasons: tuple[str, ...]  # failed criteria (FAIL) or untrusted/unmeasured ones (UNDECIDED)
    criteria: tuple[Criterion, ...] = ()

    @property
    def summary(self) -> str:
        if self.outcome == PASS:
            return "pass: " + "; ".join(c.detail for c in self.criteria)
        return f"{self.outcome}: " + "; ".join(self.reasons)


def decide(criteria: Sequence[Criterion]) -> Decision:
    """The rule in the module docstring."""
    criteria = tuple(criteria)
    failed = [c.detail for c in criteria if c.trusted is True and c.passed is False]
    if failed:
        return Decision(FAIL, tuple(failed), criteria)
    open_ = []
    for c in criteria:
        if c.passed is None:
            open_.append(f"{c.name} not measured")
        elif c.trusted is not True:
            why = c.untrusted_because or "its signal was not validated"
            open_.append(f"{c.name} not used: {why}")
    if open_:
        return Decision(UNDECIDED, tuple(open_), criteria)
    return Decision(PASS, (), criteria)


def number(metrics: dict, name: str) -> float | None:
    """A metric as a float, None when absent, not a number or NaN."""
    v = metrics.get(name)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v):
        return None
    return float(v)


def trust_of(value) -> bool | None:
    """A trust flag as stored anywhere (bool, 1.0/0.0 metric, "true"/"false" tag) -> bool/None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not math.isnan(value):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def at_most(name: str, value: float | None, bar: float, trusted, what: str, why: str = ""):
    """Criterion ``value <= bar`` (e.g. a drop)."""
    ok = None if value is None else value <= bar + 1e-9
    shown = "n/a" if value is None else f"{value:.2f} {'<=' if ok else '>'} {bar:g}"
    return Criterion(name, ok, trust_of(trusted), f"{what} {shown}", why)


def at_least(name: str, value: float | None, bar: float, trusted, what: str, why: str = ""):
    """Criterion ``value >= bar``."""
    ok = None if value is None else value >= bar - 1e-9
    shown = "n/a" if value is None else f"{value:.2f} {'>=' if ok else '<'} {bar:g}"
    return Criterion(name, ok, trust_of(trusted), f"{what} {shown}", why)
