"""Punctuation in the locale's style: the sentence-final mark and the comma."""

from __future__ import annotations

from check_table import table_tests

from pipeline.checks.punctuation import FinalPunctuation, LocaleComma

FINAL = [
    ("ja", "Bring your ID.", "身分証をお持ちください。", None),
    ("zh_Hans", "Any questions?", "有问题吗？", None),
    ("zh_Hant", "Call us!", "請來電！", None),
    ("ar", "Any questions?", "هل لديك أسئلة؟", None),
    ("ar", "Bring your ID.", "أحضر بطاقة هويتك.", None),
    ("th", "Bring your ID.", "กรุณานำบัตรประชาชนมาด้วย", None),
    ("th", "Any questions?", "มีคำถามไหม", None),
    ("ko", "Note:", "참고:", None),
    ("ja", "Note:", "注意：", None),
    ("ru", "He said \"stop.\"", "Он сказал: «стоп».", None),
    ("vi", "Source: TS Plastic Surgery website", "Nguồn: Trang web TS Plastic Surgery", None),
    ("ko", "Read more...", "더 보기", None),
    ("ja", "**Bring your ID.**", "**身分証をお持ちください。**", None),
    ("ko", "See the [booking page](https://clinic.example/book).", "[예약 페이지](https://clinic.example/book)를 보세요.", None),
    ("ja", "Bring your ID.", "身分証をお持ちください.", "the source ends with '.', the translation ends with '.': expected '。'"),
    ("zh_Hant", "Any questions?", "有問題嗎?", "expected '？'"),
    ("ar", "Any questions?", "هل لديك أسئلة?", "expected '؟'"),
    ("th", "Bring your ID.", "กรุณานำบัตรประชาชนมาด้วย.", "Thai ends a sentence without '.'"),
    ("ru", "Bring your ID.", "Возьмите паспорт", "the translation has no final punctuation: expected '.'"),
    ("ko", "Note:", "참고", "expected ':'"),
    ("zh_Hans", "Note:", "注意:", "expected '：'"),
]

COMMA = [
    ("ar", "Inflammation, bleeding", "الالتهاب، النزيف", None),
    ("ar", "1,000 patients", "1,000 مريض", None),
    ("ja", "Inflammation, bleeding", "炎症、出血", None),
    ("zh_Hans", "Inflammation, bleeding", "炎症，出血", None),
    ("ja", "SMAS, TS", "SMAS, TS", None),  # Latin names keep their comma
    ("ko", "Inflammation, bleeding", "염증, 출혈", None),  # Korean uses the Latin comma
    ("ar", "Inflammation, bleeding", "الالتهاب, النزيف", "1 Latin comma(s) in Arabic text: use '،'"),
    ("ar", "SMAS, bleeding", "SMAS, النزيف", "1 Latin comma(s) in Arabic text"),
    ("ja", "Inflammation, bleeding", "炎症,出血", "1 Latin comma(s) in Japanese text: use '、'"),
    ("zh_Hant", "Inflammation, bleeding, nerve damage", "發炎, 出血, 神經損傷", "2 Latin comma(s) in Chinese text: use '，'"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests(
    [(FinalPunctuation(), FINAL), (LocaleComma(), COMMA)]
)
