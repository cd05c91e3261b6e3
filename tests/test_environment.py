"""What the pipeline takes from its environment: SOURCE_DATE_EPOCH, GNU gettext for the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import GETTEXT_INSTALL, REPO, l10n, po_path, snapshot

import pipeline.build
import pipeline.catalogs
import pipeline.config

BAD_EPOCHS = ["abc", "-5", "1e9", "1.5", " 12", "99999999999999999999"]


def _with_new_locale(root: Path) -> None:
    """Configure ja without a catalog, so update and translate have something to write."""
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('locales = ["ko", "ar"]', 'locales = ["ko", "ar", "ja"]'), encoding="utf-8")


@pytest.mark.parametrize("epoch", BAD_EPOCHS)
@pytest.mark.parametrize(
    "command",
    [
        ("extract",),
        ("update",),
        ("init", "--locale", "vi"),
        ("translate", "--provider", "pseudo", "--locale", "ko"),
        ("translate", "--provider", "libre", "--dry-run"),
    ],
)
def test_a_bad_source_date_epoch_is_exit_2_and_nothing_is_written(
    project: Path, monkeypatch: pytest.MonkeyPatch, epoch: str, command: tuple[str, ...]
) -> None:
    (project / "locales" / "messages.pot").unlink()  # extract would write it
    _with_new_locale(project)
    if command[0] != "extract":
        assert l10n(project, "extract").code == 0
    before = snapshot(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)

    result = l10n(project, *command)

    assert result.code == 2, result.output
    assert f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not {epoch!r}" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project) == before


def test_a_good_source_date_epoch_dates_the_template_the_new_catalogs_and_machine_drafts(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "locales" / "messages.pot").unlink()
    _with_new_locale(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert l10n(project, "extract").code == 0
    assert l10n(project, "update").code == 0
    assert l10n(project, "translate", "--provider", "pseudo", "--locale", "ja").code == 0

    pot = polib.pofile(str(project / "locales" / "messages.pot"))
    assert pot.metadata["POT-Creation-Date"] == "2023-11-14 22:13+0000"
    ja = polib.pofile(str(po_path(project, "ja")))
    assert ja.metadata["PO-Revision-Date"] == "2023-11-14 22:13+0000"
    assert {e.tcomment for e in ja if e.msgstr} == {"machine translation: pseudo 2023-11-14"}


def test_an_empty_source_date_epoch_means_now(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    (project / "locales" / "messages.pot").unlink()
    assert l10n(project, "extract").code == 0


def test_without_gnu_gettext_the_suite_fails_with_the_install_command(tmp_path: Path) -> None:
    """As a missing Chromium does: a reference that is not there is a failure, never a skip."""
    empty = tmp_path / "bin"  # a PATH without msgfmt, msgcat, msgmerge
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    selection = "tests/test_merge.py::test_fstrcmp_known_values"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", selection]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0, result.stdout
    output = result.stdout + result.stderr
    assert "GNU gettext is missing (msgfmt, msgcat, msgmerge, msgunfmt not on PATH)" in output
    assert GETTEXT_INSTALL in output and "skipped" not in output
    # and with gettext on PATH the same selection passes
    rerun = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr


def test_dead_code_is_gone() -> None:
    """Helpers nothing called (each grepped before removal): nothing may grow to depend on them."""
    assert not hasattr(pipeline.catalogs, "approved")
    assert not hasattr(pipeline.catalogs, "nplurals")
    assert not hasattr(pipeline.config.Config, "with_locales")
    assert not hasattr(pipeline.build, "is_approved")
