"""``qadapter`` command line: train, generate, info, data check. Thin: parsing and messages only.

User mistakes (bad arguments, missing files, an adapter for another base, a NaN loss) print one
line ``qadapter: error: ...`` on stderr and exit non-zero, never a traceback.
Exit codes: 0 ok, 1 training failed (e.g. NaN loss), 2 bad input (arguments, files, data, models).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _error(msg: str, code: int = 2) -> int:
    print(f"qadapter: error: {msg}", file=sys.stderr)
    return code


# ---- train --------------------------------------------------------------------------------------


def add_train(sub) -> None:
    p = sub.add_parser("train", help="train a Q-Adapter on preference pairs", description="Train a Q-Adapter (eq. 9) on preference pairs.")
    p.add_argument("--data", required=True, help="preference source: file, directory, hf://..., s3://...")
    p.add_argument("--test-data", help="held-out pairs (default: the source's own test split, else a seeded 5%% hash split); "
                   "preference accuracy before and after training is reported")
    p.add_argument("--no-eval", action="store_true", help="skip the held-out evaluation")
    p.add_argument("--output", "-o", required=True, help="output directory (PEFT adapter + qadapter.json)")
    p.add_argument("--profile", default="smol", help="hyper-parameter profile: smol (default), paper, tiny")
    p.add_argument("--base", help="base model: smollm2-135m-instruct, a HF id or directory, tiny (default: the profile's)")
    p.add_argument("--q-model", help="train Q on a separate, smaller model sharing the tokenizer (head 'logits')")
    p.add_argument("--format", default="auto", help="data format: auto, hh, trl, dsp")
    p.add_argument("--target-domain", help="DSP only: the preferred domain")
    p.add_argument("--strict", action="store_true", help="fail if any record is quarantined")
    for name, typ, help_ in [
        ("alpha0", float, "weight of log pi1 in eq. 6"), ("alpha-tilde", float, "temperature of eq. 6"),
        ("beta", float, "weight of the L2 regulariser"), ("gamma", float, "discount in the implied rewards"),
        ("lr", float, "AdamW learning rate"), ("epochs", int, "passes over the data"),
        ("batch-size", int, "pairs per optimizer step"), ("micro-batch-size", int, "pairs per forward pass"),
        ("max-length", int, "max tokens per prompt + response"), ("max-steps", int, "stop after this many steps"),
        ("checkpoint-every", int, "optimizer steps between checkpoints"), ("seed", int, "random seed"),
        ("lora-r", int, "LoRA rank"), ("lora-alpha", int, "LoRA alpha"),
    ]:
        p.add_argument(f"--{name}", type=typ, help=help_)
    p.add_argument("--head", choices=["residual", "logits"], help="Q head parameterization (see README)")
    p.add_argument("--reg-reduction", choices=["mean", "sum"], help="regulariser: token mean (default) or eq. 9's sum")
    p.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --output")
    p.add_argument("--gradient-checkpointing", action="store_true", default=None)
    p.add_argument("--bf16", action="store_true", help="bf16 compute (CUDA)")
    p.add_argument("--load-in-8bit", action="store_true", help="8-bit base via bitsandbytes (CUDA)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)


def cmd_train(args) -> int:
    import torch

    from .adapter import QAdapter
    from .config import PROFILE_BASES, profile
    from .data import dataset_hash, load_splits
    from .models import load_base
    from .train import evaluate_pairs, train

    cfg = profile(
        args.profile, alpha0=args.alpha0, alpha_tilde=args.alpha_tilde, beta=args.beta, gamma=args.gamma,
        lr=args.lr, epochs=args.epochs, batch_size=args.batch_size, micro_batch_size=args.micro_batch_size,
        max_length=args.max_length, max_steps=args.max_steps, checkpoint_every=args.checkpoint_every,
        seed=args.seed, reg_reduction=args.reg_reduction, gradient_checkpointing=args.gradient_checkpointing,
    )
    adapter_overrides = {k: v for k, v in {"head": args.head, "lora_r": args.lora_r, "lora_alpha": args.lora_alpha}.items() if v is not None}
    if args.q_model and "head" not in adapter_overrides:
        adapter_overrides["head"] = "logits"
    cfg = replace(cfg, adapter=replace(cfg.adapter, **adapter_overrides))
    cuda = torch.cuda.is_available()
    if args.bf16 or args.load_in_8bit:
        if not cuda:
            return _error("--bf16 and --load-in-8bit need a CUDA GPU; drop them on CPU")
        cfg = replace(cfg, precision="bf16" if args.bf16 else cfg.precision, load_in_8bit=args.load_in_8bit)
    elif not cuda and (cfg.precision != "fp32" or cfg.load_in_8bit):
        print(f"qadapter: profile {args.profile!r} asks for {cfg.precision}/8-bit, which needs CUDA; using fp32 on CPU", file=sys.stderr)
        cfg = replace(cfg, precision="fp32", load_in_8bit=False)

    splits = load_splits(args.data, test_source=args.test_data, seed=cfg.seed, format=args.format, target_domain=args.target_domain,
                         strict=args.strict, quarantine_path=str(Path(args.output) / "quarantine.jsonl"))
    for summary in splits.summaries:
        print(summary.format(), file=sys.stderr)
    print(f"split: {len(splits.train)} train / {len(splits.test)} held-out pairs ({splits.method}"
          + (f"; {splits.overlap_removed} train pairs also in test removed" if splits.overlap_removed else "") + ")", file=sys.stderr)
    test = None if args.no_eval or not splits.test else splits.test

    device = "cuda" if cuda else "cpu"
    dtype = torch.bfloat16 if cfg.precision == "bf16" else torch.float32
    base = load_base(args.base or PROFILE_BASES[args.profile], device=device, dtype=dtype, load_in_8bit=cfg.load_in_8bit)
    q_base = load_base(args.q_model, device=device, dtype=dtype) if args.q_model else None
    model = QAdapter(base.model, cfg.adapter, q_model=q_base.model if q_base else None, seed=cfg.seed)
    before = evaluate_pairs(model, base.tokenizer, test, cfg) if test else None

    meta = {
        "base_model": base.name, "base_hash": base.content_hash,
        "q_model": q_base.name if q_base else None, "q_model_hash": q_base.content_hash if q_base else None,
        "data": {"source": args.data, "hash": dataset_hash(splits.train), "pairs": len(splits.train), "split": splits.method,
                 "quarantined": sum(x.quarantined for x in splits.summaries), "test_hash": dataset_hash(splits.test) if splits.test else None},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    result = train(model, base.tokenizer, splits.train, cfg, args.output, meta=meta, resume=args.resume, progress=not args.quiet)
    m = result.metrics
    lengths = "  ".join(f"{k} {v['min']}/{v['mean']:.0f}/{v['max']}" for k, v in result.token_lengths.items())
    print(f"tokens (min/mean/max): {lengths}")
    print(f"trained {result.steps} steps on {result.pairs} pairs ({result.truncated} truncated) in {result.seconds:.0f}s: "
          f"loss {m['loss']:.4f}, accuracy {m['accuracy']:.3f}, margin {m['margin']:.3f}")
    if test:
        after = evaluate_pairs(model, base.tokenizer, test, cfg)
        print(f"held-out preference accuracy ({after['pairs']} pairs): {before['accuracy']:.3f} -> {after['accuracy']:.3f}; "
              f"margin {before['margin']:.3f} -> {after['margin']:.3f}")
        meta_path = Path(args.output) / "qadapter.json"
        record = json.loads(meta_path.read_text())
        record["heldout"] = {"before": before, "after": after, "source": args.test_data or splits.method}
        meta_path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    print(f"adapter written to {result.output_dir}")
    return 0


# ---- generate -----------------------------------------------------------------------------------


def add_generate(sub) -> None:
    p = sub.add_parser("generate", help="generate with a customized model (eq. 6)", description="Sample from softmax((Q + alpha0 log pi1) / alpha_tilde).")
    p.add_argument("adapter", help="adapter directory written by `qadapter train`")
    p.add_argument("--prompt", "-p", action="append", help="a user message (repeat for a batch)")
    p.add_argument("--prompts-file", help="a file with one prompt per line")
    p.add_argument("--base", help="base model (default: the one recorded in qadapter.json)")
    p.add_argument("--q-model", help="the separate Q model, if the adapter was trained on one (default: as recorded)")
    p.add_argument("--alpha0", type=float, help="override alpha0 (default: as trained)")
    p.add_argument("--alpha-tilde", type=float, help="override alpha_tilde (default: as trained)")
    p.add_argument("--max-new-tokens", type=int, default=256)
    p.add_argument("--greedy", action="store_true", help="argmax decoding")
    p.add_argument("--temperature", type=float, default=1.0, help="on top of eq. 6 (1.0 samples it exactly)")
    p.add_argument("--top-k", type=int, default=0)
    p.add_argument("--top-p", type=float, default=1.0)
    p.add_argument("--seed", type=int)
    p.add_argument("--json", action="store_true", help="print a JSON list of {prompt, response}")
    p.set_defaults(func=cmd_generate)


def cmd_generate(args) -> int:
    from .adapter import read_meta
    from .decode import CustomizedDecoder, SamplingConfig
    from .models import load_base

    prompts = list(args.prompt or [])
    if args.prompts_file:
        path = Path(args.prompts_file)
        if not path.is_file():
            return _error(f"--prompts-file {path}: no such file; pass a text file with one prompt per line")
        prompts += [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if not prompts:
        return _error("no prompt given; pass --prompt TEXT (repeatable) or --prompts-file FILE")
    meta = read_meta(args.adapter)
    cfg = SamplingConfig(max_new_tokens=args.max_new_tokens, greedy=args.greedy, temperature=args.temperature, top_k=args.top_k, top_p=args.top_p, seed=args.seed)
    base = load_base(args.base or meta["base_model"])
    q_name = args.q_model or meta.get("q_model")
    q_model = load_base(q_name).model if q_name else None
    dec = CustomizedDecoder.from_adapter(args.adapter, base, alpha0=args.alpha0, alpha_tilde=args.alpha_tilde, q_model=q_model)
    stream = len(prompts) == 1 and not args.json and sys.stdout.isatty()
    on_step = None
    if stream:
        from transformers import TextStreamer

        streamer = TextStreamer(base.tokenizer, skip_special_tokens=True)
        on_step = streamer.put
    texts = dec.generate_text(base.tokenizer, prompts, cfg, on_step=on_step)
    if stream:
        streamer.end()
    elif args.json:
        print(json.dumps([{"prompt": p, "response": t} for p, t in zip(prompts, texts)], indent=2))
    else:
        for p, t in zip(prompts, texts):
            print(f">>> {p}\n{t}\n" if len(prompts) > 1 else t)
    return 0


# ---- info ---------------------------------------------------------------------------------------


def add_info(sub) -> None:
    p = sub.add_parser("info", help="print an adapter's configuration and lineage")
    p.add_argument("adapter")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)


def cmd_info(args) -> int:
    from .adapter import read_meta

    meta = read_meta(args.adapter)
    if args.json:
        print(json.dumps(meta, indent=2, sort_keys=True))
        return 0
    data = meta.get("data") or {}
    lines = [
        f"adapter      {args.adapter}",
        f"base         {meta['base_model']}  (hash {meta['base_hash'][:16]})",
        f"q model      {meta.get('q_model') or 'the base network + LoRA'}",
        f"head         {meta['head']}   LoRA r={meta.get('adapter', {}).get('lora_r')} alpha={meta.get('adapter', {}).get('lora_alpha')}",
        f"eq. 6        alpha0={meta['alpha0']}  alpha_tilde={meta['alpha_tilde']}",
        f"eq. 9        gamma={meta['gamma']}  beta={meta.get('beta')}",
        f"data         {data.get('source')}  ({data.get('pairs')} pairs, hash {str(data.get('hash'))[:16]})",
        f"trained      {meta.get('steps')} steps, {meta.get('created', '?')}",
    ]
    fm = meta.get("final_metrics") or {}
    if fm:
        lines.append(f"last step    loss {fm.get('loss', float('nan')):.4f}  accuracy {fm.get('accuracy', float('nan')):.3f}  margin {fm.get('margin', float('nan')):.3f}")
    if "heldout" in meta:
        h = meta["heldout"]
        lines.append(f"held-out     accuracy {h['before']['accuracy']:.3f} -> {h['after']['accuracy']:.3f} on {h['after']['pairs']} pairs")
    chain, parent = [], meta.get("parent")
    while parent:
        chain.append(str(parent))
        try:
            parent = read_meta(parent).get("parent")
        except Exception:  # a parent moved away: show what is recorded and stop
            break
    lines.append("lineage      " + (" <- ".join([str(args.adapter)] + chain) if chain else f"{args.adapter} (no parent)"))
    print("\n".join(lines))
    return 0


# ---- main ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from .data.check import add_data_parser

    parser = argparse.ArgumentParser(prog="qadapter", description="Customize a preference-aligned LLM to new preferences without forgetting (Q-Adapter).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    add_train(sub)
    add_generate(sub)
    add_info(sub)
    add_data_parser(sub)
    return parser


def main(argv=None) -> int:
    from .adapter import AdapterError
    from .data import DataError
    from .models import ModelError
    from .train import TrainingError

    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)  # library deprecation chatter, not the user's business
    warnings.filterwarnings("ignore", message=".*gradient_checkpointing.*")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TrainingError as e:
        return _error(str(e), 1)
    except (AdapterError, ModelError, DataError, ValueError) as e:
        return _error(str(e).splitlines()[0] if not isinstance(e, DataError) else str(e))
    except FileNotFoundError as e:
        return _error(f"{e.filename or e}: no such file or directory; check the path")
    except KeyboardInterrupt:
        return _error("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
