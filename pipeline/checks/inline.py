"""A message read as the renderer reads it: markdown-it's inline tokens, so the checks judge the
Markdown a page will show, not a regex's guess at it (``**「注意」**です`` is not emphasis)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..segments import has_inline_syntax
from ..source import markdown

_MD = markdown(spans=False)
URL = re.compile(r"(?:https?://|mailto:)[^\s)<>\]]+")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# A full reference link ``[text][label]``: pages resolve the label against the English page's
# definitions, which a single message does not carry, so the label is compared as written.
REFERENCE = re.compile(r"\]\[([^\[\]]+)\]")


@dataclass(frozen=True)
class Inline:
    links: tuple[str, ...]  # targets of [text](target)
    autolinks: tuple[str, ...]  # <https://...>
    images: tuple[str, ...]  # sources of ![alt](src)
    code: tuple[str, ...]  # contents of `code` spans
    styles: tuple[str, ...]  # one of em, strong, s, hardbreak per occurrence
    text: str  # what a reader sees: text, code, image alt; breaks as spaces
    prose: str  # the text outside code spans and link targets, where stray markers show


@lru_cache(maxsize=32768)  # every msgid of a large catalog: each locale checks them again
def parse_inline(message: str) -> Inline:
    """The inline Markdown of one message."""
    if not has_inline_syntax(message):
        return Inline((), (), (), (), (), message, message)
    return _parsed(message)


def _parsed(message: str) -> Inline:
    """``parse_inline`` by markdown-it itself."""
    links: list[str] = []
    autolinks: list[str] = []
    images: list[str] = []
    code: list[str] = []
    styles: list[str] = []
    text: list[str] = []
    prose: list[str] = []
    tokens = _MD.parseInline(message, {})[0].children or []
    in_autolink = False  # an autolink's text is its URL, compared as such
    for token in tokens:
        if token.type == "text":
            text.append(token.content)
            if not in_autolink:
                prose.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            text.append(" ")
            prose.append(" ")
            if token.type == "hardbreak":
                styles.append("hardbreak")
        elif token.type == "code_inline":
            code.append(token.content)
            text.append(token.content)
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            in_autolink = token.markup == "autolink"
            (autolinks if in_autolink else links).append(href)
        elif token.type == "link_close":
            in_autolink = False
        elif token.type == "image":
            images.append(str(token.attrs.get("src", "")))
            text.append(token.content)
            prose.append(token.content)
        elif token.type in ("em_open", "strong_open", "s_open"):
            styles.append(token.type[: -len("_open")])
    return Inline(
        tuple(links), tuple(autolinks), tuple(images), tuple(code), tuple(styles),
        "".join(text), "".join(prose),
    )


@lru_cache(maxsize=32768)  # every msgid of a large catalog: each locale checks them again
def translatable(message: str, keep: tuple[str, ...] = ()) -> str:
    """The prose a translator is expected to translate: visible text without code spans, URLs,
    ``{placeholders}`` and terms kept as written (names such as ``SMAS``)."""
    prose = parse_inline(message).prose
    if "http" in prose or "mailto:" in prose:
        prose = URL.sub(" ", prose)
    if "{" in prose:
        prose = PLACEHOLDER.sub(" ", prose)
    if keep and _may_hold(prose, keep):
        prose = _kept_terms(keep).sub(" ", prose)
    return prose


def _may_hold(text: str, terms: tuple[str, ...]) -> bool:
    """False when none of ``terms`` can be in ``text`` in any case: lowercase containment is the
    case rule of a case-insensitive regex where both are ASCII (and much cheaper)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(not term.isascii() or term.lower() in lowered for term in terms)


@lru_cache(maxsize=64)
def _kept_terms(keep: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the ``keep`` terms as a word (longest first)."""
    terms = "|".join(re.escape(term) for term in sorted(keep, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{terms})(?![A-Za-z0-9])", re.IGNORECASE)


def has_words(text: str) -> bool:
    """Whether ``text`` has any letters (digits, punctuation and symbols do not count)."""
    return any(ch.isalpha() for ch in text)
