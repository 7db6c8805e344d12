"""``qadapter promote NAME/VERSION`` and ``qadapter models list [NAME]``: picking an adapter.

Thin over :mod:`qadapter.registry`. The tracking store is ``--tracking-uri``, else
``MLFLOW_TRACKING_URI``, else the pipeline's ``state/mlflow.db``. Unknown models, versions or
aliases and a missing store are one ``qadapter: error:`` line (exit 2).
"""

from __future__ import annotations

import math
import time

# the columns of `models list`: (header, tag or metric name)
COLUMNS = (
    ("alpha0", "alpha0"),
    ("harmless", "winrate.harmless"),
    ("helpful", "winrate.helpful"),
    ("probe.delta", "probe.delta"),
    ("kl.general", "kl.general"),
)


def add_models_parser(sub) -> None:
    from .. import registry

    p = sub.add_parser(
        "promote",
        help="make a registered adapter version the champion (the old one: previous-champion)",
        description="Point the registry alias 'champion' at NAME/VERSION; the version it pointed "
        "at keeps the alias 'previous-champion'. Use it as models:/NAME@champion.",
    )
    p.add_argument(
        "ref", metavar="NAME/VERSION", help=f"e.g. {registry.MODEL}/3 or models:/{registry.MODEL}/3"
    )
    _store_flag(p)
    p.set_defaults(func=cmd_promote)

    models = sub.add_parser("models", help="registered adapters: list versions")
    msub = models.add_subparsers(dest="models_command", metavar="COMMAND")
    msub.required = True
    ls = msub.add_parser(
        "list",
        help="versions of a registered adapter with their aliases and metrics",
        description="One row per version: aliases, alpha0, win rates vs pi1 (%%), the general "
        "probe's change (points), KL on general prompts, creation time (UTC).",
    )
    ls.add_argument(
        "name",
        nargs="?",
        default=registry.MODEL,
        help=f"registered model (default {registry.MODEL})",
    )
    ls.add_argument("--json", action="store_true", help="print the versions as JSON")
    _store_flag(ls)
    ls.set_defaults(func=cmd_models_list)


def _store_flag(p) -> None:
    p.add_argument(
        "--tracking-uri",
        default=None,
        help="MLflow tracking store (default: $MLFLOW_TRACKING_URI, else state/mlflow.db)",
    )


def cmd_promote(args) -> int:
    from .. import registry

    ref = registry.parse_ref(args.ref)
    if ref.version is None:
        raise registry.RegistryError(
            f"promote {args.ref}: name a version number, e.g. {ref.name}/3 "
            f"(aliases move to versions, not to other aliases)"
        )
    out = registry.promote(ref.name, ref.version, client=registry.client_for(args.tracking_uri))
    if not out["changed"]:
        print(f"{ref.name}/{ref.version} is already the champion; nothing changed")
        return 0
    prev = out[registry.PREVIOUS]
    after = f"; previous-champion: version {prev}" if prev else "; no previous champion"
    print(f"{ref.name}/{ref.version} is now the champion (models:/{ref.name}@champion){after}")
    return 0


def value(row: dict, key: str):
    """A column's value: the version's tag, else its run's metric; None when neither has it."""
    if key in row["tags"]:
        text = row["tags"][key]
        try:
            return float(text)
        except ValueError:
            return text
    return row["metrics"].get(key)


def cell(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return "nan" if math.isnan(x) else f"{x:.4g}"
    return str(x)


def created(ms) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ms / 1000)) if ms else "-"


def table(rows: list[dict]) -> str:
    """The ``models list`` table: version, aliases, COLUMNS, created; aligned columns."""
    header = ["version", "aliases", *(h for h, _ in COLUMNS), "created"]
    body = [
        [
            r["version"],
            ",".join(r["aliases"]) or "-",
            *(cell(value(r, key)) for _, key in COLUMNS),
            created(r["created"]),
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in [header, *body]
    )


def cmd_models_list(args) -> int:
    import json

    from .. import registry

    rows = registry.list_versions(args.name, client=registry.client_for(args.tracking_uri))
    if args.json:
        print(json.dumps(rows, indent=2, sort_keys=True))
        return 0
    if not rows:
        print(f"{args.name}: no versions registered yet")
        return 0
    print(f"{args.name}: {len(rows)} version(s); win rates vs pi1 in %, probe.delta in points")
    print(table(rows))
    return 0
