"""Reading raw records, each with its origin, from files, directories, ``hf://`` and ``s3://``.

A source string names one of:

- a local file: ``.jsonl``, ``.json`` (a list of objects, or ``{"data": [...]}``), ``.parquet``,
  ``.csv``; ``.jsonl``/``.json``/``.csv`` may be gzip-compressed (``.jsonl.gz``);
- a local directory: every supported file under it, recursively, in sorted path order;
- ``hf://OWNER/NAME?data_dir=...&split=...`` (or ``hf:///local/dataset/dir``): see
  :mod:`qadapter.data.hf`;
- ``s3://bucket/prefix``: every supported object under the prefix, see :mod:`qadapter.data.s3`.

:func:`check_source` is the single door a source string passes into the data layer
(:func:`list_source` and :func:`available_splits` call it): a source that carries credentials in
its URL (``user:pass@``, ``?X-Amz-Security-Token=...``, ``?token=...``) is refused with a
:class:`DataError` that points to the standard credential chains, so a secret never travels on
into parameters, logs, MLflow or ``qadapter.json``.

Origins: ``file.jsonl:12`` and ``file.csv:12`` are 1-based line numbers; ``file.json[3]``,
``file.parquet[3]`` and ``hf://...[3]`` are 0-based indices (as ``rows[3]``).

Bad *content* never raises (see :mod:`qadapter.data.parse`); bad *sources* (missing path,
unreachable bucket) raise :class:`DataError`, whose messages never contain credentials.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from qadapter.data.parse import EXTENSIONS, extension, parse_stream, strip_extension
from qadapter.data.records import DataError, RawRecord
from qadapter.data.records import max_record_bytes as _max_record_bytes
from qadapter.secrets import refuse_credentials

__all__ = [
    "DataError",
    "Entry",
    "Listing",
    "RawRecord",
    "available_splits",
    "check_source",
    "list_source",
    "split_of",
]

# File and folder names that mark a split: ``train.jsonl``, ``test-00000-of-00001.parquet``,
# ``harmless-base/test.jsonl.gz``, ``validation/part1.csv``.
_SPLIT_NAME = re.compile(
    r"^(train|training|test|testing|eval|validation|valid|val|dev)(?:[-_.].*)?$"
)
_SPLIT_ALIASES = {
    "training": "train",
    "testing": "test",
    "eval": "test",
    "valid": "validation",
    "val": "validation",
    "dev": "validation",
}


@dataclass(frozen=True)
class Entry:
    """One readable unit of a source (a file, an S3 object, an hf split).

    ``read(limit)`` yields its records, quarantining any over ``limit`` bytes.
    """

    name: str
    split: str | None
    read: Callable[[int], Iterable[RawRecord]]


@dataclass(frozen=True)
class Listing:
    """What a source holds: the entries to read and the files skipped (with why)."""

    source: str
    entries: tuple[Entry, ...]
    skipped: tuple[str, ...] = ()

    def records(self, max_record_bytes: int | None = None) -> Iterator[RawRecord]:
        """Every record of every entry; ``max_record_bytes`` defaults as in
        :func:`qadapter.data.records.max_record_bytes`."""
        limit = _max_record_bytes(max_record_bytes)
        for entry in self.entries:
            yield from entry.read(limit)


def check_source(source: object) -> str:
    """``str(source)``, or :class:`DataError` if it carries credentials (one line, redacted)."""
    return refuse_credentials(str(source), DataError)


def split_of(relative_path: str) -> str | None:
    """The split a file belongs to, from its name or a parent folder's name (else None)."""
    parts = relative_path.replace("\\", "/").split("/")
    parts[-1] = strip_extension(parts[-1])
    for part in reversed(parts):
        match = _SPLIT_NAME.match(part.lower())
        if match:
            return _SPLIT_ALIASES.get(match.group(1), match.group(1))
    return None


def list_source(source: str, *, split: str | None = None) -> Listing:
    """List what ``source`` holds; with ``split``, only the entries of that split."""
    source = check_source(source)
    if source.startswith("hf://"):
        from qadapter.data.hf import hf_entries

        return Listing(source, tuple(Entry(*e) for e in hf_entries(source, split, split_of)))
    if source.startswith("s3://"):
        from qadapter.data.s3 import s3_entries

        entries, skipped = s3_entries(source, split_of)
        listing = Listing(source, tuple(Entry(*e) for e in entries), tuple(skipped))
    else:
        listing = _list_local(source)
    if split is None:
        return listing
    return Listing(
        listing.source, tuple(e for e in listing.entries if e.split == split), listing.skipped
    )


def available_splits(source: str) -> frozenset[str]:
    """The split names a source declares (file names, folder names, hf splits)."""
    source = check_source(source)
    if source.startswith("hf://"):
        from qadapter.data.hf import hf_splits

        return hf_splits(source, split_of)
    return frozenset(e.split for e in list_source(source).entries if e.split)


def _list_local(source: str) -> Listing:
    path = Path(source).expanduser()
    if path.is_symlink() and not path.exists():
        raise DataError(
            f"{source}: a dangling symbolic link (its target {os.readlink(path)} does not "
            "exist); point it at a data file or directory"
        )
    if not path.exists():
        raise DataError(
            f"source not found: {source}; give an existing file or directory, "
            "or an hf:// or s3:// URI"
        )
    if path.is_file():
        if extension(path.name) is None:
            raise DataError(
                f"{source}: unsupported file type; use one of "
                f"{', '.join(EXTENSIONS)} (optionally .gz)"
            )
        return Listing(source, (_local_entry(path, path.name, source),))
    if not path.is_dir():
        raise DataError(
            f"{source}: {_special_kind(path)}, not a regular file or directory; copy the data "
            "into a .jsonl/.json/.parquet/.csv file"
        )
    entries, skipped = [], []
    for file in sorted(p for p in path.rglob("*") if not p.is_dir()):
        relative = file.relative_to(path).as_posix()
        if not file.is_file():  # never opened: a FIFO would block, a dangling link fails
            skipped.append(f"{file} ({_special_kind(file)})")
        elif extension(file.name) is None:
            skipped.append(f"{file} (unsupported file type)")
        else:
            entries.append(_local_entry(file, relative, str(file)))
    if not entries:
        listed = f" (skipped: {'; '.join(skipped[:5])})" if skipped else ""
        raise DataError(
            f"no data files in directory {source}{listed}; put .jsonl/.json/.parquet/.csv "
            "files in it"
        )
    return Listing(source, tuple(entries), tuple(skipped))


def _special_kind(path: Path) -> str:
    """What a path that is neither a regular file nor a directory is."""
    if path.is_symlink() and not path.exists():
        return "dangling symbolic link"
    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _local_entry(file: Path, relative: str, display: str) -> Entry:
    split = split_of(relative)

    def read(limit: int) -> Iterator[RawRecord]:
        with open(file, "rb") as stream:
            yield from parse_stream(stream, display, split, limit)

    return Entry(display, split, read)
