"""The translation is written in the locale's script: Hangul for ``ko``, Thai for ``th``, kana or
kanji for ``ja``, Cyrillic for ``ru``. English left in place, or a translation into the wrong
language (a common machine-translation slip), shows up as the wrong script."""

from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from .base import ERROR, Check, Unit
from ..glossary import Term
from .inline import has_words, translatable

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_CYRILLIC = "\u0400-\u04ff\u0500-\u052f"

# language -> (script name, the letters that must appear)
SCRIPTS: dict[str, tuple[str, str]] = {
    "ko": ("Hangul", "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"),
    "ja": ("kana or kanji", _KANA + _HAN),
    "zh": ("Han (Chinese)", _HAN),
    "th": ("Thai", "\u0e00-\u0e7f"),
    "ar": ("Arabic", _ARABIC),
    "fa": ("Arabic", _ARABIC),
    "ur": ("Arabic", _ARABIC),
    "he": ("Hebrew", "\u0590-\u05ff"),
    "el": ("Greek", "\u0370-\u03ff\u1f00-\u1fff"),
    "hi": ("Devanagari", "\u0900-\u097f"),
    "ru": ("Cyrillic", _CYRILLIC),
    "uk": ("Cyrillic", _CYRILLIC),
    "bg": ("Cyrillic", _CYRILLIC),
    "be": ("Cyrillic", _CYRILLIC),
    "mk": ("Cyrillic", _CYRILLIC),
    "kk": ("Cyrillic", _CYRILLIC),
}
# What a wrong translation is written in instead, for the message.
_NAMED = {
    "Latin": "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
    "Hangul": SCRIPTS["ko"][1],
    "kana": _KANA,
    "Han": _HAN,
    "Thai": SCRIPTS["th"][1],
    "Arabic": _ARABIC,
    "Cyrillic": _CYRILLIC,
    "Hebrew": SCRIPTS["he"][1],
    "Greek": SCRIPTS["el"][1],
    "Devanagari": SCRIPTS["hi"][1],
}
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Vietnamese is Latin with diacritics in almost every phrase; a run of words without any is English.
_LATIN_DIACRITIC = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"[^\W\d_]+")
# Japanese prose always has kana; this much kanji without any reads as Chinese.
_JA_KANJI_ONLY = 20
_LETTERS = {name: re.compile(f"[{chars}]") for name, chars in _NAMED.items()}
_REQUIRED = {lang: re.compile(f"[{letters}]") for lang, (_script, letters) in SCRIPTS.items()}
_KANA_RE = _LETTERS["kana"]
_HAN_RE = _LETTERS["Han"]
_HIRAGANA = re.compile("[\u3040-\u309f]")


@cache
def language(locale: str) -> str:
    return re.split(r"[_@-]", locale, maxsplit=1)[0].lower()


class UnexpectedScript(Check):
    check_id = "script"
    name = "Script of the locale"
    severity = ERROR
    description = (
        "A translation with words to translate uses the locale's script (Hangul for ko, Thai for th, "
        "Cyrillic for ru...); Latin-only text in ja, kanji-only prose in ja, kana in zh and "
        "diacritic-free phrases in vi are flagged."
    )

    def __init__(self, terms: tuple[Term, ...] = ()) -> None:
        self.keep = tuple(t.term for t in terms if t.rule == "keep")

    def run(self, unit: Unit) -> Iterator[str]:
        if not has_words(translatable(unit.source, self.keep)):
            return  # nothing to translate: a name, a number, a URL
        target = translatable(unit.target, self.keep)
        lang = language(unit.locale)
        if lang == "vi":
            yield from _vietnamese(target)
            return
        if lang not in SCRIPTS:
            return
        script = SCRIPTS[lang][0]
        if not _REQUIRED[lang].search(target):
            found = [name for name, letters in _LETTERS.items() if letters.search(target)]
            written = f"it is in {' and '.join(found)}" if found else "it has no letters"
            yield f"no {script} letters in the translation ({written}): untranslated or the wrong language?"
        elif lang == "ja" and _kanji_without_kana(target):
            yield "kanji without any kana: this reads as Chinese, not Japanese"
        elif lang == "zh" and len(_HIRAGANA.findall(target)) >= 2:
            yield "hiragana in the translation: this reads as Japanese, not Chinese"


def _kanji_without_kana(target: str) -> bool:
    return not _KANA_RE.search(target) and len(_HAN_RE.findall(target)) >= _JA_KANJI_ONLY


def _vietnamese(target: str) -> Iterator[str]:
    if not _LATIN.search(target):
        yield "no Latin letters in the translation: Vietnamese is written in Latin script"
    elif len(_WORD.findall(target)) >= 2 and not _LATIN_DIACRITIC.search(target):
        yield "no Vietnamese diacritics in the translation: untranslated English?"
