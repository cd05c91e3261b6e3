"""The offline ``pseudo`` provider: pseudolocalization for layout testing.

Letters get accents (text stays readable, and unlocalized strings stand out), words grow by
about 30 % (as many languages run longer than English), and the whole string is wrapped in
``⟦ ⟧`` so truncation shows. Tokens of masked markup pass through untouched.
"""

from __future__ import annotations

import re

from .masking import TOKEN

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
GROWTH = 0.3


def _stretch(text: str, debt: float) -> tuple[str, float]:
    """Accent ``text`` and repeat letters so it grows by GROWTH; ``debt`` carries across tokens."""
    out = []
    for char in text:
        accented = char.translate(_ACCENTS)
        out.append(accented)
        debt += GROWTH
        if debt >= 1 and char.isalpha():
            out.append(accented)
            debt -= 1
    return "".join(out), debt


def pseudolocalize(masked: str) -> str:
    # Tokens that open the string (a leading ※ above all) stay in front of the bracket, so a
    # notice still starts with its marker.
    lead = re.match(rf"(?:(?:{TOKEN.pattern})\s*)*", masked).group(0)
    return lead + _bracketed(masked[len(lead):]) if masked[len(lead):] else masked


def _bracketed(masked: str) -> str:
    parts, debt, last = [], 0.0, 0
    for token in TOKEN.finditer(masked):
        stretched, debt = _stretch(masked[last : token.start()], debt)
        parts += [stretched, token.group(0)]
        last = token.end()
    stretched, _ = _stretch(masked[last:], debt)
    parts.append(stretched)
    return "⟦" + "".join(parts) + "⟧"


class PseudoTranslator:
    """Shaped like a deep-translator translator, so the stage treats every provider alike."""

    def translate(self, text: str, **_: object) -> str:
        return pseudolocalize(text)
