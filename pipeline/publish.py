"""``l10n publish --dest DIR``: build, gate, then swap DIR for the new site in one atomic step.

The new site is assembled beside DIR and exchanged with it by ``renameat2(RENAME_EXCHANGE)``, so
a reader (or a crash at any moment) sees the old site or the new one, never a mix; a refused
publish leaves DIR exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import compliance
from .build import BuildResult, build
from .config import Config
from .errors import InputError

MANIFEST = "manifest.json"
MARKER = ".l10n-published"  # how publish knows a folder it may replace
_MARKER_TEXT = b"This folder is published by `l10n publish`, which replaces all of it.\n"
_STAGING_PREFIX = ".l10n-publish-"


@dataclass(frozen=True)
class PublishResult:
    dest: str
    build: BuildResult
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    published: bool  # False: refused or dry run
    refusal: tuple[str, ...] = ()

    @property
    def left_out(self) -> list:
        """The page versions not published, each with its reasons (their links left out too)."""
        return [o for o in self.build.outcomes if not o.published]


def _files(root: Path) -> dict[str, str]:
    """relative path -> sha256 of every regular file under ``root`` (links are not followed)."""
    found = {}
    if not root.is_dir():
        return found
    for folder, _dirs, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# The project's own folders: never a destination, whatever they hold.
_PROJECT_FOLDERS = ("source", "locales", "templates", "pipeline", "tests", "bench", "output", "output-drafts",
                    ".cache", "reports")


def _published_by_us(dest: Path) -> bool:
    """Whether ``dest`` carries the marker an earlier ``l10n publish`` wrote (a manifest.json
    alone proves nothing: web apps have one too)."""
    marker = dest / MARKER
    return marker.is_file() and not marker.is_symlink()


def _check_destination(config: Config, dest: Path) -> None:
    """Refuse destinations we could damage: the project, its folders, a folder someone else
    filled, a mount point (the atomic exchange renames the folder itself)."""
    if dest.is_symlink():
        raise InputError(str(dest), None, "the publish destination is a symbolic link")
    resolved = dest.resolve()
    root = config.root.resolve()
    if resolved == root or root.is_relative_to(resolved):
        raise InputError(str(dest), None, "the publish destination holds the project itself")
    if resolved.is_relative_to(root):
        top = resolved.relative_to(root).parts[0]
        if top in _PROJECT_FOLDERS or top.startswith("."):
            raise InputError(str(dest), None, f"the publish destination is inside the project's {top}/ folder")
        if not _published_by_us(dest):
            raise InputError(str(dest), None, "the publish destination is inside the project and was not published by "
                             "l10n: publish outside the project")
    if dest.exists():
        if not dest.is_dir():
            raise InputError(str(dest), None, "the publish destination exists and is not a folder")
        if any(dest.iterdir()) and not _published_by_us(dest):
            found = f" (its {MANIFEST} is someone else's)" if (dest / MANIFEST).exists() else ""
            raise InputError(str(dest), None, f"the folder is not empty and has no {MARKER}: not a site published by "
                             f"l10n{found}; choose an empty or new folder")
        if os.path.ismount(dest):
            raise InputError(str(dest), None, _MOUNT_POINT)
    if not dest.parent.is_dir():
        raise InputError(str(dest.parent), None, "the parent folder of the publish destination does not exist")


_MOUNT_POINT = ("the publish destination is a mount point: the site is swapped in by renaming the folder, which "
                "a mount point cannot be; publish to a folder inside it (e.g. --dest DIR/site) and serve that")


def _rename_exchange(new: Path, dest: Path) -> int:
    """``renameat2(RENAME_EXCHANGE)``: 0, or the errno (ENOSYS where the C library lacks it)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return errno.ENOSYS
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(dest), rename_exchange) == 0:
        return 0
    return ctypes.get_errno()


# A folder that cannot be renamed: a mount point (bind mounts ismount() misses), or another device.
_CANNOT_MOVE = (errno.EBUSY, errno.EXDEV)


def _exchange(new: Path, dest: Path) -> None:
    """Swap two folders atomically (Linux renameat2); a plain rename when ``dest`` is new.
    A destination that cannot be renamed is an ``InputError``, and stays as it was."""
    if not dest.exists():
        os.rename(new, dest)
        return
    error = _rename_exchange(new, dest)
    if error == 0:
        return
    if error in _CANNOT_MOVE:
        raise InputError(str(dest), None, _MOUNT_POINT)
    # No RENAME_EXCHANGE (old kernel or file system): two renames, a very short gap.
    old = new.with_name(new.name + ".old")
    try:
        os.rename(dest, old)
    except OSError as exc:
        if exc.errno in _CANNOT_MOVE:
            raise InputError(str(dest), None, _MOUNT_POINT) from None
        raise
    os.rename(new, dest)
    os.rename(old, new)


def publish(config: Config, dest: Path, strict: bool = False, dry_run: bool = False,
            verify=None, build_site=None) -> PublishResult:
    """Build (``build_site``, default ``build``), then replace ``dest`` atomically with every page
    version that passed the gate and a ``manifest.json``. Versions the gate withheld are left
    out with every link to them; entries that are not published block nothing. Refused: when
    ``verify`` (a callable returning problems of ``output/``) finds any, and with ``strict``
    when any version is withheld, below the threshold or outdated."""
    _check_destination(config, dest)
    published_at = compliance.publish_time()  # SOURCE_DATE_EPOCH checked before anything is written
    compliance.check_history(config)
    result = (build_site or build)(config)
    refusal = []
    if strict:
        refusal += [f"{o.slug} [{o.locale}]: not published: {'; '.join(o.reasons)}" for o in result.outcomes
                    if not o.published]
        refusal += [f"{o.slug} [{o.locale}]: outdated: {'; '.join(o.outdated)}" for o in result.outcomes
                    if o.published and o.outdated]
    if not refusal and verify is not None:
        refusal += list(verify())
    site = _files(config.output_dir)
    withheld = [{"page": o.slug, "locale": o.locale, "reasons": list(o.reasons)} for o in result.outcomes
                if not o.published]
    record = compliance.prepare(config, dest, compliance.page_versions(config, result.outcomes, site), withheld, site,
                                published_at)
    manifest = record.manifest
    new = {**site, MANIFEST: hashlib.sha256(manifest).hexdigest(), MARKER: hashlib.sha256(_MARKER_TEXT).hexdigest()}
    old = _files(dest)
    added = tuple(sorted(set(new) - set(old)))
    removed = tuple(sorted(set(old) - set(new)))
    changed = tuple(sorted(p for p in set(new) & set(old) if new[p] != old[p]))
    if refusal or dry_run:
        return PublishResult(str(dest), result, added, changed, removed, False, tuple(refusal))

    for leftover in dest.parent.glob(f"{_STAGING_PREFIX}{dest.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a publish killed mid-way
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{dest.name}-", dir=dest.parent))
    try:
        shutil.copytree(config.output_dir, staging, dirs_exist_ok=True, symlinks=True)
        (staging / MANIFEST).write_bytes(manifest)
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        _fsync_tree(staging)
        os.chmod(staging, 0o755)
        # recorded before the swap, so no published site lacks its record; undone if the swap fails
        previous_history = compliance.append(config, record)
        try:
            _exchange(staging, dest)
        except BaseException:
            compliance.restore(config, previous_history)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the swap it holds the old site
    return PublishResult(str(dest), result, added, changed, removed, True)


def _fsync_tree(root: Path) -> None:
    for folder, _dirs, names in os.walk(root):
        for name in names:
            with open(Path(folder) / name, "rb") as handle:
                os.fsync(handle.fileno())
