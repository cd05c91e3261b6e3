"""The translation is in the locale's script."""

from __future__ import annotations

from check_table import table_tests

from pipeline.glossary import Term
from pipeline.checks.script import UnexpectedScript

CHECK = UnexpectedScript((Term("SMAS", "*", ("SMAS",), "keep", 2), Term("TS Plastic Surgery", "*", ("TS Plastic Surgery",), "keep", 3)))
ZH_DISCLAIMER = "※根据个人情况，可能会出现炎症、出血、神经损伤等副作用，因此术前需要与医疗团队进行充分咨询。"

SCRIPT = [
    ("ko", "Language", "언어", None),
    ("ja", "Language", "言語", None),  # a short kanji-only word is Japanese too
    ("ja", "Source: TS Plastic Surgery website", "出典：TS Plastic Surgeryのウェブサイト", None),
    ("zh_Hans", "Language", "语言", None),
    ("zh_Hant", "Language", "語言", None),
    ("th", "Language", "ภาษา", None),
    ("ar", "SMAS layer", "طبقة SMAS", None),
    ("ru", "Language", "Язык", None),
    ("vi", "Language", "Ngôn ngữ", None),
    ("vi", "Video", "Video", None),  # one word may be a loanword
    ("ja", "SMAS", "SMAS", None),  # only a kept name: nothing to translate
    ("ko", "TS Plastic Surgery, 2024", "TS Plastic Surgery, 2024", None),
    ("de", "Language", "Sprache", None),  # no script rule for German
    ("ja", "Mini Facelift", "Mini Facelift", "no kana or kanji letters in the translation (it is in Latin)"),
    ("ja", "Source: TS Plastic Surgery website", "Source: TS Plastic Surgery", "no kana or kanji"),
    ("ko", "Language", "言語", "no Hangul letters in the translation (it is in Han)"),
    ("th", "Language", "Language", "no Thai letters"),
    ("ar", "Language", "Язык", "no Arabic letters"),
    ("ru", "Language", "Language", "no Cyrillic letters"),
    ("zh_Hant", "Language", "ゲンゴ", "no Han (Chinese) letters in the translation (it is in kana)"),
    ("zh_Hans", "Medical disclaimer", "医療に関する注意事項", "reads as Japanese"),
    ("ja", "※ Side effects may occur.", ZH_DISCLAIMER, "reads as Chinese"),
    ("vi", "Medical disclaimer", "Medical disclaimer", "no Vietnamese diacritics"),
    ("vi", "Language", "言語", "no Latin letters"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests([(CHECK, SCRIPT)])
