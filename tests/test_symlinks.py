"""Inputs are read only from inside the project: a symbolic link in source/, locales/ or
templates/ that leads out of its folder is exit 2 naming the link, before anything is read or
written; such a folder may itself be a link within the project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import l10n, po_path, snapshot


@pytest.mark.parametrize(("link", "target"), [
    ("source/images/env.svg", "/proc/self/environ"),
    ("source/images", "/"),
    ("source/elsewhere.md", "{outside}/page.md"),
    ("locales/ko/LC_MESSAGES/messages.po", "{outside}/messages.po"),
    ("templates/page.html", "/etc/passwd"),
    ("templates", "{outside}"),
    ("source/images/gone.svg", "{outside}/missing.svg"),
    ("source/images/readme.svg", "../../pyproject.toml"),  # inside the project, but out of source/
])
def test_a_link_out_of_the_project_is_refused(translated: Path, tmp_path: Path, link: str, target: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.md").write_text((translated / "source" / "first-visit.md").read_text(), encoding="utf-8")
    shutil.copy(po_path(translated, "ko"), outside / "messages.po")
    (outside / "page.html").write_text("{{ 1 }}", encoding="utf-8")
    path = translated / link
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file():
        path.unlink()
    os.symlink(target.format(outside=outside), path)
    before = snapshot(translated)
    for command in ("build", "check", "extract", "update"):
        result = l10n(translated, command)
        assert result.code == 2, (command, result.output)
        assert f"error: {link}: a symbolic link to " in result.stderr and "outside its folder" in result.stderr
    assert snapshot(translated) == before
    assert not (translated / "output").exists()


def test_links_inside_the_project_are_files(translated: Path) -> None:
    shared = translated / "shared-templates"
    shared.mkdir()
    source = Path(__file__).parents[1] / "pipeline" / "templates" / "index.html"
    (shared / "index.html").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink("shared-templates", translated / "templates")
    assert l10n(translated, "build").code == 0
    assert (translated / "output" / "ko" / "index.html").is_file()
