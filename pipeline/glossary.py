"""The termbase ``locales/glossary.csv``: read and validated here, for the checks that enforce
it (``checks/glossary.py``) and for machine translation (``translate/``), which must not import
the checks.

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

from .errors import InputError
from .files import read_text

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


def table_rows(path: Path, display: str, columns: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line, stripped cells) of each row of a CSV table with the header ``columns``; blank rows
    skipped, a wrong header or column count is an ``InputError`` at its line. A missing file has
    no rows. The glossary and the claims list are such tables."""
    if not path.is_file():
        return
    rows = csv.reader(io.StringIO(read_text(path, display), newline=""))
    header = next(rows, None)
    if header is None:
        return
    if [h.strip() for h in header] != columns:
        raise InputError(display, 1, f"the header must be {','.join(columns)}")
    line = 1
    for row in rows:
        line += 1 + sum(cell.count("\n") for cell in row)
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise InputError(display, line, f"expected {len(columns)} columns, found {len(row)}")
        yield line, [cell.strip() for cell in row]


def load_glossary(path: Path, display: str, locales: tuple[str, ...]) -> tuple[Term, ...]:
    """Read and validate the glossary; a missing file is an empty glossary."""
    terms = []
    for line, row in table_rows(path, display, COLUMNS):
        term, locale, translation, rule, _note = row
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
