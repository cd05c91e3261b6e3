"""What Chromium draws: real fonts for every script, and Arabic laid out right to left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import l10n

# Script of each page -> the font families (Debian's fonts) that must draw its text.
EXPECTED_FONTS = {
    "en": {"Noto Sans"},
    "vi": {"Noto Sans"},
    "ru": {"Noto Sans"},
    "ko": {"Noto Sans CJK KR"},
    "ja": {"Noto Sans CJK JP"},
    "zh-Hans": {"Noto Sans CJK SC"},
    "zh-Hant": {"Noto Sans CJK TC"},
    "th": {"Noto Sans Thai", "Loma", "Noto Sans"},
    "ar": {"Noto Sans Arabic", "Noto Sans"},
}


LIBERATION = Path("/opt/l10n-test-fonts/liberation/usr/share/fonts")
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture(scope="module", params=["system fonts", "with fonts-liberation"])
def tabs(tmp_path_factory, request):
    """The shipped site built once, and a Chromium tab (Debian's, driven by Playwright): with the
    system's fonts, and with Liberation (what Chromium's recommended packages add) visible too,
    whose metric aliases take over Arial and fontconfig's fallback."""
    import shutil

    from conftest import REPO
    from pipeline.checks.browser import CHROMIUM_ARGS

    root = tmp_path_factory.mktemp("typography")
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    assert l10n(root, "build").code == 0
    assert Path("/usr/bin/chromium").exists(), "install Chromium: apt-get install -y chromium (make test does it)"
    from playwright.sync_api import sync_playwright

    env = None
    if request.param == "with fonts-liberation":
        assert LIBERATION.is_dir(), "unpack fonts-liberation into /opt/l10n-test-fonts/liberation (make test does it)"
        conf = root / "fonts.conf"
        conf.write_text(FONTS_CONF.format(fonts=LIBERATION, cache=root / "fontconfig-cache"), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, env=env)
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        yield root, tab
        browser.close()


def open_page(tabs, tag: str):
    root, tab = tabs
    tab.goto((root / "output" / tag / "mini-facelift.html").as_uri())
    return tab


@pytest.mark.parametrize("tag", sorted(EXPECTED_FONTS))
def test_text_is_drawn_with_fonts_for_its_script(tabs, tag: str) -> None:
    tab = open_page(tabs, tag)
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("h1", "article h2", "article p:last-of-type", "aside.disclaimer"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = {f["familyName"] for f in fonts}
        assert families, (tag, selector)
        assert families <= EXPECTED_FONTS[tag], f"{tag} {selector}: drawn with {families}"
        assert sum(f["glyphCount"] for f in fonts) >= 2


def _geometry(tab) -> dict:
    return tab.evaluate(
        """() => {
            const aside = document.querySelector('aside.disclaimer');
            const box = aside.getBoundingClientRect();
            const range = document.createRange();
            range.setStart(aside.firstChild, 0);
            range.setEnd(aside.firstChild, 1);
            const first = range.getBoundingClientRect();
            const style = getComputedStyle(aside);
            return {left: box.left, right: box.right, firstLeft: first.left, firstRight: first.right,
                    borderLeft: parseFloat(style.borderLeftWidth), borderRight: parseFloat(style.borderRightWidth),
                    direction: style.direction};
        }"""
    )


def test_arabic_is_laid_out_right_to_left(tabs) -> None:
    arabic = _geometry(open_page(tabs, "ar"))
    english = _geometry(open_page(tabs, "en"))
    assert arabic["direction"] == "rtl" and english["direction"] == "ltr"
    # the ※ that opens the disclaimer sits at the right edge in Arabic, at the left in English
    assert arabic["right"] - arabic["firstRight"] < 40
    assert english["firstLeft"] - english["left"] < 40
    # the accent border is on the start side: right in Arabic, left in English
    assert arabic["borderRight"] == 4 and arabic["borderLeft"] == 0
    assert english["borderLeft"] == 4 and english["borderRight"] == 0
