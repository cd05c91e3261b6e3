"""The browser pass beyond the disclaimer: axe-core's WCAG 2.1 A/AA rules, images and local
references, versions alike examined once under every condition, the pass shared among processes."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from conftest import PAGE, REPO, l10n, make_translated

from pipeline.checks.browser import check_in_browser
from pipeline.config import load_config

PAGE_TEMPLATE = (REPO / "pipeline" / "templates" / "page.html").read_text(encoding="utf-8")
STYLE = (REPO / "pipeline" / "templates" / "style.css").read_text(encoding="utf-8")
DOT = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'%3E"
       "%3Crect width='10' height='10'/%3E%3C/svg%3E")
# The tiny page without its booking paragraph: every message is one first-visit has.
SHORTER = PAGE.replace("slug: first-visit", "slug: second-visit").split("Our [booking page]")[0]


def findings(result) -> list[dict]:
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project (ko and ar approved) with a second, shorter page, built once."""
    root = make_translated(tmp_path_factory.mktemp("pass") / "site", **{"second-visit": SHORTER})
    assert l10n(root, "build").code == 0
    return root


@pytest.fixture
def copy(site: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    return root


def with_template(root: Path, page: str | None = None, style: str | None = None) -> None:
    (root / "templates").mkdir(exist_ok=True)
    if page is not None:
        (root / "templates" / "page.html").write_text(page, encoding="utf-8")
    if style is not None:
        (root / "templates" / "style.css").write_text(style, encoding="utf-8")


def set_option(root: Path, line: str) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


INACCESSIBLE = PAGE_TEMPLATE.replace("</article>", f'<img src="{DOT}">\n<a href="#top"></a>\n</article>')


def test_an_image_without_alt_and_an_empty_link_in_a_template_fail_naming_rule_and_element(copy: Path) -> None:
    with_template(copy, page=INACCESSIBLE)
    assert l10n(copy, "build").code == 0  # the HTML gate has nothing against them
    result = l10n(copy, "check", "--browser", "--format", "json")
    assert result.code == 1
    found = [f for f in findings(result) if f["check"] == "accessibility"]
    assert {f["file"] for f in found} == {f"output/{tag}/{slug}.html" for tag in ("en", "ko", "ar")
                                          for slug in ("first-visit", "second-visit")}
    assert {f["severity"] for f in found} == {"error"}
    messages = {f["message"] for f in found if f["file"] == "output/ko/first-visit.html"}
    assert any(m.startswith("axe image-alt (critical): Images must have alternative text: ") and '<img src="data:'
               in m for m in messages), messages
    assert any(m.startswith("axe link-name (serious): Links must have discernible text: a[href$=\"#top\"] "
                            '<a href="#top"></a>') for m in messages), messages
    assert not [f for f in findings(result) if f["check"] not in ("accessibility",)]

    # build --browser withholds every version (the template is everywhere); publish would too
    built = l10n(copy, "build", "--browser")
    assert built.code == 1
    assert "WITHHELD: first-visit [ko]: in Chromium [ko]: accessibility: axe image-alt (critical)" in built.stderr
    assert not (copy / "output" / "ko" / "first-visit.html").exists()


@pytest.mark.parametrize("mode", ["warning", "off"])
def test_accessibility_as_warnings_or_off_publishes(copy: Path, mode: str) -> None:
    with_template(copy, page=INACCESSIBLE)
    set_option(copy, f'accessibility = "{mode}"')
    assert l10n(copy, "build").code == 0
    result = l10n(copy, "check", "--browser", "--format", "json")
    assert result.code == 0, result.output
    found = [f for f in findings(result) if f["check"] == "accessibility"]
    if mode == "warning":
        assert found and {f["severity"] for f in found} == {"warning"}
    else:
        assert not found
        assert "accessibility off; images and links" in l10n(copy, "check", "--browser").stdout
    built = l10n(copy, "build", "--browser")
    assert built.code == 0 and (copy / "output" / "ko" / "first-visit.html").is_file()


def test_an_unknown_accessibility_setting_is_bad_input(copy: Path) -> None:
    set_option(copy, 'accessibility = "strict"')
    result = l10n(copy, "check", "--browser")
    assert result.code == 2
    assert "pyproject.toml: [tool.l10n] accessibility must be one of 'error', 'warning', 'off', not 'strict'" \
        in result.stderr


def test_images_and_references_the_html_cannot_vouch_for(copy: Path) -> None:
    # a stylesheet's image missing from output/, an image that is there but does not decode
    with_template(copy, style=STYLE + "\nbody { background: #fff url(paper.png); }\n")
    assert l10n(copy, "build").code == 0
    page = copy / "output" / "ko" / "first-visit.html"
    (copy / "output" / "images").mkdir(exist_ok=True)
    (copy / "output" / "images" / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n not an image")
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", '<img src="../images/scan.png" alt="Scan">\n'
                                               '<a href="prices.html">Prices</a>\n</article>'), encoding="utf-8")
    result = l10n(copy, "check", "--browser", "--format", "json")
    assert result.code == 1
    assets = {(f["file"], f["message"]) for f in findings(result) if f["check"] == "assets"}
    assert ("output/ko/first-visit.html", "the image '../images/scan.png' does not load or decode") in assets
    assert ("output/ko/first-visit.html", "<a href='prices.html'> points at ko/prices.html, which is not in output/") \
        in assets
    for tag in ("en", "ko", "ar"):  # every page's stylesheet asks for it
        assert (f"output/{tag}/second-visit.html",
                "the page loads paper.png, which is not in output/") in assets

    # the missing files supplied: those findings are gone, the image that does not decode stays
    shutil.copy(REPO / "pipeline" / "templates" / "style.css", copy / "output" / "paper.png")  # any bytes: a file
    (copy / "output" / "ko" / "prices.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    again = l10n(copy, "check", "--browser", "--format", "json")
    left = {f["message"] for f in findings(again) if f["check"] == "assets"}
    assert not [m for m in left if "prices.html" in m]
    assert "the image '../images/scan.png' does not load or decode" in left


HIDDEN_ON_SHORT_PAGES = STYLE + """
/* the notice hidden on phones, on pages without the booking link only */
@media (max-width: 500px) {
  article:not(:has(a[href="https://clinic.example/book"])) + aside.disclaimer { visibility: hidden; }
}
"""


def test_a_version_is_examined_under_every_condition_unless_its_layout_was(copy: Path) -> None:
    # alike: both pages of a locale share one layout, examined once under every condition
    report = check_in_browser(load_config(copy))
    assert not report.failed and report.loaded == 10 and report.layouts == 3  # en, ko, ar
    again = check_in_browser(load_config(copy))
    assert again.loaded == 0 and again.layouts == 0

    # not alike: a rule that selects only the shorter page makes it a layout of its own, and the
    # condition that hides its notice is met (were it judged by first-visit's layout, it would pass)
    with_template(copy, style=HIDDEN_ON_SHORT_PAGES)
    assert l10n(copy, "build").code == 0
    report = check_in_browser(load_config(copy))
    assert report.layouts == 6
    failing = {(f.file, f.message.split(":")[0]) for f in report.findings}
    assert failing == {(f"output/{tag}/second-visit.html", "at 390px dark 2x screen, JS on, after 10 s")
                       for tag in ("en", "ko", "ar")}
    for tag in ("en", "ko", "ar"):
        assert any("the notice is not rendered" in f.message for f in report.findings
                   if f.file == f"output/{tag}/second-visit.html")


def test_the_pass_shared_among_processes_finds_the_same(copy: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "launches"
    wrapper = tmp_path / "chromium"
    wrapper.write_text(f'#!/bin/sh\necho launched >> "{log}"\nexec /usr/bin/chromium "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("L10N_CHROMIUM", str(wrapper))
    with_template(copy, style=HIDDEN_ON_SHORT_PAGES)
    assert l10n(copy, "build").code == 0
    results = {}
    for jobs, chromiums in (("1", 1), ("4", 2)):  # a Chromium per two cores (CORES_PER_CHROMIUM)
        monkeypatch.setenv("L10N_JOBS", jobs)
        (copy / ".cache" / "browser-verdicts.json").unlink(missing_ok=True)
        log.unlink(missing_ok=True)
        result = l10n(copy, "check", "--browser", "--format", "json")
        assert result.code == 1
        results[jobs] = findings(result)
        assert len(log.read_text().splitlines()) == chromiums
    assert results["1"] == results["4"] and {f["file"] for f in results["1"]} == {
        f"output/{tag}/second-visit.html" for tag in ("en", "ko", "ar")}


def test_a_long_share_renews_its_browser_context_and_finds_the_same(copy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A renderer that lays out thousands of documents keeps memory: the pass collects its garbage
    every COLLECT_EVERY versions and replaces its browser contexts every VERSIONS_PER_CONTEXT.
    Renewed after every second version and collected after each, the pass finds what it finds in
    the CONTEXTS contexts it starts with."""
    from pipeline.checks import browser

    with_template(copy, style=HIDDEN_ON_SHORT_PAGES)
    assert l10n(copy, "build").code == 0
    monkeypatch.setenv("L10N_JOBS", "1")
    results = {}
    contexts: list[object] = []
    real = browser._Tab.__init__

    def counting(self, *args, **kwargs):
        contexts.append(self)
        real(self, *args, **kwargs)

    collected: list[object] = []
    real_collect = browser._Tab.collect_garbage

    def collecting(self):
        collected.append(self)
        real_collect(self)

    monkeypatch.setattr(browser._Tab, "__init__", counting)
    monkeypatch.setattr(browser._Tab, "collect_garbage", collecting)
    monkeypatch.setattr(browser, "MIN_TURNS", 1)  # the contexts take turns even on a tiny site
    for every in (browser.VERSIONS_PER_CONTEXT, 2):
        monkeypatch.setattr(browser, "VERSIONS_PER_CONTEXT", every)
        monkeypatch.setattr(browser, "COLLECT_EVERY", 1 if every == 2 else browser.COLLECT_EVERY)
        contexts.clear()
        (copy / ".cache" / "browser-verdicts.json").unlink(missing_ok=True)
        result = l10n(copy, "check", "--browser", "--format", "json")
        assert result.code == 1
        results[every] = (findings(result), len(contexts))
    (same, one), (renewed, many) = results.values()
    assert same == renewed and {f["file"] for f in same} == {
        f"output/{tag}/second-visit.html" for tag in ("en", "ko", "ar")}
    assert one == browser.CONTEXTS and many >= 4
    assert len(collected) >= 4  # (in the second pass: after every version)


@pytest.mark.parametrize("failing", [1, 3])
def test_a_load_that_fails_in_either_context_fails_that_version_alone_and_is_not_kept(
        copy: Path, monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The contexts take turns: a version's load starts while the one before it is measured. The
    load started at the Nth call failing (the first context's, or the second's) fails that
    version, not its neighbours, and its verdict is not kept: the next pass loads it alone."""
    from playwright.sync_api import Error as PlaywrightError

    from pipeline.checks import browser

    monkeypatch.setenv("L10N_JOBS", "1")
    monkeypatch.setattr(browser, "MIN_TURNS", 1)
    calls = []
    real = browser._Lane.start

    def start(self, url, condition):
        if not self.script:  # (a layout's script-off load: not one the contexts take turns at)
            return real(self, url, condition)
        calls.append(url)
        if len(calls) == failing:
            raise PlaywrightError("net::ERR_INJECTED")
        return real(self, url, condition)

    monkeypatch.setattr(browser._Lane, "start", start)
    result = l10n(copy, "check", "--browser", "--format", "json")
    assert result.code == 1
    failed = findings(result)
    assert len(failed) == 1 and "net::ERR_INJECTED" in failed[0]["message"], [f["message"] for f in failed]
    assert failed[0]["file"] == "output/" + calls[failing - 1].split("/", 3)[3]

    monkeypatch.setattr(browser._Lane, "start", real)
    again = l10n(copy, "check", "--browser")
    assert again.code == 0, again.output
    assert "unchanged: verdicts from .cache/" in again.stdout and f"{len(set(calls)) - 1} unchanged" in again.stdout
