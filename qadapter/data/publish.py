"""``qadapter data publish SOURCE DEST``: put a preference file where ``recustomize`` watches, and
tell Prefect it arrived.

DEST is a local directory or an ``s3://bucket/prefix`` (credentials from the standard AWS chain,
never the URI; ``AWS_ENDPOINT_URL`` selects an S3-compatible store). The file lands as
``DEST/<name>-<sha256[:12]><ext>``: publishing the same bytes twice writes one object, and two
different files with one name never overwrite each other. A local copy is written to a hidden
temporary name and renamed, so a watcher never reads half a file.

Then whoever listens is told: every callable registered in the entry-point group :data:`HOOKS`
gets the :class:`Published` record. The pipeline registers ``tasks.events:emit_arrived``
(pyproject.toml), which emits the Prefect event ``preference-data.arrived`` (what the deployment
``recustomize/hh-watch`` is triggered by); the library itself never imports Prefect. The event::

    resource  prefect.resource.id  qadapter.preference-data.<sha256 of the file's bytes>
              prefect.resource.name  the published file name
              qadapter.location      DEST (the watched location)
              qadapter.uri           where the file now is
              qadapter.sha256        the file's sha256
    payload   {"location", "uri", "sha256", "bytes", "file"}

The event goes to the Prefect API named by ``PREFECT_API_URL`` (environment or active profile).
When none is configured the file is still published and one line says that no event was sent:
the deployment's schedule picks the file up at its next run. An API that is configured but does
not answer is an error (exit 1) after the file is published. Publishing does not validate the
records: the flow does (with quarantine); run ``qadapter data check`` first to see problems early.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from qadapter.data.parse import EXTENSIONS, extension, strip_extension
from qadapter.data.records import DataError
from qadapter.data.sources import check_source
from qadapter.filemode import follow_umask
from qadapter.secrets import redact

EVENT = "preference-data.arrived"
RESOURCE_PREFIX = "qadapter.preference-data."
# entry-point group of the callables told about a published file: (Published) -> event id or
# None when there is nowhere to send it; a DataError when the receiver does not answer
HOOKS = "qadapter.on_published"


@dataclass(frozen=True)
class Published:
    """Where a file went and what it was."""

    location: str  # the watched location: the s3:// prefix, or the directory's absolute path
    uri: str  # the published file (a local path or s3://bucket/key)
    sha256: str  # of the file's bytes
    bytes: int
    file: str  # the published file name
    existed: bool  # the same bytes were already there (nothing written)


def published_name(source_name: str, sha256: str) -> str:
    """``prefs.jsonl.gz`` + hash -> ``prefs-<sha256[:12]>.jsonl.gz`` (extension kept whole)."""
    stem = strip_extension(source_name)
    return f"{stem}-{sha256[:12]}{source_name[len(stem) :]}"


def file_sha256(path: Path) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a file, read in blocks."""
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            n += len(block)
    return h.hexdigest(), n


def _source_file(source: str) -> Path:
    path = Path(source).expanduser()
    if not path.is_file():
        raise DataError(f"publish: {source} is not a file; give one preference data file")
    if extension(path.name) is None:
        raise DataError(
            f"publish: {source}: unsupported file type; use one of "
            f"{', '.join(EXTENSIONS)} (optionally .gz)"
        )
    return path


def publish_file(source: str, dest: str) -> Published:
    """Copy or upload ``source`` into ``dest`` (a directory or ``s3://bucket/prefix``)."""
    dest = check_source(dest).rstrip("/") or "/"
    path = _source_file(source)
    sha, size = file_sha256(path)
    name = published_name(path.name, sha)
    if dest.startswith("s3://"):
        uri, existed = _upload(path, dest, name, sha)
    elif "://" in dest:
        raise DataError(f"publish: {redact(dest)}: give a local directory or an s3:// prefix")
    else:  # the event names the directory absolutely: the worker's working directory differs
        directory = Path(dest).expanduser().resolve()
        uri, existed = _copy(path, directory, name)
        dest = str(directory)
    return Published(dest, uri, sha, size, name, existed)


def _copy(path: Path, directory: Path, name: str) -> tuple[str, bool]:
    if directory.exists() and not directory.is_dir():
        raise DataError(f"publish: {directory} is a file; DEST must be a directory")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if target.is_file() and file_sha256(target)[0] == file_sha256(path)[0]:
        return str(target.resolve()), True
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=directory)
    os.close(fd)  # a dot-name without a data extension: listings skip it until the rename
    try:
        shutil.copyfile(path, tmp)
        follow_umask(tmp)  # mkstemp made it 0600: readable by other workers as the umask allows
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(target.resolve()), False


def _upload(path: Path, dest: str, name: str, sha: str) -> tuple[str, bool]:
    from botocore.exceptions import BotoCoreError, ClientError

    from qadapter.data.s3 import _client, s3_error

    parts = urlsplit(dest)
    bucket, prefix = parts.netloc, parts.path.strip("/")
    if not bucket:
        raise DataError(f"publish: {redact(dest)}: missing bucket name; write s3://BUCKET/PREFIX")
    key = f"{prefix}/{name}" if prefix else name
    uri = f"s3://{bucket}/{key}"
    client = _client()
    try:
        try:
            head = client.head_object(Bucket=bucket, Key=key)
            if head.get("Metadata", {}).get("sha256") == sha:
                return uri, True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey", "NotFound"):
                raise
        with open(path, "rb") as body:
            client.put_object(Bucket=bucket, Key=key, Body=body, Metadata={"sha256": sha})
    except (BotoCoreError, ClientError) as exc:
        message = str(s3_error(exc, uri)).replace("cannot read", "cannot upload to", 1)
        raise DataError(message) from None
    return uri, False


def event_resource(p: Published) -> dict[str, str]:
    """The event's resource: its id carries the content hash; labels are strings."""
    return {
        "prefect.resource.id": f"{RESOURCE_PREFIX}{p.sha256}",
        "prefect.resource.name": p.file,
        "qadapter.location": redact(p.location),
        "qadapter.uri": redact(p.uri),
        "qadapter.sha256": p.sha256,
    }


def event_payload(p: Published) -> dict:
    return {
        "location": redact(p.location),
        "uri": redact(p.uri),
        "sha256": p.sha256,
        "bytes": p.bytes,
        "file": p.file,
    }


def on_published_hooks() -> list[Callable[[Published], str | None]]:
    """The callables registered under :data:`HOOKS` (each entry point once, in name order)."""
    found = {ep.value: ep for ep in entry_points(group=HOOKS)}  # an entry point seen twice: once
    return [ep.load() for ep in sorted(found.values(), key=lambda ep: ep.name)]
