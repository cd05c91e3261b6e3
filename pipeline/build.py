"""``l10n build``: compile catalogs, apply the disclaimer gate, render and write ``output/``.

A page is written in a locale only when its catalog passes the gate *and* the rendered HTML
shows the approved disclaimer; everything else (stale copies included) is removed.

Builds are incremental: each output file is recorded in ``.cache/`` with a key over everything
that shapes it (code, templates, config, the page's source, the translations it shows, the
languages it links to). A file whose key and bytes are unchanged is not rendered again. When no
input changed at all and ``output/`` is as the last build left it, the build is a few file
digests (``_Fingerprint``). Pages are rendered on every core (``in_parallel``).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .config import Config, html_tag
from .files import UNCHANGED, Kept, Staged, commit_staged, discard_staged, stage_file, write_bytes_atomic

# The modules that parse, check and render load in a third of a second: a build that finds
# nothing to do (the fingerprint matches) never imports them.
if TYPE_CHECKING:
    from .state import LocaleState
    from .render import Lookup, SiteRenderer
    from .source import Page

DRAFTS_DIR = "output-drafts"
# A thousand pages are worth the start of worker processes; a handful are not.
_PARALLEL_PAGES = 200


@dataclass(frozen=True)
class PageOutcome:
    slug: str
    locale: str
    published: bool
    percent: float
    reasons: tuple[str, ...] = ()
    gate_withheld: bool = False  # withheld by the disclaimer gate (an error), not only the threshold
    fallbacks: int = 0  # blocks shown in English
    outdated: tuple[str, ...] = ()  # entries approved for the previous English (``file:line``)


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


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _code_digest(config: Config) -> str:
    """Everything that shapes every page: our code (every module of the package, and the
    versions of the libraries that shape output: ``code_version``), the templates, the config."""
    from .catalogs import code_version
    from .theme import STYLESHEET, TEMPLATE_NAMES, template_source

    templates = [template_source(config, name)[0] for name in (*TEMPLATE_NAMES, STYLESHEET)]
    settings = (config.source_locale, config.locales, config.base_url, config.publish_threshold, config.translatable_keys)
    return _digest(code_version(), templates, settings)


def _draft_lookup(state: LocaleState) -> tuple[Lookup, frozenset]:
    """Drafts show every non-empty translation, fuzzy machine translations included; with the
    keys of the unreviewed machine translations among them (their blocks are marked)."""
    from .catalogs import is_machine_draft

    entries = [e for e in (state.catalog if state.exists else []) if not e.obsolete and not e.msgid_plural and e.msgstr]
    machine = frozenset((e.msgctxt, e.msgid) for e in entries if is_machine_draft(e))
    return _Table({(e.msgctxt, e.msgid): e.msgstr for e in entries}), machine


class _Table:
    """A locale's translations by (msgctxt, msgid), called as a ``Lookup``; ``get`` takes the key
    itself (9,000 page versions look up every message of their page on every build)."""

    __slots__ = ("get",)

    def __init__(self, table: dict[tuple[str | None, str], str]) -> None:
        self.get = table.get

    def __call__(self, context: str | None, msgid: str) -> str | None:
        return self.get((context, msgid))


class _Manifest:
    """The previous build's keys: output path -> (input key, sha256 of the bytes written)."""

    def __init__(self, path: Path, trusted: dict[str, tuple[int, int]] | None = None) -> None:
        self.path = path
        try:
            self.entries: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.next: dict[str, list[str]] = {}
        # (size, mtime) of each file as the last build left it: such a file is not read again
        self.trusted = trusted or {}

    def reuse(self, output: Path, relative: Path | str, key: str) -> bytes | Kept | None:
        """The bytes on disk, when they were written for this very key and nobody changed them
        (``UNCHANGED`` when the file is known untouched since the last build: not read)."""
        name = str(relative)
        recorded = self.entries.get(name)
        if not recorded or recorded[0] != key:
            return None
        path = os.path.join(output, name)
        try:
            info = os.lstat(path)
            if (info.st_size, info.st_mtime_ns) == self.trusted.get(name):
                return UNCHANGED
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == recorded[1] else None

    def record(self, relative: Path | str, key: str, data: bytes | Kept) -> None:
        name = str(relative)
        if data is UNCHANGED:
            self.next[name] = self.entries[name]
        else:
            self.next[name] = [key, hashlib.sha256(data).hexdigest()]

    def save(self) -> None:
        write_bytes_atomic(self.path, json.dumps(self.next, sort_keys=True).encode())


