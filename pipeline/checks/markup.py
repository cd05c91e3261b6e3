"""Markup the translation must carry over: the ※ marker, Markdown syntax, URLs, placeholders."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from .base import ERROR, Check, Unit

MARKER = "※"
_URL = re.compile(r"(?:https?://|mailto:)[^\s)<>\]]+")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_CODE = re.compile(r"(`+)(.+?)\1")
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)")
_EMPHASIS = re.compile(r"\*\*|__|~~")


class MarkerKept(Check):
    check_id = "marker-kept"
    name = "※ marker kept"
    severity = ERROR
    description = "The ※ notice marker of the source appears in the translation as often."

    def run(self, unit: Unit) -> Iterator[str]:
        want, have = unit.source.count(MARKER), unit.target.count(MARKER)
        if want != have:
            yield f"the source has {want} {MARKER} marker(s), the translation {have}"


class MarkupMismatch(Check):
    check_id = "markup"
    name = "Markup, URLs and placeholders kept"
    severity = ERROR
    description = "Code spans, link targets, URLs, {placeholders} and emphasis pairs match the source."

    def run(self, unit: Unit) -> Iterator[str]:
        for label, pattern, group in (
            ("code span", _CODE, 2),
            ("link target", _LINK_TARGET, 1),
            ("URL", _URL, 0),
            ("placeholder", _PLACEHOLDER, 0),
        ):
            want = Counter(m.group(group) for m in pattern.finditer(unit.source))
            have = Counter(m.group(group) for m in pattern.finditer(unit.target))
            for missing in sorted((want - have).elements()):
                yield f"{label} {missing!r} is missing from the translation"
            for extra in sorted((have - want).elements()):
                yield f"{label} {extra!r} is not in the source"
        want = Counter(_EMPHASIS.findall(unit.source))
        have = Counter(_EMPHASIS.findall(unit.target))
        if want != have:
            yield "emphasis or strikethrough markers (**, __, ~~) differ from the source"
