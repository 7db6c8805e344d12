"""``qadapter ...`` commands, one module per command group: ``train``, ``generate``, ``info``,
``eval``, ``data check|publish``, ``promote`` and ``models list``, ``serve``. Thin: parsing and
messages only; :mod:`qadapter.cli.parser` holds the top-level parser and ``main``.

Hyper-parameter flags are generated from the configuration dataclasses (``qadapter.config``):
their names, types, choices and help strings; their ranges are checked by the dataclasses, before
anything is loaded. User mistakes (bad arguments, missing or damaged files, an adapter for another
base, a NaN loss, a busy output directory) end stderr with one line ``qadapter: error: ...`` and a
non-zero exit, never a traceback. Exit codes: 0 ok, 1 training failed (e.g. NaN loss), 2 bad input.
Long phases show progress on stderr (a bar on a terminal, periodic lines in a log; ``--quiet``:
off).
"""

import os

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .parser import build_parser, main  # noqa: E402

__all__ = ["build_parser", "main"]
