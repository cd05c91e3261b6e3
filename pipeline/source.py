"""English pages: YAML front matter + Markdown body -> ``Page`` with its translatable messages.

Markdown is parsed with markdown-it-py's token stream (``commonmark`` + GFM tables and
strikethrough, raw HTML off); ``segments`` says what of it is a message (a heading, a
paragraph, a list item's paragraph, a table cell, an image's alt text and title, a link title).
Every message carries a ``#.`` comment: what kind of block it is and the English page's URL with
a text fragment (``#:~:text=``) that scrolls to the block, so the English page itself stays
exactly what markdown-it renders (no added ids).
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .assets import LocalLink, classify, source_file
from .config import SLUG_RE, Config, html_tag
from .errors import InputError
from .files import read_text, write_bytes_atomic
from .segments import block_kinds, markdown, page_url, segment, text_fragment, visible_text

DISCLAIMER_CONTEXT = "disclaimer"
DISCLAIMER_MARKER = "※"

# What translators see as ``#.`` for each kind of message.
_FIELD_COMMENTS = {
    "title": "page title",
    "description": "page description (search results and link previews)",
    "attribution": "page credit",
    "disclaimer": "disclaimer: mandatory legal notice, must keep all side effects and the ※ marker",
    "image_caption": "caption",
    "image_alt": "image alt",
}
# Front matter the page shows as text, so a text fragment can point at it (image_alt is an
# attribute); the templates render the last three as inline Markdown.
_VISIBLE_FIELDS = ("title", "description", "attribution", "disclaimer", "image_caption")
_MARKDOWN_FIELDS = ("attribution", "disclaimer", "image_caption")


@dataclass(frozen=True)
class Message:
    """One translatable string of a page, with where it comes from."""

    msgid: str
    msgctxt: str | None
    line: int
    comment: str  # the `#.` lines, newline-separated: the block kind, then the English URL

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


@dataclass(frozen=True)
class Page:
    path: str  # relative to the project root, as in ``#:`` references
    slug: str
    meta: dict[str, Any]  # the whole front matter
    fields: dict[str, str]  # translatable front matter values
    body: str
    body_line: int  # file line number of the body's first line
    messages: tuple[Message, ...]
    front_matter: str = ""
    references: tuple[tuple[str, int], ...] = ()  # every image src and link href (any URL), with its line
    links: tuple[LocalLink, ...] = ()  # the references that name something in source/ (parse_page)

    @property
    def assets(self) -> tuple[str, ...]:
        """Files under source/ the page shows or links to (the front matter image included)."""
        image = self.meta.get("image")
        found = [link.target for link in self.links if link.page is None] + ([image] if image else [])
        return tuple(dict.fromkeys(found))

    @property
    def disclaimer(self) -> Message:
        return next(m for m in self.messages if m.msgctxt == DISCLAIMER_CONTEXT)

    @cached_property
    def keys(self) -> frozenset[tuple[str | None, str]]:
        """(msgctxt, msgid) of every message of the page."""
        return frozenset(m.key for m in self.messages)


_MD = markdown()


def _shown_text(markdown_text: str, references: list[tuple[str, int]] | None = None, line: int = 0) -> str:
    """What a reader sees of a front matter value (rendered as inline Markdown); its links and
    images go to ``references``."""
    children = _MD.parseInline(markdown_text, {})[0].children or []
    if references is not None:
        _references(children, line, "", references)
    return visible_text(children)


def _references(children: list, line: int, content: str, found: list[tuple[str, int]]) -> None:
    """The ``src`` of images and ``href`` of links among inline tokens, with their file line."""
    for child in children:
        url = child.attrs.get("src") if child.type == "image" else (
            child.attrs.get("href") if child.type == "link_open" else None)
        if url:
            span = child.meta.get("span")
            found.append((str(url), line + (content.count("\n", 0, span[0]) if span else 0)))
        if child.type == "image" and child.children:
            _references(child.children, line, "", found)


def body_messages(body: str, first_line: int, url: str = "",
                  references: list[tuple[str, int]] | None = None) -> list[Message]:
    """The messages of a Markdown body, in document order; ``first_line`` is the body's file
    line, ``url`` the English page's (each comment points at its block with a text fragment).
    ``references`` receives each image ``src`` and link ``href`` with its line."""
    env: dict = {}
    tokens = _MD.parse(body, env)
    kinds = block_kinds(tokens)
    messages = []
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        line = first_line + (token.map[0] if token.map else 0)
        if references is not None:
            _references(token.children or [], line, token.content, references)
        seg = segment(token, env)
        anchor = url + text_fragment(seg.text) if url else ""
        for msgid, kind, offset in seg.messages():
            comment = "\n".join(filter(None, [kind or kinds[index], anchor]))
            messages.append(Message(msgid, None, line + offset, comment))
    return messages


# libyaml's parser when PyYAML has it (ten times the pure-Python one), the same safe constructor.
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def parse_page(path: Path, config: Config) -> Page:
    """Read and validate one source page; any problem is an ``InputError`` naming file and line."""
    display = config.relative(path)
    return _with_files(parse_page_text(read_text(path, display), display, config), path, config)


def _with_files(page: Page, path: Path, config: Config) -> Page:
    """The page with what its references name in ``source/``; a missing file, or one behind a
    link that leaves ``source/``, is an ``InputError`` at the line that refers to it."""
    if page.slug != path.stem:
        line = _key_line(page, "slug")
        raise InputError(page.path, line, f"slug {page.slug!r} does not match the file name {path.name!r}")
    image = page.meta.get("image")
    if image is not None:
        source_file(config, image, page.path, _key_line(page, "image"))
    links = tuple(link for url, line in page.references if (link := classify(config, page.path, url, line)))
    return page if links == page.links else replace(page, links=links)


def _key_line(page: Page, key: str) -> int:
    prefix = f"{key}:"
    return next((n for n, row in enumerate(page.front_matter.split("\n"), 2) if row.startswith(prefix)), 1)


def parse_page_text(text: str, display: str, config: Config) -> Page:
    """Parse and validate a page's text (no file system access)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise InputError(display, 1, "missing YAML front matter (the file must start with a '---' line)")
    front_text = match.group(1) or ""
    loader = _YAML(front_text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_duplicate_keys(node, display)
        meta = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(display, line, f"invalid YAML front matter: {problem}") from None
    except ValueError as exc:  # a date YAML recognises but the calendar has not (2024-13-45)
        line, value = _bad_timestamp(loader, node)
        problem = f"invalid date {value!r} in front matter: {exc}" if value else f"invalid YAML front matter: {exc}"
        raise InputError(display, line, problem) from None
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        raise InputError(display, 2, "front matter must be a mapping of keys to values")

    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[key_node.value] = key_node.start_mark.line + 2

    def line_of(key: str) -> int:
        return key_lines.get(key, 1)

    if "date" in meta and not _is_date(meta["date"]):
        raise InputError(display, line_of("date"), f"invalid date {meta['date']!r}: write it as YYYY-MM-DD")

    for key in ("title", "slug", "disclaimer"):
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            where = line_of(key) if key in meta else 1
            raise InputError(display, where, f"front matter needs a non-empty string '{key}'")
    slug = meta["slug"]
    if not SLUG_RE.match(slug):
        raise InputError(display, line_of("slug"), f"invalid slug {slug!r}: must match {SLUG_RE.pattern}")
    if slug in reserved_slugs(config):
        reserved = ", ".join(sorted(reserved_slugs(config)))
        raise InputError(display, line_of("slug"), f"slug {slug!r} is a name the site itself uses (reserved: {reserved})")
    if DISCLAIMER_MARKER not in meta["disclaimer"]:
        raise InputError(display, line_of("disclaimer"), f"the disclaimer must carry the {DISCLAIMER_MARKER} marker")
    image = meta.get("image")
    if image is not None:
        if not isinstance(image, str) or not re.match(r"^images/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", image) or ".." in image:
            raise InputError(display, line_of("image"), "image must be a path under images/ such as images/photo.jpg")

    fields: dict[str, str] = {}
    messages: list[Message] = []
    references: list[tuple[str, int]] = []
    url = page_url(config, config.source_locale, slug)
    for key in config.translatable_keys:
        if key not in meta or meta[key] is None:
            continue
        value = meta[key]
        if not isinstance(value, str):
            raise InputError(display, line_of(key), f"front matter '{key}' must be a string")
        value = " ".join(value.split())  # YAML folding and stray spaces never change the msgid
        if not value:
            continue  # `attribution: ""` is no message: msgid "" is the catalog's header
        fields[key] = value
        context = DISCLAIMER_CONTEXT if key == "disclaimer" else None
        comment = _FIELD_COMMENTS.get(key, f"front matter '{key}'")
        shown = _shown_text(value, references, line_of(key)) if key in _MARKDOWN_FIELDS else value
        anchor = text_fragment(shown) if key in _VISIBLE_FIELDS else ""
        messages.append(Message(value, context, line_of(key), f"{comment}\n{url}{anchor}"))

    messages.sort(key=lambda message: message.line)  # front matter in file order
    body = text[match.end():]
    body_line = text.count("\n", 0, match.end()) + 1
    messages.extend(body_messages(body, body_line, url, references))
    return Page(display, slug, meta, fields, body, body_line, tuple(messages), front_text, tuple(references))


# Names the site writes beside its pages (output/<tag>/index.html, output/sitemap.xml,
# style.css, the publish manifest, the assets' folders): a page may not take one.
RESERVED_SLUGS = frozenset({"index", "sitemap", "style", "manifest", "images", "files", "robots", "404"})


def reserved_slugs(config: Config) -> frozenset[str]:
    """Slugs a page may not have: the site's own file names and every language tag."""
    tags = {html_tag(locale).lower() for locale in (config.source_locale, *config.locales)}
    locales = {locale.lower() for locale in (config.source_locale, *config.locales)}
    return RESERVED_SLUGS | tags | locales


def _refuse_duplicate_keys(node: yaml.Node, display: str) -> None:
    """libyaml keeps the last of two equal keys; a page's front matter says each thing once."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise InputError(display, key_node.start_mark.line + 2,
                                         f"duplicate front matter key {key_node.value!r}")
                    seen.add(key)
                pending.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)


def _bad_timestamp(loader: Any, node: yaml.Node) -> tuple[int, str]:
    """The line and text of the first timestamp in ``node`` the calendar rejects."""
    pending = [node]
    while pending:
        current = pending.pop(0)
        if isinstance(current, yaml.MappingNode):
            pending.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif current.tag == "tag:yaml.org,2002:timestamp":
            try:
                loader.construct_yaml_timestamp(current)
            except ValueError:
                return current.start_mark.line + 2, current.value
    return 1, ""


def _is_date(value: object) -> bool:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return True
    if not isinstance(value, str):
        return False
    try:
        datetime.date.fromisoformat(value.strip())
    except ValueError:
        try:
            datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            return False
    return True


def load_pages(config: Config) -> list[Page]:
    """Every ``source/*.md`` page, sorted by slug; validates all before anything is written."""
    if not config.source_dir.is_dir():
        raise InputError(config.relative(config.source_dir), None, "source directory not found")
    return _PageCache(config).pages(sorted(config.source_dir.glob("*.md")))


class _PageCache:
    """Pages parsed before, in ``.cache/pages.pickle`` under the bytes of their file: YAML and
    Markdown parsing is most of loading 1,000 pages, and from one run to the next most pages are
    unchanged. The files a page names are looked up again on every load (a few stat calls)."""

    def __init__(self, config: Config) -> None:
        from .catalogs import code_version

        self.config = config
        self.path = config.cache_dir / "pages.pickle"
        self.context = hashlib.sha256(repr((config, code_version())).encode()).hexdigest()
        try:
            cached = pickle.loads(self.path.read_bytes())
            self.known: dict[tuple[str, bytes], Page] = cached["pages"] if cached["context"] == self.context else {}
        except Exception:  # missing, from another version, or damaged: parse every page
            self.known = {}

    def pages(self, paths: list[Path]) -> list[Page]:
        pages, seen = [], {}
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError:
                data = None  # parse_page reports it
            key = (path.name, hashlib.sha256(data or b"").digest())
            page = self.known.get(key) if data is not None else None
            if page is not None:
                page = _with_files(page, path, self.config)  # the files it names may have changed
            else:
                page = parse_page(path, self.config)
                if path.read_bytes() != data:  # changed while it was read: parsed again next time
                    pages.append(page)
                    continue
            seen[key] = page
            pages.append(page)
        if seen.keys() != self.known.keys():
            try:
                write_bytes_atomic(self.path, pickle.dumps({"context": self.context, "pages": seen}))
            except OSError:
                pass  # a read-only project is only not faster next time
        return pages
