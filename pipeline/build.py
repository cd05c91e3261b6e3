"""``l10n build``: compile catalogs, apply the disclaimer gate, render and write ``output/``.

A page is written in a locale only when its catalog passes the gate *and* the rendered HTML
shows the approved disclaimer; everything else (stale copies included) is removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .catalogs import compile_catalog
from .checks.gate import page_problems, visible_text
from .checks.project import LocaleState, assess
from .config import Config, html_tag
from .files import write_bytes_atomic
from .render import SiteRenderer, render_inline, sitemap, translations_from_mo
from .source import Page, load_pages
from .theme import PACKAGE_TEMPLATES, STYLESHEET, template_environment


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
    outcomes: tuple[PageOutcome, ...]
    written: tuple[str, ...]
    removed: tuple[str, ...]
    files: int

    @property
    def gate_withheld(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.gate_withheld]


def _lookup(approved: dict[tuple[str | None, str], str]):
    return lambda context, msgid: approved.get((context, msgid))


def expected_disclaimer(text: str) -> str:
    """What the disclaimer element must read: the Markdown rendered, tags removed, spaces collapsed."""
    return visible_text(render_inline(text))


def plan_site(config: Config, pages: list[Page], states: dict[str, LocaleState]) -> tuple[dict[Path, bytes], list[PageOutcome], dict[str, bytes]]:
    """Everything ``output/`` should hold, as bytes, with the outcome of every page and locale."""
    renderer = SiteRenderer(config, template_environment(config))
    source = config.source_locale
    mos = {loc: compile_catalog(s.catalog, loc, s.error_keys) for loc, s in states.items() if s.catalog is not None}
    translations = {loc: translations_from_mo(mos.get(loc)) for loc in states}
    lookups = {loc: _lookup(s.approved()) for loc, s in states.items()}

    outcomes: dict[tuple[str, str], PageOutcome] = {}
    published: dict[str, list[str]] = {}
    for page in pages:
        published[page.slug] = [source]
        outcomes[(page.slug, source)] = PageOutcome(page.slug, source, True, 100.0)
        for locale, state in states.items():
            verdict = state.verdict(page)
            if verdict.publishable(config.publish_threshold):
                published[page.slug].append(locale)
                outcomes[(page.slug, locale)] = PageOutcome(page.slug, locale, True, verdict.percent)
            else:
                reasons = verdict.disclaimer_problems or (
                    f"{verdict.percent:.0f}% approved, below the publish threshold of {config.publish_threshold:g}%",
                )
                outcomes[(page.slug, locale)] = PageOutcome(
                    page.slug, locale, False, verdict.percent, tuple(reasons), bool(verdict.disclaimer_problems)
                )

    # Render, then hold every page to the HTML gate; a failure withholds that page and the
    # others are rendered again so no switcher, alternate or index links to it.
    while True:
        rendered: dict[tuple[str, str], tuple[str, int]] = {}
        failed = False
        for page in pages:
            for locale in list(published[page.slug]):
                lookup = None if locale == source else lookups[locale]
                html, fallbacks = renderer.page(
                    page, locale, published[page.slug], translations.get(locale, translations_from_mo(None)), lookup
                )
                text = page.fields["disclaimer"] if lookup is None else lookup("disclaimer", page.fields["disclaimer"])
                problems = page_problems(html, expected_disclaimer(text or ""))
                if problems:
                    # A failing source page means the templates hide the disclaimer: the page
                    # is withheld in every language.
                    withheld = list(published[page.slug]) if locale == source else [locale]
                    for loc in withheld:
                        published[page.slug].remove(loc)
                        outcomes[(page.slug, loc)] = PageOutcome(
                            page.slug, loc, False, outcomes[(page.slug, loc)].percent,
                            tuple(f"rendered page [{locale}]: {p}" for p in problems), True,
                        )
                    failed = True
                    break
                rendered[(page.slug, locale)] = (html, fallbacks)
            if failed:
                break
        if not failed:
            break

    files: dict[Path, bytes] = {}
    languages = [source] + [loc for loc in states if any(loc in published[p.slug] for p in pages)]
    for (slug, locale), (html, fallbacks) in rendered.items():
        files[Path(html_tag(locale)) / f"{slug}.html"] = html.encode("utf-8")
        outcome = outcomes[(slug, locale)]
        outcomes[(slug, locale)] = PageOutcome(slug, locale, True, outcome.percent, (), False, fallbacks)
    for locale in languages:
        entries = []
        for page in pages:
            if locale in published[page.slug]:
                title = page.fields["title"] if locale == source else (lookups[locale](None, page.fields["title"]) or page.fields["title"])
                entries.append((page.slug, title))
        index = renderer.index(locale, languages, entries, translations.get(locale, translations_from_mo(None)))
        files[Path(html_tag(locale)) / "index.html"] = index.encode("utf-8")
    files[Path("index.html")] = renderer.chooser(languages).encode("utf-8")
    files[Path("sitemap.xml")] = sitemap(config, {s: locs for s, locs in published.items()}, languages).encode("utf-8")
    site_css = config.site_templates_dir / STYLESHEET
    files[Path(STYLESHEET)] = (site_css if site_css.is_file() else PACKAGE_TEMPLATES / STYLESHEET).read_bytes()
    for page in pages:
        image = page.meta.get("image")
        if image:
            files[Path(image)] = (config.source_dir / image).read_bytes()
    ordered = [outcomes[(p.slug, loc)] for p in pages for loc in [source, *states]]
    return files, ordered, mos


def build(config: Config) -> BuildResult:
    """Render every publishable page into ``output/``; remove what should no longer be there."""
    pages = load_pages(config)
    states = assess(config)
    files, outcomes, mos = plan_site(config, pages, states)

    for locale, mo in mos.items():
        write_bytes_atomic(config.mo_path(locale), mo)
    output = config.output_dir
    if output.is_symlink():
        raise OSError(f"{config.relative(output)} is a symbolic link; refusing to write through it")
    written = [str(rel) for rel, data in sorted(files.items()) if write_bytes_atomic(output / rel, data)]
    removed = _remove_stale(output, set(files))
    return BuildResult(tuple(outcomes), tuple(written), tuple(removed), len(files))


def _remove_stale(output: Path, keep: set[Path]) -> list[str]:
    """Delete files (and then empty folders) under ``output`` the site no longer has; links are
    removed, never followed."""
    removed = []
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
