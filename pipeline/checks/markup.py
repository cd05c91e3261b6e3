"""Markup the translation must carry over: the ※ marker, Markdown syntax, URLs, placeholders.

Markdown is compared as markdown-it parses it (the renderer's own parser), so what is checked is
what the page will show: a link whose target changed, a code span that lost a backtick, or
``**`` that CommonMark does not read as emphasis and would print as two asterisks.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Iterator

from markdown_it.common.utils import escapeHtml

from ..segments import has_inline_syntax
from .base import ERROR, WARNING, Check, Unit
from .inline import _MD, PLACEHOLDER, REFERENCE, URL, parse_inline

MARKER = "※"
# Markers that print literally when CommonMark does not pair them (checked longest first).
_STRAY = ("**", "__", "~~", "`", "*", "_")
_STYLE_NAMES = {
    "em": "emphasis (*…*)",
    "strong": "strong emphasis (**…**)",
    "s": "strikethrough (~~…~~)",
    "hardbreak": "hard line break (\\ at the end of a line)",
}


class MarkerKept(Check):
    check_id = "marker-kept"
    name = "※ marker kept"
    severity = ERROR
    description = "The ※ notice marker appears as often as in the source, and first if it is first there."

    def run(self, unit: Unit) -> Iterator[str]:
        want, have = unit.source.count(MARKER), unit.target.count(MARKER)
        if want != have:
            yield f"the source has {want} {MARKER} marker(s), the translation {have}"
        elif unit.source.lstrip().startswith(MARKER) and not unit.target.lstrip().startswith(MARKER):
            yield f"the source starts with {MARKER}; the translation must start with it too"


def _differences(label: str, want: Iterable[str], have: Iterable[str]) -> Iterator[str]:
    want, have = list(want), list(have)
    if want == have:
        return
    want_count, have_count = Counter(want), Counter(have)
    for missing in sorted((want_count - have_count).elements()):
        yield f"{label} {missing!r} is missing from the translation"
    for extra in sorted((have_count - want_count).elements()):
        yield f"{label} {extra!r} is not in the source"


class MarkupMismatch(Check):
    check_id = "markup"
    name = "Markup, URLs and placeholders kept"
    severity = ERROR
    description = (
        "Link targets, images, autolinks, code spans, URLs, {placeholders} and %(name)s match the source, "
        "and no Markdown marker is left printing as text."
    )

    def run(self, unit: Unit) -> Iterator[str]:
        if _plain(unit.source) and _plain(unit.target):
            return  # no Markdown, URL, placeholder or reference on either side: nothing to compare
        source, target = parse_inline(unit.source), parse_inline(unit.target)
        yield from _differences("link target", source.links, target.links)
        yield from _differences("reference link", _labels(unit.source), _labels(unit.target))
        yield from _differences("image", source.images, target.images)
        yield from _differences("autolink", source.autolinks, target.autolinks)
        yield from _differences("code span", source.code, target.code)
        yield from _differences("URL", URL.findall(source.prose), URL.findall(target.prose))
        placeholders = PLACEHOLDER.findall(unit.source), PLACEHOLDER.findall(unit.target)
        yield from _differences("placeholder", *placeholders)
        if "%" in unit.source or "%(" in unit.target:  # template strings are Python format strings
            formats = sorted(set(_FORMAT.findall(unit.source))), sorted(set(_FORMAT.findall(unit.target)))
            yield from _differences("format placeholder", *formats)
        yield from _stray_markers(unit.source, source.prose, target.prose)


_FORMAT = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


def _plain(message: str) -> bool:
    """No inline syntax (so no links, images, code, references or markers), no ``{``, no ``%(``
    and no URL scheme: every comparison of ``MarkupMismatch`` finds nothing in it."""
    return (not has_inline_syntax(message) and "{" not in message and "http" not in message
            and "mailto:" not in message and "%(" not in message)


def _labels(message: str) -> list[str]:
    return [" ".join(label.split()).casefold() for label in REFERENCE.findall(message)]


def _stray_markers(raw_source: str, source_prose: str, target_prose: str) -> Iterator[str]:
    """Markers the source uses as markup but the translation shows as text: the usual cause is
    a ``**`` or ``_`` next to CJK punctuation or inside a word, where CommonMark cannot pair it."""
    for marker in _STRAY:
        used_as_markup = raw_source.count(marker) > source_prose.count(marker)
        if used_as_markup and target_prose.count(marker) > source_prose.count(marker):
            if marker == "`":
                yield "'`' would print as text: a code span is not closed"
            else:
                yield (
                    f"{marker!r} would print as text: CommonMark cannot pair it here; keep punctuation "
                    "such as 「」 outside the markers (「**重要**」) or put a space on their outer side"
                )
            return


class StyleMismatch(Check):
    check_id = "emphasis"
    name = "Emphasis and line breaks kept"
    severity = WARNING
    description = "Emphasis, strong emphasis, strikethrough and hard line breaks occur as often as in the source."

    def run(self, unit: Unit) -> Iterator[str]:
        source, target = parse_inline(unit.source).styles, parse_inline(unit.target).styles
        if source == target:
            return
        want, have = Counter(source), Counter(target)
        for style, name in _STYLE_NAMES.items():
            if want[style] != have[style]:
                yield f"{name}: the source has {want[style]}, the translation {have[style]}"


_HTML_LIKE = re.compile(r"</?[A-Za-z][^>]*>|<!--|&[A-Za-z][A-Za-z0-9]*;|&#[0-9]+;|&#[xX][0-9A-Fa-f]+;")


class DisclaimerPlainText(Check):
    check_id = "disclaimer-plain"
    name = "Disclaimer is plain text"
    severity = ERROR
    description = (
        "The disclaimer's translation is plain text: no emphasis, strikethrough, link, image, code, "
        "line break, escape, entity or HTML (pages show it as written; no flag silences this)."
    )

    def run(self, unit: Unit) -> Iterator[str]:
        if not unit.mandatory:
            return
        target = unit.target
        tag = _HTML_LIKE.search(target)
        if tag:
            yield f"HTML or an entity ({tag.group(0)[:30]!r}) in the disclaimer: write plain text"
        if not has_inline_syntax(target):
            return
        rendered = _MD.renderInline(target)
        if " ".join(rendered.split()) == " ".join(escapeHtml(target).split()):
            return
        parsed = parse_inline(target)
        found = [_STYLE_NAMES[s] for s in dict.fromkeys(parsed.styles)]
        found += ["a link"] * bool(parsed.links or parsed.autolinks) + ["an image"] * bool(parsed.images)
        found += ["a code span"] * bool(parsed.code)
        what = ", ".join(found) if found else "Markdown syntax (an escape or marker that changes the text)"
        if not tag or found:
            yield f"{what} in the disclaimer: it must be plain text, shown exactly as written"
