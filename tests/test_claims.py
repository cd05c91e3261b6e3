"""Prohibited advertising claims (Medical Service Act art. 56(2)), from `locales/claims.csv`: in the
English source they withhold the page in every language, in a translation that page version."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from conftest import DISCLAIMER, PAGE, REPO, TRANSLATIONS, l10n, po_path, snapshot, translate_catalog
from pipeline.checks.base import Unit
from pipeline.checks.claims import Claims, load_claims

SHIPPED = load_claims(REPO / "locales" / "claims.csv", "locales/claims.csv")
CHECK = Claims(SHIPPED)
LOCALES = ["ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar"]


def found(locale: str, text: str) -> list[str]:
    return list(CHECK.run(Unit(locale, "source text", text)))


# What a native reviewer would flag, per language and category (guaranteed results, no side
# effects, no pain, superlatives and rankings, only/first, comparisons, permanent results).
PROHIBITED = [
    ("ko", "수술 효과를 보장합니다."), ("ko", "부작용 없는 미니거상"), ("ko", "부작용이 없어 안심하세요."),
    ("ko", "통증 없는 시술"), ("ko", "100% 만족하실 겁니다."), ("ko", "최고의 의료진"), ("ko", "국내 최초로 도입"),
    ("ko", "타 병원보다 회복이 빠릅니다."), ("ko", "효과가 영구적입니다."), ("ko", "유일한 병원"),
    ("ja", "副作用なしで安心"), ("ja", "痛みのない手術"), ("ja", "絶対に若返ります"), ("ja", "効果を保証します"),
    ("ja", "日本一のクリニック"), ("ja", "世界初の技術"), ("ja", "他院より自然です"), ("ja", "効果は半永久的です"),
    ("ja", "１００％満足"),
    ("zh_Hans", "无副作用"), ("zh_Hans", "无痛手术"), ("zh_Hans", "保证效果"), ("zh_Hans", "韩国第一"),
    ("zh_Hans", "国内首创"), ("zh_Hans", "比其他医院更自然"), ("zh_Hans", "效果永久"),
    ("zh_Hant", "無副作用"), ("zh_Hant", "無痛手術"), ("zh_Hant", "保證效果"), ("zh_Hant", "排名第一"),
    ("zh_Hant", "全球首創"), ("zh_Hant", "比其他診所更好"), ("zh_Hant", "終身有效"),
    ("th", "ไม่มีผลข้างเคียง"), ("th", "ไม่เจ็บเลย"), ("th", "รับประกันผลลัพธ์"), ("th", "คลินิกที่ดีที่สุด"),
    ("th", "แห่งแรกในเกาหลี"), ("th", "ดีกว่าคลินิกอื่น"), ("th", "ผลลัพธ์ถาวร"),
    ("vi", "Không có tác dụng phụ"), ("vi", "Hoàn toàn không đau"), ("vi", "Cam kết hiệu quả"),
    ("vi", "Phòng khám tốt nhất"), ("vi", "Duy nhất tại Hàn Quốc"), ("vi", "Tốt hơn các phòng khám khác"),
    ("vi", "Hiệu quả vĩnh viễn"),
    ("ru", "Без побочных эффектов"), ("ru", "Безболезненная процедура"), ("ru", "Гарантируем результат"),
    ("ru", "Лучшая клиника Сеула"), ("ru", "Первая клиника в Корее"), ("ru", "Лучше других клиник"),
    ("ru", "Результат навсегда"),
    ("ar", "بدون آثار جانبية"), ("ar", "إجراء غير مؤلم"), ("ar", "نتائج مضمونة"), ("ar", "أفضل عيادة في سيول"),
    ("ar", "العيادة الوحيدة في كوريا"), ("ar", "مقارنة بالعيادات الأخرى"), ("ar", "نتائج دائمة"),
    # invisible and format characters, width variants, Arabic vowel marks do not hide a claim
    ("ko", "부작용\u2060 없는"), ("ko", "부\u00ad작용 없는"), ("ja", "副作用\u200bなし"), ("ja", "痛み\ufeffのない"),
    ("ar", "إنه آمنٌ تمامًا"), ("ar", "بدون آثـــار جانبية"), ("ru", "БЕЗБОЛЕЗНЕННО"), ("vi", "KHÔNG ĐAU"),
]

# Honest text a native reviewer would let through (the shipped pages say side effects *may* occur).
ALLOWED = [
    ("ko", "※ 개인에 따라 염증, 출혈, 신경 손상 등의 부작용이 발생할 수 있으므로 수술 전 의료진과의 충분한 상담이 필요합니다."),
    ("ko", "무통장 입금도 가능합니다."), ("ko", "반영구 화장은 다루지 않습니다."),
    ("ja", "個人差はありますが、副作用が生じる場合があります。"),
    ("ru", "Изображение приведено в качестве примера для лучшего понимания."),
    ("ru", "Процедура помогает улучшить контур лица."),
    ("ar", "قد تحدث آثار جانبية مثل النزيف، ونحرص دائمًا على سلامتك."),
    ("vi", "Đau nhẹ có thể xảy ra trong vài ngày đầu."),
    ("zh_Hans", "术后可能出现疼痛和肿胀。"),
]


@pytest.mark.parametrize(("locale", "text"), PROHIBITED)
def test_the_shipped_list_finds_a_claim(locale: str, text: str) -> None:
    findings = found(locale, text)
    assert findings and "56(2)" in findings[0], (locale, text)


@pytest.mark.parametrize(("locale", "text"), ALLOWED)
def test_the_shipped_list_lets_honest_text_through(locale: str, text: str) -> None:
    assert found(locale, text) == []


def test_the_shipped_list_covers_nine_languages_and_every_category() -> None:
    categories = ("guaranteed", "side effects", "pain", "superlative", "only/first", "comparison", "permanent")
    for locale in ["en", *LOCALES]:
        reasons = " ".join(c.reason for c in SHIPPED if c.locale == locale)
        for category in categories:
            assert category in reasons, (locale, category)
        assert "56(2)" in reasons


def test_the_shipped_site_makes_no_claim(repo_copy: Path) -> None:
    result = l10n(repo_copy, "check", "--format", "json")
    assert '"check": "claims"' not in result.stdout
    assert result.code == 0, result.output


def claim_in_source(root: Path, sentence: str) -> int:
    """Put ``sentence`` on its own line inside the page's first paragraph; return that line."""
    text = PAGE.replace("Please bring your ID card\n", f"Please bring your ID card.\n{sentence}\n")
    (root / "source" / "first-visit.md").write_text(text, encoding="utf-8")
    return text.split("\n").index(sentence) + 1


