"""`l10n review` holds the project lock only while it writes a decision.

A reviewer who is thinking (review waiting for a key) never blocks a build, another locale's
review or a command that writes the catalog under review; and their decision, written later,
keeps what those commands wrote meanwhile.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import polib

from conftest import TRANSLATIONS, l10n, po_path, translate_catalog

PROMPT = b"[a]ccept [e]dit [s]kip [q]uit [?]help"


class Reviewer:
    """`l10n review` in its own process, its stdin a pipe we answer through."""

    def __init__(self, root: Path, locale: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("EDITOR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "--project", str(root), "review", "--locale", locale,
             "--reviewer", "Kim"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        self.seen = b""

    def wait_for_prompt(self, count: int = 1, timeout: float = 60) -> None:
        """Read the output until the key prompt has been shown ``count`` times."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while self.seen.count(PROMPT) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"review never asked for a key: {self.seen.decode(errors='replace')}"
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"review ended early: {self.seen.decode(errors='replace')}"
                self.seen += chunk

    def answer(self, keys: str) -> str:
        """Type the rest of the session and return everything review printed."""
        out, err = self.process.communicate(keys.encode(), timeout=120)
        assert self.process.returncode == 0, (self.seen + out + err).decode(errors="replace")
        return (self.seen + out).decode()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_a_build_finishes_while_review_waits_for_a_key(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    reviewer = Reviewer(translated, "ko")
    try:
        reviewer.wait_for_prompt()
        started = time.monotonic()
        built = l10n(translated, "build")  # lock_timeout is 5 s in this project
        took = time.monotonic() - started
        assert "locked by" not in built.output, built.output
        assert built.code == 0, built.output
        assert took < 5, f"the build waited {took:.1f} s for the lock"
        # another locale's review runs and writes beside it
        translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={"First Visit"})
        other = subprocess.run(
            [sys.executable, "-m", "pipeline", "--project", str(translated), "review", "--locale", "ar",
             "--reviewer", "Layla"], input="a\n", capture_output=True, text=True, timeout=120,
        )
        assert other.returncode == 0, other.stderr
        assert "ar: 1 accepted" in other.stdout
        output = reviewer.answer("a\n")
    finally:
        reviewer.stop()
    assert "ko: 1 accepted" in output
    ko = polib.pofile(str(po_path(translated, "ko"))).find("First Visit")
    assert not ko.fuzzy and "reviewed: Kim" in ko.tcomment


def test_a_write_made_while_review_waits_is_kept_when_review_saves(translated: Path) -> None:
    translate_catalog(translated, "ko", {"Before you arrive": ""})
    translate_catalog(translated, "ko", TRANSLATIONS["ko"] | {"Before you arrive": ""}, fuzzy={"First Visit"})
    reviewer = Reviewer(translated, "ko")
    try:
        reviewer.wait_for_prompt()
        # another process writes the same catalog: a machine draft for the empty entry
        filled = subprocess.run(
            [sys.executable, "-m", "pipeline", "--project", str(translated), "translate", "--provider", "pseudo",
             "--locale", "ko"], capture_output=True, text=True, timeout=120,
        )
        assert filled.returncode == 0, filled.stderr
        draft = polib.pofile(str(po_path(translated, "ko"))).find("Before you arrive").msgstr
        assert draft.startswith("⟦")
        output = reviewer.answer("a\nq\n")
    finally:
        reviewer.stop()
    assert "accepted; saved" in output
    catalog = polib.pofile(str(po_path(translated, "ko")))
    assert not catalog.find("First Visit").fuzzy  # the decision
    kept = catalog.find("Before you arrive")
    assert kept.msgstr == draft and kept.fuzzy and "machine translation: pseudo" in kept.tcomment  # the other write
