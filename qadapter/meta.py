"""``qadapter.json``: an adapter's record (method, base, data, lineage), its schema, its one writer.

Every write goes through :func:`write_meta` (validated, then written to a temporary file, fsynced
and renamed into place); :func:`update_meta` is read-validate-merge-write on top of it. Every read
goes through :func:`read_meta`, which checks the schema: required fields and their types, the
method's ranges (those of :class:`qadapter.config.MethodConfig`), a known head.

Lineage (stacked adapters, ``qadapter.stack``): ``parent`` names the adapter this one was trained
on top of by reference (a directory path, relative paths read from the child's directory, or a
``scheme:/...`` reference such as ``models:/NAME/VERSION`` that a resolver registered with
:func:`register_resolver` turns into a directory), and ``parent_hash`` is that parent's
:func:`adapter_hash`. :func:`lineage` follows the references (an error on a loop);
:func:`verified_lineage` also refuses a missing parent or one whose content hash differs.

A saved adapter directory is checked here too, before anything loads it: :func:`check_adapter_files`
(its PEFT files are there and its weights read completely) and :func:`check_base` (it was trained
on the loaded base).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from .config import ConfigError, MethodConfig
from .errors import QAdapterError

META_FILE = "qadapter.json"
META_VERSION = 1
ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_CONFIG = "adapter_config.json"
# the qadapter.json fields that decide an adapter's policy (with the two PEFT files above): what
# a child's parent_hash covers. Other fields (held-out metrics, notes) may change freely.
POLICY_FIELDS = ("head", "alpha0", "alpha_tilde", "base_hash", "parent_hash")

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
    "parent_hash": (_STR + (type(None),), False),
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


_ANY = object()


def finished(
    directory: str | Path, data_hash: str, train_config: dict | None = None, onpolicy=_ANY
) -> dict | None:
    """The ``qadapter.json`` of an adapter that training already finished in ``directory`` on
    pairs with ``data_hash``, else None. Training writes the file last (atomically) and removes
    its checkpoints when it ends, so a stage retried after that would otherwise train again from
    step 0. ``train_config`` (a ``TrainConfig.to_dict()``) and ``onpolicy`` (the on-policy reply
    length, None for none) must match too when given; the work directory's key covers the rest.
    Used by the customize stage and by a re-customization level."""
    if not (Path(directory) / META_FILE).is_file():
        return None
    m = read_meta(directory)
    d = m.get("data") or {}
    if d.get("hash") != data_hash:
        return None
    if train_config is not None and m.get("train_config") != json.loads(json.dumps(train_config)):
        return None  # compared as stored (tuples are lists in JSON)
    if onpolicy is not _ANY and (d.get("onpolicy") or {}).get("tokens") != onpolicy:
        return None
    return m


# ---- lineage -----------------------------------------------------------------------------------

Resolver = Callable[[str, Path], "str | Path"]
_RESOLVERS: dict[str, Resolver] = {}


def register_resolver(scheme: str, resolver: Resolver | None) -> None:
    """Resolve ``scheme:/...`` parent references (e.g. ``models``) with ``resolver(ref, child) ->
    dir``, ``child`` being the directory of the adapter that names the parent.

    ``None`` removes the scheme's resolver. The resolver raises (or returns a directory that
    :func:`read_meta` then checks) when the reference cannot be found.
    """
    if resolver is None:
        _RESOLVERS.pop(scheme, None)
    else:
        _RESOLVERS[scheme] = resolver


def reference_scheme(ref: str) -> str | None:
    """``models`` for ``models:/x/1``; None for a path (also a Windows drive ``C:/``)."""
    head, sep, _ = ref.partition(":/")
    return head if sep and head.isidentifier() and len(head) > 1 else None


def resolve_parent(ref: str, child: str | Path) -> Path:
    """The directory a ``parent`` reference names; relative paths are read from ``child``."""
    scheme = reference_scheme(ref)
    if scheme is not None:
        if scheme not in _RESOLVERS:
            raise AdapterError(
                f"{child}: parent {ref!r} is a {scheme}:/ reference and no resolver is registered "
                f"for it; call qadapter.meta.register_resolver({scheme!r}, ...) or download the "
                "parent and point 'parent' at its directory"
            )
        return Path(_RESOLVERS[scheme](ref, Path(child)))
    path = Path(ref)
    return path if path.is_absolute() else Path(child) / path


def adapter_hash(directory: str | Path) -> str:
    """sha256 of an adapter's policy: its PEFT weights and config files, then the
    :data:`POLICY_FIELDS` of its ``qadapter.json`` (canonical JSON). Hex digest."""
    directory = Path(directory)
    meta = read_meta(directory)
    h = hashlib.sha256()
    for name in (ADAPTER_WEIGHTS, ADAPTER_CONFIG):
        path = directory / name
        if not path.is_file():
            raise AdapterError(
                f"{directory}: {name} is missing; the adapter directory is incomplete "
                "(re-run training, or restore it from its MLflow run)"
            )
        h.update(name.encode() + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    policy = {k: meta.get(k) for k in POLICY_FIELDS}
    h.update(json.dumps(policy, sort_keys=True).encode())
    return h.hexdigest()


def check_base(meta: dict, base_hash: str, where: str) -> None:
    if meta["base_hash"] != base_hash:
        raise AdapterError(
            f"{where}: adapter was trained on base {meta['base_model']!r} with content hash "
            f"{meta['base_hash'][:12]}, but the loaded base hashes to {base_hash[:12]}; "
            "load the same base"
        )


def check_adapter_files(directory: str | Path) -> None:
    """The PEFT files of an adapter directory exist and its weights file reads completely.

    Called before PEFT sees the directory: a missing file would otherwise make PEFT look the
    folder name up as a Hugging Face hub id.
    """
    from safetensors import SafetensorError, safe_open

    directory = Path(directory)
    for name in (ADAPTER_CONFIG, ADAPTER_WEIGHTS):
        if not (directory / name).is_file():
            raise AdapterError(
                f"{directory}: {name} is missing; the adapter directory is incomplete "
                "(re-run training, or restore it from its MLflow run)"
            )
    path = directory / ADAPTER_WEIGHTS
    try:
        with safe_open(str(path), framework="pt") as f:
            for key in f.keys():
                f.get_tensor(key)
    except (SafetensorError, OSError, RuntimeError, ValueError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise AdapterError(
            f"{path}: corrupt or truncated adapter weights ({reason}); "
            "re-run training, or restore the file from its MLflow run"
        ) from None


def lineage(directory: str | Path) -> list[str]:
    """Parent references of ``directory``, nearest first, following ``parent`` links.

    Stops at the first parent that cannot be read (moved away: its recorded reference is kept).
    Raises :class:`AdapterError` when the links form a loop.
    """
    seen = {Path(directory).resolve()}
    chain: list[str] = []
    here: str | Path = directory
    parent = read_meta(directory).get("parent")
    while parent:
        try:
            resolved = resolve_parent(parent, here).resolve()
        except AdapterError:
            chain.append(str(parent))
            break
        if resolved in seen:
            loop = " -> ".join([str(directory), *chain, str(parent)])
            raise AdapterError(
                f"{directory}: lineage loop ({loop}); fix the 'parent' field of {META_FILE}"
            )
        seen.add(resolved)
        chain.append(str(parent))
        here = resolved
        try:
            parent = read_meta(resolved).get("parent")
        except AdapterError:
            break
    return chain


def verified_lineage(directory: str | Path) -> list[tuple[Path, dict]]:
    """``[(directory, meta)]`` from the root adapter (trained on the base) up to ``directory``.

    Every ``parent`` must resolve to an adapter directory whose :func:`adapter_hash` equals the
    child's ``parent_hash``, and all must share one base; otherwise :class:`AdapterError`.
    """
    lineage(directory)  # a loop is reported as one
    chain = [(Path(directory), read_meta(directory))]
    while chain[-1][1].get("parent"):
        child, meta = chain[-1]
        ref = meta["parent"]
        if not meta.get("parent_hash"):
            raise AdapterError(
                f"{child}: parent {ref!r} has no parent_hash in {META_FILE}, so it cannot be "
                "verified; retrain the adapter on its parent (qadapter.stack)"
            )
        path = resolve_parent(ref, child)
        if not (path / META_FILE).is_file():
            raise AdapterError(
                f"{child}: parent adapter {ref!r} not found (looked in {path}); restore it "
                f"there or fix the 'parent' field of {META_FILE}"
            )
        got = adapter_hash(path)
        if got != meta["parent_hash"]:
            raise AdapterError(
                f"{child}: parent {ref!r} has content hash {got[:12]}, but the adapter was "
                f"trained on {meta['parent_hash'][:12]}; restore the original parent"
            )
        parent_meta = read_meta(path)
        if parent_meta["base_hash"] != meta["base_hash"]:
            raise AdapterError(
                f"{child}: parent {ref!r} was trained on another base "
                f"({parent_meta['base_hash'][:12]} vs {meta['base_hash'][:12]}); "
                "a stack shares one base"
            )
        chain.append((path, parent_meta))
    return chain[::-1]
