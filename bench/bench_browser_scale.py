"""The browser pass at site scale (issue 18): ``l10n check --browser`` on a generated site of N pages
x 9 languages, cold, rerun with nothing changed, and after one English page changed.

    python bench/bench_browser_scale.py                 # N = 1000 (make bench)
    python bench/bench_browser_scale.py --pages 10      # a small run
    python bench/bench_browser_scale.py --json          # the figures as JSON on stdout
    L10N_JOBS=2 python bench/bench_browser_scale.py     # passed through to the check

The site comes from bench/corpus.py (pseudo translations that pass every check, reviewed
disclaimers) and is built once with ``l10n build`` (no browser), so ``output/`` holds every page
version. Then, each time in a fresh process (Playwright starts, Chromium launches):

1. cold: ``.cache/browser-verdicts.json`` deleted, ``l10n check --browser``;
2. rerun: the same command, nothing changed;
3. one page changed: a word of one English paragraph edited, ``l10n extract``, ``l10n update``, the
   reworded entry pseudo-translated in the eight catalogs as corpus.py does, ``l10n build``; then
   ``l10n check --browser`` again.

Each run is the real command (``pipeline.cli.main``) with ``check_in_browser`` wrapped to note how
long the browser pass itself took and how many page versions Chromium loaded (``loaded``; the
others' verdicts come from the cache). Measured per run: wall seconds of the command, CPU seconds
of its whole process tree (Python, Playwright's driver, Chromium: the larger of ``wait4``'s figure,
which counts every descendant its parent reaped but not Chromium's renderers, which outlive their
zygote, and the sum of each process's time as last sampled in /proc), and peak memory of that tree: the proportional set size (PSS, from
``/proc/PID/smaps_rollup``) summed over the process and all its descendants. PSS counts memory the
Chromium processes share (its binary, fonts, shared memory) once, split between them; the summed
resident set size (RSS, from ``/proc/PID/statm``), which counts it once per process, is shown too.
The RSS is sampled every 100 ms, the PSS (20 ms of CPU per read for a Chromium tree) every second
and at each new RSS peak (see ``TreeSampler``). MB here is 2**20 bytes; the 1.5 GB
target is 1,536 MB. Not counted: the two crash handlers each Chromium starts (about 4 MB RSS each),
which are re-parented to init and so cannot be told from another agent's Chromium's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

REPO = corpus.REPO
BIN = Path(sys.executable).parent
L10N = [str(BIN / "l10n")] if (BIN / "l10n").exists() else [sys.executable, "-m", "pipeline"]
LANGUAGES = 1 + len(corpus.LOCALES)
SAMPLE_SECONDS = 0.1
PSS_SECONDS = 1.0
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MEMORY_TARGET_MB = 1536  # 1.5 GB

# ``l10n check --browser`` as the CLI runs it, in this fresh interpreter; the wrapper around
# check_in_browser only writes down what its report says (the CLI prints no count of loads when
# every version was loaded) and how long the browser pass took.
_CHECK = """
import json, sys, time
import pipeline.checks.browser as browser
real, out = browser.check_in_browser, sys.argv.pop(1)
def check_in_browser(*args, **kwargs):
    start = time.perf_counter()
    report = real(*args, **kwargs)
    with open(out, "w") as handle:
        json.dump({"seconds": time.perf_counter() - start, "checked": report.pages_checked,
                   "loaded": getattr(report, "loaded", None),
                   "errors": sum(f.severity == "error" for f in report.findings)}, handle)
    return report
