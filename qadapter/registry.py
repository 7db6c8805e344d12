"""Registered adapters: ``models:/NAME/VERSION`` and ``models:/NAME@ALIAS`` references.

Every customize run registers its adapter as a new version of :data:`MODEL` in the MLflow model
registry. This module turns a reference into an adapter directory and manages the aliases a
person picks adapters with:

- :func:`resolve_adapter` downloads a version once into
  ``<qadapter cache>/registry/STORE/NAME/VERSION`` (reused while the version's source is
  unchanged) and returns the directory holding ``qadapter.json``; a directory is returned as it
  is. Parents named by ``models:/`` references
  resolve the same way (:func:`install` registers the resolver in :mod:`qadapter.meta`).
- :func:`promote` moves the ``champion`` alias, keeping the one it replaced as
  ``previous-champion``; :func:`describe_version` writes the tags and description a person
  chooses by; :func:`list_versions` gathers versions, aliases, tags and their run's metrics.

The tracking store is ``tracking_uri`` when given, else ``MLFLOW_TRACKING_URI``, else the
project's store ``state/mlflow.db`` that the pipeline logs to (:func:`qadapter.store.tracking_uri`).
Unknown names, versions and aliases, and a missing store, are :class:`RegistryError` (an
:class:`AdapterError`): one line saying what exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .meta import META_FILE, AdapterError, read_meta, register_resolver
from .secrets import redact
from .store import tracking_uri

MODEL = "hh-qadapter"
SCHEME = "models"
CHAMPION, PREVIOUS, CANDIDATE = "champion", "previous-champion", "candidate"
MARKER = ".qadapter-registry.json"  # written last into a complete download
# a registered pyfunc model (qadapter.serving.pyfunc) keeps the adapter and its parents in the
# artifact ARTIFACT_KEY: artifacts/adapters/adapter (the top), artifacts/adapters/parent-1, ...
ARTIFACT_KEY = "adapters"
TOP = "adapter"

_REF = re.compile(
    r"^(?:models:/)?(?P<name>[^/@\s][^/@]*?)(?:/(?P<version>[0-9]+)|@(?P<alias>[A-Za-z0-9_.-]+))$"
)
# references resolved in this process, per store (store key -> ref -> adapter dir): parents reuse
# them, errors name them; _STORES: store key -> the tracking URI its references came from
_RESOLVED: dict[str, dict[str, Path]] = {}
_STORES: dict[str, str | None] = {}


class RegistryError(AdapterError):
    """A registry reference, model, version or alias that does not exist, or no store."""


class RegistryUnavailable(RegistryError):
    """The store failed to answer (unreachable, timed out, a server error): not a missing name,
    so a server answers 503 (retry later), not 404."""


@dataclass(frozen=True)
class Ref:
    name: str
    version: str | None = None
    alias: str | None = None

    @property
    def spec(self) -> str:
        """The version number or the alias."""
        return self.version if self.version is not None else str(self.alias)

    def __str__(self) -> str:
        tail = f"/{self.version}" if self.version is not None else f"@{self.alias}"
        return f"{SCHEME}:/{self.name}{tail}"


def parse_ref(ref: str) -> Ref:
    """``models:/NAME/3``, ``models:/NAME@champion``, ``NAME/3``, ``NAME@champion`` -> Ref."""
    m = _REF.match(str(ref).strip())
    if m is None:
        raise RegistryError(
            f"{ref!r} is not a registry reference; write models:/NAME/VERSION or "
            f"models:/NAME@ALIAS (e.g. models:/{MODEL}/3 or models:/{MODEL}@{CHAMPION}; a version "
            "is a number, an alias follows @)"
        )
    return Ref(m["name"], m["version"], m["alias"])


def is_model_ref(ref: str | Path) -> bool:
    """True for the forms of :func:`parse_ref`; False for a path (an existing one included).

    Anything written ``models:/...`` is meant as a reference: True even when malformed (for
    example ``models:/NAME/champion``, MLflow's old stage form), so that resolving it gives
    :func:`parse_ref`'s error line instead of "no such directory"."""
    if isinstance(ref, Path):
        return False
    text = str(ref).strip()
    if text.startswith(f"{SCHEME}:/"):
        return True
    if os.path.exists(text):
        return False
    return _REF.match(text) is not None


# ---- store ---------------------------------------------------------------------------------


def default_tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI``, else the project's store ``state/mlflow.db`` (:mod:`.store`)."""
    return tracking_uri()


def _check_store(uri: str) -> None:
    """A ``sqlite:///`` store must exist (connecting would create an empty one); a tracking
    server must answer its health check within seconds (MLflow's own client retries for
    minutes)."""
    if uri.split("://", 1)[0].lower() in ("http", "https"):
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"{uri.rstrip('/')}/health", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers (a proxy may guard /health): let MLflow's requests tell
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise RegistryUnavailable(
                f"no MLflow tracking server answers at {redact(uri)} ({reason}); start it "
                "(make up) or set MLFLOW_TRACKING_URI to the store that holds the adapters"
            ) from None
    if uri.startswith("sqlite:///"):
        path = Path(uri.removeprefix("sqlite:///"))
        if not path.is_file():
            raise RegistryError(
                f"no MLflow tracking store at {path}; set MLFLOW_TRACKING_URI to the store that "
                "holds the registered adapters (sqlite:///PATH or http://HOST:PORT)"
            )


def client_for(tracking_uri: str | None = None):
    """An ``MlflowClient`` on ``tracking_uri`` (default: :func:`default_tracking_uri`)."""
    os.environ.setdefault("MLFLOW_ENABLE_TELEMETRY", "false")
    uri = tracking_uri or default_tracking_uri()
    _check_store(uri)
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _store_uri(c) -> str:
    return str(getattr(c, "_registry_uri", None) or c.tracking_uri)


def store_key(c) -> str:
    """A short hash of the client's registry URI: downloads of version N of a model from two
    stores (two tracking servers, a test store beside a real one) never share a directory.
    Without it one process replaced the other's download while it was in use."""
    return _uri_key(_store_uri(c))


def _uri_key(uri: str) -> str:
    return hashlib.sha256(uri.encode()).hexdigest()[:12]


def _missing(e: Exception) -> bool:
    return getattr(e, "error_code", "") in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE")


@contextlib.contextmanager
def _mlflow_errors(what: str):
    """An MLflow failure as one line naming ``what``."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as e:
        msg = str(e.message if hasattr(e, "message") else e).strip().splitlines()[0]
        kind = RegistryError if _missing(e) else RegistryUnavailable
        raise kind(f"{what}: {redact(msg)}") from None


def _registered(c, name: str):
    from mlflow.exceptions import MlflowException

    try:
        return c.get_registered_model(name)
    except MlflowException as e:
        if not _missing(e):
            where = redact(_store_uri(c))
            raise RegistryUnavailable(f"model registry {where}: {e.message}") from None
        names = [m.name for m in c.search_registered_models(max_results=20)]
        known = ", ".join(names) if names else "none"
        raise RegistryError(
            f"no registered model {name!r} in {redact(_store_uri(c))} (registered: {known}); "
            "check the name, or MLFLOW_TRACKING_URI"
        ) from None


def _versions(c, name: str) -> list:
    found = c.search_model_versions("name = '{}'".format(name.replace("'", "\\'")))
    return sorted(found, key=lambda v: int(v.version))


def get_version(name: str, version_or_alias: str | int, *, client=None):
    """The registered ``ModelVersion`` of ``name`` by number (``3``) or alias (``champion``)."""
    from mlflow.exceptions import MlflowException

    c = client or client_for()
    spec = str(version_or_alias)
    model = _registered(c, name)
    try:
        if spec.isdigit():
            return c.get_model_version(name, spec)
        return c.get_model_version_by_alias(name, spec)
    except MlflowException as e:
        if not _missing(e):
            raise RegistryUnavailable(f"{name}/{spec}: {redact(e.message)}") from None
    if spec.isdigit():
        have = ", ".join(str(v.version) for v in _versions(c, name)) or "none"
        raise RegistryError(
            f"registered model {name!r} has no version {spec} (versions: {have}); "
            f"list them with: qadapter models list {name}"
        )
    aliases = getattr(model, "aliases", {}) or {}
    have = ", ".join(f"{a} -> {v}" for a, v in sorted(aliases.items())) or "none"
    raise RegistryError(
        f"registered model {name!r} has no alias {spec!r} (aliases: {have}); "
        f"set one with: qadapter promote {name}/VERSION"
    )


def set_alias(name: str, version: str | int, alias: str, *, client=None) -> None:
    """Point ``alias`` of ``name`` at ``version`` (which must exist)."""
    c = client or client_for()
    mv = get_version(name, str(version), client=c)
    with _mlflow_errors(f"alias {alias!r} of {name}/{mv.version}"):
        c.set_registered_model_alias(name, alias, str(mv.version))


def _alias_version(c, name: str, alias: str) -> str | None:
    aliases = getattr(_registered(c, name), "aliases", {}) or {}
    return str(aliases[alias]) if alias in aliases else None


def promote(name: str, version: str | int, *, client=None) -> dict:
    """Make ``version`` the ``champion``; the champion it replaces becomes ``previous-champion``.

    Returns ``{"champion", "previous-champion", "changed"}`` as they are afterwards; promoting
    the current champion changes nothing (``changed`` False).
    """
    c = client or client_for()
    mv = get_version(name, str(version), client=c)
    current = _alias_version(c, name, CHAMPION)
    if current == str(mv.version):
        return {
            CHAMPION: str(mv.version),
            PREVIOUS: _alias_version(c, name, PREVIOUS),
            "changed": False,
        }
    with _mlflow_errors(f"promoting {name}/{mv.version}"):
        if current is not None:
            c.set_registered_model_alias(name, PREVIOUS, current)
        c.set_registered_model_alias(name, CHAMPION, str(mv.version))
    return {CHAMPION: str(mv.version), PREVIOUS: _alias_version(c, name, PREVIOUS), "changed": True}


def describe_version(name: str, version: str | int, fields: dict, *, client=None) -> None:
    """Set each field as a tag of the version (``str(value)``, ``none`` for None) and write them
    as its markdown description (numbers to 6 significant digits)."""
    c = client or client_for()
    mv = get_version(name, str(version), client=c)
    v = str(mv.version)
    with _mlflow_errors(f"describing {name}/{v}"):
        for key, value in fields.items():
            c.set_model_version_tag(name, v, key, redact("none" if value is None else str(value)))
        c.update_model_version(name, v, description=redact(description(name, v, fields)))


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "none" if value is None else str(value)


def description(name: str, version: str, fields: dict) -> str:
    """The markdown a person reads on the version's page: one row per field."""
    rows = "\n".join(f"| {k} | {_shown(v)} |" for k, v in fields.items())
    return (
        f"**{name} version {version}**: a Q-Adapter adapter. Use it as "
        f"`models:/{name}/{version}` (`qadapter generate`, `qadapter eval`, `qadapter serve`); "
        f"promote it with `qadapter promote {name}/{version}`.\n\n"
        f"| field | value |\n|---|---|\n{rows}\n"
    )


def _run_metrics(c, run_id: str | None) -> dict:
    """Metrics of the version's run, over those of its parent run (the flow's summary)."""
    from mlflow.exceptions import MlflowException

    if not run_id:
        return {}
    try:
        run = c.get_run(run_id)
        metrics = dict(run.data.metrics)
        parent = run.data.tags.get("mlflow.parentRunId")
        if parent:
            metrics = {**c.get_run(parent).data.metrics, **metrics}
    except MlflowException:
        return {}  # the run was deleted: the version's tags still describe it
    return metrics


def list_versions(name: str = MODEL, *, client=None) -> list[dict]:
    """Versions of ``name``, oldest first: ``{version, aliases, tags, metrics, run_id, source,
    created}`` (``metrics``: those of the version's run and of its parent run; ``created``:
    milliseconds since the epoch)."""
    c = client or client_for()
    aliases = getattr(_registered(c, name), "aliases", {}) or {}
    out = []
    for mv in _versions(c, name):
        v = str(mv.version)
        out.append(
            {
                "version": v,
                "aliases": sorted(a for a, av in aliases.items() if str(av) == v),
                "tags": dict(mv.tags or {}),
                "metrics": _run_metrics(c, mv.run_id),
                "run_id": mv.run_id,
                "source": mv.source,
                "created": mv.creation_timestamp,
                "description": mv.description or "",
            }
        )
    return out


# ---- resolving -----------------------------------------------------------------------------


def cache_root() -> Path:
    from .models import cache_dir

    return cache_dir() / "registry"


def adapter_dir_in(model_dir: str | Path) -> Path:
    """The adapter directory (the one with ``qadapter.json``) inside a downloaded model directory.

    A logged pyfunc model keeps it at ``artifacts/adapters/adapter``; a plain adapter directory
    (versions registered before the pyfunc model existed) is returned as it is.
    """
    model_dir = Path(model_dir)
    for candidate in (model_dir / "artifacts" / ARTIFACT_KEY / TOP, model_dir):
        if (candidate / META_FILE).is_file():
            return candidate
    raise AdapterError(
        f"{model_dir}: neither a qadapter pyfunc model (no artifacts/{ARTIFACT_KEY}/{TOP}/"
        f"{META_FILE}) nor an adapter directory (no {META_FILE}); was it logged by "
        "qadapter.serving.pyfunc.log_adapter_model?"
    )


def _find_adapter(root: Path) -> Path:
    """The adapter directory inside a downloaded version (plain adapter or pyfunc model)."""
    if (root / META_FILE).is_file():
        return root
    return adapter_dir_in(root)


def _complete(dest: Path, record: dict) -> bool:
    try:
        return json.loads((dest / MARKER).read_text()) == record
    except (OSError, ValueError):
        return False


def _download(c, mv, dest: Path) -> Path:
    """``dest`` holding the version's files, downloaded unless a complete copy is there."""
    import mlflow.artifacts

    record = {"name": mv.name, "version": str(mv.version), "source": mv.source, "run_id": mv.run_id}
    if _complete(dest, record):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        uri = _store_uri(c)
        with _mlflow_errors(f"downloading {mv.name}/{mv.version} from {redact(uri)}"):
            # the version's own artifact location (a models:/ URI here would be looked up in
            # the process's default registry, not in this client's)
            source = c.get_model_version_download_uri(mv.name, str(mv.version))
            local = Path(
                mlflow.artifacts.download_artifacts(
                    artifact_uri=source, dst_path=str(tmp), tracking_uri=c.tracking_uri
                )
            )  # tmp/<last part of the source>
        if not local.is_dir():
            raise RegistryError(
                f"{mv.name}/{mv.version}: its source {redact(source)} is a file, not an adapter "
                "or model directory; register the adapter directory (or its pyfunc model)"
            )
        (local / MARKER).write_text(json.dumps(record))
        if _complete(dest, record):  # another process finished first
            return dest
        shutil.rmtree(dest, ignore_errors=True)  # a stale copy (another store's version)
        try:
            os.replace(local, dest)
        except OSError:  # another process (a rank under a launcher) put it there first
            if not _complete(dest, record):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def resolve_adapter(ref: str | Path, *, tracking_uri: str | None = None) -> Path:
    """A directory as it is; a registry reference -> the downloaded adapter directory.

    Versions are cached under ``<cache>/registry/STORE/NAME/VERSION`` (STORE: :func:`store_key`)
    and reused while the version's
    source and run are unchanged. ``models:/`` parents of the adapter are resolved too (from the
    same store), so loading the adapter as a stack needs no further download.
    """
    if not is_model_ref(ref):
        return Path(ref)
    install()
    try:
        return _resolve(parse_ref(str(ref)), tracking_uri, ())
    except RegistryError as e:
        if str(ref).startswith(f"{SCHEME}:/"):
            raise
        raise type(e)(f"{ref}: no such directory; as a registry reference: {e}") from None


def _resolve(r: Ref, tracking_uri: str | None, below: tuple[str, ...]) -> Path:
    if str(r) in below:
        raise RegistryError(f"{below[0]}: lineage loop through {r}; fix the versions' parents")
    c = client_for(tracking_uri)
    mv = get_version(r.name, r.spec, client=c)
    store = store_key(c)
    root = _download(c, mv, cache_root() / store / quote(r.name, safe="") / str(mv.version))
    adapter = _find_adapter(root)
    _STORES[store] = tracking_uri
    seen = _RESOLVED.setdefault(store, {})
    seen[str(r)] = adapter
    seen[f"{SCHEME}:/{r.name}/{mv.version}"] = adapter
    parent = read_meta(adapter).get("parent")
    if parent and parent.startswith(f"{SCHEME}:/"):  # as qadapter.meta reads parent fields
        _resolve(parse_ref(parent), tracking_uri, (*below, str(r)))
    return adapter


def _store_of(directory: str | Path) -> str | None:
    """The store key of a directory in the registry cache (``registry/STORE/...``), else None."""
    try:
        rel = Path(directory).resolve().relative_to(cache_root().resolve())
    except (ValueError, OSError):
        return None
    return rel.parts[0] if rel.parts else None


def _default_store() -> str:
    return _uri_key(default_tracking_uri())  # client_for() uses it as tracking and registry URI


def _resolver(ref: str, child: str | Path) -> Path:
    """A ``models:/`` parent of ``child``: from the store ``child`` was downloaded from (two
    stores may both have a ``NAME/1``), else from the default store."""
    key = str(parse_ref(ref))
    store = _store_of(child)
    if store in _STORES:
        return _RESOLVED[store].get(key) or resolve_adapter(ref, tracking_uri=_STORES[store])
    return _RESOLVED.get(_default_store(), {}).get(key) or resolve_adapter(ref)


def install() -> None:
    """Let ``parent`` fields name ``models:/`` references (:func:`qadapter.meta.resolve_parent`)."""
    register_resolver(SCHEME, _resolver)


def pinned(ref: str | Path) -> str:
    """A reference with its alias replaced by the version it resolved to (for lineage records):
    ``models:/NAME@champion`` -> ``models:/NAME/3``; anything else unchanged."""
    if not is_model_ref(ref):
        return str(ref)
    r = parse_ref(str(ref))
    if r.version is not None:
        return str(r)
    seen = _RESOLVED.get(_default_store(), {})  # where resolve_adapter(ref) looked
    adapter = seen.get(str(r))
    for key, path in seen.items():
        if path == adapter and "@" not in key:
            return key
    return str(r)


@contextlib.contextmanager
def naming(ref: str | Path):
    """Adapter errors raised inside name the references, not only their download directories."""
    try:
        yield
    except AdapterError as e:
        asked = str(parse_ref(str(ref))) if is_model_ref(ref) else None
        names: dict[str, str] = {}  # download dir -> the reference to show
        for key, path in (kp for seen in _RESOLVED.values() for kp in seen.items()):
            if str(path) not in names or key == asked:
                names[str(path)] = key
        msg = str(e)
        for path in sorted(names, key=len, reverse=True):
            if path in msg:
                msg = msg.replace(path, f"{names[path]} (downloaded to {path})", 1)
        if asked is not None and asked not in msg and str(ref) not in msg:
            msg = f"{asked}: {msg}"
        raise type(e)(msg) from None
