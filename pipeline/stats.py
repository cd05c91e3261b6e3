"""``l10n stats``: progress, review and publishing state per locale, as data or an HTML dashboard."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from .catalogs import is_approved
from .checks.base import ERROR
from .checks.project import LocaleState, assess
from .config import Config, html_tag, text_direction
from .files import write_text_atomic
from .render import native_name
from .review import accepted_unchanged
from .source import Page, load_pages


@dataclass(frozen=True)
class PageStatus:
    slug: str
    publishable: bool
    percent: float
    reasons: tuple[str, ...] = ()  # why it is withheld, naming the entries (``file:line``)
    gate: bool = False  # withheld by the disclaimer gate, not only the threshold
    outdated: tuple[str, ...] = ()  # entries shown as translated for the previous English (``file:line``)


@dataclass(frozen=True)
class LocaleStats:
    locale: str
    total: int
    approved: int
    fuzzy: int
    untranslated: int
    obsolete: int
    mt_accepted_unchanged: int = 0
    errors: int = 0
    warnings: int = 0
    pages: tuple[PageStatus, ...] = ()
    outdated: int = 0  # fuzzy entries still shown with the translation of their previous English
    failing: int = 0  # approved in the catalog but failing an error check: not done, not shown
    images: tuple[str, ...] = ()  # images with text (``image_has_text``) that have no variant for the locale

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    @property
    def publishable(self) -> tuple[PageStatus, ...]:
        return tuple(p for p in self.pages if p.publishable)

    @property
    def withheld(self) -> tuple[PageStatus, ...]:
        return tuple(p for p in self.pages if not p.publishable)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["pages"] = [{**asdict(p), "reasons": list(p.reasons), "outdated": list(p.outdated),
                          "percent": round(p.percent, 1)} for p in self.pages]
        data["images"] = list(self.images)
        return {**data, "percent": round(self.percent, 1)}


def _page_status(config: Config, state: LocaleState, page: Page) -> PageStatus:
    """The catalog-level verdict that ``build`` applies (it also re-checks the rendered page)."""
    verdict = state.verdict(page)
    outdated = state.outdated_entries(page) if verdict.outdated else ()
    if verdict.publishable(config.publish_threshold):
        return PageStatus(page.slug, True, verdict.percent, outdated=outdated)
    return PageStatus(page.slug, False, verdict.percent, state.reasons(page, verdict, config.publish_threshold),
                      bool(verdict.disclaimer_problems), outdated)


def images_with_text(page: Page) -> list[str]:
    """The images of ``page`` whose text needs a variant per language: ``image_has_text: true``
    names the front matter image; a list names images by path (``[images/chart.svg]``)."""
    flag = page.meta.get("image_has_text")
    if flag is True:
        image = page.meta.get("image")
        return [image] if isinstance(image, str) and image else []
    if isinstance(flag, list):
        return [str(item) for item in flag if isinstance(item, str)]
    return []


def stats(config: Config, locales: tuple[str, ...] | None = None) -> list[LocaleStats]:
    from .assets import localized, variants

    pages = load_pages(config)
    available = variants(config)
    with_text = [(page.slug, image) for page in pages for image in images_with_text(page)]
    rows = []
    needed = {key for page in pages for key in page.keys}
    for locale, state in assess(config, locales).items():
        catalog = state.catalog
        live = [e for e in catalog or [] if not e.obsolete and e.msgid]
        # "done" is what the gate counts: approved and free of error findings
        approved = [e for e in live if is_approved(e) and (e.msgctxt, e.msgid) not in state.error_keys]
        failing = sum(is_approved(e) for e in live) - len(approved)
        fuzzy = sum(e.fuzzy for e in live)
        missing = len(needed - {(e.msgctxt, e.msgid) for e in live})  # pages need them: `l10n update` adds them
        errors = sum(f.severity == ERROR for f in state.findings)
        rows.append(
            LocaleStats(
                locale=locale,
                total=len(live) + missing,
                approved=len(approved),
                fuzzy=fuzzy,
                untranslated=len(live) + missing - len(approved) - fuzzy - failing,
                obsolete=sum(e.obsolete for e in catalog or []),
                mt_accepted_unchanged=sum(accepted_unchanged(e) for e in approved),
                errors=errors,
                warnings=len(state.findings) - errors,
                pages=tuple(_page_status(config, state, page) for page in pages),
                outdated=len(state.outdated()),
                failing=failing,
                images=tuple(f"{image} ({slug})" for slug, image in with_text
                             if localized(image, locale, available) == image),
            )
        )
    return rows


# Self-contained: inline CSS, no script, no external resources; a site owner opens the file.
_DASHBOARD = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Translation progress: {{ project }}</title>
<style>
body { font: 16px/1.5 "Noto Sans", "Noto Sans CJK SC", "Noto Sans Thai", "Noto Sans Arabic", sans-serif;
       color: #1b1f24; background: #f6f7f9; margin: 0; padding: 2rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
p.summary { margin: 0 0 1.5rem; color: #4a5361; }
table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
th, td { padding: .5rem .75rem; border-bottom: 1px solid #e3e6ea; text-align: right; vertical-align: middle; }
th { background: #eef1f4; font-weight: 600; }
th:first-child, td.locale, td.reason, td.slug, th.left { text-align: left; }
td.locale { white-space: nowrap; }
td.progress { width: 30%; text-align: left; }
.bar { display: flex; height: .9rem; border-radius: .45rem; overflow: hidden; background: #d9dde3; }
.bar span { display: block; height: 100%; }
.bar .approved { background: #1f883d; }
.bar .fuzzy { background: #d4a72c; }
.percent { font-size: .85rem; color: #4a5361; }
.native { color: #4a5361; }
.bad { color: #b42318; font-weight: 600; }
.ok { color: #1f883d; font-weight: 600; }
.legend span { display: inline-block; width: .8rem; height: .8rem; border-radius: .2rem; margin: 0 .3rem 0 1rem; vertical-align: -.1rem; }
td.reason ul { margin: 0; padding-left: 1.1rem; }
</style>
</head>
<body>
<h1>Translation progress: {{ project }}</h1>
<p class="summary">{{ rows|length }} locales, {{ page_count }} page(s) per locale, publish threshold {{ threshold }} %.
<span class="legend"><span style="background:#1f883d"></span>approved<span style="background:#d4a72c"></span>fuzzy<span style="background:#d9dde3"></span>untranslated</span></p>
<table id="locales">
<thead><tr><th>locale</th><th class="left">progress</th><th>approved</th><th>fuzzy</th><th>untranslated</th>
<th>MT accepted unchanged</th><th>errors</th><th>pages publishable</th><th>withheld</th></tr></thead>
<tbody>
{% for row in rows %}
<tr class="locale-row" data-locale="{{ row.locale }}">
<td class="locale"><code>{{ row.locale }}</code> <span class="native" lang="{{ row.tag }}" dir="{{ row.dir }}">{{ row.native }}</span></td>
<td class="progress"><div class="bar" role="img" aria-label="{{ row.percent }} % approved">
<span class="approved" style="width: {{ row.approved_width }}%"></span><span class="fuzzy" style="width: {{ row.fuzzy_width }}%"></span></div>
<span class="percent">{{ row.percent }} % of {{ row.total }} approved</span></td>
<td>{{ row.approved }}</td><td>{{ row.fuzzy }}</td><td>{{ row.untranslated }}</td>
<td>{{ row.mt_accepted_unchanged }}</td>
<td class="{{ 'bad' if row.errors else 'ok' }}">{{ row.errors }}</td>
<td class="{{ 'ok' if row.publishable == row.pages else 'bad' }}">{{ row.publishable }} / {{ row.pages }}</td>
<td>{{ row.withheld }}</td>
</tr>
{% endfor %}
</tbody>
</table>
<h2>Withheld pages</h2>
{% if withheld %}
<table id="withheld">
<thead><tr><th class="left">page</th><th class="left">locale</th><th class="left">reason</th></tr></thead>
<tbody>
{% for page in withheld %}
<tr class="withheld-row" data-locale="{{ page.locale }}" data-slug="{{ page.slug }}">
<td class="slug"><code>{{ page.slug }}</code></td><td class="locale"><code>{{ page.locale }}</code></td>
<td class="reason"><ul>{% for reason in page.reasons %}<li>{{ reason }}</li>{% endfor %}</ul></td>
</tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p class="ok">Every page is publishable in every locale.</p>
{% endif %}
{% if outdated %}
<h2>Outdated pages</h2>
<p class="summary">The English changed after these translations were published: the pages show them with an
"out of date" notice until the entries are reviewed.</p>
<table id="outdated">
<thead><tr><th class="left">page</th><th class="left">locale</th><th class="left">entries</th></tr></thead>
<tbody>
{% for page in outdated %}
<tr class="outdated-row" data-locale="{{ page.locale }}" data-slug="{{ page.slug }}">
<td class="slug"><code>{{ page.slug }}</code></td><td class="locale"><code>{{ page.locale }}</code></td>
<td class="reason"><ul>{% for entry in page.entries %}<li>{{ entry }}</li>{% endfor %}</ul></td>
</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</body>
</html>
"""


