"""``qadapter eval ADAPTER_OR_BASE --suite general-probe|paper [--limit N] [--output DIR]``.

Thin: parses arguments, calls :func:`qadapter.evaluate.benchmarks.run_suite`, prints the table.
Registered by :func:`qadapter.cli.parser.build_parser` with ``add_eval_parser(sub)``; user
mistakes raise ``ValueError`` / ``FileNotFoundError`` / ``AdapterError`` / ``ModelError``, which
``qadapter.cli.main`` prints as one line.
"""

from __future__ import annotations

import json

from ..evaluate.benchmarks import SUITES


def add_eval_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "eval",
        help="benchmark a base or a customized model with lm-evaluation-harness",
        description=(
            "Score a base model (pi1) or an adapter directory (the customized policy of eq. 6) on "
            "a benchmark suite through lm-evaluation-harness. Writes lm-eval's results JSON to "
            "--output and prints a table."
        ),
    )
    p.add_argument(
        "target",
        metavar="ADAPTER_OR_BASE",
        help="adapter directory, a registered adapter (models:/hh-qadapter/3, "
        "models:/hh-qadapter@champion), or a base name/dir (e.g. smollm2-135m-instruct)",
    )
    p.add_argument(
        "--suite",
        choices=list(SUITES),
        default="general-probe",
        help="general-probe: bundled, offline (default); "
        "paper: MathQA, GSM8k, MMLU, HumanEval (need a datasets cache)",
    )
    p.add_argument(
        "--limit", type=int, default=None, help="first N documents of each task (default: all)"
    )
    p.add_argument(
        "--output",
        metavar="DIR",
        default=None,
        help="write results.json and samples_<task>.jsonl here",
    )
    p.add_argument(
        "--base",
        default=None,
        help="base model for an adapter (default: the one recorded in its qadapter.json)",
    )
    p.add_argument(
        "--alpha0", type=float, default=None, help="override the adapter's alpha0 (eq. 6)"
    )
    p.add_argument(
        "--alpha-tilde", type=float, default=None, help="override the adapter's alpha_tilde (eq. 6)"
    )
    p.add_argument(
        "--batch-size", type=int, default=8, help="requests per forward pass (default 8)"
    )
    p.add_argument(
        "--max-gen-toks",
        type=int,
        default=None,
        help="cap generated tokens per request (the probe's arithmetic allows 256)",
    )
    p.add_argument(
        "--allow-code-execution",
        action="store_true",
        help="let HumanEval run model-written code (paper suite)",
    )
    p.add_argument(
        "--json", action="store_true", help="print the summary as JSON instead of a table"
    )
    p.set_defaults(func=cmd_eval)


def cmd_eval(args) -> int:
    import importlib.util

    if importlib.util.find_spec("lm_eval") is None:
        raise ValueError("qadapter eval needs lm-evaluation-harness; install qadapter[eval]")
    if args.limit is not None and args.limit <= 0:
        raise ValueError(f"--limit must be a positive number of documents, got {args.limit}")
    if args.batch_size <= 0:
        raise ValueError(f"--batch-size must be positive, got {args.batch_size}")
    from ..registry import install, is_model_ref, naming, resolve_adapter

    install()  # models:/ parents of a stacked adapter
    label = args.target
    with naming(label):
        target = str(resolve_adapter(label)) if is_model_ref(label) else label
        return _run(args, target, label)


def _run(args, target: str, label: str) -> int:
    from ..evaluate.benchmarks import format_table, run_suite

    summary = run_suite(
        target,
        args.suite,
        args.limit,
        output_dir=args.output,
        base=args.base,
        batch_size=args.batch_size,
        max_gen_toks=args.max_gen_toks,
        alpha0=args.alpha0,
        alpha_tilde=args.alpha_tilde,
        allow_code_execution=args.allow_code_execution,
    )
    summary["target"] = label  # the reference as given; "adapter" is where it was downloaded
    if args.json:
        print(json.dumps({k: v for k, v in summary.items() if k != "items"}, indent=2))
    else:
        shown = summary["adapter"] if label == target else f"{label} ({summary['adapter']})"
        what = (
            f"adapter {shown} on {summary['base']}"
            if summary["adapter"]
            else f"base {summary['base']}"
        )
        print(
            f"{args.suite} suite, {what}, limit {args.limit or 'none'} ({summary['wall_s']:.1f} s)"
        )
        print(format_table(summary))
        if summary["results_path"]:
            print(f"results: {summary['results_path']}")
    return 0
