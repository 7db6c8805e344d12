"""Bad invocations of the ``qadapter`` command, as a careless or hostile user types them.

Each one must: exit non-zero; end stderr with exactly one line starting ``qadapter: error:``; show
no traceback; never echo a secret it was given; leave no adapter behind. Most run in-process
(``cli.main`` with capsys, fast); a few run as real subprocesses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from qadapter import cli
from qadapter.adapter import QAdapter
from qadapter.config import profile
from qadapter.models import load_base
from qadapter.train import train

SECRET = "SECRETVALUE42"


@dataclass
class Ctx:
    tmp: Path
    adapter: Path  # a fresh copy of a trained tiny adapter, mutable by the case
    data: Path  # a valid TRL-style JSONL file
    out: Path  # a path that does not exist yet

    def file(self, name: str, text: str) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def edit_meta(self, **fields) -> None:
        path = self.adapter / "qadapter.json"
        path.write_text(json.dumps({**json.loads(path.read_text()), **fields}))


@pytest.fixture(scope="module")
def trained_adapter(tmp_path_factory, toy_pairs_module):
    base = load_base("tiny")
    cfg = profile("tiny", epochs=1)
    out = tmp_path_factory.mktemp("adapter") / "a"
    meta = {"base_model": base.name, "base_hash": base.content_hash}
    train(
        QAdapter(base.model, cfg.adapter),
        base.tokenizer,
        toy_pairs_module,
        cfg,
        out,
        meta=meta,
        progress=False,
    )
    return out


@pytest.fixture(scope="module")
def toy_pairs_module():
    from qadapter.data.pairs import PreferencePair

    topics = ("bread", "gravity", "France", "yeast", "salt", "water", "flour", "the dog")
    return [
        PreferencePair(
            ({"role": "user", "content": f"Explain {t}."},), "Yes, gladly.", f"No, not {t}."
        )
        for t in topics
    ]


@pytest.fixture
def ctx(tmp_path, trained_adapter):
    adapter = tmp_path / "adapter"
    shutil.copytree(trained_adapter, adapter)
    rows = [
        {"prompt": f"Explain {t} simply.", "chosen": "Yes, gladly.", "rejected": f"No, not {t}."}
        for t in ("bread", "salt", "water", "yeast", "flour", "rain")
    ]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return Ctx(tmp=tmp_path, adapter=adapter, data=data, out=tmp_path / "out")


def train_args(c: Ctx, *extra: str, data: str | None = None) -> list[str]:
    return [
        "train",
        "--profile",
        "tiny",
        "--data",
        data or str(c.data),
        "-o",
        str(c.out),
        "--quiet",
        *extra,
    ]


def truncate_weights(c: Ctx) -> None:
    w = c.adapter / "adapter_model.safetensors"
    w.write_bytes(w.read_bytes()[: w.stat().st_size // 3])


DEPTH = 5000  # the record: a prompt nested 5,000 lists deep


def _deep(c: Ctx, ext: str = ".jsonl") -> str:
    """The issue's record (one JSONL line; as a .json file, a one-element list of it)."""
    record = '{"prompt": ' + "[" * DEPTH + "]" * DEPTH + ', "chosen": "b", "rejected": "c"}'
    return str(c.file("deep" + ext, record + "\n" if ext == ".jsonl" else f"[{record}]"))


def _fifo(c: Ctx) -> str:
    import os

    os.mkfifo(c.tmp / "pipe.jsonl")
    return str(c.tmp / "pipe.jsonl")


def _dangling_dir(c: Ctx) -> str:
    (c.tmp / "links").mkdir()
    (c.tmp / "links" / "train.jsonl").symlink_to(c.tmp / "gone.jsonl")
    return str(c.tmp / "links")


