"""Every writing command, with a write, an fsync, a rename or a replace failing at its Nth call:
by an I/O error, or by the process ending on the spot as ``kill -9`` would end it.

Whatever N is, each file is the old version or the new one (never half-written, never a mix),
no temporary file is left once a run ends normally or the next run has finished, and a rerun
completes with exactly what an undisturbed run writes. N covers the first, a middle and the last
call of each kind, counted on an undisturbed run (``fault_runner``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import PAGE, l10n, po_path, translate_catalog, TRANSLATIONS

import fault_runner

CALLS = ("write", "fsync", "replace", "rename")
TRACKED = ("locales", "output", "source")


def state(root: Path) -> dict[str, bytes]:
    """Every file under the folders a command writes (the project's caches aside)."""
    found = {}
    for folder in TRACKED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


def temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name.endswith(".tmp") or ".l10n-" in p.name)


def run(root: Path, args: list[str], fault: str, count_to: Path | None = None, stdin: str = "") -> tuple[int, str]:
    """The CLI in a forked child with ``fault`` installed; (exit status, stderr)."""
    err = root.parent / f"{root.name}.stderr"
    feed = root.parent / f"{root.name}.stdin"
    feed.write_text(stdin, encoding="utf-8")
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            with open(feed, "rb") as given, open(err, "wb") as errors, open(os.devnull, "wb") as out:
                os.dup2(given.fileno(), 0)
                os.dup2(out.fileno(), 1)
                os.dup2(errors.fileno(), 2)
            sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            call, nth, mode = fault.split(":")
            fault_runner._install(call, int(nth), mode, None)
            from pipeline.cli import main

            try:
                main(["--project", str(root), *args], standalone_mode=True)
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 71
        finally:
            calls = getattr(fault_runner, "last_calls", None)
            if count_to is not None and calls is not None:
                count_to.write_text(str(calls()))
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return code, err.read_text(encoding="utf-8", errors="replace")


def counts(root: Path, args: list[str], stdin: str) -> dict[str, int]:
    found = {}
    for call in CALLS:
        trial = root.parent / f"count-{call}"
        shutil.copytree(root, trial)
        counter = root.parent / f"count-{call}.n"
        code, err = run(trial, args, f"{call}:0:raise", count_to=counter, stdin=stdin)
        assert code == 0, err
        found[call] = int(counter.read_text())
        shutil.rmtree(trial)
    return found


