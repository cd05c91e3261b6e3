"""Shipped catalogs are in GNU gettext's layout: a msgcat/msgmerge run or an editor's save
leaves no diff, and a catalog someone re-wrapped goes back to the canonical layout once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, gnu, l10n, po_path

CATALOGS = sorted(REPO.glob("locales/**/*.po")) + [REPO / "locales" / "messages.pot"]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_catalog_equals_msgcat_output(path: Path, tmp_path: Path) -> None:
    from pipeline.catalogs import format_catalog, read_catalog
    from pipeline.config import Config

    wrapped = gnu("msgcat", "--width=79", str(path))
    assert wrapped.returncode == 0, wrapped.stderr
    assert path.read_text(encoding="utf-8") == wrapped.stdout
    unwrapped = gnu("msgcat", "--no-wrap", str(path))
    catalog = read_catalog(path, Config(root=REPO))
    assert format_catalog(catalog, 0) == unwrapped.stdout


def test_msgmerge_on_a_shipped_catalog_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "ko.po"
    shutil.copy(REPO / "locales" / "ko" / "LC_MESSAGES" / "messages.po", target)
    result = gnu("msgmerge", "--quiet", "--previous", "-o", str(tmp_path / "merged.po"), str(target),
                 str(REPO / "locales" / "messages.pot"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "merged.po").read_bytes() == target.read_bytes()


@pytest.mark.parametrize("style", ["--no-wrap", "--width=40", "--width=79"])
def test_rewrapped_catalog_updates_without_churn(translated: Path, style: str) -> None:
    path = po_path(translated, "ko")
    canonical = path.read_bytes()
    rewrapped = gnu("msgcat", style, "-o", str(path), str(path))
    assert rewrapped.returncode == 0
    assert l10n(translated, "update").code == 0
    assert path.read_bytes() == canonical  # the first save after another tool may reformat...
    assert l10n(translated, "update").code == 0
    assert path.read_bytes() == canonical  # ...and nothing after that does


def test_po_width_zero_writes_like_no_wrap(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("lock_timeout = 5", "lock_timeout = 5\npo_width = 0"),
                         encoding="utf-8")
    path = po_path(translated, "ar")
    expected = gnu("msgcat", "--no-wrap", str(path)).stdout
    assert l10n(translated, "update").code == 0
    assert path.read_text(encoding="utf-8") == expected
