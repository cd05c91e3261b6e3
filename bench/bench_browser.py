"""Benchmark the browser gate (``check --browser``): cold seconds per page version.

Run: .venv/bin/python bench/bench_browser.py [--runs 3]   (make bench runs it; about 30 s)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="L10N_JOBS for the check (default 1)")
    args = parser.parse_args()
    env = {**os.environ, "L10N_JOBS": str(args.jobs)}
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
            shutil.rmtree(root / ".cache", ignore_errors=True)  # cold: no verdict kept
            proc = subprocess.Popen([sys.executable, "-c", _ONE_RUN, str(root)], stdout=subprocess.PIPE,
                                    text=True, cwd=Path.cwd(), env=env)
            sampler = TreeSampler(proc.pid)
            out, _ = proc.communicate()
            sampler.stop()
            if proc.returncode:
                raise SystemExit(f"bench: the browser check exited with {proc.returncode}")
            run = json.loads(out.strip().splitlines()[-1])
            run["cpu"] = sampler.seen_cpu_seconds
            runs.append(run)
    pages = runs[0]["pages"]
    seconds = sorted(r["seconds"] for r in runs)
    errors = {r["errors"] for r in runs}
    cpu = sorted(r["cpu"] for r in runs)
    print(f"browser gate (check_in_browser, cold: new process and Chromium each run), shipped site, "
          f"{pages} page versions, L10N_JOBS={args.jobs}, {args.runs} runs")
    print(f"  total s: best {seconds[0]:.2f}, median {statistics.median(seconds):.2f}")
    print(f"  s per page version: best {seconds[0] / pages:.3f}, median {statistics.median(seconds) / pages:.3f}"
          f"  (errors reported: {', '.join(map(str, sorted(errors)))})")
    print(f"  CPU s per page version (process tree, incl. start-up): best {cpu[0] / pages:.3f}, "
          f"median {statistics.median(cpu) / pages:.3f}")


if __name__ == "__main__":
    main()
