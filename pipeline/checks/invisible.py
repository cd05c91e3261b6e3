"""Invisible characters a reviewer cannot see: zero-width spaces and BiDi controls.

A BiDi override (U+202E) can make a page display text in an order other than the catalog's, so
a reviewed disclaimer would not be what readers see; zero-width characters split words so the
glossary and search no longer match. Only what the source itself lacks is flagged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from .base import ERROR, Check, Unit

INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # LRE, RLE, PDF, LRO, RLO
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI, RLI, FSI, PDI
    + ["\u061c", "\ufeff"]  # ARABIC LETTER MARK, BOM / zero-width no-break space
)
_ANY_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")
# ZWNJ and ZWJ are spelling inside a word in Persian and Indic scripts and glue emoji together;
# there they sit between two non-ASCII, non-space characters.
_JOINERS = frozenset("\u200c\u200d")


def _in_a_word(text: str, index: int) -> bool:
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return all(not ch.isascii() and not ch.isspace() and ch not in INVISIBLE for ch in (before, after))


class InvisibleCharacters(Check):
    check_id = "invisible-char"
    name = "Invisible and BiDi control characters"
    severity = ERROR
    description = (
        "No zero-width (U+200B-U+200F, U+FEFF) or BiDi control (U+202A-U+202E, U+2066-U+2069, U+061C) "
        "character the source does not have; ZWNJ/ZWJ inside a non-Latin word is spelling."
    )

    def run(self, unit: Unit) -> Iterator[str]:
        if not _ANY_INVISIBLE.search(unit.target):
            return
        allowed = set(unit.source) & INVISIBLE
        for index, ch in enumerate(unit.target):
            if ch not in INVISIBLE or ch in allowed:
                continue
            if ch in _JOINERS and _in_a_word(unit.target, index):
                continue
            name = unicodedata.name(ch, "control character")
            yield f"invisible U+{ord(ch):04X} {name} at character {index + 1}: delete it"
