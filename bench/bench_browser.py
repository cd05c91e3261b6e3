"""Benchmark the browser gate (``check --browser``): cold seconds per page version.

Run: .venv/bin/python bench/bench_browser.py [--runs 3] [--before REV]   (make bench runs it; about 45 s)

Before and after: the commit ``--before`` names (default: the gate when issue 15 was filed) is
checked out in a temporary git worktree and measured the same way first: that tree's package
(``PYTHONPATH`` points the interpreter at it) builds and checks today's shipped site.

The shipped site (one page in nine languages, their indexes and the language chooser) is built in
a temporary folder; then, in a fresh interpreter each time (cold: Playwright starts, Chromium
launches, fonts load, and the verdicts kept in ``.cache/`` are deleted first), the browser check
alone (``check_in_browser``) runs over every built page, in one process (``L10N_JOBS=1``, as the
figures before the pass went parallel were taken; ``--jobs N`` for others). Reported: the best and
the median of the runs, divided by the number of page versions checked; and the CPU seconds of the
whole process tree (Python, Playwright's driver, Chromium, its renderers included: summed from
/proc, see bench_browser_scale.py), which a busy machine disturbs much less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from bench_browser_scale import TreeSampler  # noqa: E402

_ONE_RUN = """
import json, sys, time
from pathlib import Path
from pipeline.config import load_config
start = time.perf_counter()
from pipeline.checks.browser import check_in_browser
report = check_in_browser(load_config(Path(sys.argv[1])))
print(json.dumps({"seconds": time.perf_counter() - start, "pages": report.pages_checked,
                  "errors": sum(f.severity == "error" for f in report.findings)}))
"""


BEFORE = "c3e7faa^"  # the gate when issue 15 was filed: 1280 and 390 px, computed styles


def measure(code: Path, runs: int, jobs: int) -> dict:
    """Today's shipped site built and checked cold ``runs`` times by the package in ``code``."""
    env = {**os.environ, "L10N_JOBS": str(jobs), "PYTHONPATH": str(code)}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as work:
        root = Path(work) / "site"
        root.mkdir()
        for name in ("source", "locales"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        subprocess.run([sys.executable, "-m", "pipeline", "--project", str(root), "build"], check=True,
                       capture_output=True, env=env)
        found = []
        for _ in range(runs):
            shutil.rmtree(root / ".cache", ignore_errors=True)  # cold: no verdict kept
            proc = subprocess.Popen([sys.executable, "-c", _ONE_RUN, str(root)], stdout=subprocess.PIPE,
                                    text=True, cwd=work, env=env)
            sampler = TreeSampler(proc.pid)
            out, _ = proc.communicate()
            sampler.stop()
            if proc.returncode:
                raise SystemExit(f"bench: the browser check exited with {proc.returncode}")
            run = json.loads(out.strip().splitlines()[-1])
            run["cpu"] = sampler.seen_cpu_seconds
            found.append(run)
    pages = found[0]["pages"]
    return {"pages": pages, "errors": sorted({r["errors"] for r in found}),
            "seconds": sorted(r["seconds"] for r in found), "cpu": sorted(r["cpu"] for r in found)}


def report(name: str, result: dict, runs: int, jobs: int) -> None:
    pages, seconds, cpu = result["pages"], result["seconds"], result["cpu"]
    print(f"{name}: browser gate (check_in_browser, cold: new process and Chromium each run), shipped site, "
          f"{pages} page versions, L10N_JOBS={jobs}, {runs} runs")
    print(f"  total s: best {seconds[0]:.2f}, median {statistics.median(seconds):.2f}")
    print(f"  s per page version: best {seconds[0] / pages:.3f}, median {statistics.median(seconds) / pages:.3f}"
          f"  (errors reported: {', '.join(map(str, result['errors']))})")
    print(f"  CPU s per page version (process tree, incl. start-up): best {cpu[0] / pages:.3f}, "
          f"median {statistics.median(cpu) / pages:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="L10N_JOBS for the check (default 1)")
    parser.add_argument("--before", default=BEFORE, metavar="REV",
                        help=f"also measure this commit, checked out in a temporary git worktree (default {BEFORE}; "
                             f"'' for none)")
    args = parser.parse_args()
    if args.before:
        with tempfile.TemporaryDirectory(prefix="bench-browser-before-") as scratch:
            tree = Path(scratch) / "tree"
            added = subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), args.before],
                                   capture_output=True, text=True)
            if added.returncode:
                print(f"before ({args.before}): not measured: {added.stderr.strip() or 'git worktree add failed'}")
            else:
                try:
                    report(f"before ({args.before})", measure(tree, args.runs, args.jobs), args.runs, args.jobs)
                finally:
                    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                                   capture_output=True)
    report("after (this tree)", measure(REPO, args.runs, args.jobs), args.runs, args.jobs)


if __name__ == "__main__":
    main()
