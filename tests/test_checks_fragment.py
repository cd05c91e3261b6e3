"""`untranslated-fragment`: English left inside a translation, in every locale's script."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import REPO, TRANSLATIONS, l10n, translate_catalog

from pipeline.checks.base import Unit
from pipeline.checks.fragment import UntranslatedFragment
from pipeline.checks.glossary import Term

KEEP = (Term("SMAS", "*", ("SMAS",), "keep", 2), Term("TS Plastic Surgery", "*", ("TS Plastic Surgery",), "keep", 3))
SOURCE = "Recovery takes about two weeks. Call us first."
APPENDED = " Recovery takes about two weeks."


@pytest.mark.parametrize(("locale", "target", "found"), [
    ("ko", "회복에는 약 2주가 걸립니다. 먼저 전화해 주세요.", False),
    ("ko", "회복에는 약 2주가 걸립니다." + APPENDED, True),
    ("ko", "회복에는 약 2주가 걸립니다. Call us first.", True),  # a sentence, even a short one
    ("ko", "SMAS 층 박리로 TS Plastic Surgery 에서 시행합니다.", False),  # names kept as written
    ("ko", "`l10n build --browser --strict` 명령을 실행하세요.", False),  # code
    ("ko", "[예약 페이지](https://clinic.example/book/your-first-visit-now)는 열려 있습니다.", False),
    ("ko", "회복 기간 please take some rest 입니다.", True),  # four words, no sentence
    ("ja", "回復には約2週間かかります。" + APPENDED, True),
    ("ja", "回復には約2週間かかります（SMAS）。", False),
    ("zh_Hans", "恢复大约需要两周。Please call us first before you come.", True),
    ("zh_Hant", "恢復大約需要兩週。", False),
    ("th", "การพักฟื้นใช้เวลาประมาณสองสัปดาห์" + APPENDED, True),
    ("th", "การพักฟื้นใช้เวลาประมาณสองสัปดาห์", False),
    ("ar", "يستغرق التعافي حوالي أسبوعين." + APPENDED, True),
    ("ar", "يستغرق التعافي حوالي أسبوعين في TS Plastic Surgery.", False),
    ("ru", "Восстановление занимает около двух недель." + APPENDED, True),
    ("ru", "Восстановление занимает около двух недель (SMAS).", False),
    ("vi", "Quá trình hồi phục mất khoảng hai tuần." + APPENDED, True),
    ("vi", "Quá trình hồi phục mất khoảng hai tuần. Hãy gọi cho chúng tôi trước.", False),
    ("vi", "Phau thuat can tham van ky", False),  # Vietnamese typed without marks is not English
])
def test_english_runs(locale: str, target: str, found: bool) -> None:
    messages = list(UntranslatedFragment(KEEP).run(Unit(locale, SOURCE, target)))
    assert bool(messages) == found, messages


def test_shipped_catalogs_have_no_english_left() -> None:
    from pipeline.checks.glossary import load_glossary

    terms = load_glossary(REPO / "locales" / "glossary.csv", "glossary.csv",
                          ("ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar"))
    check = UntranslatedFragment(terms)
    checked = 0
    for po in sorted((REPO / "locales").glob("*/LC_MESSAGES/messages.po")):
        locale = po.parts[-3]
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.obsolete:
                checked += 1
                assert list(check.run(Unit(locale, entry.msgid, entry.msgstr))) == [], (locale, entry.msgid)
    assert checked > 100


def test_an_english_sentence_in_a_korean_paragraph_fails_check(translated: Path) -> None:
    msgid = "Please bring your ID card and a list of your medicines."
    korean = TRANSLATIONS["ko"][msgid]
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], msgid: korean + " Please bring your ID card."})
    result = l10n(translated, "check", "--locale", "ko")
    assert result.code == 1
    assert "error: untranslated-fragment: English left in the translation: 'Please bring your ID card'" in result.stdout
    translate_catalog(translated, "ko", TRANSLATIONS["ko"])
    assert l10n(translated, "check", "--locale", "ko").code == 0
