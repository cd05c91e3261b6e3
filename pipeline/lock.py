"""One lock per project: writing commands run one at a time; ``check`` and ``stats`` never wait.

The lock is ``flock(2)`` on ``.cache/l10n.lock``, which is what filelock takes on POSIX too, so
the two exclude each other. filelock itself (20 ms of imports, a quarter of a small command's
start-up) is only loaded where ``flock`` is missing: Windows, or a file system without it.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .config import Config
from .errors import LockTimeout

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# How often a waiting command tries again (filelock's default poll interval).
_POLL_SECONDS = 0.05


class _NoFlock(Exception):
    """The platform or file system has no ``flock``: let filelock decide how to lock."""


def _flock(path: Path, timeout: float) -> Callable[[], None] | None:
    """Take the lock within ``timeout`` seconds; its release function, or None on timeout."""
    if fcntl is None:
        raise _NoFlock
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise _NoFlock from exc  # ENOSYS, EOPNOTSUPP, ENOLCK: no flock here
            left = deadline - time.monotonic()
            if left <= 0:
                os.close(fd)
                return None
            time.sleep(min(_POLL_SECONDS, left))
    except BaseException:
        try:
            os.close(fd)
        except OSError:
            pass
        raise

    def release() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    return release


def _filelock(path: Path, timeout: float) -> Callable[[], None] | None:
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        return None
    return lock.release


@contextmanager
def project_lock(config: Config, command: str) -> Iterator[None]:
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    path = config.cache_dir / "l10n.lock"
    holder = config.cache_dir / "l10n.lock.holder"
    try:
        release = _flock(path, config.lock_timeout)
    except _NoFlock:
        release = _filelock(path, config.lock_timeout)
    if release is None:
        try:
            who = holder.read_text(encoding="utf-8").strip()
        except OSError:
            who = "another l10n command"
        raise LockTimeout(
            f"the project is locked by {who}; gave up after {config.lock_timeout:g} s (lock_timeout)"
        )
    try:
        holder.write_text(f"`l10n {command}` (pid {os.getpid()})", encoding="utf-8")
        yield
    finally:
        try:
            holder.unlink()
        except OSError:
            pass
        release()
