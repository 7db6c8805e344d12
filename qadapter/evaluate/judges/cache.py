"""An on-disk cache of judge replies: one small JSON file per key, written atomically.

Keys are sha256 hex strings (the caller decides what they hash); files live at
``<dir>/<key[:2]>/<key>.json``. A reply written before a crash is kept; a half-written file never
exists (write to a temporary name, then ``os.replace``). Safe for threads and processes writing
different keys; two writers of the same key write the same content.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class AnnotationCache:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"cache key must be a sha256 hex digest, got {key[:20]!r}...")
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The stored record, or None when absent (or unreadable: it is then asked again)."""
        try:
            return json.loads(self.path(key).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put(self, key: str, record: dict) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w") as fh:
            json.dump(record, fh, ensure_ascii=False)
        os.replace(tmp, path)

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("??/*.json")) if self.directory.is_dir() else 0
