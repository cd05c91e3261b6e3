"""The root chooser speaks every language, and the switcher fits a phone in one line."""

from __future__ import annotations

from pathlib import Path

from conftest import DISCLAIMER, TRANSLATIONS, l10n, translate_catalog
from lxml.etree import HTML

SHIPPED = ["en", "ko", "ja", "zh-Hans", "zh-Hant", "th", "vi", "ru", "ar"]


def chooser(root: Path):
    return HTML((root / "output" / "index.html").read_bytes())


def test_the_chooser_offers_each_language_in_its_own_words(repo_copy: Path) -> None:
    assert l10n(repo_copy, "build").code == 0
    root = chooser(repo_copy)
    cards = root.xpath('//ul[@class="language-list"]/li')
    assert [c.get("lang") for c in cards] == SHIPPED  # the configured order, each in its language
    english = " ".join("".join(cards[0].itertext()).split())
    headings = root.xpath('//h1/span[@lang]')
    assert [h.get("lang") for h in headings] == SHIPPED
    for card, heading in zip(cards[1:], headings[1:]):
        text = " ".join("".join(card.itertext()).split())
        assert "Procedure pages" not in text and text != english, text
        assert heading.text != "Choose a language"
        assert card.xpath(".//a")[0].get("href") == f"{card.get('lang')}/index.html"
        assert text.endswith("1")  # one page published in every language
    assert cards[-1].get("dir") == "rtl"
    title = root.findtext(".//title")
    assert all(h.text in title for h in headings)


def test_untranslated_chooser_strings_are_marked_english(translated: Path) -> None:
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={DISCLAIMER})
    assert l10n(translated, "build").code == 1  # ar withheld: not offered
    cards = chooser(translated).xpath('//ul[@class="language-list"]/li')
    assert [(c.get("lang"), c.xpath(".//a")[0].get("lang")) for c in cards] == [("en", "en"), ("en", "ko")]


def test_the_switcher_is_one_line_on_a_phone(repo_copy: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from pipeline.checks.browser import CHROMIUM_ARGS

    assert l10n(repo_copy, "build").code == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 390, "height": 844})
            for tag in ("ko", "ar", "th"):
                tab.goto((repo_copy / "output" / tag / "mini-facelift.html").as_uri())
                tops = tab.eval_on_selector_all(".language-switcher li", "items => items.map(i => i.getBoundingClientRect().top)")
                assert len(tops) == 9 and len(set(tops)) == 1, (tag, tops)
                width = tab.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"{tag}: the page scrolls sideways ({width}px)"
                tab.screenshot(path=str(tmp_path / f"{tag}-390.png"), clip={"x": 0, "y": 0, "width": 390, "height": 120})
        finally:
            browser.close()
