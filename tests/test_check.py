"""`l10n check`: the disclaimer gate on catalogs and on output/, text and JSON reports."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DISCLAIMER, TRANSLATIONS, l10n, translate_catalog, write_glossary


def test_clean_project_passes(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    result = l10n(translated, "check")
    assert result.code == 0, result.output
    assert "2 catalogs, 3 rendered pages checked: 0 errors" in result.stdout


def test_unreviewed_disclaimer_fails_with_path_and_line(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={DISCLAIMER})
    result = l10n(translated, "check")
    assert result.code == 1
    assert "[ko]" in result.stdout
    assert "locales/ko/LC_MESSAGES/messages.po:" in result.stdout
    assert "disclaimer-gate" in result.stdout and "fuzzy" in result.stdout


def test_json_report(translated: Path) -> None:
    translate_catalog(translated, "ar", {DISCLAIMER: "※ قد تحدث آثار جانبية."})  # bleeding dropped
    write_glossary(translated, "bleeding,ar,النزيف|نزيف,required,side effect")
    result = l10n(translated, "check", "--format", "json")
    assert result.code == 1
    findings = json.loads(result.stdout)
    keys = {"locale", "file", "line", "msgctxt", "msgid", "check", "severity", "message"}
    assert all(set(f) == keys for f in findings)
    glossary = [f for f in findings if f["check"] == "glossary-required"]
    assert glossary and glossary[0]["locale"] == "ar" and glossary[0]["msgctxt"] == "disclaimer"
    assert glossary[0]["file"] == "locales/ar/LC_MESSAGES/messages.po" and glossary[0]["line"] > 1


def test_tampered_output_is_caught(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    path = translated / "output" / "ko" / "first-visit.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace(TRANSLATIONS["ko"][DISCLAIMER], "※ 부작용이 있을 수 있습니다."), encoding="utf-8")
    result = l10n(translated, "check")
    assert result.code == 1
    assert "output/ko/first-visit.html:1: error: disclaimer-gate" in result.stdout


def test_disclaimer_hidden_in_output_is_caught(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    path = translated / "output" / "ar" / "first-visit.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace('<main id="content">', '<main id="content" style="display: none">'), encoding="utf-8")
    result = l10n(translated, "check")
    assert result.code == 1
    assert "hidden by its inline style" in result.stdout


def test_withheld_page_left_in_output_is_caught(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={DISCLAIMER})
    result = l10n(translated, "check")
    assert result.code == 1
    assert "a withheld page is present in output/" in result.stdout


def test_ignore_flags_do_not_apply_to_the_disclaimer(translated: Path) -> None:
    import polib

    from conftest import po_path
    from pipeline.catalogs import write_catalog

    catalog = polib.pofile(str(po_path(translated, "ko")))
    entry = catalog.find(DISCLAIMER, msgctxt="disclaimer")
    entry.msgstr = entry.msgstr.replace("※ ", "")
    entry.flags.append("ignore-marker-kept")
    other = catalog.find("Before you arrive")
    other.msgstr = "※ " + other.msgstr
    other.flags.append("ignore-marker-kept")
    write_catalog(po_path(translated, "ko"), catalog)
    result = l10n(translated, "check", "--format", "json")
    checks = {(f["msgid"], f["check"]) for f in json.loads(result.stdout)}
    assert (DISCLAIMER, "marker-kept") in checks
    assert ("Before you arrive", "marker-kept") not in checks


def test_changed_english_disclaimer_withholds_every_locale_until_reapproved(translated: Path) -> None:
    assert l10n(translated, "build").code == 0
    page = translated / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "may occur depending on the individual.", "or infection may occur depending on the individual."), encoding="utf-8")
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    import polib

    from conftest import po_path

    for locale in ("ko", "ar"):
        entry = polib.pofile(str(po_path(translated, locale))).find(
            "※ Side effects such as bleeding or infection may occur depending on the individual.", msgctxt="disclaimer")
        assert entry.fuzzy and entry.previous_msgid == DISCLAIMER
    result = l10n(translated, "build")
    assert result.code == 1
    assert "WITHHELD: first-visit [ko]" in result.stderr and "WITHHELD: first-visit [ar]" in result.stderr
    assert not (translated / "output" / "ko" / "first-visit.html").exists()
    assert not (translated / "output" / "ar" / "first-visit.html").exists()
    assert (translated / "output" / "en" / "first-visit.html").is_file()
    assert l10n(translated, "check").code == 1
