"""The benchmarks' generated site publishes, and the browser bench's measuring is honest.

bench/bench_browser_scale.py times ``check --browser`` on a site from bench/corpus.py; a site whose
pages the gate withholds, an edit that does not rebuild its nine versions, or a memory figure that
leaves Chromium out would make its table meaningless. Chromium itself is not started here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench_browser_scale as scale  # noqa: E402
import corpus  # noqa: E402

from pipeline.config import load_config  # noqa: E402
from pipeline.extract import extract  # noqa: E402


def test_the_site_publishes_and_one_english_edit_rebuilds_exactly_its_nine_versions(tmp_path: Path) -> None:
    site = tmp_path / "site"
    corpus.write_sources(site, 2)
    extract(load_config(site))
    corpus.write_translations(site)
    built = subprocess.run(scale.L10N + ["build"], cwd=site, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "WITHHELD" not in built.stdout + built.stderr  # every disclaimer carries a review record
    scale.verify_site(site, 2)
    before = scale.page_versions(site)
    assert len(before) == 2 * 9
    english = (site / "source" / "page-0002.md").read_text(encoding="utf-8")

    change = scale.change_one_page(site, 2)  # edit, extract, update, translate, build

    after = scale.page_versions(site)
    assert (site / "source" / "page-0002.md").read_text(encoding="utf-8") != english
    assert change.entries == 1  # one paragraph reworded, translated again in every catalog
    assert {name for name in after if after[name] != before[name]} == {
        f"{lang}/page-0002.html" for lang in ("en", "ko", "ja", "zh-Hans", "zh-Hant", "th", "vi", "ru", "ar")}
    assert change.versions_changed == 9
    for po in site.glob("locales/*/LC_MESSAGES/messages.po"):
        text = po.read_text(encoding="utf-8")
        assert "#, fuzzy" not in text and "#| msgid" not in text
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)]).returncode == 0


def test_memory_of_a_process_tree_counts_its_grandchildren() -> None:
    # a child that starts a grandchild holding 200 MB; each says "ready" and waits for its stdin
    grandchild = "import sys; b = b'x' * (200 * 2**20); print('ready', flush=True); sys.stdin.read()"
    child = (f"import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', {grandchild!r}]); "
             "p.wait()")
    proc = subprocess.Popen([sys.executable, "-c", child], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "ready\n"
        tree = scale.descendants(proc.pid)
        assert len(tree) == 2 and tree[0] == proc.pid
        assert scale._total(scale.pss, tree) >= 200 * 2**20
        assert scale._total(scale.rss, tree) >= 200 * 2**20
        assert scale._total(scale.pss, [proc.pid]) < 100 * 2**20
    finally:
        proc.stdin.close()
        proc.wait()
