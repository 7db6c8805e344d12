"""What every reader yields (:class:`RawRecord`), the data layer's one error type, and the cap on
the size of a single record.

The cap (``max_record_bytes``): a record bigger than this many bytes is quarantined as
``record_too_large`` with its origin instead of being parsed. Default 1 MB
(:data:`DEFAULT_MAX_RECORD_BYTES`), overridden by the environment variable
``QADAPTER_MAX_RECORD_BYTES`` or the ``max_record_bytes=`` argument of the loaders. How it is
measured: a JSONL line's bytes, checked while reading (a longer line is never held in memory
whole); a record of a ``.json``, ``.csv`` or ``.parquet`` file or an ``hf://`` row: the UTF-8 bytes
of the record written as JSON, checked after the file is parsed. CSV and Parquet are read row by
row (memory bounded by a row); a ``.json`` file is parsed whole, so it is refused (one
:class:`DataError` line) above ``max_json_bytes`` (:data:`DEFAULT_MAX_JSON_BYTES` = 32 MiB,
``QADAPTER_MAX_JSON_BYTES``): convert such a file to JSON Lines.

Nesting: a record nested deeper than :data:`MAX_DEPTH` levels (a preference record needs 4), or one
that trips one of the parser's own limits (Python's recursion limit, the 4300-digit limit on
integers), is quarantined as ``unparseable`` with the reason, never raised: nothing downstream
(validation, hashing, JSON writing) ever walks a pathological structure.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from qadapter.secrets import redact

DEFAULT_MAX_RECORD_BYTES = 1_000_000
MAX_RECORD_ENV = "QADAPTER_MAX_RECORD_BYTES"
DEFAULT_MAX_JSON_BYTES = 32 * 1024 * 1024  # a .json file is parsed whole: refused above this
MAX_JSON_ENV = "QADAPTER_MAX_JSON_BYTES"
MAX_DEPTH = 64  # nesting levels a record may have (a preference record needs 4)
PREVIEW_CHARS = 200  # how much of a too-large record the quarantine file keeps


class DataError(Exception):
    """A data problem a person must fix: the message says what, where, and what to do.

    The message never holds credentials (it is passed through :func:`qadapter.secrets.redact`).
    The message is one line. ``problems``: the quarantined entries behind a strict-mode failure;
    ``summary``: the load summary when the failure is about what was loaded (strict mode, nothing
    usable); ``details``: lines for a person to read above the error line (the first problems).
    """

    def __init__(
        self, message: str, problems: tuple = (), summary: Any = None, details: tuple[str, ...] = ()
    ) -> None:
        super().__init__(redact(message))
        self.problems = problems
        self.summary = summary
        self.details = tuple(redact(line) for line in details)


@dataclass(frozen=True)
class RawRecord:
    """One input record before conversion.

    origin:  where it came from (``file.jsonl:12``).
    data:    the parsed value (normally a dict); ``None`` when ``problem`` is set.
    problem: ``"unparseable"``, ``"invalid_utf8"`` or ``"record_too_large"`` when the record
             could not be read.
    detail:  what exactly was wrong, for the quarantine file.
    raw:     the raw text of an unreadable record (invalid bytes shown as ``\\xNN``; the first
             :data:`PREVIEW_CHARS` characters of a too-large one).
    split:   ``train``/``test``/``validation`` when the file or hf split names one, else None.
    """

    origin: str
    data: Any = None
    problem: str | None = None
    detail: str = ""
    raw: str | None = None
    split: str | None = None


def max_record_bytes(value: int | None = None) -> int:
    """The record size cap: ``value`` if given, else ``$QADAPTER_MAX_RECORD_BYTES``, else 1 MB."""
    where = "max_record_bytes"
    if value is None:
        text = os.environ.get(MAX_RECORD_ENV)
        if text is None:
            return DEFAULT_MAX_RECORD_BYTES
        where = MAX_RECORD_ENV
        try:
            value = int(text)
        except ValueError:
            raise DataError(
                f"{MAX_RECORD_ENV}={text!r} is not a whole number; give a size in "
                "bytes (e.g. 1000000)"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DataError(f"{where}={value!r}; give a positive number of bytes (e.g. 1000000)")
    return value


def too_large(origin: str, size: int, limit: int, preview: str, split: str | None) -> RawRecord:
    """The quarantined stand-in for a record of ``size`` bytes over ``limit``."""
    return RawRecord(
        origin,
        problem="record_too_large",
        split=split,
        raw=preview[:PREVIEW_CHARS],
        detail=f"the record has {size:,} bytes, over the limit of {limit:,}; fix it "
        f"or raise the limit ({MAX_RECORD_ENV} or max_record_bytes=)",
    )


def max_json_bytes() -> int:
    """The size above which a ``.json`` file is refused: ``$QADAPTER_MAX_JSON_BYTES`` or 32 MiB."""
    text = os.environ.get(MAX_JSON_ENV)
    if text is None:
        return DEFAULT_MAX_JSON_BYTES
    if not text.isdigit() or int(text) < 1:
        raise DataError(f"{MAX_JSON_ENV}={text!r} is not a positive whole number of bytes")
    return int(text)


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True if ``value`` nests lists/dicts over ``limit`` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in item if isinstance(child, (list, dict)))
    return False


def parser_limit(origin: str, exc: BaseException, raw: str, split: str | None) -> RawRecord:
    """The quarantined stand-in for a record that tripped a parser limit (recursion, digits)."""
    what = (
        "nested deeper than the JSON parser's recursion limit; a preference record needs 4 levels"
        if isinstance(exc, RecursionError)
        else f"beyond a parser limit: {(str(exc).splitlines() or [type(exc).__name__])[0][:200]}"
    )
    raw = raw[:PREVIEW_CHARS]
    return RawRecord(origin, problem="unparseable", detail=what, raw=raw, split=split)


def checked(origin: str, value: Any, raw: str, split: str | None) -> RawRecord:
    """A parsed record, or an ``unparseable`` stand-in when it nests over :data:`MAX_DEPTH`."""
    if too_deep(value):
        return RawRecord(
            origin,
            problem="unparseable",
            detail=f"nested more than {MAX_DEPTH} levels deep; a preference record needs 4",
            raw=raw[:PREVIEW_CHARS],
            split=split,
        )
    return RawRecord(origin, data=value, split=split)


def capped(origin: str, value: Any, limit: int, split: str | None) -> RawRecord:
    """A parsed record, or its ``record_too_large`` stand-in if its JSON form exceeds ``limit``
    (or an ``unparseable`` one when it nests over :data:`MAX_DEPTH` levels)."""
    if too_deep(value):
        return checked(origin, value, "", split)
    text = json.dumps(value, ensure_ascii=False, default=str)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        return too_large(origin, size, limit, text, split)
    return RawRecord(origin, data=value, split=split)
