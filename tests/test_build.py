"""`l10n build`: pages per language, lang/dir, the disclaimer gate, stale copies removed."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import DISCLAIMER, TRANSLATIONS, l10n, translate_catalog

from pipeline.checks.gate import page_problems


def page(root: Path, tag: str, slug: str = "first-visit") -> str:
    return (root / "output" / tag / f"{slug}.html").read_text(encoding="utf-8")


def disclaimer_text(html: str) -> str:
    match = re.search(r'<aside class="disclaimer" role="note"[^>]*>(.*?)</aside>', html, re.DOTALL)
    assert match, "no disclaimer element"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_every_language_is_published_with_lang_and_dir(translated: Path) -> None:
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    for tag, direction in (("en", "ltr"), ("ko", "ltr"), ("ar", "rtl")):
        html = page(translated, tag)
        assert f'<html lang="{tag}" dir="{direction}">' in html
        assert page_problems(html, disclaimer_text(html)) == []
    assert disclaimer_text(page(translated, "ko")) == TRANSLATIONS["ko"][DISCLAIMER]
    assert disclaimer_text(page(translated, "ar")) == TRANSLATIONS["ar"][DISCLAIMER]
    ko = page(translated, "ko")
    assert "<title>첫 방문</title>" in ko
    assert '<a href="https://clinic.example/book">예약 페이지</a>는 매일 열려 있습니다.<br />' in ko
    assert "본문으로 건너뛰기" in ko  # template strings are translated too
    # the switcher names languages natively
    assert ">العربية</a>" in ko and ">English</a>" in ko
    for name in ("index.html", "sitemap.xml", "style.css", "en/index.html", "ko/index.html", "ar/index.html"):
        assert (translated / "output" / name).is_file(), name


def test_alternates_are_reciprocal(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    for tag in ("en", "ko", "ar"):
        html = page(translated, tag)
        assert f'<link rel="canonical" href="https://clinic.example/{tag}/first-visit.html">' in html
        for other in ("en", "ko", "ar"):
            assert f'hreflang="{other}" href="https://clinic.example/{other}/first-visit.html"' in html
        assert 'hreflang="x-default" href="https://clinic.example/en/first-visit.html"' in html
    sitemap = (translated / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>https://clinic.example/ko/first-visit.html</loc>") == 1


def test_fuzzy_disclaimer_withholds_only_that_locale(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    assert (translated / "output" / "ar" / "first-visit.html").is_file()
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={DISCLAIMER})
    result = l10n(translated, "build")
    assert result.code == 1
    assert "WITHHELD: first-visit [ar]" in result.stderr
    assert "fuzzy" in result.stderr
    # the stale copy is gone, and nothing links to it any more
    assert not (translated / "output" / "ar" / "first-visit.html").exists()
    assert (translated / "output" / "ko" / "first-visit.html").is_file()
    for name in ("ko/first-visit.html", "en/first-visit.html", "sitemap.xml", "index.html"):
        assert "/ar/" not in (translated / "output" / name).read_text(encoding="utf-8")


def test_empty_disclaimer_withholds_the_page(translated: Path) -> None:
    translate_catalog(translated, "ko", {DISCLAIMER: ""})
    result = l10n(translated, "build")
    assert result.code == 1
    assert "WITHHELD: first-visit [ko]: the disclaimer is not translated" in result.stderr
    assert not (translated / "output" / "ko" / "first-visit.html").exists()
    assert (translated / "output" / "ar" / "first-visit.html").is_file()


def test_disclaimer_with_a_check_error_is_withheld(translated: Path) -> None:
    # the ※ marker dropped: an error finding on the mandatory message
    translate_catalog(translated, "ko", {DISCLAIMER: "개인에 따라 출혈 등의 부작용이 발생할 수 있습니다."})
    result = l10n(translated, "build")
    assert result.code == 1
    assert "marker-kept" in result.stderr


def test_disclaimer_hidden_by_a_template_override_is_withheld(translated: Path) -> None:
    templates = translated / "templates"
    templates.mkdir()
    from pipeline.theme import PACKAGE_TEMPLATES

    original = (PACKAGE_TEMPLATES / "page.html").read_text(encoding="utf-8")
    hidden = original.replace('<aside class="disclaimer" role="note"', '<aside hidden class="disclaimer" role="note"')
    assert hidden != original
    (templates / "page.html").write_text(hidden, encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 1
    assert "the disclaimer is hidden: <aside> has the hidden attribute" in result.stderr
    assert not (translated / "output" / "en" / "first-visit.html").exists()
    assert not (translated / "output" / "ko" / "first-visit.html").exists()


def test_hostile_translation_is_escaped(translated: Path) -> None:
    import polib

    from conftest import po_path
    from pipeline.catalogs import write_catalog

    catalog = polib.pofile(str(po_path(translated, "ko")))
    entry = catalog.find("Before you arrive")
    entry.msgstr = '방문 전 <script>alert(1)</script> {{ config }} [x](javascript:alert(1))'
    entry.flags.append("ignore-markup")  # let it through the checks to prove rendering is safe
    write_catalog(po_path(translated, "ko"), catalog)
    assert l10n(translated, "build").code == 0
    html = page(translated, "ko")
    assert "<script>" not in html
    assert "방문 전 &lt;script&gt;alert(1)&lt;/script&gt; {{ config }}" in html
    assert 'href="javascript:' not in html


def test_second_build_writes_nothing(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    result = l10n(translated, "build")
    assert "0 files written, 0 removed" in result.stdout


def test_below_threshold_falls_back_to_english(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("publish_threshold = 100", "publish_threshold = 50"), encoding="utf-8")
    translate_catalog(translated, "ko", {"Before you arrive": ""})
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    assert "partial: first-visit [ko]" in result.stdout
    assert '<h2 lang="en">Before you arrive</h2>' in page(translated, "ko")


def test_escaped_markup_in_a_translation_stays_text(translated: Path) -> None:
    # regression: backslash escapes once reached the page unescaped (a script injection)
    translate_catalog(translated, "ko", {"Before you arrive": r"방문 전 \<script\>alert(1)\</script\>"})
    assert l10n(translated, "build").code == 0
    html = page(translated, "ko")
    assert "<script>" not in html
    assert "방문 전 &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_edit_to_a_long_untouched_input_is_built(translated: Path) -> None:
    """A build trusts the size and time of inputs it hashed before (and older than two seconds
    then): an edit changes the time, and the next build sees it."""
    import os
    import time

    hour_ago = time.time() - 3600
    for path in [*translated.rglob("*.md"), *translated.rglob("*.po")]:
        os.utime(path, (hour_ago, hour_ago))
    assert l10n(translated, "build").code == 0
    assert l10n(translated, "build").code == 0  # inputs now trusted by size and time
    ko = translated / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
    ko.write_text(ko.read_text(encoding="utf-8").replace("첫 방문", "첫 진료"), encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 0
    assert "첫 진료" in (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
