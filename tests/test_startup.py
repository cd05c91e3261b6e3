"""Start-up: what `l10n update` loads, and the project lock it takes without filelock.

A 3,000-message update is timed against GNU msgmerge (bench/run.py); a quarter of it was imports,
among them Markdown, Jinja2 and YAML for a timestamp and filelock for one ``flock``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import l10n, po_path

from pipeline.config import load_config
from pipeline.errors import LockTimeout
from pipeline.lock import project_lock

# Loaded by the commands that render or extract, never by one that merges catalogs.
NOT_FOR_UPDATE = (
    "jinja2", "markdown_it", "yaml", "filelock", "hypothesis", "pipeline.extract", "pipeline.source",
    "pipeline.segments", "pipeline.render", "pipeline.build", "pipeline.checks",
)

_LOADED_BY = """
import sys
from pipeline.cli import main
try:
    main(sys.argv[1:], prog_name="l10n")
except SystemExit as exc:
    assert not exc.code, exc.code
print("\\n".join(sorted(sys.modules)))
"""


def _modules_loaded_by(*args: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", _LOADED_BY, *args], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_update_loads_no_renderer_extractor_or_lock_library(translated: Path) -> None:
    project = translated
    pot = project / "locales" / "messages.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace("Before you arrive", "Before you come"), encoding="utf-8")
    loaded = _modules_loaded_by("--project", str(project), "update")
    assert "#| msgid \"Before you arrive\"" in po_path(project, "ko").read_text(encoding="utf-8")
    assert sorted(m for m in loaded if m in NOT_FOR_UPDATE or m.split(".")[0] in NOT_FOR_UPDATE
                  or m.rsplit(".", 1)[0] in NOT_FOR_UPDATE) == []


def test_help_loads_no_stage() -> None:
    loaded = _modules_loaded_by("--help")
    assert not {m for m in loaded if m.startswith("pipeline.")} - {"pipeline.cli", "pipeline.config", "pipeline.errors",
                                                                    "pipeline.files", "pipeline.lock"}
    assert "babel" not in loaded and "polib" not in loaded


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["update", "--help"], ["--version"]])
def test_help_and_version_still_work(args: list[str]) -> None:
    run = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()


def test_a_filelock_holder_excludes_the_project_lock(project: Path) -> None:
    """Both take flock(2) on .cache/l10n.lock: an older l10n (which locked with filelock) and
    this one never write at the same time."""
    filelock = pytest.importorskip("filelock")
    config = load_config(project)
    config.cache_dir.mkdir(exist_ok=True)
    held = filelock.FileLock(str(config.cache_dir / "l10n.lock"))
    impatient = replace(config, lock_timeout=0.1)
    with held.acquire(timeout=1), pytest.raises(LockTimeout, match="gave up after 0.1 s"), project_lock(impatient, "x"):
        pass
    with project_lock(config, "update"), pytest.raises(filelock.Timeout):
        filelock.FileLock(str(config.cache_dir / "l10n.lock")).acquire(timeout=0.1)


def test_the_lock_is_released_after_a_failed_command(project: Path) -> None:
    (project / "locales" / "messages.pot").write_text("msgid \"unterminated\n", encoding="utf-8")
    assert l10n(project, "update").code == 2
    config = load_config(project)
    with project_lock(config, "update"):  # lock_timeout = 5: would raise if still held
        pass
