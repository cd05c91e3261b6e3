"""`l10n stats`: progress per locale as a table, JSON and an HTML dashboard (rendered in Chromium)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from conftest import DISCLAIMER, TRANSLATIONS, l10n, po_path, snapshot, translate_catalog, write_glossary
from test_review import review


def message_count(root: Path) -> int:
    return sum(1 for e in polib.pofile(str(root / "locales" / "messages.pot")) if e.msgid)


def translated_count(root: Path, locale: str) -> int:
    """Messages the tiny project's translator filled (the template may hold more)."""
    return sum(1 for e in polib.pofile(str(root / "locales" / "messages.pot")) if e.msgid in TRANSLATIONS[locale])


def by_locale(root: Path, *args: str) -> dict[str, dict]:
    result = l10n(root, "stats", "--format", "json", *args)
    assert result.code == 0, result.output
    return {row["locale"]: row for row in json.loads(result.stdout)}


def test_table_shows_progress_and_why_a_page_is_withheld(translated: Path) -> None:
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={DISCLAIMER})
    result = l10n(translated, "stats")
    assert result.code == 0, result.output
    header, ko, ar = result.stdout.splitlines()[:3]
    assert header.split() == ["locale", "approved", "fuzzy", "empty", "mt-unchanged", "errors", "total", "done", "pages"]
    total, done = message_count(translated), translated_count(translated, "ar")
    assert ar.split() == ["ar", str(done - 1), "1", str(total - done), "0", "0", str(total),
                          f"{100 * (done - 1) / total:.1f}%", "0/1", "publishable"]
    assert ko.split()[-2:] == ["1/1", "publishable"]
    line = msgid_line(translated, "ar", "disclaimer")
    assert f"withheld:\n  first-visit [ar]: the disclaimer is fuzzy (needs review): " \
           f"locales/ar/LC_MESSAGES/messages.po:{line}\n" in result.stdout


def msgid_line(root: Path, locale: str, msgctxt: str) -> int:
    """The line of the msgid keyword after ``msgctxt``, counted by hand."""
    lines = po_path(root, locale).read_text(encoding="utf-8").split("\n")
    return lines.index(f'msgctxt "{msgctxt}"') + 2


def test_json_counts_fuzzy_empty_errors_and_withheld_pages(translated: Path) -> None:
    write_glossary(translated, "bleeding,ar,النزيف|نزيف,required,side effect")
    changes = {DISCLAIMER: "※ قد تحدث آثار جانبية حسب الحالة الفردية.", "Before you arrive": ""}  # bleeding dropped; one emptied
    translate_catalog(translated, "ar", {**TRANSLATIONS["ar"], **changes}, fuzzy={"First Visit"})

    rows = by_locale(translated)

    total, done = message_count(translated), translated_count(translated, "ar")
    ar = rows["ar"]
    # the disclaimer is approved in the catalog but fails an error check: not done, as the gate says
    assert (ar["total"], ar["approved"], ar["fuzzy"], ar["untranslated"]) == (total, done - 3, 1, total - done + 1)
    assert ar["failing"] == 1
    assert ar["errors"] == 1 and ar["mt_accepted_unchanged"] == 0
    [page] = ar["pages"]
    assert page["slug"] == "first-visit" and not page["publishable"] and page["gate"]
    line = msgid_line(translated, "ar", "disclaimer")
    assert page["reasons"] == ["the disclaimer fails check glossary-required: 'bleeding' must be translated as "
                               f"'النزيف' or 'نزيف': locales/ar/LC_MESSAGES/messages.po:{line}"]
    ko = rows["ko"]
    assert (ko["approved"], ko["fuzzy"], ko["errors"]) == (translated_count(translated, "ko"), 0, 0)
    assert ko["pages"] == [{"slug": "first-visit", "publishable": True, "percent": 100.0, "reasons": [], "gate": False,
                            "outdated": []}]
    assert list(by_locale(translated, "--locale", "ko")) == ["ko"]


def test_below_threshold_is_a_reason_too(translated: Path) -> None:
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], "Before you arrive": ""})
    [page] = by_locale(translated)["ko"]["pages"]
    assert not page["publishable"] and not page["gate"]
    lines = po_path(translated, "ko").read_text(encoding="utf-8").split("\n")
    line = lines.index('msgid "Before you arrive"') + 1
    assert page["reasons"] == [f"{page['percent']:.0f}% approved, below the publish threshold of 100%: "
                               f"locales/ko/LC_MESSAGES/messages.po:{line} (untranslated)"]


def test_every_entry_holding_a_page_back_is_named_with_its_line(translated: Path) -> None:
    write_glossary(translated, "medicines,ko,약,required,")
    translate_catalog(translated, "ko", {"First Visit": "첫 방문", "Before you arrive": "",
                                         "Please bring your ID card and a list of your medicines.": "신분증을 지참해 주세요."},
                      fuzzy={"First Visit"})
    lines = po_path(translated, "ko").read_text(encoding="utf-8").split("\n")

    def at(msgid: str) -> str:
        return f"locales/ko/LC_MESSAGES/messages.po:{lines.index(f'msgid {json.dumps(msgid, ensure_ascii=False)}') + 1}"

    expected = (f"first-visit [ko]: 50% approved, below the publish threshold of 100%: {at('First Visit')} (fuzzy); "
                f"{at('Before you arrive')} (untranslated); "
                f"{at('Please bring your ID card and a list of your medicines.')} (fails check glossary-required)")
    assert f"  {expected}\n" in l10n(translated, "stats").stdout
    assert f"not published: {expected}\n" in l10n(translated, "build").stdout
    check = l10n(translated, "check")
    assert f"publish-threshold: {expected.replace('first-visit [ko]:', 'first-visit: not published:')}" \
        in check.stdout