def _stat(path: Path) -> tuple[int, int]:
    info = path.lstat()
    return info.st_size, info.st_mtime_ns


def _outcome(page: Page, locale: str, state: LocaleState, threshold: float) -> PageOutcome:
    judged = state.judge(page, threshold)
    return PageOutcome(page.slug, locale, judged.published, judged.percent, judged.reasons, judged.gate_withheld,
                       outdated=judged.outdated)


@dataclass
class _Site:
    """What rendering one page needs; worker processes get it by ``fork``, not by pickling."""

    config: Config
    renderer: SiteRenderer
    translations: dict
    lookups: dict[str, Lookup | None]
    manifest: _Manifest
    output: Path
    code: str
    template_strings: dict[str, list[str]]
    drafts: bool
    published: dict[str, list[str]]  # slug -> locales, before rendering: where page links lead
    expected: frozenset[str]  # every file the build will write, for the link check
    notices: dict[tuple[str, str], str]  # (slug, locale) -> the date its English changed, for the outdated notice
    machine: dict[str, frozenset]  # drafts: per locale, the keys of unreviewed machine translations
    variants: frozenset[str] = frozenset()  # language variants of assets in source/ (images/x.ko.svg)

    def urls(self, page: Page, locale: str) -> dict[str, str]:
        """The page's local references as URLs on its page in ``locale`` (an image's variant for
        the locale, when there is one)."""
        from .assets import localized

        source_tag = html_tag(self.config.source_locale)
        urls = {}
        for link in page.links:
            if link.page is None and self.variants:
                link = replace(link, target=localized(link.target, locale, self.variants))
            urls[link.url] = link.href(locale in self.published.get(link.page or "", ()), source_tag)
        return urls

    def image(self, page: Page, locale: str) -> str | None:
        """The front matter image as the page in ``locale`` shows it."""
        from .assets import localized

        image = page.meta.get("image")
        return localized(image, locale, self.variants) if isinstance(image, str) and image else None

    def key_of(self, page: Page) -> Callable[[str, list[str]], str]:
        """The manifest key of ``page`` in a locale, when published in ``locales``."""
        drafts, templates = self.drafts, self.template_digests
        source = _digest(self.code, page.front_matter, page.body)  # the same in every locale

        def key(loc: str, locales: list[str], found: list[str | None] | None = None) -> str:
            found = self.translations_of(page, loc) if found is None else found
            # NUL-separated (no PO string holds one); "=" marks a translation, "" its absence
            notice = self.notices.get((page.slug, loc), "")
            parts = [source, loc, ",".join(locales), str(drafts), templates[loc], notice]
            if page.links:  # a link to a page leads to it in this language or in English
                parts.append(repr(sorted(self.urls(page, loc).items())))
            if self.variants and (image := self.image(page, loc)) != page.meta.get("image"):
                parts.append(image or "")  # this language's variant of the front matter image
            machine = self.machine.get(loc)
            if machine:  # drafts: "~" marks an unreviewed machine translation (its block is marked)
                parts += ["" if text is None else ("~" if m.key in machine else "=") + text
                          for m, text in zip(page.messages, found)]
            else:
                parts += ["" if text is None else "=" + text for text in found]
            return hashlib.sha256("\0".join(parts).encode()).hexdigest()

        return key

    def translations_of(self, page: Page, locale: str) -> list[str | None]:
        """The translation of each message of ``page`` in ``locale`` (None: there is none)."""
        table = self.lookups[locale]
        if table is None:
            return [None] * len(page.messages)
        get = table.get
        return [get(m.key) for m in page.messages]

    @cached_property
    def template_digests(self) -> dict[str, str]:
        return {loc: _digest(strings) for loc, strings in self.template_strings.items()}

    def render(
        self, page: Page, locales: list[str], outcomes: dict[tuple[str, str], PageOutcome]
    ) -> tuple[dict[Path, bytes], int]:
        return _render_versions(
            page, locales, outcomes, self.renderer, self.translations, self.lookups, self.manifest, self.output,
            self.key_of(page), self.drafts, self, self.notices, self.machine,
        )

    def reuse(self, page: Page, locales: list[str], outcomes: dict[tuple[str, str], PageOutcome]) -> dict | None:
        """The page's files from the last build when none needs rendering again (else None),
        recorded and with their outcomes, as ``render`` would have done."""
        key_of = self.key_of(page)
        found = {}
        for locale in locales:
            relative = f"{html_tag(locale)}/{page.slug}.html"
            if relative not in self.manifest.entries:
                return None
            translations = self.translations_of(page, locale)
            key = key_of(locale, locales, translations)
            data = self.manifest.reuse(self.output, relative, key)
            if data is None:
                return None
            found[locale] = (relative, key, data, _count_fallbacks(page, self.lookups[locale], translations))
        files = {}
        for locale, (relative, key, data, fallbacks) in found.items():
            self.manifest.record(relative, key, data)
            files[Path(relative)] = data
            previous = outcomes[(page.slug, locale)]
            outcomes[(page.slug, locale)] = replace(previous, published=True, reasons=(), gate_withheld=False,
                                                    fallbacks=fallbacks)
        return files


