"""Where `publish` may write and what `build` refuses to write through.

`publish --dest` replaces only a folder it published before (its `.l10n-published` marker), never
someone else's folder (a `manifest.json` proves nothing), never the project or a folder in it,
and says why it cannot publish onto a mount point. A symbolic link for `output/` or inside it is
exit 2 before anything is written, and is neither deleted nor written through.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import l10n, snapshot

from pipeline import publish as publishing


@pytest.fixture(autouse=True)
def no_browser_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Destinations are refused before anything is built; the Chromium gate has tests of its own."""
    from pipeline.checks import browser

    monkeypatch.setattr(browser, "check_in_browser", lambda *args, **kwargs: browser.BrowserReport((), 0, ()))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_with_someone_elses_manifest_is_refused_untouched(translated: Path, tmp_path: Path) -> None:
    app = tmp_path / "webapp"
    (app / "static").mkdir(parents=True)
    (app / "manifest.json").write_text('{"name": "Clinic booking app", "start_url": "/"}', encoding="utf-8")
    (app / "static" / "app.js").write_text("console.log('booking')", encoding="utf-8")
    before = _tree(app)
    result = l10n(translated, "publish", "--dest", str(app))
    assert result.code == 2, result.output
    assert "has no .l10n-published: not a site published by l10n (its manifest.json is someone else's)" in result.stderr
    assert _tree(app) == before
    assert not list(tmp_path.glob(".l10n-publish-*"))


def test_a_folder_it_published_is_recognised_by_its_marker(translated: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert l10n(translated, "publish", "--dest", str(dest)).code == 0
    assert (dest / ".l10n-published").is_file() and (dest / "manifest.json").is_file()
    (dest / "stray.txt").write_text("left by hand", encoding="utf-8")
    result = l10n(translated, "publish", "--dest", str(dest))
    assert result.code == 0, result.output
    assert not (dest / "stray.txt").exists()  # the folder is ours: replaced as a whole
    # without the marker, the same folder is someone else's
    (dest / ".l10n-published").unlink()
    before = _tree(dest)
    assert l10n(translated, "publish", "--dest", str(dest)).code == 2
    assert _tree(dest) == before


@pytest.mark.parametrize("folder", ["templates", "bench", "source", "locales", "pipeline", "tests", "output",
                                    ".cache", "source/images", "public", "."])
def test_the_project_and_every_folder_in_it_are_refused(translated: Path, folder: str) -> None:
    (translated / "templates").mkdir()
    (translated / "bench").mkdir()
    assert l10n(translated, "build").code == 0
    before = snapshot(translated)
    result = l10n(translated, "publish", "--dest", str(translated / folder))
    assert result.code == 2, result.output
    assert "the publish destination" in result.stderr
    assert snapshot(translated) == before


def test_a_folder_in_the_project_with_the_marker_is_replaced(translated: Path) -> None:
    public = translated / "public"
    public.mkdir()
    (public / ".l10n-published").write_text("published before\n", encoding="utf-8")
    result = l10n(translated, "publish", "--dest", str(public))
    assert result.code == 0, result.output
    assert (public / "ko" / "first-visit.html").is_file()
    # a marker planted in an input folder does not make it a destination
    (translated / "templates").mkdir()
    (translated / "templates" / ".l10n-published").write_text("", encoding="utf-8")
    assert l10n(translated, "publish", "--dest", str(translated / "templates")).code == 2
    assert sorted(p.name for p in (translated / "templates").iterdir()) == [".l10n-published"]


def test_a_mount_point_is_refused_before_building(translated: Path, tmp_path: Path, monkeypatch) -> None:
    dest = tmp_path / "mnt"
    dest.mkdir()
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == dest or real_ismount(path))
    result = l10n(translated, "publish", "--dest", str(dest))
    assert result.code == 2, result.output
    assert "is a mount point" in result.stderr and "--dest DIR/site" in result.stderr
    assert not (translated / "output").exists()  # refused before the build
    assert list(dest.iterdir()) == []


