"""``l10n publish --dest DIR``: build, gate, then swap DIR for the new site in one atomic step.

The new site is assembled beside DIR and exchanged with it by ``renameat2(RENAME_EXCHANGE)``, so
a reader (or a crash at any moment) sees the old site or the new one, never a mix; a refused
publish leaves DIR exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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


def _check_destination(config: Config, dest: Path) -> None:
    """Refuse destinations we could damage: the project itself, its folders, a foreign folder."""
    resolved = dest.resolve()
    root = config.root.resolve()
    if resolved == root or root.is_relative_to(resolved) or resolved.is_relative_to(root / "output") \
            or resolved.is_relative_to(root / "locales") or resolved.is_relative_to(root / "source"):
        raise InputError(str(dest), None, "the publish destination must be outside the project's own folders")
    if dest.is_symlink():
        raise InputError(str(dest), None, "the publish destination is a symbolic link")
    if dest.exists():
        if not dest.is_dir():
            raise InputError(str(dest), None, "the publish destination exists and is not a folder")
        if any(dest.iterdir()) and not (dest / MANIFEST).is_file():
            raise InputError(str(dest), None, f"the folder is not empty and has no {MANIFEST}: not a site published by l10n")
    if not dest.parent.is_dir():
        raise InputError(str(dest.parent), None, "the parent folder of the publish destination does not exist")


def _exchange(new: Path, dest: Path) -> None:
    """Swap two folders atomically (Linux renameat2); a plain rename when ``dest`` is new."""
    if not dest.exists():
        os.rename(new, dest)
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(dest), rename_exchange) == 0:
            return
    # No RENAME_EXCHANGE (old kernel or file system): two renames, a very short gap.
    old = new.with_name(new.name + ".old")
    os.rename(dest, old)
    os.rename(new, dest)
    os.rename(old, new)


def publish(config: Config, dest: Path, strict: bool = False, dry_run: bool = False,
            verify=None) -> PublishResult:
    """Build, hold the site to the gate (and ``verify``, a callable returning problems for
    ``output/``), then replace ``dest`` atomically with the site and its ``manifest.json``."""
    _check_destination(config, dest)
    published_at = compliance.publish_time()  # SOURCE_DATE_EPOCH checked before anything is written
    compliance.check_history(config)
    result = build(config)
    refusal = [f"{o.slug} [{o.locale}]: {'; '.join(o.reasons)}" for o in result.gate_withheld]
    if strict:
        refusal += [f"{o.slug} [{o.locale}]: {'; '.join(o.reasons)}" for o in result.outcomes
                    if not o.published and not o.gate_withheld]
    if not refusal and verify is not None:
        refusal += list(verify())
    site = _files(config.output_dir)
    withheld = [{"page": o.slug, "locale": o.locale, "reasons": list(o.reasons)} for o in result.outcomes
                if not o.published]
    record = compliance.prepare(config, dest, compliance.page_versions(config, result.outcomes, site), withheld, site,
                                published_at)
    manifest = record.manifest
    new = {**site, MANIFEST: hashlib.sha256(manifest).hexdigest()}
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
