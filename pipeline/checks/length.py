"""A translation far shorter or longer than its source usually lost or repeated a sentence.

Lengths are of the visible prose (no URLs, code or kept names), in characters. Expected ratios
differ by script: the shipped catalogs run about 0.23-0.44 for Chinese, 0.33-0.72 for Japanese
and Korean, 0.7-1.2 for Thai and 0.7-1.3 for Vietnamese, Russian and Arabic; the bounds below
are about twice as wide. Short strings swing widely (``Language`` -> ``言語``), so every bound
gets a fixed allowance of characters on top.
"""

from __future__ import annotations

from typing import Iterator

from .base import WARNING, Check, Unit
from ..glossary import Term
from .inline import translatable
from .script import language

# language -> (lowest, highest) ratio of translation to source length
RATIOS: dict[str, tuple[float, float]] = {
    "zh": (0.12, 0.65),
    "ja": (0.17, 1.0),
    "ko": (0.17, 1.0),
    "th": (0.4, 1.9),
}
DEFAULT_RATIO = (0.45, 2.2)
ALLOWANCE = 15  # characters of slack on either side, so short strings never trip the check


class LengthRatio(Check):
    check_id = "length-ratio"
    name = "Length outlier"
    severity = WARNING
    description = "The translation's length is within the usual ratio to the source for its script."

    def __init__(self, terms: tuple[Term, ...] = ()) -> None:
        self.keep = tuple(t.term for t in terms if t.rule == "keep")

    def run(self, unit: Unit) -> Iterator[str]:
        source = len(" ".join(translatable(unit.source, self.keep).split()))
        target = len(" ".join(translatable(unit.target, self.keep).split()))
        low, high = RATIOS.get(language(unit.locale), DEFAULT_RATIO)
        if target < low * source - ALLOWANCE:
            verdict = "much shorter than the source: is a sentence missing?"
        elif target > high * source + ALLOWANCE:
            verdict = "much longer than the source: is something repeated or added?"
        else:
            return
        yield (
            f"{target} characters for {source} in English (ratio {target / max(source, 1):.2f}, "
            f"usual {low:g}-{high:g}): {verdict}"
        )
