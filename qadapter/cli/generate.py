"""``qadapter generate ADAPTER``: sample from the customized policy (eq. 6)."""

from __future__ import annotations

import sys
from pathlib import Path

from .args import ADAPTER_HELP, adapter_path, add_config_flags, config_values, fail


def add_generate(sub) -> None:
    from ..config import MethodConfig
    from ..decode import SamplingConfig

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
    from ..registry import naming

    with naming(args.adapter):
        return _generate(args)


def _generate(args) -> int:
    import json

    from ..config import MethodConfig
    from ..decode import CustomizedDecoder, SamplingConfig
    from ..meta import check_adapter_files, read_meta
    from ..models import load_base

    cfg = SamplingConfig(
        **{k: v for k, v in config_values(args, SamplingConfig).items() if v is not None}
    )
    prompts = list(args.prompt or [])
    if args.prompts_file:
        path = Path(args.prompts_file)
        if not path.is_file():
            return fail(
                f"--prompts-file {path}: no such file; pass a text file with one prompt per line"
            )
        prompts += [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if not prompts:
        return fail("no prompt given; pass --prompt TEXT (repeatable) or --prompts-file FILE")
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
