"""``make bench``: every stage on a generated site of N pages x 9 languages, beside GNU gettext
and Babel doing the same work on the same files in the same run, as one table.

    python bench/run.py                  # N = 100 and N = 1000
    python bench/run.py --pages 300      # BENCH_PAGES=300 make bench

Times are wall-clock seconds of the real commands (`l10n ...`, `msgmerge`, `msgfmt -c`,
`pybabel compile`) run as subprocesses, so interpreter start-up counts on both sides. Memory is
the peak proportional set size (PSS) of the command's whole process tree, sampled every 10 ms:
worker processes included, and memory they share with their parent counted once. (The peak
resident set that ``wait4`` reports is no use here: it counts the pages a child shared with this
process between fork and exec.) These machines are noisy: read the ratios, which compare runs
made seconds apart.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

BIN = Path(sys.executable).parent
L10N = [str(BIN / "l10n")] if (BIN / "l10n").exists() else [sys.executable, "-m", "pipeline"]
PYBABEL = str(BIN / "pybabel")
LOCALES = corpus.LOCALES


@dataclass
class Run:
    seconds: float
    memory_mb: float
    code: int
    output: str


def _tree_memory(pid: int) -> int:
    """Proportional set size (PSS) of ``pid`` and all its descendants, in bytes: memory a forked
    worker shares with its parent is counted once, split between them."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:")) * 1024
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


