"""A translator at a real terminal (tmux): after a new page was added, `l10n review --locale ja`
offers its empty entries, takes translations typed in $EDITOR or on the terminal, accepts each
with one keypress (the error confirmation too), and offers the approved translation of a moved
sentence as a suggestion; the catalog then carries the date and the translator's name."""

from __future__ import annotations

import datetime
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
import wcwidth

from conftest import MOVED, MOVED_JA, NEW_PAGE, gnu, l10n, po_path

TMUX = shutil.which("tmux")
COLUMNS = 90
PROMPT = "[a]ccept [e]dit [s]kip [q]uit [?]help"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
# typed in $EDITOR (the editor script takes them in this order)
IN_EDITOR = {
    "The SMAS Layer": "SMAS層について",
    "What the SMAS layer is and why a facelift works on it.":
        "SMAS層とは何か、そしてフェイスリフトがなぜSMAS層に働きかけるのかをご説明します。",
}
# typed on the terminal's one line
INLINE = {
    "What the SMAS Layer Is": "SMAS層とは",
    "Ask the medical team which approach suits your face.": "どの方法がご自身のお顔に合うかは、医療チームにご相談ください。",
}


class Terminal:
    """A command in a tmux pane; what it prints arrives through a FIFO (no polling of the screen)."""

    def __init__(self, tmp: Path, command: list[str], env: dict[str, str]) -> None:
        if TMUX is None:
            pytest.fail("tmux is missing: run `sudo apt-get install -y tmux` (or `make test` as root)")
        self.socket = f"l10n-test-{os.getpid()}-{id(self)}"
        fifo = tmp / f"{self.socket}.fifo"
        os.mkfifo(fifo)
        self.reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.keeper = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # no EOF before tmux writes
        self.seen = ""
        self.mark = 0
        exported = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        script = (f"{TMUX} -L {self.socket} wait-for go; "
                  f"exec env {exported} {' '.join(_quote(c) for c in command)}")
        self.tmux("new-session", "-d", "-s", "review", "-x", str(COLUMNS), "-y", "60", "sh", "-c", script)
        self.tmux("set-option", "-t", "review", "remain-on-exit", "on")
        self.tmux("pipe-pane", "-t", "review", f"cat > {_quote(str(fifo))}")
        self.tmux("wait-for", "-S", "go")

    def tmux(self, *args: str) -> str:
        done = subprocess.run([TMUX, "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True,
                              timeout=30)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def expect(self, *texts: str, timeout: float = 60) -> tuple[str, str]:
        """Read what the pane prints until one of ``texts`` appears after what was already
        expected; return which, and the output up to it."""
        deadline = time.monotonic() + timeout
        while True:
            found = [(self.seen.find(t, self.mark), t) for t in texts if self.seen.find(t, self.mark) >= 0]
            if found:
                at, text = min(found)
                chunk, self.mark = self.seen[self.mark:at], at + len(text)
                return text, chunk
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {texts!r}:\n{self.seen}\n--- the screen:\n" + "\n".join(self.screen())
            ready, _, _ = select.select([self.reader], [], [], left)
            if ready:
                chunk = os.read(self.reader, 65536)
                self.seen += ANSI.sub("", chunk.decode("utf-8", errors="replace")).replace("\r", "")

    def press(self, keys: str) -> None:
        """Type ``keys`` literally (no Enter)."""
        self.tmux("send-keys", "-t", "review", "-l", keys)

    def enter(self) -> None:
        self.tmux("send-keys", "-t", "review", "Enter")

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-J", "-t", "review", "-S", "-500").split("\n")

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=30)
        os.close(self.reader)
        os.close(self.keeper)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _entry(shown: str) -> tuple[str, str, bool]:
    """The entry on screen: its block, its English, whether its draft is empty."""
    block = shown.rsplit("\n--- ", 1)[-1]
    return block, _english(block), "draft:    (empty)" in block


def _english(block: str) -> str:
    lines = block.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("English:"))
    text = lines[start][10:]
    for line in lines[start + 1:]:
        if not line.startswith(" " * 10):
            break
        text += ("" if text.endswith("-") else " ") + line[10:]
    return text.strip()


