"""Punctuation in the locale's own style: 。 ending a Japanese or Chinese sentence, ؟ and ، in
Arabic, no full stop at the end of a Thai sentence."""

from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from .base import WARNING, Check, Unit
from .inline import parse_inline
from .script import SCRIPTS, language

_CJK_FINAL = {".": ("。",), "!": ("！",), "?": ("？",), ":": ("：",)}
# language -> source's final mark -> the marks a translation may end with ("" = no mark)
FINAL: dict[str, dict[str, tuple[str, ...]]] = {
    "ja": {**_CJK_FINAL, ":": ("：", ":")},
    "zh": _CJK_FINAL,
    "ar": {"?": ("؟",)},
    "fa": {"?": ("؟",)},
    # Thai ends a sentence with a space or nothing; ! and ? are optional.
    "th": {".": ("",), "!": ("!", ""), "?": ("?", "")},
}
_MARKS = ".!?:"
_ALL_MARKS = set(_MARKS + "。！？：؟")
_CLOSERS = " \t\n)]}）」』〕】\"'”’»"
_NAMES = {"ja": "Japanese", "zh": "Chinese", "ar": "Arabic", "fa": "Persian", "ur": "Urdu", "th": "Thai"}


def _final_mark(text: str) -> str:
    """The sentence mark a visible text ends with ("" when it ends with a letter or digit)."""
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith(("...", "…")) or not stripped:
        return "…"
    return stripped[-1] if stripped[-1] in _ALL_MARKS else ""


class FinalPunctuation(Check):
    check_id = "final-punctuation"
    name = "Sentence-final punctuation"
    severity = WARNING
    description = (
        "A source ending in . ! ? : ends in the locale's equivalent: 。！？： in ja and zh, ؟ in ar, "
        "no full stop in th, the same mark elsewhere."
    )

    def run(self, unit: Unit) -> Iterator[str]:
        want = _final_mark(parse_inline(unit.source).text)
        if want not in tuple(_MARKS):
            return
        lang = language(unit.locale)
        accepted = FINAL.get(lang, {}).get(want, (want,))
        have = _final_mark(parse_inline(unit.target).text)
        if have == "…" or have in accepted:
            return
        ending = f"ends with {have!r}" if have else "has no final punctuation"
        if accepted == ("",):
            yield f"the translation {ending}; {_NAMES.get(lang, lang)} ends a sentence without {have!r}"
        else:
            expected = " or ".join(repr(mark) if mark else "nothing" for mark in accepted)
            yield f"the source ends with {want!r}, the translation {ending}: expected {expected}"


# language -> (the comma the locale writes, what a wrong Latin comma looks like). Arabic script
# has its own comma everywhere but inside numbers (1,000); in Japanese and Chinese only a comma
# after CJK text is wrong, so a list of Latin names may keep its commas.
COMMAS: dict[str, tuple[str, str]] = {
    "ar": ("،", r"(?<!\d),|,(?!\d)"),
    "fa": ("،", r"(?<!\d),|,(?!\d)"),
    "ur": ("،", r"(?<!\d),|,(?!\d)"),
    "ja": ("、", f"[{SCRIPTS['ja'][1]}]\\s*,"),
    "zh": ("，", f"[{SCRIPTS['zh'][1]}]\\s*,"),
}


_compiled = cache(re.compile)


class LocaleComma(Check):
    check_id = "comma-style"
    name = "The locale's comma"
    severity = WARNING
    description = "Arabic text uses ، (a Latin comma only inside numbers); Japanese 、 and Chinese ， after CJK text."

    def run(self, unit: Unit) -> Iterator[str]:
        lang = language(unit.locale)
        if lang not in COMMAS:
            return
        comma, wrong = COMMAS[lang]
        count = len(_compiled(wrong).findall(parse_inline(unit.target).prose))
        if count:
            yield f"{count} Latin comma(s) in {_NAMES.get(lang, lang)} text: use {comma!r}"
