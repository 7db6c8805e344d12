"""``qadapter train``: arguments (generated from the configs), early checks, data, training, report.

Everything that can be checked before a model loads is: configuration ranges, the output path,
``--resume`` without a checkpoint, a source without training pairs. A failed run leaves no adapter
and removes an output directory it created (unless it holds the quarantine file the error names).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from .args import add_config_flags, config_values


def add_train(sub) -> None:
    from ..config import MethodConfig, TrainConfig

    p = sub.add_parser(
        "train",
        help="train a Q-Adapter on preference pairs",
        description="Train a Q-Adapter (eq. 9) on preference pairs.",
    )
    p.add_argument(
        "--data", required=True, help="preference source: file, directory, hf://..., s3://..."
    )
    p.add_argument(
        "--test-data",
        help="held-out pairs (default: the source's own test split, else a "
        "seeded 5%% hash split); preference accuracy before and after training is reported",
    )
    p.add_argument("--no-eval", action="store_true", help="skip the held-out evaluation")
    p.add_argument(
        "--output", "-o", required=True, help="output directory (PEFT adapter + qadapter.json)"
    )
    p.add_argument(
        "--profile", default="smol", help="hyper-parameter profile: smol (default), paper, tiny"
    )
    p.add_argument(
        "--base",
        help="base model: smollm2-135m-instruct, a HF id or directory, tiny "
        "(default: the profile's)",
    )
    p.add_argument(
        "--q-model",
        help="train Q on a separate, smaller model sharing the tokenizer (head 'logits')",
    )
    p.add_argument(
        "--parent",
        help="stack on this adapter (a directory, or models:/NAME/VERSION / models:/NAME@ALIAS, "
        "recorded pinned to its version): its customized policy is this adapter's base "
        "(default base: the parent's)",
    )
    p.add_argument("--format", default="auto", help="data format: auto, hh, trl, dsp")
    p.add_argument("--target-domain", help="DSP only: the preferred domain")
    p.add_argument("--strict", action="store_true", help="fail if any record is quarantined")
    p.add_argument(
        "--onpolicy",
        action="store_true",
        help="replace the rejected answer of every --data train pair with pi1's own greedy reply "
        "to its prompt (with --parent: the parent stack's customized reply); one round of "
        "on-policy preference optimisation, the steering recipe of docs/experiments/steering.md",
    )
    p.add_argument(
        "--onpolicy-tokens",
        type=int,
        default=32,
        help="new tokens of pi1's on-policy replies (default 32: behaviour is decided early)",
    )
    p.add_argument(
        "--mix",
        action="append",
        default=[],
        metavar="SOURCE",
        help="add the train split of another preference source unchanged (repeatable), e.g. "
        "data/hh-mini/helpful so that helpful prompts keep their answers",
    )
    add_config_flags(p, MethodConfig)
    add_config_flags(p, TrainConfig)
    p.add_argument(
        "--resume", action="store_true", help="continue from the newest checkpoint in --output"
    )
    p.add_argument(
        "--bf16", action="store_true", help="bf16 compute (CUDA; same as --precision bf16)"
    )
    p.add_argument("--load-in-8bit", action="store_true", help="8-bit base via bitsandbytes (CUDA)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_train)


def train_config(args):
    """The TrainConfig of parsed ``train`` arguments (validated; nothing is loaded)."""
    import torch

    from ..config import MethodConfig, TrainConfig, profile

    overrides = {**config_values(args, MethodConfig), **config_values(args, TrainConfig)}
    if args.q_model and overrides.get("head") is None:
        overrides["head"] = "logits"
    if args.bf16:
        overrides["precision"] = "bf16"
    cfg = profile(args.profile, **overrides)
    cuda = torch.cuda.is_available()
    if args.bf16 or args.load_in_8bit or overrides.get("precision") == "bf16":
        if not cuda:
            raise ValueError("--bf16 and --load-in-8bit need a CUDA GPU; drop them on CPU")
        cfg = cfg.with_overrides(load_in_8bit=args.load_in_8bit or cfg.load_in_8bit)
    elif not cuda and (cfg.precision != "fp32" or cfg.load_in_8bit):
        print(
            f"qadapter: profile {args.profile!r} asks for {cfg.precision}/8-bit, which needs CUDA; "
            "using fp32 on CPU",
            file=sys.stderr,
        )
        cfg = cfg.with_overrides(precision="fp32", load_in_8bit=False)
    return cfg


def check_output_path(path: str | Path) -> None:
    """Fail early (before anything loads) when ``path`` cannot become an output directory."""
    from ..lock import LockError

    out = Path(path)
    if out.exists() and not out.is_dir():
        raise LockError(f"--output {out}: is a file, not a directory; choose a directory path")
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise LockError(
            f"--output {out}: {existing} is a file, not a directory; choose another path"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise LockError(f"--output {out}: {existing} is not writable; choose a writable path")


def _remove_if_created(out: Path, created: bool) -> None:
    """After a failure: drop an output directory this command created if nothing in it matters."""
    if not created or not out.is_dir():
        return
    for f in out.iterdir():
        if f.is_file() and f.name.startswith("quarantine") and f.stat().st_size == 0:
            f.unlink()
    try:
        out.rmdir()
    except OSError:
        pass  # it holds something worth keeping (a quarantine file the error names)


def cmd_train(args) -> int:
    from ..checkpoint import CheckpointError, complete_checkpoints

    if args.onpolicy_tokens < 1:
        raise ValueError(f"--onpolicy-tokens must be >= 1, got {args.onpolicy_tokens}")
    cfg = train_config(args)
    out = Path(args.output)
    check_output_path(out)
    from ..registry import naming

    args.parent_ref = None
    if args.parent:  # a missing or changed lineage fails before any data or model loads
        from ..meta import verified_lineage
        from ..registry import install, is_model_ref, pinned, resolve_adapter

        install()
        with naming(args.parent):
            if is_model_ref(args.parent):  # recorded as models:/NAME/VERSION in qadapter.json
                ref, args.parent = args.parent, str(resolve_adapter(args.parent))
                args.parent_ref = pinned(ref)
            lineage = verified_lineage(args.parent)
        args.base = args.base or lineage[0][1]["base_model"]
    if args.resume and not complete_checkpoints(out):
        raise CheckpointError(
            f"--resume: no complete checkpoint in {out / 'checkpoints'}; "
            "run without --resume to start from step 0"
        )
    created = not out.exists()
    try:
        with naming(args.parent_ref or ""):  # a base mismatch names the registry reference
            return _train(args, cfg, out)
    except BaseException:
        _remove_if_created(out, created)
        raise


def _train(args, cfg, out: Path) -> int:
    import torch

    from ..adapter import QAdapter
    from ..config import PROFILE_BASES
    from ..data import dataset_hash, load_splits
    from ..distributed import is_rank_zero, local_device
    from ..evaluate.preference import evaluate_pairs
    from ..lock import output_lock
    from ..meta import update_meta
    from ..models import load_base
    from ..secrets import redact
    from ..stack import Stack
    from ..train import TrainingError, train

    main = is_rank_zero()  # under a launcher only rank 0 locks, evaluates and writes
    show = not args.quiet and main
    splits = load_splits(
        args.data,
        test_source=args.test_data,
        seed=cfg.seed,
        format=args.format,
        target_domain=args.target_domain,
        strict=args.strict,
        quarantine_path=str(out / "quarantine.jsonl") if main else None,
        progress=show,
    )
    for summary in splits.summaries:
        print(summary.format(), file=sys.stderr)
    removed = (
        f"; {splits.overlap_removed} train pairs also in test removed"
        if splits.overlap_removed
        else ""
    )
    print(
        f"split: {len(splits.train)} train / {len(splits.test)} held-out pairs "
        f"({splits.method}{removed})",
        file=sys.stderr,
    )
    if not splits.train:  # before any model loads or held-out evaluation runs
        raise TrainingError(
            f"{redact(args.data)}: no training pairs left after the split "
            f"({len(splits.test)} held-out); add pairs or pass --test-data"
        )
    mixed = []  # (source, train pairs) of each --mix, loaded before any model
    for i, source in enumerate(args.mix):
        extra = load_splits(
            source,
            seed=cfg.seed,
            format=args.format,
            strict=args.strict,
            quarantine_path=str(out / f"quarantine-mix{i + 1}.jsonl") if main else None,
            progress=show,
        )
        for summary in extra.summaries:
            print(summary.format(), file=sys.stderr)
        if not extra.train:
            raise TrainingError(
                f"--mix {redact(source)}: no training pairs left after its split; "
                "check the source or drop it"
            )
        print(f"mix: {len(extra.train)} train pairs from {redact(source)}", file=sys.stderr)
        mixed.append((source, extra.train))
    test = None if args.no_eval or not splits.test or not main else splits.test

    with output_lock(out) if main else contextlib.nullcontext():
        device = local_device()  # the rank's own GPU under a launcher
        dtype = torch.bfloat16 if cfg.precision == "bf16" else torch.float32
        base = load_base(
            args.base or PROFILE_BASES[args.profile],
            device=device,
            dtype=dtype,
            load_in_8bit=cfg.load_in_8bit,
        )
        q_base = load_base(args.q_model, device=device, dtype=dtype) if args.q_model else None
        parent = Stack.load(args.parent, base.model, base.content_hash) if args.parent else None
        pairs, recipe = training_pairs(base, splits.train, mixed, args, out)
        model = QAdapter(
            base.model,
            cfg.adapter,
            q_model=q_base.model if q_base else None,
            seed=cfg.seed,
            parent=parent,
        )
        before = (
            evaluate_pairs(
                model, base.tokenizer, test, cfg, progress=show, desc="held-out accuracy (before)"
            )
            if test
            else None
        )
        meta = {
            "base_model": base.name,
            "base_hash": base.content_hash,
            "q_model": q_base.name if q_base else None,
            "q_model_hash": q_base.content_hash if q_base else None,
            "data": {
                "source": redact(args.data),
                "hash": dataset_hash(splits.train),
                "pairs": len(splits.train),
                "split": splits.method,
                "quarantined": sum(x.quarantined for x in splits.summaries),
                "test_hash": dataset_hash(splits.test) if splits.test else None,
                **recipe,
            },
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if args.parent_ref:
            meta["parent"] = args.parent_ref
        result = train(
            model,
            base.tokenizer,
            pairs,
            cfg,
            out,
            meta=meta,
            resume=args.resume,
            progress=show,
        )
        if not main:  # rank 0 reports for the run
            return 0
        m = result.metrics
        lengths = "  ".join(
            f"{k} {v['min']}/{v['mean']:.0f}/{v['max']}" for k, v in result.token_lengths.items()
        )
        print(f"tokens (min/mean/max): {lengths}")
        print(
            f"trained {result.steps} steps on {result.pairs} pairs ({result.truncated} truncated) "
            f"in {result.seconds:.0f}s: loss {m['loss']:.4f}, accuracy {m['accuracy']:.3f}, "
            f"margin {m['margin']:.3f}"
        )
        if test:
            after = evaluate_pairs(
                model, base.tokenizer, test, cfg, progress=show, desc="held-out accuracy (after)"
            )
            print(
                f"held-out preference accuracy ({after['pairs']} pairs): "
                f"{before['accuracy']:.3f} -> "
                f"{after['accuracy']:.3f}; margin {before['margin']:.3f} -> {after['margin']:.3f}"
            )
            source = redact(args.test_data) if args.test_data else splits.method
            update_meta(out, heldout={"before": before, "after": after, "source": source})
    print(f"adapter written to {result.output_dir}")
    return 0


def training_pairs(base, train: list, mixed: list, args, out) -> tuple[list, dict]:
    """:func:`qadapter.onpolicy.training_recipe` for the CLI's arguments. On-policy replies are
    kept in the output directory, so ``--resume`` reuses them instead of generating again; with
    ``--parent`` they are the parent stack's greedy replies (the new level's pi1)."""
    from ..onpolicy import training_recipe

    return training_recipe(
        base,
        train,
        mixed,
        args.onpolicy_tokens if args.onpolicy else None,
        cache_dir=out,
        parent=args.parent,  # a directory by now; on a stack the rejected side is its policy's
        log=lambda msg: print(msg, file=sys.stderr),
    )
