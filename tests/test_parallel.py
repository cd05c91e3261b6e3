"""Large sites are checked and rendered on every core; the answer must not depend on it.

The parallel paths start at a size no test site reaches (200 pages, 2 MB of catalogs), so these
tests lower the thresholds and compare with a build made in one process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import PAGE, l10n, po_path, snapshot

from pipeline import build
from pipeline import state


def _more_pages(root: Path, count: int) -> None:
    for number in range(2, count + 1):
        text = PAGE.replace("slug: first-visit", f"slug: visit-{number}").replace("First Visit", f"Visit {number}")
        (root / "source" / f"visit-{number}.md").write_text(text, encoding="utf-8")


_PIDS: list[Path] = []  # where _render_in_any_process notes the processes that rendered


def _render_in_any_process(job):  # noqa: ANN001, ANN202 - build._render_pages, noting who ran it
    (_PIDS[0] / str(os.getpid())).touch()
    return _original_render(job)


_original_render = build._render_pages


def _site(root: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(root).items() if name.startswith(("output/", "locales/"))}


def test_parallel_build_equals_a_build_in_one_process(translated: Path, tmp_path: Path, monkeypatch) -> None:
    _more_pages(translated, 12)
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    single = tmp_path / "single"
    shutil.copytree(translated, single)

    monkeypatch.setenv("L10N_JOBS", "2")
    monkeypatch.setattr(build, "_PARALLEL_PAGES", 0)
    monkeypatch.setattr(state, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(build, "_render_pages", _render_in_any_process)
    pids = tmp_path / "pids"
    pids.mkdir()
    _PIDS[:] = [pids]
    parallel = l10n(translated, "build")
    assert len(list(pids.iterdir())) == 2  # this process and one worker rendered
    monkeypatch.setattr(build, "_render_pages", _original_render)
    monkeypatch.setenv("L10N_JOBS", "1")
    alone = l10n(single, "build")

    assert parallel.code == alone.code == 0
    assert parallel.output.replace(str(translated), "") == alone.output.replace(str(single), "")
    assert _site(translated) == _site(single)
    # the new pages wait for their translations; the first one is published in ko and ar
    assert (translated / "output" / "ko" / "first-visit.html").is_file()
    assert not (translated / "output" / "ko" / "visit-2.html").exists()
    assert (translated / "output" / "en" / "visit-12.html").is_file()


def test_a_bad_catalog_is_reported_the_same_from_a_worker(translated: Path, monkeypatch) -> None:
    monkeypatch.setenv("L10N_JOBS", "2")
    monkeypatch.setattr(state, "_PARALLEL_BYTES", 0)
    ar = po_path(translated, "ar")
    ar.write_text(ar.read_text(encoding="utf-8").replace('msgid "First Visit"', 'msgid "First Visit'), encoding="utf-8")
    before = snapshot(translated)
    result = l10n(translated, "build")
    assert result.code == 2
    assert "locales/ar/LC_MESSAGES/messages.po:" in result.stderr
    assert snapshot(translated) == before


def test_a_staged_batch_survives_the_trip_back_from_a_worker(tmp_path: Path) -> None:
    """What a worker hands back (a kept file, a staged temporary file) is pickled: it must come
    back as the same sentinel and commit or discard as the parent's own would."""
    import pickle

    from pipeline.files import UNCHANGED, commit_staged, discard_staged, stage_file

    (tmp_path / "same.html").write_bytes(b"same")
    batch = {Path("same.html"): stage_file(tmp_path / "same.html", b"same"),
             Path("new.html"): stage_file(tmp_path / "new.html", b"new")}
    back = pickle.loads(pickle.dumps(batch))
    assert back[Path("same.html")] is UNCHANGED
    assert commit_staged(tmp_path, back) == ["new.html"]
    assert (tmp_path / "new.html").read_bytes() == b"new"
    dropped = {Path("gone.html"): stage_file(tmp_path / "gone.html", b"gone")}
    discard_staged(dropped)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.html", "same.html"]  # no temporary left
