"""Invisible characters: zero-width spaces and BiDi controls the source does not have."""

from __future__ import annotations

from check_table import table_tests

from pipeline.checks.invisible import InvisibleCharacters

INVISIBLE = [
    ("ar", "SMAS layer", "طبقة SMAS", None),
    ("ar", "a\u200fb", "أ\u200fب", None),  # the source carries the RLM itself
    ("fa", "books", "کتاب\u200cها", None),  # ZWNJ is Persian spelling inside a word
    ("ko", "Doctor", "의사 👨\u200d⚕\ufe0f", None),  # ZWJ glues an emoji sequence
    ("ko", "Bleeding", "출\u200b혈", "U+200B ZERO WIDTH SPACE at character 2"),
    ("ar", "SMAS layer", "\u202eطبقة SMAS", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("th", "Language", "\ufeffภาษา", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("ru", "Language", "Язык\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("ar", "Language", "اللغة\u200e", "U+200E LEFT-TO-RIGHT MARK"),
    ("vi", "Language", "Ngôn\u200dngữ", "U+200D ZERO WIDTH JOINER"),  # not inside a non-Latin word
    ("ar", "Language", "اللغة\u061c", "U+061C ARABIC LETTER MARK"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests([(InvisibleCharacters(), INVISIBLE)])
