"""The checks that enforce the termbase ``locales/glossary.csv`` (read by ``pipeline/glossary.py``).

Columns ``term,locale,translation,rule,note``. ``required``: a msgstr whose msgid contains the
term must contain one of the ``|``-separated translations. ``forbidden``: it must contain none
of them. ``keep`` (locale ``*``): the term stays as written.
"""

from __future__ import annotations

from typing import Iterator

from ..glossary import Term
from .base import ERROR, Check, Unit
from .invisible import drawn_text


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
