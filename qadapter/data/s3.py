"""``s3://bucket/prefix`` sources: every supported object under the prefix, through boto3 with the
standard credential chain (environment, profile, instance role); ``AWS_ENDPOINT_URL`` (or
``AWS_ENDPOINT_URL_S3``) selects an S3-compatible store. Objects are streamed, not downloaded
whole, so the JSONL record cap bounds memory here too.
"""

from __future__ import annotations

import io
import os
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from qadapter.data.parse import extension, parse_stream
from qadapter.data.records import DataError, RawRecord


def _client():
    import boto3

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return boto3.client("s3", endpoint_url=endpoint or None)


def s3_error(exc: Exception, uri: str) -> DataError:
    """One actionable line for a boto error on ``uri`` (credentials never shown)."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        hint = (
            "no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            "or AWS_PROFILE"
        )
    elif isinstance(exc, EndpointConnectionError):
        endpoint = os.environ.get("AWS_ENDPOINT_URL") or "the default AWS endpoint"
        hint = f"cannot reach {endpoint}; check AWS_ENDPOINT_URL and that the server is running"
    elif isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "error")
        hint = {
            "NoSuchBucket": "the bucket does not exist; check the bucket name",
            "AccessDenied": "access denied; check the credentials' permissions",
            "InvalidAccessKeyId": "the access key is not known to this store; check it",
            "SignatureDoesNotMatch": "the secret key is wrong; check it",
        }.get(code, f"S3 error {code}; check the URI and credentials")
    else:
        hint = f"{type(exc).__name__}; check the URI, endpoint and credentials"
    return DataError(f"cannot read {uri}: {hint}")


class _RawBody(io.RawIOBase):
    """A botocore streaming body as a raw stream, so ``io.BufferedReader`` can ``readline``."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def s3_entries(
    source: str,
    split_of: Callable[[str], str | None],
) -> tuple[list[tuple[str, str | None, Callable]], list[str]]:
    """``([(uri, split, read(limit)), ...], skipped)`` for the objects under ``source``."""
    from botocore.exceptions import BotoCoreError, ClientError

    parts = urlsplit(source)
    bucket, prefix = parts.netloc, parts.path.lstrip("/")
    if not bucket:
        raise DataError(f"{source}: missing bucket name; write s3://BUCKET/PREFIX")
    client = _client()
    keys = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
    except (BotoCoreError, ClientError) as exc:
        raise s3_error(exc, source) from None
    entries, skipped = [], []
    for key in sorted(keys):
        if key.endswith("/"):
            continue  # folder marker objects hold no data
        uri = f"s3://{bucket}/{key}"
        if extension(key) is None:
            skipped.append(f"{uri} (unsupported file type)")
            continue
        relative = key[len(prefix) :].lstrip("/") if key != prefix else key.rsplit("/", 1)[-1]
        split = split_of(relative)
        entries.append((uri, split, _reader(client, bucket, key, uri, split)))
    if not entries:
        raise DataError(
            f"no data files under {source}; check the bucket and prefix (found "
            f"{len(keys)} object(s), none .jsonl/.json/.parquet/.csv)"
        )
    return entries, skipped


def _reader(
    client: Any, bucket: str, key: str, uri: str, split: str | None
) -> Callable[[int], Iterator[RawRecord]]:
    def read(limit: int) -> Iterator[RawRecord]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
        except (BotoCoreError, ClientError) as exc:
            raise s3_error(exc, uri) from None
        try:
            yield from parse_stream(io.BufferedReader(_RawBody(body)), uri, split, limit)
        except (BotoCoreError, ClientError) as exc:
            raise s3_error(exc, uri) from None
        finally:
            body.close()

    return read
