"""``l10n check --browser``: the disclaimer as a reader sees it, measured in Chromium.

The HTML gate (``gate.py``) reads markup; a stylesheet, a template or a script can still hide,
shrink, fade, cover, scramble or remove the notice. Here Debian's Chromium, driven by Playwright,
shows every built page under the conditions a reader can be in (``CONDITIONS``) and measures what
is painted: the notice's visible text must be the approved text, in reading order, its glyphs
painted (a screenshot with the text against one with the text made transparent), large enough and
with enough contrast in the pixels. Anything the check cannot load fails the page.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..catalogs import is_approved, read_catalog
from ..config import Config, html_tag
from ..errors import InputError
from ..files import write_bytes_atomic
from ..source import load_pages
from .base import ERROR, Finding
from .browser_probe import PROBE

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, CDPSession, Route
    from playwright.sync_api import Page as Tab

BROWSER_CHECK = "disclaimer-browser"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
INSTALL_COMMAND = "sudo apt-get install -y chromium fonts-noto-cjk fonts-thai-tlwg fonts-noto-core"
MIN_FONT_PX = 12.0
MIN_CONTRAST = 4.5
CLOCK_START = 1_800_000_000  # seconds since 1970 (2027-01-15), where the pages' clock starts
PAGE_TIME_MS = 10_000  # page time a reader has spent on the page before the notice is measured
# Pages are served from this origin (a route, no server); anything else must be allowed with a local copy.
ORIGIN = "https://l10n-gate.invalid/"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # navigator.webdriver stays false: a page cannot tell the check from a reader.
    "--disable-blink-features=AutomationControlled",
    # screenshots need no vsync: a third of their time
    "--disable-gpu-vsync",
    "--disable-frame-rate-limit",
]


@dataclass(frozen=True)
class Condition:
    """One way a reader sees the page."""

    width: int
    height: int
    scheme: str  # prefers-color-scheme: light or dark
    density: int  # device pixels per CSS pixel
    media: str  # screen or print
    script: bool  # JavaScript on (then measured after PAGE_TIME_MS of page time) or off
    hover: str = ""  # "notice": the pointer on the notice; "above": just above it, on its ancestors

    @property
    def label(self) -> str:
        parts = [f"{self.width}px", self.scheme, f"{self.density}x", self.media,
                 f"JS on, after {PAGE_TIME_MS // 1000} s" if self.script else "JS off"]
        if self.hover:
            parts.append("hovering the notice" if self.hover == "notice" else "hovering just above the notice")
        return " ".join(parts[:4]) + ", " + ", ".join(parts[4:])


# A covering set, not the product of every value (see the README's threat model): every width
# with script on, each in a different mix of the other conditions, so each value of each
# condition is met at least once and every width is met at both densities or schemes' neighbours.
CONDITIONS = (
    Condition(1280, 800, "light", 1, "screen", True),
    Condition(390, 844, "light", 1, "screen", True),
    Condition(768, 1024, "light", 1, "print", True),
    Condition(768, 1024, "dark", 2, "screen", True, "above"),
    Condition(1920, 1080, "dark", 2, "screen", True, "notice"),
    Condition(1280, 800, "light", 1, "screen", False),
)
REPORT_CONDITION = CONDITIONS[0]  # the full-page screenshot saved for reviewers
CONDITIONS_SUMMARY = "390, 768, 1280 and 1920 px, light and dark, 1x and 2x, hover, print, JS on (after 10 s) and off"


@dataclass(frozen=True)
class BuiltPage:
    """One page of ``output/`` that carries a disclaimer."""

    locale: str
    slug: str
    path: Path
    msgid: str  # the English disclaimer, to name the message in findings
    expected: str | None = None  # the text the notice must read (None: no approved translation)


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
    """The content pages present in ``output/``, English first, in the order of the source, each
    with the text its notice must read (the approved translation, as the HTML gate expects it)."""
    from .gate import DISCLAIMER_CONTEXT, expected_disclaimer

    chosen = list(locales) if locales else [config.source_locale, *config.locales]
    catalogs: dict[str, Any] = {}
    found = []
    for page in load_pages(config):
        msgid = page.disclaimer.msgid
        for locale in chosen:
            path = config.output_dir / html_tag(locale) / f"{page.slug}.html"
            if not path.is_file():
                continue
            if locale == config.source_locale:
                text: str | None = msgid
            else:
                if locale not in catalogs:
                    po = config.po_path(locale)
                    catalogs[locale] = read_catalog(po, config) if po.is_file() else None
                entry = catalogs[locale].find(msgid, msgctxt=DISCLAIMER_CONTEXT) if catalogs[locale] else None
                text = entry.msgstr if entry is not None and is_approved(entry) else None
            expected = expected_disclaimer(text) if text is not None else None
            found.append(BuiltPage(locale, page.slug, path, msgid, expected))
    return found


def allowed_resources(config: Config) -> dict[str, Path]:
    """``[tool.l10n] browser_allow``: URL -> local copy (relative to the project) the check serves
    in its place. Anything else outside ``output/`` fails the page that asks for it."""
    table = config.extra.get("browser_allow", {})
    if not isinstance(table, dict):
        raise InputError("pyproject.toml", None, "[tool.l10n] browser_allow must be a table of URL = \"local file\"")
    allowed = {}
    for url, local in table.items():
        if not isinstance(local, str) or not local.strip():
            raise InputError("pyproject.toml", None, f"[tool.l10n] browser_allow: {url!r} must map to a local file")
        path = (config.root / local).resolve()
        if not path.is_file():
            raise InputError("pyproject.toml", None,
                             f"[tool.l10n] browser_allow: the local copy of {url} ({local}) does not exist")
        allowed[url] = path
    return allowed


def screenshot_path(config: Config, page: BuiltPage) -> Path:
    return config.root / "reports" / "screenshots" / html_tag(page.locale) / f"{page.slug}.png"


def check_in_browser(
    config: Config, locales: tuple[str, ...] | None = None, chromium: Path | None = None
) -> BrowserReport:
    """Show every built page in Chromium under every condition of ``CONDITIONS``; report what
    keeps a reader from reading the notice.

    One browser for the whole run and one tab per (density, script) pair, the viewport and
    media changed between conditions: launching and loading are the slow parts."""
    executable = chromium or chromium_executable(config)
    allowed = allowed_resources(config)
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
            agent = browser.new_page().evaluate("navigator.userAgent").replace("HeadlessChrome", "Chrome")
            tab = _Tab(browser, config, allowed, agent)
            for page in pages:
                shot = screenshot_path(config, page)
                problems: dict[str, list[str]] = {}
                try:
                    for label, found in tab.check(page, shot):
                        for problem in found:
                            problems.setdefault(problem, []).append(label)
                except PlaywrightError as exc:
                    problems.setdefault(f"Chromium could not check the page: {_first_line(exc)}", []).append("")
                if shot.is_file():
                    screenshots.append(shot)
                findings.extend(
                    Finding(page.locale, config.relative(page.path), 1, "disclaimer", page.msgid,
                            BROWSER_CHECK, ERROR, _where(labels) + problem)
                    for problem, labels in problems.items()
                )
        finally:
            browser.close()
    if locales is None:
        _remove_stale_screenshots(config, set(screenshots))
    return BrowserReport(tuple(findings), len(pages), tuple(screenshots))


def _where(labels: list[str]) -> str:
    """"at 390px light 1x screen, JS on, after 10 s / ...: " (nothing for a problem of every load)."""
    named = [label for label in dict.fromkeys(labels) if label]
    return f"at {' / '.join(named)}: " if named else ""


class _Tab:
    """One browser context and its tab, serving ``output/`` by route. The conditions are set
    through a DevTools session of our own (viewport, density, media, script), so one tab and one
    renderer (its fonts loaded once) serve them all: a page is loaded once with script on and
    once with it off."""

    def __init__(self, browser: Any, config: Config, allowed: dict[str, Path], agent: str) -> None:
        first = CONDITIONS[0]
        self.output = config.output_dir.resolve()
        self.allowed = allowed
        self.unloadable: list[str] = []
        self.painted: dict[tuple[bytes, int, str], list[str]] = {}  # see _measure
        self.context: BrowserContext = browser.new_context(
            viewport={"width": first.width, "height": first.height}, device_scale_factor=first.density,
            user_agent=agent, service_workers="block",
        )
        self.context.route("**/*", self._serve)
        self.context.route_web_socket("**/*", self._refuse_socket)
        # Page time stands still but for run_for: nothing a page schedules runs while it is measured.
        self.context.clock.install(time=CLOCK_START)
        self.context.clock.pause_at(CLOCK_START + 1)
        self.tab: Tab = self.context.new_page()
        self.tab.set_default_timeout(30_000)
        self.cdp: CDPSession = self.context.new_cdp_session(self.tab)

    def _serve(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(ORIGIN):
            path = (self.output / unquote(urlsplit(url).path).lstrip("/")).resolve()
            if path.is_relative_to(self.output) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                route.fulfill(status=200, body=path.read_bytes(), content_type=kind)
            else:
                route.fulfill(status=404, body=b"", content_type="text/plain")
        elif url in self.allowed:
            route.fulfill(path=self.allowed[url])
        else:
            self.unloadable.append(url)
            route.abort("blockedbyclient")

    def _refuse_socket(self, socket: Any) -> None:
        self.unloadable.append(socket.url)
        socket.close()

    def _world(self) -> int:
        """An isolated world in the page's main frame, with the probe installed."""
        frame = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        world = self.cdp.send("Page.createIsolatedWorld", {"frameId": frame, "worldName": "l10n-gate"})
        context = world["executionContextId"]
        self._call(context, PROBE)
        return context

    def _call(self, context: int, expression: str) -> Any:
        answer = self.cdp.send("Runtime.evaluate", {"expression": expression, "contextId": context,
                                                    "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            raise _ProbeError(text.splitlines()[0] if text else "the probe failed")
        return answer["result"].get("value")

    def _emulate(self, condition: Condition) -> None:
        self.cdp.send("Emulation.setDeviceMetricsOverride", {
            "width": condition.width, "height": condition.height, "deviceScaleFactor": condition.density,
            "mobile": False})
        self.cdp.send("Emulation.setEmulatedMedia", {
            "media": condition.media, "features": [{"name": "prefers-color-scheme", "value": condition.scheme}]})

    def _shot(self, clip: dict[str, float]) -> bytes:
        import base64

        data = self.cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True,
                                                        "clip": {**clip, "scale": 1}})["data"]
        return base64.b64decode(data)

    def check(self, page: BuiltPage, shot: Path | None) -> list[tuple[str, list[str]]]:
        """Load ``page`` with script on, then off, and measure it under every condition."""
        from playwright.sync_api import Error as PlaywrightError

        self.unloadable.clear()
        self.painted.clear()
        url = ORIGIN + page.path.resolve().relative_to(self.output).as_posix()
        results: list[tuple[str, list[str]]] = []
        for script in (True, False):
            conditions = [c for c in CONDITIONS if c.script == script]
            self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": not script})
            self.cdp.send("Emulation.clearDeviceMetricsOverride")
            self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 0, "y": 0})
            self._emulate(conditions[0])
            self.tab.goto(url, wait_until="load")
            if script:
                self.context.clock.run_for(PAGE_TIME_MS)
            try:
                world = self._world()
            except (PlaywrightError, _ProbeError) as exc:
                results.append((conditions[0].label, [f"the check could not run in the page: {_first_line(exc)}"]))
                continue
            for condition in conditions:
                try:
                    results.append((condition.label, self._measure(world, condition, page,
                                                                   shot if condition == REPORT_CONDITION else None)))
                except _ProbeError as exc:
                    results.append((condition.label, [f"the check could not run in the page: {exc}"]))
        self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        if self.unloadable:
            results.append(("", [
                f"the page loads {url}, which the check cannot load: allow it in [tool.l10n] browser_allow "
                f"with a local copy, or serve it from output/" for url in dict.fromkeys(self.unloadable)]))
        return results

    def _measure(self, world: int, condition: Condition, page: BuiltPage, shot: Path | None) -> list[str]:
        self._emulate(condition)
        if shot is not None:
            self._call(world, "l10nGate.settle()")
            height = self._call(world, "document.documentElement.scrollHeight")
            full = {"x": 0, "y": 0, "width": condition.width, "height": max(condition.height, min(height, 16_000))}
            import base64

            data = self.cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True,
                                                            "clip": {**full, "scale": 1},
                                                            "captureBeyondViewport": True})["data"]
            write_bytes_atomic(shot, base64.b64decode(data))
            self._emulate(condition)
        if page.expected is None:
            return ["the page is in output/ but its disclaimer has no approved translation to compare with"]
        arguments = json.dumps({"expected": page.expected, "minFont": MIN_FONT_PX, "hoverAbove": condition.hover == "above"})
        seen = self._call(world, f"l10nGate.measure({arguments})")
        endless = seen["endless"]
        if condition.hover and "hover" in seen:
            x, y = seen["hover"]
            self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
            seen = self._call(world, f"l10nGate.measure({arguments})")
            endless += seen["endless"]
        problems = [f"an endless animation ({what}) keeps changing the notice" for what in dict.fromkeys(endless)]
        problems += seen["problems"]
        if "region" not in seen:
            return problems
        region = seen["region"]
        if region["right"] - region["left"] < 1 or region["bottom"] - region["top"] < 1:
            return problems + ["the notice has no area on the screen"]
        clip = {"x": region["left"] + seen["scrollX"], "y": region["top"] + seen["scrollY"],
                "width": region["right"] - region["left"], "height": region["bottom"] - region["top"]}
        with_text = self._shot(clip)
        layout = {"region": region, "layout": seen["layout"], "scale": condition.density, "minContrast": MIN_CONTRAST}
        # The same pixels with the same glyph boxes (relative to the region) give the same answer:
        # the notice at 768, 1280 and 1920 px is usually drawn alike, script on or off.
        key = (hashlib.sha256(with_text).digest(), condition.density, _relative(layout))
        if key not in self.painted:
            self._call(world, "l10nGate.conceal(true)")
            try:
                without_text = self._shot(clip)
            except BaseException:
                self._call(world, "l10nGate.conceal(false)")
                raise
            self.painted[key] = self._call(  # compare() first lifts the concealment
                world, f"l10nGate.compare({_b64(with_text)}, {_b64(without_text)}, {json.dumps(layout)})")["problems"]
        return problems + self.painted[key]


class _ProbeError(Exception):
    pass


def _relative(layout: dict[str, Any]) -> str:
    """The glyph boxes of a layout relative to its region, as text to compare."""
    left, top = layout["region"]["left"], layout["region"]["top"]

    def moved(rects: list[list[float]]) -> list[list[float]]:
        return [[round(r[0] - left, 2), round(r[1] - top, 2), round(r[2] - left, 2), round(r[3] - top, 2)] for r in rects]

    words = [[w["text"], moved(w["rects"]), [[g["text"], moved(g["rects"])] for g in w["graphemes"]]]
             for w in layout["layout"]]
    return json.dumps([words, layout["region"]["right"] - left, layout["region"]["bottom"] - top])


def _b64(data: bytes) -> str:
    import base64

    return json.dumps(base64.b64encode(data).decode("ascii"))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _remove_stale_screenshots(config: Config, current: set[Path]) -> None:
    """A screenshot of a page no longer built (withheld, removed) would mislead a reviewer."""
    for old in (config.root / "reports" / "screenshots").glob("*/*.png"):
        if old not in current:
            old.unlink(missing_ok=True)
