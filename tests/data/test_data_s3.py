"""s3:// sources against a real S3-compatible HTTP server (moto) on loopback."""

from __future__ import annotations

import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from s3_dummy_keys import S3_KEY_ID as KEY_ID
from s3_dummy_keys import S3_SECRET as SECRET

from qadapter.cli.data import run_check
from qadapter.data import DataError, load_preferences, load_splits


@pytest.fixture
def s3(s3_bucket):
    """A boto3 client on the session's moto server with an empty bucket ``prefs``."""
    return s3_bucket("prefs")


def jsonl(rows) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def test_reads_every_supported_object_under_prefix(s3, trl_rows, hh):
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(trl_rows[1:2]), buf)
    s3.put_object(Bucket="prefs", Key="hh/a.jsonl", Body=jsonl(trl_rows[:1]) + b"{bad\n")
    s3.put_object(Bucket="prefs", Key="hh/sub/b.parquet", Body=buf.getvalue())
    s3.put_object(
        Bucket="prefs",
        Key="hh/c.jsonl.gz",
        Body=gzip.compress(jsonl([{"chosen": hh("q", "good"), "rejected": hh("q", "bad")}])),
    )
    s3.put_object(Bucket="prefs", Key="hh/notes.txt", Body=b"not data")
    s3.put_object(Bucket="prefs", Key="other/d.jsonl", Body=jsonl(trl_rows[2:]))
    result = load_preferences("s3://prefs/hh/")
    assert [p.chosen for p in result.pairs] == ["4", "good", "Paris"]  # sorted keys
    assert result.pairs[0].origin == "s3://prefs/hh/a.jsonl:1"
    assert result.pairs[2].origin == "s3://prefs/hh/sub/b.parquet[0]"
    assert result.quarantine[0].origin == "s3://prefs/hh/a.jsonl:2"
    assert result.summary.reasons == {"unparseable": 1}
    assert result.summary.skipped_files == ("s3://prefs/hh/notes.txt (unsupported file type)",)


def test_explicit_test_split_under_prefix(s3):
    rows = [{"prompt": f"q{i}", "chosen": "a", "rejected": "b"} for i in range(3)]
    s3.put_object(Bucket="prefs", Key="ds/train.jsonl", Body=jsonl(rows[:2]))
    s3.put_object(Bucket="prefs", Key="ds/test.jsonl", Body=jsonl(rows[2:]))
    splits = load_splits("s3://prefs/ds")
    assert (len(splits.train), len(splits.test)) == (2, 1)
    assert splits.test[0].origin == "s3://prefs/ds/test.jsonl:1"


def test_errors_name_the_problem_and_never_the_credentials(s3, capsys):
    with pytest.raises(DataError) as info:
        load_preferences("s3://no-such-bucket/x")
    message = str(info.value)
    assert message == (
        "cannot read s3://no-such-bucket/x: the bucket does not exist; check the bucket name"
    )
    with pytest.raises(DataError, match=r"no data files under s3://prefs/empty"):
        load_preferences("s3://prefs/empty")
    assert run_check(["s3://no-such-bucket/x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert KEY_ID not in message + err and SECRET not in message + err


def test_unreachable_endpoint(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://user:pw@127.0.0.1:9")  # nothing listens
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(DataError) as info:
        load_preferences("s3://prefs/x")
    message = str(info.value)
    assert message.startswith("cannot read s3://prefs/x: cannot reach http://***@127.0.0.1:9")
    assert "pw" not in message and SECRET not in message
