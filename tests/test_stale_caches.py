"""Caches that cannot go stale: a change anywhere in the package, or another version of a library
that shapes output, renders the pages again instead of handing back the last build's bytes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, l10n

from pipeline import catalogs


def rendered(output: str) -> int:
    found = re.search(r"\((\d+) rendered\)", output)
    assert found, output
    return int(found.group(1))


def build_with(code: Path, root: Path) -> str:
    """``l10n build`` run by the copy of the package in ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-m", "pipeline", "--project", str(root), "build"],
                            capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("module", ["checks/registry.py", "translate/masking.py", "segments.py", "checks/gate.py"])
def test_an_edit_in_any_module_renders_pages_again(translated: Path, tmp_path: Path, module: str) -> None:
    code = tmp_path / "code"
    shutil.copytree(REPO / "pipeline", code / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    assert rendered(build_with(code, translated)) == 3
    assert "pipeline" not in {p.name for p in (translated / "output").iterdir()}
    assert rendered(build_with(code, translated)) == 0  # nothing changed: nothing rendered
    edited = code / "pipeline" / module
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# a later version\n", encoding="utf-8")
    assert rendered(build_with(code, translated)) == 3


def test_another_library_version_renders_pages_again(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    catalogs.code_version.cache_clear()
    assert rendered(l10n(translated, "build").stdout) == 3
    assert rendered(l10n(translated, "build").stdout) == 0
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "markdown-it-py" else real(name))
    catalogs.code_version.cache_clear()
    try:
        assert rendered(l10n(translated, "build").stdout) == 3
    finally:
        monkeypatch.undo()
        catalogs.code_version.cache_clear()
