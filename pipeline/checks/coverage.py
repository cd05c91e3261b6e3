"""Every locale's disclaimer is verifiable: the glossary holds a ``required`` term (the marker: a
``keep`` term) for each point the law needs the disclaimer to make. Without them the glossary
checks have nothing to hold a translation to, so the disclaimer fails in that locale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .base import ERROR, Check, Unit
from .glossary import Term


@dataclass(frozen=True)
class Point:
    name: str
    # each group is one English term to require (any of its spellings); all groups are needed
    terms: tuple[tuple[str, ...], ...]
    note: str


POINTS = (
    Point("the ※ marker", (("※",),), "reference mark that opens the mandatory disclaimer"),
    Point("inflammation", (("inflammation",),), "side effect named in the mandatory disclaimer"),
    Point("bleeding", (("bleeding",),), "side effect named in the mandatory disclaimer"),
    Point("nerve damage", (("nerve damage", "nerve injury"),), "side effect named in the mandatory disclaimer"),
    Point("varies by individual", (("depending on the individual", "varies by individual", "vary by individual"),),
          "hedge: side effects vary between individuals"),
    Point("consult the medical team before surgery",
          (("consultation", "consult"), ("medical team",), ("before surgery",)),
          "advice to consult the medical team before surgery"),
)


def _covers(term: Term, locale: str, spellings: tuple[str, ...]) -> bool:
    if term.term.casefold() not in spellings:
        return False
    if term.rule == "keep":
        return True
    return term.rule == "required" and term.applies_to(locale)


def missing_terms(glossary: tuple[Term, ...], locale: str) -> list[tuple[Point, tuple[str, ...]]]:
    """(point, the English terms it lacks) for each point ``locale``'s glossary rows miss."""
    missing = []
    for point in POINTS:
        lacking = tuple(group[0] for group in point.terms
                        if not any(_covers(t, locale, tuple(s.casefold() for s in group)) for t in glossary))
        if lacking:
            missing.append((point, lacking))
    return missing


def rows_to_add(glossary: tuple[Term, ...], locale: str) -> list[str]:
    """The ``locales/glossary.csv`` rows ``locale`` lacks, its wording left for a reviewer to write."""
    rows = []
    for point, terms in missing_terms(glossary, locale):
        for term in terms:
            if term == "※":
                rows.append(f"※,*,,keep,{point.note}")
            else:
                rows.append(f"{term},{locale},<{locale} wording>,required,{point.note}")
    return rows


class DisclaimerPoints(Check):
    check_id = "disclaimer-terms"
    name = "Disclaimer points covered by the glossary"
    severity = ERROR
    description = ("The glossary requires a term in this locale for each point of the disclaimer "
                   "(the ※ marker, inflammation, bleeding, nerve damage, varies by individual, consultation).")

    def __init__(self, glossary: tuple[Term, ...] = ()) -> None:
        self.glossary = glossary
        self._by_locale: dict[str, str | None] = {}

    def run(self, unit: Unit) -> Iterator[str]:
        if not unit.mandatory:
            return
        if unit.locale not in self._by_locale:
            missing = missing_terms(self.glossary, unit.locale)
            self._by_locale[unit.locale] = None if not missing else (
                f"locales/glossary.csv has no required {unit.locale} term for: "
                + "; ".join(f"{p.name} ({', '.join(repr(t) for t in terms)})" for p, terms in missing)
                + f": the disclaimer cannot be verified (`l10n init --locale {unit.locale}` lists the rows to add)"
            )
        message = self._by_locale[unit.locale]
        if message:
            yield message
