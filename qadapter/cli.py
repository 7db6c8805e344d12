"""``qadapter ...`` commands: train, generate, info, data check. Thin: parsing and messages only.

Hyper-parameter flags are generated from the configuration dataclasses (``qadapter.config``):
their names, types, choices and help strings; their ranges are checked by the dataclasses, before
anything is loaded. User mistakes (bad arguments, missing or damaged files, an adapter for another
base, a NaN loss, a busy output directory) end stderr with one line ``qadapter: error: ...`` and a
non-zero exit, never a traceback. Exit codes: 0 ok, 1 training failed (e.g. NaN loss), 2 bad input.
Long phases show progress on stderr (a bar on a terminal, periodic lines in a log; ``--quiet``:
off).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import MISSING
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .errors import PREFIX, error_line, exit_code, user_errors  # noqa: E402


class Parser(argparse.ArgumentParser):
    """argparse with qadapter's one-line error format (``qadapter: error: ...``, exit 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{PREFIX}{self.prog.removeprefix('qadapter ')}: {message}\n")


def _error(msg: str, code: int = 2) -> int:
    print(error_line(msg), file=sys.stderr)
    return code


def adapter_path(ref: str) -> str:
    """An adapter argument as a directory: a registry reference (``models:/NAME/3``,
    ``models:/NAME@champion``) is downloaded through MLflow (:mod:`qadapter.registry`); a path
    is kept. Also lets ``models:/`` parents of any adapter resolve."""
    from .registry import install, resolve_adapter

    install()
    return str(resolve_adapter(ref))


ADAPTER_HELP = (
    "adapter directory written by `qadapter train`, or a registered version: "
    "models:/hh-qadapter/3 or models:/hh-qadapter@champion"
)


def add_config_flags(parser, cls, *, only=None, defaults=None) -> None:
    """One ``--flag`` per CLI field of a config dataclass (type, choices, help from its metadata).

    Defaults are None (the profile's value applies) unless ``defaults`` gives one.
    """
    from .config import cli_fields

    defaults = defaults or {}
    for f in cli_fields(cls):
        if only is not None and f.name not in only:
            continue
        flag = "--" + f.name.replace("_", "-")
        meta, default = f.metadata, f.default if f.default is not MISSING else None
        help_ = meta["help"]
        if meta.get("choices"):
            parser.add_argument(
                flag, choices=meta["choices"], default=defaults.get(f.name), help=help_
            )
        elif isinstance(default, bool):
            parser.add_argument(flag, action="store_true", default=defaults.get(f.name), help=help_)
        else:
            kind = (
                type(default) if default is not None else (int if "int" in str(f.type) else float)
            )
            parser.add_argument(flag, type=kind, default=defaults.get(f.name), help=help_)


def config_values(args, cls) -> dict:
    from .config import cli_fields

    return {f.name: getattr(args, f.name, None) for f in cli_fields(cls)}


# ---- generate -----------------------------------------------------------------------------------


def add_generate(sub) -> None:
    from .config import MethodConfig
    from .decode import SamplingConfig

    p = sub.add_parser(
        "generate",
        help="generate with a customized model (eq. 6)",
        description="Sample from softmax((Q + alpha0 log pi1) / alpha_tilde).",
    )
    p.add_argument("adapter", help=ADAPTER_HELP)
    p.add_argument("--prompt", "-p", action="append", help="a user message (repeat for a batch)")
    p.add_argument("--prompts-file", help="a file with one prompt per line")
    p.add_argument("--base", help="base model (default: the one recorded in qadapter.json)")
    p.add_argument(
        "--q-model",
        help="the separate Q model, if the adapter was trained on one (default: as recorded)",
    )
    add_config_flags(p, MethodConfig, only={"alpha0", "alpha_tilde"})
    add_config_flags(p, SamplingConfig, defaults={"max_new_tokens": 256})
    p.add_argument("--json", action="store_true", help="print a JSON list of {prompt, response}")
    p.set_defaults(func=cmd_generate)


