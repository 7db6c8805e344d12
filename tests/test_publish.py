"""``qadapter data publish``: local directory and S3 (moto on loopback), the event it emits."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time

import pytest
from s3_dummy_keys import S3_KEY_ID as KEY_ID
from s3_dummy_keys import S3_SECRET as SECRET

from qadapter.data import DataError
from qadapter.data.publish import (
    EVENT,
    event_payload,
    event_resource,
    publish_file,
    published_name,
)
from qadapter.data.sources import list_source


def write_pairs(path, n=3, tag="a"):
    rows = [
        {
            "prompt": [{"role": "user", "content": f"{tag} question {i}"}],
            "chosen": f"{tag} good {i}",
            "rejected": f"{tag} bad {i}",
        }
        for i in range(n)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def run_cli(argv, capsys):
    from qadapter.cli import build_parser

    args = build_parser().parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_published_name_keeps_whole_extension():
    sha = "0123456789abcdef" * 4
    assert published_name("prefs.jsonl.gz", sha) == "prefs-0123456789ab.jsonl.gz"
    assert published_name("a.b.parquet", sha) == "a.b-0123456789ab.parquet"


def test_local_copy_is_content_addressed_and_idempotent(tmp_path, monkeypatch):
    src = write_pairs(tmp_path / "new.jsonl")
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    first = publish_file(str(src), str(tmp_path / "watch"))
    assert first.sha256 == sha and first.bytes == src.stat().st_size and not first.existed
    target = tmp_path / "watch" / f"new-{sha[:12]}.jsonl"
    assert first.uri == str(target.resolve()) and target.read_bytes() == src.read_bytes()
    again = publish_file(str(src), str(tmp_path / "watch") + "/")
    assert again.existed and again.uri == first.uri
    monkeypatch.chdir(tmp_path)  # a relative DEST is named absolutely in the event
    relative = publish_file(str(src), "watch")
    assert relative.location == str((tmp_path / "watch").resolve()) and relative.existed
    # same name, other content: a second file, the first untouched
    write_pairs(src, n=2, tag="b")
    other = publish_file(str(src), str(tmp_path / "watch"))
    assert other.uri != first.uri and target.is_file()
    assert sorted(p.name for p in (tmp_path / "watch").iterdir()) == sorted(
        [target.name, f"new-{other.sha256[:12]}.jsonl"]
    )
    assert len(list_source(str(tmp_path / "watch")).entries) == 2


def test_event_resource_and_payload(tmp_path):
    p = publish_file(str(write_pairs(tmp_path / "x.jsonl")), str(tmp_path / "w"))
    res = event_resource(p)
    assert res["prefect.resource.id"] == f"qadapter.preference-data.{p.sha256}"
    assert res["qadapter.location"] == str(tmp_path / "w") and res["qadapter.uri"] == p.uri
    assert all(isinstance(v, str) for v in res.values())
    assert event_payload(p) == {
        "location": str(tmp_path / "w"),
        "uri": p.uri,
        "sha256": p.sha256,
        "bytes": p.bytes,
        "file": p.file,
    }


@pytest.mark.parametrize(
    "name,dest,needle",
    [
        ("missing.jsonl", "watch", "is not a file"),
        ("notes.txt", "watch", "unsupported file type"),
        ("ok.jsonl", "http://example.com/x", "local directory or an s3:// prefix"),
        ("ok.jsonl", "s3://user:pw@bucket/x", "credentials"),
    ],
)
def test_bad_input_is_one_error_line(tmp_path, capsys, name, dest, needle):
    write_pairs(tmp_path / "ok.jsonl")
    (tmp_path / "notes.txt").write_text("x")
    code, out, err = run_cli(
        ["data", "publish", str(tmp_path / name), dest if "://" in dest else str(tmp_path / dest)],
        capsys,
    )
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("qadapter: error: ")
    assert needle in lines[0] and "pw" not in err


def test_without_prefect_api_copies_and_says_no_event(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    src = write_pairs(tmp_path / "n.jsonl")
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        code, out, err = run_cli(["data", "publish", str(src), str(tmp_path / "w")], capsys)
    assert code == 0 and err == ""
    lines = out.strip().splitlines()
    assert lines[0].startswith("published  ") and lines[1].startswith("event not sent: no Prefect")
    assert len(list((tmp_path / "w").iterdir())) == 1


def test_unreachable_api_is_an_error_after_publishing(tmp_path, capsys):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = write_pairs(tmp_path / "n.jsonl")
    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
        code, out, err = run_cli(["data", "publish", str(src), str(tmp_path / "w")], capsys)
    assert code == 1 and out.startswith("published  ")
    assert err.count("\n") == 1 and "does not answer" in err
    assert len(list((tmp_path / "w").iterdir())) == 1


# ---- S3 (moto on loopback) --------------------------------------------------------------------


@pytest.fixture
def s3(s3_bucket):
    """A boto3 client on the session's moto server with an empty bucket ``watch``."""
    return s3_bucket("watch")


