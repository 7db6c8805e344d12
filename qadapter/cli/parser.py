"""``qadapter``: the top-level parser (one sub-command per module of :mod:`qadapter.cli`) and
``main``, which turns user mistakes into one ``qadapter: error:`` line and an exit code."""

from __future__ import annotations

import argparse
import sys

from ..errors import PREFIX, exit_code, user_errors
from .args import fail


class Parser(argparse.ArgumentParser):
    """argparse with qadapter's one-line error format (``qadapter: error: ...``, exit 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{PREFIX}{self.prog.removeprefix('qadapter ')}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from .data import add_data_parser
    from .eval import add_eval_parser
    from .generate import add_generate
    from .info import add_info
    from .models import add_models_parser
    from .serve import add_serve_parser
    from .train import add_train

    parser = Parser(
        prog="qadapter",
        description="Customize a preference-aligned LLM to new preferences without forgetting "
        "(Q-Adapter).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    add_train(sub)
    add_generate(sub)
    add_info(sub)
    add_eval_parser(sub)
    add_data_parser(sub)
    add_models_parser(sub)
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
        return fail("interrupted", 130)
    except user_errors() as e:
        lines = str(e).strip().splitlines()
        for context in lines[1:]:  # details first, so the error is the last line
            print(f"  {context}", file=sys.stderr)
        return fail(lines[0] if lines else type(e).__name__, exit_code(e))
    except OSError as e:
        what = e.strerror or str(e)
        where = e.filename or "a file"
        return fail(
            f"cannot access {where}: {what}; "
            "check the path, its permissions and the free disk space"
        )
