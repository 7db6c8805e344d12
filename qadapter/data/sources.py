"""Reading raw records, each with its origin, from files, directories, ``hf://`` and ``s3://``.

A source string names one of:

- a local file: ``.jsonl``, ``.json`` (a list of objects, or ``{"data": [...]}``), ``.parquet``,
  ``.csv``; ``.jsonl``/``.json``/``.csv`` may be gzip-compressed (``.jsonl.gz``);
- a local directory: every supported file under it, recursively, in sorted path order;
- ``hf://OWNER/NAME?data_dir=...&split=...`` (or ``hf:///local/dataset/dir``): read through
  ``datasets.load_dataset``, so it works wherever the user has the hub or a local cache;
- ``s3://bucket/prefix``: every supported object under the prefix, through boto3 with the
  standard credential chain; ``AWS_ENDPOINT_URL`` selects an S3-compatible store.

Origins: ``file.jsonl:12`` and ``file.csv:12`` are 1-based line numbers; ``file.json[3]``,
``file.parquet[3]`` and ``hf://...[3]`` are 0-based indices (as ``rows[3]``).

Nothing here raises on bad *content*: a line that is not valid UTF-8 or not valid JSON becomes a
:class:`RawRecord` with ``problem`` set, for the validator to quarantine and count. Bad *sources*
(missing path, unreachable bucket) raise :class:`DataError`, whose messages never contain
credentials (see :func:`redact`).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import parse_qsl, urlsplit

EXTENSIONS = (".jsonl", ".json", ".parquet", ".csv")  # each may end in .gz except .parquet
HF_PARAMS = ("data_dir", "split", "name", "revision")  # query parameters of an hf:// source

# File and folder names that mark a split: ``train.jsonl``, ``test-00000-of-00001.parquet``,
# ``harmless-base/test.jsonl.gz``, ``validation/part1.csv``.
_SPLIT_NAME = re.compile(
    r"^(train|training|test|testing|eval|validation|valid|val|dev)(?:[-_.].*)?$")
_SPLIT_ALIASES = {"training": "train", "testing": "test", "eval": "test",
                  "valid": "validation", "val": "validation", "dev": "validation"}
_SECRET_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "HF_TOKEN",
               "HUGGING_FACE_HUB_TOKEN")


class DataError(Exception):
    """A data problem a person must fix: the message says what, where, and what to do."""

    def __init__(self, message: str, problems: tuple = ()) -> None:
        super().__init__(redact(message))
        self.problems = problems  # QuarantineEntry items, for strict-mode failures


@dataclass(frozen=True)
class RawRecord:
    """One input record before conversion.

    origin:  where it came from (``file.jsonl:12``).
    data:    the parsed value (normally a dict); ``None`` when ``problem`` is set.
    problem: ``"unparseable"`` or ``"invalid_utf8"`` when the record could not be read.
    detail:  what exactly was wrong, for the quarantine file.
    raw:     the raw text of an unreadable record (invalid bytes shown as ``\\xNN``).
    split:   ``train``/``test``/``validation`` when the file or hf split names one, else None.
    """

    origin: str
    data: Any = None
    problem: str | None = None
    detail: str = ""
    raw: str | None = None
    split: str | None = None


@dataclass(frozen=True)
class Entry:
    """One readable unit of a source (a file, an S3 object, an hf split)."""

    name: str
    split: str | None
    read: Callable[[], Iterable[RawRecord]]


@dataclass(frozen=True)
class Listing:
    """What a source holds: the entries to read and the files skipped (with why)."""

    source: str
    entries: tuple[Entry, ...]
    skipped: tuple[str, ...] = ()

    def records(self) -> Iterator[RawRecord]:
        for entry in self.entries:
            yield from entry.read()


def redact(text: str) -> str:
    """Remove credentials from text: secret env var values and ``user:pass@`` in URLs."""
    text = re.sub(r"(?<=://)[^/@\s]+@", "***@", text)
    for var in _SECRET_ENV:
        value = os.environ.get(var)
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text


def split_of(relative_path: str) -> str | None:
    """The split a file belongs to, from its name or a parent folder's name (else None)."""
    parts = relative_path.replace("\\", "/").split("/")
    parts[-1] = _strip_extension(parts[-1])
    for part in reversed(parts):
        match = _SPLIT_NAME.match(part.lower())
        if match:
            return _SPLIT_ALIASES.get(match.group(1), match.group(1))
    return None