_site: _Site | None = None  # the site being built, for worker processes


@dataclass
class _Rendered:
    """One page in all its locales, as a worker hands it back."""

    slug: str
    files: dict[Path, bytes | Kept | Staged]
    rendered: int
    outcomes: dict[tuple[str, str], PageOutcome]
    published: list[str]
    records: dict[str, list[str]]  # manifest entries


def _render_pages(
    job: tuple[list[Page], list[list[str]], dict[tuple[str, str], PageOutcome]]
) -> list[_Rendered] | BaseException:
    """Render a share of the pages (in a worker process, or in this one). A failure comes back
    as the exception, once this share's temporary files are gone, so that the parent can remove
    the other shares' too before it raises."""
    pages, published, outcomes = job
    site = _site
    assert site is not None
    rendered: list[_Rendered] = []
    try:
        for page, locales in zip(pages, published):
            site.manifest.next = {}
            files, count = site.render(page, locales, outcomes)
            mine = {(page.slug, loc): outcomes[(page.slug, loc)] for loc in site.lookups}
            rendered.append(_Rendered(page.slug, {}, count, mine, locales, site.manifest.next))
            for relative, data in files.items():
                rendered[-1].files[relative] = data if data is UNCHANGED else stage_file(site.output / relative, data)
    except Exception as exc:
        for page in rendered:
            discard_staged(page.files)
        try:
            pickle.dumps(exc)
            return exc
        except Exception:
            return RuntimeError(f"{type(exc).__name__}: {exc}")
    return rendered


