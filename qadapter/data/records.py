"""What every reader yields (:class:`RawRecord`), the data layer's one error type, and the cap on
the size of a single record.

The cap (``max_record_bytes``): a record bigger than this many bytes is quarantined as
``record_too_large`` with its origin instead of being parsed. Default 1 MB
(:data:`DEFAULT_MAX_RECORD_BYTES`), overridden by the environment variable
``QADAPTER_MAX_RECORD_BYTES`` or the ``max_record_bytes=`` argument of the loaders. How it is
measured: a JSONL line's bytes, checked while reading (a longer line is never held in memory
whole); a record of a ``.json``, ``.csv`` or ``.parquet`` file or an ``hf://`` row: the UTF-8 bytes
of the record written as JSON, checked after the file is parsed (these formats are read whole).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from qadapter.secrets import redact

DEFAULT_MAX_RECORD_BYTES = 1_000_000
MAX_RECORD_ENV = "QADAPTER_MAX_RECORD_BYTES"
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


def capped(origin: str, value: Any, limit: int, split: str | None) -> RawRecord:
    """A parsed record, or its ``record_too_large`` stand-in if its JSON form exceeds ``limit``."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        return too_large(origin, size, limit, text, split)
    return RawRecord(origin, data=value, split=split)
