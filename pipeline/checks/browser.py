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
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
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
# with script on, each value of each condition met at least once. High density goes with the
# phone and tablet widths (the devices that have it; a 1920 px screen at 2x costs four times the
# pixels to paint, see the README's performance notes).
CONDITIONS = (
    Condition(1280, 800, "light", 1, "screen", True),
    Condition(390, 844, "dark", 2, "screen", True),
    Condition(768, 1024, "dark", 2, "screen", True, "above"),
    Condition(1920, 1080, "light", 1, "screen", True, "notice"),
    Condition(768, 1024, "light", 1, "print", True),
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
    loaded: int = 0  # page versions Chromium laid out in this run (the others: verdicts from the cache)

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

    One browser and one context for the whole run, each page loaded once with script on (and
    once off when it has anything script-related), the conditions switched in place: launching,
    loading and painting are the slow parts."""
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
    cache = VerdictCache(config, executable, allowed)
    verdicts: dict[Path, dict[str, list[str]]] = {}
    pending = []
    for page in pages:
        known = cache.get(page)
        if known is None:
            pending.append(page)
        else:
            verdicts[page.path] = known
    if pending:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
                )
            except PlaywrightError as exc:
                raise InputError(executable, None, f"Chromium did not start: {_first_line(exc)}") from None
            try:
                # What Chromium on Linux sends, without "Headless": a page cannot tell the check from a reader.
                agent = (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         f"Chrome/{browser.version.split('.')[0]}.0.0.0 Safari/537.36")
                tab = _Tab(browser, config, allowed, agent)
                for page in pending:
                    problems: dict[str, list[str]] = {}
                    try:
                        for label, found in tab.check(page, screenshot_path(config, page)):
                            for problem in found:
                                problems.setdefault(problem, []).append(label)
                        cache.put(page, problems)
                    except PlaywrightError as exc:  # not a verdict: never cached
                        problems.setdefault(f"Chromium could not check the page: {_first_line(exc)}", []).append("")
                    verdicts[page.path] = problems
            finally:
                browser.close()
        cache.save()
    for page in pages:
        shot = screenshot_path(config, page)
        if shot.is_file():
            screenshots.append(shot)
        findings.extend(
            Finding(page.locale, config.relative(page.path), 1, "disclaimer", page.msgid,
                    BROWSER_CHECK, ERROR, _where(labels) + problem)
            for problem, labels in verdicts[page.path].items()
        )
    if locales is None:
        _remove_stale_screenshots(config, set(screenshots))
    return BrowserReport(tuple(findings), len(pages), tuple(screenshots), len(pending))


class VerdictCache:
    """The browser's verdict on each page version, in ``.cache/browser-verdicts.json``, under a key
    over everything that shapes what Chromium paints: the page's bytes, every other file of the
    site a page may load (stylesheets, scripts, images), the text its notice must read, the
    allowed outside resources, the check's own code (``code_version``), the Chromium binary and
    the fonts installed. A page version whose key is known is not loaded again."""

    def __init__(self, config: Config, executable: Path, allowed: dict[str, Path]) -> None:
        from ..catalogs import code_version

        self.path = config.cache_dir / "browser-verdicts.json"
        try:
            self.known: dict[str, dict[str, list[str]]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.next: dict[str, dict[str, list[str]]] = {}
        info = executable.stat()
        site = hashlib.sha256()
        for name, data in sorted(_site_files(config.output_dir)):
            site.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        for url, local in sorted(allowed.items()):
            site.update(url.encode() + b"\0" + hashlib.sha256(local.read_bytes()).digest())
        self.context = "\0".join([code_version(), str(executable.resolve()), str(info.st_size), str(info.st_mtime_ns),
                                   _fonts(), os.environ.get("FONTCONFIG_FILE", ""), site.hexdigest()])

    def _key(self, page: BuiltPage) -> str:
        return hashlib.sha256("\0".join([self.context, page.locale, str(page.path), page.expected or "\1"]).encode()
                              + page.path.read_bytes()).hexdigest()

    def get(self, page: BuiltPage) -> dict[str, list[str]] | None:
        key = self._key(page)
        found = self.known.get(key)
        if found is not None:
            self.next[key] = found
        return found

    def put(self, page: BuiltPage, problems: dict[str, list[str]]) -> None:
        self.next[self._key(page)] = problems

    def save(self) -> None:
        try:
            write_bytes_atomic(self.path, json.dumps(self.next, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # a read-only project: the next run checks again


def _site_files(output: Path) -> list[tuple[str, bytes]]:
    """Every file of ``output/`` a page may load: all but the pages themselves and the search
    index's data (only a search reads it)."""
    found = []
    for folder, _dirs, names in os.walk(output, followlinks=False):
        relative = os.path.relpath(folder, output)
        for name in names:
            path = os.path.join(folder, name)
            inside = name if relative == "." else f"{relative}/{name}"
            if relative != "." and name.endswith(".html") and "/" not in relative:
                continue
            if inside.startswith("pagefind/") and not inside.startswith("pagefind/pagefind-ui"):
                continue
            with open(path, "rb") as handle:
                found.append((inside, handle.read()))
    return found


@lru_cache(maxsize=1)
def _fonts() -> str:
    """What fontconfig offers (a font installed or removed changes what Chromium draws)."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file} %{family}\n"], capture_output=True, text=True,
                                timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        listed = "no fc-list"
    return hashlib.sha256("".join(sorted(listed.splitlines(True))).encode()).hexdigest()


def _where(labels: list[str]) -> str:
    """"at 390px light 1x screen, JS on, after 10 s / ...: " (nothing for a problem of every load)."""
    named = [label for label in dict.fromkeys(labels) if label]
    return f"at {' / '.join(named)}: " if named else ""


class _Tab:
    """One browser context serving ``output/`` by route, with two tabs: one runs the page's
    scripts (its clock faked), one has script off. The conditions are set through DevTools
    sessions of our own (viewport, density, media), so one renderer, its fonts loaded once,
    serves them all; the script-off tab loads while the other is measured."""

    def __init__(self, browser: Any, config: Config, allowed: dict[str, Path], agent: str) -> None:
        first = CONDITIONS[0]
        self.output = config.output_dir.resolve()
        self.allowed = allowed
        self.unloadable: list[str] = []
        self.served: list[Path] = []  # files served to the page being checked
        self.scripted: dict[Path, bool] = {}  # file -> whether it could make script on and off differ
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
        self.lanes: dict[bool, _Lane] = {}  # script on / off; the second opened when a page needs it

    def lane(self, script: bool) -> _Lane:
        if script not in self.lanes:
            self.lanes[script] = _Lane(self.context, script)
        return self.lanes[script]

    def _serve(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(ORIGIN):
            path = (self.output / unquote(urlsplit(url).path).lstrip("/")).resolve()
            if path.is_relative_to(self.output) and path.is_file():
                self.served.append(path)
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                route.fulfill(status=200, path=path, content_type=kind)  # the driver reads the file
            else:
                route.fulfill(status=404, body=b"", content_type="text/plain")
        elif url in self.allowed:
            self.served.append(self.allowed[url])
            route.fulfill(path=self.allowed[url])
        else:
            self.unloadable.append(url)
            route.abort("blockedbyclient")

    def _scripted(self, path: Path) -> bool:
        """Whether a served file could render differently with script off: a script, <noscript>,
        the ``scripting`` media feature, an event handler attribute, a frame (its own scripts)."""
        if path not in self.scripted:
            text = path.read_bytes().decode("utf-8", "replace").lower() if path.suffix in _TEXT_FILES else ""
            self.scripted[path] = bool(_SCRIPTED.search(text))
        return self.scripted[path]

    def _refuse_socket(self, socket: Any) -> None:
        self.unloadable.append(socket.url)
        socket.close()

    def check(self, page: BuiltPage, shot: Path | None) -> list[tuple[str, list[str]]]:
        """Load ``page`` with script on and off and measure it under every condition."""
        from playwright.sync_api import Error as PlaywrightError

        self.unloadable.clear()
        self.served.clear()
        self.painted.clear()
        url = ORIGIN + page.path.resolve().relative_to(self.output).as_posix()
        results: list[tuple[str, list[str]]] = []
        for script in (True, False):
            conditions = [c for c in CONDITIONS if c.script == script]
            if not script and not self.unloadable and not any(self._scripted(path) for path in self.served):
                # Nothing in the page or its styles depends on script: it renders as it did with
                # script on, where the same condition (script aside) was measured.
                twins = dict(results)
                for condition in conditions:
                    twin = replace(condition, script=True)
                    results.append((condition.label, twins.get(twin.label, [])))
                continue
            lane = self.lane(script)
            try:
                lane.start(url, conditions[0])
                lane.tab.wait_for_load_state("load")
                if lane.script:
                    self.context.clock.run_for(PAGE_TIME_MS)
                world = lane.world()
            except (PlaywrightError, _ProbeError) as exc:
                results.append((conditions[0].label, [f"the check could not run in the page: {_first_line(exc)}"]))
                continue
            for condition in conditions:
                try:
                    results.append((condition.label, self._measure(lane, world, condition, page,
                                                                   shot if condition == REPORT_CONDITION else None)))
                except _ProbeError as exc:
                    results.append((condition.label, [f"the check could not run in the page: {exc}"]))
        if self.unloadable:
            results.append(("", [
                f"the page loads {url}, which the check cannot load: allow it in [tool.l10n] browser_allow "
                f"with a local copy, or serve it from output/" for url in dict.fromkeys(self.unloadable)]))
        return results

    def _measure(self, lane: _Lane, world: int, condition: Condition, page: BuiltPage, shot: Path | None) -> list[str]:
        lane.emulate(condition)
        if shot is not None:
            height = lane.call(world, "l10nGate.settle().then(() => document.documentElement.scrollHeight)")
            full = {"x": 0, "y": 0, "width": condition.width, "height": max(condition.height, min(height, 16_000))}
            import base64

            data = lane.cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True,
                                                            "clip": {**full, "scale": 1},
                                                            "captureBeyondViewport": True})["data"]
            write_bytes_atomic(shot, base64.b64decode(data))
            lane.emulate(condition, again=True)
        if page.expected is None:
            return ["the page is in output/ but its disclaimer has no approved translation to compare with"]
        if condition.hover:
            point = lane.call(world, f"l10nGate.locate({json.dumps({'hoverAbove': condition.hover == 'above'})})")
            if point:
                lane.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": point[0], "y": point[1]})
                lane.hovered = True
        arguments = json.dumps({"expected": page.expected, "minFont": MIN_FONT_PX})
        seen = lane.call(world, f"l10nGate.measure({arguments})")
        endless = seen["endless"]
        problems = [f"an endless animation ({what}) keeps changing the notice" for what in dict.fromkeys(endless)]
        problems += seen["problems"]
        if "region" not in seen:
            return problems
        region = seen["region"]
        if region["right"] - region["left"] < 1 or region["bottom"] - region["top"] < 1:
            return problems + ["the notice has no area on the screen"]
        clip = {"x": region["left"] + seen["scrollX"], "y": region["top"] + seen["scrollY"],
                "width": region["right"] - region["left"], "height": region["bottom"] - region["top"]}
        with_text = lane.shot(clip)
        layout = {"region": region, "layout": seen["layout"], "scale": condition.density, "minContrast": MIN_CONTRAST}
        # The same pixels with the same glyph boxes (relative to the region) give the same answer:
        # the notice at 768, 1280 and 1920 px is usually drawn alike, script on or off.
        key = (hashlib.sha256(with_text).digest(), condition.density, _relative(layout))
        if key not in self.painted:
            lane.call(world, "l10nGate.conceal(true)")
            try:
                without_text = lane.shot(clip)
            except BaseException:
                lane.call(world, "l10nGate.conceal(false)")
                raise
            self.painted[key] = lane.call(  # compare() first lifts the concealment
                world, f"l10nGate.compare({_b64(with_text)}, {_b64(without_text)}, {json.dumps(layout)})")["problems"]
        return problems + self.painted[key]


_TEXT_FILES = {".html", ".htm", ".css", ".svg", ".xhtml", ".xml", ".js", ".mjs"}
_SCRIPTED = re.compile(r"<script|<noscript|scripting|javascript:|<iframe|<frame|<object|<embed|<portal|\son[a-z]+\s*=")


class _Lane:
    """One tab of the context, script on or off, driven through its own DevTools session."""

    def __init__(self, context: BrowserContext, script: bool) -> None:
        self.script = script
        self.tab: Tab = context.new_page()
        self.tab.set_default_timeout(30_000)
        self.cdp: CDPSession = context.new_cdp_session(self.tab)
        self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": not script})
        self.emulated: Condition | None = None
        self.hovered = False

    def start(self, url: str, condition: Condition) -> None:
        """Begin loading ``url`` under ``condition``, the pointer away from the notice."""
        if self.hovered:
            self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 0, "y": 0})
            self.hovered = False
        self.emulate(condition)
        self.tab.goto(url, wait_until="commit")

    def world(self) -> int:
        """An isolated world in the page's main frame, with the probe installed."""
        frame = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        world = self.cdp.send("Page.createIsolatedWorld", {"frameId": frame, "worldName": "l10n-gate"})
        context = world["executionContextId"]
        self.call(context, PROBE)
        return context

    def call(self, context: int, expression: str) -> Any:
        answer = self.cdp.send("Runtime.evaluate", {"expression": expression, "contextId": context,
                                                    "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            raise _ProbeError(text.splitlines()[0] if text else "the probe failed")
        return answer["result"].get("value")

    def emulate(self, condition: Condition, again: bool = False) -> None:
        last = self.emulated
        if again or last is None or (last.width, last.height, last.density) != (
                condition.width, condition.height, condition.density):
            self.cdp.send("Emulation.setDeviceMetricsOverride", {
                "width": condition.width, "height": condition.height, "deviceScaleFactor": condition.density,
                "mobile": False})
        if again or last is None or (last.media, last.scheme) != (condition.media, condition.scheme):
            self.cdp.send("Emulation.setEmulatedMedia", {
                "media": condition.media, "features": [{"name": "prefers-color-scheme", "value": condition.scheme}]})
        self.emulated = condition

    def shot(self, clip: dict[str, float]) -> bytes:
        import base64

        data = self.cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True,
                                                        "clip": {**clip, "scale": 1}})["data"]
        return base64.b64decode(data)


class _ProbeError(Exception):
    pass


def _relative(layout: dict[str, Any]) -> str:
    """The glyph boxes of a layout relative to its region, as text to compare."""
    left, top = layout["region"]["left"], layout["region"]["top"]

    def moved(rects: list[list[float]]) -> list[list[float]]:
        return [[round(r[0] - left, 2), round(r[1] - top, 2), round(r[2] - left, 2), round(r[3] - top, 2)]
                for r in rects]

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
