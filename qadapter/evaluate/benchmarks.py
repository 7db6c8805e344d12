"""Benchmark suites through lm-evaluation-harness, scored with the ``qadapter`` lm-eval model.

Suites:

* ``general-probe`` (default, offline): the bundled forgetting probe in ``data/probe``
  (``qadapter_probe_mc``: ``acc``, ``acc_norm``; ``qadapter_probe_arith``:
  ``exact_match,strict-match``; ``qadapter_probe_prose``: ``word_perplexity``,
  ``byte_perplexity``, ``bits_per_byte``). lm-eval resolves a task's ``data_files`` relative to
  the working directory, so the YAMLs are copied into a temporary directory with those paths made
  absolute; nothing depends on where the command runs.
* ``paper``: MathQA, GSM8k, MMLU and HumanEval as in the paper's Table 2 (lm-eval's own task
  definitions). They need the hub or a local datasets cache; each task is loaded first and one
  that cannot be loaded is *skipped with its reason* (``skipped`` in the result) while the others
  run. HumanEval executes model-written code and runs only with ``allow_code_execution=True``.

:func:`run_suite` returns a summary (``scores``, ``stderr``, per-item ``items``, ``skipped``) and
writes lm-eval's results JSON (plus per-task sample files) when given an output directory.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

from ..secrets import redact

PROBE_DIR = Path(__file__).resolve().parents[2] / "data" / "probe"
SUITES = {
    "general-probe": ("qadapter_probe_mc", "qadapter_probe_arith", "qadapter_probe_prose"),
    "paper": ("mathqa", "gsm8k", "mmlu", "humaneval"),
}
CODE_TASKS = ("humaneval",)
ITEM_METRICS = ("acc", "acc_norm", "exact_match")  # per-document scores kept in ``items``


def materialize_probe_tasks(dest: Path, probe_dir: Path = PROBE_DIR) -> Path:
    """Copy the probe's lm-eval YAMLs into ``dest`` with absolute ``data_files`` paths."""
    src = probe_dir / "lm_eval"
    if not src.is_dir():
        raise FileNotFoundError(src)
    root = probe_dir.parents[1]  # the YAML paths are relative to the repository root
    for path in sorted(src.glob("*.yaml")):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        files = (config.get("dataset_kwargs") or {}).get("data_files") or {}
        for split, rel in files.items():
            absolute = (root / rel).resolve()
            if not absolute.is_file():
                raise ValueError(f"{path}: data_files.{split} = {rel!r} not found at {absolute}")
            files[split] = str(absolute)
        (dest / path.name).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest


_OFFLINE_FLAGS = (
    ("huggingface_hub.constants", "HF_HUB_OFFLINE"),
    ("datasets.config", "HF_HUB_OFFLINE"),
    ("datasets.config", "HF_DATASETS_OFFLINE"),
)


@contextmanager
def offline_hub():
    """No hub lookups inside the block, unless the user set HF_HUB_OFFLINE=0 explicitly.

    Without it, each unavailable dataset costs ~25 s of retries against an unreachable hub. The
    libraries read the variable when first imported, so flags of already imported modules are
    switched too (and restored afterwards).
    """
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("0", "false", "no", "off"):
        yield
        return
    import sys

    saved_env = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    saved = [(m, a, getattr(sys.modules[m], a)) for m, a in _OFFLINE_FLAGS if m in sys.modules]
    for module, attr, _ in saved:
        setattr(sys.modules[module], attr, True)
    try:
        yield
    finally:
        for module, attr, value in saved:
            setattr(sys.modules[module], attr, value)
        if saved_env is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = saved_env


def loadable_tasks(names, task_manager, *, allow_code_execution: bool) -> tuple[list, dict]:
    """Split lm-eval task names into (loadable, {name: why it was skipped})."""
    from lm_eval.tasks import get_task_dict

    ok, skipped = [], {}
    for name in names:
        if name in CODE_TASKS and not allow_code_execution:
            skipped[name] = "executes model-written code; pass --allow-code-execution to run it"
            continue
        try:
            get_task_dict([name], task_manager)
        except Exception as e:  # noqa: BLE001  any loading failure is a reason to skip, reported
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            skipped[name] = redact(f"{type(e).__name__}: {first}")
            continue
        ok.append(name)
    return ok, skipped


def resolve_target(target: str, base: str | None = None) -> tuple[str, str | None]:
    """ADAPTER_OR_BASE -> (base name, adapter dir or None). An adapter directory names its base."""
    from ..adapter import read_meta

    path = Path(target)
    if path.is_dir() and (path / "qadapter.json").is_file():
        return base or read_meta(path)["base_model"], str(path)
    if base is not None:
        raise ValueError(f"{target!r} is not an adapter directory; --base applies to adapters only")
    return target, None


def summarize(res: dict, tasks) -> tuple[dict, dict, dict]:
    """lm-eval's result dict -> (scores, stderr, items) for ``tasks``."""
    scores, stderr, items = {}, {}, {}
    for task in tasks:
        row = res["results"].get(task, {})
        metrics = {k: v for k, v in row.items() if "," in k}  # lm-eval's "metric,filter" keys
        scores[task] = {k: v for k, v in metrics.items() if "_stderr," not in k}
        stderr[task] = {
            k.replace("_stderr,", ","): v for k, v in metrics.items() if "_stderr," in k
        }
        items[task] = [
            {"doc_id": s["doc_id"], **{m: float(s[m]) for m in ITEM_METRICS if m in s}}
            for s in res.get("samples", {}).get(task, [])
        ]
    return scores, stderr, items


