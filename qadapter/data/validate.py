"""The loading pipeline: source -> raw records -> pairs, with quarantine, de-duplication, summary.

Every candidate pair ends in exactly one of three places, so that always
``summary.loaded + summary.quarantined + summary.deduplicated == summary.total``:

- loaded: in ``LoadResult.pairs``, in source order;
- quarantined: written to the quarantine JSONL (``{"origin", "reason", "detail", "record"}``)
  and counted by reason;
- deduplicated: an exact repeat (same prompt, chosen, rejected) of an earlier pair; the first
  copy is kept.

``total`` counts candidate pairs: one per input record, except that a DSP record counts one per
pair it expands to (``records`` counts the input records themselves).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qadapter.data.formats import (
    REASONS,
    Problem,
    check_format,
    check_target_domain,
    convert,
    detect_format,
)
from qadapter.data.pairs import PreferencePair
from qadapter.data.records import DataError, RawRecord
from qadapter.data.records import max_record_bytes as record_cap
from qadapter.data.sources import list_source

STRICT_SHOWN = 10  # problems listed in a strict-mode error


@dataclass(frozen=True)
class QuarantineEntry:
    """One unusable candidate pair: where it came from, why, and the raw record."""

    origin: str
    reason: str
    detail: str
    record: Any

    def line(self) -> str:
        return f"{self.origin}: {self.reason}: {self.detail}"

    def to_json(self) -> str:
        row = {
            "origin": self.origin,
            "reason": self.reason,
            "detail": self.detail,
            "record": self.record,
        }
        return json.dumps(row, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class LengthStats:
    """Character lengths of one field over the loaded pairs (zeros when none are loaded)."""

    min: int = 0
    mean: float = 0.0
    max: int = 0

    @classmethod
    def of(cls, lengths: list[int]) -> LengthStats:
        if not lengths:
            return cls()
        return cls(min(lengths), sum(lengths) / len(lengths), max(lengths))


@dataclass(frozen=True)
class Summary:
    """What happened to every record of a load."""

    source: str
    records: int  # input records read (a DSP record may expand to several candidates)
    total: int  # candidate pairs: loaded + quarantined + deduplicated
    loaded: int
    quarantined: int
    deduplicated: int
    reasons: dict[str, int] = field(default_factory=dict)  # quarantined, by reason
    formats: dict[str, int] = field(default_factory=dict)  # loaded pairs, by format
    splits: dict[str, int] = field(default_factory=dict)  # loaded pairs, by declared split
    lengths: dict[str, LengthStats] = field(default_factory=dict)  # prompt/chosen/rejected
    skipped_files: tuple[str, ...] = ()  # files in the source that are not data files
    quarantine_path: str | None = None

    def format(self) -> str:
        """A short human-readable table."""
        rows = [
            ("source", self.source),
            ("records read", str(self.records)),
            ("candidate pairs", str(self.total)),
            ("loaded", str(self.loaded)),
            ("quarantined", str(self.quarantined)),
        ]
        rows += [(f"  {reason}", str(n)) for reason, n in self.reasons.items()]
        rows.append(("deduplicated", str(self.deduplicated)))
        if self.formats:
            rows.append(("formats", ", ".join(f"{k}={v}" for k, v in self.formats.items())))
        if self.splits:
            rows.append(("splits", ", ".join(f"{k}={v}" for k, v in self.splits.items())))
        if self.skipped_files:
            rows.append(
                (
                    "skipped files",
                    f"{len(self.skipped_files)}: "
                    + ", ".join(self.skipped_files[:3])
                    + (" ..." if len(self.skipped_files) > 3 else ""),
                )
            )
        if self.quarantine_path and self.quarantined:
            rows.append(("quarantine file", self.quarantine_path))
        width = max(len(name) for name, _ in rows) + 2
        lines = [f"{name:<{width}}{value}" for name, value in rows]
        lines.append(f"{'chars':<{width}}{'min':>8}{'mean':>10}{'max':>8}")
        for name, stats in self.lengths.items():
            lines.append(f"{'  ' + name:<{width}}{stats.min:>8}{stats.mean:>10.1f}{stats.max:>8}")
        return "\n".join(lines)


@dataclass(frozen=True)
class LoadResult:
    """The loaded pairs, what happened to the rest, and the quarantined entries."""

    pairs: list[PreferencePair]
    summary: Summary
    quarantine: list[QuarantineEntry] = field(default_factory=list)


def problems_message(
    entries: list[QuarantineEntry], source: str, quarantine_path: str | None = None
) -> str:
    """The strict-mode error line: how many records, the first problem, and where the rest are
    (the quarantine file, named only when one was written)."""
    where = (
        f"the quarantine file {quarantine_path} lists them all"
        if quarantine_path
        else "pass a quarantine path (--quarantine) to list them all"
    )
    return (
        f"{len(entries)} record(s) of {source} quarantined in strict mode (first: "
        f"{entries[0].line()}); fix them or load without --strict ({where})"
    )


def problem_lines(entries: list[QuarantineEntry]) -> tuple[str, ...]:
    """One line per problem (the first :data:`STRICT_SHOWN`), for a person to read above the
    error line."""
    lines = [entry.line() for entry in entries[:STRICT_SHOWN]]
    if len(entries) > STRICT_SHOWN:
        lines.append(f"... and {len(entries) - STRICT_SHOWN} more")
    return tuple(lines)


def require_pairs(result: LoadResult) -> LoadResult:
    """``result`` if it loaded at least one pair, else :class:`DataError` saying why not."""
    s = result.summary
    if s.loaded:
        return result
    if s.records == 0:
        raise DataError(
            f"{s.source} holds no records; add preference pairs to it or check the path", summary=s
        )
    reasons = ", ".join(f"{reason}={n}" for reason, n in s.reasons.items())
    counted = f"{s.quarantined} quarantined ({reasons})" if s.quarantined else ""
    if s.deduplicated:
        counted += (", " if counted else "") + f"{s.deduplicated} duplicate(s)"
    where = (
        f"the quarantine file {s.quarantine_path} lists them"
        if s.quarantine_path and s.quarantined
        else "`qadapter data check SOURCE --quarantine FILE` lists them"
    )
    raise DataError(
        f"no usable preference pairs in {s.source}: {s.records} record(s) read, "
        f"{counted}; fix the records ({where})",
        summary=s,
    )


def load_preferences(
    source: str,
    *,
    format: str = "auto",
    target_domain: str | None = None,
    split: str | None = None,
    quarantine_path: str | Path | None = None,
    strict: bool = False,
    max_prompt_chars: int | None = None,
    max_record_bytes: int | None = None,
    progress: bool | None = None,
) -> LoadResult:
    """Load, validate and de-duplicate the preference pairs of ``source``.

    format:           ``auto`` (per record), ``hh``, ``trl`` or ``dsp``.
    target_domain:    for DSP records: the domain whose response is chosen.
    split:            only the entries of this split (``train``/``test``/...), if given.
    quarantine_path:  write quarantined records here as JSONL (the file is always rewritten).
    strict:           raise :class:`DataError` if anything is quarantined.
    max_prompt_chars: quarantine pairs whose prompt text is longer (``prompt_too_long``).
    max_record_bytes: quarantine records bigger than this (``record_too_large``); default
                      ``$QADAPTER_MAX_RECORD_BYTES`` or 1 MB (see :mod:`qadapter.data.records`).
    progress:         a progress bar on stderr: None (default) when stderr is a terminal.

    A source with nothing usable still returns (``summary.loaded == 0``); :func:`require_pairs`
    (used by :func:`qadapter.data.load_splits` and ``data check``) turns that into an error.
    """
    check_format(format)
    check_target_domain(target_domain)
    if max_prompt_chars is not None and max_prompt_chars <= 0:
        raise DataError(f"max_prompt_chars={max_prompt_chars}; give a positive number")
    limit = record_cap(max_record_bytes)
    source = str(source)
    listing = list_source(source, split=split)  # refuses sources that carry credentials
    if split is not None and not listing.entries:
        raise DataError(
            f"{source} has no {split!r} split; name files like {split}.jsonl or leave the split out"
        )
    records = listing.records(limit)
    if progress is None:
        progress = sys.stderr.isatty()
    if progress:
        from tqdm import tqdm

        records = tqdm(
            records, desc=f"reading {source}", unit=" records", leave=False, file=sys.stderr
        )
    tally = _Tally()
    for raw in records:
        tally.add(raw, format, target_domain, max_prompt_chars)
    if quarantine_path is not None:
        _write_quarantine(Path(quarantine_path), tally.quarantine)
    summary = tally.summary(
        str(source), listing.skipped, str(quarantine_path) if quarantine_path is not None else None
    )
    assert summary.loaded + summary.quarantined + summary.deduplicated == summary.total
    if strict and tally.quarantine:
        written = str(quarantine_path) if quarantine_path is not None else None
        raise DataError(
            problems_message(tally.quarantine, str(source), written),
            tuple(tally.quarantine),
            summary,
            problem_lines(tally.quarantine),
        )
    return LoadResult(tally.pairs, summary, tally.quarantine)


class _Tally:
    """Accumulates the fate of every candidate pair."""

    def __init__(self) -> None:
        self.records = 0
        self.pairs: list[PreferencePair] = []
        self.quarantine: list[QuarantineEntry] = []
        self.deduplicated = 0
        self.seen: set = set()
        self.formats: dict[str, int] = {}
        self.splits: dict[str, int] = {}

    def add(self, raw: RawRecord, fmt: str, target: str | None, max_prompt: int | None) -> None:
        self.records += 1
        if raw.problem:
            self._quarantine(raw, Problem(raw.problem, raw.detail), raw.origin)
            return
        items = convert(raw.data, fmt, origin=raw.origin, target_domain=target)
        for item in items:
            if isinstance(item, Problem):
                self._quarantine(raw, item, raw.origin)
                continue
            prompt_chars = sum(len(m["content"]) for m in item.prompt)
            if max_prompt is not None and prompt_chars > max_prompt:
                self._quarantine(
                    raw,
                    Problem(
                        "prompt_too_long",
                        f"prompt has {prompt_chars} chars, more than max_prompt_chars={max_prompt}",
                    ),
                    item.origin,
                )
                continue
            if not _encodable(item):
                self._quarantine(
                    raw,
                    Problem(
                        "invalid_utf8",
                        "text holds a lone surrogate escape (\\udXXX) that is not valid Unicode",
                    ),
                    item.origin,
                )
                continue
            key = item.key()
            if key in self.seen:
                self.deduplicated += 1
                continue
            self.seen.add(key)
            self.pairs.append(item)
            used = fmt if fmt != "auto" else _detected(raw.data)
            self.formats[used] = self.formats.get(used, 0) + 1
            if raw.split:
                self.splits[raw.split] = self.splits.get(raw.split, 0) + 1

    def _quarantine(self, raw: RawRecord, problem: Problem, origin: str) -> None:
        record = raw.raw if raw.problem else raw.data
        self.quarantine.append(QuarantineEntry(origin, problem.reason, problem.detail, record))

    def summary(self, source: str, skipped: tuple[str, ...], path: str | None) -> Summary:
        reasons: dict[str, int] = {}
        for entry in self.quarantine:
            reasons[entry.reason] = reasons.get(entry.reason, 0) + 1
        order = list(REASONS)
        reasons = dict(sorted(reasons.items(), key=lambda kv: order.index(kv[0])))
        lengths = {
            "prompt": LengthStats.of(
                [sum(len(m["content"]) for m in p.prompt) for p in self.pairs]
            ),
            "chosen": LengthStats.of([len(p.chosen) for p in self.pairs]),
            "rejected": LengthStats.of([len(p.rejected) for p in self.pairs]),
        }
        quarantined = len(self.quarantine)
        return Summary(
            source,
            self.records,
            len(self.pairs) + quarantined + self.deduplicated,
            len(self.pairs),
            quarantined,
            self.deduplicated,
            reasons,
            dict(sorted(self.formats.items())),
            dict(sorted(self.splits.items())),
            lengths,
            skipped,
            path,
        )


def _encodable(pair: PreferencePair) -> bool:
    texts = [m["content"] for m in pair.prompt] + [pair.chosen, pair.rejected]
    try:
        "".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _detected(record: dict) -> str:
    return detect_format(record) or "?"


def _write_quarantine(path: Path, entries: list[QuarantineEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", errors="backslashreplace") as out:
        for entry in entries:
            out.write(entry.to_json() + "\n")
