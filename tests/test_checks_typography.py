"""Spacing checks: leading/trailing whitespace and double spaces."""

from __future__ import annotations

from check_table import table_tests

from pipeline.checks.typography import DoubleSpace, EdgeWhitespace

WHITESPACE = [
    ("ko", "Language", "언어", None),
    ("ko", " Language\n", " 언어\n", None),
    ("ko", "Language", "언어 ", "trailing whitespace differs"),
    ("ar", "Language", " اللغة", "leading whitespace differs"),
    ("ja", "Language\n", "言語", "trailing whitespace differs"),
]

DOUBLE_SPACE = [
    ("ru", "One. Two.", "Один. Два.", None),
    ("ru", "One.  Two.", "Один.  Два.", None),  # the source has them too
    ("vi", "Open daily.\\\nCall first.", "Mở cửa hằng ngày.\\\nHãy gọi trước.", None),
    ("vi", "One. Two.", "Một.  Hai.", "two spaces in a row"),
    ("th", "Bleeding and swelling", "เลือดออก  และอาการบวม", "two spaces in a row"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests(
    [(EdgeWhitespace(), WHITESPACE), (DoubleSpace(), DOUBLE_SPACE)]
)
