"""The one place that writes files: atomically (temp file, fsync, rename), and reads text strictly."""

from __future__ import annotations

import enum
import errno
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file in the same directory; return False if unchanged.

    A reader (or a crash at any moment) sees the old file or the new one, never a mix.
    """
    if _holds(path, data):
        return False
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


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data`` (then nothing is written)."""
    try:
        return path.is_file() and not path.is_symlink() and path.read_bytes() == data
    except OSError:
        return False


class Kept(enum.Enum):
    """A file of a staged batch that already holds its bytes: left as it is, not read again."""

    UNCHANGED = "unchanged"


UNCHANGED = Kept.UNCHANGED  # an enum member: the same object after pickling (a worker hands it back)


@dataclass(frozen=True)
class Staged:
    """New bytes of a file, already in a temporary file beside it (written by a worker process,
    so the bytes never travel back to the parent): renamed into place by ``commit_staged``."""

    temporary: str


def stage_file(path: Path, data: bytes) -> Kept | Staged:
    """``UNCHANGED`` when ``path`` already holds ``data``; otherwise a temporary file with it."""
    if _holds(path, data):
        return UNCHANGED
    fd, temporary = temporary_beside(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return Staged(temporary)


def commit_staged(folder: Path, files: dict[Path, bytes | Kept | Staged]) -> list[str]:
    """Put the files of a batch (paths relative to ``folder``) that changed in place, each
    atomically as ``write_bytes_atomic`` does, but with one ``syncfs`` for all of them instead
    of two ``fsync`` calls a file. Bytes not yet staged are staged first. Returns the paths
    written, sorted."""
    staged: list[tuple[Path, Path, str]] = []
    for relative, data in sorted(files.items(), key=lambda item: str(item[0])):
        if data is UNCHANGED:
            continue
        if not isinstance(data, Staged):
            data = files[relative] = stage_file(folder / relative, data)
            if data is UNCHANGED:
                continue
        staged.append((relative, folder / relative, data.temporary))
    if len(staged) < 16:
        for _, _, temporary in staged:  # a few files: fsync each, as write_bytes_atomic does
            fd = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    elif staged:
        sync_file_system(folder)  # every new file is on disk before a rename makes it visible
    for _, path, temporary in staged:
        os.replace(temporary, path)
    for parent in sorted({path.parent for _, path, _ in staged}):
        fsync_dir(parent)  # the renames themselves
    return [str(relative) for relative, _, _ in staged]


def discard_staged(files: dict[Path, bytes | Kept | Staged]) -> None:
    """Remove the temporary files of a batch that is not committed."""
    for data in files.values():
        if isinstance(data, Staged):
            try:
                os.unlink(data.temporary)
            except FileNotFoundError:
                pass


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


def fsync_tree(root: Path) -> None:
    """fsync every file under ``root`` (before a rename makes the folder visible)."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            with open(Path(folder) / name, "rb") as handle:
                os.fsync(handle.fileno())


class CannotMove(OSError):
    """A folder that cannot be renamed: a mount point (bind mounts ``ismount`` misses), or another device."""


_CANNOT_MOVE = (errno.EBUSY, errno.EXDEV)


def rename_exchange(new: Path, dest: Path) -> int:
    """``renameat2(RENAME_EXCHANGE)``: 0, or the errno (ENOSYS where the C library lacks it)."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return errno.ENOSYS
    at_fdcwd, rename_exchange_flag = -100, 2
    if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(dest), rename_exchange_flag) == 0:
        return 0
    return ctypes.get_errno()


def exchange_folders(new: Path, dest: Path) -> None:
    """Swap two folders atomically (Linux renameat2); a plain rename when ``dest`` is new.
    A destination that cannot be renamed raises ``CannotMove``, and stays as it was."""
    if not dest.exists():
        os.rename(new, dest)
        return
    error = rename_exchange(new, dest)
    if error == 0:
        return
    if error in _CANNOT_MOVE:
        raise CannotMove(error, os.strerror(error), str(dest))
    # No RENAME_EXCHANGE (old kernel or file system): two renames, a very short gap.
    old = new.with_name(new.name + ".old")
    try:
        os.rename(dest, old)
    except OSError as exc:
        if exc.errno in _CANNOT_MOVE:
            raise CannotMove(exc.errno, exc.strerror, str(dest)) from None
        raise
    os.rename(new, dest)
    os.rename(old, new)


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
