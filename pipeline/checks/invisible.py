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
    + [chr(c) for c in range(0x2060, 0x2065)]  # WORD JOINER, invisible operators
    + ["\u061c", "\ufeff", "\u00ad", "\u034f", "\u180e"]  # ALM, BOM, SOFT HYPHEN, CGJ, MVS
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
        "No zero-width (U+200B-U+200F, U+2060-U+2064, U+FEFF), soft hyphen, or BiDi control (U+202A-U+202E, "
        "U+2066-U+2069, U+061C) character the source does not have; ZWNJ/ZWJ inside a non-Latin word is spelling."
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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ControlCharacters(Check):
    check_id = "control-char"
    name = "Control characters"
    severity = ERROR
    description = "No NUL, ESC or other C0/C1 control character (tab and line feed aside) in a translation."

    def run(self, unit: Unit) -> Iterator[str]:
        for found in _CONTROL.finditer(unit.target):
            code = ord(found.group(0))
            name = {0: "NUL", 0x1B: "ESC", 0x0D: "CARRIAGE RETURN", 0x7F: "DELETE"}.get(code, "control character")
            yield f"U+{code:04X} {name} at character {found.start() + 1}: delete it"


# Characters that draw nothing: matching text (the glossary, the claims) ignores them, so a word
# joiner or soft hyphen inside a wording cannot hide it from a check.
_NOT_DRAWN = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def drawn_text(text: str) -> str:
    """``text`` without the characters that draw nothing (format, joiner, filler, variation selector)."""
    return text if text.isascii() else _NOT_DRAWN.sub("", text)
