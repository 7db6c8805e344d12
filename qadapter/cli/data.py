"""``qadapter data check SOURCE``: load a preference source and report what happened to it.
``qadapter data publish SOURCE DEST``: put a file where ``recustomize`` watches and have the
pipeline's hook emit the Prefect event ``preference-data.arrived`` (:mod:`qadapter.data.publish`).

Exit codes (the same as every ``qadapter`` command): 0 loaded (summary table and content hash on
stdout); 2 bad input: the source or an option is wrong, nothing usable was loaded, or ``--strict``
and something was quarantined. Errors end stderr with exactly one line
``qadapter: error: what, where, what to do`` (above it, for ``--strict``, the first problems with
their line numbers); never a traceback, never a credential.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from qadapter.data.formats import DSP_DOMAINS, FORMATS
from qadapter.data.hashing import dataset_hash
from qadapter.data.records import DataError
from qadapter.data.validate import load_preferences, problem_lines, problems_message, require_pairs
from qadapter.secrets import redact

ERROR_PREFIX = "qadapter: error: "
BAD_INPUT = 2


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        help="file, directory, hf://OWNER/NAME?split=..., or "
        "s3://bucket/prefix (credentials come from the environment, never the URI)",
    )
    parser.add_argument(
        "--format", default="auto", help=f"record format: auto (default), {', '.join(FORMATS)}"
    )
    parser.add_argument(
        "--target-domain",
        default=None,
        help=f"DSP only: the preferred domain ({', '.join(DSP_DOMAINS)})",
    )
    parser.add_argument("--split", default=None, help="only this split (train, test, ...)")
    parser.add_argument(
        "--max-prompt-chars",
        type=int,
        default=None,
        help="quarantine prompts longer than this many characters",
    )
    parser.add_argument(
        "--max-record-bytes",
        type=int,
        default=None,
        metavar="N",
        help="quarantine records bigger than N bytes (default: "
        "$QADAPTER_MAX_RECORD_BYTES or 1000000)",
    )
    parser.add_argument(
        "--quarantine",
        default=None,
        metavar="PATH",
        help="write quarantined records to this JSONL file",
    )
    parser.add_argument("--strict", action="store_true", help="exit 2 if any record is quarantined")


def add_data_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``data`` (with ``check``) on a subparsers object; ``args.func(args)`` runs it."""
    data = subparsers.add_parser("data", help="inspect and validate preference data")
    commands = data.add_subparsers(dest="data_command", metavar="COMMAND")
    commands.required = True
    check = commands.add_parser("check", help="load a source, print a summary and its hash")
    add_check_arguments(check)
    check.set_defaults(func=check_command)
    publish = commands.add_parser(
        "publish",
        help="copy/upload a preference file to a watched location and emit preference-data.arrived",
    )
    publish.add_argument("source", help="a local preference data file (.jsonl/.json/.parquet/.csv)")
    publish.add_argument(
        "dest",
        help="the watched location: a local directory or s3://bucket/prefix (credentials from "
        "the environment, never the URI)",
    )
    publish.add_argument(
        "--no-event", action="store_true", help="only copy/upload; emit no Prefect event"
    )
    publish.set_defaults(func=publish_command)
    return data


def error(message: str, details: Sequence[str] = ()) -> int:
    """Print ``details`` then one ``qadapter: error:`` line on stderr (redacted); return 2."""
    for line in details:
        print(redact(line), file=sys.stderr)
    print(ERROR_PREFIX + redact(message).replace("\n", " "), file=sys.stderr)
    return BAD_INPUT


def check_command(args: argparse.Namespace) -> int:
    """Run ``data check`` for parsed arguments; returns the exit code."""
    try:
        result = load_preferences(
            args.source,
            format=args.format,
            target_domain=args.target_domain,
            split=args.split,
            quarantine_path=args.quarantine,
            max_prompt_chars=args.max_prompt_chars,
            max_record_bytes=args.max_record_bytes,
        )
    except DataError as exc:
        return error(str(exc), exc.details)
    except OSError as exc:
        where = exc.filename or args.source
        return error(
            f"cannot read {where}: {exc.strerror or exc}; check the path and its permissions"
        )
    print(result.summary.format())
    try:
        require_pairs(result)
    except DataError as exc:
        return error(str(exc), problem_lines(result.quarantine))
    if args.strict and result.quarantine:
        return error(
            problems_message(result.quarantine, args.source, args.quarantine),
            problem_lines(result.quarantine),
        )
    print(f"hash  sha256:{dataset_hash(result.pairs)}")
    return 0


def publish_command(args: argparse.Namespace) -> int:
    """Run ``data publish``: 0 published (and the event sent, or said why not); 2 bad input;
    1 published but the configured Prefect API did not answer. The event is sent by the hooks
    registered for :data:`qadapter.data.publish.HOOKS` (the pipeline's ``tasks.events``)."""
    from qadapter.data.publish import on_published_hooks, publish_file

    try:
        p = publish_file(args.source, args.dest)
    except DataError as exc:
        return error(str(exc))
    except OSError as exc:
        return error(
            f"cannot publish {exc.filename or args.source}: {exc.strerror or exc}; "
            "check the paths and their permissions"
        )
    state = "already there" if p.existed else "published"
    print(redact(f"{state}  {p.uri}  ({p.bytes} bytes, sha256:{p.sha256})"))
    if args.no_event:
        print("event not sent (--no-event)")
        return 0
    hooks = on_published_hooks()
    if not hooks:
        print(
            "event not sent: the pipeline's event hook (entry point qadapter.on_published) is not "
            "installed; pip install -e . from the repository registers it"
        )
        return 0
    for emit in hooks:
        try:
            event_id = emit(p)
        except DataError as exc:
            error(str(exc))
            return 1
        if event_id is None:
            print(
                "event not sent: no Prefect API configured (set PREFECT_API_URL); the scheduled "
                "run of recustomize/hh-watch will pick the file up"
            )
        else:
            print(f"event preference-data.arrived sent (id {event_id})")
    return 0


def run_check(argv: Sequence[str] | None = None) -> int:
    """``qadapter data check`` from an argument list (``["data.jsonl", "--strict"]``)."""
    parser = argparse.ArgumentParser(
        prog="qadapter data check", description=__doc__.splitlines()[0]
    )
    add_check_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line error
        return int(exc.code or 0)
    return check_command(args)
