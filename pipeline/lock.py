"""One lock per project: writing commands run one at a time; ``check`` and ``stats`` never wait."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from filelock import FileLock, Timeout

from .config import Config
from .errors import LockTimeout


@contextmanager
def project_lock(config: Config, command: str) -> Iterator[None]:
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    path = config.cache_dir / "l10n.lock"
    holder = config.cache_dir / "l10n.lock.holder"
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=config.lock_timeout)
    except Timeout:
        try:
            who = holder.read_text(encoding="utf-8").strip()
        except OSError:
            who = "another l10n command"
        raise LockTimeout(
            f"the project is locked by {who}; gave up after {config.lock_timeout:g} s (lock_timeout)"
        ) from None
    try:
        holder.write_text(f"`l10n {command}` (pid {os.getpid()})", encoding="utf-8")
        yield
    finally:
        try:
            holder.unlink()
        except OSError:
            pass
        lock.release()
