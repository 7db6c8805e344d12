"""Parsing one file (a local file, an S3 object) into :class:`RawRecord` items, by extension.

Supported: ``.jsonl``, ``.json`` (a list of objects, or ``{"data": [...]}``), ``.parquet``,
``.csv``; all but ``.parquet`` may be gzip-compressed (``.jsonl.gz``). JSONL is read line by line
from a stream with a bounded ``readline``, so a pathological line costs at most ``limit`` bytes of
memory; CSV row by row from a text stream (a field over ``limit`` characters is quarantined
as too large without being held whole); Parquet by record batch; a ``.json`` file is parsed
whole and refused above ``max_json_bytes`` (see :mod:`qadapter.data.records` for both caps and
the nesting limit).

Nothing here raises on bad *content*: a line that is not valid UTF-8, not valid JSON, or too
large becomes a :class:`RawRecord` with ``problem`` set, for the validator to quarantine.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from typing import BinaryIO, Iterator

from qadapter.data.records import (
    PREVIEW_CHARS,
    DataError,
    RawRecord,
    capped,
    checked,
    max_json_bytes,
    parser_limit,
    too_large,
)

EXTENSIONS = (".jsonl", ".json", ".parquet", ".csv")  # each may end in .gz except .parquet
_SKIP_CHUNK = 1 << 16  # bytes read at a time while skipping the rest of a too-large line
_GZIP_ERRORS = (OSError, EOFError, zlib.error)


def strip_extension(name: str) -> str:
    """``train.jsonl.gz`` -> ``train``."""
    lower = name.lower()
    if lower.endswith(".gz"):
        name, lower = name[:-3], lower[:-3]
    for ext in EXTENSIONS:
        if lower.endswith(ext):
            return name[: -len(ext)]
    return name


def extension(name: str) -> str | None:
    """The data extension of a file name (``.jsonl`` for ``a.jsonl.gz``), or None if unsupported."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for ext in EXTENSIONS:
        if lower.endswith(ext) and not (gz and ext == ".parquet"):
            return ext
    return None


def parse_bytes(data: bytes, name: str, split: str | None, limit: int) -> Iterator[RawRecord]:
    """Parse one file's bytes by its extension (``name`` is also the origin prefix)."""
    return parse_stream(io.BytesIO(data), name, split, limit)


def parse_stream(stream: BinaryIO, name: str, split: str | None, limit: int) -> Iterator[RawRecord]:
    """Parse a binary stream by the extension of ``name``; records over ``limit`` bytes are
    quarantined as ``record_too_large``."""
    ext = extension(name)
    if ext is None:  # callers only pass supported names
        raise DataError(f"{name}: unsupported file type; use one of {', '.join(EXTENSIONS)}")
    gz = name.lower().endswith(".gz")
    if gz:
        stream = gzip.GzipFile(fileobj=stream, mode="rb")
    errors = _GZIP_ERRORS if gz else ()  # read errors that mean bad compressed data
    if ext == ".jsonl":
        yield from _parse_jsonl(stream, name, split, limit, errors)
    elif ext == ".csv":
        yield from _parse_csv(stream, name, split, limit, errors)
    elif ext == ".parquet":
        yield from _parse_parquet(stream, name, split, limit)
    else:
        most = max_json_bytes()
        try:
            data = stream.read(most + 1)
        except errors as exc:
            yield _bad_gzip(f"{name}:1", exc, split)
            return
        if len(data) > most:
            raise DataError(
                f"{name}: a .json file is parsed whole and this one is over {most:,} bytes; "
                "convert it to JSON Lines (.jsonl, one record per line, read record by record) "
                "or raise QADAPTER_MAX_JSON_BYTES"
            )
        yield from _parse_json(data, name, split, limit)


def _bad_gzip(origin: str, exc: BaseException, split: str | None) -> RawRecord:
    return RawRecord(
        origin,
        problem="unparseable",
        detail=f"bad gzip data: {exc}; the rest of the file is unreadable",
        split=split,
    )


