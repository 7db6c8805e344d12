"""``qadapter serve``: the sub-command; its flags and start-up are :mod:`qadapter.serving.startup`,
the server :func:`qadapter.serving.server.serve` (FastAPI loads only when the command runs)."""

from __future__ import annotations


def add_serve_parser(sub) -> None:
    from ..serving.startup import add_serve_arguments

    p = sub.add_parser(
        "serve",
        help="OpenAI-compatible server for adapters on one shared base",
        description="Serve /v1/chat/completions and /v1/models; several adapters share one "
        "base model in memory and are chosen per request by model name.",
    )
    add_serve_arguments(p)
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    from ..serving.server import serve

    return serve(args)