def plan_site(
    config: Config, pages: list[Page], states: dict[str, LocaleState], output: Path, drafts: bool = False,
    trusted: dict[str, tuple[int, int]] | None = None,
    withheld: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> tuple[dict[Path, bytes | Kept | Staged], list[PageOutcome], dict[str, bytes], int, _Manifest]:
    """Everything the output folder should hold: bytes, ``UNCHANGED`` for a file that already
    holds them, or for pages, a ``Staged`` temporary file; with the outcome of every page and
    locale, the compiled catalogs, how many pages were rendered and the manifest to save once
    the files are written. The caller commits the
    staged files (``files.commit_staged``) or removes them (``files.discard_staged``)."""
    global _site
    from .catalogs import compile_catalog
    from .pool import in_parallel, share_strings, workers
    from .extract import template_messages
    from .render import CatalogTranslations, SiteRenderer, translations_from_mo
    from .search import enabled as search_enabled
    from .theme import template_environment

    renderer = SiteRenderer(config, template_environment(config), search=not drafts and search_enabled(config))
    source = config.source_locale
    mos = {loc: state.mo if state.mo is not None else compile_catalog(state.catalog, loc, state.error_keys)
           for loc, state in states.items() if state.exists}
    translations = {loc: CatalogTranslations(state.approved(), mos.get(loc)) for loc, state in states.items()}
    translations[source] = translations_from_mo(None)
    lookups: dict[str, Lookup | None] = {source: None}
    machine: dict[str, frozenset] = {}
    for loc, state in states.items():
        if drafts:
            lookups[loc], machine[loc] = _draft_lookup(state)
        elif config.outdated == "previous" and state.outdated():
            lookups[loc] = _Table({**state.approved(), **state.outdated()})  # outdated blocks keep their translation
        else:
            approved = state.approved()
            lookups[loc] = _Table(approved)
    manifest = _Manifest(config.cache_dir / ("drafts-manifest.json" if drafts else "build-manifest.json"), trusted)
    template_ids = [(context, msgid) for context, msgid, *_ in template_messages(config)]
    template_strings = {
        loc: [t.pgettext(ctx, msgid) if ctx else t.gettext(msgid) for ctx, msgid in template_ids]
        for loc, t in translations.items()
    }

    outcomes: dict[tuple[str, str], PageOutcome] = {}
    files: dict[Path, bytes | Kept | Staged] = {}
    published: dict[str, list[str]] = {}
    rendered_count = 0
    for page in pages:
        outcomes[(page.slug, source)] = PageOutcome(page.slug, source, True, 100.0)
        for loc, state in states.items():
            outcomes[(page.slug, loc)] = (
                PageOutcome(page.slug, loc, True, state.verdict(page).percent) if drafts
                else _outcome(page, loc, state, config.publish_threshold)
            )
        for loc in [source, *states]:
            if (page.slug, loc) in (withheld or {}):
                outcomes[(page.slug, loc)] = replace(outcomes[(page.slug, loc)], published=False,
                                                     reasons=withheld[(page.slug, loc)], gate_withheld=True)
        published[page.slug] = [loc for loc in [source, *states] if outcomes[(page.slug, loc)].published]

    notices = {} if drafts or config.outdated != "previous" else _outdated_notices(config, pages, outcomes)
    from .assets import variants

    available = variants(config)
    site = _Site(config, renderer, translations, lookups, manifest, output, _code_digest(config), template_strings,
                 drafts, published, _expected_files(config, pages, published, drafts, available), notices, machine,
                 available)
    # Pages the last build left as they should be are taken as they are, here; the others are
    # rendered, on every core when there are many (a worker is not worth it for a few).
    pending = []
    for page in pages:
        reused = site.reuse(page, published[page.slug], outcomes)
        if reused is None:
            pending.append(page)
        else:
            files.update(reused)
    kept = manifest.next
    _site = site
    try:
        count = workers() if len(pending) * (1 + len(states)) >= _PARALLEL_PAGES else 1
        if count > 1:
            share_strings(states.values())
        shares = [pending[i::count] for i in range(count)]  # every n-th page: similar work in each share
        jobs = [(share, [published[p.slug] for p in share], outcomes) for share in shares]
        shares = in_parallel(_render_pages, jobs, parallel=count > 1)
    finally:
        _site = None
    failures = [share for share in shares if isinstance(share, BaseException)]
    if failures:
        for share in shares:
            if not isinstance(share, BaseException):
                for page in share:
                    discard_staged(page.files)
        raise failures[0]
    manifest.next = kept
    for share in shares:
        for page in share:
            files.update(page.files)
            rendered_count += page.rendered
            outcomes.update(page.outcomes)
            published[page.slug] = page.published
            manifest.next.update(page.records)
    try:
        _add_site_files(site, files, pages, published, states)
    except BaseException:
        discard_staged(files)
        raise
    ordered = [outcomes[(p.slug, loc)] for p in pages for loc in [source, *states]]
    return files, ordered, mos, rendered_count, manifest


def _expected_files(config: Config, pages: list[Page], published: dict[str, list[str]], drafts: bool,
                    variants: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every file of the site as planned before rendering (pages, indexes, stylesheet, assets):
    what a page's links may point at."""
    from .theme import STYLESHEET

    from .search import SCRIPT, UI_FILES, enabled

    files = {"index.html", STYLESHEET} | ({"sitemap.xml"} if not drafts else set())
    if not drafts and enabled(config):
        files.update((SCRIPT, *UI_FILES))
    for page in pages:
        files.update(page.assets)
        files.update(_variants_of(page, variants, config.locales))
        for locale in published[page.slug]:
            files.update((f"{html_tag(locale)}/{page.slug}.html", f"{html_tag(locale)}/index.html"))
    files.add(f"{html_tag(config.source_locale)}/index.html")
    return frozenset(files)


def _outdated_notices(config: Config, pages: list[Page], outcomes: dict[tuple[str, str], PageOutcome]
                      ) -> dict[tuple[str, str], str]:
    """(slug, locale) -> the date the English page changed, in the locale's words, for every
    version shown with outdated translations."""
    from babel.dates import format_date

    from .history import source_changed

    by_slug = {page.slug: page for page in pages}
    shown = [(by_slug[slug], loc) for (slug, loc), outcome in outcomes.items()
             if outcome.published and outcome.outdated]
    if not shown:
        return {}
    changed = source_changed(config, sorted({page.path for page, _ in shown}))
    return {(page.slug, loc): format_date(changed[page.path], format="long", locale=loc) for page, loc in shown}


def _add_site_files(site: _Site, files: dict, pages: list[Page], published: dict[str, list[str]], states: dict) -> None:
    """The language indexes, the chooser, the sitemap, the stylesheet and the images. Indexes
    and the sitemap are keyed in the manifest like pages: a build that changed one page does not
    lay out 9 lists of 1,000 titles and 90,000 sitemap links again."""
    from .render import sitemap
    from .theme import PACKAGE_TEMPLATES, STYLESHEET

    config, lookups, renderer, drafts = site.config, site.lookups, site.renderer, site.drafts
    source = config.source_locale
    languages = [source] + [loc for loc in states if any(loc in published[p.slug] for p in pages)]

    def keyed(relative: Path, key: str, render: Callable[[], str]) -> None:
        data = site.manifest.reuse(site.output, relative, key)
        if data is None:
            data = render().encode("utf-8")
        site.manifest.record(relative, key, data)
        files[relative] = data

    for locale in languages:
        entries = []
        for page in pages:
            if locale in published[page.slug]:
                lookup = lookups[locale]
                title = (lookup(None, page.fields["title"]) if lookup else None) or page.fields["title"]
                entries.append((page.slug, title))
        key = _digest(site.code, "index", locale, languages, entries, site.template_digests[locale], drafts)
        keyed(Path(html_tag(locale)) / "index.html", key, partial(
            renderer.index, locale, languages, entries, site.translations[locale], drafts))
    counts = {loc: sum(loc in published[p.slug] for p in pages) for loc in languages}
    files[Path("index.html")] = renderer.chooser(languages, drafts, site.translations, counts).encode("utf-8")
    if not drafts:
        key = _digest(site.code, "sitemap", published, languages)
        keyed(Path("sitemap.xml"), key, partial(sitemap, config, published, languages))
    site_css = config.site_templates_dir / STYLESHEET
    files[Path(STYLESHEET)] = (site_css if site_css.is_file() else PACKAGE_TEMPLATES / STYLESHEET).read_bytes()
    if renderer.search:
        from .search import SCRIPT

        files[Path(SCRIPT)] = (PACKAGE_TEMPLATES / SCRIPT).read_bytes()
    from .assets import read_source_file

    for target in dict.fromkeys(target for page in pages
                                for target in (*page.assets, *_variants_of(page, site.variants, config.locales))):
        files[Path(target)] = read_source_file(config, target)  # each file once, whoever shows it


def _variants_of(page: Page, variants: frozenset[str], locales: tuple[str, ...]) -> list[str]:
    """The language variants of the files ``page`` shows (``images/x.ko.svg`` of ``images/x.svg``):
    a lookup a file and locale, not a scan of every variant of the site."""
    if not variants:
        return []
    from .assets import localized

    return sorted({v for target in page.assets for loc in locales if (v := localized(target, loc, variants)) != target})


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
    site: _Site,
    notices: dict[tuple[str, str], str],
    machine: dict[str, frozenset],
) -> tuple[dict[Path, bytes], int]:
    """Render one page in each of ``locales`` and hold each to the HTML gate and the link check.
    A locale that fails is withheld and the others are rendered again, so their switchers and
    alternates drop it."""
    from .assets import missing_targets
    from .checks.gate import expected_disclaimer, page_problems
    from .source import DISCLAIMER_CONTEXT

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
                html, fallbacks = renderer.page(page, locale, locales, translations[locale], lookup, drafts,
                                                site.urls(page, locale), image=site.image(page, locale),
                                                outdated=notices.get((page.slug, locale)), machine=machine.get(locale))
                disclaimer = page.fields["disclaimer"]
                text = (lookup(DISCLAIMER_CONTEXT, disclaimer) if lookup else disclaimer) or disclaimer
                problems = page_problems(html, expected_disclaimer(text))
                problems += missing_targets(html, relative.as_posix(), site.expected.__contains__)
                if problems:
                    # A failing source page means the templates hide the disclaimer: the page is
                    # withheld in every language.
                    for loc in list(locales) if locale == source else [locale]:
                        locales.remove(loc)
                        outcomes[(page.slug, loc)] = replace(
                            outcomes[(page.slug, loc)], published=False,
                            reasons=tuple(f"rendered page [{locale}]: {p}" for p in problems), gate_withheld=True,
                        )
                    failed = True
                    break
                data = html.encode("utf-8")
            else:
                fallbacks = _count_fallbacks(page, lookups[locale])
            manifest.record(relative, key, data)
            files[relative] = data
            previous = outcomes[(page.slug, locale)]
            outcomes[(page.slug, locale)] = replace(previous, published=True, reasons=(), gate_withheld=False,
                                                    fallbacks=fallbacks)
        if not failed:
            return files, rendered


def _count_fallbacks(page: Page, lookup: Lookup | None, found: list[str | None] | None = None) -> int:
    """Messages of ``page`` shown in English (the disclaimer aside); ``found``: their
    translations, when the caller has looked them up already."""
    from .source import DISCLAIMER_CONTEXT

    if lookup is None:
        return 0
    if found is None:
        found = [lookup(m.msgctxt, m.msgid) for m in page.messages]
    return sum(text is None for m, text in zip(page.messages, found) if m.msgctxt != DISCLAIMER_CONTEXT)


def build(
    config: Config, drafts: bool = False, withheld: dict[tuple[str, str], tuple[str, ...]] | None = None
) -> BuildResult:
    """Render every publishable page into ``output/`` (with ``drafts``: every page, with
    unreviewed machine translations, into ``output-drafts/``); remove what should not be there.

    ``withheld`` maps (slug, locale) to reasons found outside the catalogs (the browser gate):
    those versions are withheld like any that fail the gate."""
    output = config.root / DRAFTS_DIR if drafts else config.output_dir
    refuse_links(config, output)
    fingerprint = _Fingerprint(config, output, drafts)
    if not withheld and (previous := fingerprint.unchanged()) is not None:
        return previous

    from .checks.claims import load_claims_for, withheld_by_source
    from .state import pages_and_states
    from .search import enabled as search_enabled

    pages, states = pages_and_states(config, build=True)
    # a prohibited claim in the English withholds the page in every language
    by_source = withheld_by_source(config, pages, load_claims_for(config))
    files, outcomes, mos, rendered, manifest = plan_site(config, pages, states, output, drafts,
                                                         fingerprint.last_output, {**by_source, **(withheld or {})})
    try:
        if not drafts:
            for locale, mo in mos.items():
                write_bytes_atomic(config.mo_path(locale), mo)
        written = commit_staged(output, files)
    except BaseException:
        discard_staged(files)
        raise
    # Only now that the files it describes are in place: a manifest saved before a failed write
    # would vouch for pages that were never written, and the next build would keep the old ones.
    manifest.save()
    total = len(files)
    if drafts or not search_enabled(config):
        removed = _remove_stale(output, set(files))
    else:
        from .search import existing

        written, removed = _index_for_search(config, output, set(files), written)
        total += len(existing(output))
    if not drafts:
        _save_published_record(config, pages, states, outcomes)
    result = BuildResult(config.relative(output), tuple(outcomes), tuple(written), tuple(removed), total, rendered)
    if not withheld:  # a result shaped by the browser's verdicts is not what the inputs alone give
        fingerprint.save(result, [config.mo_path(loc) for loc in mos] if not drafts else [])
    return result


def refuse_links(config: Config, output: Path) -> None:
    """A symbolic link for ``output/`` or in it (a shared ``images/``) is bad input, before anything
    is written: a build would write through it, or delete it as a file the site does not have."""
    from .errors import InputError

    advice = "output/ is generated: remove the link and build again"
    if output.is_symlink():
        raise InputError(os.path.relpath(output, config.root), None,
                         f"is a symbolic link; nothing is written through it ({advice})")
    if output.exists() and not output.is_dir():
        raise InputError(os.path.relpath(output, config.root), None,
                         f"is a file, not a folder ({advice.replace('link', 'file')})")
    pending = [str(output)] if output.is_dir() else []
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise InputError(os.path.relpath(entry.path, config.root), None,
                                     f"is a symbolic link inside the output folder; nothing is written through or "
                                     f"deleted ({advice})")
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)