def dashboard_html(config: Config, rows: list[LocaleStats]) -> str:
    """The dashboard as one HTML document (everything autoescaped)."""
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    view = []
    for r in rows:
        def width(count: int, r: LocaleStats = r) -> str:
            return f"{100.0 * count / r.total:.1f}" if r.total else "0"

        view.append({
            **r.as_dict(),
            "tag": html_tag(r.locale),
            "dir": text_direction(r.locale),
            "native": native_name(r.locale),
            "approved_width": width(r.approved),
            "fuzzy_width": width(r.fuzzy),
            "publishable": len(r.publishable),
            "withheld": len(r.withheld),
            "pages": len(r.pages),
        })
    withheld = [
        {"locale": r.locale, "slug": p.slug, "reasons": p.reasons} for r in rows for p in r.withheld
    ]
    outdated = [{"locale": r.locale, "slug": p.slug, "entries": p.outdated} for r in rows for p in r.pages if p.outdated]
    return env.from_string(_DASHBOARD).render(
        project=config.project_name,
        rows=view,
        withheld=withheld,
        outdated=outdated,
        page_count=max((len(r.pages) for r in rows), default=0),
        threshold=f"{config.publish_threshold:g}",
    )


def write_dashboard(config: Config, rows: list[LocaleStats], path: Path) -> bool:
    """Write the dashboard atomically; False when the file already held exactly this."""
    return write_text_atomic(path, dashboard_html(config, rows))
