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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..catalogs import is_approved, read_catalog
from ..config import Config, html_tag
from ..errors import InputError
from ..files import write_bytes_atomic
from ..source import load_pages
from .base import ERROR, WARNING, Finding
from .browser_probe import PROBE

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, CDPSession, Route
    from playwright.sync_api import Page as Tab

BROWSER_CHECK = "disclaimer-browser"
ASSETS_CHECK = "assets"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
INSTALL_COMMAND = "sudo apt-get install -y chromium fonts-noto-cjk fonts-thai-tlwg fonts-noto-core"
MIN_FONT_PX = 12.0
MIN_CONTRAST = 4.5
CLOCK_START = 1_800_000_000  # seconds since 1970 (2027-01-15), where the pages' clock starts
PAGE_TIME_MS = 10_000  # page time a reader has spent on the page before the notice is measured
# Pages are served by a server of the check's own on the loopback; no other host name resolves
# (anything else must be allowed with a local copy).
LOOPBACK = "127.0.0.1"
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
    # nothing from elsewhere reaches the network: every host name fails to resolve
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {LOOPBACK}",
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
CONDITIONS_SUMMARY = "390, 768, 1280 and 1920 px, light and dark, 1x and 2x, hover, print, JS on (after 10 s) and off"


@dataclass(frozen=True)
class BuiltPage:
    """One page of ``output/`` that carries a disclaimer."""

    locale: str
    slug: str
    path: Path
    msgid: str  # the English disclaimer, to name the message in findings
    expected: str | None = None  # the text the notice must read (None: no approved translation)
    notice: bool = True  # False: an index or the language chooser (no disclaimer; axe and assets only)


@dataclass(frozen=True)
class BrowserReport:
    findings: tuple[Finding, ...]
    pages_checked: int
    screenshots: tuple[Path, ...]
    loaded: int = 0  # page versions Chromium laid out in this run (the others: verdicts from the cache)
    layouts: int = 0  # layouts examined under every condition in this run (see _Tab)
    accessibility: str = "accessibility off"  # what checked accessibility, for the summary

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
    # the pages without a disclaimer: each language's index, then the language chooser
    for locale in chosen:
        path = config.output_dir / html_tag(locale) / "index.html"
        if path.is_file():
            found.append(BuiltPage(locale, "index", path, "", None, notice=False))
    chooser = config.output_dir / "index.html"
    if locales is None and chooser.is_file():
        found.append(BuiltPage(config.source_locale, "index", chooser, "", None, notice=False))
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
    """``reports/screenshots/TAG/SLUG.png`` (the language chooser: ``reports/screenshots/index.png``)."""
    folder = config.root / "reports" / "screenshots"
    if page.path.parent == config.output_dir:
        return folder / page.path.with_suffix(".png").name
    return folder / html_tag(page.locale) / f"{page.slug}.png"


