"""The browser's verdicts are kept: a page version whose bytes, site files, expected text, code,
Chromium and fonts are unchanged is not loaded again; a change loads exactly what it touches."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from conftest import TRANSLATIONS, l10n, translate_catalog


@pytest.fixture
def counted_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Debian's Chromium behind a script that counts its launches."""
    log = tmp_path / "launches"
    wrapper = tmp_path / "chromium"
    wrapper.write_text(f'#!/bin/sh\necho launched >> "{log}"\nexec /usr/bin/chromium "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("L10N_CHROMIUM", str(wrapper))
    return log


def launches(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def unchanged(output: str) -> int:
    found = re.search(r"\((\d+) unchanged: verdicts from \.cache/\)", output)
    return int(found.group(1)) if found else 0


def test_an_unchanged_site_loads_no_page(translated: Path, counted_chromium: Path) -> None:
    assert l10n(translated, "build").code == 0
    first = l10n(translated, "check", "--browser")
    assert first.code == 0 and launches(counted_chromium) >= 1 and unchanged(first.stdout) == 0
    before = launches(counted_chromium)
    again = l10n(translated, "check", "--browser")
    assert again.code == 0 and unchanged(again.stdout) == 7  # 3 pages, 3 indexes, the chooser
    assert launches(counted_chromium) == before  # Chromium not even started

    # one translation changed: the Korean page alone is laid out again
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], "Before you arrive": "도착하시기 전에"})
    assert l10n(translated, "build").code == 0
    third = l10n(translated, "check", "--browser")
    assert third.code == 0 and unchanged(third.stdout) == 6 and launches(counted_chromium) == before + 1


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


def test_other_fonts_mean_another_verdict(translated: Path, counted_chromium: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert l10n(translated, "build").code == 0
    assert l10n(translated, "check", "--browser").code == 0
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    "</fontconfig>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    again = l10n(translated, "check", "--browser")
    assert again.code == 0 and unchanged(again.stdout) == 0
    assert os.environ["FONTCONFIG_FILE"] == str(conf)