def cmd_generate(args) -> int:
    from .registry import naming

    with naming(args.adapter):
        return _generate(args)


def _generate(args) -> int:
    import json

    from .adapter import check_adapter_files, read_meta
    from .config import MethodConfig
    from .decode import CustomizedDecoder, SamplingConfig
    from .models import load_base

    cfg = SamplingConfig(
        **{k: v for k, v in config_values(args, SamplingConfig).items() if v is not None}
    )
    prompts = list(args.prompt or [])
    if args.prompts_file:
        path = Path(args.prompts_file)
        if not path.is_file():
            return _error(
                f"--prompts-file {path}: no such file; pass a text file with one prompt per line"
            )
        prompts += [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if not prompts:
        return _error("no prompt given; pass --prompt TEXT (repeatable) or --prompts-file FILE")
    args.adapter = adapter_path(args.adapter)
    meta = read_meta(args.adapter)
    MethodConfig.from_meta(
        meta, alpha0=args.alpha0, alpha_tilde=args.alpha_tilde
    )  # validate overrides
    check_adapter_files(args.adapter)
    base = load_base(args.base or meta["base_model"])
    q_name = args.q_model or meta.get("q_model")
    q_model = load_base(q_name).model if q_name else None
    dec = CustomizedDecoder.from_adapter(
        args.adapter, base, alpha0=args.alpha0, alpha_tilde=args.alpha_tilde, q_model=q_model
    )
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
    p = sub.add_parser(
        "info", help="print an adapter's configuration and lineage (verifies its files)"
    )
    p.add_argument("adapter", help=ADAPTER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)


def _mixed_in(m: dict) -> str:
    """One part of ``qadapter info``'s "trained" line: pairs mixed or replayed in, or an
    ancestor's pairs rehearsed (labelled ``qadapter.rehearsal.LABEL`` + its reference)."""
    from .rehearsal import LABEL

    source = str(m.get("source"))
    if source.startswith(LABEL):
        return f"; {m.get('pairs')} pairs of {source[len(LABEL) :]} rehearsed"
    return f"; {m.get('pairs')} pairs of {source} mixed in"


def _rejected(data: dict) -> str:
    """``qadapter info``'s "rejected" line: the recipe's rejected side, in its own names (records
    written before ``data.rejected`` existed say it by having ``data.onpolicy`` or not)."""
    onpolicy = data.get("onpolicy")
    if onpolicy is None:
        return data.get("rejected", "data")
    who = "pi1" if onpolicy.get("policy") == "pi1" else "the parent stack"
    return f"onpolicy  ({who}'s greedy replies, onpolicy_tokens={onpolicy.get('tokens')})"


def cmd_info(args) -> int:
    """Configuration and lineage; a stacked adapter's chain is verified level by level (its
    parents' content hashes), and a broken chain ends in one error line after what could be read.
    A registry reference is shown with the directory it was downloaded to."""
    from .registry import naming

    with naming(args.adapter):
        label = args.adapter
        args.adapter = adapter_path(args.adapter)
        return _info(args, label)


def _info(args, label: str) -> int:
    import json

    from .adapter import check_adapter_files
    from .meta import AdapterError, adapter_hash, lineage, read_meta, verified_lineage
    from .registry import is_model_ref

    meta = read_meta(args.adapter)
    check_adapter_files(args.adapter)
    chain = lineage(args.adapter)  # a loop is an error here already
    levels, problem = [], None
    if chain:
        try:
            levels = verified_lineage(args.adapter)
        except AdapterError as e:
            problem = e
    if args.json:
        print(json.dumps(meta, indent=2, sort_keys=True))
        if problem:
            raise problem
        return 0
    data = meta.get("data") or {}
    lora = meta.get("adapter", {})
    lines = [
        f"adapter      {label}" + (f"  ({args.adapter})" if label != args.adapter else ""),
        f"base         {meta['base_model']}  (hash {meta['base_hash'][:16]})",
        f"q model      {meta.get('q_model') or 'the base network + LoRA'}",
        f"head         {meta['head']}   LoRA r={lora.get('lora_r')} alpha={lora.get('lora_alpha')}",
        f"eq. 6        alpha0={meta['alpha0']}  alpha_tilde={meta['alpha_tilde']}",
        f"eq. 9        gamma={meta['gamma']}  beta={meta.get('beta')}",
        f"data         {data.get('source')}  ({data.get('pairs')} pairs, "
        f"hash {str(data.get('hash'))[:16]})",
        f"rejected     {_rejected(data)}",
        f"trained      {meta.get('steps')} steps on {meta.get('pairs')} pairs"
        + (
            f" (resumed from step {meta['resumed_from_step']})"
            if meta.get("resumed_from_step")
            else ""
        )
        + "".join(_mixed_in(m) for m in data.get("mix") or ()),
    ]
    fm = meta.get("final_metrics") or {}
    if fm:
        nan = float("nan")
        lines.append(
            f"last step    loss {fm.get('loss', nan):.4f}  accuracy {fm.get('accuracy', nan):.3f}  "
            f"margin {fm.get('margin', nan):.3f}"
        )
    if "heldout" in meta and "after" in meta["heldout"]:
        h = meta["heldout"]
        lines.append(
            f"held-out     accuracy {h['before']['accuracy']:.3f} -> {h['after']['accuracy']:.3f} "
            f"on {h['after']['pairs']} pairs"
        )
    if not chain:
        lines.append(f"lineage      {label} (no parent)")
    elif levels:
        # parents by their registry reference where they have one, else by their directory
        parents = [
            ref if is_model_ref(ref) else str(p.resolve())
            for (p, _), ref in zip(levels[-2::-1], chain)
        ]
        lines.append(
            "lineage      "
            + " <- ".join([label, *parents, f"base {meta['base_model']}"])
            + f"  (depth {len(levels)}, verified)"
        )
        for k, (path, m) in enumerate(levels, 1):
            shown = label if k == len(levels) else parents[len(levels) - 1 - k]
            lines.append(
                f"  level {k}  {shown}  hash {adapter_hash(path)[:12]}  head {m['head']}  "
                f"alpha0={m['alpha0']}  alpha_tilde={m['alpha_tilde']}"
            )
    else:
        lines.append("lineage      " + " <- ".join([label, *chain]) + "  (unverified)")
    print("\n".join(lines))
    if problem:
        raise problem
    return 0


# ---- main ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from .data.check import add_data_parser
    from .evaluate.eval_cli import add_eval_parser

    parser = Parser(
        prog="qadapter",
        description="Customize a preference-aligned LLM to new preferences without forgetting "
        "(Q-Adapter).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    from .cli_train import add_train

    add_train(sub)
    add_generate(sub)
    add_info(sub)
    add_eval_parser(sub)
    add_data_parser(sub)
    from .cli_models import add_models_parser

    add_models_parser(sub)
    from .serving.cli import add_serve_parser

    add_serve_parser(sub)
    return parser


def main(argv=None) -> int:
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)  # library deprecation chatter
    warnings.filterwarnings("ignore", message=".*gradient_checkpointing.*")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help, or a usage error already printed in qadapter's format
        return int(e.code or 0)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _error("interrupted", 130)
    except user_errors() as e:
        lines = str(e).strip().splitlines()
        for context in lines[1:]:  # details first, so the error is the last line
            print(f"  {context}", file=sys.stderr)
        return _error(lines[0] if lines else type(e).__name__, exit_code(e))
    except OSError as e:
        what = e.strerror or str(e)
        where = e.filename or "a file"
        return _error(
            f"cannot access {where}: {what}; "
            "check the path, its permissions and the free disk space"
        )


if __name__ == "__main__":
    sys.exit(main())
