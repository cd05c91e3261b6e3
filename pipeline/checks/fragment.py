"""English left inside a translation: a sentence, or four or more English words in a row, that is
not one of the parts a translation keeps (code, URLs, placeholders, names kept as written).

The ``script`` check sees a translation written in the wrong script as a whole; this one sees the
English sentence a translator (or a machine) left at the end of a Korean paragraph.
"""

from __future__ import annotations

import re
from typing import Iterator

from .base import ERROR, Check, Unit
from .glossary import Term
from .inline import translatable
from .script import _LATIN_DIACRITIC, language

# Words of English that are spelled the same as no common word of a Latin-script locale we know
# (Vietnamese syllables without marks: an, can, con, to, tin...), so that in a Latin-script locale
# a run counts as English when all its words are English (these, or the entry's own source words).
_FUNCTION_WORDS = frozenset("""
a about after all also and any are as at be been before being but by call consult consultation
could do does during each every for from had has have how if in into is it its may more most
must no not of on only or other our please should so some such than that the their them then
there these they this those through to until up us was we were what when where which while who
will with within without would you your
""".split())
# A run of Latin words: letters (and inner apostrophes or hyphens), separated by spaces and the
# punctuation that sits inside a sentence.
_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t,;:/()-]+[A-Za-z][A-Za-z'’-]*)*")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"\s*[.!?]")
_MIN_WORDS = 4
_ASCII_LETTER = re.compile(r"[A-Za-z]")


class UntranslatedFragment(Check):
    check_id = "untranslated-fragment"
    name = "English left inside a translation"
    severity = ERROR
    description = (
        "A translation holds no English sentence and no run of four or more English words, beyond "
        "code, URLs, placeholders and names kept as written."
    )

    def __init__(self, terms: tuple[Term, ...] = ()) -> None:
        self.keep = tuple(t.term for t in terms if t.rule == "keep")

    def run(self, unit: Unit) -> Iterator[str]:
        lang = language(unit.locale)
        if lang == "en" or not _ASCII_LETTER.search(unit.target):
            return
        prose = translatable(unit.target, self.keep)
        latin_locale = lang in ("vi",) or not _has_other_script(prose)
        source_words = {w.lower() for w in _WORDS.findall(unit.source)} if latin_locale else set()
        for match in _RUN.finditer(prose):
            words = _WORDS.findall(match.group(0))
            if latin_locale:
                # In a Latin-script language a run is English only when every word is English
                # and none carries the language's marks.
                english = [w for w in words if w.lower() in _FUNCTION_WORDS or w.lower() in source_words]
                if len(english) < len(words) or _LATIN_DIACRITIC.search(match.group(0)):
                    continue
                if len(words) >= _MIN_WORDS:
                    yield _message(match.group(0))
                continue
            sentence = len(words) >= 2 and words[0][0].isupper() and _SENTENCE_END.match(prose, match.end())
            if len(words) >= _MIN_WORDS or sentence:
                yield _message(match.group(0))


def _has_other_script(text: str) -> bool:
    """Letters of a script other than Latin: the translation's own (Hangul, kana, Thai...)."""
    return any(ch.isalpha() and not ("a" <= ch.lower() <= "z") and not _LATIN_DIACRITIC.match(ch) for ch in text)


def _message(run: str) -> str:
    shown = " ".join(run.split())
    return f"English left in the translation: {shown[:60]!r}{'…' if len(shown) > 60 else ''}: translate it"
