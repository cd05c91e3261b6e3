"""The browser pass's memory, ``.cache/browser-verdicts.json``: a page version whose inputs are
unchanged is not loaded again, and a layout already examined under every condition is not
examined again.

Every key holds a context over everything that shapes what Chromium paints besides the page
itself: every other file of the site a page may load (stylesheets, scripts, images, fonts), the
allowed outside resources, the check's own code (``code_version``), axe-core's version and the
accessibility setting, the Chromium binary and the fonts fontconfig offers.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..files import write_bytes_atomic

if TYPE_CHECKING:
    from .browser import BuiltPage

CACHE_NAME = "browser-verdicts.json"


class VerdictCache:
    """Verdicts by page version (``versions``), the other conditions' findings by layout class
    (``layouts``, see ``browser.layout_key``), and the version each page had last (``pages``,
    to tell a changed page from a new one)."""

    def __init__(self, config: Config, executable: Path, allowed: dict[str, Path], settings: str) -> None:
        from ..catalogs import code_version

        self.path = config.cache_dir / CACHE_NAME
        self.root = config.root
        self.output = config.output_dir
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(stored, dict) or not all(isinstance(stored.get(k), dict)
                                                       for k in ("versions", "layouts", "pages")):
                raise ValueError("another format")
        except (OSError, ValueError):
            stored = {"versions": {}, "layouts": {}, "pages": {}}
        self.known: dict[str, Any] = stored["versions"]
        self.layouts: dict[str, Any] = dict(stored["layouts"])
        self.last_pages: dict[str, str] = stored["pages"]
        self.next: dict[str, Any] = {}
        self.next_pages: dict[str, str] = {}
        info = executable.stat()
        site = hashlib.sha256()
        for name, data in sorted(_site_files(config.output_dir)):
            site.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        for url, local in sorted(allowed.items()):
            site.update(url.encode() + b"\0" + hashlib.sha256(local.read_bytes()).digest())
        self.context = hashlib.sha256("\0".join([
            code_version(), settings, str(executable.resolve()), str(info.st_size), str(info.st_mtime_ns),
            _fonts(), os.environ.get("FONTCONFIG_FILE", ""), site.hexdigest()]).encode()).hexdigest()

    def key(self, page: BuiltPage) -> str:
        """The version's key: its bytes, its place in ``output/`` (where its relative links lead),
        the text its notice must read, and the context. Not where the project is: a copy of a
        checked project (another clone, CI's restored cache) keeps every verdict."""
        inside = page.path.relative_to(self.output).as_posix()
        return hashlib.sha256("\0".join([self.context, page.locale, inside, page.expected or "\1",
                                         "notice" if page.notice else "no notice"]).encode()
                              + page.path.read_bytes()).hexdigest()

    def _name(self, page: BuiltPage) -> str:
        return os.path.relpath(page.path, self.root)

    def get(self, page: BuiltPage) -> dict[str, Any] | None:
        key = self.key(page)
        found = self.known.get(key)
        if found is not None:
            self.next[key] = found
            self.next_pages[self._name(page)] = key
        return found

    def changed(self, page: BuiltPage) -> bool:
        """Whether an earlier run saw another version of this page (not merely: none)."""
        last = self.last_pages.get(self._name(page))
        return last is not None and last != self.key(page)

    def put(self, page: BuiltPage, verdict: dict[str, Any]) -> None:
        key = self.key(page)
        self.next[key] = verdict
        self.next_pages[self._name(page)] = key

    def layout_findings(self, layout: str) -> dict[str, Any] | None:
        return self.layouts.get(self._layout(layout))

    def known_layouts(self) -> dict[str, Any]:
        """The layouts examined under this context, by the key the pass uses."""
        prefix = self.context + ":"
        return {k[len(prefix):]: v for k, v in self.layouts.items() if k.startswith(prefix)}

    def put_layout(self, layout: str, findings: dict[str, Any]) -> None:
        self.layouts[self._layout(layout)] = findings

    def _layout(self, layout: str) -> str:
        return f"{self.context}:{layout}"

    def save(self, everything: bool = True) -> None:
        """Keep this run's verdicts: only them after a pass over every page (the others cannot
        match again), beside the earlier ones after a pass over some locales."""
        prefix = self.context + ":"
        layouts = {k: v for k, v in self.layouts.items() if k.startswith(prefix)}  # the others cannot match again
        versions = self.next if everything else {**self.known, **self.next}
        data = {"versions": versions, "layouts": layouts, "pages": {**self.last_pages, **self.next_pages}}
        try:
            write_bytes_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # a read-only project: the next run checks again


def _site_files(output: Path) -> list[tuple[str, bytes]]:
    """Every file of ``output/`` a page may load: all but the pages themselves and the search
    index's data (only a search reads it)."""
    found = []
    for folder, _dirs, names in os.walk(output, followlinks=False):
        relative = os.path.relpath(folder, output)
        for name in names:
            path = os.path.join(folder, name)
            inside = name if relative == "." else f"{relative}/{name}"
            if name.endswith(".html") and (relative == "." or "/" not in relative):
                continue
            if inside.startswith("pagefind/") and not inside.startswith("pagefind/pagefind-ui"):
                continue
            with open(path, "rb") as handle:
                found.append((inside, handle.read()))
    return found


@lru_cache(maxsize=1)
def _fonts() -> str:
    """What fontconfig offers (a font installed or removed changes what Chromium draws)."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file} %{family}\n"], capture_output=True, text=True,
                                timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        listed = "no fc-list"
    return hashlib.sha256("".join(sorted(listed.splitlines(True))).encode()).hexdigest()
