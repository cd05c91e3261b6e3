"""Faults a real team meets: `kill -9` at any moment, concurrent runs, a held lock.

Every trial ends with every catalog accepted by `msgfmt -c`, no approved entry changed, and a
published site that is the old one or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from conftest import DISCLAIMER, REVIEW_RECORD, TRANSLATIONS, gnu, l10n, po_path, write_glossary

TRIALS = 12  # random kill moments; the deterministic Nth-call faults are in test_fault_injection.py
LOCALES = ("ko", "ar")
SCRIPT = {"ko": "번역문", "ar": "نص مترجم"}


def make_site(root: Path, pages: int = 30) -> None:
    """A site big enough that each command takes a while, every message approved."""
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "faults"\n\n[tool.l10n]\nlocales = ["ko", "ar"]\n'
        'base_url = "https://clinic.example/"\nlock_timeout = 120\n',
        encoding="utf-8",
    )
    for n in range(pages):
        paragraphs = "\n\n".join(f"Paragraph {k} of procedure {n} explains recovery step {k * n}." for k in range(8))
        (root / "source" / f"procedure-{n}.md").write_text(
            f"---\ntitle: Procedure {n}\nslug: procedure-{n}\n"
            "disclaimer: ※ Side effects such as bleeding may occur depending on the individual.\n---\n\n"
            f"## Overview {n}\n\n{paragraphs}\n",
            encoding="utf-8",
        )
    (root / "locales").mkdir()
    write_glossary(root)
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0
    for locale in LOCALES:
        catalog = polib.pofile(str(po_path(root, locale)))
        for entry in catalog:
            prefix = "※ " if entry.msgid.startswith("※") else ""
            placeholder = "".join(f" {p}" for p in re.findall(r"%\(\w+\)s", entry.msgid))  # msgfmt -c wants them
            entry.msgstr = f"{prefix}{SCRIPT[locale]} {hashlib.sha1(entry.msgid.encode()).hexdigest()[:8]}{placeholder}."
            if entry.msgctxt == "disclaimer":  # names the glossary's terms, and a reviewer approved it
                entry.msgstr, entry.tcomment = TRANSLATIONS[locale][DISCLAIMER], REVIEW_RECORD
        from pipeline.catalogs import write_catalog

        write_catalog(po_path(root, locale), catalog)


def approved_pairs(root: Path) -> dict[str, set[tuple]]:
    return {
        loc: {(e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(str(po_path(root, loc))) if e.translated()}
        for loc in LOCALES
    }


def run_and_kill(root: Path, args: list[str], delay: float) -> int | None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--project", str(root), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    return process.wait()


def duration(root: Path, args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "--project", str(root), *args], capture_output=True)
    return time.perf_counter() - start


def kill_delays(root: Path, args: list[str], seed: int) -> list[float]:
    """Random kill moments after the interpreter started: half spread over the whole command,
    half over its last fifth, where the writing happens."""
    startup = duration(root, ["--version"])
    budget = duration(root, args)
    rng = random.Random(seed)
    spread = [rng.uniform(startup * 0.8, budget) for _ in range(TRIALS // 2)]
    late = [rng.uniform(budget * 0.8, budget * 1.05) for _ in range(TRIALS - len(spread))]
    return spread + late


def assert_catalogs_valid(root: Path) -> None:
    for locale in LOCALES:
        result = gnu("msgfmt", "-c", "-o", "/dev/null", str(po_path(root, locale)))
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "site"
    make_site(root, pages=60)
    return root


def fresh_copy(site: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    return root


def test_kill_during_update_never_breaks_a_catalog(site: Path, tmp_path: Path) -> None:
    root = fresh_copy(site, tmp_path)
    # new English text, so update has real work in every catalog
    for page in sorted((root / "source").glob("*.md"))[:10]:
        page.write_text(page.read_text(encoding="utf-8") + "\nA new closing paragraph for this page.\n", encoding="utf-8")
    assert l10n(root, "extract").code == 0
    pristine = tmp_path / "locales-before"
    shutil.copytree(root / "locales", pristine)
    before = approved_pairs(root)
    delays = kill_delays(root, ["update"], seed=7)
    for delay in delays:
        shutil.rmtree(root / "locales")
        shutil.copytree(pristine, root / "locales")
        run_and_kill(root, ["update"], delay)
        assert_catalogs_valid(root)
        after = approved_pairs(root)
        for locale in LOCALES:
            assert before[locale] <= after[locale], "an approved entry changed"
    assert l10n(root, "update").code == 0


def test_kill_during_build_leaves_only_whole_pages(site: Path, tmp_path: Path) -> None:
    from pipeline.checks.gate import expected_disclaimer
    from pipeline.checks.gate import page_problems

    root = fresh_copy(site, tmp_path)
    (root / ".cache" / "build-manifest.json").unlink(missing_ok=True)
    for trial, delay in enumerate(kill_delays(root, ["build"], seed=11)):
        (root / ".cache" / "build-manifest.json").unlink(missing_ok=True)  # force a full render
        if trial % 2:
            shutil.rmtree(root / "output", ignore_errors=True)
        run_and_kill(root, ["build"], delay)
        for page in (root / "output").rglob("procedure-*.html"):
            html = page.read_text(encoding="utf-8")
            assert html.rstrip().endswith("</html>"), page
            assert 'class="disclaimer"' in html
    assert l10n(root, "build").code == 0
    leftovers = [p for p in (root / "output").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    html = (root / "output" / "ko" / "procedure-3.html").read_text(encoding="utf-8")
    disclaimer = polib.pofile(str(po_path(root, "ko"))).find(
        "※ Side effects such as bleeding may occur depending on the individual.", msgctxt="disclaimer")
    assert page_problems(html, expected_disclaimer(disclaimer.msgstr)) == []


def site_state(dest: Path) -> dict[str, str]:
    """Every published file's sha256; the manifest (which differs from one publish to the next by
    its time and history link) must list exactly those."""
    import json

    state = {
        str(p.relative_to(dest)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(dest.rglob("*")) if p.is_file() and p.name != "manifest.json"
    }
    assert json.loads((dest / "manifest.json").read_text(encoding="utf-8"))["files"] == state
    return state


def test_kill_during_publish_leaves_the_old_site_or_the_new_one(tmp_path: Path) -> None:
    root = tmp_path / "site"
    make_site(root, pages=6)  # publishing lays every page out in Chromium: keep the site small
    dest = tmp_path / "www"
    assert l10n(root, "publish", "--dest", str(dest)).code == 0
    old = site_state(dest)
    old_copy = tmp_path / "old-site"
    shutil.copytree(dest, old_copy)
    # the next version of the site: one translation changes
    catalog = polib.pofile(str(po_path(root, "ko")))
    catalog.find("Procedure 3").msgstr = "시술 3 안내"
    from pipeline.catalogs import write_catalog

    write_catalog(po_path(root, "ko"), catalog)
    reference = tmp_path / "reference"
    assert l10n(root, "publish", "--dest", str(reference)).code == 0
    new = site_state(reference)
    assert new != old
    for delay in kill_delays(root, ["publish", "--dest", str(tmp_path / "timing")], seed=3):
        if site_state(dest) != old:  # start every trial from the old site
            shutil.rmtree(dest)
            shutil.copytree(old_copy, dest)
        run_and_kill(root, ["publish", "--dest", str(dest)], delay)
        assert site_state(dest) in (old, new), "a mix of two sites"


def test_a_held_lock_times_out_with_the_holder_named(site: Path, tmp_path: Path) -> None:
    from pipeline.config import load_config
    from pipeline.lock import project_lock

    root = fresh_copy(site, tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("lock_timeout = 120", "lock_timeout = 0.2"),
                         encoding="utf-8")
    with project_lock(load_config(root), "publish"):
        result = subprocess.run([sys.executable, "-m", "pipeline", "--project", str(root), "build"],
                                capture_output=True, text=True)
        # read-only commands never wait for the lock
        check = subprocess.run([sys.executable, "-m", "pipeline", "--project", str(root), "stats"],
                               capture_output=True, text=True)
    assert result.returncode == 1
    assert "locked by `l10n publish`" in result.stderr
    assert check.returncode == 0
    assert os.path.exists(root / ".cache" / "l10n.lock")


def test_kill_during_translate_never_breaks_a_catalog(site: Path, tmp_path: Path) -> None:
    root = fresh_copy(site, tmp_path)
    for page in sorted((root / "source").glob("*.md")):
        page.write_text(page.read_text(encoding="utf-8") + "\nA **new** paragraph with a [link](https://clinic.example/book).\n"
                        f"\nAnother new paragraph for {page.stem}.\n", encoding="utf-8")
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0
    pristine = tmp_path / "locales-before"
    shutil.copytree(root / "locales", pristine)
    before = approved_pairs(root)
    for delay in kill_delays(root, ["translate", "--provider", "pseudo"], seed=5):
        shutil.rmtree(root / "locales")
        shutil.copytree(pristine, root / "locales")
        shutil.rmtree(root / ".cache", ignore_errors=True)
        run_and_kill(root, ["translate", "--provider", "pseudo"], delay)
        assert_catalogs_valid(root)
        after = approved_pairs(root)
        for locale in LOCALES:
            assert before[locale] <= after[locale], "an approved entry changed"
            drafts = [e for e in polib.pofile(str(po_path(root, locale))) if e.msgstr and e.fuzzy]
            assert all("machine translation: pseudo" in e.tcomment for e in drafts)
    # a rerun after the last kill finishes the job
    assert l10n(root, "translate", "--provider", "pseudo").code == 0
    assert all(e.msgstr for e in polib.pofile(str(po_path(root, "ko"))) if not e.obsolete)
