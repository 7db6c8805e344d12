"""An exclusive lock on an output directory: one training process per adapter directory.

``OUT/.qadapter.lock`` is created with O_EXCL and holds the holder's PID and host. A second
process is refused with one line naming them. A lock left by a process that no longer exists on
this host is stale: it is taken over with a warning. Re-entrant within one process.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from pathlib import Path

from .errors import LockError

LOCK_FILE = ".qadapter.lock"
_held: dict[Path, int] = {}  # resolved lock path -> depth, for this process


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host and has not exited.

    A process another user owns counts as alive (we may not signal it, but it is there); a zombie
    (exited, not yet reaped by its parent: state Z or X in ``/proc``) counts as gone. Without
    ``/proc`` only the signal check is made. Also used by the pipeline's orphan clean-up.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return False
    return True


def prepare_output_dir(directory: str | Path) -> Path:
    """Create ``directory`` (and parents), or say in one line why it cannot be an output dir."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise LockError(f"--output {out}: is a file, not a directory; choose a directory path")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LockError(
            f"--output {out}: cannot create it ({e.strerror}); choose a writable path"
        ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise LockError(f"--output {out}: directory is not writable; choose a writable path")
    return out


@contextlib.contextmanager
def output_lock(directory: str | Path):
    """Hold the exclusive lock of ``directory`` (created if needed) for the ``with`` block."""
    out = prepare_output_dir(directory)
    path = (out / LOCK_FILE).resolve()
    if path in _held:
        _held[path] += 1
        try:
            yield path
        finally:
            _held[path] -= 1
        return
    host = socket.gethostname()
    record = json.dumps(
        {"pid": os.getpid(), "host": host, "since": time.strftime("%Y-%m-%dT%H:%M:%S")}
    )
    for _ in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = json.loads(path.read_text() or "{}")
            except (OSError, ValueError):
                holder = {}
            pid, where = holder.get("pid"), holder.get("host")
            if isinstance(pid, int) and where == host and not pid_alive(pid):
                print(
                    f"qadapter: warning: {out}: removing the stale lock of process {pid} "
                    "(no longer running)",
                    file=sys.stderr,
                )
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            if not holder:  # being written right now, or garbage: refuse rather than guess
                raise LockError(
                    f"{out}: locked ({path} exists); "
                    "if no qadapter process uses it, delete that file"
                )
            raise LockError(
                f"{out}: in use by process {pid} on {where} since {holder.get('since', '?')}; "
                "wait for it to finish or choose another --output "
                f"(delete {path} if that process is gone)"
            )
        except OSError as e:
            raise LockError(
                f"--output {out}: cannot write there ({e.strerror}); choose a writable path"
            ) from None
        with os.fdopen(fd, "w") as f:
            f.write(record + "\n")
        break
    else:
        raise LockError(f"{out}: could not take the lock {path}; try again")
    _held[path] = 1
    try:
        yield path
    finally:
        del _held[path]
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
