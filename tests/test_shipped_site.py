"""The shipped site: the seed page in nine languages from the committed catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from conftest import REPO, gnu, l10n, snapshot

LOCALES = ["ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar"]
TAGS = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant"}
DISCLAIMER = (
    "※ Side effects such as inflammation, bleeding, and nerve damage may occur depending on the individual, "
    "so sufficient consultation with the medical team before surgery is necessary."
)
# The five points every disclaimer must make, per contract §6, as glossary terms.
POINTS = ("inflammation", "bleeding", "nerve damage", "depending on the individual", "medical team",
          "before surgery", "consultation")


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete_approved_and_valid(locale: str) -> None:
    path = REPO / "locales" / locale / "LC_MESSAGES" / "messages.po"
    result = gnu("msgfmt", "-c", "--statistics", "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(path))
    assert catalog.percent_translated() == 100
    assert not catalog.fuzzy_entries()
    for entry in catalog:
        assert entry.msgstr != entry.msgid, f"{locale}: English copied into msgstr: {entry.msgid!r}"
    disclaimer = catalog.find(DISCLAIMER, msgctxt="disclaimer")
    assert disclaimer is not None and disclaimer.msgstr.startswith("※")


def test_glossary_requires_every_disclaimer_point_in_every_locale() -> None:
    import csv

    rows = list(csv.DictReader((REPO / "locales" / "glossary.csv").open(encoding="utf-8")))
    required = {(r["term"], r["locale"]) for r in rows if r["rule"] == "required"}
    for locale in LOCALES:
        for point in POINTS:
            assert (point, locale) in required, (point, locale)
    keep = {r["term"] for r in rows if r["rule"] == "keep"}
    assert {"SMAS", "TS Plastic Surgery"} <= keep


def test_template_is_current() -> None:
    result = l10n(REPO, "extract", "--check")
    assert result.code == 0, result.output


def test_pipeline_publishes_nine_pages_and_rerun_changes_nothing(repo_copy: Path) -> None:
    for command in ("extract", "update", "translate"):
        assert l10n(repo_copy, command).code == 0
    tracked = {k: v for k, v in snapshot(repo_copy).items() if k.startswith(("locales/", "source/")) and not k.endswith(".mo")}
    assert tracked == {k: v for k, v in snapshot(REPO).items() if k in tracked}, "a rerun changed committed files"

    result = l10n(repo_copy, "build")
    assert result.code == 0, result.output
    for locale in ["en", *LOCALES]:
        tag = TAGS.get(locale, locale)
        html = (repo_copy / "output" / tag / "mini-facelift.html").read_text(encoding="utf-8")
        direction = "rtl" if locale == "ar" else "ltr"
        assert f'<html lang="{tag}" dir="{direction}">' in html
        aside = re.search(r'<aside class="disclaimer" role="note"[^>]*>(.*?)</aside>', html, re.DOTALL)
        assert aside, locale
        if locale == "en":
            assert aside.group(1) == DISCLAIMER
        else:
            catalog = polib.pofile(str(repo_copy / "locales" / locale / "LC_MESSAGES" / "messages.po"))
            assert aside.group(1) == catalog.find(DISCLAIMER, msgctxt="disclaimer").msgstr
        assert re.search(r"<main[^>]*>.*<aside class=\"disclaimer\"", html, re.DOTALL)
    check = l10n(repo_copy, "check")
    assert check.code == 0, check.output
    assert "8 catalogs, 9 rendered pages checked: 0 errors, 0 warnings" in check.stdout
