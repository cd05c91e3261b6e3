"""Approved translations that are still the English source."""

from __future__ import annotations

from check_table import messages, table_tests

from pipeline.glossary import Term
from pipeline.checks.untranslated import Untranslated

CHECK = Untranslated((Term("SMAS", "*", ("SMAS",), "keep", 2), Term("TS Plastic Surgery", "*", ("TS Plastic Surgery",), "keep", 3)))

UNTRANSLATED = [
    ("ko", "Mini Facelift", "미니거상", None),
    ("ko", "SMAS", "SMAS", None),  # a name kept as written
    ("ja", "TS Plastic Surgery", "TS Plastic Surgery", None),
    ("ru", "<https://clinic.example/>", "<https://clinic.example/>", None),
    ("vi", "2024", "2024", None),
    ("ar", "`l10n check`", "`l10n check`", None),
    ("ko", "Mini Facelift", "Mini Facelift", "the approved translation is the English source"),
    ("vi", "SMAS layer", "SMAS layer", "the approved translation is the English source"),
    ("ru", "Language ", "Language", "the approved translation is the English source"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests([(CHECK, UNTRANSLATED)])


def test_a_fuzzy_draft_is_not_approved_yet() -> None:
    assert messages(CHECK, "ko", "Mini Facelift", "Mini Facelift", fuzzy=True) == []
    assert messages(CHECK, "ko", "Mini Facelift", "Mini Facelift") != []
