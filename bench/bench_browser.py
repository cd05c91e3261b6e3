"""Benchmark the browser gate (``check --browser``): cold seconds per page version.

Run: .venv/bin/python bench/bench_browser.py [--runs 3]   (make bench runs it; about 30 s)

The shipped site (one page in nine languages) is built in a temporary folder; then, in a fresh
interpreter each time (cold: Playwright starts, Chromium launches, fonts load), the browser check
alone (``check_in_browser``) runs over every built page. Reported: the best and the median of the
runs, divided by the number of page versions checked; and the CPU seconds of the whole process
tree (Python, Playwright's driver, Chromium), which a busy machine disturbs much less than wall time.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as work:
        root = Path(work) / "site"
        root.mkdir()
        for name in ("source", "locales"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        subprocess.run([sys.executable, "-m", "pipeline", "--project", str(root), "build"], check=True,
                       capture_output=True)
        runs = []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([sys.executable, "-c", _ONE_RUN, str(root)], check=True, capture_output=True,
                                  text=True, cwd=Path.cwd())
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            runs.append(run)
    pages = runs[0]["pages"]
    seconds = sorted(r["seconds"] for r in runs)
    errors = {r["errors"] for r in runs}
    cpu = sorted(r["cpu"] for r in runs)
    print(f"browser gate (check_in_browser, cold: new process and Chromium each run), shipped site, "
          f"{pages} page versions, {args.runs} runs")
    print(f"  total s: best {seconds[0]:.2f}, median {statistics.median(seconds):.2f}")
    print(f"  s per page version: best {seconds[0] / pages:.3f}, median {statistics.median(seconds) / pages:.3f}"
          f"  (errors reported: {', '.join(map(str, sorted(errors)))})")
    print(f"  CPU s per page version (process tree, incl. start-up): best {cpu[0] / pages:.3f}, "
          f"median {statistics.median(cpu) / pages:.3f}")


if __name__ == "__main__":
    main()
