"""`l10n stats` counts English words per state as translate-toolkit's `pocount` does: checked
against `pocount` itself, on the shipped catalogs and on a site with fuzzy and empty entries."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NEW_PAGE as SMAS_PAGE
from conftest import REPO, gnu, l10n, po_path

POCOUNT = Path(sys.executable).parent / "pocount"
LOCALES = ("ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar")
NEW_PAGE = SMAS_PAGE.replace("suits your face.", "suits your face, 2-3 weeks <b>before</b> surgery.")


def pocount(path: Path) -> dict[str, int]:
    """pocount's source words per state for one PO file."""
    done = subprocess.run([str(POCOUNT), "--csv", str(path)], capture_output=True, text=True, check=True)
    row = next(csv.DictReader(io.StringIO(done.stdout)))
    return {"approved": int(row["Translated Source Words"]), "fuzzy": int(row["Fuzzy Source Words"]),
            "empty": int(row["Untranslated Source Words"]), "total": int(row["Total Source Words"])}


def stats(root: Path) -> dict[str, dict]:
    result = l10n(root, "stats", "--format", "json")
    assert result.code in (0, 1), result.output
    return {row["locale"]: row for row in json.loads(result.stdout)}


@pytest.mark.parametrize("locale", LOCALES)
def test_shipped_catalogs_count_as_pocount_counts(locale: str) -> None:
    words = stats(REPO)[locale]["words"]
    assert words == pocount(po_path(REPO, locale))
    assert words["total"] > 300  # the mini facelift page is counted, not an empty catalog


def test_fuzzy_and_empty_words_per_locale_and_per_page_match_pocount(repo_copy: Path, tmp_path: Path) -> None:
    import polib

    disclaimer = polib.pofile(str(po_path(repo_copy, "ja"))).find("disclaimer", by="msgctxt").msgid
    (repo_copy / "source" / "smas-layer.md").write_text(NEW_PAGE.format(disclaimer=disclaimer), encoding="utf-8")
    assert l10n(repo_copy, "extract").code == 0
    assert l10n(repo_copy, "update").code == 0
    # a fuzzy entry without a translation counts as empty for pocount
    path = po_path(repo_copy, "ko")
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgid "The SMAS Layer"\nmsgstr ""', '#, fuzzy\nmsgid "The SMAS Layer"\nmsgstr ""')
    path.write_text(text, encoding="utf-8")

    rows = stats(repo_copy)

    for locale in LOCALES:
        words = rows[locale]["words"]
        assert words == pocount(po_path(repo_copy, locale)), locale
        assert words["fuzzy"] > 0 and words["empty"] > 0
        pages = {p["slug"]: p["words"] for p in rows[locale]["pages"]}
        for slug, counted in pages.items():
            # the page's messages, selected by GNU msggrep from the references, counted by pocount
            only_page = tmp_path / f"{locale}-{slug}.po"
            grep = gnu("msggrep", "-N", f"source/{slug}.md", "-o", str(only_page), str(po_path(repo_copy, locale)))
            assert grep.returncode == 0, grep.stderr
            assert counted == pocount(only_page), (locale, slug)
    assert rows["ja"]["pages"][1]["words"]["approved"] < rows["ja"]["pages"][1]["words"]["total"]


def test_text_and_dashboard_show_the_word_counts(tmp_path: Path) -> None:
    text = l10n(REPO, "stats", "--locale", "ja", "--html", str(tmp_path / "dash.html"))
    counted = pocount(po_path(REPO, "ja"))
    assert "English words (counted as pocount counts them):" in text.stdout
    line = next(line for line in text.stdout.splitlines() if line.split()[:1] == ["ja"] and len(line.split()) == 5)
    assert line.split()[1:] == [str(counted[k]) for k in ("approved", "fuzzy", "empty", "total")]
    html = (tmp_path / "dash.html").read_text(encoding="utf-8")
    cells = r"\s*".join(f"<td>{counted[k]}</td>" for k in ("approved", "fuzzy", "empty", "total"))
    assert re.search(r'data-locale="ja" data-slug="">\s*<td class="locale"><code>ja</code></td>'
                     r'<td class="slug">the whole catalog</td>\s*' + cells, html)
