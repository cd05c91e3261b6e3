"""Glossary checks: required, forbidden and keep terms, per locale."""

from __future__ import annotations

from check_table import table_tests

from pipeline.checks.glossary import GlossaryForbidden, GlossaryKeep, GlossaryRequired
from pipeline.glossary import Term

TERMS = (
    Term("bleeding", "ko", ("출혈",), "required", 2),
    Term("bleeding", "ru", ("кровотечен",), "required", 3),  # a stem: every case form matches
    Term("nerve damage", "ja", ("神経損傷",), "required", 4),
    Term("bleeding", "ja", ("血が出る",), "forbidden", 5),
    Term("SMAS", "*", ("SMAS",), "keep", 6),
)

REQUIRED = [
    ("ko", "Bleeding may occur.", "출혈이 발생할 수 있습니다.", None),
    ("ru", "Bleeding may occur.", "Возможно кровотечение.", None),
    ("ru", "Risk of bleeding.", "Риск кровотечения.", None),
    ("ja", "Bleeding may occur.", "出血することがあります。", None),  # no ja rule for bleeding
    ("ko", "Bleedings", "멍", None),  # whole words only: "Bleedings" is not "bleeding"
    ("ko", "Bleeding may occur.", "피가 날 수 있습니다.", "'bleeding' must be translated as '출혈'"),
    ("ja", "Nerve damage may occur.", "神経の損傷が起こり得ます。", "'nerve damage' must be translated as '神経損傷'"),
]

FORBIDDEN = [
    ("ja", "Bleeding may occur.", "出血することがあります。", None),
    ("ja", "Bleeding may occur.", "血が出ることがあります。", "'bleeding' must not be translated as '血が出る'"),
]

KEEP = [
    ("th", "The SMAS layer", "ชั้น SMAS", None),
    ("th", "The SMAS layer", "ชั้น smas", "'SMAS' must stay as written"),
    ("ar", "The SMAS layer", "طبقة سماس", "'SMAS' must stay as written"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests(
    [(GlossaryRequired(TERMS), REQUIRED), (GlossaryForbidden(TERMS), FORBIDDEN), (GlossaryKeep(TERMS), KEEP)]
)
