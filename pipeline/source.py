"""English pages: YAML front matter + Markdown body -> ``Page`` with its translatable messages.

Markdown is parsed with markdown-it-py's token stream (``commonmark`` + GFM tables and
strikethrough, raw HTML off). Every ``inline`` token is one message: a heading, a paragraph,
a list item's paragraph, a table cell. Soft line breaks become spaces, hard breaks are kept
(as ``\\`` + newline), inline markup stays in the message as Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .config import SLUG_RE, Config
from .errors import InputError
from .files import read_text

DISCLAIMER_CONTEXT = "disclaimer"
DISCLAIMER_MARKER = "※"

# What translators see as ``#.`` for each kind of message.
_FIELD_COMMENTS = {
    "title": "page title",
    "description": "page description (search results and link previews)",
    "attribution": "page credit",
    "disclaimer": "mandatory medical disclaimer: keep the ※ marker and every side effect",
    "image_caption": "image caption",
    "image_alt": "image text alternative",
}


def markdown() -> MarkdownIt:
    """The one Markdown dialect of the project: CommonMark + tables + strikethrough, no raw HTML."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _safe_link
    return md


_SAFE_SCHEME = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _safe_link(url: str) -> bool:
    """Links only http(s), mailto or relative: a translated ``javascript:`` link stays text."""
    stripped = re.sub(r"[\x00-\x20]", "", url)
    return bool(_SAFE_SCHEME.match(stripped)) or not _ANY_SCHEME.match(stripped)


@dataclass(frozen=True)
class Message:
    """One translatable string of a page, with where it comes from."""

    msgid: str
    msgctxt: str | None
    line: int
    comment: str

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

    @property
    def disclaimer(self) -> Message:
        return next(m for m in self.messages if m.msgctxt == DISCLAIMER_CONTEXT)


def inline_msgid(content: str) -> str:
    """An inline token's source -> its msgid: soft breaks become spaces, hard breaks stay."""
    lines = content.split("\n")
    text = lines[0]
    for nxt in lines[1:]:
        nxt = nxt.lstrip(" \t")
        trailing_backslashes = len(text) - len(text.rstrip("\\"))
        if trailing_backslashes % 2 == 1:
            text += "\n" + nxt
        elif text.endswith("  "):
            text = text.rstrip(" ") + "\\\n" + nxt
        else:
            text = text.rstrip(" \t") + " " + nxt
    return text


def _block_comment(tokens: list[Token], index: int) -> str:
    opener = tokens[index - 1] if index else None
    if opener is None:
        return "text"
    if opener.type == "heading_open":
        return f"heading (level {opener.tag[1:]})"
    if opener.type in ("th_open", "td_open"):
        return "table header cell" if opener.type == "th_open" else "table cell"
    for token in reversed(tokens[:index]):
        if token.type == "list_item_open":
            return "list item"
        if token.type in ("blockquote_open",):
            return "block quote"
        if token.level == 0:
            break
    return "paragraph"


def body_messages(body: str, first_line: int) -> list[Message]:
    """The messages of a Markdown body, in document order; ``first_line`` is the body's file line."""
    tokens = markdown().parse(body)
    messages = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.content.strip():
            continue
        line = first_line + (token.map[0] if token.map else 0)
        messages.append(Message(inline_msgid(token.content), None, line, _block_comment(tokens, index)))
    return messages


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def parse_page(path: Path, config: Config) -> Page:
    """Read and validate one source page; any problem is an ``InputError`` naming file and line."""
    display = config.relative(path)
    page = parse_page_text(read_text(path, display), display, config)
    if page.slug != path.stem:
        line = _key_line(page, "slug")
        raise InputError(display, line, f"slug {page.slug!r} does not match the file name {path.name!r}")
    image = page.meta.get("image")
    if image is not None and not (config.source_dir / image).is_file():
        raise InputError(display, _key_line(page, "image"), f"image file source/{image} does not exist")
    return page


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
    try:
        node = yaml.compose(front_text, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(front_text) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(display, line, f"invalid YAML front matter: {problem}") from None
    if not isinstance(meta, dict):
        raise InputError(display, 2, "front matter must be a mapping of keys to values")

    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[key_node.value] = key_node.start_mark.line + 2

    def line_of(key: str) -> int:
        return key_lines.get(key, 1)

    for key in ("title", "slug", "disclaimer"):
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            where = line_of(key) if key in meta else 1
            raise InputError(display, where, f"front matter needs a non-empty string '{key}'")
    slug = meta["slug"]
    if not SLUG_RE.match(slug):
        raise InputError(display, line_of("slug"), f"invalid slug {slug!r}: must match {SLUG_RE.pattern}")
    if DISCLAIMER_MARKER not in meta["disclaimer"]:
        raise InputError(display, line_of("disclaimer"), f"the disclaimer must carry the {DISCLAIMER_MARKER} marker")
    image = meta.get("image")
    if image is not None:
        if not isinstance(image, str) or not re.match(r"^images/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", image) or ".." in image:
            raise InputError(display, line_of("image"), "image must be a path under images/ such as images/photo.jpg")

    fields: dict[str, str] = {}
    messages: list[Message] = []
    for key in config.translatable_keys:
        if key not in meta or meta[key] is None:
            continue
        value = meta[key]
        if not isinstance(value, str):
            raise InputError(display, line_of(key), f"front matter '{key}' must be a string")
        value = " ".join(value.split())  # YAML folding and stray spaces never change the msgid
        fields[key] = value
        context = DISCLAIMER_CONTEXT if key == "disclaimer" else None
        comment = _FIELD_COMMENTS.get(key, f"front matter '{key}'")
        messages.append(Message(value, context, line_of(key), comment))

    messages.sort(key=lambda message: message.line)  # front matter in file order
    body = text[match.end():]
    body_line = text.count("\n", 0, match.end()) + 1
    messages.extend(body_messages(body, body_line))
    return Page(display, slug, meta, fields, body, body_line, tuple(messages), front_text)


def load_pages(config: Config) -> list[Page]:
    """Every ``source/*.md`` page, sorted by slug; validates all before anything is written."""
    if not config.source_dir.is_dir():
        raise InputError(config.relative(config.source_dir), None, "source directory not found")
    return [parse_page(path, config) for path in sorted(config.source_dir.glob("*.md"))]
