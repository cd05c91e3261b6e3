"""``l10n build``: compile catalogs, apply the disclaimer gate, render and write ``output/``.

A page is written in a locale only when its catalog passes the gate *and* the rendered HTML
shows the approved disclaimer; everything else (stale copies included) is removed.

Builds are incremental: each output file is recorded in ``.cache/`` with a key over everything
that shapes it (code, templates, config, the page's source, the translations it shows, the
languages it links to). A file whose key and bytes are unchanged is not rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .catalogs import compile_catalog, is_approved
from .checks.gate import page_problems, visible_text
from .checks.project import LocaleState, assess
from .config import Config, html_tag
from .extract import template_messages
from .files import write_bytes_atomic
from .render import Lookup, SiteRenderer, render_inline, sitemap, translations_from_mo
from .source import DISCLAIMER_CONTEXT, Page, load_pages
from .theme import PACKAGE_TEMPLATES, STYLESHEET, TEMPLATE_NAMES, template_environment, template_source

DRAFTS_DIR = "output-drafts"


@dataclass(frozen=True)
class PageOutcome:
    slug: str
    locale: str
    published: bool
    percent: float
    reasons: tuple[str, ...] = ()
    gate_withheld: bool = False  # withheld by the disclaimer gate (an error), not only the threshold
    fallbacks: int = 0  # blocks shown in English


@dataclass(frozen=True)
class BuildResult:
    output: str
    outcomes: tuple[PageOutcome, ...]
    written: tuple[str, ...]
    removed: tuple[str, ...]
    files: int
    rendered: int  # pages rendered (the rest were reused from the previous build)

    @property
    def gate_withheld(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.gate_withheld]


def expected_disclaimer(text: str) -> str:
    """What the disclaimer element must read: the Markdown rendered, tags removed, spaces collapsed."""
    return visible_text(render_inline(text))


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _code_digest(config: Config) -> str:
    """Everything that shapes every page: our code, the templates, the config."""
    package = Path(__file__).parent
    code = [p.read_bytes().hex() for p in sorted(package.glob("*.py"))]
    templates = [template_source(config, name)[0] for name in (*TEMPLATE_NAMES, STYLESHEET)]
    settings = (config.source_locale, config.locales, config.base_url, config.publish_threshold, config.translatable_keys)
    return _digest(hashlib.sha256("".join(code).encode()).hexdigest(), templates, settings)


def _draft_lookup(state: LocaleState) -> Lookup:
    """Drafts show every non-empty translation, fuzzy machine translations included."""
    drafts = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in state.catalog or []
        if not e.obsolete and not e.msgid_plural and e.msgstr
    }
    return lambda context, msgid: drafts.get((context, msgid))


class _Manifest:
    """The previous build's keys: output path -> (input key, sha256 of the bytes written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.entries: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.next: dict[str, list[str]] = {}

    def reuse(self, output: Path, relative: Path, key: str) -> bytes | None:
        """The bytes on disk, when they were written for this very key and nobody changed them."""
        recorded = self.entries.get(str(relative))
        if not recorded or recorded[0] != key:
            return None
        try:
            data = (output / relative).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == recorded[1] else None

    def record(self, relative: Path, key: str, data: bytes) -> None:
        self.next[str(relative)] = [key, hashlib.sha256(data).hexdigest()]

    def save(self) -> None:
        write_bytes_atomic(self.path, json.dumps(self.next, sort_keys=True).encode())


def _outcome(page: Page, locale: str, state: LocaleState, threshold: float) -> PageOutcome:
    verdict = state.verdict(page)
    if verdict.publishable(threshold):
        return PageOutcome(page.slug, locale, True, verdict.percent)
    reasons = verdict.disclaimer_problems or (
        f"{verdict.percent:.0f}% approved, below the publish threshold of {threshold:g}%",
    )
    return PageOutcome(page.slug, locale, False, verdict.percent, tuple(reasons), bool(verdict.disclaimer_problems))


