"""``qadapter.json``: an adapter's record (method, base, data, lineage), its schema, its one writer.

Every write goes through :func:`write_meta` (validated, then written to a temporary file, fsynced
and renamed into place); :func:`update_meta` is read-validate-merge-write on top of it. Every read
goes through :func:`read_meta`, which checks the schema: required fields and their types, the
method's ranges (those of :class:`qadapter.config.MethodConfig`), a known head. :func:`lineage`
follows ``parent`` links and stops with an error on a loop.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .config import ConfigError, MethodConfig
from .errors import QAdapterError

META_FILE = "qadapter.json"
META_VERSION = 1

_NUMBER = (int, float)
_STR = (str,)
# field: (allowed types, required)
SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "alpha0": (_NUMBER, True),
    "alpha_tilde": (_NUMBER, True),
    "gamma": (_NUMBER, True),
    "head": (_STR, True),
    "base_model": (_STR, True),
    "base_hash": (_STR, True),
    "beta": (_NUMBER + (type(None),), False),
    "reg_reduction": (_STR, False),
    "parent": (_STR + (type(None),), False),
    "q_model": (_STR + (type(None),), False),
    "q_model_hash": (_STR + (type(None),), False),
    "format_version": ((int,), False),
    "steps": ((int, type(None)), False),
    "adapter": ((dict,), False),
    "data": ((dict, type(None)), False),
    "train_config": ((dict,), False),
    "final_metrics": ((dict,), False),
    "heldout": ((dict,), False),
}


class AdapterError(QAdapterError):
    """An adapter directory is missing, malformed, or does not match the loaded base."""


def _type_names(types: tuple[type, ...]) -> str:
    names = {int: "number", float: "number", str: "string", dict: "object", type(None): "null"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))


def validate_meta(meta: object, where: str) -> dict:
    """``meta`` if it fits :data:`SCHEMA` and the method's ranges; else :class:`AdapterError`."""
    if not isinstance(meta, dict):
        raise AdapterError(f"{where}: expected a JSON object, got {type(meta).__name__}")
    for key, (types, required) in SCHEMA.items():
        if key not in meta:
            if required:
                raise AdapterError(
                    f"{where}: field {key!r} is missing; the adapter was not written by qadapter"
                )
            continue
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, types):
            raise AdapterError(
                f"{where}: field {key!r} must be a {_type_names(types)}, got {value!r}; "
                "restore the file from the training run"
            )
    try:
        MethodConfig.from_meta(meta)
    except ConfigError as e:
        raise AdapterError(f"{where}: {e}; restore the file from the training run") from None
    return meta


def read_meta(directory: str | Path) -> dict:
    """The validated ``qadapter.json`` of an adapter directory."""
    path = Path(directory) / META_FILE
    if not path.is_file():
        raise AdapterError(f"{directory}: no {META_FILE}; is this a qadapter output directory?")
    try:
        meta = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise AdapterError(
            f"{path}:{e.lineno}: invalid JSON ({e.msg}); restore the file from the training run"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise AdapterError(f"{path}: cannot read ({e}); check the file") from None
    return validate_meta(meta, str(path))


def write_meta(directory: str | Path, record: dict) -> Path:
    """Validate ``record``; write it as ``directory/qadapter.json`` atomically (the one writer)."""
    path = Path(directory) / META_FILE
    validate_meta(record, str(path))
    tmp = path.with_name(f".{META_FILE}.tmp")
    with open(tmp, "w") as f:
        f.write(json.dumps(record, indent=2, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def update_meta(directory: str | Path, **fields) -> dict:
    """Merge ``fields`` into an existing ``qadapter.json`` (validated) and write it back."""
    record = {**read_meta(directory), **fields}
    write_meta(directory, record)
    return record


def lineage(directory: str | Path) -> list[str]:
    """Parent adapters of ``directory``, nearest first, following ``parent`` links.

    Stops at the first parent that cannot be read (moved away: its recorded path is kept).
    Raises :class:`AdapterError` when the links form a loop.
    """
    seen = {Path(directory).resolve()}
    chain: list[str] = []
    parent = read_meta(directory).get("parent")
    while parent:
        resolved = Path(parent).resolve()
        if resolved in seen:
            loop = " -> ".join([str(directory), *chain, str(parent)])
            raise AdapterError(
                f"{directory}: lineage loop ({loop}); fix the 'parent' field of {META_FILE}"
            )
        seen.add(resolved)
        chain.append(str(parent))
        try:
            parent = read_meta(parent).get("parent")
        except AdapterError:
            break
    return chain
