"""What a provider must not touch, swapped for numbered tokens ``{0}`` before sending.

The Markdown markup comes from markdown-it's own parse of the message in the project's dialect
(CommonMark + tables + strikethrough, raw HTML off), so only what renders as markup is masked:
emphasis and strikethrough delimiters that pair up, link and image brackets with their targets,
code spans, autolinks, entities, backslash escapes and hard breaks. Text that merely looks like
markup (``[link](/my uri)``, a lone ``*``) is prose and is translated. In the prose, URLs,
``{placeholders}``, printf-style ``%(name)s``, the ``※`` marker and the glossary's keep-terms
are masked too. Providers leave ``{0}`` alone far more reliably than ``**`` or ``](...)``;
whatever they do, ``unmask`` accepts a result only if every token came back exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline.state_inline import StateInline

TOKEN = re.compile(r"\{\s*(\d+)\s*\}")

_IN_PROSE = [
    re.compile(r"(?:https?://|mailto:)[^\s)<>\]]+"),  # bare URL (as the markup check sees it)
    re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}"),  # {placeholder}
    TOKEN,  # a literal "{0}" in the source must not pass for one of our tokens
    re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sd%]"),
    re.compile("※"),
]
_WORD = re.compile(r"[^\W\d_]")

Span = tuple[int, int]


@dataclass(frozen=True)
class Masked:
    """A message as sent: ``text`` with tokens, ``originals[i]`` is what ``{i}`` stands for."""

    text: str
    originals: tuple[str, ...]

    @property
    def has_words(self) -> bool:
        """False when nothing is left to translate (a bare URL, a code span)."""
        return _WORD.search(TOKEN.sub("", self.text)) is not None


# A full reference ``[text][label]``: its definition is elsewhere on the page, so the message
# alone does not show it is a link. (Extraction writes shortcut references in this form.)
_FULL_REFERENCE = re.compile(r"\]\[((?:[^\[\]\\]|\\.)+)\]")
_SAFE_SCHEME = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _safe_link(url: str) -> bool:
    """The project's rule (contract §7): links only http(s), mailto or relative; others are text."""
    stripped = re.sub(r"[\x00-\x20]", "", url)
    return bool(_SAFE_SCHEME.match(stripped)) or not _ANY_SCHEME.match(stripped)


def _recording(rule: Callable[[StateInline, bool], bool], record: Callable[..., None]) -> Callable:
    """Wrap an inline rule so that what it consumed from the message is recorded."""

    def recorded(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if state.pending:
            count += 1  # the rule's first push flushes the text before it as a token
        if not rule(state, silent):
            return False
        # Image alt texts are parsed as sources of their own: only the message's own positions.
        if not silent and state.src == state.env["message"]:
            record(state, start, state.tokens[count:])
        return True

    return recorded


def _markup(state: StateInline, start: int, pushed: list) -> None:
    """Spans of link brackets and targets, code spans, autolinks, entities, escapes, breaks."""
    spans: list[Span] = state.env["spans"]
    for token in pushed:
        if token.type in ("link_open", "image") and token.markup != "autolink":
            opener = 2 if token.type == "image" else 1  # "![" or "["
            label_end = state.md.helpers.parseLinkLabel(state, start + opener - 1, True)
            spans += [(start, start + opener), (label_end, state.pos)]  # the text between stays
            return
        if token.type == "text_special" and token.content == token.markup:
            return  # a backslash before a letter is no escape: it is text
        if token.type in ("link_open", "code_inline", "text_special"):
            spans.append((start, state.pos))
            return
        if token.type == "hardbreak":
            begin = start  # "  \n": the spaces belong to the break
            while begin > 0 and state.src[begin - 1] == " ":
                begin -= 1
            spans.append((begin, state.pos))
            return


def _delimiters(state: StateInline, start: int, pushed: list) -> None:
    """Emphasis and strikethrough runs; whether they pair up is known only after the parse."""
    position = start
    for token in pushed:
        state.env["delimiters"].append((token, position, len(token.content)))
        position += len(token.content)


def _paired(state: StateInline) -> None:
    """Before adjacent text merges: a delimiter that became markup lost its text or its type."""
    for token, position, length in state.env["delimiters"]:
        if token.type != "text" or token.content == "":
            state.env["spans"].append((position, position + length))


def _dialect() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _safe_link
    for name in ("link", "image", "backticks", "autolink", "entity", "escape", "newline"):
        rule = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)].fn
        md.inline.ruler.at(name, _recording(rule, _markup))
    for name in ("emphasis", "strikethrough"):
        rule = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)].fn
        md.inline.ruler.at(name, _recording(rule, _delimiters))
    md.inline.ruler2.before("fragments_join", "mask_delimiters", _paired)
    return md


def _keep_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so "TS Plastic Surgery" wins over a shorter term inside it.
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class Masker:
    """Masks with the project's keep-terms; one per run, shared by every locale."""

    def __init__(self, keep_terms: tuple[str, ...] = ()) -> None:
        keep = _keep_pattern(keep_terms)
        self.in_prose = [*_IN_PROSE, *([keep] if keep else [])]
        self.md = _dialect()

    def markup(self, text: str) -> list[Span]:
        """Where markdown-it sees markup in ``text``, parsed as one inline message."""
        labels = (normalizeReference(m.group(1)) for m in _FULL_REFERENCE.finditer(text))
        env: dict[str, Any] = {
            "message": text,
            "references": {label: {"href": "", "title": ""} for label in labels},
            "spans": [],
            "delimiters": [],
        }
        self.md.parseInline(text, env)
        return env["spans"]

    def mask(self, text: str) -> Masked:
        markup = sorted(self.markup(text))
        spans = list(markup)
        last = 0
        for start, end in [*markup, (len(text), len(text))]:
            if start > last:  # a run of prose between markup
                for pattern in self.in_prose:
                    spans += [
                        (last + m.start(), last + m.end())
                        for m in pattern.finditer(text[last:start])
                    ]
            last = max(last, end)
        return _tokens(text, spans)


def _tokens(text: str, spans: list[Span]) -> Masked:
    spans = sorted((s for s in spans if s[1] > s[0]), key=lambda s: (s[0], -s[1]))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)  # overlapping pieces: one token
        elif merged and start == merged[-1][1]:
            merged[-1][1] = end  # adjacent pieces of markup travel as one token
        else:
            merged.append([start, end])
    parts, originals, last = [], [], 0
    for start, end in merged:
        parts.append(text[last:start])
        parts.append(f"{{{len(originals)}}}")
        originals.append(text[start:end])
        last = end
    parts.append(text[last:])
    return Masked("".join(parts), tuple(originals))


def unmask(translated: str, originals: tuple[str, ...]) -> str | None:
    """Put the originals back; None unless every token came back exactly once."""
    found = [int(m.group(1)) for m in TOKEN.finditer(translated)]
    if sorted(found) != list(range(len(originals))):
        return None
    return TOKEN.sub(lambda m: originals[int(m.group(1))], translated)
