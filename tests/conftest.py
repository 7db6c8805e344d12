import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _session_cache() -> None:
    """A qadapter cache of this test session: the throw-away MLflow stores' registry downloads and
    the tiny reward models stay out of the user's cache (before, every run left a directory per
    test store under ~/.cache/qadapter/registry). The expensive, content-keyed parts (converted
    base models, weight hashes) are the user's, linked in. Servers and workers the tests start
    inherit the variable; a test that sets QADAPTER_CACHE itself wins."""
    if os.environ.get("QADAPTER_TEST_SESSION_CACHE"):  # a process the session started
        return
    user = Path(os.environ.get("QADAPTER_CACHE") or Path.home() / ".cache" / "qadapter")
    mine = Path(tempfile.mkdtemp(prefix="qadapter-test-cache-"))
    for shared in ("models", "content-hashes"):
        (user / shared).mkdir(parents=True, exist_ok=True)
        (mine / shared).symlink_to(user / shared, target_is_directory=True)
    os.environ["QADAPTER_CACHE"] = os.environ["QADAPTER_TEST_SESSION_CACHE"] = str(mine)
    atexit.register(shutil.rmtree, mine, ignore_errors=True)  # unlinks the links, keeps targets


_session_cache()


@pytest.fixture
def toy_pairs():
    """A separable toy preference: a short friendly yes beats a longer refusal.

    The chosen answer is the *shorter* one on purpose: at initialisation the implied return of a
    residual-head adapter grows with length (V <= 0 when alpha0 >= alpha_tilde), so the untrained
    model ranks these pairs wrongly and learning has to flip them.
    """
    return toy_pair_list()


def toy_pair_list():
    from qadapter.data.pairs import PreferencePair

    topics = [
        "bread",
        "gravity",
        "France",
        "the fox",
        "yeast",
        "salt",
        "water",
        "flour",
        "the dog",
        "Paris",
        "a safer idea",
        "thanks",
    ]
    return [
        PreferencePair(
            ({"role": "user", "content": f"Please explain {t} simply."},),
            "Yes, gladly.",
            f"No. I will not explain {t} to you today.",
            origin=f"toy:{i}",
        )
        for i, t in enumerate(topics)
    ]


@pytest.fixture
def toy_jsonl(tmp_path):
    """The toy pairs as TRL-style JSONL files: (train with 9 pairs, test with 3)."""
    import json

    pairs = toy_pair_list()
    paths = []
    for name, part in (("train.jsonl", pairs[:9]), ("test.jsonl", pairs[9:])):
        path = tmp_path / "toy" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            "".join(
                json.dumps(
                    {"prompt": p.prompt[0]["content"], "chosen": p.chosen, "rejected": p.rejected}
                )
                + "\n"
                for p in part
            )
        )
        paths.append(path)
    return tuple(paths)


# ---- S3: one moto server on loopback for the whole session ----------------------------------

from s3_dummy_keys import S3_KEY_ID, S3_SECRET  # noqa: E402


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a moto S3 server on 127.0.0.1 (real HTTP; boto3 and fsspec talk to it)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        assert host == "127.0.0.1"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, monkeypatch):
    """``make(name)`` -> a boto3 client with bucket ``name`` created on the moto server and the
    AWS variables (dummy keys, endpoint) set in the environment, so child processes reach it too.
    Every bucket made is emptied and deleted after the test."""
    import boto3

    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    made: list[str] = []

    def make(name: str):
        client.create_bucket(Bucket=name)
        made.append(name)
        return client

    yield make
    for name in made:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            for obj in page.get("Contents", []):
                client.delete_object(Bucket=name, Key=obj["Key"])
        client.delete_bucket(Bucket=name)


def talk(base, seed: int = 5):
    """Give a tiny base an untied, seeded random output layer, in place; returns it.

    The tiny models tie their output layer to the embeddings, so their greedy reply to every
    prompt is newlines (decoded: ""): a test comparing on-policy replies would compare empty
    strings. With this head they say something non-empty that a wrong reply would not match.
    """
    import torch

    m = base.model
    g = torch.Generator().manual_seed(seed)
    head = torch.nn.Linear(m.config.hidden_size, m.config.vocab_size, bias=False)
    with torch.no_grad():
        head.weight.copy_(torch.randn(head.weight.shape, generator=g) * 0.5)
    m.lm_head = head
    return base


@pytest.fixture
def talkative_tiny(monkeypatch):
    """``qadapter.models.load_base("tiny...")`` returns :func:`talk`-ed bases (module attribute
    patched: code that imports it at call time, as the stages and the CLI do, gets it)."""
    from qadapter import models

    real = models.load_base

    def load(name, *args, **kwargs):
        base = real(name, *args, **kwargs)
        return talk(base) if str(name).startswith("tiny") else base

    monkeypatch.setattr(models, "load_base", load)
    return load


@pytest.fixture(autouse=True)
def _reply_cache(tmp_path_factory, monkeypatch):
    """pi1's on-policy replies are cached across runs (``qadapter.onpolicy.replies_cache``);
    every test starts with an empty cache of its own (a talkative tiny base and a plain one share
    a content hash), and the processes it starts inherit it."""
    monkeypatch.setenv("QADAPTER_REPLY_CACHE", str(tmp_path_factory.mktemp("replies")))
