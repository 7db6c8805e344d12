"""``qadapter serve``'s flags and start-up: one base, the adapters on it (:func:`build_engine`).

    qadapter serve [--base NAME] [--adapter NAME=DIR_OR_REF ...] [--host 127.0.0.1] [--port 8000]
                   [--max-batch 8] [--max-tokens 256] [--tracking-uri URI]
                   [--api-key-env NAME] [--max-body-bytes 4194304] [--read-timeout 30]
                   [--max-queue 64] [--registry-timeout 5]

``--api-key-env NAME``: clients must send ``Authorization: Bearer <the value of $NAME>`` (read
once at start, never logged). Binding a ``--host`` beyond loopback prints a warning, a louder one
without a key. The limits are :mod:`qadapter.serving.guard`'s (413, 408, 503 + Retry-After) and
:mod:`qadapter.serving.lookup`'s (registry lookups: timeout, then 503).

Every ``--adapter`` is loaded before the server listens (a bad one is one error line and exit 2);
registry references given there are resolved once, at start. ``--base`` defaults to the base
recorded in the first adapter's ``qadapter.json`` (the embedded SmolLM2 without adapters).
:func:`qadapter.serving.server.serve` runs it; ``qadapter serve`` (:mod:`qadapter.cli.serve`) and
``python -m qadapter.serving.server`` take these flags.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from ..models import EMBEDDED
from .guard import DEFAULT_MAX_BODY, DEFAULT_MAX_QUEUE, DEFAULT_READ_TIMEOUT
from .lookup import LookupConfig

DEFAULT_PORT = 8000


def add_serve_arguments(p) -> None:
    p.add_argument("--base", help="base model (default: the first adapter's recorded base)")
    p.add_argument(
        "--adapter",
        action="append",
        default=[],
        metavar="NAME=DIR_OR_REF",
        help="serve an adapter directory or registry reference (hh-qadapter@champion, "
        "hh-qadapter/3) under NAME; repeatable",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default: loopback)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument(
        "--max-batch", type=int, default=8, help="requests decoded together at most (default 8)"
    )
    p.add_argument(
        "--max-tokens", type=int, default=256, help="max_tokens of requests that give none"
    )
    p.add_argument("--tracking-uri", help="MLflow tracking URI for registry references")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument(
        "--api-key-env",
        metavar="NAME",
        help="require 'Authorization: Bearer <key>' on every endpoint but /health, the key "
        "read from the environment variable NAME (never from the command line)",
    )
    p.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="N",
        help=f"larger request bodies get 413 (default {DEFAULT_MAX_BODY}: 4 MiB)",
    )
    p.add_argument(
        "--read-timeout",
        type=float,
        default=DEFAULT_READ_TIMEOUT,
        metavar="S",
        help=f"a body not complete after S seconds gets 408 (default {DEFAULT_READ_TIMEOUT:g})",
    )
    p.add_argument(
        "--max-queue",
        type=int,
        default=DEFAULT_MAX_QUEUE,
        metavar="N",
        help=f"chat requests in the server at once; more get 503 (default {DEFAULT_MAX_QUEUE})",
    )
    p.add_argument(
        "--registry-timeout",
        type=float,
        default=LookupConfig.timeout,
        metavar="S",
        help="seconds a request waits for the tracking server to resolve a reference before "
        f"503 (default {LookupConfig.timeout:g})",
    )


def api_key_from_env(name: str | None) -> str | None:
    """The key in ``$name`` (None without ``--api-key-env``); a ValueError if it is unset."""
    if name is None:
        return None
    key = os.environ.get(name, "").strip()
    if not key:
        raise ValueError(
            f"--api-key-env {name}: the environment variable {name} is not set or empty; "
            "export it with the key clients must send"
        )
    return key


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False


def exposure_warning(host: str, authenticated: bool) -> str | None:
    """The warning line for binding ``host``, or None on loopback."""
    if is_loopback(host):
        return None
    if authenticated:
        return (
            f"qadapter serve: warning: listening on {host}, reachable beyond this machine; "
            "requests need the API key, but traffic is plain HTTP (put TLS in front)"
        )
    return (
        f"qadapter serve: warning: listening on {host} WITHOUT authentication: anyone who can "
        "reach it can use the models; pass --api-key-env NAME or bind 127.0.0.1"
    )


def adapter_directory(ref: str, tracking_uri: str | None = None) -> Path:
    """A ``--adapter`` value as a directory: itself, or the registry's download of it."""
    from ..meta import AdapterError
    from .catalog import UnknownModel, is_reference, resolve_reference

    path = Path(ref)
    if path.is_dir():
        return path
    if is_reference(ref):
        try:
            return resolve_reference(ref, tracking_uri)
        except UnknownModel as e:
            raise AdapterError(f"--adapter {ref}: {e}") from None
    raise AdapterError(
        f"--adapter {ref}: no such directory and not a registry reference; pass an adapter "
        "directory or NAME/VERSION, NAME@ALIAS"
    )


def build_engine(
    base: str | None,
    adapters: list[str],
    *,
    max_batch: int = 8,
    tracking_uri: str | None = None,
):
    """Load the base once and every ``NAME=REF`` adapter on it; an :class:`Engine` (not started)."""
    from ..meta import read_meta
    from ..models import load_base
    from .catalog import base_served, load_adapter_served, parse_adapter_arg
    from .engine import Engine

    pairs = [parse_adapter_arg(a) for a in adapters]
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"--adapter: the name {dup!r} is given twice; give each a unique NAME")
    dirs = [(n, adapter_directory(r, tracking_uri), r) for n, r in pairs]
    base_name = base or (read_meta(dirs[0][1])["base_model"] if dirs else EMBEDDED)
    b = load_base(base_name)
    served = base_served(b, (base_name,))
    taken = {s.name for s in served}
    for name, directory, ref in dirs:
        if name in taken:
            raise ValueError(f"--adapter {name}=...: {name!r} is the base's name; pick another")
        served.append(load_adapter_served(name, directory, b, source=ref))
    return Engine(b, served, max_batch=max_batch, tracking_uri=tracking_uri)
