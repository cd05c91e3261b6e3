"""Front matter an editor gets wrong is refused with `path:line` (exit 2), nothing written:
a slug the site itself uses, a date no calendar has, a key written twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import l10n, snapshot


def _edit(root: Path, old: str, new: str) -> None:
    page = root / "source" / "first-visit.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def _move_page(root: Path, slug: str) -> Path:
    """The page under another slug (file name and front matter agree, as they must)."""
    old = root / "source" / "first-visit.md"
    new = root / "source" / f"{slug}.md"
    new.write_text(old.read_text(encoding="utf-8").replace("slug: first-visit", f"slug: {slug}"), encoding="utf-8")
    old.unlink()
    return new


@pytest.mark.parametrize("slug", ["index", "sitemap", "style", "manifest", "images", "en", "ko", "ar"])
def test_a_slug_the_site_writes_itself_is_refused(project: Path, slug: str) -> None:
    _move_page(project, slug)
    before = snapshot(project)
    for command in ("extract", "build"):
        result = l10n(project, command)
        assert result.code == 2, result.output
        assert f"source/{slug}.md:3: slug {slug!r} is a name the site itself uses" in result.stderr
        assert "Traceback" not in result.output
    assert snapshot(project) == before
    assert not (project / "output" / "en" / f"{slug}.html").exists()


def test_a_slug_that_only_starts_like_a_reserved_name_builds(project: Path) -> None:
    _move_page(project, "index-of-procedures")
    assert l10n(project, "extract").code == 0
    assert l10n(project, "update").code == 0
    result = l10n(project, "build")
    assert result.code in (0, 1), result.output  # ko and ar are untranslated: withheld, not an error
    assert (project / "output" / "en" / "index-of-procedures.html").is_file()
    assert (project / "output" / "en" / "index.html").is_file()


def test_a_locale_added_later_makes_its_tag_reserved(project: Path) -> None:
    _move_page(project, "ja")
    assert l10n(project, "extract").code == 0  # no ja locale yet: an ordinary name
    result = l10n(project, "init", "--locale", "ja")
    assert result.code == 2, result.output
    assert "source/ja.md:3: slug 'ja' is a name the site itself uses" in result.stderr


@pytest.mark.parametrize(
    "value, line",
    [
        ("date: 2024-13-45", 5),  # YAML takes it for a timestamp, the calendar has no month 13
        ("date: 2024-02-30", 5),
        ("date: 2024-01-05 25:00:00", 5),
        ('date: "2024-13-45"', 5),  # quoted: a string, still no date
        ("date: next Tuesday", 5),
        ("reviewed:\n  on: 2024-13-45", 6),  # any key: a timestamp YAML cannot make is reported where it is
    ],
)
def test_an_invalid_date_is_refused_with_its_line(project: Path, value: str, line: int) -> None:
    _edit(project, "disclaimer:", f"{value}\ndisclaimer:")
    before = snapshot(project)
    result = l10n(project, "extract")
    assert result.code == 2, result.output
    assert f"source/first-visit.md:{line}: invalid date" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize("value", ["date: 2024-02-29", 'date: "2024-06-01"', "date: 2024-06-01T09:30:00"])
def test_a_real_date_builds(project: Path, value: str) -> None:
    _edit(project, "disclaimer:", f"{value}\ndisclaimer:")
    assert l10n(project, "extract").code == 0
    assert l10n(project, "build").code in (0, 1)
    assert (project / "output" / "en" / "first-visit.html").is_file()


@pytest.mark.parametrize(
    "duplicate, line",
    [
        ("title: Second Visit", 5),  # the later one used to win silently
        ("slug: first-visit", 5),  # even with the same value
        ("extra:\n  a: 1\n  a: 2", 7),  # inside a nested mapping too
    ],
)
def test_a_duplicate_key_is_refused_with_the_line_of_the_second(project: Path, duplicate: str, line: int) -> None:
    _edit(project, "disclaimer:", f"{duplicate}\ndisclaimer:")
    before = snapshot(project)
    result = l10n(project, "extract")
    assert result.code == 2, result.output
    key = duplicate.split(":")[0] if "\n" not in duplicate else "a"
    assert f"source/first-visit.md:{line}: duplicate front matter key {key!r}" in result.stderr
    assert snapshot(project) == before


def test_equal_keys_in_different_mappings_are_fine(project: Path) -> None:
    _edit(project, "disclaimer:", "gallery:\n  - title: Start\n  - title: Finish\ndisclaimer:")
    assert l10n(project, "extract").code == 0
    assert "Finish" not in (project / "locales" / "messages.pot").read_text(encoding="utf-8")