def test_a_claim_in_the_english_withholds_the_page_in_every_language(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    line = claim_in_source(translated, "Results are guaranteed and the procedure is completely painless.")

    check = l10n(translated, "check")

    assert check.code == 1
    assert f"source/first-visit.md:{line}: error: claims: prohibited claim 'guaranteed'" in check.stdout
    assert f"source/first-visit.md:{line}: error: claims: prohibited claim 'painless'" in check.stdout
    build = l10n(translated, "build")
    assert build.code == 1
    for locale in ("en", "ko", "ar"):
        assert f"WITHHELD: first-visit [{locale}]: source/first-visit.md:{line}: prohibited claim" in build.stderr
        assert not (translated / "output" / locale / "first-visit.html").exists()
    assert "first-visit" not in (translated / "output" / "sitemap.xml").read_text(encoding="utf-8")


def test_a_claim_in_the_title_is_found_at_its_line(translated: Path) -> None:
    page = translated / "source" / "first-visit.md"
    page.write_text(PAGE.replace("title: First Visit", "title: The Best Clinic for a First Visit"), encoding="utf-8")
    check = l10n(translated, "check")
    assert check.code == 1 and "source/first-visit.md:2: error: claims: prohibited claim 'the best'" in check.stdout


def test_honest_english_still_publishes(translated: Path) -> None:
    claim_in_source(translated, "Pain after surgery is usually mild; side effects may occur and are explained first.")
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    check = l10n(translated, "check")
    assert "claims" not in check.stdout
    build = l10n(translated, "build")
    assert not any(f"[{loc}]: source/" in build.output for loc in ("en", "ko", "ar"))
    assert (translated / "output" / "en" / "first-visit.html").is_file()


def korean_claim(root: Path, flags: tuple[str, ...] = ()) -> int:
    msgid = "Please bring your ID card and a list of your medicines."
    claim = "신분증을 지참해 주세요. 부작용 없는 시술입니다."
    translate_catalog(root, "ko", {msgid: claim})
    catalog = polib.pofile(str(po_path(root, "ko")))
    entry = catalog.find(msgid)
    entry.flags.extend(flags)
    from pipeline.catalogs import write_catalog

    write_catalog(po_path(root, "ko"), catalog)
    return po_path(root, "ko").read_text(encoding="utf-8").split("\n").index(f'msgid "{msgid}"') + 1


@pytest.mark.parametrize("flags", [(), ("ignore-claims",)])
def test_a_claim_in_a_translation_withholds_that_page_version(translated: Path, flags: tuple[str, ...]) -> None:
    line = korean_claim(translated, flags)

    build = l10n(translated, "build")

    assert build.code == 1
    assert "WITHHELD: first-visit [ko]: locales/ko/LC_MESSAGES/messages.po:" in build.stderr
    assert "prohibited claim '부작용 없'" in build.stderr
    assert not (translated / "output" / "ko" / "first-visit.html").exists()
    assert (translated / "output" / "en" / "first-visit.html").is_file()
    assert (translated / "output" / "ar" / "first-visit.html").is_file()
    check = l10n(translated, "check")
    assert check.code == 1
    assert f"locales/ko/LC_MESSAGES/messages.po:{line}: error: claims: prohibited claim '부작용 없'" in check.stdout


def test_a_claim_withholds_the_page_below_the_publish_threshold_too(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("publish_threshold = 100",
                                                                       "publish_threshold = 50"), encoding="utf-8")
    korean_claim(translated)
    assert l10n(translated, "build").code == 1
    assert not (translated / "output" / "ko" / "first-visit.html").exists()


def test_a_claim_in_the_disclaimer_withholds_it(translated: Path) -> None:
    translate_catalog(translated, "ko", {DISCLAIMER: TRANSLATIONS["ko"][DISCLAIMER] + " 통증 없는 시술입니다."})
    build = l10n(translated, "build")
    assert build.code == 1 and "first-visit [ko]: the disclaimer fails check claims" in build.stderr


def test_the_list_is_editable(translated: Path) -> None:
    korean_claim(translated)
    assert l10n(translated, "build").code == 1  # and the findings are cached
    assert l10n(translated, "check").code == 1
    (translated / "locales" / "claims.csv").write_text(
        "locale,wording,reason\nen,miracle|miraculous,unverifiable efficacy: Medical Service Act art. 56(2)\n",
        encoding="utf-8")
    assert l10n(translated, "build").code == 0  # the Korean wording is no longer listed
    assert (translated / "output" / "ko" / "first-visit.html").is_file()
    assert l10n(translated, "check").code == 0
    claim_in_source(translated, "A miraculous recovery.")
    assert l10n(translated, "build").code == 1


@pytest.mark.parametrize(("content", "line", "message"), [
    ("locale,claim,reason\n", 1, "the header must be locale,wording,reason"),
    ("locale,wording,reason\nko,부작용 없는\n", 2, "expected 3 columns"),
    ("locale,wording,reason\nxx,부작용 없는,law\n", 2, "unknown locale 'xx'"),
    ("locale,wording,reason\nko,|,law\n", 2, "empty wording"),
    ("locale,wording,reason\nko,부작용 없는,\n", 2, "needs a reason"),
])
def test_a_malformed_list_is_bad_input(translated: Path, content: str, line: int, message: str) -> None:
    (translated / "locales" / "claims.csv").write_text(content, encoding="utf-8")
    before = snapshot(translated)
    for command in ("check", "build"):
        result = l10n(translated, command)
        assert result.code == 2
        assert f"locales/claims.csv:{line}: " in result.stderr and message in result.stderr
    assert snapshot(translated) == before


@pytest.fixture
def translated(translated: Path) -> Path:
    """The tiny project with the shipped claims list."""
    shutil.copy(REPO / "locales" / "claims.csv", translated / "locales" / "claims.csv")
    return translated


def test_every_format_character_is_ignored() -> None:
    """Each character of Unicode category Cf this Python knows, inside a claim, still matches."""
    import sys
    import unicodedata

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert found("ko", f"부작{char}용 없는"), f"U+{code:04X}"
            assert found("ru", f"безбо{char}лезненно"), f"U+{code:04X}"
