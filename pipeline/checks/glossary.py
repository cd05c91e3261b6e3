"""The termbase ``locales/glossary.csv`` and the checks that enforce it.

Columns ``term,locale,translation,rule,note``. ``required``: a msgstr whose msgid contains the
term must contain one of the ``|``-separated translations. ``forbidden``: it must contain none
of them. ``keep`` (locale ``*``): the term stays as written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..files import read_text
from .base import ERROR, Check, Unit
from .invisible import drawn_text

COLUMNS = ["term", "locale", "translation", "rule", "note"]
RULES = ("required", "forbidden", "keep")


@dataclass(frozen=True)
class Term:
    term: str
    locale: str  # a locale or "*"
    translations: tuple[str, ...]
    rule: str
    line: int

    def in_source(self, text: str) -> bool:
        return self._pattern.search(text) is not None

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){re.escape(self.term)}(?!\w)", re.IGNORECASE)

    def applies_to(self, locale: str) -> bool:
        return self.locale in ("*", locale)


def load_glossary(path: Path, display: str, locales: tuple[str, ...]) -> tuple[Term, ...]:
    """Read and validate the glossary; a missing file is an empty glossary."""
    if not path.is_file():
        return ()
    text = read_text(path, display)
    rows = csv.reader(io.StringIO(text, newline=""))
    terms = []
    header = next(rows, None)
    if header is None:
        return ()
    if [h.strip() for h in header] != COLUMNS:
        raise InputError(display, 1, f"the header must be {','.join(COLUMNS)}")
    line = 1
    for row in rows:
        line += 1 + sum(cell.count("\n") for cell in row)
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise InputError(display, line, f"expected {len(COLUMNS)} columns, found {len(row)}")
        term, locale, translation, rule, _note = (cell.strip() for cell in row)
        if not term:
            raise InputError(display, line, "empty term")
        if rule not in RULES:
            raise InputError(display, line, f"unknown rule {rule!r}: use one of {', '.join(RULES)}")
        if rule == "keep":
            if locale != "*":
                raise InputError(display, line, "a 'keep' term applies to every locale: use locale '*'")
            translations: tuple[str, ...] = (term,)
        else:
            if locale != "*" and locale not in locales:
                raise InputError(display, line, f"locale {locale!r} is not configured")
            translations = tuple(t.strip() for t in translation.split("|") if t.strip())
            if not translations:
                raise InputError(display, line, f"a '{rule}' term needs a translation")
        terms.append(Term(term, locale, translations, rule, line))
    return tuple(terms)


class _GlossaryCheck(Check):
    rule: str

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = tuple(t for t in terms if t.rule == self.rule)
        self._by_locale: dict[str, tuple[Term, ...]] = {}

    def matching(self, unit: Unit) -> Iterator[Term]:
        terms = self._by_locale.get(unit.locale)
        if terms is None:
            terms = self._by_locale[unit.locale] = tuple(t for t in self.terms if t.applies_to(unit.locale))
        source = unit.source
        # A case-insensitive regex costs microseconds a term; where source and term are ASCII,
        # lowercase containment is exactly the regex's case rule and rules most terms out.
        lowered = source.lower() if source.isascii() else None
        for term in terms:
            if lowered is not None and term.term.isascii() and term.term.lower() not in lowered:
                continue
            if term.in_source(source):
                yield term


class GlossaryRequired(_GlossaryCheck):
    check_id = "glossary-required"
    name = "Required glossary term"
    severity = ERROR
    description = "A source term with a required translation is translated with it."
    rule = "required"

    def run(self, unit: Unit) -> Iterator[str]:
        target = drawn_text(unit.target).casefold()
        for term in self.matching(unit):
            if not any(drawn_text(t).casefold() in target for t in term.translations):
                yield f"{term.term!r} must be translated as {' or '.join(repr(t) for t in term.translations)}"


class GlossaryForbidden(_GlossaryCheck):
    check_id = "glossary-forbidden"
    name = "Forbidden glossary term"
    severity = ERROR
    description = "A source term is not translated with a wording the glossary forbids."
    rule = "forbidden"

    def run(self, unit: Unit) -> Iterator[str]:
        target = drawn_text(unit.target).casefold()
        for term in self.matching(unit):
            for wording in term.translations:
                if drawn_text(wording).casefold() in target:
                    yield f"{term.term!r} must not be translated as {wording!r}"


class GlossaryKeep(_GlossaryCheck):
    check_id = "glossary-keep"
    name = "Term kept as written"
    severity = ERROR
    description = "Names and terms marked 'keep' appear in the translation exactly as in the source."
    rule = "keep"

    def run(self, unit: Unit) -> Iterator[str]:
        for term in self.matching(unit):
            if term.term not in unit.target:
                yield f"{term.term!r} must stay as written"
