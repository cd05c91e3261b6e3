"""The check registry seen from the CLI: new checks reach `l10n check` with file and line, an
error keeps a page from publishing, and the README lists every check with its severity."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
from conftest import REPO, l10n, po_path

from pipeline.catalogs import write_catalog
from pipeline.checks.base import ERROR, WARNING
from pipeline.checks.registry import all_checks

PO_FILE = {"ko": "locales/ko/LC_MESSAGES/messages.po", "ar": "locales/ar/LC_MESSAGES/messages.po"}
MEDICINES = "Please bring your ID card and a list of your medicines."


def edit_entry(root: Path, locale: str, msgid: str, msgstr: str, flag: str | None = None) -> None:
    """Change one approved translation, as a translator would in a PO editor."""
    path = po_path(root, locale)
    catalog = polib.pofile(str(path))
    entry = catalog.find(msgid)
    entry.msgstr = msgstr
    if flag:
        entry.flags.append(flag)
    write_catalog(path, catalog)


def line_of_msgid(root: Path, locale: str, msgid: str) -> int:
    """The line of ``msgid "..."`` in the catalog, where msgfmt would point too."""
    lines = po_path(root, locale).read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


def test_english_left_in_a_korean_entry_is_an_error_with_file_and_line(translated: Path) -> None:
    edit_entry(translated, "ko", "Before you arrive", "Before you arrive")
    result = l10n(translated, "check", "--format", "json")
    assert result.code == 1
    found = {f["check"]: f for f in json.loads(result.stdout) if f["msgid"] == "Before you arrive"}
    assert set(found) == {"script", "untranslated"}
    script = found["script"]
    assert (script["locale"], script["file"], script["severity"]) == ("ko", PO_FILE["ko"], "error")
    assert "no Hangul letters" in script["message"]
    assert script["line"] == line_of_msgid(translated, "ko", "Before you arrive")
    assert found["untranslated"]["severity"] == "warning"

    # An error finding makes the message unapproved: at a 100 % threshold the page is not built.
    l10n(translated, "build")
    assert not (translated / "output" / "ko" / "first-visit.html").exists()
    assert (translated / "output" / "ar" / "first-visit.html").is_file()


def test_a_warning_is_reported_with_path_and_line_and_passes(translated: Path) -> None:
    edit_entry(translated, "ar", MEDICINES, "يرجى إحضار بطاقة هويتك, وقائمة بأدويتك.")
    assert l10n(translated, "build").code == 0
    result = l10n(translated, "check")
    assert result.code == 0, result.output
    match = re.search(r"locales/ar/LC_MESSAGES/messages\.po:(\d+): warning: comma-style", result.stdout)
    assert match, result.stdout
    assert int(match.group(1)) == line_of_msgid(translated, "ar", MEDICINES)
    assert "1 Latin comma(s) in Arabic text: use '،'" in result.stdout


def test_ignore_flag_in_the_catalog_silences_a_check(translated: Path) -> None:
    edit_entry(translated, "ar", MEDICINES, "يرجى إحضار بطاقة هويتك, وقائمة بأدويتك.", flag="ignore-comma-style")
    result = l10n(translated, "check", "--format", "json", "--locale", "ar")
    assert result.code == 0
    assert [f for f in json.loads(result.stdout) if f["check"] == "comma-style"] == []


def test_a_bidi_override_in_the_disclaimer_withholds_the_page(translated: Path) -> None:
    path = po_path(translated, "ar")
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgctxt == "disclaimer")
    entry.msgstr = entry.msgstr.replace("النزيف", "\u202eالنزيف\u202c")
    entry.flags.append("ignore-invisible-char")  # not honoured on the disclaimer
    write_catalog(path, catalog)
    result = l10n(translated, "check", "--format", "json")
    assert result.code == 1
    checks = {(f["locale"], f["check"]) for f in json.loads(result.stdout)}
    assert ("ar", "invisible-char") in checks and ("ar", "disclaimer-gate") in checks
    assert ("ko", "disclaimer-gate") not in checks


def test_registry_ids_severities_and_readme() -> None:
    checks = all_checks()
    ids = [check.check_id for check in checks]
    assert len(ids) == len(set(ids))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for check in checks:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", check.check_id), check.check_id
        assert check.severity in (ERROR, WARNING)
        assert check.name and check.description and "\n" not in check.description
        assert f"| `{check.check_id}` | {check.severity} |" in readme, check.check_id
