"""Benchmark `l10n translate`: 10,000 new messages across 8 locales against a local provider stub.

Run: .venv/bin/python bench/bench_translate.py   (about a minute; prints a table)

The stub (tests/mt_stub.py, LibreTranslate's API) runs in a child process so it does not share
the interpreter lock with the pipeline. Measured:
- messages/s at 0 ms and at 50 ms provider latency (default --jobs);
- the speed-up from concurrency at 50 ms over one request at a time (--jobs 1, on a sample);
- the pipeline's own cost per message at 0 ms: a one-at-a-time run (2,000 messages) minus the
  same number of requests sent bare (one keep-alive session, no pipeline), and the offline
  pseudo provider on the same 2,000 (no HTTP at all).
"""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import requests  # noqa: E402

from pipeline.config import load_config  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.translate import translate  # noqa: E402
from pipeline.update import update  # noqa: E402

LOCALES = ["ko", "ja", "zh_Hans", "vi", "ru", "ar", "es", "de"]  # all eight supported by libre
PER_LOCALE = 1250  # 8 x 1,250 = 10,000 messages
SAMPLE = 15  # per locale, one at a time at 50 ms: 8 x 15 x 50 ms = 6 s
OVERHEAD = 250  # per locale, one at a time at 0 ms: 2,000 messages
JOBS = 16  # the CLI's default


def _stub_process(
    latency: float, ready: multiprocessing.Queue, stop: multiprocessing.Event
) -> None:
    from mt_stub import StubProvider

    with StubProvider(latency=latency) as stub:
        ready.put(stub.url)
        stop.wait()
        ready.put(stub.count())


class Stub:
    """The provider stub in its own process."""

    def __init__(self, latency: float) -> None:
        self.ready: multiprocessing.Queue = multiprocessing.Queue()
        self.stop = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_stub_process, args=(latency, self.ready, self.stop)
        )

    def __enter__(self) -> Stub:
        self.process.start()
        self.url = self.ready.get(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.requests = self.ready.get(timeout=30)
        self.process.join(timeout=30)


def make_project(root: Path, per_locale: int) -> Path:
    """A site whose one page has ``per_locale`` distinct paragraphs, extracted and merged."""
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "bench"\n\n[tool.l10n]\nlocales = {LOCALES!r}\n'.replace("'", '"'),
        encoding="utf-8",
    )
    body = "\n\n".join(
        f"Paragraph {i}: the **recovery** after [procedure {i}](https://clinic.example/p/{i}) "
        f"takes about {i % 14 + 1} days, depending on the individual."
        for i in range(
            per_locale - 4
        )  # + title, description, disclaimer, caption... from templates
    )
    (root / "source" / "page.md").write_text(
        "---\ntitle: Bench\nslug: page\ndescription: A page of many paragraphs.\n"
        "disclaimer: ※ Side effects may occur.\n---\n\n" + body + "\n",
        encoding="utf-8",
    )
    config = load_config(root)
    extract(config)
    update(config, None)
    return root


def fresh(template: Path, work: Path) -> Path:
    """A copy of the project with empty catalogs and no cache."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(template, work, ignore=shutil.ignore_patterns(".cache"))
    return work


class Clock:
    """Wall time, and CPU time of this process (all its threads; the stub runs elsewhere).

    CPU time measures the pipeline's own work even on a machine busy with other jobs.
    """

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def run(
    template: Path, work: Path, latency: float, jobs: int, provider: str = "libre"
) -> tuple[Clock, int]:
    """How long translating the whole project took, and how many messages it filled."""
    root = fresh(template, work)
    config = load_config(root)
    if provider == "pseudo":
        with Clock() as clock:
            result = translate(config, provider="pseudo", jobs=jobs)
        return clock, result.total("filled")
    with Stub(latency) as stub, Clock() as clock:
        result = translate(config, provider=provider, url=stub.url, jobs=jobs, timeout=30)
    assert not result.failed, [o.error for o in result.locales if o.error]
    assert stub.requests == result.total("sent") == result.total("filled")
    return clock, result.total("filled")


def bare_http(messages: int) -> Clock:
    """As many LibreTranslate requests, one at a time on one keep-alive session, no pipeline."""
    with Stub(0.0) as stub, requests.Session() as session, Clock() as clock:
        session.trust_env = False  # as the pipeline's sessions: no environment scan per request
        for i in range(messages):
            text = (
                f"Paragraph {i}: the {{0}}recovery{{1}} after {{2}}procedure {i}{{3}} takes 3 days."
            )
            params = {"q": text, "source": "en", "target": "ko", "format": "text"}
            session.post(stub.url + "translate", params=params, timeout=30).json()
    return clock


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        print(f"setting up {len(LOCALES)} catalogs x {PER_LOCALE} messages ...", flush=True)
        full = make_project(base / "full", PER_LOCALE)
        sample = make_project(base / "sample", SAMPLE)
        mid = make_project(base / "mid", OVERHEAD)
        work = base / "work"

        fast, n_fast = run(full, work, 0.0, JOBS)
        slow, n_slow = run(full, work, 0.05, JOBS)
        serial, n_serial = run(sample, work, 0.05, 1)
        single, n_single = run(mid, work, 0.0, 1)
        bare = bare_http(n_single)
        pseudo, n_pseudo = run(mid, work, 0.0, JOBS, provider="pseudo")
        rows = [
            (f"libre stub, 0 ms, --jobs {JOBS}", n_fast, fast),
            (f"libre stub, 50 ms, --jobs {JOBS}", n_slow, slow),
            ("libre stub, 50 ms, --jobs 1", n_serial, serial),
            ("libre stub, 0 ms, --jobs 1", n_single, single),
            ("bare HTTP, 0 ms, one at a time", n_single, bare),
            ("pseudo provider (no HTTP)", n_pseudo, pseudo),
        ]
        print(f"\n{'run':<36} {'messages':>9} {'wall s':>7} {'msg/s':>6} {'CPU ms/msg':>11}")
        for name, count, clock in rows:
            rate, cpu = count / clock.wall, clock.cpu / count * 1000
            print(f"{name:<36} {count:>9,} {clock.wall:>7.2f} {rate:>6.0f} {cpu:>11.2f}")
        speedup = (n_slow / slow.wall) / (n_serial / serial.wall)
        wall = (single.wall - bare.wall) / n_single * 1000
        cpu = (single.cpu - bare.cpu) / n_single * 1000
        print(f"\nspeed-up from concurrency at 50 ms: {speedup:.1f}x, --jobs {JOBS} (target >= 8x)")
        print(
            "pipeline overhead per message at 0 ms (one at a time, minus bare HTTP): "
            f"{wall:.2f} ms wall, {cpu:.2f} ms CPU (target < 1 ms)"
        )
        per_message = pseudo.wall / n_pseudo * 1000
        print(f"pseudo provider, the whole pipeline without HTTP: {per_message:.2f} ms per message")


if __name__ == "__main__":
    main()
