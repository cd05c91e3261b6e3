"""Files a page shows or links to (body images, PDFs, the front matter image) are published once
and resolve from every language's page; a missing file, or one behind a link that leaves
source/, is exit 2 at the line that names it; a page whose `<img>` or local link points at nothing
in output/ is withheld."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import REPO, TRANSLATIONS, l10n, snapshot, translate_catalog

from pipeline.checks.browser import CHROMIUM_ARGS, DEFAULT_CHROMIUM

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#369"/></svg>'
PARAGRAPH = ("See the ![diagram of the SMAS layer](images/smas.svg) and the "
             "[aftercare leaflet](files/aftercare.pdf#page=2).")
MSGID = "See the {image1} and the [aftercare leaflet](files/aftercare.pdf#page=2)."  # the image is a placeholder
TRANSLATED = {
    "ko": "[애프터케어 안내서](files/aftercare.pdf#page=2)와 {image1}을 참고하세요.",
    "ar": "انظر {image1} و[نشرة الرعاية اللاحقة](files/aftercare.pdf#page=2).",
}
ALT = {"ko": "SMAS 층 그림", "ar": "رسم طبقة SMAS"}
PAGE_FILE = "source/first-visit.md"


def _append(root: Path, text: str) -> int:
    """Add a paragraph to the page; returns its line."""
    page = root / PAGE_FILE
    before = page.read_text(encoding="utf-8")
    page.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


def _with_assets(root: Path) -> int:
    (root / "source" / "images").mkdir(exist_ok=True)
    (root / "source" / "images" / "smas.svg").write_bytes(SVG)
    (root / "source" / "files").mkdir(exist_ok=True)
    (root / "source" / "files" / "aftercare.pdf").write_bytes(b"%PDF-1.4 leaflet")
    return _append(root, PARAGRAPH)


def _translate_all(root: Path) -> None:
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0
    for locale, table in TRANSLATIONS.items():
        translate_catalog(root, locale, {**table, MSGID: TRANSLATED[locale], "diagram of the SMAS layer": ALT[locale]})


@pytest.fixture
def illustrated(translated: Path) -> Path:
    """The tiny project with a body image and a linked PDF, approved in ko and ar, built."""
    _with_assets(translated)
    _translate_all(translated)
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    return translated


def test_body_images_and_linked_files_resolve_from_every_language(illustrated: Path) -> None:
    output = illustrated / "output"
    assert (output / "images" / "smas.svg").read_bytes() == SVG  # copied once, for every language
    assert (output / "files" / "aftercare.pdf").read_bytes() == b"%PDF-1.4 leaflet"
    for tag in ("en", "ko", "ar"):
        html = (output / tag / "first-visit.html").read_text(encoding="utf-8")
        assert '<img src="../images/smas.svg"' in html, tag
        assert 'href="../files/aftercare.pdf#page=2"' in html, tag
        assert not (output / tag / "images").exists() and not (output / tag / "files").exists()
        for src in re.findall(r'<img src="([^"]+)"', html):
            assert (output / tag / src).resolve().is_file(), (tag, src)
    assert 'alt="SMAS 층 그림"' in (output / "ko" / "first-visit.html").read_text(encoding="utf-8")


def test_the_front_matter_image_and_a_body_image_of_the_same_file_are_one_file(translated: Path) -> None:
    _with_assets(translated)
    page = translated / PAGE_FILE
    page.write_text(page.read_text(encoding="utf-8").replace("disclaimer:", "image: images/smas.svg\ndisclaimer:", 1),
                    encoding="utf-8")
    _translate_all(translated)
    assert l10n(translated, "build").code == 0
    ko = (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert ko.count('src="../images/smas.svg"') == 2
    assert sorted(p.name for p in (translated / "output" / "images").iterdir()) == ["smas.svg"]


@pytest.mark.parametrize(
    "reference, message",
    [
        ("![Map](images/map.png)", "file source/images/map.png does not exist"),
        ("[Consent form](files/consent.pdf)", "file source/files/consent.pdf does not exist"),
        ("[Our other page](aftercare.html)", "file source/aftercare.html does not exist"),
        ("[Settings](../pyproject.toml)", "'../pyproject.toml' points outside source/"),
        ("[Notes](notes.md)", "there is no page source/notes.md"),
        ("[Sitemap](sitemap.xml)", "source/sitemap.xml cannot be published"),
    ],
)
def test_a_reference_to_nothing_is_exit_2_at_its_line(translated: Path, reference: str, message: str) -> None:
    assert l10n(translated, "build").code == 0
    line = _append(translated, f"Read this first.\nThen {reference} explains the rest.")
    before = snapshot(translated)
    for command in ("extract", "build"):
        result = l10n(translated, command)
        assert result.code == 2, result.output
        assert f"{PAGE_FILE}:{line + 1}: " in result.stderr and message in result.stderr, result.stderr
    assert snapshot(translated) == before


def test_a_missing_front_matter_image_names_its_line(translated: Path) -> None:
    page = translated / PAGE_FILE
    page.write_text(page.read_text(encoding="utf-8").replace("disclaimer:", "image: images/gone.jpg\ndisclaimer:", 1),
                    encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 2
    assert f"{PAGE_FILE}:5: file source/images/gone.jpg does not exist" in result.stderr


def test_a_symlink_out_of_source_is_refused_and_never_published(translated: Path) -> None:
    images = translated / "source" / "images"
    images.mkdir()
    (images / "env.svg").symlink_to("/proc/self/environ")
    _append(translated, "![Environment](images/env.svg)")
    before = snapshot(translated)
    result = l10n(translated, "build")
    assert result.code == 2, result.output
    assert "source/images/env.svg: a symbolic link to /proc/" in result.stderr and "outside its folder" in result.stderr
    assert snapshot(translated) == before
    assert not (translated / "output" / "images").exists()


def test_a_folder_linked_from_outside_is_refused_too(translated: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.svg").write_bytes(SVG)
    (translated / "source" / "images").symlink_to(outside)
    _append(translated, "![Secret](images/secret.svg)")
    result = l10n(translated, "build")
    assert result.code == 2
    assert "source/images: a symbolic link to " in result.stderr and "outside its folder" in result.stderr


def test_a_symlink_that_stays_inside_source_is_an_ordinary_file(translated: Path) -> None:
    (translated / "source" / "shared").mkdir()
    (translated / "source" / "shared" / "logo.svg").write_bytes(SVG)
    (translated / "source" / "images").mkdir()
    (translated / "source" / "images" / "logo.svg").symlink_to("../shared/logo.svg")
    _append(translated, "![Logo](images/logo.svg)")
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "build").code in (0, 1)
    published = translated / "output" / "images" / "logo.svg"
    assert published.read_bytes() == SVG and not published.is_symlink()


def test_a_changed_asset_is_published_again_and_a_dropped_one_removed(illustrated: Path) -> None:
    (illustrated / "source" / "images" / "smas.svg").write_bytes(SVG.replace(b"#369", b"#963"))
    result = l10n(illustrated, "build")
    assert result.code == 0
    assert "#963" in (illustrated / "output" / "images" / "smas.svg").read_text(encoding="utf-8")
    assert "0 rendered" in result.stdout or "(0 rendered)" in result.stdout  # only the file is copied again
    # same size, same modification time: the bytes still decide
    stat = (illustrated / "source" / "images" / "smas.svg").stat()
    (illustrated / "source" / "images" / "smas.svg").write_bytes(SVG.replace(b"#369", b"#936"))
    os.utime(illustrated / "source" / "images" / "smas.svg", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert l10n(illustrated, "build").code == 0
    assert "#936" in (illustrated / "output" / "images" / "smas.svg").read_text(encoding="utf-8")
    page = illustrated / PAGE_FILE
    page.write_text(page.read_text(encoding="utf-8").replace(PARAGRAPH, "No pictures today."), encoding="utf-8")
    assert l10n(illustrated, "extract").code == 0
    assert l10n(illustrated, "build").code in (0, 1)
    assert not (illustrated / "output" / "images").exists() and not (illustrated / "output" / "files").exists()


def test_a_link_to_another_page_leads_to_it_in_english_until_it_is_translated(translated: Path) -> None:
    (translated / "source" / "aftercare.md").write_text(
        "---\ntitle: Aftercare\nslug: aftercare\n"
        "disclaimer: ※ Side effects such as bleeding may occur depending on the individual.\n---\n\nRest well.\n",
        encoding="utf-8",
    )
    paragraph = "Read about [aftercare](aftercare.md#rest) before you go."
    _append(translated, paragraph)
    table = {"ko": "가기 전에 [애프터케어](aftercare.md#rest)에 대해 읽어 보세요.",
             "ar": "اقرأ عن [الرعاية اللاحقة](aftercare.md#rest) قبل أن تذهب."}
    _translate_all(translated)
    for locale in ("ko", "ar"):
        translate_catalog(translated, locale, {paragraph: table[locale]})
    assert l10n(translated, "build").code == 0  # aftercare is not translated: below the threshold
    output = translated / "output"
    assert 'href="aftercare.html#rest"' in (output / "en" / "first-visit.html").read_text(encoding="utf-8")
    assert 'href="../en/aftercare.html#rest"' in (output / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert not (output / "ko" / "aftercare.html").exists()
    translate_catalog(translated, "ko", {"Aftercare": "애프터케어", "Rest well.": "푹 쉬세요."})
    assert l10n(translated, "build").code == 0
    # the Korean page is rendered again: its link now stays in Korean
    assert 'href="aftercare.html#rest"' in (output / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert 'href="../en/aftercare.html#rest"' in (output / "ar" / "first-visit.html").read_text(encoding="utf-8")


def test_a_template_pointing_at_nothing_withholds_the_page(translated: Path) -> None:
    templates = translated / "templates"
    templates.mkdir()
    page = (REPO / "pipeline" / "templates" / "page.html").read_text(encoding="utf-8")
    (templates / "page.html").write_text(
        page.replace("</article>", '<img src="{{ root }}images/logo.svg" alt=""></article>', 1), encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 1, result.output
    assert "<img> points at '../images/logo.svg', which is not in the built site" in result.output
    assert not (translated / "output" / "ko" / "first-visit.html").exists()
    # honest direction: once a page publishes that file, every page passes
    _with_assets(translated)
    (translated / "source" / "images" / "logo.svg").write_bytes(SVG)
    page_file = translated / PAGE_FILE
    text = page_file.read_text(encoding="utf-8")
    page_file.write_text(text.replace("disclaimer:", "image: images/logo.svg\ndisclaimer:"), encoding="utf-8")
    _translate_all(translated)
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    assert (translated / "output" / "ko" / "first-visit.html").is_file()


def test_a_body_image_shows_in_chromium_on_every_language_page(illustrated: Path) -> None:
    if not DEFAULT_CHROMIUM.is_file():
        pytest.fail(f"{DEFAULT_CHROMIUM} is missing; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(DEFAULT_CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(offline=True).new_page()
            for tag in ("en", "ko", "ar"):
                tab.goto((illustrated / "output" / tag / "first-visit.html").as_uri(), wait_until="load")
                widths = tab.evaluate("Array.from(document.querySelectorAll('article img'), i => i.naturalWidth)")
                assert widths == [40], (tag, widths)
                link = tab.evaluate("document.querySelector('a[href*=\"aftercare.pdf\"]').href")
                assert link == (illustrated / "output" / "files" / "aftercare.pdf").as_uri() + "#page=2"
        finally:
            browser.close()


def test_check_notices_a_file_gone_from_output(illustrated: Path) -> None:
    assert l10n(illustrated, "check").code == 0
    (illustrated / "output" / "images" / "smas.svg").unlink()
    result = l10n(illustrated, "check")
    assert result.code == 1
    assert "output/ko/first-visit.html:1: error: missing-file: <img> points at '../images/smas.svg'" in result.output


def test_a_file_named_with_spaces_a_reference_image_and_a_credit_link(translated: Path) -> None:
    images = translated / "source" / "images"
    images.mkdir()
    (images / "before and after.svg").write_bytes(SVG)
    (translated / "source" / "files").mkdir()
    (translated / "source" / "files" / "credit.pdf").write_bytes(b"%PDF credit")
    page = translated / PAGE_FILE
    credit = 'attribution: "Photos: [TS Plastic Surgery](files/credit.pdf)"\ndisclaimer:'
    page.write_text(page.read_text(encoding="utf-8").replace("disclaimer:", credit, 1), encoding="utf-8")
    _append(translated, "![Before and after][compare]\n\n[compare]: <images/before and after.svg>")
    assert l10n(translated, "extract").code == 0
    result = l10n(translated, "build")
    assert result.code in (0, 1), result.output
    html = (translated / "output" / "en" / "first-visit.html").read_text(encoding="utf-8")
    assert 'src="../images/before%20and%20after.svg"' in html
    assert 'href="../files/credit.pdf"' in html
    assert (translated / "output" / "images" / "before and after.svg").read_bytes() == SVG
    assert (translated / "output" / "files" / "credit.pdf").is_file()


def test_a_missing_file_behind_a_reference_is_reported_where_it_is_used(translated: Path) -> None:
    line = _append(translated, "Compare the photos.\n\n![Before and after][compare]\n\n[compare]: images/gone.svg")
    result = l10n(translated, "extract")
    assert result.code == 2
    assert f"{PAGE_FILE}:{line + 2}: file source/images/gone.svg does not exist" in result.stderr


def test_assets_reach_drafts_and_the_published_site(illustrated: Path, tmp_path: Path, monkeypatch) -> None:
    from pipeline.checks import browser

    monkeypatch.setattr(browser, "check_in_browser", lambda *args, **kwargs: browser.BrowserReport((), 0, ()))
    assert l10n(illustrated, "build", "--drafts").code in (0, 1)
    drafts = illustrated / "output-drafts"
    assert (drafts / "images" / "smas.svg").read_bytes() == SVG
    assert '<img src="../images/smas.svg"' in (drafts / "ko" / "first-visit.html").read_text(encoding="utf-8")
    dest = tmp_path / "www"
    result = l10n(illustrated, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    assert (dest / "images" / "smas.svg").read_bytes() == SVG
    assert (dest / "files" / "aftercare.pdf").is_file()
    assert "images/smas.svg" in (dest / "manifest.json").read_text(encoding="utf-8")