def nths(count: int) -> list[int]:
    return sorted({n for n in (1, 2, (count + 1) // 2, count) if 1 <= n <= count})


def _edited(root: Path) -> None:
    page = root / "source" / "first-visit.md"
    page.write_text(PAGE.replace("your ID card", "your passport") + "\nA new closing paragraph.\n", encoding="utf-8")


def prepare(command: str, root: Path) -> tuple[list[str], str]:
    """A project where ``command`` has real work to do; (arguments, stdin)."""
    if command == "extract":
        _edited(root)
        return ["extract"], ""
    if command == "update":
        _edited(root)
        assert l10n(root, "extract").code == 0
        return ["update"], ""
    if command == "translate":
        _edited(root)
        assert l10n(root, "extract").code == 0 and l10n(root, "update").code == 0
        return ["translate", "--provider", "pseudo"], ""
    if command == "review":
        _edited(root)
        assert l10n(root, "extract").code == 0 and l10n(root, "update").code == 0
        return ["review", "--locale", "ko", "--reviewer", "Kim Jiwoo"], "a\na\na\nq\n"
    if command == "build":
        assert l10n(root, "build").code == 0
        translate_catalog(root, "ko", {**TRANSLATIONS["ko"], "Before you arrive": "도착하시기 전에"})
        translate_catalog(root, "ar", {**TRANSLATIONS["ar"], "Before you arrive": "قبل أن تصل"})
        return ["build"], ""
    raise AssertionError(command)


@pytest.mark.parametrize("command", ["extract", "update", "translate", "review", "build"])
def test_a_failure_at_any_call_leaves_old_or_new_files(translated: Path, tmp_path: Path, command: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.delenv("EDITOR", raising=False)
    base = tmp_path / "base"
    shutil.copytree(translated, base)
    args, stdin = prepare(command, base)
    before = state(base)
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    code, err = run(reference, args, "write:0:raise", stdin=stdin)
    assert code in (0, 1), err
    after = state(reference)
    assert after != before, "the command must change files for the trial to mean anything"
    assert temporaries(reference) == []
    calls = counts(base, args, stdin)
    assert calls["replace"] + calls["rename"] > 0 and calls["write"] > 0, calls
    trials = 0
    for call in CALLS:
        for nth in nths(calls[call]):
            for mode in ("raise", "exit"):
                trial = tmp_path / f"trial-{call}-{nth}-{mode}"
                shutil.copytree(base, trial)
                failed, err = run(trial, args, f"{call}:{nth}:{mode}", stdin=stdin)
                trials += 1
                where = f"{command}: {call} #{nth} ({mode})"
                if mode == "exit":
                    assert failed == 137, f"{where}: the fault never fired"
                else:
                    assert "Traceback" not in err, f"{where}: {err}"
                seen = state(trial)
                for name, data in seen.items():
                    if name.endswith(".tmp"):
                        continue  # a temporary, judged below
                    assert data in (before.get(name), after.get(name)), f"{where}: {name} is neither old nor new"
                if mode == "raise":
                    assert temporaries(trial) == [], f"{where}: temporary files left"
                again, err = run(trial, args, "write:0:raise", stdin=stdin)
                assert again == code, f"{where}: the rerun failed: {err}"
                assert state(trial) == after, f"{where}: the rerun did not finish the job"
                assert temporaries(trial) == [], f"{where}: temporary files left after the rerun"
                shutil.rmtree(trial)
    assert trials >= 8


def test_concurrent_writers_take_turns(translated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four writing commands started at once, each with real work: the times each held the
    project lock never overlap, and the catalogs end as a run one after another leaves them."""
    import time
    from contextlib import contextmanager

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _edited(translated)
    assert l10n(translated, "extract").code == 0
    sequential = tmp_path / "sequential"
    shutil.copytree(translated, sequential)
    for command in ("update", "build", "update", "build"):
        assert l10n(sequential, command).code == 0
    log = tmp_path / "held.log"
    children = []
    for number, command in enumerate(("update", "build", "update", "build")):
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                import pipeline.cli
                import pipeline.lock

                real = pipeline.lock.project_lock

                @contextmanager
                def observed(config, name):
                    with real(config, name):
                        start = time.monotonic_ns()
                        time.sleep(0.05)  # hold it long enough that an overlap could not hide
                        yield
                        with open(log, "a", encoding="utf-8") as out:
                            out.write(f"{number} {name} {start} {time.monotonic_ns()}\n")

                pipeline.cli.project_lock = pipeline.lock.project_lock = observed
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                try:
                    pipeline.cli.main(["--project", str(translated), command], standalone_mode=True)
                    code = 0
                except SystemExit as exit_:
                    code = exit_.code if isinstance(exit_.code, int) else 1
            finally:
                os._exit(code)
        children.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert codes == [0, 0, 0, 0]
    held = sorted(tuple(int(x) for x in line.split()[2:]) for line in log.read_text().splitlines())
    assert len(held) == 4
    for (_, end), (start, _) in zip(held, held[1:]):
        assert end <= start, "two commands held the project lock at once"
    for locale in ("ko", "ar"):
        assert po_path(translated, locale).read_bytes() == po_path(sequential, locale).read_bytes()
    # the site depends on whether a build ran before or after the updates: one more build settles it
    assert l10n(translated, "build").code == 0 and l10n(sequential, "build").code == 0
    assert state(translated) == state(sequential)