@pytest.mark.parametrize("failure", [errno.EBUSY, errno.EXDEV])
def test_a_destination_that_cannot_be_renamed_stays_as_it_was(translated: Path, tmp_path: Path, monkeypatch,
                                                              failure: int) -> None:
    """A bind mount (which ismount does not see) or another device: renameat2 and rename fail
    with EBUSY or EXDEV. Simulated: both calls fail as the kernel makes them fail."""
    dest = tmp_path / "www"
    assert l10n(translated, "publish", "--dest", str(dest)).code == 0
    before = _tree(dest)
    real_rename = os.rename

    def rename(source, target, *args, **kwargs):  # noqa: ANN001, ANN202
        if Path(source) == dest:
            raise OSError(failure, os.strerror(failure), str(source))
        return real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(publishing, "_rename_exchange", lambda new, old: failure)
    monkeypatch.setattr(os, "rename", rename)
    result = l10n(translated, "publish", "--dest", str(dest))
    assert result.code == 2, result.output
    assert "is a mount point" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(dest) == before
    assert not list(tmp_path.glob(".l10n-publish-*"))  # the staging copy is gone
    # where there is no RENAME_EXCHANGE at all, the rename fallback says the same
    monkeypatch.setattr(publishing, "_rename_exchange", lambda new, old: errno.ENOSYS)
    result = l10n(translated, "publish", "--dest", str(dest))
    assert result.code == 2 and "is a mount point" in result.stderr
    assert _tree(dest) == before


def test_output_as_a_symlink_is_refused_and_left_alone(translated: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared-www"
    elsewhere.mkdir()
    (elsewhere / "keep.html").write_text("someone's page", encoding="utf-8")
    (translated / "output").symlink_to(elsewhere)
    before = snapshot(translated)
    for command in (["build"], ["publish", "--dest", str(tmp_path / "www")]):
        result = l10n(translated, *command)
        assert result.code == 2, (command, result.output)
        assert "output: is a symbolic link" in result.stderr
        assert "Traceback" not in result.output
    assert (translated / "output").is_symlink()
    assert _tree(elsewhere) == {"keep.html": b"someone's page"}
    assert snapshot(translated) == before
    assert not (tmp_path / "www").exists()


def test_a_symlink_inside_output_is_refused_never_deleted_or_written_through(translated: Path, tmp_path: Path) -> None:
    assert l10n(translated, "build").code == 0
    shared = tmp_path / "shared-images"
    shared.mkdir()
    (shared / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (translated / "output" / "images").symlink_to(shared)
    (translated / "output" / "en" / "old.html").symlink_to(tmp_path / "nowhere.html")
    translations = translated / "locales" / "ko" / "LC_MESSAGES"
    before = _tree(translations)
    for attempt in range(2):  # a second build is no no-op that forgets the link
        result = l10n(translated, "build")
        assert result.code == 2, result.output
        assert "is a symbolic link inside the output folder" in result.stderr
        assert ("output/images" in result.stderr) or ("output/en/old.html" in result.stderr)
    assert (translated / "output" / "images").is_symlink() and (translated / "output" / "en" / "old.html").is_symlink()
    assert _tree(shared) == {"logo.svg": b"<svg/>"}
    assert _tree(translations) == before  # no MO written either
    (translated / "output" / "images").unlink()
    (translated / "output" / "en" / "old.html").unlink()
    assert l10n(translated, "build").code == 0  # honest output: builds again


def test_output_as_a_file_is_refused_and_kept(translated: Path) -> None:
    (translated / "output").write_text("notes someone keeps here", encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 2, result.output
    assert "output: is a file, not a folder" in result.stderr
    assert (translated / "output").read_text(encoding="utf-8") == "notes someone keeps here"


def _mount(args: list[str], target: Path) -> None:
    import subprocess

    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here (needs root): {done.stderr.strip()}")


def _umount(target: Path) -> None:
    import subprocess

    subprocess.run(["umount", str(target)], check=True)


@pytest.mark.parametrize("kind", ["tmpfs", "bind"])
def test_a_real_mount_point_is_refused_and_left_as_it_was(translated: Path, tmp_path: Path, kind: str) -> None:
    """A tmpfs is seen by ismount and refused before the build; a bind mount of the same file
    system is not (same device), and the kernel's EBUSY on the exchange is reported instead."""
    dest = tmp_path / "srv"
    dest.mkdir()
    if kind == "tmpfs":
        _mount(["-t", "tmpfs", "tmpfs"], dest)
    else:
        origin = tmp_path / "origin"
        origin.mkdir()
        _mount(["--bind", str(origin)], dest)
    try:
        (dest / ".l10n-published").write_text("published before\n", encoding="utf-8")
        (dest / "index.html").write_text("the old site", encoding="utf-8")
        before = _tree(dest)
        result = l10n(translated, "publish", "--dest", str(dest))
        assert result.code == 2, result.output
        assert "is a mount point" in result.stderr and "Traceback" not in result.output
        assert _tree(dest) == before
        assert not list(tmp_path.glob(".l10n-publish-*"))
        # the way out the message gives: a folder inside the mount
        result = l10n(translated, "publish", "--dest", str(dest / "site"))
        assert result.code == 0, result.output
        assert (dest / "site" / "ko" / "first-visit.html").is_file()
    finally:
        _umount(dest)