def test_s3_upload_is_idempotent_and_listed(tmp_path, s3, capsys):
    src = write_pairs(tmp_path / "p.jsonl", n=4)
    code, out, err = run_cli(
        ["data", "publish", str(src), "s3://watch/prefs", "--no-event"], capsys
    )
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    key = f"prefs/p-{sha[:12]}.jsonl"
    assert code == 0, err
    assert out.splitlines() == [
        f"published  s3://watch/{key}  ({src.stat().st_size} bytes, sha256:{sha})",
        "event not sent (--no-event)",
    ]
    body = s3.get_object(Bucket="watch", Key=key)
    assert body["Body"].read() == src.read_bytes() and body["Metadata"] == {"sha256": sha}
    again = publish_file(str(src), "s3://watch/prefs/")
    assert again.existed and again.uri == f"s3://watch/{key}"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="watch")["Contents"]] == [key]
    assert [e.name for e in list_source("s3://watch/prefs").entries] == [f"s3://watch/{key}"]
    assert SECRET not in out + err


def test_s3_missing_bucket_is_one_line_without_secrets(tmp_path, s3, capsys):
    src = write_pairs(tmp_path / "p.jsonl")
    code, out, err = run_cli(["data", "publish", str(src), "s3://nobucket/x"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "cannot upload to s3://nobucket/" in err and "bucket does not exist" in err
    assert SECRET not in err and KEY_ID not in err
    with pytest.raises(DataError, match="missing bucket name"):
        publish_file(str(src), "s3:///x")


# ---- the event, on a real (test) Prefect server ------------------------------------------------


@pytest.mark.slow
def test_event_reaches_the_prefect_api(tmp_path, capsys):
    import httpx
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    src = write_pairs(tmp_path / "e.jsonl")
    with prefect_test_harness(server_startup_timeout=180):
        api = PREFECT_API_URL.value()
        # the command as a user runs it: its own process (Prefect's event worker is process-wide,
        # and earlier tests in this process point it elsewhere), which drains the event at exit
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "qadapter.cli",
                "data",
                "publish",
                str(src),
                str(tmp_path / "w"),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PREFECT_API_URL": api, "OMP_NUM_THREADS": "1"},
        )
        code, out, err = done.returncode, done.stdout, done.stderr
        assert code == 0, err
        # two lines, and not Prefect's "Still processing items: ..." while the event drains
        assert [line.split()[0] for line in out.strip().splitlines()] == ["published", "event"]
        assert "Still processing" not in out + err, out + err
        event_id = out.strip().splitlines()[-1].split("(id ")[1].rstrip(")")
        sha = hashlib.sha256(src.read_bytes()).hexdigest()
        body = {
            "filter": {
                "event": {"name": [EVENT]},
                "any_resource": {"id": [f"qadapter.preference-data.{sha}"]},
            },
            "limit": 10,
        }
        # the server stores events asynchronously (batched by its event persister, slow on a loaded
        # machine): poll until the event is there, failing only after a generous limit
        deadline = time.monotonic() + 300
        while True:
            events = httpx.post(f"{api}/events/filter", json=body, timeout=10).json()["events"]
            if events or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert [e["id"] for e in events] == [event_id]
        assert events[0]["payload"]["sha256"] == sha
        assert events[0]["resource"]["qadapter.location"] == str(tmp_path / "w")
