"""``hf://`` sources: ``hf://OWNER/NAME?data_dir=...&split=...`` (or ``hf:///local/dataset/dir``),
read through ``datasets.load_dataset``, so they work wherever the user has the hub or a local
cache. Credentials come from ``HF_TOKEN`` / ``huggingface-cli login``, never from the URI.

Origins are ``hf://...?split=NAME[i]`` with 0-based row indices.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator
from urllib.parse import parse_qsl

from qadapter.data.records import DataError, RawRecord, capped

HF_PARAMS = ("data_dir", "split", "name", "revision")  # query parameters of an hf:// source


def parse_hf(source: str) -> tuple[str, dict[str, str]]:
    """``hf://OWNER/NAME?data_dir=x&split=test`` -> ``("OWNER/NAME", {"data_dir": "x", ...})``."""
    rest = source[len("hf://") :]
    path, _, query = rest.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(params) - set(HF_PARAMS))
    if unknown or not path:
        what = f"unknown parameter {unknown[0]!r}" if unknown else "missing dataset name"
        raise DataError(
            f"{source}: {what}; write hf://OWNER/NAME?data_dir=DIR&split=SPLIT "
            f"(parameters: {', '.join(HF_PARAMS)})"
        )
    return path, params


def hf_uri(path: str, params: dict[str, str]) -> str:
    """The canonical URI of a dataset path and its parameters (in :data:`HF_PARAMS` order)."""
    query = "&".join(f"{k}={params[k]}" for k in HF_PARAMS if params.get(k))
    return f"hf://{path}" + (f"?{query}" if query else "")


def _load(path: str, params: dict[str, str]) -> Any:
    import datasets

    kwargs = {k: v for k, v in params.items() if v}
    try:
        return datasets.load_dataset(path, **kwargs)
    except Exception as exc:  # datasets raises many types; the user needs one line either way
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise DataError(
            f"cannot load {hf_uri(path, params)}: {type(exc).__name__}: {first}; "
            "check the name and split, or use a local dataset directory / cache "
            "(HF_DATASETS_OFFLINE=1)"
        ) from None


def _rows(uri: str, rows: Iterable[Any], split: str | None, limit: int) -> Iterator[RawRecord]:
    for index, row in enumerate(rows):
        yield capped(f"{uri}[{index}]", row, limit, split)


def hf_entries(
    source: str, split: str | None, split_of: Callable[[str], str | None]
) -> list[tuple[str, str, Callable]]:
    """``(uri, split, read(limit))`` for each split of an hf:// source (only ``split`` if given)."""
    path, params = parse_hf(source)
    if split is not None:
        params["split"] = split
    if params.get("split"):
        uri, name = hf_uri(path, params), params["split"]
        return [
            (
                uri,
                split_of(name) or name,
                lambda limit: _rows(uri, _load(path, params), name, limit),
            )
        ]
    loaded = _load(path, params)  # a DatasetDict: one entry per split
    entries = []
    for name in sorted(loaded.keys(), key=lambda n: (n != "train", n)):
        uri = hf_uri(path, {**params, "split": name})
        entries.append(
            (
                uri,
                split_of(name) or name,
                lambda limit, uri=uri, name=name: _rows(uri, loaded[name], name, limit),
            )
        )
    return entries


def hf_splits(source: str, split_of: Callable[[str], str | None]) -> frozenset[str]:
    """The split names an hf:// source declares (whatever split its URI names)."""
    path, params = parse_hf(source)
    params.pop("split", None)
    return frozenset(s for _, s, _ in hf_entries(hf_uri(path, params), None, split_of))