def test_a_translator_translates_a_new_page_at_the_terminal(repo_copy: Path, tmp_path: Path) -> None:
    disclaimer = polib.pofile(str(po_path(repo_copy, "ja"))).find("disclaimer", by="msgctxt").msgid
    (repo_copy / "source" / "smas-layer.md").write_text(NEW_PAGE.format(disclaimer=disclaimer), encoding="utf-8")
    assert l10n(repo_copy, "extract").code == 0
    assert l10n(repo_copy, "update").code == 0
    queue = tmp_path / "editor-queue"
    queue.write_text("".join(text + "\n" for text in IN_EDITOR.values()), encoding="utf-8")
    editor = tmp_path / "editor.sh"  # a translator typing in their editor: the next text in the queue
    editor.write_text(f"#!/bin/sh\nhead -n 1 {_quote(str(queue))} > \"$1\"\nsed -i 1d {_quote(str(queue))}\n",
                      encoding="utf-8")
    editor.chmod(0o755)
    env = {"TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "pipeline", "--project", str(repo_copy), "review", "--locale", "ja",
               "--reviewer", "Sato Yuki"]
    decided: list[str] = []
    suggested = confirmed_with_one_key = False

    # with $EDITOR: the moved sentence from its suggestion, the title and description in the editor
    terminal = Terminal(tmp_path, command, {**env, "EDITOR": str(editor)})
    try:
        what, shown = terminal.expect(PROMPT)
        while what == PROMPT:
            block, msgid, draft_empty = _entry(shown)
            if msgid == MOVED and not suggested:
                assert re.search(r"\n  1 100%    SMAS層は皮膚の下にある", block), block
                terminal.press("1")  # the suggestion goes into the draft
                suggested = True
            elif draft_empty and msgid in IN_EDITOR:
                terminal.press("e")  # $EDITOR runs and returns
            elif not draft_empty and msgid in (MOVED, *IN_EDITOR):
                assert "state:    fuzzy" in block  # typed, not yet accepted
                terminal.press("a")  # one keypress accepts
                decided.append(msgid)
            elif msgid in INLINE:
                terminal.press("q")
            else:
                pytest.fail(f"unexpected entry: {block}")
            what, shown = terminal.expect(PROMPT, "nothing left to review", "still to review")
        screens = terminal.screen()
    finally:
        terminal.close()
    assert what == "still to review" and suggested and not queue.read_text(encoding="utf-8")

    # without $EDITOR: one line typed on the terminal; a slip first, to meet the confirmation
    terminal = Terminal(tmp_path, command, env)
    try:
        what, shown = terminal.expect(PROMPT)
        while what == PROMPT:
            block, msgid, draft_empty = _entry(shown)
            if msgid == "What the SMAS Layer Is" and draft_empty and not confirmed_with_one_key:
                terminal.press("e")
                terminal.expect("translation (empty: none yet)")
                terminal.press("スマス層とは")  # SMAS left out: a glossary keep-term error
                terminal.enter()
                terminal.expect(PROMPT)
                terminal.press("a")
                terminal.expect("Accept anyway? [y/N]")
                terminal.press("n")  # one key, no Enter
                terminal.expect("not accepted")
                confirmed_with_one_key = True
                terminal.expect(PROMPT)
                terminal.press("e")
                terminal.expect("new translation (empty keeps the draft)")
                terminal.press(INLINE[msgid])
                terminal.enter()
            elif draft_empty and msgid in INLINE:
                terminal.press("e")
                terminal.expect("translation (empty: none yet)")
                terminal.press(INLINE[msgid])
                terminal.enter()
            elif not draft_empty and msgid in INLINE:
                terminal.press("a")
                decided.append(msgid)
            else:
                pytest.fail(f"unexpected entry: {block}")
            what, shown = terminal.expect(PROMPT, "nothing left to review", "still to review")
        screens += terminal.screen()
    finally:
        terminal.close()

    assert what == "nothing left to review", shown
    assert confirmed_with_one_key
    assert sorted(decided) == sorted([MOVED, *IN_EDITOR, *INLINE])
    # every line review wrote fits the terminal (the addresses are kept whole for a click; what
    # the translator types is theirs)
    for line in screens:
        if not line.startswith(("page:", "--- ", "translation (", "new translation (")):
            assert wcwidth.wcswidth(line) <= COLUMNS, line
    assert not re.search(r"draft:[0-9a-f]{12}", "\n".join(screens))
    catalog = polib.pofile(str(po_path(repo_copy, "ja")))
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    for msgid, text in [(MOVED, MOVED_JA), *IN_EDITOR.items(), *INLINE.items()]:
        entry = catalog.find(msgid)
        assert entry.msgstr == text and not entry.fuzzy, msgid
        assert entry.tcomment == f"reviewed: Sato Yuki {today}"
    assert catalog.metadata["PO-Revision-Date"].startswith(today)
    assert catalog.metadata["Last-Translator"] == "Sato Yuki"
    path = po_path(repo_copy, "ja")
    assert path.read_text(encoding="utf-8") == gnu("msgcat", "--width=79", str(path)).stdout
    check = l10n(repo_copy, "check", "--locale", "ja")
    assert check.code == 0, check.output  # the new page is complete and publishable in Japanese