# (id, setup(ctx) -> argv, text the error line must contain)
CASES: list[tuple[str, Callable[[Ctx], list[str]], str]] = [
    # --- training hyper-parameters (validated before anything loads) ---
    ("epochs-0", lambda c: train_args(c, "--epochs", "0"), "epochs must be in [1, 100000]; got 0"),
    ("epochs-neg", lambda c: train_args(c, "--epochs", "-1"), "epochs must be in [1"),
    ("max-steps-0", lambda c: train_args(c, "--max-steps", "0"), "max_steps must be in [1"),
    ("max-steps-neg", lambda c: train_args(c, "--max-steps", "-1"), "max_steps must be in [1"),
    ("batch-0", lambda c: train_args(c, "--batch-size", "0"), "batch_size must be in [1"),
    ("batch-neg", lambda c: train_args(c, "--batch-size", "-4"), "batch_size must be in [1"),
    (
        "micro-batch-0",
        lambda c: train_args(c, "--micro-batch-size", "0"),
        "micro_batch_size must be in [1",
    ),
    (
        "batch-not-multiple",
        lambda c: train_args(c, "--batch-size", "3", "--micro-batch-size", "2"),
        "multiple of micro_batch_size",
    ),
    (
        "alpha0-neg",
        lambda c: train_args(c, "--alpha0", "-1"),
        "alpha0 must be in [0, 10000]; got -1.0",
    ),
    ("alpha0-inf", lambda c: train_args(c, "--alpha0", "inf"), "alpha0 must be a finite number"),
    (
        "alpha-tilde-0",
        lambda c: train_args(c, "--alpha-tilde", "0"),
        "alpha_tilde must be in (0, 10000]",
    ),
    (
        "alpha-tilde-nan",
        lambda c: train_args(c, "--alpha-tilde", "nan"),
        "alpha_tilde must be a finite number",
    ),
    ("beta-neg", lambda c: train_args(c, "--beta", "-0.5"), "beta must be in [0, 10000]"),
    ("beta-huge", lambda c: train_args(c, "--beta", "1e300"), "beta must be in [0, 10000]"),
    ("gamma-above-1", lambda c: train_args(c, "--gamma", "1.5"), "gamma must be in [0, 1]"),
    ("lr-nan", lambda c: train_args(c, "--lr", "nan"), "lr must be a finite number"),
    ("lr-huge", lambda c: train_args(c, "--lr", "1e9"), "lr must be in (0, 1]"),
    ("lr-0", lambda c: train_args(c, "--lr", "0"), "lr must be in (0, 1]"),
    ("max-length-0", lambda c: train_args(c, "--max-length", "0"), "max_length must be in [8"),
    (
        "prompt-not-below-length",
        lambda c: train_args(c, "--max-length", "64", "--max-prompt-length", "64"),
        "max_prompt_length (64) must be below max_length (64)",
    ),
    ("lora-r-0", lambda c: train_args(c, "--lora-r", "0"), "lora_r must be in [1"),
    (
        "lora-dropout-1.5",
        lambda c: train_args(c, "--lora-dropout", "1.5"),
        "lora_dropout must be in [0, 0.99]",
    ),
    ("seed-neg", lambda c: train_args(c, "--seed", "-1"), "seed must be in [0"),
    (
        "checkpoint-every-neg",
        lambda c: train_args(c, "--checkpoint-every", "-2"),
        "checkpoint_every must be in [0",
    ),
    ("epochs-not-int", lambda c: train_args(c, "--epochs", "abc"), "invalid int value: 'abc'"),
    ("head-bogus", lambda c: train_args(c, "--head", "bogus"), "invalid choice: 'bogus'"),
    ("profile-unknown", lambda c: train_args(c, "--profile", "huge"), "unknown profile 'huge'"),
    ("bf16-on-cpu", lambda c: train_args(c, "--bf16"), "need a CUDA GPU"),
    (
        "missing-data-flag",
        lambda c: ["train", "-o", str(c.out)],
        "the following arguments are required: --data",
    ),
    # --- data ---
    ("data-missing-file", lambda c: train_args(c, data=str(c.tmp / "nope.jsonl")), "nope.jsonl"),
    (
        "data-empty-file",
        lambda c: train_args(c, data=str(c.file("empty.jsonl", ""))),
        "empty.jsonl",
    ),
    (
        "data-empty-dir",
        lambda c: train_args(c, data=str((c.tmp / "emptydir").mkdir() or c.tmp / "emptydir")),
        "emptydir",
    ),
    (
        "data-all-invalid",
        lambda c: train_args(
            c, data=str(c.file("same.jsonl", '{"prompt": "x", "chosen": "a", "rejected": "a"}\n'))
        ),
        "same.jsonl",
    ),
    (
        "data-not-json",
        lambda c: train_args(c, data=str(c.file("junk.jsonl", "this is not json\n{oops\n"))),
        "junk.jsonl",
    ),
    (
        "data-s3-token",
        lambda c: train_args(c, data=f"s3://b/p?X-Amz-Security-Token={SECRET}"),
        "carries credentials",
    ),
    (
        "data-s3-userinfo",
        lambda c: train_args(c, data=f"s3://user:{SECRET}@bucket/p"),
        "carries credentials",
    ),
    ("data-train-all-in-test", lambda c: train_args(c, data=str(_same_train_and_test(c))), "train"),
    ("data-format-bogus", lambda c: train_args(c, "--format", "bogus"), "bogus"),
    (
        "test-data-missing",
        lambda c: train_args(c, "--test-data", str(c.tmp / "nope-test.jsonl")),
        "nope-test.jsonl",
    ),
    ("base-missing-dir", lambda c: train_args(c, "--base", str(c.tmp / "no-model")), "no-model"),
    # --- output directory ---
    (
        "output-is-file",
        lambda c: [
            "train",
            "--profile",
            "tiny",
            "--data",
            str(c.data),
            "-o",
            str(c.file("f.txt", "x")),
            "--quiet",
        ],
        "is a file, not a directory",
    ),
    (
        "output-under-file",
        lambda c: [
            "train",
            "--profile",
            "tiny",
            "--data",
            str(c.data),
            "-o",
            str(c.file("g.txt", "x") / "sub"),
            "--quiet",
        ],
        "is a file, not a directory",
    ),
    (
        "output-read-only",
        lambda c: [
            "train",
            "--profile",
            "tiny",
            "--data",
            str(c.data),
            "-o",
            "/sys/qadapter-out",
            "--quiet",
        ],
        "/sys/qadapter-out",
    ),
    (
        "resume-without-checkpoint",
        lambda c: train_args(c, "--resume"),
        "--resume: no complete checkpoint",
    ),
    # --- generate ---
    (
        "gen-alpha-tilde-0",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--alpha-tilde", "0"],
        "alpha_tilde must be in (0, 10000]",
    ),
    (
        "gen-alpha-tilde-neg",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--alpha-tilde", "-1"],
        "alpha_tilde must be in (0",
    ),
    (
        "gen-alpha0-neg",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--alpha0", "-1"],
        "alpha0 must be in [0",
    ),
    (
        "gen-top-k-neg",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--top-k", "-5"],
        "top_k must be in [0",
    ),
    (
        "gen-top-p-0",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--top-p", "0"],
        "top_p must be in (0, 1]",
    ),
    (
        "gen-top-p-big",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--top-p", "1.5"],
        "top_p must be in (0, 1]",
    ),
    (
        "gen-temperature-0",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--temperature", "0"],
        "temperature must be in (0",
    ),
    (
        "gen-max-new-0",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--max-new-tokens", "0"],
        "max_new_tokens must be in [1",
    ),
    ("gen-no-prompt", lambda c: ["generate", str(c.adapter)], "no prompt given"),
    (
        "gen-prompts-file-missing",
        lambda c: ["generate", str(c.adapter), "--prompts-file", str(c.tmp / "p.txt")],
        "p.txt: no such file",
    ),
    (
        "gen-adapter-missing",
        lambda c: ["generate", str(c.tmp / "gone"), "-p", "hi"],
        "no qadapter.json",
    ),
    (
        "gen-other-base",
        lambda c: ["generate", str(c.adapter), "-p", "hi", "--base", "tiny:1"],
        "trained on base 'tiny:0'",
    ),
    (
        "gen-truncated-weights",
        lambda c: truncate_weights(c) or ["generate", str(c.adapter), "-p", "hi"],
        "corrupt or truncated adapter weights",
    ),
    (
        "gen-weights-missing",
        lambda c: (
            (c.adapter / "adapter_model.safetensors").unlink()
            or ["generate", str(c.adapter), "-p", "hi"]
        ),
        "adapter_model.safetensors is missing",
    ),
    # --- info / qadapter.json schema ---
    ("info-missing", lambda c: ["info", str(c.tmp / "gone")], "no qadapter.json"),
    (
        "info-bad-json",
        lambda c: (
            (c.adapter / "qadapter.json").write_text('{"alpha0": 1,\n oops}')
            and ["info", str(c.adapter)]
        ),
        "qadapter.json:2: invalid JSON",
    ),
    (
        "info-base-hash-int",
        lambda c: c.edit_meta(base_hash=5) or ["info", str(c.adapter)],
        "field 'base_hash' must be a string, got 5",
    ),
    (
        "info-head-bogus",
        lambda c: c.edit_meta(head="bogus") or ["info", str(c.adapter)],
        "head must be one of residual, logits; got 'bogus'",
    ),
    (
        "info-alpha-tilde-0",
        lambda c: c.edit_meta(alpha_tilde=0) or ["info", str(c.adapter)],
        "alpha_tilde must be in (0",
    ),
    (
        "info-not-object",
        lambda c: (c.adapter / "qadapter.json").write_text("[1, 2]") and ["info", str(c.adapter)],
        "expected a JSON object",
    ),
    (
        "info-parent-self",
        lambda c: c.edit_meta(parent=str(c.adapter)) or ["info", str(c.adapter)],
        "lineage loop",
    ),
    ("info-parent-cycle", lambda c: _cycle(c) or ["info", str(c.adapter)], "lineage loop"),
    (
        "info-truncated-weights",
        lambda c: truncate_weights(c) or ["info", str(c.adapter)],
        "corrupt or truncated adapter weights",
    ),
    (
        "info-weights-missing",
        lambda c: (c.adapter / "adapter_model.safetensors").unlink() or ["info", str(c.adapter)],
        "is missing",
    ),
    # --- data check ---
    ("check-missing", lambda c: ["data", "check", str(c.tmp / "nope.jsonl")], "nope.jsonl"),
    ("check-empty", lambda c: ["data", "check", str(c.file("empty2.jsonl", ""))], "empty2.jsonl"),
    (
        "check-s3-token",
        lambda c: ["data", "check", f"s3://b/p?X-Amz-Security-Token={SECRET}"],
        "carries credentials",
    ),
    ("check-format-bogus", lambda c: ["data", "check", str(c.data), "--format", "bogus"], "bogus"),
    (
        "check-strict-quarantine",
        lambda c: [
            "data",
            "check",
            "--strict",
            str(
                c.file("q.jsonl", '{"prompt": "x", "chosen": "a", "rejected": "b"}\n{"nope": 1}\n')
            ),
        ],
        "quarantine",
    ),
    ("train-deep-record-only", lambda c: train_args(c, data=_deep(c)), "no usable preference"),
    ("check-deep-jsonl-strict", lambda c: ["data", "check", "--strict", _deep(c)], "quarantine"),
    ("check-deep-json-file", lambda c: ["data", "check", _deep(c, ".json")], "deep.json"),
    ("check-fifo-source", lambda c: ["data", "check", _fifo(c)], "FIFO"),
    ("check-dir-dangling-link", lambda c: ["data", "check", _dangling_dir(c)], "dangling"),
    ("data-no-subcommand", lambda c: ["data"], "required"),
    # --- eval ---
    ("eval-missing-target", lambda c: ["eval", str(c.tmp / "nope")], "no such directory"),
    (
        "eval-suite-bogus",
        lambda c: ["eval", str(c.adapter), "--suite", "bogus"],
        "invalid choice: 'bogus'",
    ),
    ("eval-limit-0", lambda c: ["eval", str(c.adapter), "--limit", "0"], "limit"),
    ("eval-alpha-tilde-0", lambda c: ["eval", str(c.adapter), "--alpha-tilde", "0"], "alpha_tilde"),
    # --- top level ---
    ("no-command", lambda c: [], "required"),
    ("unknown-command", lambda c: ["frobnicate"], "invalid choice"),
]


