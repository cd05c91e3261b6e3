"""`l10n review`: a reviewer works through fuzzy and machine-translated entries with keystrokes."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import DISCLAIMER, PAGE, TRANSLATIONS, Result, gnu, l10n, po_path, translate_catalog, write_glossary
from pipeline.cli import main

TODAY = r"\d{4}-\d{2}-\d{2}"


def review(root: Path, keys: str, *args: str, editor: str | None = None) -> Result:
    """Run `l10n review` with ``keys`` typed on stdin (one key or answer per line)."""
    result = CliRunner().invoke(
        main, ["--project", str(root), "review", *args], input=keys, env={"EDITOR": editor}, catch_exceptions=False
    )
    return Result(result.exit_code, result.stdout, result.stderr)


def entry(root: Path, locale: str, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    found = polib.pofile(str(po_path(root, locale))).find(msgid, msgctxt=msgctxt)
    assert found is not None
    return found


def msgfmt_passes(root: Path, locale: str) -> None:
    checked = gnu("msgfmt", "-c", "-o", "/dev/null", str(po_path(root, locale)))
    assert checked.returncode == 0, checked.stderr


def test_accept_approves_a_changed_paragraph_and_records_the_reviewer(translated: Path) -> None:
    page = translated / "source" / "first-visit.md"
    page.write_text(PAGE.replace("your ID card", "your passport"), encoding="utf-8")
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    msgid = "Please bring your passport and a list of your medicines."
    assert entry(translated, "ko", msgid).fuzzy

    result = review(translated, "a\n", "--locale", "ko", "--reviewer", "Kim Jiwoo")

    assert result.code == 0, result.output
    assert "changed:  Please bring your [-ID card-]{+passport+} and a list" in result.stdout
    assert "checks:   passed" in result.stdout
    assert "ko: 1 accepted, 0 edited, 0 skipped; nothing left to review" in result.stdout
    accepted = entry(translated, "ko", msgid)
    assert not accepted.fuzzy and accepted.previous_msgid is None
    assert re.fullmatch(rf"reviewed: Kim Jiwoo {TODAY}", accepted.tcomment)
    assert "#| msgid" not in po_path(translated, "ko").read_text(encoding="utf-8")
    msgfmt_passes(translated, "ko")
    # The ar catalog was not under review: still fuzzy there.
    assert entry(translated, "ar", msgid).fuzzy


def test_skip_leaves_the_catalog_byte_identical(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    before = po_path(translated, "ko").read_bytes()

    result = review(translated, "s\n", "--locale", "ko", "--reviewer", "Kim")

    assert result.code == 0, result.output
    assert "ko: 0 accepted, 0 edited, 1 skipped; 1 still to review" in result.stdout
    assert po_path(translated, "ko").read_bytes() == before


def test_quit_stops_after_the_decisions_made_so_far(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit", "Before you arrive"})

    result = review(translated, "a\nq\n", "--locale", "ko", "--reviewer", "Kim")

    assert result.code == 0, result.output
    assert result.stdout.count("--- ") == 2  # the second entry was shown, then the reviewer quit
    assert not entry(translated, "ko", "First Visit").fuzzy
    assert entry(translated, "ko", "Before you arrive").fuzzy
    assert "1 still to review" in result.stdout


def test_end_of_input_quits_like_q(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    before = po_path(translated, "ko").read_bytes()
    result = review(translated, "", "--locale", "ko", "--reviewer", "Kim")
    assert result.code == 0 and "1 still to review" in result.stdout
    assert po_path(translated, "ko").read_bytes() == before


def test_edit_in_editor_then_accept(translated: Path, tmp_path: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf '%s\\n' '처음 방문하시는 분께' > \"$1\"\n", encoding="utf-8")
    editor.chmod(0o755)

    result = review(translated, "e\na\n", "--locale", "ko", "--reviewer", "Kim", editor=str(editor))

    assert result.code == 0, result.output
    assert "draft:    처음 방문하시는 분께" in result.stdout  # shown again, with fresh checks, before accepting
    edited = entry(translated, "ko", "First Visit")
    assert edited.msgstr == "처음 방문하시는 분께" and not edited.fuzzy
    assert "1 accepted, 1 edited" in result.stdout
    msgfmt_passes(translated, "ko")


def test_edit_inline_keeps_a_hard_line_break(translated: Path) -> None:
    msgid = "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first."
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={msgid})
    typed = "[예약](https://clinic.example/book)은 매일 가능합니다.\\\\\\n전화 주세요."

    result = review(translated, f"e\n{typed}\na\n", "--locale", "ko", "--reviewer", "Kim")

    assert result.code == 0, result.output
    assert "draft on one line: [예약 페이지](https://clinic.example/book)는 매일 열려 있습니다.\\\\\\n" in result.stdout
    edited = entry(translated, "ko", msgid)
    assert edited.msgstr == "[예약](https://clinic.example/book)은 매일 가능합니다.\\\n전화 주세요."
    assert not edited.fuzzy
    msgfmt_passes(translated, "ko")


def test_mandatory_disclaimer_with_an_error_needs_confirmation(translated: Path) -> None:
    write_glossary(translated, "bleeding,ko,출혈,required,side effect")
    broken = "※ 개인에 따라 부작용이 발생할 수 있습니다."  # bleeding left out
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], DISCLAIMER: broken}, fuzzy={DISCLAIMER, "First Visit"})
    before = po_path(translated, "ko").read_bytes()

    declined = review(translated, "a\nn\nq\n", "--locale", "ko", "--reviewer", "Kim")

    assert declined.code == 0, declined.output
    first = declined.stdout.split("--- ")[1]
    assert 'mandatory: the medical disclaimer (msgctxt "disclaimer")' in first  # shown first, alone
    assert "error glossary-required: 'bleeding' must be translated as '출혈'" in first
    assert "1 error(s): the page stays withheld until they are fixed. Accept anyway?" in declined.stdout
    assert "not accepted" in declined.stdout
    assert po_path(translated, "ko").read_bytes() == before

    confirmed = review(translated, "a\ny\nq\n", "--locale", "ko", "--reviewer", "Kim")

    assert confirmed.code == 0, confirmed.output
    disclaimer = entry(translated, "ko", DISCLAIMER, "disclaimer")
    assert not disclaimer.fuzzy and disclaimer.msgstr == broken
    assert entry(translated, "ko", "First Visit").fuzzy  # one decision accepts one entry
    # Approved but still failing a check: the gate keeps withholding the page.
    check = l10n(translated, "check", "--locale", "ko")
    assert check.code == 1 and "glossary-required" in check.stdout


def test_unreviewed_machine_translation_is_reviewed_even_without_fuzzy(translated: Path) -> None:
    path = po_path(translated, "ko")
    catalog = polib.pofile(str(path))
    catalog.find("Before you arrive").tcomment = "machine translation: pseudo 2025-01-02"
    catalog.save(str(path))
    assert l10n(translated, "update").code == 0  # back to GNU layout

    result = review(translated, "a\n", "--locale", "ko", "--reviewer", "Kim")

    assert result.code == 0, result.output
    assert "state:    not fuzzy | machine translation: pseudo 2025-01-02" in result.stdout
    lines = entry(translated, "ko", "Before you arrive").tcomment.split("\n")
    assert re.fullmatch(r"machine translation: pseudo 2025-01-02 draft:[0-9a-f]{12}", lines[0])
    assert re.fullmatch(rf"reviewed: Kim {TODAY}", lines[1])
    again = review(translated, "", "--locale", "ko", "--reviewer", "Kim")
    assert "0 accepted, 0 edited, 0 skipped; nothing left to review" in again.stdout
    msgfmt_passes(translated, "ko")


def test_a_new_review_replaces_the_old_reviewed_line(translated: Path) -> None:
    path = po_path(translated, "ko")
    catalog = polib.pofile(str(path))
    found = catalog.find("First Visit")
    found.tcomment = "reviewed: Old Name 2024-01-01\nkeep: the clinic prefers this title"
    found.flags.append("fuzzy")
    catalog.save(str(path))
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'reviewer = "Ada"\n', encoding="utf-8")

    assert review(translated, "a\n", "--locale", "ko").code == 0

    lines = entry(translated, "ko", "First Visit").tcomment.split("\n")
    assert lines[0] == "keep: the clinic prefers this title"
    assert re.fullmatch(rf"reviewed: Ada {TODAY}", lines[1])  # from [tool.l10n] reviewer


def test_unknown_locale_is_bad_input(translated: Path) -> None:
    result = review(translated, "a\n", "--locale", "de")
    assert result.code == 2 and "locale 'de' is not configured" in result.stderr


def test_an_entry_changed_on_disk_is_not_overwritten(translated: Path) -> None:
    from pipeline.config import load_config
    from pipeline.errors import InputError
    from pipeline.review import accept, pending, start

    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    session = start(load_config(translated), "ko")
    [item] = pending(session)
    translate_catalog(translated, "ko", {"First Visit": "첫 방문 안내"}, fuzzy={"First Visit"})  # a PO editor saved meanwhile
    before = po_path(translated, "ko").read_bytes()
    with pytest.raises(InputError, match="changed on disk since it was shown"):
        accept(session, item, "Kim")
    assert po_path(translated, "ko").read_bytes() == before