def _save_published_record(config: Config, pages: list[Page], states: dict[str, LocaleState],
                           outcomes: tuple[PageOutcome, ...]) -> None:
    """Remember which translations this build published (with those the last builds published
    that can still matter): an entry whose English changes later is outdated, not withheld,
    only if its translation is in here."""
    from .state import PUBLISHED_RECORD, published_record

    by_slug = {page.slug: page for page in pages}
    previous = published_record(config)
    record: dict[str, list[list[str | None]]] = {}
    for locale, state in states.items():
        pairs = {pair for pair in previous.get(locale, ()) if state.relevant(pair)}
        for outcome in outcomes:
            if outcome.locale == locale and outcome.published:
                pairs |= state.published_pairs(by_slug[outcome.slug])
        record[locale] = sorted(([c, m, t] for c, m, t in pairs), key=lambda p: (p[0] or "", p[1], p[2]))
    try:
        write_bytes_atomic(config.cache_dir / PUBLISHED_RECORD, json.dumps(record, ensure_ascii=False).encode())
    except OSError:
        pass  # a read-only project: nothing is outdated next time, its pages are withheld instead


def build_checked_in_browser(config: Config, chromium: Path) -> BuildResult:
    """Build, lay every page out in Chromium, and build again without the versions whose
    disclaimer a stylesheet hides, shrinks, covers or pushes away (the HTML cannot show that).
    A failing source page is withheld in every language."""
    from .checks.base import ERROR
    from .checks.browser import check_in_browser

    result = build(config)
    failing: dict[tuple[str, str], list[str]] = {}
    for finding in check_in_browser(config, None, chromium).findings:
        if finding.severity == ERROR and Path(finding.file).stem != "index":  # an index cannot be withheld
            failing.setdefault((Path(finding.file).stem, finding.locale), []).append(
                f"{finding.check}: {finding.message}" if finding.check != "disclaimer-browser" else finding.message)
    if not failing:
        return result
    withheld: dict[tuple[str, str], tuple[str, ...]] = {}
    for (slug, locale), problems in failing.items():
        reasons = tuple(f"in Chromium [{locale}]: {p}" for p in problems)
        for loc in [config.source_locale, *config.locales] if locale == config.source_locale else [locale]:
            withheld[(slug, loc)] = reasons
    return build(config, withheld=withheld)


