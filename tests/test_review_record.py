"""The disclaimer is published only with a named review record (`# reviewed: NAME DATE`):
clearing `fuzzy` on a machine draft, in a PO editor or with `msgattrib --clear-fuzzy`, is not a review."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from click.testing import CliRunner

from conftest import DISCLAIMER, REPO, TRANSLATIONS, Result, gnu, l10n, po_path, translate_catalog
from pipeline.cli import main

KO_PAGE = Path("output/ko/first-visit.html")
AR_PAGE = Path("output/ar/first-visit.html")


def set_disclaimer_comment(root: Path, locale: str, comment: str, fuzzy: bool = False) -> None:
    """Write the disclaimer's translator comments as a text editor would (the PO text itself)."""
    path = po_path(root, locale)
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index('msgctxt "disclaimer"')
    start = at
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    kept = [line for line in lines[start:at] if not line.startswith("# ") and line != "#, fuzzy"]
    written = [f"# {c}" for c in comment.split("\n") if c] + (["#, fuzzy"] if fuzzy else [])
    lines[start:at] = written + kept
    path.write_text("\n".join(lines), encoding="utf-8")
    assert gnu("msgfmt", "-c", "-o", "/dev/null", str(path)).returncode == 0


@pytest.mark.parametrize(("comment", "reason"), [
    ("machine translation: libre 2026-12-01", " is a machine translation ('machine translation: libre 2026-12-01') "
                                              "with no review record"),
    ("", " has no review record"),
    ("reviewed: Kim", "'s review record 'reviewed: Kim' does not read '# reviewed: NAME YYYY-MM-DD'"),
    ("reviewed: Kim 2026-13-45", "'s review record 'reviewed: Kim 2026-13-45' does not read"),
    ("reviewed by Kim 2026-12-01", " has no review record"),
    ("translator: reviewed: Kim 2026-12-01", " has no review record"),
])
def test_an_approved_disclaimer_without_a_review_record_is_withheld(
    translated: Path, comment: str, reason: str
) -> None:
    set_disclaimer_comment(translated, "ko", comment)
    assert not polib.pofile(str(po_path(translated, "ko"))).find(DISCLAIMER, msgctxt="disclaimer").fuzzy

    build = l10n(translated, "build")

    assert build.code == 1
    assert f"WITHHELD: first-visit [ko]: the disclaimer{reason}" in build.stderr
    assert not (translated / KO_PAGE).exists() and (translated / AR_PAGE).is_file()
    check = l10n(translated, "check")
    assert check.code == 1 and "disclaimer-gate" in check.stdout and reason in check.stdout


@pytest.mark.parametrize("comment", [
    "reviewed: Park Minji 2026-12-01",
    "machine translation: libre 2026-11-30 draft:0123456789ab\nreviewed: Park Minji 2026-12-01",
    "keep: the clinic prefers this wording\nreviewed: 박민지 2026-12-01",
])
def test_a_review_recorded_by_hand_publishes(translated: Path, comment: str) -> None:
    set_disclaimer_comment(translated, "ko", comment)

    build = l10n(translated, "build")

    assert build.code == 0, build.output
    assert (translated / KO_PAGE).is_file()
    assert l10n(translated, "check").code == 0


def test_a_review_record_does_not_publish_a_fuzzy_disclaimer(translated: Path) -> None:
    set_disclaimer_comment(translated, "ko", "reviewed: Park Minji 2026-12-01", fuzzy=True)
    build = l10n(translated, "build")
    assert build.code == 1 and "first-visit [ko]: the disclaimer is fuzzy" in build.stderr


def test_clearing_fuzzy_on_a_machine_draft_is_not_a_review(translated: Path) -> None:
    set_disclaimer_comment(translated, "ko", "machine translation: libre 2026-12-01", fuzzy=True)
    path = po_path(translated, "ko")
    cleared = gnu("msgattrib", "--clear-fuzzy", "-o", str(path), str(path))
    assert cleared.returncode == 0, cleared.stderr
    assert not polib.pofile(str(path)).find(DISCLAIMER, msgctxt="disclaimer").fuzzy

    build = l10n(translated, "build")

    assert build.code == 1 and "is a machine translation" in build.stderr
    assert not (translated / KO_PAGE).exists()
    stats = l10n(translated, "stats")
    assert "first-visit [ko]: the disclaimer is a machine translation" in stats.stdout


def test_l10n_review_offers_an_unreviewed_disclaimer_and_accepting_publishes_it(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], reviewed=False)
    assert l10n(translated, "build").code == 1

    result = l10n_review(translated, "a\n", "--locale", "ko", "--reviewer", "Park Minji")

    assert result.code == 0, result.output
    assert 'mandatory: the medical disclaimer (msgctxt "disclaimer")' in result.stdout
    entry = polib.pofile(str(po_path(translated, "ko"))).find(DISCLAIMER, msgctxt="disclaimer")
    assert entry.tcomment.startswith("reviewed: Park Minji 20")
    assert l10n(translated, "build").code == 0
    assert (translated / KO_PAGE).is_file()


def l10n_review(root: Path, keys: str, *args: str) -> Result:
    """`l10n review` with ``keys`` typed on stdin."""
    result = CliRunner().invoke(main, ["--project", str(root), "review", *args], input=keys, env={"EDITOR": None},
                                catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("locale", ["ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar"])
def test_shipped_disclaimers_carry_a_review_record(locale: str) -> None:
    from pipeline.checks.records import review_record

    catalog = polib.pofile(str(REPO / "locales" / locale / "LC_MESSAGES" / "messages.po"))
    [disclaimer] = [e for e in catalog if e.msgctxt == "disclaimer" and not e.obsolete]
    record = review_record(disclaimer)
    assert record is not None and record.reviewer == "Clinic translation team" and record.date == "2026-11-26"