def plan_site(
    config: Config, pages: list[Page], states: dict[str, LocaleState], output: Path, drafts: bool = False
) -> tuple[dict[Path, bytes], list[PageOutcome], dict[str, bytes], int]:
    """Everything the output folder should hold, as bytes, with the outcome of every page and
    locale, the compiled catalogs and how many pages were rendered."""
    renderer = SiteRenderer(config, template_environment(config))
    source = config.source_locale
    mos = {loc: compile_catalog(s.catalog, loc, s.error_keys) for loc, s in states.items() if s.catalog is not None}
    translations = {loc: translations_from_mo(mos.get(loc)) for loc in states}
    translations[source] = translations_from_mo(None)
    lookups: dict[str, Lookup | None] = {source: None}
    for loc, state in states.items():
        if drafts:
            lookups[loc] = _draft_lookup(state)
        else:
            approved = state.approved()
            lookups[loc] = lambda context, msgid, table=approved: table.get((context, msgid))
    manifest = _Manifest(config.cache_dir / ("drafts-manifest.json" if drafts else "build-manifest.json"))
    code = _code_digest(config)
    template_ids = [(context, msgid) for context, msgid, *_ in template_messages(config)]
    template_strings = {
        loc: [t.pgettext(ctx, msgid) if ctx else t.gettext(msgid) for ctx, msgid in template_ids]
        for loc, t in translations.items()
    }

    outcomes: dict[tuple[str, str], PageOutcome] = {}
    files: dict[Path, bytes] = {}
    published: dict[str, list[str]] = {}
    rendered_count = 0
    for page in pages:
        outcomes[(page.slug, source)] = PageOutcome(page.slug, source, True, 100.0)
        for loc, state in states.items():
            outcomes[(page.slug, loc)] = (
                PageOutcome(page.slug, loc, True, state.verdict(page).percent) if drafts
                else _outcome(page, loc, state, config.publish_threshold)
            )
        published[page.slug] = [loc for loc in [source, *states] if outcomes[(page.slug, loc)].published]
        page_files, count = _render_versions(
            page, published[page.slug], outcomes, renderer, translations, lookups, manifest, output,
            lambda loc, locales: _digest(code, page.front_matter, page.body, loc, locales, drafts,
                                         [lookups[loc](m.msgctxt, m.msgid) if lookups[loc] else None for m in page.messages],
                                         template_strings[loc]),
            drafts,
        )
        files.update(page_files)
        rendered_count += count

    languages = [source] + [loc for loc in states if any(loc in published[p.slug] for p in pages)]
    for locale in languages:
        entries = []
        for page in pages:
            if locale in published[page.slug]:
                lookup = lookups[locale]
                title = (lookup(None, page.fields["title"]) if lookup else None) or page.fields["title"]
                entries.append((page.slug, title))
        index = renderer.index(locale, languages, entries, translations[locale], drafts)
        files[Path(html_tag(locale)) / "index.html"] = index.encode("utf-8")
    files[Path("index.html")] = renderer.chooser(languages, drafts).encode("utf-8")
    if not drafts:
        files[Path("sitemap.xml")] = sitemap(config, published, languages).encode("utf-8")
    site_css = config.site_templates_dir / STYLESHEET
    files[Path(STYLESHEET)] = (site_css if site_css.is_file() else PACKAGE_TEMPLATES / STYLESHEET).read_bytes()
    for page in pages:
        image = page.meta.get("image")
        if image:
            files[Path(image)] = (config.source_dir / image).read_bytes()
    manifest.save()
    ordered = [outcomes[(p.slug, loc)] for p in pages for loc in [source, *states]]
    return files, ordered, mos, rendered_count