def _index_for_search(config: Config, output: Path, keep: set[Path], written: list[str]) -> tuple[list[str], list[str]]:
    """Remove what the site no longer has, then make the search index of what it has (unless the
    index in place was made from these very pages: a withheld page is gone before Pagefind
    reads the site). Returns (written, removed) with the index's files."""
    from .search import BUNDLE, existing, indexed, make_bundle

    bundle_now = {Path(name) for name in existing(output)}
    removed = _remove_stale(output, keep | bundle_now)
    bundle = make_bundle(config, output)
    if bundle.files is None:
        return written, removed
    new = {Path(name): data for name, data in bundle.files.items()}
    try:
        written = sorted(written + commit_staged(output, new))
    except BaseException:
        discard_staged(new)
        raise
    folder = output / BUNDLE
    stale = _remove_stale(folder, {path.relative_to(BUNDLE) for path in new})
    indexed(config, bundle)
    return written, sorted(removed + [f"{BUNDLE}/{name}" for name in stale])


def _remove_stale(output: Path, keep: set[Path]) -> list[str]:
    """Delete files (and then empty folders) under ``output`` the site no longer has; links are
    removed, never followed."""
    removed: list[str] = []
    if not output.is_dir():
        return removed
    wanted = {str(path) for path in keep}  # compared as strings: 9,000 Path objects cost a tenth of a second
    for folder, dirs, names in os.walk(output, topdown=False, followlinks=False):
        prefix = os.path.relpath(folder, output)
        prefix = "" if prefix == "." else prefix + os.sep
        for name in names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            if prefix + name not in wanted:
                os.unlink(os.path.join(folder, name))
                removed.append(prefix + name)
        if folder != str(output) and not os.listdir(folder):
            os.rmdir(folder)
    return sorted(removed)