def _same_train_and_test(c: Ctx) -> Path:
    """A source whose train split is all in its test split: no training pairs after de-overlap."""
    d = c.tmp / "overlap"
    d.mkdir()
    for name in ("train.jsonl", "test.jsonl"):
        shutil.copy(c.data, d / name)
    return d


def _cycle(c: Ctx) -> None:
    other = c.tmp / "other"
    shutil.copytree(c.adapter, other)
    c.edit_meta(parent=str(other))
    meta = json.loads((other / "qadapter.json").read_text())
    (other / "qadapter.json").write_text(json.dumps({**meta, "parent": str(c.adapter)}))


def check_clean(rc: int, err: str, needle: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert rc != 0, err
    assert lines, "nothing on stderr"
    assert "Traceback" not in err, err
    assert lines[-1].startswith("qadapter: error: "), err
    assert sum(line.startswith("qadapter: error:") for line in lines) == 1, err
    assert SECRET not in err, err
    assert needle in lines[-1], f"{needle!r} not in {lines[-1]!r}"
    return lines[-1]


@pytest.mark.parametrize("setup,needle", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_invocation_ends_cleanly(ctx, setup, needle, capsys):
    argv = setup(ctx)
    before = sorted(p.name for p in ctx.tmp.iterdir())
    rc = cli.main(argv)
    captured = capsys.readouterr()
    line = check_clean(rc, captured.err, needle)
    assert "held-out preference accuracy" not in captured.out  # nothing was evaluated
    assert SECRET not in captured.out
    # no adapter was written anywhere; the output directory was not created, unless it holds
    # just the quarantine file the error line points the user to
    assert not Path("/sys/qadapter-out").exists()
    if ctx.out.exists():
        assert sorted(p.name for p in ctx.out.iterdir()) == ["quarantine.jsonl"]
        assert "out/quarantine.jsonl" in line
    new = sorted(set(p.name for p in ctx.tmp.iterdir()) - set(before) - {"out"})
    assert new == [], new


def test_there_are_at_least_45_cases():
    assert len(CASES) >= 45 and len({c[0] for c in CASES}) == len(CASES)


SUBPROCESS = [
    "epochs-0",
    "data-s3-token",
    "info-parent-self",
    "gen-truncated-weights",
    "check-s3-token",
]


@pytest.mark.integration
@pytest.mark.parametrize("name", SUBPROCESS)
def test_bad_invocation_in_a_real_process(ctx, name):
    setup, needle = next(c[1:] for c in CASES if c[0] == name)
    argv = setup(ctx)
    proc = subprocess.run(
        [sys.executable, "-m", "qadapter.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "HF_HUB_OFFLINE": "1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        },
    )
    check_clean(proc.returncode, proc.stderr, needle)
    assert SECRET not in proc.stdout
