"""Per-language search: a Pagefind index of the published pages in ``output/pagefind/``.

Pagefind (PyPI ``pagefind[extended]``, whose wheel ships the binary; the extended build segments
Chinese and Japanese) reads the built pages and writes one index per ``<html lang>``; its UI,
started by ``search.js`` on every page, searches the index of the page's own language only. Only
``<article data-pagefind-body>`` is indexed, so language indexes and the chooser are not results,
and only what ``output/`` holds: a withheld page is removed before the index is made, so it is
never found. The index is made again only when a page was written or removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import InputError

BUNDLE = "pagefind"
SCRIPT = "search.js"
# What every page with a search box loads (besides search.js): the build's link check expects them.
UI_FILES = (f"{BUNDLE}/pagefind-ui.js", f"{BUNDLE}/pagefind-ui.css")
_ENTRY = "pagefind-entry.json"


def enabled(config: Config) -> bool:
    """``[tool.l10n] search`` (default true)."""
    value = config.extra.get("search", True)
    if not isinstance(value, bool):
        raise InputError("pyproject.toml", None, "[tool.l10n] search must be true or false")
    return value


def executable() -> Path:
    """The Pagefind binary of the ``pagefind_bin_extended`` wheel."""
    try:
        from pagefind_bin_extended import get_executable

        return Path(get_executable())
    except (ImportError, FileNotFoundError, OSError) as exc:
        raise InputError(None, None, f"Pagefind is not installed ({exc}): run `make` (pip install "
                                     "'pagefind[extended]'), or set search = false in [tool.l10n]") from None


@dataclass(frozen=True)
class SearchBundle:
    """The index to put in ``output/pagefind/``: path under output/ -> bytes (None: the bundle
    already there is current)."""

    files: dict[str, bytes] | None
    kept: frozenset[str]  # the bundle's files now in output/, when they stay as they are


def existing(output: Path) -> frozenset[str]:
    folder = output / BUNDLE
    if not folder.is_dir():
        return frozenset()
    return frozenset(os.path.relpath(os.path.join(parent, name), output)
                     for parent, _dirs, names in os.walk(folder, followlinks=False) for name in names)


def make_bundle(config: Config, output: Path, pages_changed: bool) -> SearchBundle:
    """The Pagefind bundle for the pages in ``output/``: made again when a page changed or the
    bundle is missing, otherwise the one in place."""
    current = existing(output)
    if not pages_changed and f"{BUNDLE}/{_ENTRY}" in current:
        return SearchBundle(None, current)
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pagefind-", dir=config.cache_dir))
    try:
        result = subprocess.run(
            [str(executable()), "--site", str(output), "--output-path", str(work / BUNDLE),
             "--glob", "*/*.html", "--silent"],
            capture_output=True, text=True, timeout=1800,
        )
        if result.returncode != 0:
            raise RuntimeError(f"Pagefind failed: {(result.stderr or result.stdout).strip()[:500]}")
        files = {os.path.relpath(os.path.join(parent, name), work): Path(parent, name).read_bytes()
                 for parent, _dirs, names in os.walk(work) for name in names}
        entry = f"{BUNDLE}/{_ENTRY}"
        if entry in files:  # Pagefind lists the languages in hash order: sorted, the same site gives the same bytes
            files[entry] = json.dumps(json.loads(files[entry]), sort_keys=True, separators=(",", ":")).encode()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SearchBundle(files, frozenset())