browser.check_in_browser = check_in_browser
from pipeline.cli import main
main(prog_name="l10n")
"""

# The floor: what loading the same page versions costs Chromium with no check at all, in one
# process of the same kind (the check's own Chromium flags and loopback server, one tab, script on,
# each load waited for): the CPU a version costs before the check measures anything. With "axe",
# each load is also given what the issue asks of every version besides the disclaimer gate:
# axe-core's WCAG 2.1 A/AA run, preloaded (with the probe) and run as the check runs it.
_FLOOR = """
import json, sys, time
from pathlib import Path
from pipeline.checks.accessibility import axe_source, run_expression
from pipeline.checks.browser import CHROMIUM_ARGS, CONDITIONS, DEFAULT_CHROMIUM, PROBE, _Lane, _SiteServer
from playwright.sync_api import sync_playwright
output, count, out, axe = Path(sys.argv[1]).resolve(), int(sys.argv[2]), sys.argv[3], sys.argv[4] == "axe"
pages = sorted(output.glob("*/*.html"))
pages = pages[:: max(1, len(pages) // count)][:count]
server = _SiteServer(output)
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=str(DEFAULT_CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    lane = _Lane(browser.new_context(viewport={"width": 1280, "height": 800}), True)
    if axe:
        lane.preload(PROBE + ";\\n" + axe_source())

    def load(page):
        lane.start(server.origin + page.relative_to(output).as_posix(), CONDITIONS[0])
        lane.tab.wait_for_load_state("load")
        if axe:
            lane.call(lane.world(), run_expression())

    load(pages[0])
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    for page in pages:
        load(page)
    seconds = time.perf_counter() - start
    with open(out, "w") as handle:
        json.dump({"seconds": seconds, "loads": len(pages)}, handle)
    print("done", flush=True)
    sys.stdin.readline()
    browser.close()
server.close()
"""


@dataclass
class Floor:
    loads: int
    seconds: float  # wall seconds of the loads alone (Chromium already started and warm)
    cpu_seconds: float  # CPU of the whole tree over those loads (from /proc)

    @property
    def cpu_per_load(self) -> float:
        return self.cpu_seconds / self.loads

    def ceiling(self, cores: int) -> float:
        """Versions/s this machine could load with every core busy and nothing checked."""
        return cores / self.cpu_per_load


def measure_floor(root: Path, env: dict[str, str], count: int = 200, axe: bool = False) -> Floor:
    """Bare loads of ``count`` page versions spread over ``output/`` (see ``_FLOOR``), each with
    axe-core's run when ``axe``: the CPU the tree spends between "ready" (Chromium started, one
    page loaded) and "done"."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as scratch:
        report = Path(scratch) / "floor.json"
        proc = subprocess.Popen([sys.executable, "-c", _FLOOR, str(root / "output"), str(count), str(report),
                                 "axe" if axe else "bare"],
                                cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        sampler = TreeSampler(proc.pid)
        try:
            assert proc.stdout is not None and proc.stdin is not None
            if proc.stdout.readline().strip() != "ready":
                raise SystemExit("bench: the floor run did not start")
            time.sleep(3 * SAMPLE_SECONDS)
            before = sampler.seen_cpu_seconds
            proc.stdin.write("go\n")
            proc.stdin.flush()
            if proc.stdout.readline().strip() != "done":
                raise SystemExit("bench: the floor run failed")
            time.sleep(3 * SAMPLE_SECONDS)  # the last loads' CPU sampled
            after = sampler.seen_cpu_seconds
            proc.stdin.write("end\n")
            proc.stdin.flush()
            proc.wait()
        finally:
            sampler.stop()
            if proc.poll() is None:
                proc.kill()
        seen = json.loads(report.read_text(encoding="utf-8"))
    return Floor(seen["loads"], seen["seconds"], after - before)


@dataclass
class Run:
    name: str
    seconds: float  # wall time of the whole command, interpreter start-up included
    browser_seconds: float  # check_in_browser alone
    checked: int  # page versions the browser pass answered for
    loaded: int | None  # page versions Chromium laid out (the others: verdicts from the cache)
    errors: int  # error findings of the browser pass
    code: int  # the command's exit code
    cpu_seconds: float  # user + system of the process tree: the larger of the two below
    peak_pss_mb: float
    peak_rss_mb: float
    processes: int  # most processes in the tree at one sample
    samples: int  # RSS samples
    pss_samples: int
    sampler_cpu_seconds: float  # what the memory sampling itself cost (in this process, not the tree)
    wait4_cpu_seconds: float  # the command and every descendant reaped by its parent (not Chromium's renderers)
    seen_cpu_seconds: float  # every process of the tree as last sampled from /proc (misses each one's last 100 ms)

    @property
    def rate(self) -> float:
        return self.checked / self.seconds if self.seconds else 0.0


# ------------------------------------------------------------------ process-tree memory ----

def descendants(pid: int, cpu: dict[int, int] | None = None) -> list[int]:
    """``pid`` and every process below it (parents from /proc/PID/stat, so a child any thread
    started counts, and Chromium's zygote and renderers with it). ``cpu``: filled with each one's
    user + system clock ticks so far."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()  # state ppid ... utime (12th) stime (13th)
        children.setdefault(int(fields[1]), []).append(int(name))
        ticks[int(name)] = int(fields[11]) + int(fields[12])
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
        if cpu is not None and current in ticks:
            cpu[current] = ticks[current]
    return found


def rss(pid: int) -> int:
    """Resident set size of one process in bytes (/proc/PID/statm: cheap to read)."""
    with open(f"/proc/{pid}/statm", "rb") as handle:
        return int(handle.read().split()[1]) * PAGE_SIZE


def pss(pid: int) -> int:
    """Proportional set size of one process in bytes (/proc/PID/smaps_rollup: the kernel walks the
    process's page tables, 1 to 3 ms for a Chromium process)."""
    with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
        for line in handle:
            if line.startswith(b"Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def _total(read: Callable[[int], int], pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += read(pid)
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return total


class TreeSampler:
    """Peak memory of a process tree. The summed RSS is read every ``SAMPLE_SECONDS``; the summed
    PSS, which costs about 20 ms of CPU for a Chromium tree, every ``PSS_SECONDS`` and whenever the
    RSS sets a new record (at most every ``SAMPLE_SECONDS * 2``): the PSS peaks where the memory
    does, and reading it 10 times a second cost a fifth of one of the machine's two cores, which
    slowed the run being measured."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_pss = self.peak_rss = self.processes = self.samples = self.pss_samples = 0
        self.cpu_seconds = 0.0
        self.ticks: dict[int, int] = {}  # pid -> CPU clock ticks when last seen
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        last_pss = float("-inf")
        while True:
            pids = descendants(self.pid, self.ticks)
            resident = _total(rss, pids)
            record = resident > self.peak_rss
            self.peak_rss = max(self.peak_rss, resident)
            self.processes = max(self.processes, len(pids))
            self.samples += 1
            now = time.monotonic()
            if now - last_pss >= PSS_SECONDS or (record and now - last_pss >= 2 * SAMPLE_SECONDS):
                self.peak_pss = max(self.peak_pss, _total(pss, pids))
                self.pss_samples += 1
                last_pss = now
            self.cpu_seconds = time.thread_time()
            if self.done.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    @property
    def seen_cpu_seconds(self) -> float:
        """CPU seconds of every process of the tree as last sampled. ``wait4`` alone misses most of
        Chromium's: its renderers outlive the zygote that would reap them (a renderer busy for 3.4 s
        added nothing to it), so they are re-parented to init and their time is lost."""
        return sum(self.ticks.values()) / CLOCK_TICKS


def measure(name: str, root: Path, env: dict[str, str]) -> Run:
    """``l10n check --browser`` in ``root`` in a fresh process: wall, CPU and peak memory of its tree."""
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        report = Path(scratch) / "report.json"
        log = Path(scratch) / "log"
        with open(log, "wb") as out:
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-c", _CHECK, str(report), "check", "--browser"], cwd=root,
                                    stdout=out, stderr=subprocess.STDOUT, env=env)
            sampler = TreeSampler(proc.pid)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            sampler.stop()
            proc.returncode = code = os.waitstatus_to_exitcode(status)
        output = log.read_text(encoding="utf-8", errors="replace")
        if code not in (0, 1) or not report.is_file():
            raise SystemExit(f"bench: l10n check --browser exited with {code} in {root}:\n{output[-3000:]}")
        seen = json.loads(report.read_text(encoding="utf-8"))
    if code == 1:
        print(f"bench: warning: l10n check --browser failed ({name}):\n{output[-2000:]}", file=sys.stderr)
    reaped = usage.ru_utime + usage.ru_stime
    return Run(name, seconds, seen["seconds"], seen["checked"], seen["loaded"], seen["errors"], code,
               max(reaped, sampler.seen_cpu_seconds), sampler.peak_pss / 2**20, sampler.peak_rss / 2**20,
               sampler.processes, sampler.samples, sampler.pss_samples, sampler.cpu_seconds, reaped,
               sampler.seen_cpu_seconds)


# ------------------------------------------------------------------ the site ----

def l10n(root: Path, *args: str) -> float:
    """Run ``l10n ARGS`` in ``root`` (it must succeed); its wall seconds."""
    start = time.perf_counter()
    done = subprocess.run(L10N + list(args), cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: l10n {' '.join(args)} exited with {done.returncode} in {root}:\n"
                         f"{(done.stdout + done.stderr)[-3000:]}")
    return time.perf_counter() - start


def page_versions(root: Path) -> dict[str, bytes]:
    """Every content page version in output/ (``<lang>/page-NNNN.html``) -> a digest of its bytes."""
    return {f"{path.parent.name}/{path.name}": hashlib.sha256(path.read_bytes()).digest()
            for path in (root / "output").glob("*/page-*.html")}


def other_files(root: Path) -> dict[str, bytes]:
    """Every other file of output/ (indexes, stylesheet, search data) -> a digest of its bytes."""
    output = root / "output"
    return {str(path.relative_to(output)): hashlib.sha256(path.read_bytes()).digest()
            for path in output.rglob("*") if path.is_file() and not (
                path.parent.parent == output and path.name.startswith("page-") and path.suffix == ".html")}


def verify_site(root: Path, pages: int) -> None:
    """A benchmark of a site that does not publish is worthless: every page in every language."""
    versions = page_versions(root)
    if len(versions) != pages * LANGUAGES:
        raise SystemExit(f"bench: {len(versions)} page versions in {root / 'output'}, expected {pages * LANGUAGES}")


def edit_one_paragraph(page: Path) -> None:
    """Change one word of the first paragraph after the first heading (an editor's typical fix)."""
    text = page.read_text(encoding="utf-8")
    head, _, body = text.partition("## ")
    heading_end = body.index("\n\n") + 2
    paragraph_end = body.index("\n\n", heading_end)
    paragraph = body[heading_end:paragraph_end]
    if "The " not in paragraph:
        raise SystemExit(f"bench: {page} has no 'The ' to edit in its first paragraph")
    page.write_text(head + "## " + body[:heading_end] + paragraph.replace("The ", "This ", 1) + body[paragraph_end:],
                    encoding="utf-8")


@dataclass
class Change:
    page: str
    entries: int  # reworded entries pseudo-translated per catalog
    seconds: float  # edit, extract, update, translate, build
    steps: dict[str, float]  # seconds of each
    versions_changed: int  # page versions whose bytes changed
    others_changed: list[str]  # other files of output/ whose bytes changed


def change_one_page(root: Path, pages: int) -> Change:
    number = 2 if pages >= 2 else 1
    slug = f"page-{number:04d}"
    before, others_before = page_versions(root), other_files(root)
    steps = {}
    start = time.perf_counter()
    edit_one_paragraph(root / "source" / f"{slug}.md")
    steps["extract"] = l10n(root, "extract")
    steps["update"] = l10n(root, "update")
    began = time.perf_counter()
    entries = corpus.translate_pending(root)
    steps["translate"] = time.perf_counter() - began
    steps["build"] = l10n(root, "build")
    seconds = time.perf_counter() - start
    verify_site(root, pages)
    after, others_after = page_versions(root), other_files(root)
    changed = {name for name in after if after[name] != before.get(name)}
    mine = {name for name in after if name.endswith(f"/{slug}.html")}
    if entries < 1 or not mine <= changed:
        raise SystemExit(f"bench: the edit of {slug} did not rebuild its {LANGUAGES} versions "
                         f"({len(mine & changed)} changed, {entries} entries translated)")
    others = sorted(name for name in others_after.keys() | others_before.keys()
                    if others_after.get(name) != others_before.get(name))
    return Change(slug, entries, seconds, steps, len(changed), others)


# ------------------------------------------------------------------ the report ----

def chromium_version(root: Path) -> str:
    from pipeline.checks.browser import chromium_executable
    from pipeline.config import load_config

    executable = chromium_executable(load_config(root))
    done = subprocess.run([str(executable), "--version"], capture_output=True, text=True)
    return (done.stdout.strip() or done.stderr.strip().splitlines()[-1]) + f" ({executable})"


def nproc() -> int:
    try:
        return int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return len(os.sched_getaffinity(0))


def _met(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def figures(cold: Run, rerun: Run, changed: Run, change: Change) -> list[dict[str, object]]:
    """The issue's targets beside what was measured (``value``: the number, for --json)."""
    rerun_share = 100 * rerun.seconds / cold.seconds
    changed_share = 100 * changed.seconds / cold.seconds
    peak = max(cold.peak_pss_mb, rerun.peak_pss_mb, changed.peak_pss_mb)
    return [
        {"figure": "cold: page versions per second", "target": ">= 15 versions/s",
         "measured": f"{cold.rate:.2f} versions/s ({cold.checked} in {cold.seconds:.1f} s)",
         "value": cold.rate, "met": _met(cold.rate >= 15)},
        {"figure": "rerun, nothing changed: time", "target": "<= 5 % of cold",
         "measured": f"{rerun_share:.1f} % ({rerun.seconds:.1f} s)", "value": rerun_share,
         "met": _met(rerun_share <= 5)},
        {"figure": "rerun, nothing changed: versions loaded", "target": "0",
         "measured": _loaded(rerun), "value": rerun.loaded, "met": _met(rerun.loaded == 0)},
        {"figure": "one source page changed: time", "target": "<= 2 % of cold",
         "measured": f"{changed_share:.1f} % ({changed.seconds:.1f} s)", "value": changed_share,
         "met": _met(changed_share <= 2)},
        {"figure": "one source page changed: versions loaded",
         "target": f"<= versions whose bytes changed ({change.versions_changed})",
         "measured": _loaded(changed), "value": changed.loaded,
         "met": _met(changed.loaded is not None and changed.loaded <= change.versions_changed)},
        {"figure": "peak memory, process tree incl. Chromium (PSS)", "target": f"< {MEMORY_TARGET_MB} MB",
         "measured": f"{peak:.0f} MB", "value": peak, "met": _met(peak < MEMORY_TARGET_MB)},
    ]


def _loaded(run: Run) -> str:
    return "unknown (the report has no `loaded`)" if run.loaded is None else str(run.loaded)


def _table(header: list[str], rows: list[list[str]]) -> str:
    cells = [header] + rows
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def text_report(result: dict) -> str:
    runs = [Run(**run) for run in result["runs"]]
    overhead = result["harness_seconds"]
    change = result["change"]
    lines = [
        f"browser pass at site scale: {result['pages']:,} pages x {LANGUAGES} languages = "
        f"{result['pages'] * LANGUAGES:,} page versions",
        f"{result['machine']}; nproc {result['nproc']}; L10N_JOBS {result['l10n_jobs'] or 'unset'}; "
        f"load average at start {result['load_average']}",
        f"{result['chromium']}",
        "",
        _table(["figure", "target", "measured", "met"],
               [[row["figure"], row["target"], row["measured"], row["met"]] for row in result["figures"]]),
        "",
        _table(["run", "wall s", "browser pass s", "versions checked", "loaded", "versions/s", "CPU s",
                "peak PSS MB", "peak RSS MB", "processes", "exit"],
               [[r.name, f"{r.seconds:.2f}", f"{r.browser_seconds:.2f}", str(r.checked),
                 "?" if r.loaded is None else str(r.loaded), f"{r.rate:.2f}", f"{r.cpu_seconds:.1f}",
                 f"{r.peak_pss_mb:.0f}", f"{r.peak_rss_mb:.0f}", str(r.processes), str(r.code)] for r in runs]),
        "",
        "wall s: the whole `l10n check --browser` (start-up and catalog checks included), which the targets use;"
        " browser pass s: check_in_browser alone.",
        "CPU s: user + system of the tree, the larger of wait4's (the command and every descendant reaped by "
        "its parent; Chromium's renderers are not) and the sum over the tree's processes last sampled in /proc: "
        + "; ".join(f"{r.name} {r.wait4_cpu_seconds:.1f} and {r.seen_cpu_seconds:.1f}" for r in runs) + ".",
        f"memory: PSS (and RSS) summed over the command and all its descendants; RSS sampled every "
        f"{SAMPLE_SECONDS * 1000:.0f} ms, PSS every {PSS_SECONDS:.0f} s and at each new RSS peak; MB = 2**20 bytes; "
        f"the sampling cost "
        f"{sum(r.sampler_cpu_seconds for r in runs):.1f} CPU s in this process over "
        f"{sum(r.seconds for r in runs):.0f} s of runs.",
        f"one page changed: {change['page']} ({change['entries']} entry reworded per catalog); "
        f"{change['versions_changed']} page versions changed bytes; other files of output/ changed: "
        f"{_summary(change['others_changed'])}.",
        _bound(result, runs[0]),
        f"harness outside the browser check: corpus {overhead['corpus']:.1f} s, build {overhead['build']:.1f} s, "
        f"edit + extract + update + translate + build {overhead['change']:.1f} s "
        f"({', '.join(f'{step} {seconds:.1f}' for step, seconds in change['steps'].items())}); "
        f"bench took {result['total_seconds']:.0f} s.",
    ]
    return "\n".join(lines)


def _bound(result: dict, cold: Run) -> str:
    """What bounds the cold pass: the check's CPU per version beside a bare load's, and beside a
    load with axe-core's run (what every version costs before the disclaimer gate measures)."""
    floor, with_axe = Floor(**result["floor"]), Floor(**result["floor_axe"])
    cores = result["nproc"]
    per_version = cold.cpu_seconds / cold.checked
    return (f"what bounds it: a bare load of a page version (Chromium started, no check: {floor.loads} loads, "
            f"{floor.seconds:.1f} s in one tab) costs {floor.cpu_per_load:.3f} CPU s, so {cores} cores load at most "
            f"{floor.ceiling(cores):.1f} versions/s before anything is checked; a load with axe-core's WCAG run "
            f"({with_axe.seconds:.1f} s) costs {with_axe.cpu_per_load:.3f} CPU s, at most "
            f"{with_axe.ceiling(cores):.1f} versions/s before the disclaimer gate measures anything; the cold pass "
            f"spent {per_version:.3f} CPU s a version ({per_version / floor.cpu_per_load:.1f} bare loads, "
            f"{per_version / with_axe.cpu_per_load:.1f} loads with axe).")


def _summary(names: list[str]) -> str:
    """``3 (pagefind/ 2, index.html)``: how many files, by top folder."""
    if not names:
        return "none"
    groups: dict[str, int] = {}
    for name in names:
        top = name.split("/", 1)[0] + "/" if "/" in name else name
        groups[top] = groups.get(top, 0) + 1
    return f"{len(names)} (" + ", ".join(f"{top} {n}" if top.endswith("/") else top
                                         for top, n in sorted(groups.items())) + ")"


def _machine() -> str:
    with open("/proc/cpuinfo") as handle:
        model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "?")
    with open("/proc/meminfo") as handle:
        memory = next((int(line.split()[1]) for line in handle if line.startswith("MemTotal")), 0)
    return (f"{model}, {memory / 2**20:.1f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def bench(pages: int, work: Path, env: dict[str, str]) -> dict:
    started = time.perf_counter()
    root = work / f"site-{pages}"

    def step(message: str) -> None:
        print(f"bench: {message} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    step(f"generating {pages} pages")
    corpus_start = time.perf_counter()
    corpus.write_sources(root, pages)
    l10n(root, "extract")
    corpus.write_translations(root)
    corpus_seconds = time.perf_counter() - corpus_start
    step("l10n build")
    build_seconds = l10n(root, "build")
    verify_site(root, pages)

    (root / ".cache" / "browser-verdicts.json").unlink(missing_ok=True)
    step("cold l10n check --browser")
    cold = measure("cold", root, env)
    # every page version, each language's index and the language chooser
    if cold.checked not in (pages * LANGUAGES, pages * LANGUAGES + LANGUAGES + 1):
        raise SystemExit(f"bench: the browser pass checked {cold.checked} page versions, expected "
                         f"{pages * LANGUAGES} and the {LANGUAGES + 1} indexes")
    step("the floor: bare loads of 200 page versions, no check; then with axe-core's run on each")
    floor = measure_floor(root, env)
    floor_axe = measure_floor(root, env, axe=True)
    step("rerun, nothing changed")
    rerun = measure("rerun, nothing changed", root, env)
    step("one source page changed: extract, update, translate, build")
    change = change_one_page(root, pages)
    step("l10n check --browser after one page changed")
    changed = measure("one source page changed", root, env)
    step("done")
    return {
        "pages": pages,
        "figures": figures(cold, rerun, changed, change),
        "runs": [asdict(run) for run in (cold, rerun, changed)],
        "floor": asdict(floor),
        "floor_axe": asdict(floor_axe),
        "change": asdict(change),
        "harness_seconds": {"corpus": corpus_seconds, "build": build_seconds, "change": change.seconds},
        "total_seconds": time.perf_counter() - started,
        "chromium": chromium_version(root),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="English pages of the site (default 1000)")
    parser.add_argument("--jobs", type=int, help="set L10N_JOBS for the check (default: as in the environment)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    parser.add_argument("--keep", type=Path, help="build the site in this folder and keep it")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    env = dict(os.environ)
    if args.jobs is not None:
        env["L10N_JOBS"] = str(args.jobs)
    import compileall

    compileall.compile_dir(str(REPO / "pipeline"), quiet=1)
    load = os.getloadavg()
    work = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = bench(args.pages, work, env)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    result.update(machine=_machine(), nproc=nproc(), l10n_jobs=env.get("L10N_JOBS"),
                  load_average=" ".join(f"{x:.2f}" for x in load), memory_measure="PSS",
                  sample_seconds=SAMPLE_SECONDS)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(text_report(result))


if __name__ == "__main__":
    main()
