"""File modes: what qadapter writes is readable as the process's umask allows (0644 under the
usual 022), like any file ``open()`` creates.

Some writers create files with ``mkstemp`` (mode 0600 whatever the umask: the atomic-rename
idiom, and the safetensors weights PEFT writes); a worker running as another user (a serving
host, a Prefect worker) then cannot read an adapter or a published data file. :func:`follow_umask`
gives such files the mode a plain ``open()`` would have.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (``/proc``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    with _LOCK:  # elsewhere: set and restore (briefly process-wide)
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def follow_umask(*paths: str | Path) -> None:
    """Give each regular file in ``paths`` (a directory: its files, not recursively) the mode
    ``0666 & ~umask``."""
    mode = 0o666 & ~current_umask()
    for path in map(Path, paths):
        files = [p for p in path.iterdir() if p.is_file()] if path.is_dir() else [path]
        for f in files:
            os.chmod(f, mode)
