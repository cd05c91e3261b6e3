"""``l10n check --browser``: the disclaimer as a reader sees it, measured in Chromium.

The HTML gate (``gate.py``) reads markup; a stylesheet can still hide, shrink, fade, cover or
push the disclaimer off the page. Here Debian's Chromium, driven by Playwright, lays out every
built page at a desktop and a phone viewport and measures the ``aside.disclaimer`` element.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, html_tag
from ..errors import InputError
from ..files import write_bytes_atomic
from ..source import load_pages
from .base import ERROR, Finding

if TYPE_CHECKING:
    from playwright.sync_api import Page as Tab

BROWSER_CHECK = "disclaimer-browser"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
INSTALL_COMMAND = "sudo apt-get install -y chromium fonts-noto-cjk fonts-thai-tlwg fonts-noto-core"
# A desktop and a phone: the disclaimer must hold up at both.
VIEWPORTS = ((1280, 800), (390, 844))
MIN_FONT_PX = 12.0
MIN_CONTRAST = 4.5
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class BuiltPage:
    """One page of ``output/`` that carries a disclaimer."""

    locale: str
    slug: str
    path: Path
    msgid: str  # the English disclaimer, to name the message in findings


@dataclass(frozen=True)
class BrowserReport:
    findings: tuple[Finding, ...]
    pages_checked: int
    screenshots: tuple[Path, ...]

    @property
    def failed(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)


def chromium_executable(config: Config) -> Path:
    """The Chromium to drive: ``L10N_CHROMIUM``, else ``[tool.l10n] chromium``, else Debian's.

    Missing is bad input (exit 2) with the command that installs it: Playwright's own browser
    download is not an option on the machines this runs on.
    """
    from_env = os.environ.get("L10N_CHROMIUM")
    configured = from_env or config.extra.get("chromium")
    origin = "L10N_CHROMIUM" if from_env else "[tool.l10n] chromium"
    if configured is None:
        path, origin = DEFAULT_CHROMIUM, None
    elif not isinstance(configured, str) or not configured.strip():
        raise InputError("pyproject.toml", None, "[tool.l10n] chromium must be a path")
    else:
        found = shutil.which(configured) if "/" not in configured else None
        path = Path(found) if found else Path(configured).expanduser()
        if not path.is_absolute():
            path = config.root / path
    if not (path.is_file() and os.access(path, os.X_OK)):
        where = f" (from {origin})" if origin else ""
        raise InputError(
            path, None,
            f"Chromium is not installed{where}; the browser check needs it and the fonts: "
            f"run `{INSTALL_COMMAND}`",
        )
    return path


def built_pages(config: Config, locales: tuple[str, ...] | None = None) -> list[BuiltPage]:
    """The content pages present in ``output/``, English first, in the order of the source."""
    chosen = list(locales) if locales else [config.source_locale, *config.locales]
    found = []
    for page in load_pages(config):
        for locale in chosen:
            path = config.output_dir / html_tag(locale) / f"{page.slug}.html"
            if path.is_file():
                found.append(BuiltPage(locale, page.slug, path, page.disclaimer.msgid))
    return found


def screenshot_path(config: Config, page: BuiltPage) -> Path:
    return config.root / "reports" / "screenshots" / html_tag(page.locale) / f"{page.slug}.png"


def check_in_browser(
    config: Config, locales: tuple[str, ...] | None = None, chromium: Path | None = None
) -> BrowserReport:
    """Lay out every built page in Chromium at each viewport and report what hides the disclaimer.

    One browser and one tab for the whole run, the viewport resized per page: launching is
    the slow part. Pages load from ``file://`` with the network off.
    """
    executable = chromium or chromium_executable(config)
    pages = built_pages(config, locales)
    if not pages:
        if locales is None:
            _remove_stale_screenshots(config, set())
        return BrowserReport((), 0, ())
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise InputError(None, None, "the Python package playwright is missing: "
                                     "run `pip install -e .` in the project") from None

    findings: list[Finding] = []
    screenshots: list[Path] = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            raise InputError(executable, None, f"Chromium did not start: {_first_line(exc)}") from None
        try:
            width, height = VIEWPORTS[0]
            tab = browser.new_context(viewport={"width": width, "height": height}, offline=True).new_page()
            tab.set_default_timeout(30_000)
            for page in pages:
                shot = screenshot_path(config, page)
                try:
                    problems = _measure(tab, page, shot)
                    screenshots.append(shot)
                except PlaywrightError as exc:
                    problems = [f"Chromium could not check the page: {_first_line(exc)}"]
                findings.extend(
                    Finding(page.locale, config.relative(page.path), 1, "disclaimer", page.msgid,
                            BROWSER_CHECK, ERROR, problem)
                    for problem in problems
                )
        finally:
            browser.close()
    if locales is None:
        _remove_stale_screenshots(config, set(screenshots))
    return BrowserReport(tuple(findings), len(pages), tuple(screenshots))


def _measure(tab: Tab, page: BuiltPage, shot: Path) -> list[str]:
    """Load one page, save its screenshot at desktop width, measure it at every viewport."""
    width, height = VIEWPORTS[0]
    tab.set_viewport_size({"width": width, "height": height})
    tab.goto(page.path.resolve().as_uri(), wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")  # the screenshot shows the real fonts
    write_bytes_atomic(shot, tab.screenshot(full_page=True, type="png"))
    problems = []
    for width, height in VIEWPORTS:
        tab.set_viewport_size({"width": width, "height": height})
        found = tab.evaluate(_MEASURE, {"minFont": MIN_FONT_PX, "minContrast": MIN_CONTRAST})
        problems.extend(f"at {width}x{height}: {problem}" for problem in found)
    return problems


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _remove_stale_screenshots(config: Config, current: set[Path]) -> None:
    """A screenshot of a page no longer built (withheld, removed) would mislead a reviewer."""
    for old in (config.root / "reports" / "screenshots").glob("*/*.png"):
        if old not in current:
            old.unlink(missing_ok=True)


# Runs in the page; returns one sentence per problem. Coordinates are measured with the page
# scrolled to its start, so a box's viewport position is its position in the page.
_MEASURE = r"""
async ({minFont, minContrast}) => {
  await document.fonts.ready;
  const found = document.querySelectorAll('aside.disclaimer');
  if (found.length !== 1) {
    return [found.length ? `${found.length} aside.disclaimer elements; expected exactly one`
                         : 'no aside.disclaimer in the page'];
  }
  const aside = found[0];
  const problems = [];
  const px = (value) => parseFloat(value) || 0;
  const round = (value) => Math.round(value * 10) / 10;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map((c) => '.' + c).join('');
  const scroll = (top) => window.scrollTo({left: 0, top, behavior: 'instant'});

  if (!aside.checkVisibility({checkOpacity: true, checkVisibilityCSS: true, contentVisibilityAuto: true})) {
    return ['the disclaimer is not visible (display, visibility, opacity or content-visibility hides it)'];
  }
  scroll(0);
  const box = aside.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) {
    return [`the disclaimer has no area (${round(box.width)}x${round(box.height)} px)`];
  }
  const range = document.createRange();
  range.selectNodeContents(aside);
  const text = range.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  const slack = 1;

  // Inside the page horizontally: a reader scrolls down, not sideways.
  const left = Math.min(box.left, text.width ? text.left : box.left);
  const right = Math.max(box.right, text.width ? text.right : box.right);
  if (right <= 0 || left >= width) {
    problems.push(`the disclaimer is off-screen: it spans ${round(left)}..${round(right)} px, the page is 0..${width} px wide`);
  } else if (left < -slack || right > width + slack) {
    problems.push(`the disclaimer sticks out of the page: it spans ${round(left)}..${round(right)} px, the page is 0..${width} px wide`);
  }
  if (box.bottom + window.scrollY <= 0) {
    problems.push('the disclaimer is above the top of the page, where no one can scroll');
  }

  // Clipped: by its own overflow, by an ancestor's overflow, or by clip / clip-path.
  for (let el = aside; el && el !== document.body && el !== document.documentElement; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.clipPath !== 'none') problems.push(`the disclaimer is clipped by clip-path on ${name(el)}`);
    if (style.clip && style.clip !== 'auto' && ['absolute', 'fixed'].includes(style.position)) {
      problems.push(`the disclaimer is clipped by clip on ${name(el)}`);
    }
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const r = el.getBoundingClientRect();
    const pad = {left: r.left + el.clientLeft, top: r.top + el.clientTop};
    pad.right = pad.left + el.clientWidth;
    pad.bottom = pad.top + el.clientHeight;
    const inner = el === aside ? (text.width ? [text] : []) : [box, ...(text.width ? [text] : [])];
    const cutX = style.overflowX !== 'visible' && inner.some((b) => b.left < pad.left - slack || b.right > pad.right + slack);
    const cutY = style.overflowY !== 'visible' && inner.some((b) => b.top < pad.top - slack || b.bottom > pad.bottom + slack);
    if (cutX || cutY) {
      const shown = `${round(el.clientWidth)}x${round(el.clientHeight)} px`;
      problems.push(el === aside
        ? `the disclaimer's text overflows its own box (overflow ${style.overflowX}/${style.overflowY}, ${shown})`
        : `the disclaimer is clipped by ${name(el)} (overflow ${style.overflowX}/${style.overflowY}, ${shown})`);
    }
  }

  // Hit-testing ignores pointer-events:none, which would let a see-through overlay pass.
  const guard = document.createElement('style');
  guard.textContent = '*, *::before, *::after { pointer-events: auto !important; }';
  document.head.appendChild(guard);
  const docTop = box.top + window.scrollY;
  const inset = Math.min(4, box.width / 4, box.height / 4);
  const points = [
    ['centre', box.left + box.width / 2, docTop + box.height / 2],
    ['top-left corner', box.left + inset, docTop + inset],
    ['top-right corner', box.right - inset, docTop + inset],
    ['bottom-left corner', box.left + inset, docTop + box.height - inset],
    ['bottom-right corner', box.right - inset, docTop + box.height - inset],
  ];
  const stacks = [];
  const covered = [];
  for (const [where, x, y] of points) {
    if (x < 0 || x >= width) continue;  // reported above as off the page
    scroll(y - window.innerHeight / 2);  // mid-viewport, clear of sticky headers and footers
    const vy = y - window.scrollY;
    if (vy < 0 || vy >= window.innerHeight) {
      covered.push([where, 'nothing: it cannot be scrolled into view']);
      continue;
    }
    const hit = document.elementFromPoint(x, vy);
    if (!hit || !(hit === aside || aside.contains(hit))) {
      covered.push([where, hit ? `${name(hit)} is on top` : 'nothing is there']);
      continue;
    }
    const stack = document.elementsFromPoint(x, vy);
    if (stack.includes(aside)) stacks.push(stack.slice(stack.indexOf(aside)));
  }
  guard.remove();
  scroll(0);
  const reasons = [...new Set(covered.map(([, why]) => why))];
  if (covered.length === points.length && reasons.length === 1) {
    problems.push(`the disclaimer is covered at its centre and all four inner corners (${reasons[0]})`);
  } else if (covered.length) {
    problems.push(`the disclaimer is covered at its ${covered.map(([where, why]) => `${where} (${why})`).join(', ')}`);
  }

  // Text size: at least minFont, and no smaller than the body text. The body text size is the
  // size most of the text of <main>'s paragraphs has (a lede or a caption may differ).
  const carriers = [aside, ...aside.querySelectorAll('*')].filter((el) =>
    [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
    && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}));
  const weights = new Map();
  for (const p of document.querySelectorAll('main p')) {
    const length = p.textContent.trim().length;
    if (aside.contains(p) || !length || !p.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const size = px(getComputedStyle(p).fontSize);
    weights.set(size, (weights.get(size) || 0) + length);
  }
  const bodySize = weights.size
    ? [...weights].sort((a, b) => b[1] - a[1])[0][0]
    : px(getComputedStyle(document.body).fontSize);
  const scale = aside.offsetWidth ? box.width / aside.offsetWidth : 1;  // transform: scale() shrinks text
  let tiny = null, small = null;
  for (const el of carriers) {
    const size = px(getComputedStyle(el).fontSize) * scale;
    if (size < minFont && (!tiny || size < tiny[1])) tiny = [el, size];
    if (size < bodySize - 0.05 && (!small || size < small[1])) small = [el, size];
  }
  if (tiny) problems.push(`the disclaimer's text is ${round(tiny[1])} px (${name(tiny[0])}), below ${minFont} px`);
  if (small) problems.push(`the disclaimer's text is ${round(small[1])} px (${name(small[0])}), smaller than the body text (${round(bodySize)} px)`);

  // Contrast of the text against what is painted behind it.
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const paint = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = (css) => {  // any CSS color -> sRGB 0..255 and alpha 0..1
    paint.clearRect(0, 0, 1, 1);
    paint.fillStyle = '#000';
    paint.fillStyle = css;
    paint.fillRect(0, 0, 1, 1);
    const d = paint.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const opacity = (el) => {
    let value = 1;
    for (let e = el; e; e = e.parentElement) value *= px(getComputedStyle(e).opacity);
    return value;
  };
  const over = (top, bottom) => {  // top (with alpha) composited over an opaque bottom
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const media = new Set(['IMG', 'PICTURE', 'VIDEO', 'CANVAS', 'svg', 'IFRAME', 'OBJECT', 'EMBED']);
  const image = (el) => {
    if (media.has(el.tagName)) return `<${el.tagName.toLowerCase()}> ${name(el)}`;
    for (const pseudo of [null, '::before', '::after']) {
      if (getComputedStyle(el, pseudo).backgroundImage !== 'none') {
        return `the background image of ${name(el)}${pseudo || ''}`;
      }
    }
    return null;
  };
  // The layers of background from el downwards, until an opaque one; null + reason for an image.
  const layers = (elements) => {
    const found = [];
    for (const el of elements) {
      const why = image(el);
      if (why) return [null, why];
      const color = rgba(getComputedStyle(el).backgroundColor);
      color[3] *= opacity(el);
      if (color[3] > 0) found.push(color);
      if (color[3] >= 1) break;
    }
    return [found, null];
  };
  const flatten = (found) => found.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');

  const behind = [];  // what lies under the disclaimer at each point that reaches it
  let unverifiable = null;
  for (const below of stacks) {
    const [found, why] = layers(below);
    if (why) { unverifiable = why; break; }
    behind.push(flatten(found));
  }
  if (unverifiable) {
    problems.push(`the disclaimer's contrast cannot be verified: its text is over ${unverifiable}`);
  } else if (behind.length) {
    let worst = null;
    for (const el of carriers) {
      const own = [];
      for (let e = el; e && e !== aside; e = e.parentElement) own.push(e);
      const [found, why] = layers(own);
      if (why) { problems.push(`the disclaimer's contrast cannot be verified: its text is over ${why}`); worst = null; break; }
      for (const ground of behind) {
        const background = flatten(found.concat([ground]));
        const color = rgba(getComputedStyle(el).color);
        color[3] *= opacity(el);
        const foreground = over(color, background);
        const value = ratio(foreground, background);
        if (!worst || value < worst[0]) worst = [value, el, foreground, background];
      }
    }
    if (worst && worst[0] < minContrast) {
      problems.push(`the disclaimer's contrast is ${worst[0].toFixed(2)}:1 (${hex(worst[2])} on ${hex(worst[3])}`
        + ` in ${name(worst[1])}), below ${minContrast}:1`);
    }
  }
  return problems;
}
"""
