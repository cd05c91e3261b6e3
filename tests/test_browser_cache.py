"""The browser's verdicts are kept: a page version whose bytes, site files, expected text, code,
Chromium and fonts are unchanged is not loaded again; a change loads exactly what it touches."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from conftest import TRANSLATIONS, Kept, Result, l10n, make_translated, translate_catalog


@pytest.fixture(scope="module")
def chromium_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Debian's Chromium behind a script that counts its launches (one path for the module: the
    verdicts are kept for one Chromium binary)."""
    folder = tmp_path_factory.mktemp("chromium")
    log = folder / "launches"
    wrapper = folder / "chromium"
    wrapper.write_text(f'#!/bin/sh\necho launched >> "{log}"\nexec /usr/bin/chromium "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


@pytest.fixture
def counted_chromium(chromium_log: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The counting Chromium, its count at zero."""
    wrapper, log = chromium_log
    log.unlink(missing_ok=True)
    monkeypatch.setenv("L10N_CHROMIUM", str(wrapper))
    return log


@pytest.fixture(scope="module")
def first_check(tmp_path_factory: pytest.TempPathFactory, chromium_log: tuple[Path, Path]) -> tuple[Kept, Result, int]:
    """The tiny project built and checked in Chromium for the first time (made once): the
    project as that check left it, put back for each test; its result; Chromium's launches."""
    wrapper, log = chromium_log
    log.unlink(missing_ok=True)
    root = make_translated(tmp_path_factory.mktemp("first") / "site")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("L10N_CHROMIUM", str(wrapper))
        assert l10n(root, "build").code == 0
        first = l10n(root, "check", "--browser")
    return Kept(root), first, launches(log)


def launches(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def unchanged(output: str) -> int:
    found = re.search(r"\((\d+) unchanged: verdicts from \.cache/\)", output)
    return int(found.group(1)) if found else 0


def test_an_unchanged_site_loads_no_page(first_check: tuple[Kept, Result, int], counted_chromium: Path) -> None:
    kept, first, launched = first_check
    translated = kept.restore()
    assert first.code == 0 and launched >= 1 and unchanged(first.stdout) == 0
    before = launches(counted_chromium)
    again = l10n(translated, "check", "--browser")
    assert again.code == 0 and unchanged(again.stdout) == 7  # 3 pages, 3 indexes, the chooser
    assert launches(counted_chromium) == before  # Chromium not even started

    # one translation changed: the Korean page alone is laid out again
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], "Before you arrive": "도착하시기 전에"})
    assert l10n(translated, "build").code == 0
    third = l10n(translated, "check", "--browser")
    assert third.code == 0 and unchanged(third.stdout) == 6 and launches(counted_chromium) == before + 1


def test_a_copy_of_a_checked_project_elsewhere_keeps_every_verdict(first_check: tuple[Kept, Result, int],
                                                                    counted_chromium: Path, tmp_path: Path) -> None:
    """Another clone, a CI cache restored elsewhere: the verdicts are keyed by each page's place in
    output/, not by where the project is."""
    kept, _first, _launched = first_check
    elsewhere = tmp_path / "another clone"
    shutil.copytree(kept.restore(), elsewhere, symlinks=True)
    again = l10n(elsewhere, "check", "--browser")
    assert again.code == 0 and unchanged(again.stdout) == 7
    assert launches(counted_chromium) == 0

    # a page changed in the copy is laid out again, alone
    page = next((elsewhere / "output" / "ko").glob("*.html"))
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = l10n(elsewhere, "check", "--browser")
    assert third.code == 0 and unchanged(third.stdout) == 6 and launches(counted_chromium) == 1


def test_a_failing_verdict_is_kept_too_and_a_stylesheet_change_loads_every_page(translated: Path,
                                                                                counted_chromium: Path) -> None:
    templates = translated / "templates"
    templates.mkdir()
    css = (Path(__file__).parents[1] / "pipeline" / "templates" / "style.css").read_text(encoding="utf-8")
    (templates / "style.css").write_text(css + "\n.disclaimer { color: #fff8e6; }\n", encoding="utf-8")
    assert l10n(translated, "build").code == 0
    first = l10n(translated, "check", "--browser")
    assert first.code == 1 and "disclaimer-browser" in first.stdout
    again = l10n(translated, "check", "--browser")
    assert again.code == 1 and unchanged(again.stdout) == 7  # the cache never turns a failure into a pass
    assert again.stdout.count("disclaimer-browser") == first.stdout.count("disclaimer-browser")
    (templates / "style.css").write_text(css, encoding="utf-8")
    assert l10n(translated, "build").code == 0
    fixed = l10n(translated, "check", "--browser")
    assert fixed.code == 0 and unchanged(fixed.stdout) == 0


def test_other_fonts_mean_another_verdict(first_check: tuple[Kept, Result, int], counted_chromium: Path,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept, first, _ = first_check
    translated = kept.restore()
    assert first.code == 0
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    "</fontconfig>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    again = l10n(translated, "check", "--browser")
    assert again.code == 0 and unchanged(again.stdout) == 0
    assert os.environ["FONTCONFIG_FILE"] == str(conf)


def test_a_check_of_one_locale_keeps_the_other_verdicts(first_check: tuple[Kept, Result, int],
                                                        counted_chromium: Path) -> None:
    kept, first, _ = first_check
    translated = kept.restore()
    assert first.code == 0
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], "Before you arrive": "도착하시기 전에"})
    assert l10n(translated, "build").code == 0
    korean = l10n(translated, "check", "--browser", "--locale", "ko")
    assert korean.code == 0 and unchanged(korean.stdout) == 1  # the Korean index; the page was laid out
    before = launches(counted_chromium)
    everything = l10n(translated, "check", "--browser")
    assert everything.code == 0 and unchanged(everything.stdout) == 7  # English and Arabic kept too
    assert launches(counted_chromium) == before
