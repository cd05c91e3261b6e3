"""The one place that writes files: atomically (temp file, fsync, rename), and reads text strictly."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file in the same directory; return False if unchanged.

    A reader (or a crash at any moment) sees the old file or the new one, never a mix.
    """
    try:
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    fd, tmp = temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)
    return True


def write_text_atomic(path: Path, text: str) -> bool:
    return write_bytes_atomic(path, text.encode("utf-8"))


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder (created if needed), readable like any file the
    user makes: ``mkstemp`` alone would leave it 0600, and a published page unreadable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o666 & ~_UMASK)
    return fd, name


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def sync_file_system(path: Path) -> None:
    """``syncfs(2)`` on the file system holding ``path`` (``sync`` where there is none): one call
    instead of an fsync a file when thousands of files are written at once."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(path, os.O_RDONLY)
        try:
            if libc.syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        pass
    os.sync()


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


BOM = b"\xef\xbb\xbf"


def read_text(path: Path, display: str | None = None) -> str:
    """Read UTF-8 text; a BOM is accepted quietly, invalid UTF-8 is an ``InputError`` with its line."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, None, "file not found") from None
    except OSError as exc:
        raise InputError(name, None, f"cannot read: {exc.strerror}") from None
    return decode_text(data, name)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 bytes -> text without a BOM; invalid UTF-8 is an ``InputError`` with its line."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None