def write_results(res: dict, summary: dict, output_dir: Path) -> Path:
    """lm-eval's results JSON (no samples) + ``samples_<task>.jsonl``; returns the JSON path."""
    from lm_eval.utils import handle_non_serializable

    output_dir.mkdir(parents=True, exist_ok=True)
    record = {k: v for k, v in res.items() if k != "samples"}
    record["qadapter"] = {k: summary[k] for k in ("suite", "target", "base", "adapter", "skipped")}
    path = output_dir / "results.json"
    path.write_text(json.dumps(record, indent=2, default=handle_non_serializable) + "\n")
    for task, samples in res.get("samples", {}).items():
        lines = (json.dumps(s, default=handle_non_serializable) for s in samples)
        (output_dir / f"samples_{task}.jsonl").write_text("\n".join(lines) + "\n")
    return path


def run_suite(
    target: str,
    suite: str = "general-probe",
    limit: int | None = None,
    *,
    output_dir=None,
    base: str | None = None,
    model=None,
    batch_size: int = 8,
    max_gen_toks: int | None = None,
    alpha0: float | None = None,
    alpha_tilde: float | None = None,
    allow_code_execution: bool = False,
    tasks=None,
) -> dict:
    """Run ``suite`` on ``target`` (an adapter directory or a base name) through lm-eval.

    ``model``: an already built :class:`qadapter.evaluate.harness.QAdapterLM` to use instead of
    loading ``target`` (``target`` is then only a label). ``limit``: first N documents per task.
    ``max_gen_toks``: cap generation length (the arithmetic task allows 256). ``tasks``: run
    only these tasks of the suite.
    Returns ``{suite, target, base, adapter, tasks, skipped, scores, stderr, items, results_path,
    wall_s}``; ``scores[task]`` holds lm-eval's metric keys (``"acc,none"``,
    ``"exact_match,strict-match"``, ...), ``items[task]`` the per-document scores.
    """
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; choose one of {', '.join(SUITES)}")
    wanted = list(SUITES[suite] if tasks is None else tasks)
    if set(wanted) - set(SUITES[suite]):
        raise ValueError(
            f"tasks {sorted(set(wanted) - set(SUITES[suite]))} are not in suite {suite!r}"
        )
    start = time.perf_counter()
    if model is not None:
        base_name, adapter = model.policy.base.name, model.policy.adapter_dir
    else:
        base_name, adapter = resolve_target(target, base)
    with offline_hub(), tempfile.TemporaryDirectory(prefix="qadapter-tasks-") as tmp:
        import lm_eval
        from lm_eval.tasks import TaskManager

        from .harness import QAdapterLM

        if suite == "general-probe":
            manager = TaskManager(
                include_path=str(materialize_probe_tasks(Path(tmp))), include_defaults=False
            )
            tasks, skipped = wanted, {}
        else:
            manager = TaskManager()
            tasks, skipped = loadable_tasks(
                wanted, manager, allow_code_execution=allow_code_execution
            )
        summary = {
            "suite": suite,
            "target": str(target),
            "base": base_name,
            "adapter": adapter,
            "tasks": tasks,
            "skipped": skipped,
            "scores": {},
            "stderr": {},
            "items": {},
            "results_path": None,
        }
        if tasks:
            if model is None:
                model = QAdapterLM(
                    base=base_name,
                    adapter=adapter,
                    alpha0=alpha0,
                    alpha_tilde=alpha_tilde,
                    batch_size=batch_size,
                )
            res = lm_eval.simple_evaluate(
                model=model,
                tasks=tasks,
                task_manager=manager,
                limit=limit,
                log_samples=True,
                gen_kwargs={"max_gen_toks": max_gen_toks} if max_gen_toks else None,
                confirm_run_unsafe_code=allow_code_execution,
                random_seed=0,
                numpy_random_seed=1234,
                torch_random_seed=1234,
            )
            summary["scores"], summary["stderr"], summary["items"] = summarize(res, tasks)
        else:
            res = {"results": {}}  # every task skipped: the record still says which and why
        if output_dir is not None:
            summary["results_path"] = str(write_results(res, summary, Path(output_dir)))
    summary["wall_s"] = round(time.perf_counter() - start, 2)
    return summary


def format_table(summary: dict) -> str:
    """A small plain-text table: task, metric, value, stderr; then the skipped tasks."""
    rows = [("task", "metric", "value", "stderr")]
    for task, metrics in summary["scores"].items():
        for key, value in metrics.items():
            se = summary["stderr"].get(task, {}).get(key)
            rows.append(
                (
                    task,
                    key,
                    f"{value:.4f}" if isinstance(value, float) else str(value),
                    f"{se:.4f}" if isinstance(se, float) else "",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines += [f"skipped {task}: {why}" for task, why in summary["skipped"].items()]
    return "\n".join(lines)