def check_in_browser(
    config: Config, locales: tuple[str, ...] | None = None, chromium: Path | None = None
) -> BrowserReport:
    """One browser pass over every built page version: the disclaimer as a reader sees it under
    every condition of ``CONDITIONS``, axe-core's WCAG 2.1 A/AA rules, and every image and local
    link. Versions whose verdict is in ``.cache/`` are not loaded; the others are shared among
    processes, one per ``CORES_PER_CHROMIUM`` of the ``L10N_JOBS`` cores, each with a Chromium of its own."""
    from .accessibility import accessibility_mode, axe_version
    from .browser_cache import VerdictCache

    executable = chromium or chromium_executable(config)
    allowed = allowed_resources(config)
    accessibility = accessibility_mode(config)
    summary = (f"axe-core {axe_version()}, WCAG 2.1 A and AA" + (" (warnings)" if accessibility == "warning" else "")
               if accessibility != "off" else "accessibility off")
    pages = built_pages(config, locales)
    if not pages:
        if locales is None:
            _remove_stale_screenshots(config, set())
        return BrowserReport((), 0, (), accessibility=summary)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise InputError(None, None, "the Python package playwright is missing: "
                                     "run `pip install -e .` in the project") from None

    settings = f"axe {axe_version()} {accessibility}" if accessibility != "off" else "accessibility off"
    cache = VerdictCache(config, executable, allowed, settings)
    verdicts: dict[Path, dict[str, Any]] = {}
    finished: list[_ShareDone] = []
    pending: list[BuiltPage] = []
    for page in pages:
        known = cache.get(page)
        if known is None:
            pending.append(page)
        else:
            verdicts[page.path] = known
    if pending:
        from ..pool import in_parallel, workers

        changed = {page.path for page in pending if cache.changed(page)}
        pending.sort(key=lambda page: page.locale)  # stable: in each locale, the order of the source
        count = max(1, min(workers() // CORES_PER_CHROMIUM, len(pending) // MIN_SHARE))
        size = -(-len(pending) // count)
        # Contiguous shares of a list ordered by locale: versions alike (same locale, same notice)
        # meet in one process, which examines their layout under every condition once.
        shares = [_Share(config, tuple(pending[i:i + size]), executable, allowed, accessibility,
                         cache.known_layouts(), frozenset(changed))
                  for i in range(0, len(pending), size)]
        finished = in_parallel(_check_share, shares)
        for done in finished:
            if done.failure:
                raise InputError(executable, None, done.failure)
            for page in done.pages:
                verdict = done.verdicts[page.path]
                verdicts[page.path] = verdict
                if verdict.get("final", True):
                    cache.put(page, verdict)
            for layout, findings in done.layouts.items():
                cache.put_layout(layout, findings)
        cache.save(everything=locales is None)
    findings: list[Finding] = []
    screenshots: list[Path] = []
    for page in pages:
        shot = screenshot_path(config, page)
        if shot.is_file():
            screenshots.append(shot)
        findings.extend(_findings(config, page, verdicts[page.path], accessibility))
    if locales is None:
        _remove_stale_screenshots(config, set(screenshots))
    examined = sum(len(done.layouts) for done in finished)
    return BrowserReport(tuple(findings), len(pages), tuple(screenshots), len(pending), examined, summary)


MIN_SHARE = 4  # page versions a process must have to be worth its Chromium (about 1 s to start)
# One Chromium keeps about one and a half cores busy (its browser process, the page's renderer,
# the compositor): on a quiet 2-core machine, 118 versions took 30.5 s (44 CPU s) in one process
# and 50.7 s (90 CPU s) in two, which fought over the cores. A process per two cores.
CORES_PER_CHROMIUM = 2
# A renderer that has laid out thousands of documents holds on to memory (a 1,000-page pass grew
# to 2.4 GB over two processes): the browser context, and with it the renderers, is replaced
# after this many page versions (a new context costs about half a second).
VERSIONS_PER_CONTEXT = 200
# Two browser contexts take turns: Chromium loads the next version in one while the process
# measures the other's (the load's parsing, scripts and layout run beside the measuring).
CONTEXTS = 2
# Opening a context costs about half a second; the turns save about 40 ms a version.
MIN_TURNS = 16  # versions a share needs for its second context
# V8 collects a renderer's garbage lazily (on a machine with much memory it lets the heap grow):
# the documents of earlier versions, their axe-core runs. A full collection after every
# COLLECT_EVERY versions of a context: at 1,000 pages (en and ko, 2,002 versions) the pass
# peaked at 1,334 MB instead of 1,821 MB, and took no longer.
COLLECT_EVERY = 25


@dataclass(frozen=True)
class _Share:
    """One process's part of the pass."""

    config: Config
    pages: tuple[BuiltPage, ...]
    executable: Path
    allowed: dict[str, Path]
    accessibility: str
    layouts: dict[str, Any]  # the findings of layouts already examined, by layout key
    changed: frozenset[Path]  # pages an earlier run saw in another version: a screenshot each


@dataclass
class _ShareDone:
    pages: tuple[BuiltPage, ...]
    verdicts: dict[Path, dict[str, Any]] = field(default_factory=dict)
    layouts: dict[str, Any] = field(default_factory=dict)
    failure: str = ""


def _check_share(share: _Share) -> _ShareDone:
    """Check ``share.pages`` in a Chromium of this process's own."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    done = _ShareDone(share.pages)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(share.executable), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            done.failure = f"Chromium did not start: {_first_line(exc)}"
            return done
        contexts = CONTEXTS if len(share.pages) >= MIN_TURNS else 1
        tabs: list[_Tab | None] = [None] * contexts
        try:
            # What Chromium on Linux sends, without "Headless": a page cannot tell the check from a reader.
            agent = (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     f"Chrome/{browser.version.split('.')[0]}.0.0.0 Safari/537.36")
            layouts = dict(share.layouts)
            painted: dict[tuple[bytes, bytes, str], list[str]] = {}  # kept across contexts, as layouts are

            def begin(number: int) -> None:
                """Start loading version ``number`` in its context (renewed now and then)."""
                slot = number % contexts
                old = tabs[slot]
                if old is None or number % VERSIONS_PER_CONTEXT < contexts:
                    tabs[slot] = None
                    if old is not None:
                        old.close()
                    tabs[slot] = _Tab(browser, share.config, share.allowed, agent, share.accessibility, layouts,
                                      painted)
                tabs[slot].begin(share.pages[number])

            begin(0)
            for number, page in enumerate(share.pages):
                if number + 1 < len(share.pages):
                    begin(number + 1)  # loads while this one is measured
                tab = tabs[number % contexts]
                try:
                    verdict = tab.check(page, screenshot_path(share.config, page), page.path in share.changed)
                    if (number // contexts + 1) % COLLECT_EVERY == 0:
                        tab.collect_garbage()
                except PlaywrightError as exc:  # not a verdict: never cached
                    verdict = {"gate": {f"Chromium could not check the page: {_first_line(exc)}": [""]},
                               "final": False}
                done.verdicts[page.path] = verdict
            done.layouts = {k: v for k, v in layouts.items() if k not in share.layouts}
        finally:
            for tab in tabs:
                if tab is not None:
                    tab.close()
            browser.close()
    return done


def _findings(config: Config, page: BuiltPage, verdict: dict[str, Any], accessibility: str) -> list[Finding]:
    """A verdict as findings: the gate's, axe's (by the accessibility setting), the assets'.
    Whether a local link's target exists is looked up now, not kept: it is another page's fate."""
    from .accessibility import ACCESSIBILITY_CHECK, violations

    file = config.relative(page.path)
    found = [Finding(page.locale, file, 1, "disclaimer", page.msgid, BROWSER_CHECK, ERROR, _where(labels) + problem)
             for problem, labels in verdict.get("gate", {}).items()]
    if accessibility != "off":
        severity = ERROR if accessibility == "error" else WARNING
        found += [Finding(page.locale, file, 1, None, "", ACCESSIBILITY_CHECK, severity, v.message())
                  for v in violations(verdict.get("axe") or [])]
    problems = [f"the image {src!r} does not load or decode" for src in verdict.get("broken", [])]
    output = config.output_dir.resolve()
    for tag, attr, written, inside in verdict.get("refs", []):
        target = (output / inside).resolve()
        if not target.is_relative_to(output) or not (target.is_file() or (target / "index.html").is_file()):
            folder = f"{config.relative(config.output_dir)}/"
            problems.append(f"<{tag} {attr}={written!r}> points at {inside}, which is not in {folder}" if tag
                            else f"the page loads {written}, which is not in {folder}")
    found += [Finding(page.locale, file, 1, None, "", ASSETS_CHECK, ERROR, p) for p in dict.fromkeys(problems)]
    return found


def _where(labels: list[str]) -> str:
    """"at 390px light 1x screen, JS on, after 10 s / ...: " (nothing for a problem of every load)."""
    named = [label for label in dict.fromkeys(labels) if label]
    return f"at {' / '.join(named)}: " if named else ""


class _Tab:
    """One browser context serving ``output/`` by route, with two tabs: one runs the page's
    scripts (its clock faked), one has script off. The conditions are set through DevTools
    sessions of our own (viewport, density, media), so one renderer, its fonts loaded once,
    serves them all.

    Each version is loaded once, script on, and examined under the first condition: the notice
    (text, order, paint, size, contrast), axe-core, images and references. The other conditions
    are examined once per *layout* (``layout_key``): versions whose notice, ancestors, head,
    inline styles and matching style rules are the same are laid out by the same rules, so the
    first version of a layout stands for the others under the other conditions."""

    def __init__(self, browser: Any, config: Config, allowed: dict[str, Path], agent: str,
                 accessibility: str = "off", layouts: dict[str, Any] | None = None,
                 painted: dict[tuple[bytes, bytes, str], list[str]] | None = None) -> None:
        first = CONDITIONS[0]
        self.output = config.output_dir.resolve()
        self.allowed = allowed
        self.accessibility = accessibility
        self.layouts: dict[str, Any] = layouts if layouts is not None else {}
        self.unloadable: list[str] = []
        self.served: list[Path] = []  # files served to the page being checked
        self.scripted: dict[Path, bool] = {}  # file -> whether it could make script on and off differ
        self.painted = painted if painted is not None else {}  # see _measure
        self.context: BrowserContext = browser.new_context(
            viewport={"width": first.width, "height": first.height}, device_scale_factor=first.density,
            user_agent=agent, service_workers="block",
        )
        self.server = _SiteServer(self.output)
        self.origin = self.server.origin
        self.context.on("request", self._requested)
        if allowed:  # routing turns Chromium's cache off: only for a site that needs it
            self.context.route(lambda url: url in allowed, self._serve_allowed)
        # Page time stands still but for run_for: nothing a page schedules runs while it is measured.
        self.context.clock.install(time=CLOCK_START)
        self.context.clock.pause_at(CLOCK_START + 1)
        self.lanes: dict[bool, _Lane] = {}  # script on / off; the second opened when a page needs it
        self.front: bool | None = None  # the lane whose tab is in front
        self.begun: BuiltPage | None = None  # the version being loaded (see begin)
        self.begin_error: Exception | None = None

    def lane(self, script: bool) -> _Lane:
        """The tab with script on or off, in front: Chromium paints a tab in the background
        irregularly, and a screenshot of it can fail."""
        if script not in self.lanes:
            self.lanes[script] = _Lane(self.context, script)
            if script:  # (with script off, Chromium runs no script of the document's, ours neither)
                from .accessibility import axe_source

                self.lanes[script].preload(PROBE + (";\n" + axe_source() if self.accessibility != "off" else ""))
        elif self.front != script:
            self.lanes[script].tab.bring_to_front()
        self.front = script
        return self.lanes[script]

    def _requested(self, request: Any) -> None:
        url = request.url
        if url.startswith(self.origin) or url in self.allowed or url.split(":", 1)[0] in ("data", "blob", "about"):
            return
        self.unloadable.append(url)  # it fails: its host name does not resolve

    def _serve_allowed(self, route: Route) -> None:
        route.fulfill(path=self.allowed[route.request.url])

    def _scripted(self, path: Path) -> bool:
        """Whether a served file could render differently with script off: a script, <noscript>,
        the ``scripting`` media feature, an event handler attribute, a ``javascript:`` URL, a frame
        (its own scripts)."""
        if path not in self.scripted:
            text = path.read_bytes().decode("utf-8", "replace").lower() if path.suffix in _TEXT_FILES else ""
            self.scripted[path] = bool(_SCRIPTED.search(text))
        return self.scripted[path]

    def collect_garbage(self) -> None:
        """A full garbage collection in the renderers of this context's tabs."""
        for lane in self.lanes.values():
            lane.cdp.send("HeapProfiler.collectGarbage")

    def close(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.context.close()
        except PlaywrightError:  # Chromium gone: nothing left to close but the server
            pass
        finally:
            self.server.close()

    def begin(self, page: BuiltPage) -> None:
        """Start loading ``page`` (script on, the first condition); ``check`` waits for it. Chromium
        goes on loading it while the process measures a version in another context."""
        from playwright.sync_api import Error as PlaywrightError

        self.unloadable.clear()
        self.served.clear()
        self.server.missing.clear()
        self.begun, self.begin_error = page, None
        try:
            self.lane(True).start(self._url(page), CONDITIONS[0])
        except PlaywrightError as exc:
            self.begin_error = exc

    def _url(self, page: BuiltPage) -> str:
        return self.origin + page.path.resolve().relative_to(self.output).as_posix()

    def check(self, page: BuiltPage, shot: Path, changed: bool) -> dict[str, Any]:
        """The verdict on one page version (loaded by ``begin``, or now): ``gate`` (problem ->
        condition labels), ``axe`` (violations, None when off), ``broken`` (images that do not
        decode), ``refs`` (every local file it refers to), ``layout`` (its layout key)."""
        from playwright.sync_api import Error as PlaywrightError

        if self.begun is not page:
            self.begin(page)
        self.begun = None
        url = self._url(page)
        first = CONDITIONS[0]
        verdict: dict[str, Any] = {"gate": {}}
        gate: list[tuple[str, list[str]]] = []
        lane = self.lane(True)
        try:
            if self.begin_error is not None:
                raise self.begin_error
            lane.tab.wait_for_load_state("load")
            self.context.clock.run_for(PAGE_TIME_MS)
            world = lane.world()
        except (PlaywrightError, _ProbeError) as exc:
            verdict["gate"] = {f"the check could not run in the page: {_first_line(exc)}": [first.label]}
            verdict["final"] = False
            return verdict
        try:
            if page.notice:
                gate.append((first.label, self._measure(lane, world, first, page)))
            if self.accessibility != "off":
                from .accessibility import run_expression

                verdict["axe"] = lane.call(world, run_expression())
            found = lane.call(world, "l10nGate.assets()")
            self.served = self._files(found["resources"])
            verdict["broken"] = found["broken"]
            verdict["refs"] = self._references(found["urls"])
            if page.notice:
                layout = self._layout_key(lane, world, page)
                verdict["layout"] = layout
                if layout not in self.layouts:
                    self.layouts[layout] = self._other_conditions(lane, world, page, url, gate)
                gate += [(label, problems) for label, problems in self.layouts[layout]]
        except _ProbeError as exc:
            gate.append((first.label, [f"the check could not run in the page: {exc}"]))
        if self.unloadable:
            gate.append(("", [
                f"the page loads {url}, which the check cannot load: allow it in [tool.l10n] browser_allow "
                f"with a local copy, or serve it from output/" for url in dict.fromkeys(self.unloadable)]))
        for label, problems in gate:
            for problem in problems:
                verdict["gate"].setdefault(problem, []).append(label)
        failed = bool(verdict["gate"] or verdict.get("axe") or verdict["broken"])
        if failed or changed:
            self._screenshot(lane, world, shot)
        else:
            shot.unlink(missing_ok=True)  # a screenshot of an earlier version would mislead
        return verdict

    def _files(self, urls: list[str]) -> list[Path]:
        """The files behind the URLs the page loaded (from Chromium's cache or not)."""
        files = []
        for url in urls:
            if url.startswith(self.origin):
                path = _served_file(self.output, _inside(url))
                if path is not None:
                    files.append(path)
            elif url in self.allowed:
                files.append(self.allowed[url])
        return files

    def _references(self, urls: list[list[str]]) -> list[list[str]]:
        """The page's references to files of the site, as paths inside ``output/`` (with what the
        page's markup says), including files a stylesheet asked for and did not get."""
        refs = []
        for tag, attr, written, absolute in urls:
            if absolute.startswith(self.origin):
                inside = _inside(absolute)
                if (inside == "" or inside.endswith("/")) and attr == "href":
                    inside += "index.html"
                refs.append([tag, attr, written, inside])
        refs += [["", "", inside, inside] for inside in dict.fromkeys(self.server.missing)]  # asked for by a stylesheet, a script
        return refs

    def _layout_key(self, lane: _Lane, world: int, page: BuiltPage) -> str:
        """What decides how the notice is laid out under any condition: its text and locale, the
        probe's signature (the notice's markup and its ancestors', the head, inline styles, the
        style rules that select anything in the page) and the site's non-image files served."""
        lane.emulate(CONDITIONS[0])
        signature = lane.call(world, "l10nGate.signature()")
        own = page.path.resolve()
        served = sorted({p.relative_to(self.output).as_posix() if p.is_relative_to(self.output) else str(p)
                         for p in self.served if p.suffix.lower() not in _RASTER and p != own})
        return hashlib.sha256("\0".join([page.locale, page.expected or "\1", signature, *served,
                                         *self.unloadable]).encode()).hexdigest()

    def _other_conditions(self, lane: _Lane, world: int, page: BuiltPage, url: str,
                          first: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
        """The notice under every condition but the first, script on in place, script off in a
        tab of its own (unless nothing served depends on script)."""
        from playwright.sync_api import Error as PlaywrightError

        results: list[tuple[str, list[str]]] = []
        for condition in [c for c in CONDITIONS[1:] if c.script]:
            try:
                results.append((condition.label, self._measure(lane, world, condition, page)))
            except _ProbeError as exc:
                results.append((condition.label, [f"the check could not run in the page: {exc}"]))
        lane.emulate(CONDITIONS[0])
        off = [c for c in CONDITIONS if not c.script]
        if not self.unloadable and not any(self._scripted(path) for path in self.served):
            # Nothing in the page or its styles depends on script: it renders as it did with
            # script on, where the same condition (script aside) was measured.
            twins = dict(first + results)
            return results + [(c.label, twins.get(replace(c, script=True).label, [])) for c in off]
        other = self.lane(False)
        try:
            other.start(url, off[0])
            other.tab.wait_for_load_state("load")
            other_world = other.world()
        except (PlaywrightError, _ProbeError) as exc:
            return results + [(off[0].label, [f"the check could not run in the page: {_first_line(exc)}"])]
        for condition in off:
            try:
                results.append((condition.label, self._measure(other, other_world, condition, page)))
            except _ProbeError as exc:
                results.append((condition.label, [f"the check could not run in the page: {exc}"]))
        return results

    def _screenshot(self, lane: _Lane, world: int, shot: Path) -> None:
        """What a reviewer needs: the first condition's screen, the notice in its middle."""
        first = CONDITIONS[0]
        lane.unhover()
        lane.emulate(first, again=True)
        lane.call(world, "l10nGate.settle().then(() => l10nGate.centre())")
        write_bytes_atomic(shot, lane.shot())

    def _measure(self, lane: _Lane, world: int, condition: Condition, page: BuiltPage) -> list[str]:
        lane.emulate(condition)
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
        lane.call(world, "l10nGate.conceal(true)")
        try:
            without_text = lane.shot(clip)
        finally:
            lane.call(world, "l10nGate.conceal(false)")
        layout = {"region": region, "layout": seen["layout"], "scale": condition.density, "minContrast": MIN_CONTRAST}
        # compare() reads nothing but the two screenshots and the pixels the glyphs' boxes cover in
        # them: the same gives the same answer, wherever the notice was (at 768, 1280 and 1920 px,
        # script on or off, on every page of a site it is usually drawn alike).
        key = (hashlib.sha256(with_text).digest(), hashlib.sha256(without_text).digest(),
               _pixel_boxes(layout, with_text))
        if key not in self.painted:
            if len(self.painted) > 4096:
                self.painted.clear()
            self.painted[key] = lane.call(
                world, f"l10nGate.compare({_b64(with_text)}, {_b64(without_text)}, {json.dumps(layout)})")["problems"]
        return problems + self.painted[key]


class _SiteServer:
    """``output/`` over HTTP on the loopback, for one Chromium: files with a day's
    ``Cache-Control`` (Chromium keeps the stylesheets and scripts every page shares, parsed,
    between pages), anything else 404 and remembered in ``missing``."""

    def __init__(self, output: Path) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.output = output
        self.missing: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # connections kept open: no new one for every page version

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                inside = _inside(self.path)
                path = _served_file(site.output, inside)
                if path is None:
                    if inside != "favicon.ico":  # Chromium asks for it of its own accord
                        site.missing.append(inside)
                    self.send_response(404)
                    self.send_header("Cache-Control", "no-store")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "max-age=86400")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                # Not printed (only the CLI prints): a connection Chromium closed (its context
                # closed) needs no answer; a file that could not be read fails the page's load,
                # which the check reports.
                pass

        self.httpd = Server((LOOPBACK, 0), Handler)
        self.origin = f"http://{LOOPBACK}:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="l10n-site-server", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _inside(url: str) -> str:
    """The path inside ``output/`` a URL of the site's server names (``ko/x.html``; the root: "")."""
    return unquote(urlsplit(url).path).lstrip("/")


def _served_file(output: Path, inside: str) -> Path | None:
    """The file of ``output/`` at ``inside``, or None: missing, a folder, or outside ``output/``."""
    path = (output / inside).resolve()
    return path if path.is_relative_to(output) and path.is_file() else None


_RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico"}
_TEXT_FILES = {".html", ".htm", ".css", ".svg", ".xhtml", ".xml", ".js", ".mjs"}
_SCRIPTED = re.compile(r"<script|<noscript|scripting|javascript:|<iframe|<frame|<object|<embed|<portal|\son[a-z]+\s*=")


WORLD = "l10n-gate"


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
        self.unhover()
        self.emulate(condition)
        self.tab.goto(url, wait_until="commit")

    def unhover(self) -> None:
        if self.hovered:
            self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 0, "y": 0})
            self.hovered = False

    def preload(self, source: str) -> None:
        """Run ``source`` in the isolated world of every document this tab loads, as it is created
        (before the page's scripts; no round trip after the load)."""
        self.cdp.send("Page.enable")
        self.cdp.send("Page.addScriptToEvaluateOnNewDocument", {"source": source, "worldName": WORLD})

    def world(self) -> int:
        """The isolated world in the page's main frame, with the probe installed."""
        frame = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        world = self.cdp.send("Page.createIsolatedWorld", {"frameId": frame, "worldName": WORLD})
        context = world["executionContextId"]
        if not self.call(context, "typeof l10nGate === 'object'"):
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

    def shot(self, clip: dict[str, float] | None = None) -> bytes:
        """A PNG of ``clip`` (page coordinates; None: the viewport). Chromium sometimes has no
        frame to give ("Unable to capture screenshot", seen on the first page a fresh Chromium
        shows): the tab is brought to front and asked again, after 0.1, 0.2, 0.4 and 0.8 s."""
        import base64
        import time

        from playwright.sync_api import Error as PlaywrightError

        arguments: dict[str, Any] = {"format": "png", "optimizeForSpeed": True}
        if clip is not None:
            arguments["clip"] = {**clip, "scale": 1}
        for attempt in range(5):
            try:
                return base64.b64decode(self.cdp.send("Page.captureScreenshot", arguments)["data"])
            except PlaywrightError as exc:
                if "Unable to capture screenshot" not in str(exc) or attempt == 4:
                    raise
                self.tab.bring_to_front()
                time.sleep(0.1 * 2 ** attempt)
        raise AssertionError("unreachable")


class _ProbeError(Exception):
    pass


def _pixel_boxes(layout: dict[str, Any], png: bytes) -> str:
    """What ``compare`` reads of a layout, as text to compare: each word's text and the device
    pixels of the screenshot its boxes and its graphemes' boxes cover (computed as ``compare``'s
    ``box`` does). Two measures alike in these and in the pixels get the same answer, wherever on
    the page the notice was: a notice a fraction of a pixel lower has other boxes, the same pixels."""
    import math
    import struct

    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    left, top, scale = layout["region"]["left"], layout["region"]["top"], layout["scale"]

    def box(r: list[float]) -> tuple[int, ...]:
        x0 = max(0, math.floor((r[0] - left) * scale))
        y0 = max(0, math.floor((r[1] - top) * scale))
        x1 = min(width, math.ceil((r[2] - left) * scale))
        y1 = min(height, math.ceil((r[3] - top) * scale))
        return x0, y0, max(x0, x1), max(y0, y1)

    words = [[w["text"], w.get("strong"), [box(r) for r in w["rects"]],
              [[box(r) for r in g["rects"] if r[2] - r[0] >= 1 and r[3] - r[1] >= 1] for g in w["graphemes"]]]
             for w in layout["layout"]]
    return json.dumps([words, width, height, layout["minContrast"]])


def _b64(data: bytes) -> str:
    import base64

    return json.dumps(base64.b64encode(data).decode("ascii"))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _remove_stale_screenshots(config: Config, current: set[Path]) -> None:
    """A screenshot of a page no longer built (withheld, removed) would mislead a reviewer."""
    folder = config.root / "reports" / "screenshots"
    for old in [*folder.glob("*/*.png"), *folder.glob("*.png")]:
        if old not in current:
            old.unlink(missing_ok=True)
    for empty in folder.glob("*/"):
        try:
            empty.rmdir()  # only when empty
        except OSError:
            pass