class _Fingerprint:
    """Every input of a build by content, and ``output/`` as the last build left it.

    When both match the last build, its result is the answer and nothing is read, parsed or
    rendered: what a no-op build costs is hashing the inputs and listing ``output/``. Deleting
    ``.cache/build-manifest.json`` still forces a full render.
    """

    def __init__(self, config: Config, output: Path, drafts: bool) -> None:
        self.config = config
        self.output = output
        self.path = config.cache_dir / ("drafts-fingerprint.pickle" if drafts else "build-fingerprint.pickle")
        self.manifest = config.cache_dir / ("drafts-manifest.json" if drafts else "build-manifest.json")
        try:
            self.last = pickle.loads(self.path.read_bytes())
        except Exception:  # missing or damaged: build in full
            self.last = {}
        self.last_output: dict[str, tuple[int, int]] = self.last.get("output", {})
        self.files: dict[str, tuple[int, int, bytes]] = {}  # path -> size, mtime, digest
        self.inputs = self._inputs(drafts)  # before anything is read: a later edit means a new build

    def _inputs(self, drafts: bool) -> str:
        """A digest of every input file. A file whose size and modification time are those
        recorded by the last build is not read again, unless it was modified in the two seconds
        before that build looked (it may have changed again within the clock's resolution)."""
        from .catalogs import code_version

        config = self.config
        known = self.last.get("files", {})
        trusted_before = self.last.get("taken", 0) - 2_000_000_000
        self.taken = time.time_ns()
        digest = hashlib.sha256(repr((drafts, config.relative(self.output), code_version())).encode())
        files = [config.root / "pyproject.toml", config.glossary_path, config.locales_dir / "claims.csv"]
        files += [config.po_path(loc) for loc in config.locales]
        for folder in (config.source_dir, config.site_templates_dir):
            if folder.is_dir():
                files += sorted(folder.rglob("*"))
        root = str(config.root) + os.sep
        for path in files:
            name = str(path)
            name = name[len(root):] if name.startswith(root) else config.relative(path)
            try:
                info = os.stat(path)
                stat = (info.st_size, info.st_mtime_ns)
            except OSError:
                stat = None
            recorded = known.get(name)
            if stat is not None and recorded is not None and recorded[:2] == stat and stat[1] < trusted_before:
                content = recorded[2]
            else:
                content = _file_digest(path)
            if stat is not None:
                self.files[name] = (*stat, content)
            digest.update(name.encode() + b"\0" + content)
        return digest.hexdigest()

    def _output_state(self, mos: list[Path]) -> dict:
        files: dict[str, tuple[int, int]] = {}
        folders: list[str] = []
        for folder, dirs, names in os.walk(self.output, followlinks=False):
            # plain strings: Path objects for 9,000 files took longer than the rest of a no-op build
            prefix = os.path.relpath(folder, self.output)
            prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
            folders += [prefix + d for d in dirs]
            for name in names:
                info = os.lstat(os.path.join(folder, name))
                files[prefix + name] = (info.st_size, info.st_mtime_ns)
        return {
            "output": files,
            "folders": sorted(folders),
            "mos": {str(mo): _stat(mo) if mo.exists() else None for mo in mos},
            "manifest": _file_digest(self.manifest),
        }

    def unchanged(self) -> BuildResult | None:
        last = self.last
        if not last or last.get("inputs") != self.inputs or not self.output.is_dir():
            return None
        state = self._output_state([Path(p) for p in last["mos"]])
        if any(state[key] != last[key] for key in state):
            return None
        result: BuildResult = last["result"]
        return BuildResult(result.output, result.outcomes, (), (), result.files, 0)

    def save(self, result: BuildResult, mos: list[Path]) -> None:
        state = {"inputs": self.inputs, "result": result, "files": self.files, "taken": self.taken,
                 **self._output_state(mos)}
        try:
            write_bytes_atomic(self.path, pickle.dumps(state))
        except OSError:
            pass  # the next build is a full one


def _file_digest(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except IsADirectoryError:
        return b"/"
    except OSError:
        return b"-"


__all__ = ["BuildResult", "PageOutcome", "build", "plan_site"]
