"""A one-word English edit keeps the translated page up with its previous translation and a
translated "may be out of date" notice, when that translation is known to have been published.

Known from the build's record of what it published (`.cache/published.json`), never guessed: a
machine draft, a translation nobody published, a changed disclaimer, or no record at all, and
the page is withheld as before.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import DISCLAIMER, TRANSLATIONS, l10n, po_path, translate_catalog

OLD = "Please bring your ID card and a list of your medicines."
NEW = "Please bring your passport and a list of your medicines."
KO_OLD = TRANSLATIONS["ko"][OLD]
AR_OLD = TRANSLATIONS["ar"][OLD]
NOTICE = "The English page changed on %(date)s; this translation may be out of date."


def edit_english(root: Path, old: str = "your ID card", new: str = "your passport") -> None:
    page = root / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0


def page(root: Path, tag: str, slug: str = "first-visit") -> str:
    return (root / "output" / tag / f"{slug}.html").read_text(encoding="utf-8")


def msgid_line(root: Path, locale: str, msgid: str) -> int:
    """The line of ``msgid "<msgid>"`` in the catalog, found by hand."""
    lines = po_path(root, locale).read_text(encoding="utf-8").split("\n")
    return lines.index(f'msgid "{msgid}"') + 1


def set_mtime(root: Path, when: str) -> None:
    import datetime

    seconds = datetime.datetime.fromisoformat(when).replace(tzinfo=datetime.timezone.utc).timestamp()
    os.utime(root / "source" / "first-visit.md", (seconds, seconds))


@pytest.fixture
def published(translated: Path) -> Path:
    """The tiny project, approved in ko and ar and built once: its translations are published."""
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    return translated


def test_a_one_word_edit_keeps_the_page_with_the_previous_translation_and_a_notice(published: Path) -> None:
    edit_english(published)
    set_mtime(published, "2026-03-05T10:00:00")
    entry = polib.pofile(str(po_path(published, "ko"))).find(NEW)
    assert entry.fuzzy and entry.previous_msgid == OLD  # what msgmerge made of the edit

    result = l10n(published, "build")
    assert result.code == 0, result.output
    line = msgid_line(published, "ko", NEW)
    assert f"outdated: first-visit [ko]: shown with translations of the previous English: " \
           f"locales/ko/LC_MESSAGES/messages.po:{line}" in result.stdout
    ko = page(published, "ko")
    assert KO_OLD in ko  # the previous translation stays up
    notice = re.search(r'<p class="l10n-outdated">(.*)</p>', ko)
    assert notice is not None
    # the notice is a template string: English here (not translated in this tiny project),
    # with the date in the locale's own words (Babel) and a link to the English page
    assert notice.group(1) == ('The English page changed on 2026년 3월 5일; this translation may be out of date. '
                               '<a href="../en/first-visit.html" hreflang="en" lang="en">English</a>')
    ar = page(published, "ar")
    assert AR_OLD in ar and "l10n-outdated" in ar and "5 مارس 2026" in ar
    assert "l10n-outdated" not in page(published, "en")
    assert "ko/first-visit.html" in page(published, "en")  # still linked from the English page
    # stats and check list it; check passes
    stats = l10n(published, "stats")
    assert f"first-visit [ko]: locales/ko/LC_MESSAGES/messages.po:{line}" in stats.stdout
    assert "1/1 publishable" in stats.stdout
    check = l10n(published, "check")
    assert check.code == 0, check.output
    assert f"locales/ko/LC_MESSAGES/messages.po:{line}: warning: outdated: first-visit: the English changed" \
        in check.stdout
    # a rebuild keeps it (the record still knows why), and does nothing
    again = l10n(published, "build")
    assert "(0 rendered), 0 files written" in again.stdout and KO_OLD in page(published, "ko")


def test_the_notice_is_translated_from_the_catalog(published: Path) -> None:
    edit_english(published)
    set_mtime(published, "2026-03-05T10:00:00")
    translate_catalog(published, "ko", {NOTICE: "영어 페이지가 %(date)s에 변경되었습니다. 이 번역은 최신이 아닐 수 있습니다."})
    assert l10n(published, "build").code == 0
    assert '<p class="l10n-outdated">영어 페이지가 2026년 3월 5일에 변경되었습니다. 이 번역은 최신이 아닐 수 있습니다. ' \
           '<a href="../en/first-visit.html"' in page(published, "ko")


def test_reviewing_the_entry_removes_the_notice(published: Path) -> None:
    from test_review import review

    edit_english(published)
    assert "l10n-outdated" in (l10n(published, "build") and page(published, "ko"))
    # the reviewer sees the word diff, corrects the translation and accepts it
    reviewed = review(published, "e\n여권과 복용 중인 약 목록을 지참해 주세요.\na\n", "--locale", "ko", "--reviewer", "Kim")
    assert reviewed.code == 0, reviewed.output
    assert "[-ID card-]{+passport+}" in reviewed.stdout
    result = l10n(published, "build")
    assert "outdated: first-visit [ko]" not in result.stdout
    ko = page(published, "ko")
    assert "l10n-outdated" not in ko and "여권" in ko and KO_OLD not in ko
    assert "l10n-outdated" in page(published, "ar")  # ar still waits for its review
    # the ar reviewer finds the previous translation still right and accepts it as it is
    assert review(published, "a\n", "--locale", "ar", "--reviewer", "Layla").code == 0
    assert l10n(published, "build").code == 0
    assert "l10n-outdated" not in page(published, "ar") and AR_OLD in page(published, "ar")


@pytest.mark.parametrize("record", [None, "{not json", '{"ko": 7}'])
def test_without_a_record_of_the_publication_the_page_is_withheld(published: Path, record: str | None) -> None:
    path = published / ".cache" / "published.json"
    assert KO_OLD in path.read_text(encoding="utf-8")  # the build recorded what it published
    path.unlink() if record is None else path.write_text(record, encoding="utf-8")
    edit_english(published)
    result = l10n(published, "build")
    line = msgid_line(published, "ko", NEW)
    assert f"not published: first-visit [ko]: 83% approved, below the publish threshold of 100%: " \
           f"locales/ko/LC_MESSAGES/messages.po:{line} (fuzzy: its English changed)" in result.stdout
    assert not (published / "output" / "ko" / "first-visit.html").exists()


def test_a_translation_that_was_never_published_is_not_outdated(published: Path) -> None:
    edit_english(published)
    # the translator changed the fuzzy draft without approving it: that text was never published
    translate_catalog(published, "ko", {NEW: "여권을 지참해 주세요."}, fuzzy={NEW})
    assert polib.pofile(str(po_path(published, "ko"))).find(NEW).previous_msgid == OLD
    result = l10n(published, "build")
    assert "not published: first-visit [ko]" in result.stdout
    assert not (published / "output" / "ko" / "first-visit.html").exists()
    assert "l10n-outdated" in page(published, "ar")  # ar's translation is the published one


def test_a_machine_draft_is_a_draft_not_outdated(project: Path) -> None:
    translate_catalog(project, "ar", TRANSLATIONS["ar"])
    table = {k: v for k, v in TRANSLATIONS["ko"].items() if k != OLD}
    translate_catalog(project, "ko", table)
    catalog = polib.pofile(str(po_path(project, "ko")))
    draft = catalog.find(OLD)
    draft.msgstr, draft.flags, draft.tcomment = KO_OLD, [], "machine translation: libre 2026-12-01"
    from pipeline.catalogs import write_catalog

    write_catalog(po_path(project, "ko"), catalog)  # the fuzzy flag cleared in an editor, never reviewed
    assert l10n(project, "build").code == 0
    assert KO_OLD in page(project, "ko")  # approved by the PO convention, so published
    edit_english(project)
    result = l10n(project, "build")
    assert "not published: first-visit [ko]" in result.stdout and "(unreviewed machine translation)" in result.stdout
    assert not (project / "output" / "ko" / "first-visit.html").exists()


def test_a_changed_disclaimer_withholds_as_before(published: Path) -> None:
    edit_english(published, "bleeding may occur", "bleeding or swelling may occur")
    result = l10n(published, "build")
    assert result.code == 1
    assert "WITHHELD: first-visit [ko]: the disclaimer is fuzzy (needs review): locales/ko/LC_MESSAGES/messages.po:" \
        in result.stderr
    assert not (published / "output" / "ko" / "first-visit.html").exists()
    assert "outdated: first-visit" not in result.stdout


def test_outdated_english_shows_the_block_in_english(published: Path) -> None:
    pyproject = published / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'outdated = "english"\n', encoding="utf-8")
    edit_english(published)
    result = l10n(published, "build")
    assert result.code == 0 and "outdated: first-visit [ko]" in result.stdout
    ko = page(published, "ko")
    assert KO_OLD not in ko and '<p lang="en">Please bring your passport' in ko
    assert "l10n-outdated" not in ko and "partial-notice" in ko


def test_outdated_withhold_is_the_old_behaviour(published: Path) -> None:
    pyproject = published / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'outdated = "withhold"\n', encoding="utf-8")
    edit_english(published)
    result = l10n(published, "build")
    assert "not published: first-visit [ko]" in result.stdout
    assert not (published / "output" / "ko" / "first-visit.html").exists()


def test_an_unknown_outdated_mode_is_bad_input(published: Path) -> None:
    pyproject = published / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'outdated = "keep"\n', encoding="utf-8")
    result = l10n(published, "build")
    assert result.code == 2 and "pyproject.toml:11: outdated must be one of" in result.stderr


def test_strict_publish_refuses_an_outdated_page(published: Path, tmp_path: Path) -> None:
    edit_english(published)
    dest = tmp_path / "www"
    strict = l10n(published, "publish", "--dest", str(dest), "--strict")
    assert strict.code == 1 and "first-visit [ko]: outdated: locales/ko/LC_MESSAGES/messages.po:" in strict.stderr
    assert not dest.exists()
    result = l10n(published, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    assert KO_OLD in (dest / "ko" / "first-visit.html").read_text(encoding="utf-8")


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@clinic.example",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@clinic.example"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_the_date_is_the_last_commit_of_the_english_page(published: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(published, "init", "-q")
    git(published, "add", "source")
    git(published, "commit", "-q", "-m", "first", date="2025-01-10T09:00:00+00:00")
    edit_english(published)
    git(published, "commit", "-q", "-am", "passport", date="2026-07-21T09:00:00+00:00")
    set_mtime(published, "2030-01-01T00:00:00")  # a checkout's file time is not the change
    assert l10n(published, "build").code == 0
    assert "The English page changed on 2026년 7월 21일;" in page(published, "ko")


def test_an_uncommitted_edit_takes_the_file_time_clamped_to_source_date_epoch(published: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    edit_english(published)
    set_mtime(published, "2026-09-30T12:00:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    assert l10n(published, "build").code == 0
    assert "The English page changed on 2026년 5월 28일;" in page(published, "ko")


def test_the_disclaimer_text_of_an_outdated_page_still_passes_the_gate(published: Path) -> None:
    edit_english(published)
    assert l10n(published, "build").code == 0
    assert f'role="note" aria-label="의료 고지">{TRANSLATIONS["ko"][DISCLAIMER]}</aside>' in page(published, "ko")
    assert l10n(published, "check").code == 0  # the gate re-checks the rendered outdated page


LOCALES = ("ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar")


def test_the_shipped_site_keeps_all_eight_languages_after_a_one_word_edit(repo_copy: Path) -> None:
    assert l10n(repo_copy, "build").code == 0
    page_path = repo_copy / "source" / "mini-facelift.md"
    english = page_path.read_text(encoding="utf-8")
    page_path.write_text(english.replace("a shorter recovery period", "a short recovery period"), encoding="utf-8")
    assert l10n(repo_copy, "extract").code == 0 and l10n(repo_copy, "update").code == 0
    result = l10n(repo_copy, "build")
    assert result.code == 0, result.output
    for locale in LOCALES:
        assert f"outdated: mini-facelift [{locale}]" in result.stdout
        html = page(repo_copy, locale.replace("_", "-"), "mini-facelift")
        notice = re.search(r'<p class="l10n-outdated">(.*?) <a href="../en/mini-facelift.html"', html)
        assert notice is not None, locale
        assert "English page changed" not in notice.group(1), locale  # translated in every shipped catalog
        assert "<" not in notice.group(1)
    assert l10n(repo_copy, "check").code == 0
    # the disclaimer changes: every language withholds the page, as before
    page_path.write_text(english.replace("※ Side effects such as", "※ Side effects, such as"), encoding="utf-8")
    assert l10n(repo_copy, "extract").code == 0 and l10n(repo_copy, "update").code == 0
    withheld = l10n(repo_copy, "build")
    assert withheld.code == 1
    for locale in LOCALES:
        assert f"WITHHELD: mini-facelift [{locale}]: the disclaimer is fuzzy (needs review)" in withheld.stderr
        assert not (repo_copy / "output" / locale.replace("_", "-") / "mini-facelift.html").exists()


def test_the_stats_dashboard_lists_outdated_pages(published: Path, tmp_path: Path) -> None:
    edit_english(published)
    assert l10n(published, "build").code == 0
    dashboard = tmp_path / "stats.html"
    assert l10n(published, "stats", "--html", str(dashboard)).code == 0
    html = dashboard.read_text(encoding="utf-8")
    line = msgid_line(published, "ko", NEW)
    assert '<tr class="outdated-row" data-locale="ko" data-slug="first-visit">' in html
    assert f"<li>locales/ko/LC_MESSAGES/messages.po:{line}</li>" in html
    rows = {row["locale"]: row for row in json.loads(l10n(published, "stats", "--format", "json").stdout)}
    assert rows["ko"]["outdated"] == 1
    assert rows["ko"]["pages"][0]["outdated"] == [f"locales/ko/LC_MESSAGES/messages.po:{line}"]
