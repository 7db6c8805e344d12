"""What several ``qadapter`` commands share: config-generated flags, adapter arguments (a directory
or a registry reference), and the one-line error of a command that returns an exit code."""

from __future__ import annotations

import sys
from dataclasses import MISSING

from ..errors import error_line


def fail(msg: str, code: int = 2) -> int:
    print(error_line(msg), file=sys.stderr)
    return code


def adapter_path(ref: str) -> str:
    """An adapter argument as a directory: a registry reference (``models:/NAME/3``,
    ``models:/NAME@champion``) is downloaded through MLflow (:mod:`qadapter.registry`); a path
    is kept. Also lets ``models:/`` parents of any adapter resolve."""
    from ..registry import install, resolve_adapter

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
    from ..config import cli_fields

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
    from ..config import cli_fields

    return {f.name: getattr(args, f.name, None) for f in cli_fields(cls)}
