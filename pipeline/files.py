"""The one place that writes files: atomically (temp file, fsync, rename), and reads text strictly."""

from __future__ import annotations

import itertools
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
    remove_leftovers(path)
    return True


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files of ``path`` that a process killed mid-write left beside it
    (``temporary_beside`` names them after their process, which no longer runs)."""
    prefix = f".{path.name}."
    try:
        names = [e.name for e in os.scandir(path.parent) if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            try:
                os.unlink(os.path.join(path.parent, name))
            except OSError:
                pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_text_atomic(path: Path, text: str) -> bool:
    return write_bytes_atomic(path, text.encode("utf-8"))


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder (created if needed), readable like any file the
    user makes (mode 0666 less the umask: ``mkstemp`` would leave it 0600, and a published page
    unreadable). Named after this process and a counter: a build creates thousands, and a
    random name, a ``mkdir`` and a ``chmod`` each were a fifth of the cost of writing a page."""
    folder = path.parent
    for _ in range(1000):
        name = os.path.join(folder, f".{path.name}.{os.getpid()}.{next(_TEMPORARIES)}.tmp")
        try:
            return os.open(name, _CREATE, 0o666), name
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            continue  # left by a process that had our number before
    raise FileExistsError(f"no free temporary name beside {path}")


_TEMPORARIES = itertools.count()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


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


def links_out_of(root: Path, folders: tuple[Path, ...]) -> list[tuple[Path, str]]:
    """Symbolic links that lead out of where they may lead, or nowhere: (link, where it leads).
    One of ``folders`` may itself be a link within ``root``; a link inside it must stay inside
    it. Inputs are then read only from inside the project, so a link to ``/proc/self/environ``
    or ``/`` can never publish what it points at."""
    project = root.resolve()
    found = []
    for folder in folders:
        if folder.is_symlink():
            found += _leaving([folder], project)
        if folder.is_dir():
            inside = folder.resolve()
            if inside != project and project not in inside.parents:
                continue  # already reported
            entries = [Path(parent, name) for parent, dirs, names in os.walk(folder, followlinks=False)
                       for name in (*dirs, *names)]
            found += _leaving(entries, inside)
    return found


def _leaving(paths: list[Path], boundary: Path) -> list[tuple[Path, str]]:
    found = []
    for path in paths:
        if not path.is_symlink():
            continue
        target = Path(os.path.realpath(path))
        if not target.exists():
            found.append((path, f"{os.readlink(path)} (which does not exist)"))
        elif target != boundary and boundary not in target.parents:
            found.append((path, str(target)))
    return found


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
