"""When the English source of a page last changed: the date an outdated translation's notice gives.

In a git work tree a committed file's date is its last commit's; a file with uncommitted
changes, or a project outside git, gives its modification time, clamped to
``SOURCE_DATE_EPOCH`` when that is set (reproducible builds of an unchanged checkout).
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from .config import Config


def source_changed(config: Config, paths: list[str]) -> dict[str, datetime.date]:
    """The date each source file (relative to the project) last changed, in UTC."""
    committed = _git_dates(config.root, paths)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    clamp = int(epoch) if epoch.isdigit() else None
    dates = {}
    for path in paths:
        seconds = committed.get(path)
        if seconds is None:
            try:
                seconds = int((config.root / path).stat().st_mtime)
            except OSError:
                seconds = 0
            if clamp is not None:
                seconds = min(seconds, clamp)
        dates[path] = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date()
    return dates


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_dates(root: Path, paths: list[str]) -> dict[str, int]:
    """Commit time of the last commit of each path that git tracks and that has no uncommitted
    change (two git runs for all the paths)."""
    if not paths or _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return {}
    changed = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    if changed is None:
        return {}
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    dirty = {entry[3:] for entry in changed.split("\0") if len(entry) > 3}
    log = _git(root, "log", "--format=%x00%ct", "--name-only", "--", *paths)
    if log is None:
        return {}
    dates: dict[str, int] = {}
    for commit in log.split("\0")[1:]:
        lines = commit.strip().split("\n")
        seconds = int(lines[0])
        for name in lines[1:]:
            name = name.strip()
            relative = name[len(prefix):] if prefix and name.startswith(prefix) else name
            if relative in paths and relative not in dates and name not in dirty:
                dates[relative] = seconds
    return dates
