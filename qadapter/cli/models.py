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
    ("status", "recustomize.status"),
    ("declined", "behaviour.declined"),
    ("answered", "behaviour.answered"),
    ("harmless", "winrate.harmless"),
    ("h.judge", "judge.harmless.trusted"),
    ("helpful", "winrate.helpful"),
    ("hp.judge", "judge.helpful.trusted"),
    ("probe.delta", "probe.delta"),
    ("kl.general", "kl.general"),
)

# version tags that stop `qadapter promote` (without --force): the decision was not a pass, or
# a judge behind its numbers failed its validation
BLOCKING = {  # tag: (values that block, what it means)
    "recustomize.status": (("rejected", "undecided", "pending"), "its level was {value}"),
    "judge.harmless.trusted": (("false", "0.0"), "the harmless judge failed its validation"),
    "judge.helpful.trusted": (("false", "0.0"), "the helpful judge failed its validation"),
    "judge.new.trusted": (("false", "0.0"), "the new preference's judge failed its validation"),
    "behaviour.trusted": (("false", "0.0"), "the refusal classifier failed its validation"),
}


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
    p.add_argument(
        "--force",
        action="store_true",
        help="promote even when the version was rejected or undecided, or a judge behind its "
        "numbers failed its validation (recorded on the version as promoted.forced)",
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
    client = registry.client_for(args.tracking_uri)
    tags = dict(registry.get_version(ref.name, str(ref.version), client=client).tags or {})
    blocked = promotion_blockers(tags)
    if blocked and not args.force:
        raise registry.RegistryError(
            f"promote {ref.name}/{ref.version}: not promoted, because "
            + "; ".join(blocked)
            + ". Read the version's description; promote it anyway with --force"
        )
    out = registry.promote(ref.name, ref.version, client=client)
    if blocked:
        client.set_model_version_tag(
            ref.name, str(ref.version), "promoted.forced", "; ".join(blocked)
        )
    if not out["changed"]:
        print(f"{ref.name}/{ref.version} is already the champion; nothing changed")
        return 0
    prev = out[registry.PREVIOUS]
    after = f"; previous-champion: version {prev}" if prev else "; no previous champion"
    print(f"{ref.name}/{ref.version} is now the champion (models:/{ref.name}@champion){after}")
    return 0


def promotion_blockers(tags: dict) -> list[str]:
    """Why a version should not become the champion, from its tags (:data:`BLOCKING`)."""
    out = []
    for key, (bad, what) in BLOCKING.items():
        v = str(tags.get(key, "")).lower()
        if v in bad:
            why = tags.get(v) if key == "recustomize.status" else None
            out.append(what.format(value=v) + (f" ({why})" if why else ""))
    return out


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
    print(
        f"{args.name}: {len(rows)} version(s); declined / answered: shares of risky prompts pi1 "
        "complies with that it declines and of helpful prompts pi1 answers that it answers; win "
        "rates vs pi1 in %, read only where the judge column says 1 (validated); probe.delta in "
        "points"
    )
    print(table(rows))
    return 0
