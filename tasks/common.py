"""Shared task plumbing: stage keys, work directories, retry policy.

A stage's key hashes the stage name, the code version and exactly the inputs the stage reads
(``KEY_INPUTS``): helpful-base the base name, the helpful data hash and the DPO settings;
qadapter pi1's content hash, the harmless data hashes and the training settings (method and
optimisation); evaluate / generations / judge the adapter's key, pi1's hash, their own data and
their own settings. So two runs differing only in alpha0 share the helpful-base stage.
A decode-time alpha0 (eq. 6 evaluated at another alpha0 than the adapter was trained with; the
sweep's decode-time points pass it to the evaluate / judge tasks as ``decode_alpha0``) is part of
the evaluate and judge keys, never of the training key, and only when given: stages at the adapter's
own alpha0 keep their keys (and share their cache entries with the customize flow).
The same key names the Prefect cache entry and the
stage's work directory, so a cached stage is skipped, and a retried one finds its own checkpoints.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from .tracking import state_dir

REPO = Path(__file__).resolve().parents[1]


def retry_delays() -> list[float]:
    """Backoff between attempts of heavy stages: ``QADAPTER_RETRY_DELAYS`` (seconds, a,b,...)."""
    return [
        float(x) for x in os.environ.get("QADAPTER_RETRY_DELAYS", "10,60").split(",") if x.strip()
    ]


def retry_on_outside_errors(task, task_run, state) -> bool:
    """Retry crashes and infrastructure errors, not user mistakes that a retry cannot fix."""
    from qadapter.errors import user_errors

    try:
        state.result()
    except user_errors():
        return False
    except BaseException:  # noqa: BLE001 - anything else may be transient (OOM, preemption, I/O)
        return True
    return True


@functools.cache
def code_version() -> str:
    """sha256 over the library's and tasks' sources: a code change invalidates cached stages.

    Computed once per process (a worker runs each flow run in a process of its own): the code a
    flow run executes is the code it imported, and an edit to the working tree while it runs must
    not give its later stages other keys than its earlier ones (a sweep's points share stages).
    """
    h = hashlib.sha256()
    for path in sorted(p for d in ("qadapter", "tasks") for p in (REPO / d).rglob("*.py")):
        h.update(path.relative_to(REPO).as_posix().encode() + b"\n" + path.read_bytes())
    return h.hexdigest()[:16]


def stage_key(stage: str, **inputs) -> str:
    blob = json.dumps(
        {"stage": stage, "code": code_version(), **inputs}, sort_keys=True, default=str
    )
    return f"{stage}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def workdir(key: str) -> Path:
    path = state_dir() / "runs" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


def _adapter_identity(p: dict) -> dict:
    """What every stage after training reads: pi1's content hash and the adapter's key."""
    return {"base": p["base"]["base_hash"], "adapter": p["adapter"]["key"]}


def _helpful_base(p: dict) -> dict:
    cfg = p["cfg"]
    return {
        "base": cfg.base,
        "skip": cfg.skip_base_stage,
        "data": p["data_hashes"]["helpful"],
        "dpo": None if cfg.skip_base_stage else asdict(cfg.dpo),
    }


def _qadapter(p: dict) -> dict:
    cfg, data = p["cfg"], p["data_hashes"]
    return {
        "base": p["base"]["base_hash"],
        "data": data["harmless"],
        "test": data["harmless_test"],  # recorded in the adapter's lineage
        "train": cfg.train.to_dict(),  # method (alpha0, ...) and optimisation settings
    }


def _decode(p: dict) -> dict:
    """The decode-time alpha0 override of an evaluate / judge task, when it has one."""
    a = p.get("decode_alpha0")
    return {} if a is None else {"decode_alpha0": float(a)}


def _evaluate(p: dict) -> dict:
    cfg = p["cfg"]
    return {
        **_adapter_identity(p),
        **_decode(p),
        "test": p["data_hashes"]["harmless_test"],
        "kl_pairs": cfg.kl_pairs,
        "probe_limit": cfg.probe_limit,
        "probe_items": cfg.probe_items,
        "probe_max_gen_toks": cfg.probe_max_gen_toks,
        "scoring": cfg.train.to_dict(),  # held-out scoring uses the method's settings
    }


def _generations(p: dict) -> dict:
    cfg = p["cfg"]
    return {
        **_adapter_identity(p),
        "test": p["data_hashes"]["harmless_test"],
        "n": cfg.generation_prompts,
        "max_new_tokens": cfg.max_new_tokens,
        "seed": cfg.train.seed,
    }


def _judge(p: dict) -> dict:
    cfg, data = p["cfg"], p["data_hashes"]
    return {
        **_adapter_identity(p),
        **_decode(p),
        "data": {k: data[k] for k in sorted(data) if k.startswith("judge_")},
        "judge": judge_settings(cfg),
    }


def judge_settings(cfg) -> dict:
    """The judge-stage settings that change its result (never the API key: only its env name)."""
    return {
        "judge": cfg.judge,
        "base_url": cfg.judge_base_url if cfg.judge == "openai" else None,
        "model": cfg.judge_model if cfg.judge == "openai" else None,
        "reward_model": asdict(cfg.reward_model) if cfg.judge == "reward-model" else None,
        "calibration": cfg.judge_calibration if cfg.judge == "reward-model" else None,
        "prompts": cfg.judge_prompts,
        "max_new_tokens": cfg.judge_max_new_tokens,
        "seed": cfg.train.seed,
        "source": cfg.judge_source,  # the judges' own train / validation data
        "validation_pairs": cfg.judge_validation_pairs,
        "pi1_prompts": cfg.judge_pi1_prompts,
        "thresholds": asdict(cfg.judge_thresholds),
    }


KEY_INPUTS: dict[str, Callable[[dict], dict]] = {
    "helpful-base": _helpful_base,
    "qadapter": _qadapter,
    "evaluate": _evaluate,
    "generations": _generations,
    "judge": _judge,
}


def key_of(stage: str, parameters: dict) -> str:
    return stage_key(stage, **KEY_INPUTS[stage](parameters))


def cache_key(stage: str):
    """A Prefect ``cache_key_fn`` for ``stage`` (the MLflow parent run id is not part of it)."""
    return lambda context, parameters: key_of(stage, parameters)


def result_options(force: bool = False) -> dict:
    """``with_options`` for stage tasks: JSON results next to the MLflow store (not ~/.prefect)."""
    from prefect.filesystems import LocalFileSystem

    results_dir = state_dir() / "prefect-results"
    block = f"qadapter-results-{hashlib.sha256(str(results_dir).encode()).hexdigest()[:12]}"
    LocalFileSystem(basepath=str(results_dir)).save(block, overwrite=True)
    opts = {"result_storage": f"local-file-system/{block}", "result_serializer": "json"}
    if force:
        opts["refresh_cache"] = True
    return opts