def run(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> Run:
    """Run ``cmd``; its wall time, the peak RSS of its process tree and its output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.01):
                peak = max(peak, _tree_memory(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, _usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if code not in ok:
        raise SystemExit(f"bench: {' '.join(cmd)} exited with {code} in {cwd}:\n{output[-3000:]}")
    return Run(seconds, peak / 2**20, code, output)


def best(times: int, action) -> Run:
    """The fastest of ``times`` runs (the noise on a shared machine only ever adds time)."""
    runs = [action() for _ in range(times)]
    fastest = min(runs, key=lambda r: r.seconds)
    fastest.memory_mb = max(r.memory_mb for r in runs)
    return fastest


def sequential(commands: list[list[str]], cwd: Path) -> Run:
    """One reference tool run per locale, one after the other, as a Makefile loop does."""
    runs = [run(c, cwd) for c in commands]
    return Run(sum(r.seconds for r in runs), max(r.memory_mb for r in runs), 0, "")


def paired(commands: list[list[str]], cwd: Path) -> Run:
    """The same runs two at a time (``xargs -P2``): what the reference does with both cores."""
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda c: subprocess.run(c, cwd=cwd, check=True, stdout=subprocess.DEVNULL), commands))
    return Run(time.perf_counter() - start, 0.0, 0, "")


@dataclass
class Row:
    pages: str
    stage: str
    ours: Run
    reference: str = ""
    ref: Run | None = None
    target: str = ""
    verdict: str = ""  # "yes", "NO" or "" (no target)
    note: str = ""

    def cells(self) -> list[str]:
        ratio = f"{self.ours.seconds / self.ref.seconds:.2f}" if self.ref else ""
        ref = f"{self.ref.seconds:.2f}" if self.ref else ""
        memory = f"{self.ours.memory_mb:.0f}" if self.ours.memory_mb else ""
        return [self.pages, self.stage, f"{self.ours.seconds:.2f}", self.reference, ref, ratio,
                memory, self.target, self.verdict, self.note]


HEADER = ["N", "stage", "ours s", "reference", "ref s", "ratio", "PSS MB", "target", "met", "note"]


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def _edit_first_paragraph(page: Path, old: str, new: str) -> None:
    """Change one word of the page's first sentence after the heading (a typical English edit)."""
    text = page.read_text(encoding="utf-8")
    head, _, body = text.partition("## ")
    first_line_end = body.index("\n\n") + 2
    paragraph = body[first_line_end:]
    if old not in paragraph:
        raise SystemExit(f"bench: {page} has no {old!r} to edit")
    page.write_text(head + "## " + body[:first_line_end] + paragraph.replace(old, new, 1), encoding="utf-8")


def _verify_site(root: Path, pages: int) -> None:
    """A benchmark of a wrong answer is worthless: every page is whole and none is missing."""
    found = 0
    for page in (root / "output").glob("*/page-*.html"):
        if not page.read_bytes().rstrip().endswith(b"</html>"):
            raise SystemExit(f"bench: {page} is not a whole page")
        found += 1
    if found < pages:
        raise SystemExit(f"bench: {found} pages in {root / 'output'}, expected {pages}")


def _po(root: Path, locale: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / "messages.po"


# Our side of the compilation row: what ``build`` does first, without its cache.
COMPILE = """
from pathlib import Path
from pipeline.catalogs import compile_catalog, read_catalog
from pipeline.config import load_config
config = load_config(Path.cwd())
for locale in config.locales:
    config.mo_path(locale).write_bytes(compile_catalog(read_catalog(config.po_path(locale), config), locale))
"""
# ``l10n publish`` also lays every page out in Chromium (about half a second a page); this is the
# rest of it: build, gate, the catalog and page checks, manifest, atomic swap.
PUBLISH = """
import sys
from pathlib import Path
from pipeline.checks.report import check_project
from pipeline.config import load_config
from pipeline.publish import publish
config = load_config(Path.cwd())
errors = lambda: [f.message for f in check_project(config).findings if f.severity == "error"]
sys.exit(0 if publish(config, Path(sys.argv[1]), verify=errors).published else 1)
"""


def bench_site(pages: int, work: Path) -> list[Row]:
    label = f"{pages:,}"
    root = work / f"site-{pages}"
    rows: list[Row] = []
    site_pages = pages * (1 + len(LOCALES))

    corpus.write_sources(root, pages)
    extract = run(L10N + ["extract"], root)
    rows.append(Row(label, "extract (POT from N pages)", extract))
    corpus.write_translations(root)

    # the catalog checks alone: nothing is built yet, so check has no pages to look at
    msgfmt = [["msgfmt", "-c", "-o", "/dev/null", str(_po(root, loc))] for loc in LOCALES]
    check_ref = sequential(msgfmt, root)
    check = run(L10N + ["check"], root)
    rows.append(Row(label, "check: catalog checks, first run", check, "msgfmt -c x8", check_ref,
                    "ratio <= 1.0", _met(check.seconds <= check_ref.seconds)))
    check_again = best(2, lambda: run(L10N + ["check"], root))
    rows.append(Row(label, "check: catalog checks, rerun", check_again, "msgfmt -c x8", check_ref,
                    "ratio <= 1.0", _met(check_again.seconds <= check_ref.seconds), "unchanged entries cached"))

    compile_ref = run([PYBABEL, "compile", "-d", "locales", "-D", "messages"], root)
    compile_ours = run([sys.executable, "-c", COMPILE], root)
    rows.append(Row(label, "compile: PO -> MO x8", compile_ours, "pybabel compile", compile_ref,
                    note="read (strict) + Babel's MO writer, approved entries only"))
    for mo in (root / "locales").glob("*/LC_MESSAGES/messages.mo"):
        mo.unlink()

    shutil.rmtree(root / ".cache")
    full = run(L10N + ["build"], root)
    _verify_site(root, site_pages)
    rate = site_pages / full.seconds
    rows.append(Row(label, "build: full, nothing cached", full, target=">= 800 pages/s", verdict=_met(rate >= 800),
                    note=f"{rate:,.0f} pages/s; includes the catalog checks"))
    noop = best(3, lambda: run(L10N + ["build"], root))
    _verify_site(root, site_pages)
    share = 100 * noop.seconds / full.seconds
    rows.append(Row(label, "build: no-op", noop, target="<= 2 % of full", verdict=_met(share <= 2),
                    note=f"{share:.1f} % of full"))

    # a translator fixes one translation of one page
    ko = _po(root, "ko")
    original = ko.read_bytes()
    text = original.decode("utf-8")
    first = text.index('msgstr "', text.index("page-0001.md"))
    ko.write_bytes(text[:first].encode() + text[first:].replace('msgstr "', 'msgstr "수정 ', 1).encode())
    one_translation = run(L10N + ["build"], root)
    _verify_site(root, site_pages)
    share = 100 * one_translation.seconds / full.seconds
    rows.append(Row(label, "build: one translation changed", one_translation, target="<= 5 % of full",
                    verdict=_met(share <= 5), note=f"{share:.1f} % of full"))

    # an editor changes one English paragraph: that page waits for its translations
    page = root / "source" / "page-0002.md"
    before = page.read_bytes()
    _edit_first_paragraph(page, "The ", "This ")
    one_page = run(L10N + ["build"], root)
    _verify_site(root, site_pages - len(LOCALES))  # that page waits in every language
    share = 100 * one_page.seconds / full.seconds
    rows.append(Row(label, "build: one source page changed", one_page, target="<= 5 % of full",
                    verdict=_met(share <= 5), note=f"{share:.1f} % of full"))
    page.write_bytes(before)
    ko.write_bytes(original)

    shutil.rmtree(root / "output")
    render = run(L10N + ["build"], root)
    _verify_site(root, site_pages)
    rows.append(Row(label, "build: full, catalogs checked before", render,
                    note=f"{site_pages / render.seconds:,.0f} pages/s; output/ removed, .cache/ kept"))

    check_pages = run(L10N + ["check"], root)
    rows.append(Row(label, "check: catalogs + every page in output/", check_pages, note=f"{site_pages:,} pages"))
    publish = run([sys.executable, "-c", PUBLISH, str(work / f"www-{pages}")], root)
    rows.append(Row(label, "publish without the Chromium pass", publish, note=f"{site_pages:,} pages"))

    # update after a day of edits: 1 % of the pages reworded, one page added, one removed
    for number in range(3, 3 + max(1, pages // 100)):
        _edit_first_paragraph(root / "source" / f"page-{number:04d}.md", " the ", " a ")
    (root / "source" / f"page-{pages + 1:04d}.md").write_text(corpus.page_text(pages + 1), encoding="utf-8")
    (root / "source" / f"page-{pages:04d}.md").unlink()
    run(L10N + ["extract"], root)
    msgmerge = [["msgmerge", "--quiet", "--previous", "-o", str(work / f"gnu-{loc}.po"), str(_po(root, loc)),
                 "locales/messages.pot"] for loc in LOCALES]
    update_ref = sequential(msgmerge, root)
    update_pair = paired(msgmerge, root)
    update = run(L10N + ["update"], root)
    same = sum(_po(root, loc).read_bytes() == (work / f"gnu-{loc}.po").read_bytes() for loc in LOCALES)
    rows.append(Row(label, "update: 1 % edited, +1/-1 page", update, "msgmerge x8", update_ref, "ratio <= 1.0",
                    _met(update.seconds <= update_ref.seconds),
                    f"output = msgmerge's in {same}/{len(LOCALES)}; "
                    f"ratio to 2 msgmerge at a time {update.seconds / update_pair.seconds:.2f}"))
    return rows


def bench_fuzzy(work: Path, size: int = 3000, edits: int = 100) -> Row:
    """The trap: ``edits`` reworded messages in a ``size``-message catalog."""
    import random

    import polib

    root = work / "fuzzy"
    (root / "locales" / "ko" / "LC_MESSAGES").mkdir(parents=True)
    (root / "pyproject.toml").write_text(corpus.PYPROJECT.replace(
        "locales = [" + ", ".join(f'"{loc}"' for loc in LOCALES) + "]", 'locales = ["ko"]'), encoding="utf-8")
    rng = random.Random(3000)
    msgids = list(dict.fromkeys(corpus._sentence(rng, n % 40) for n in range(size * 2)))[:size]
    header = {"Project-Id-Version": "bench", "Report-Msgid-Bugs-To": "", "POT-Creation-Date": "2025-01-01 00:00+0000",
              "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    po = polib.POFile(wrapwidth=79)
    po.metadata = {**header, "PO-Revision-Date": "2025-01-01 00:00+0000", "Language": "ko"}
    for n, msgid in enumerate(msgids):
        po.append(polib.POEntry(msgid=msgid, msgstr=corpus.pseudo_translate(msgid, "ko", {}),
                                occurrences=[(f"source/p{n}.md", "1")]))
    pot = polib.POFile(wrapwidth=79)
    pot.metadata = dict(header)
    for n, msgid in enumerate(msgids):
        if n % (size // edits) == 0:
            msgid = msgid.replace(" the ", " a ", 1) if " the " in msgid else msgid + " Again."
        pot.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=[(f"source/p{n}.md", "1")]))
    from pipeline.catalogs import write_catalog

    write_catalog(root / "locales" / "messages.pot", pot)
    write_catalog(_po(root, "ko"), po)
    original = _po(root, "ko").read_bytes()
    gnu = work / "fuzzy-gnu.po"
    ref = run(["msgmerge", "--quiet", "--previous", "-o", str(gnu), str(_po(root, "ko")), "locales/messages.pot"], root)
    ours = run(L10N + ["update"], root)

    def fuzzy(path: Path) -> dict[str, str | None]:
        return {e.msgid: e.previous_msgid for e in polib.pofile(str(path)) if e.fuzzy}

    mine, theirs = fuzzy(_po(root, "ko")), fuzzy(gnu)
    _po(root, "ko").write_bytes(original)
    same = "same" if mine == theirs else "DIFFERENT"
    return Row(f"{size:,} msgs", f"update: {edits} edited messages (fuzzy matching)", ours, "msgmerge", ref,
               "ratio <= 1.0", _met(ours.seconds <= ref.seconds),
               f"{len(mine)} fuzzy, {same} entries and previous msgids as msgmerge")


def _table(rows: list[Row]) -> str:
    cells = [HEADER] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _machine() -> str:
    with open("/proc/cpuinfo") as handle:
        model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return (f"{os.cpu_count()} cores ({model}), {memory / 1024:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=os.environ.get("BENCH_PAGES") or "100,1000",
                        help="comma-separated page counts (default 100,1000; env BENCH_PAGES)")
    parser.add_argument("--keep", type=Path, help="build the sites in this folder and keep them")
    args = parser.parse_args()
    for tool in ("msgmerge", "msgfmt"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: GNU {tool} is not installed (the reference): sudo apt-get install -y gettext")
    # An installed package has its bytecode (pip compiles it on install); an editable checkout
    # run with PYTHONDONTWRITEBYTECODE would compile every module on every command instead.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "pipeline"), quiet=1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows: list[Row] = []
    try:
        for pages in (int(p) for p in args.pages.split(",") if p.strip()):
            rows += bench_site(pages, work)
            print(f"bench: N={pages} done after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        rows.append(bench_fuzzy(work))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    peak = max(row.ours.memory_mb for row in rows)
    print(f"\nl10n pipeline vs GNU gettext {_gettext_version()} and Babel; {_machine()}")
    print(f"N pages x {len(LOCALES) + 1} languages; ratio = ours / reference (below 1: we are faster)\n")
    print(_table(rows))
    print(f"\npeak memory of any l10n command (process tree): {peak:.0f} MB (target < 400 MB: {_met(peak < 400)})")
    print(f"bench took {time.perf_counter() - started:.0f} s")


def _gettext_version() -> str:
    first = subprocess.run(["msgmerge", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return first.rsplit(" ", 1)[-1]


if __name__ == "__main__":
    main()
