"""An approved translation that is still the English source: usually a copy left in place."""

from __future__ import annotations

from typing import Iterator

from .base import WARNING, Check, Unit
from ..glossary import Term
from .inline import has_words, translatable


class Untranslated(Check):
    check_id = "untranslated"
    name = "Approved but identical to English"
    severity = WARNING
    description = (
        "An approved translation differs from its English source, unless the source is only "
        "names kept as written, numbers, URLs or code."
    )

    def __init__(self, terms: tuple[Term, ...] = ()) -> None:
        self.keep = tuple(t.term for t in terms if t.rule == "keep")

    def run(self, unit: Unit) -> Iterator[str]:
        if unit.fuzzy or unit.target.strip() != unit.source.strip():
            return
        if has_words(translatable(unit.source, self.keep)):
            yield "the approved translation is the English source: translate it (or flag ignore-untranslated)"