def list_source(source: str, *, split: str | None = None) -> Listing:
    """List what ``source`` holds; with ``split``, only the entries of that split."""
    source = str(source)
    if source.startswith("hf://"):
        return _list_hf(source, split)
    if source.startswith("s3://"):
        listing = _list_s3(source)
    else:
        listing = _list_local(source)
    if split is None:
        return listing
    return Listing(listing.source, tuple(e for e in listing.entries if e.split == split),
                   listing.skipped)


def available_splits(source: str) -> frozenset[str]:
    """The split names a source declares (file names, folder names, hf splits)."""
    source = str(source)
    if source.startswith("hf://"):
        path, params = parse_hf(source)
        params.pop("split", None)
        return frozenset(e.split for e in _list_hf(_hf_uri(path, params), None).entries)
    return frozenset(e.split for e in list_source(source).entries if e.split)


# ---- parsing bytes ---------------------------------------------------------------------------

def _strip_extension(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        name, lower = name[:-3], lower[:-3]
    for ext in EXTENSIONS:
        if lower.endswith(ext):
            return name[: -len(ext)]
    return name


def _extension(name: str) -> str | None:
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for ext in EXTENSIONS:
        if lower.endswith(ext) and not (gz and ext == ".parquet"):
            return ext
    return None


def parse_bytes(data: bytes, name: str, split: str | None = None) -> Iterator[RawRecord]:
    """Parse one file's bytes by its extension (``name`` is also the origin prefix)."""
    if name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            yield RawRecord(f"{name}:1", problem="unparseable", detail=f"bad gzip data: {exc}",
                            split=split)
            return
    ext = _extension(name)
    if ext == ".jsonl":
        yield from _parse_jsonl(data, name, split)
    elif ext == ".json":
        yield from _parse_json(data, name, split)
    elif ext == ".csv":
        yield from _parse_csv(data, name, split)
    elif ext == ".parquet":
        yield from _parse_parquet(data, name, split)
    else:  # callers only pass supported names
        raise DataError(f"{name}: unsupported file type; use one of {', '.join(EXTENSIONS)}")


def _parse_jsonl(data: bytes, name: str, split: str | None) -> Iterator[RawRecord]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, line in enumerate(data.split(b"\n"), start=1):
        origin = f"{name}:{number}"
        if not line.strip():
            continue  # blank lines are not records
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RawRecord(origin, problem="invalid_utf8", split=split,
                            detail=f"byte {exc.start}: {exc.reason}",
                            raw=line.decode("utf-8", "backslashreplace"))
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RawRecord(origin, problem="unparseable", detail=f"bad JSON: {exc.msg} "
                            f"at column {exc.colno}", raw=text, split=split)
            continue
        yield RawRecord(origin, data=value, split=split)


def _parse_json(data: bytes, name: str, split: str | None) -> Iterator[RawRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield RawRecord(f"{name}:{line}", problem="invalid_utf8", split=split,
                        detail=f"{exc.reason}; the whole file is one record",
                        raw=data[:2000].decode("utf-8", "backslashreplace"))
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RawRecord(f"{name}:{exc.lineno}", problem="unparseable", split=split,
                        detail=f"bad JSON: {exc.msg} at column {exc.colno}; the whole file is "
                        "one record", raw=text[:2000])
        return
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        value = value["data"]
    if not isinstance(value, list):
        yield RawRecord(f"{name}:1", problem="unparseable", split=split, raw=text[:2000],
                        detail='expected a list of objects or {"data": [...]}')
        return
    for index, item in enumerate(value):
        yield RawRecord(f"{name}[{index}]", data=item, split=split)


def _parse_csv(data: bytes, name: str, split: str | None) -> Iterator[RawRecord]:
    # surrogateescape keeps invalid bytes visible per row instead of failing the whole file.
    text = data.decode("utf-8-sig", "surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield RawRecord(f"{name}:1", problem="unparseable", detail=f"bad CSV header: {exc}",
                        split=split)
        return
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRecord(f"{name}:{start}", problem="unparseable", detail=f"bad CSV: {exc}",
                            split=split)
            return  # the csv reader cannot resynchronise after an error
        line = reader.line_num
        if not row:
            continue
        origin = f"{name}:{start}"
        if any(_has_surrogates(cell) for cell in row):
            raw = ",".join(row).encode("utf-8", "surrogateescape")
            yield RawRecord(origin, problem="invalid_utf8", detail="invalid UTF-8 bytes",
                            raw=raw.decode("utf-8", "backslashreplace"), split=split)
            continue
        if len(row) > len(header):
            yield RawRecord(origin, problem="unparseable", raw=",".join(row), split=split,
                            detail=f"{len(row)} fields but the header has {len(header)}")
            continue
        yield RawRecord(origin, data=dict(zip(header, row)), split=split)


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _parse_parquet(data: bytes, name: str, split: str | None) -> Iterator[RawRecord]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        yield RawRecord(f"{name}[0]", problem="unparseable", split=split,
                        detail=f"bad Parquet file: {exc}; the whole file is one record")
        return
    index = 0
    for batch in parquet.iter_batches():
        for row in batch.to_pylist():
            yield RawRecord(f"{name}[{index}]", data=row, split=split)
            index += 1


# ---- local files -----------------------------------------------------------------------------

def _list_local(source: str) -> Listing:
    path = Path(source).expanduser()
    if not path.exists():
        raise DataError(f"source not found: {source}; give an existing file or directory, "
                        "or an hf:// or s3:// URI")
    if path.is_file():
        if _extension(path.name) is None:
            raise DataError(f"{source}: unsupported file type; use one of "
                            f"{', '.join(EXTENSIONS)} (optionally .gz)")
        return Listing(source, (_local_entry(path, path.name, source),))
    entries, skipped = [], []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = file.relative_to(path).as_posix()
        if _extension(file.name) is None:
            skipped.append(f"{file} (unsupported file type)")
        else:
            entries.append(_local_entry(file, relative, str(file)))
    if not entries:
        raise DataError(f"no data files in directory {source}; put .jsonl/.json/.parquet/.csv "
                        "files in it")
    return Listing(source, tuple(entries), tuple(skipped))


def _local_entry(file: Path, relative: str, display: str) -> Entry:
    split = split_of(relative)
    return Entry(display, split, lambda: parse_bytes(file.read_bytes(), display, split))


# ---- hf:// -----------------------------------------------------------------------------------

def parse_hf(source: str) -> tuple[str, dict[str, str]]:
    """``hf://OWNER/NAME?data_dir=x&split=test`` -> ``("OWNER/NAME", {"data_dir": "x", ...})``."""
    rest = source[len("hf://"):]
    path, _, query = rest.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(params) - set(HF_PARAMS))
    if unknown or not path:
        what = f"unknown parameter {unknown[0]!r}" if unknown else "missing dataset name"
        raise DataError(f"{source}: {what}; write hf://OWNER/NAME?data_dir=DIR&split=SPLIT "
                        f"(parameters: {', '.join(HF_PARAMS)})")
    return path, params


def _hf_uri(path: str, params: dict[str, str]) -> str:
    query = "&".join(f"{k}={params[k]}" for k in HF_PARAMS if params.get(k))
    return f"hf://{path}" + (f"?{query}" if query else "")


def _load_hf(path: str, params: dict[str, str]) -> Any:
    import datasets

    kwargs = {k: v for k, v in params.items() if v}
    try:
        return datasets.load_dataset(path, **kwargs)
    except Exception as exc:  # datasets raises many types; the user needs one line either way
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise DataError(f"cannot load {_hf_uri(path, params)}: {type(exc).__name__}: {first}; "
                        "check the name and split, or use a local dataset directory / cache "
                        "(HF_DATASETS_OFFLINE=1)") from None


def _hf_rows(uri: str, rows: Iterable[Any], split: str | None) -> Iterator[RawRecord]:
    for index, row in enumerate(rows):
        yield RawRecord(f"{uri}[{index}]", data=row, split=split)


def _list_hf(source: str, split: str | None) -> Listing:
    path, params = parse_hf(source)
    if split is not None:
        params["split"] = split
    if params.get("split"):
        uri = _hf_uri(path, params)
        name = params["split"]
        return Listing(source, (Entry(uri, split_of(name) or name,
                                      lambda: _hf_rows(uri, _load_hf(path, params), name)),))
    loaded = _load_hf(path, params)  # a DatasetDict: one entry per split
    names = sorted(loaded.keys(), key=lambda n: (n != "train", n))
    entries = []
    for name in names:
        uri = _hf_uri(path, {**params, "split": name})
        entries.append(Entry(uri, split_of(name) or name,
                             lambda uri=uri, name=name: _hf_rows(uri, loaded[name], name)))
    return Listing(source, tuple(entries))


# ---- s3:// -----------------------------------------------------------------------------------

def _s3_client():
    import boto3

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return boto3.client("s3", endpoint_url=endpoint or None)


def _s3_error(exc: Exception, uri: str) -> DataError:
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        hint = ("no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                "or AWS_PROFILE")
    elif isinstance(exc, EndpointConnectionError):
        endpoint = os.environ.get("AWS_ENDPOINT_URL") or "the default AWS endpoint"
        hint = f"cannot reach {endpoint}; check AWS_ENDPOINT_URL and that the server is running"
    elif isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "error")
        hint = {"NoSuchBucket": "the bucket does not exist; check the bucket name",
                "AccessDenied": "access denied; check the credentials' permissions",
                "InvalidAccessKeyId": "the access key is not known to this store; check it",
                "SignatureDoesNotMatch": "the secret key is wrong; check it",
                }.get(code, f"S3 error {code}; check the URI and credentials")
    else:
        hint = f"{type(exc).__name__}; check the URI, endpoint and credentials"
    return DataError(f"cannot read {uri}: {hint}")


def _list_s3(source: str) -> Listing:
    from botocore.exceptions import BotoCoreError, ClientError

    parts = urlsplit(source)
    bucket, prefix = parts.netloc, parts.path.lstrip("/")
    if not bucket:
        raise DataError(f"{source}: missing bucket name; write s3://BUCKET/PREFIX")
    client = _s3_client()
    keys = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                     Prefix=prefix):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
    except (BotoCoreError, ClientError) as exc:
        raise _s3_error(exc, source) from None
    entries, skipped = [], []
    for key in sorted(keys):
        if key.endswith("/"):
            continue  # folder marker objects hold no data
        uri = f"s3://{bucket}/{key}"
        if _extension(key) is None:
            skipped.append(f"{uri} (unsupported file type)")
            continue
        relative = key[len(prefix):].lstrip("/") if key != prefix else key.rsplit("/", 1)[-1]
        entries.append(_s3_entry(client, bucket, key, uri, split_of(relative)))
    if not entries:
        raise DataError(f"no data files under {source}; check the bucket and prefix (found "
                        f"{len(keys)} object(s), none .jsonl/.json/.parquet/.csv)")
    return Listing(source, tuple(entries), tuple(skipped))


def _s3_entry(client: Any, bucket: str, key: str, uri: str, split: str | None) -> Entry:
    def read() -> Iterator[RawRecord]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise _s3_error(exc, uri) from None
        yield from parse_bytes(body, uri, split)

    return Entry(uri, split, read)
