"""Per-language search: Pagefind indexes the published pages, one index per `html lang`; the
search box of a page finds words of that language's pages and nothing in another language."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from conftest import DISCLAIMER, TRANSLATIONS, l10n, translate_catalog

# A word of each language's body, as the README's table lists them (Thai and Chinese included).
QUERIES = {"en": "incision", "ko": "윤곽", "ja": "輪郭", "zh-Hans": "轮廓", "zh-Hant": "輪廓", "th": "ยกกระชับ",
           "vi": "đường", "ru": "лифтинг", "ar": "الوجه"}
PLACEHOLDERS = {"ko": "시술 안내 페이지 검색", "ja": "施術案内ページを検索", "ar": "ابحث في صفحات الإجراءات"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The shipped site, built and served over HTTP on 127.0.0.1 (Pagefind loads its index with fetch)."""
    import shutil

    from conftest import REPO

    root = tmp_path_factory.mktemp("search")
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    assert l10n(root, "build").code == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root / "output"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from playwright.sync_api import sync_playwright

    from pipeline.checks.browser import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield f"http://127.0.0.1:{server.server_address[1]}", browser.new_page()
        browser.close()
    server.shutdown()


def search(served, tag: str, query: str) -> list[str]:
    base, tab = served
    tab.goto(f"{base}/{tag}/mini-facelift.html")
    tab.fill(".pagefind-ui__search-input", query)
    tab.wait_for_selector(".pagefind-ui__message", timeout=10_000)
    tab.wait_for_function("() => !document.querySelector('.pagefind-ui__message').textContent.includes('…')")
    return tab.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("tag", sorted(QUERIES))
def test_a_word_of_the_page_finds_it_in_its_language_only(served, tag: str) -> None:
    assert search(served, tag, QUERIES[tag]) == [f"/{tag}/mini-facelift.html"]


def test_a_word_every_language_shares_finds_only_this_language(served) -> None:
    for tag in ("ko", "ru", "ar"):
        assert search(served, tag, "SMAS") == [f"/{tag}/mini-facelift.html"]


def test_the_search_box_speaks_the_page_language(served) -> None:
    base, tab = served
    for tag, placeholder in PLACEHOLDERS.items():
        tab.goto(f"{base}/{tag}/mini-facelift.html")
        tab.wait_for_selector(".pagefind-ui__search-input")
        assert tab.get_attribute(".pagefind-ui__search-input", "placeholder") == placeholder


def bundle(root: Path) -> dict[str, int]:
    folder = root / "output" / "pagefind"
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_withheld_pages_are_never_indexed_and_unchanged_sites_are_not_indexed_again(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    first = bundle(translated)
    assert any(name.startswith("pagefind.ar_") for name in first)
    assert l10n(translated, "build").code == 0
    assert bundle(translated) == first  # nothing changed: the index is not made again
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={DISCLAIMER})
    assert l10n(translated, "build").code == 1  # ar withheld
    after = bundle(translated)
    assert not any(name.startswith("pagefind.ar_") for name in after)
    assert any(name.startswith("pagefind.ko_") for name in after)


def test_search_can_be_switched_off(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "search = false\n", encoding="utf-8")
    assert l10n(translated, "build").code == 0
    assert not (translated / "output" / "pagefind").exists()
    assert "data-l10n-search" not in (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
