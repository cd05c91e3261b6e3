"""Local files a page refers to (body images, links to PDFs, the front matter image, other pages),
and the check that every ``<img>`` and local link of a built page points at a file in ``output/``.

A relative reference is resolved against ``source/``: a link to another page (``aftercare.html``
or ``aftercare.md``) stays a link to that page, in the reader's language when it is published
there and in English otherwise; any other reference is a file, copied once to the same path under
``output/`` and written ``../images/x.svg`` on every language's page (pages live in
``output/<tag>/``). References with a scheme, root-relative (``/prices``) or fragment-only URLs are
left as written. A file that is missing, or that is reached through a symbolic link leading out of
``source/``, is bad input.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote

from .config import Config, html_tag
from .errors import InputError

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Names the build writes at the top of output/ (besides one folder per language tag).
SITE_FILES = frozenset({"index.html", "sitemap.xml", "style.css", "search.js", "manifest.json", ".l10n-published"})


@dataclass(frozen=True)
class LocalLink:
    """A relative ``src``/``href`` of a page that names something in ``source/``."""

    url: str  # the attribute as markdown-it writes it (percent-encoded)
    line: int
    target: str  # the asset's path under source/ and output/, or ``<slug>.html`` for a page
    page: str | None = None  # the slug, for a link to another page
    suffix: str = ""  # ``?query#fragment``, kept

    def href(self, published_here: bool, source_tag: str) -> str:
        """The URL on a page in ``output/<tag>/``."""
        if self.page is None:
            return "../" + quote(self.target, safe="/") + self.suffix
        if published_here:
            return f"{self.page}.html{self.suffix}"
        return f"../{source_tag}/{self.page}.html{self.suffix}"


def relative_path(url: str) -> tuple[str, str] | None:
    """(path, ``?query#fragment``) of a relative URL; None for a URL with a scheme, a root-relative
    or protocol-relative one, or one that is only a fragment or query."""
    if not url or url.startswith(("/", "#", "?", "\\")) or _SCHEME.match(url):
        return None
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path = unquote(url[:cut])
    return (path, url[cut:]) if path else None


def classify(config: Config, display: str, url: str, line: int) -> LocalLink | None:
    """What a page's relative reference names; ``InputError`` when it names nothing usable."""
    found = relative_path(url)
    if found is None:
        return None
    path, suffix = found
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../") or "\\" in path or "\0" in path:
        raise InputError(display, line, f"{url!r} points outside source/")
    if normal == "." or path.endswith("/"):
        raise InputError(display, line, f"{url!r} names a folder, not a file under source/")
    if normal == "index.html":
        return None  # the language's own index, beside every published page
    stem, extension = posixpath.splitext(normal)
    if extension in (".md", ".html") and "/" not in stem and (config.source_dir / f"{stem}.md").is_file():
        return LocalLink(url, line, f"{stem}.html", stem, suffix)
    first = normal.split("/", 1)[0]
    tags = {html_tag(loc).lower() for loc in (config.source_locale, *config.locales)}
    if normal in SITE_FILES or first.lower() in tags or first == "pagefind" or normal.endswith(".md"):
        if normal.endswith(".md"):
            raise InputError(display, line, f"{url!r}: there is no page source/{normal}")
        raise InputError(display, line, f"{url!r}: source/{normal} cannot be published, the site writes that path itself")
    source_file(config, normal, display, line)
    return LocalLink(url, line, normal, None, suffix)


def source_file(config: Config, relative: str, display: str, line: int | None) -> Path:
    """The real file ``source/<relative>`` names; a missing one, a folder, or one reached through a
    symbolic link that leaves ``source/`` is an ``InputError`` naming the page and line."""
    source = config.source_dir.resolve()
    candidate = config.source_dir / relative
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(display, line, f"file source/{relative} does not exist") from None
    if not real.is_relative_to(source):
        raise InputError(display, line,
                         f"source/{relative} is a symbolic link that leaves source/ ({real}): not published")
    if not real.is_file():
        raise InputError(display, line, f"source/{relative} is not a regular file")
    return real


def read_source_file(config: Config, relative: str) -> bytes:
    """The bytes of an asset, opened without following a link (checked again: it may have changed)."""
    real = source_file(config, relative, f"source/{relative}", None)
    fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


_ATTRIBUTE = re.compile(r'(<(?:img|a)\b[^>]*?\s(?:src|href)=")([^"]*)(")')


def rewrite_urls(markup: str, urls: dict[str, str]) -> str:
    """``src``/``href`` of ``<img>`` and ``<a>`` in rendered HTML, replaced by ``urls`` (keyed by
    the attribute's unescaped value). Markdown-it escapes ``<`` in text, so only tags match."""
    if not urls or "=\"" not in markup:
        return markup

    def replace(match: re.Match[str]) -> str:
        new = urls.get(html.unescape(match.group(2)))
        return match.group(0) if new is None else match.group(1) + html.escape(new) + match.group(3)

    return _ATTRIBUTE.sub(replace, markup)


# Case-insensitive names only (a scoped flag: IGNORECASE on the whole pattern doubles its cost).
_REFERENCE = re.compile(r'<((?i:img|a|link|script|source))\b[^>]*?\s(?i:src|href)="([^"]*)"')


def missing_targets(page_html: str, relative: str, exists) -> list[str]:  # noqa: ANN001 - exists: str -> bool
    """Why the page at ``output/<relative>`` is broken: each ``<img>``, ``<a>``, stylesheet or script
    whose relative URL names nothing in ``output/`` (``exists`` answers for a path under output/)."""
    folder = posixpath.dirname(relative)
    problems = []
    for tag, value in _REFERENCE.findall(page_html):
        target = _target(folder, value)
        if target is not None and (target.startswith("../") or not exists(target)):
            problems.append(f"<{tag.lower()}> points at {html.unescape(value)!r}, which is not in the built site")
    return sorted(set(problems))


@lru_cache(maxsize=8192)  # every page of a language has the same switcher and stylesheet links
def _target(folder: str, value: str) -> str | None:
    """The path under output/ an attribute value names, from a page in ``folder``; None when it
    names no local file."""
    found = relative_path(html.unescape(value))
    return None if found is None else posixpath.normpath(posixpath.join(folder, found[0]))


def variants(config: Config) -> frozenset[str]:
    """Every language variant in ``source/`` (``images/x.ko.svg`` beside ``images/x.svg``): files
    whose name has a configured locale before its extension. Read once a build."""
    locales = set(config.locales)
    found = set()
    if config.source_dir.is_dir():
        for parent, _dirs, names in os.walk(config.source_dir, followlinks=False):
            for name in names:
                parts = name.rsplit(".", 2)
                if len(parts) == 3 and parts[1] in locales and parts[0]:
                    found.add(os.path.relpath(os.path.join(parent, name), config.source_dir).replace(os.sep, "/"))
    return frozenset(found)


def localized(target: str, locale: str, available: frozenset[str]) -> str:
    """``images/x.svg`` as a page in ``locale`` shows it: its variant ``images/x.ko.svg`` when
    ``source/`` has one (``available``), else the file itself."""
    stem, extension = posixpath.splitext(target)
    candidate = f"{stem}.{locale}{extension}"
    return candidate if candidate in available else target
