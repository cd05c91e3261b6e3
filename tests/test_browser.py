"""`l10n check --browser`: Chromium lays out every built page and measures the disclaimer.

Each case breaks the Korean disclaimer of one page through the site's templates. The HTML gate
cannot see it (`l10n build` publishes the page, `l10n check` passes); `l10n check --browser`
exits 1 naming ko and that page.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest
from conftest import PAGE, REPO, Result, l10n, make_translated, snapshot

from pipeline.checks.browser import CONDITIONS_SUMMARY, DEFAULT_CHROMIUM, INSTALL_COMMAND

STYLE = (REPO / "pipeline" / "templates" / "style.css").read_text(encoding="utf-8")
PAGE_TEMPLATE = (REPO / "pipeline" / "templates" / "page.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    """Never skip: `make test` installs Chromium, so a missing one is a broken set-up."""
    if not DEFAULT_CHROMIUM.is_file():
        pytest.fail(f"{DEFAULT_CHROMIUM} is missing; `make test` installs it, or run: {INSTALL_COMMAND}")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project of conftest, approved in ko and ar, built once for the module."""
    root = make_translated(tmp_path_factory.mktemp("tiny") / "site")
    assert l10n(root, "build").code == 0
    return root


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_clean_project_passes_with_no_screenshot_and_a_changed_page_gets_one(tiny: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(tiny, root)
    stale = root / "reports" / "screenshots" / "ko" / "withdrawn-page.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"a page that is no longer built")
    result = l10n(root, "check", "--browser")
    assert result.code == 0, result.output
    assert not stale.exists()
    # three page versions with a disclaimer, three language indexes, the language chooser
    assert f"3 rendered pages checked, 7 in Chromium (the disclaimer at {CONDITIONS_SUMMARY}; " in result.stdout
    assert "; axe-core 4.12.1, WCAG 2.1 A and AA; images and links)" in result.stdout
    shots = root / "reports" / "screenshots"
    assert not list(shots.rglob("*.png"))  # nothing failed, nothing changed: no screenshot to look at
    source = root / "source" / "first-visit.md"
    source.write_text(source.read_text(encoding="utf-8").replace("every day.", "every weekday."),
                      encoding="utf-8")
    assert l10n(root, "build").code == 0
    again = l10n(root, "check", "--browser")
    assert again.code == 0, again.output
    # the English page changed (the translations still show the previous text, unchanged bytes but
    # for the outdated notice): a screenshot of each changed version, the notice in the middle
    assert (shots / "en" / "first-visit.png").is_file()
    width, height = png_size(shots / "en" / "first-visit.png")
    assert (width, height) == (1280, 800)  # the screen a reviewer needs, not the full page


# One page per way of breaking the Korean disclaimer: (slug, CSS, what the report says). The
# page template wraps each disclaimer in <div class="case {slug}"> so the CSS can aim at one page.
BROKEN = [
    ("display-none", ":lang(ko) .display-none .disclaimer { display: none; }", "not rendered"),
    ("visibility-hidden", ":lang(ko) .visibility-hidden .disclaimer { visibility: hidden; }", "not rendered"),
    ("faded-out", ":lang(ko) .faded-out { opacity: 0; }", "not rendered"),
    ("off-screen", ":lang(ko) .off-screen .disclaimer { position: absolute; left: -9999px; }", "off-screen"),
    ("tiny", ":lang(ko) .tiny .disclaimer { font-size: 8px; }", "8 px (aside.disclaimer), below 12 px"),
    ("smaller-than-body", ":lang(ko) .smaller-than-body .disclaimer { font-size: 0.8em; }",
     "13.6 px (aside.disclaimer), smaller than the body text (17 px)"),
    ("low-contrast", ":lang(ko) .low-contrast .disclaimer { color: #ccc; background: #fff; }",
     "contrast is 1.61:1 (#cccccc on #ffffff as painted, in \"개인에\"), below 4.5:1"),
    ("covered", ".banner { position: relative; margin-top: -6rem; height: 7rem; background: #fff; }",
     "the notice's text is not painted (covered"),
    ("see-through-overlay",
     (":lang(ko) .see-through-overlay { position: relative; }"
      " :lang(ko) .see-through-overlay::after { content: ''; position: absolute; inset: 0;"
      " background: rgb(255 255 255 / 0.9); pointer-events: none; }"),
     "the notice's contrast is 1."),
    ("clipped", ":lang(ko) .clipped { overflow: hidden; height: 0; }",
     "the notice's text is not painted (covered, transparent, filtered or clipped)"),
    ("too-wide-for-a-phone", ":lang(ko) .too-wide-for-a-phone .disclaimer { min-width: 600px; }",
     "at 390px dark 2x screen, JS on, after 10 s: the notice sticks out of the page"),
]
# Text over an image used to fail as "cannot be verified"; the painted pixels verify it now:
# dark text over a plain white image passes, over a striped one it fails on contrast.
OVER_IMAGES = [
    ("over-a-plain-image",
     (":lang(ko) .over-a-plain-image .disclaimer { background: url(\"data:image/svg+xml,%3Csvg "
      "xmlns='http://www.w3.org/2000/svg' width='8' height='8'%3E%3Crect width='8' height='8' "
      "fill='%23fff'/%3E%3C/svg%3E\"); }"),
     None),
    ("over-a-striped-image",
     (":lang(ko) .over-a-striped-image .disclaimer { background: url(\"data:image/svg+xml,%3Csvg "
      "xmlns='http://www.w3.org/2000/svg' width='4' height='4'%3E%3Crect width='2' height='4' "
      "fill='%23000'/%3E%3C/svg%3E\"), #fff; }"),
     "the notice's contrast is "),
]
BROKEN += [case for case in OVER_IMAGES if case[2]]
PASSING = [case for case in OVER_IMAGES if not case[2]]
BANNER = '{% if tag == "ko" and page.slug == "covered" %}<div class="banner">예약하기</div>{% endif %}'
# Only the Korean versions carry their case's class: the English and Arabic ones, which no rule
# aims at, are alike, and the pass lays out versions alike under every condition once.
CASE = '{% if tag == "ko" %}<div class="case {{ page.slug }}">{% else %}<div>{% endif %}'
CASE_TEMPLATE = PAGE_TEMPLATE.replace(
    '<aside class="disclaimer"', f'{CASE}\n<aside class="disclaimer"'
).replace("</aside>", f"</aside>\n{BANNER}\n</div>")


@pytest.fixture(scope="module")
def broken(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result, list[dict]]:
    """The tiny project with one more page per case, built and checked in Chromium once."""
    root = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(tiny, root)
    for slug, _, _ in BROKEN + PASSING:
        text = PAGE.replace("slug: first-visit", f"slug: {slug}")
        (root / "source" / f"{slug}.md").write_text(text, encoding="utf-8")
    assert CASE_TEMPLATE.count("{{ page.slug }}\">") == 1 and BANNER in CASE_TEMPLATE
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text(CASE_TEMPLATE, encoding="utf-8")
    css = "\n".join(css for _, css, _ in BROKEN + PASSING)
    (root / "templates" / "style.css").write_text(STYLE + css, encoding="utf-8")
    assert l10n(root, "update").code == 0  # the new pages share every message with first-visit
    build = l10n(root, "build")
    assert build.code == 0, build.output  # the HTML gate sees nothing wrong: every page is published
    assert l10n(root, "check").code == 0  # and neither does the check without a browser
    result = l10n(root, "check", "--browser", "--format", "json")
    return root, result, json.loads(result.stdout)


@pytest.mark.parametrize("slug, reported", [(c[0], c[2]) for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_disclaimer_broken_by_a_template_fails_in_that_locale(broken, slug: str, reported: str) -> None:
    _, result, findings = broken
    assert result.code == 1
    everything = [f for f in findings if f["file"] == f"output/ko/{slug}.html"]
    mine = [f for f in everything if f["check"] == "disclaimer-browser"]
    assert mine, f"nothing reported for {slug}"
    assert {(f["locale"], f["line"], f["msgctxt"], f["severity"]) for f in mine} == {("ko", 1, "disclaimer", "error")}
    assert any(reported in f["message"] for f in mine), [f["message"] for f in mine]
    # axe-core agrees where its rules reach (text contrast); nothing else is reported
    others = {(f["check"], f["message"].split(" ")[1]) for f in everything if f not in mine}
    assert others == ({("accessibility", "color-contrast")} if slug == "low-contrast" else set()), others


def test_text_over_a_plain_image_passes(broken) -> None:
    _, _, findings = broken
    for slug, _, _ in PASSING:
        assert not [f for f in findings if f["file"] == f"output/ko/{slug}.html"]


def test_only_the_broken_pages_of_that_locale_are_named(broken) -> None:
    root, _, findings = broken
    assert {f["file"] for f in findings} == {f"output/ko/{slug}.html" for slug, _, _ in BROKEN}
    shots = root / "reports" / "screenshots"
    # a screenshot of each failing version, none of those that pass (a first run: nothing changed)
    assert sorted(p.relative_to(shots).as_posix() for p in shots.rglob("*.png")) == sorted(
        f"ko/{slug}.png" for slug, _, _ in BROKEN)


def test_text_report_groups_by_locale_with_path_and_line(tiny: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(tiny, root)
    (root / "templates").mkdir()
    (root / "templates" / "style.css").write_text(STYLE + ":lang(ko) .disclaimer { font-size: 8px; }", encoding="utf-8")
    assert l10n(root, "build").code == 0
    result = l10n(root, "check", "--browser", "--locale", "ko")
    assert result.code == 1
    assert result.stdout.startswith(
        "[ko]\n  output/ko/first-visit.html:1: error: disclaimer-browser (disclaimer): "
        "at 1280px light 1x screen, JS on, after 10 s / 390px dark 2x screen, JS on, after 10 s / "
    )
    first = result.stdout.splitlines()[1]
    assert first.endswith(" / 1280px light 1x screen, JS off: "
                          "the notice's text is 8 px (aside.disclaimer), below 12 px")
    assert "1 rendered pages checked, 2 in Chromium" in result.stdout  # the page and the Korean index


def test_missing_chromium_is_exit_2_with_the_install_command(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    shutil.copytree(tiny, root)
    monkeypatch.setenv("L10N_CHROMIUM", str(tmp_path / "no-chromium"))
    before = snapshot(root)
    result = l10n(root, "check", "--browser")
    assert result.code == 2
    assert "no-chromium: Chromium is not installed (from L10N_CHROMIUM)" in result.stderr
    assert INSTALL_COMMAND in result.stderr
    assert snapshot(root) == before

    monkeypatch.delenv("L10N_CHROMIUM")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'chromium = "/opt/no/chromium"\n', encoding="utf-8")
    result = l10n(root, "check", "--browser")
    assert result.code == 2
    assert "/opt/no/chromium: Chromium is not installed (from [tool.l10n] chromium)" in result.stderr


def test_shipped_site_passes_in_chromium(repo_copy: Path) -> None:
    assert l10n(repo_copy, "build").code == 0
    result = l10n(repo_copy, "check", "--browser", "--format", "json")
    assert result.code == 0, result.output
    assert json.loads(result.stdout) == []  # no error and no warning: disclaimer, axe, images and links
    text = l10n(repo_copy, "check", "--browser")
    assert "19 in Chromium" in text.stdout  # nine pages, nine indexes, the chooser
    assert not list((repo_copy / "reports" / "screenshots").rglob("*.png"))


def test_a_notice_drawn_on_the_same_pixels_anywhere_shares_the_painted_answer() -> None:
    """The painted answer (glyphs painted, contrast) is kept by what ``compare`` reads: the two
    screenshots and the device pixels each glyph's box covers in them. A notice a fraction of a
    pixel lower, or on another page further down, covers the same pixels; a whole pixel, a
    glyph narrower than a pixel, another size or density do not."""
    from pipeline.checks.browser import _pixel_boxes

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 300, 40)

    def layout(dy: float = 0.0, top: int = 100, glyph: float = 8.0, scale: int = 1) -> dict:
        def rect(x0: float, x1: float) -> list[float]:
            return [x0, top + 5.11 + dy, x1, top + 28.11 + dy]
        return {"region": {"left": 10, "top": top, "right": 310, "bottom": top + 40}, "scale": scale,
                "minContrast": 4.5,
                "layout": [{"text": "Side", "strong": True, "rects": [rect(20.1, 50.3)],
                            "graphemes": [{"text": "S", "rects": [rect(20.1, 20.1 + glyph)]}]}]}

    key = _pixel_boxes(layout(), png)
    assert _pixel_boxes(layout(dy=0.19), png) == key  # 5.11 -> 5.30: the same pixel rows
    assert _pixel_boxes(layout(top=837), png) == key  # further down the page, the region with it
    assert _pixel_boxes(layout(dy=1.0), png) != key
    assert _pixel_boxes(layout(glyph=0.5), png) != key  # compare skips a glyph under a pixel wide
    assert _pixel_boxes(layout(scale=2), png) != key
    assert _pixel_boxes(layout(), png[:16] + struct.pack(">II", 300, 41)) != key