def test_done_never_reads_100_percent_while_a_page_is_below_the_threshold(translated: Path) -> None:
    # an approved entry that fails an error check is not done: the gate does not show it
    write_glossary(translated, "arrive,ko,도착,required,")
    ko = by_locale(translated)["ko"]
    assert not ko["pages"][0]["publishable"]
    assert ko["percent"] < 100 and ko["failing"] == 1
    # a page message the catalog lacks (extract ran, update did not) counts as not done
    write_glossary(translated)  # the disclaimer points only
    page = translated / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBring a friend.\n", encoding="utf-8")
    assert l10n(translated, "extract").code == 0
    ko = by_locale(translated)["ko"]
    assert not ko["pages"][0]["publishable"]
    assert ko["percent"] < 100 and ko["total"] == message_count(translated)
    table = l10n(translated, "stats").stdout
    assert "(run `l10n update`)" in table
    for row in table.splitlines()[1:3]:
        assert "100.0%" not in row or "1/1 publishable" in row, row


def test_machine_drafts_accepted_unchanged_are_counted(translated: Path) -> None:
    path = po_path(translated, "ko")
    catalog = polib.pofile(str(path))
    for msgid in ("First Visit", "Before you arrive"):
        mt = catalog.find(msgid)
        mt.tcomment, mt.flags = "machine translation: pseudo 2025-01-02", ["fuzzy"]
    catalog.save(str(path))
    assert l10n(translated, "update").code == 0  # back to GNU layout

    # The first draft is accepted as it came; the second is corrected, then accepted.
    assert review(translated, "a\ne\n방문하시기 전에\na\n", "--locale", "ko", "--reviewer", "Kim").code == 0
    assert by_locale(translated)["ko"]["mt_accepted_unchanged"] == 1

    translate_catalog(translated, "ko", {"First Visit": "첫 방문 안내"})  # later changed in a PO editor
    assert by_locale(translated)["ko"]["mt_accepted_unchanged"] == 0


def test_stats_reads_while_another_command_holds_the_lock(translated: Path, tmp_path: Path) -> None:
    from pipeline.config import load_config
    from pipeline.lock import project_lock

    before = snapshot(translated)
    with project_lock(load_config(translated), "review"):
        result = l10n(translated, "stats", "--html", str(tmp_path / "dashboard.html"))
    assert result.code == 0, result.output
    assert (tmp_path / "dashboard.html").is_file()
    assert snapshot(translated) == before


class _Dashboard(HTMLParser):
    """The locale rows and withheld pages a site owner sees, and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.locales: list[str] = []
        self.withheld: dict[tuple[str, str], str] = {}
        self.references: list[str] = []
        self.scripts = 0
        self._row: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag == "tr" and "locale-row" in classes:
            self.locales.append(attr["data-locale"] or "")
        if tag == "tr" and "withheld-row" in classes:
            self._row = (attr["data-slug"] or "", attr["data-locale"] or "")
            self.withheld[self._row] = ""
        self.references += [v or "" for k, v in attrs if k in ("src", "href")]
        self.scripts += tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row:
            self.withheld[self._row] += data


def png_pixels(path: Path) -> tuple[int, int, set[tuple[int, int, int]]]:
    """Width, height and the set of RGB colours of an 8-bit RGB/RGBA PNG (no imaging library)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw, stride, previous, colours, at = zlib.decompress(idat), width * step, bytearray(width * step), set(), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        colours.update(tuple(line[i:i + 3]) for i in range(0, stride, step))
        previous = line
    return width, height, colours


def test_dashboard_renders_in_chromium(translated: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run `make test` as root, or `apt-get install chromium`")
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={DISCLAIMER})
    dashboard = tmp_path / "reports" / "dashboard.html"

    result = l10n(translated, "stats", "--html", str(dashboard))

    assert result.code == 0, result.output
    assert f"dashboard written to {dashboard}" in result.stdout
    page = _Dashboard()
    page.feed(dashboard.read_text(encoding="utf-8"))
    assert page.locales == ["ko", "ar"]
    assert list(page.withheld) == [("first-visit", "ar")]
    assert "the disclaimer is fuzzy (needs review)" in page.withheld[("first-visit", "ar")]
    assert page.references == [] and page.scripts == 0  # self-contained, nothing to load

    screenshot = tmp_path / "dashboard.png"
    shot = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1280,800",
         f"--screenshot={screenshot}", dashboard.as_uri()],
        capture_output=True, text=True, timeout=60,
    )
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    width, height, colours = png_pixels(screenshot)
    assert (width, height) == (1280, 800)
    assert screenshot.stat().st_size > 10_000 and len(colours) > 50  # text and bars, not a blank page
    assert (0x1F, 0x88, 0x3D) in colours and (0xD4, 0xA7, 0x2C) in colours  # approved and fuzzy bars drawn


def test_dashboard_escapes_what_it_shows(translated: Path) -> None:
    from pipeline.config import load_config
    from pipeline.stats import LocaleStats, PageStatus, dashboard_html

    hostile = '<script>alert("x")</script>'
    row = LocaleStats("ko", 1, 0, 1, 0, 0, pages=(PageStatus("first-visit", False, 0.0, (hostile,), True),))
    html = dashboard_html(load_config(translated), [row])
    assert hostile not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