def _parse_jsonl(
    stream: BinaryIO, name: str, split: str | None, limit: int, errors: tuple = ()
) -> Iterator[RawRecord]:
    number = 0
    while True:
        try:
            line = stream.readline(limit + 1)
        except errors as exc:
            yield _bad_gzip(f"{name}:{number + 1}", exc, split)
            return
        if not line:
            return
        number += 1
        origin = f"{name}:{number}"
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if len(line) > limit and not line.endswith(b"\n"):  # more than `limit` bytes of content
            size, rest = len(line), line[-1:]
            preview = line[:PREVIEW_CHARS].decode("utf-8", "backslashreplace")
            del line  # hold at most one chunk of the rest of the line from here on
            try:
                while rest and not rest.endswith(b"\n"):
                    rest = stream.readline(_SKIP_CHUNK)
                    size += len(rest)
            except errors as exc:
                yield _bad_gzip(origin, exc, split)
                return
            size -= 1 if rest.endswith(b"\n") else 0
            yield too_large(origin, size, limit, preview, split)
            continue
        if not line.strip():
            continue  # blank lines are not records
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RawRecord(
                origin,
                problem="invalid_utf8",
                split=split,
                detail=f"byte {exc.start}: {exc.reason}",
                raw=line.rstrip(b"\r\n").decode("utf-8", "backslashreplace"),
            )
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RawRecord(
                origin,
                problem="unparseable",
                detail=f"bad JSON: {exc.msg} at column {exc.colno}",
                raw=text.rstrip("\r\n"),
                split=split,
            )
            continue
        except (RecursionError, ValueError) as exc:  # nesting, or the 4300-digit int limit
            yield parser_limit(origin, exc, text, split)
            continue
        yield checked(origin, value, text, split)


def _parse_json(data: bytes, name: str, split: str | None, limit: int) -> Iterator[RawRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield RawRecord(
            f"{name}:{line}",
            problem="invalid_utf8",
            split=split,
            detail=f"{exc.reason}; the whole file is one record",
            raw=data[:2000].decode("utf-8", "backslashreplace"),
        )
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RawRecord(
            f"{name}:{exc.lineno}",
            problem="unparseable",
            split=split,
            detail=f"bad JSON: {exc.msg} at column {exc.colno}; the whole file is one record",
            raw=text[:2000],
        )
        return
    except (RecursionError, ValueError) as exc:  # nesting, or the 4300-digit int limit
        bad = parser_limit(f"{name}:1", exc, text, split)
        yield RawRecord(
            bad.origin,
            problem=bad.problem,
            detail=f"{bad.detail}; the whole file is one record",
            raw=bad.raw,
            split=split,
        )
        return
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        value = value["data"]
    if not isinstance(value, list):
        yield RawRecord(
            f"{name}:1",
            problem="unparseable",
            split=split,
            raw=text[:2000],
            detail='expected a list of objects or {"data": [...]}',
        )
        return
    for index, item in enumerate(value):
        yield capped(f"{name}[{index}]", item, limit, split)


def _parse_csv(
    stream: BinaryIO, name: str, split: str | None, limit: int, errors: tuple = ()
) -> Iterator[RawRecord]:
    # Row by row from a text stream (memory: one row). surrogateescape keeps invalid bytes
    # visible per row instead of failing the whole file. A field over `limit` characters is a
    # csv.Error (the record would be too large anyway): quarantined, and reading goes on.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    csv.field_size_limit(limit + 1)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except errors as exc:
        yield _bad_gzip(f"{name}:1", exc, split)
        return
    except csv.Error as exc:
        yield RawRecord(
            f"{name}:1", problem="unparseable", detail=f"bad CSV header: {exc}", split=split
        )
        return
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except errors as exc:
            yield _bad_gzip(f"{name}:{start}", exc, split)
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):  # the reader resumes at the
                line = reader.line_num  # next physical line
                yield too_large(f"{name}:{start}", limit + 1, limit, "", split)
                continue
            yield RawRecord(
                f"{name}:{start}", problem="unparseable", detail=f"bad CSV: {exc}", split=split
            )
            return  # the csv reader cannot resynchronise after an error
        line = reader.line_num
        if not row:
            continue
        origin = f"{name}:{start}"
        if any(_has_surrogates(cell) for cell in row):
            raw = ",".join(row).encode("utf-8", "surrogateescape")
            yield RawRecord(
                origin,
                problem="invalid_utf8",
                detail="invalid UTF-8 bytes",
                raw=raw.decode("utf-8", "backslashreplace"),
                split=split,
            )
            continue
        if len(row) > len(header):
            yield RawRecord(
                origin,
                problem="unparseable",
                raw=",".join(row),
                split=split,
                detail=f"{len(row)} fields but the header has {len(header)}",
            )
            continue
        yield capped(origin, dict(zip(header, row)), limit, split)


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _parse_parquet(
    stream: BinaryIO, name: str, split: str | None, limit: int
) -> Iterator[RawRecord]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not stream.seekable():  # Parquet needs random access (its footer first): an S3 body
        stream = io.BytesIO(stream.read())
    try:
        parquet = pq.ParquetFile(stream)
    except (pa.ArrowException, OSError) as exc:
        yield RawRecord(
            f"{name}[0]",
            problem="unparseable",
            split=split,
            detail=f"bad Parquet file: {exc}; the whole file is one record",
        )
        return
    index = 0
    for batch in parquet.iter_batches(batch_size=256):  # memory: one batch of rows
        for row in batch.to_pylist():
            yield capped(f"{name}[{index}]", row, limit, split)
            index += 1