def _render_versions(
    page: Page,
    locales: list[str],
    outcomes: dict[tuple[str, str], PageOutcome],
    renderer: SiteRenderer,
    translations: dict,
    lookups: dict[str, Lookup | None],
    manifest: _Manifest,
    output: Path,
    key_of: Callable[[str, list[str]], str],
    drafts: bool,
) -> tuple[dict[Path, bytes], int]:
    """Render one page in each of ``locales`` and hold each to the HTML gate. A locale that fails
    is withheld and the others are rendered again, so their switchers and alternates drop it."""
    source = locales[0] if locales else None
    rendered = 0
    while True:
        files: dict[Path, bytes] = {}
        failed = False
        for locale in list(locales):
            relative = Path(html_tag(locale)) / f"{page.slug}.html"
            key = key_of(locale, locales)
            data = manifest.reuse(output, relative, key)
            fallbacks = 0
            if data is None:
                rendered += 1
                lookup = lookups[locale]
                html, fallbacks = renderer.page(page, locale, locales, translations[locale], lookup, drafts)
                disclaimer = page.fields["disclaimer"]
                text = (lookup(DISCLAIMER_CONTEXT, disclaimer) if lookup else disclaimer) or disclaimer
                problems = page_problems(html, expected_disclaimer(text))
                if problems:
                    # A failing source page means the templates hide the disclaimer: the page is
                    # withheld in every language.
                    for loc in list(locales) if locale == source else [locale]:
                        locales.remove(loc)
                        outcomes[(page.slug, loc)] = PageOutcome(
                            page.slug, loc, False, outcomes[(page.slug, loc)].percent,
                            tuple(f"rendered page [{locale}]: {p}" for p in problems), True,
                        )
                    failed = True
                    break
                data = html.encode("utf-8")
            else:
                fallbacks = _count_fallbacks(page, lookups[locale])
            manifest.record(relative, key, data)
            files[relative] = data
            previous = outcomes[(page.slug, locale)]
            outcomes[(page.slug, locale)] = PageOutcome(page.slug, locale, True, previous.percent, (), False, fallbacks)
        if not failed:
            return files, rendered


def _count_fallbacks(page: Page, lookup: Lookup | None) -> int:
    if lookup is None:
        return 0
    return sum(lookup(m.msgctxt, m.msgid) is None for m in page.messages if m.msgctxt != DISCLAIMER_CONTEXT)


def build(config: Config, drafts: bool = False) -> BuildResult:
    """Render every publishable page into ``output/`` (with ``drafts``: every page, with
    unreviewed machine translations, into ``output-drafts/``); remove what should not be there."""
    pages = load_pages(config)
    states = assess(config)
    output = config.root / DRAFTS_DIR if drafts else config.output_dir
    if output.is_symlink():
        raise OSError(f"{config.relative(output)} is a symbolic link; refusing to write through it")
    files, outcomes, mos, rendered = plan_site(config, pages, states, output, drafts)
    if not drafts:
        for locale, mo in mos.items():
            write_bytes_atomic(config.mo_path(locale), mo)
    written = [str(rel) for rel, data in sorted(files.items()) if write_bytes_atomic(output / rel, data)]
    removed = _remove_stale(output, set(files))
    return BuildResult(config.relative(output), tuple(outcomes), tuple(written), tuple(removed), len(files), rendered)


def _remove_stale(output: Path, keep: set[Path]) -> list[str]:
    """Delete files (and then empty folders) under ``output`` the site no longer has; links are
    removed, never followed."""
    removed: list[str] = []
    if not output.is_dir():
        return removed
    for folder, dirs, names in os.walk(output, topdown=False, followlinks=False):
        base = Path(folder)
        for name in names + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            relative = path.relative_to(output)
            if relative not in keep:
                path.unlink()
                removed.append(str(relative))
        if base != output and not any(base.iterdir()):
            base.rmdir()
    return sorted(removed)


__all__ = ["BuildResult", "PageOutcome", "build", "expected_disclaimer", "is_approved", "plan_site"]
