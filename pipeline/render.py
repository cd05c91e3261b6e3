"""Jinja2 + Markdown -> HTML strings for pages, language indexes, the chooser and the sitemap.

Nothing here touches the file system; ``build`` decides what is written.
"""

from __future__ import annotations

import copy
import gettext
import io
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from typing import Callable
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from babel import Locale
from jinja2 import Environment
from markdown_it.token import Token
from markupsafe import Markup

from .config import Config, html_tag, text_direction
from .segments import Segment, localize_attributes, page_url, reassemble, segment
from .source import DISCLAIMER_CONTEXT, Page, markdown

# (msgctxt, msgid) -> approved translation, or None to fall back to English.
Lookup = Callable[[str | None, str], str | None]
MACHINE_MARK = "data-l10n-mt"  # on a block of a draft page that shows an unreviewed machine translation

_MD = markdown()


@cache
def native_name(locale: str) -> str:
    """The language's own name from CLDR (한국어, 日本語, 中文 (简体), русский)."""
    parsed = Locale.parse(locale)
    return parsed.get_display_name(parsed) or locale


@lru_cache(maxsize=1024)  # disclaimers, captions, attributions: shared by many pages
def render_inline(text: str) -> Markup:
    """Inline Markdown (raw HTML off, safe links only) -> safe HTML."""
    return Markup(_MD.renderInline(text))


def render_body(page: Page, lookup: Lookup | None, machine: frozenset | None = None) -> tuple[Markup, int]:
    """The page body in a locale; untranslated blocks stay English in an element with ``lang="en"``.

    Translations replace each block's inline tokens, so the block structure, link reference
    definitions and code blocks come from the English source itself; images come from the
    English too, with their translated alt text and title. Returns (html, fallbacks). A block
    whose translation is an unreviewed machine draft (``machine``: their keys) gets ``data-l10n-mt``.
    """
    english = _english_body(page)
    tokens = list(english.tokens)  # the blocks this locale changes are copies; the rest is shared
    env = english.env
    fallbacks = 0
    for index, seg in english.segments if lookup is not None else ():
        token = tokens[index] = _shallow_copy(tokens[index])
        translated = lookup(None, seg.msgid) if seg.msgid is not None else None
        if translated is not None:
            token.children = reassemble(seg, translated, env)
            if machine and (None, seg.msgid) in machine:
                opener = _block_opener(tokens, index)
                tokens[opener] = _shallow_copy(tokens[opener])
                tokens[opener].attrs = {**tokens[opener].attrs, MACHINE_MARK: ""}
        else:
            if seg.msgid is not None:
                fallbacks += 1
                opener = _block_opener(tokens, index)
                tokens[opener] = _shallow_copy(tokens[opener])
                tokens[opener].attrs = {**tokens[opener].attrs, "lang": "en"}
            # the English children, which localize_attributes may give translated alt texts
            token.children = copy.deepcopy(token.children) if seg.images or seg.links else token.children
        fallbacks += localize_attributes(token.children or [], seg, lookup)
    return Markup(_MD.renderer.render(tokens, _MD.options, env)), fallbacks


_TOKEN_FIELDS = tuple(f.name for f in fields(Token))


def _shallow_copy(token: Token) -> Token:
    """``copy.copy(token)`` at a fifth of the cost (a slotted dataclass copies through pickle's
    ``__reduce_ex__``)."""
    new = object.__new__(Token)
    for name in _TOKEN_FIELDS:
        setattr(new, name, getattr(token, name))
    return new


@dataclass(frozen=True)
class _EnglishBody:
    """A page body parsed once for all its locales: tokens, reference definitions, and the
    segment of every inline token (by index). Never modified."""

    body: str
    tokens: list
    env: dict
    segments: list[tuple[int, Segment]]


_last_body: _EnglishBody | None = None  # pages are rendered in all their locales one after another


def _english_body(page: Page) -> _EnglishBody:
    global _last_body
    if _last_body is None or _last_body.body != page.body:
        env: dict = {}
        tokens = _MD.parse(page.body, env)
        segments = [(index, segment(token, env)) for index, token in enumerate(tokens) if token.type == "inline"]
        _last_body = _EnglishBody(page.body, tokens, env, segments)
    return _last_body


def _block_opener(tokens: list, index: int) -> int:
    """Index of the visible element that holds inline token ``index`` (tight list paragraphs
    are hidden)."""
    if not tokens[index - 1].hidden:
        return index - 1
    for candidate in range(index - 1, -1, -1):
        if tokens[candidate].type == "list_item_open":
            return candidate
    return index - 1


@dataclass(frozen=True)
class Link:
    tag: str
    name: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


def index_url(config: Config, locale: str | None) -> str:
    return f"{config.base_url}{html_tag(locale)}/index.html" if locale else f"{config.base_url}index.html"


def translations_from_mo(mo: bytes | None) -> gettext.NullTranslations:
    return gettext.GNUTranslations(io.BytesIO(mo)) if mo else gettext.NullTranslations()


class CatalogTranslations(gettext.NullTranslations):
    """The templates' gettext for a locale: singular messages from its approved table (what its
    MO holds), plural ones from the MO itself, parsed only if a template asks for one (reading
    an 11,000-entry MO for a dozen template strings was a tenth of a one-page rebuild)."""

    def __init__(self, approved: dict[tuple[str | None, str], str], mo: bytes | None) -> None:
        super().__init__()
        self._approved = approved
        self._mo = mo
        self._compiled: gettext.NullTranslations | None = None

    def _plural(self) -> gettext.NullTranslations:
        if self._compiled is None:
            self._compiled = translations_from_mo(self._mo)
        return self._compiled

    def gettext(self, message: str) -> str:
        return self._approved.get((None, message), message)

    def pgettext(self, context: str, message: str) -> str:
        return self._approved.get((context, message), message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._plural().ngettext(msgid1, msgid2, n)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._plural().npgettext(context, msgid1, msgid2, n)


class SiteRenderer:
    """Renders with one Jinja2 environment; ``locales`` lists every language of the site, source first."""

    def __init__(self, config: Config, env: Environment) -> None:
        self.config = config
        self.env = env

    def _template(self, name: str, translations: gettext.NullTranslations):
        self.env.install_gettext_translations(translations, newstyle=True)
        return self.env.get_template(name)

    def _common(self, locale: str, root: str) -> dict:
        return {"tag": html_tag(locale), "dir": text_direction(locale), "root": root, "draft": False,
                "machine_draft": False}

    def page(
        self,
        page: Page,
        locale: str,
        published_in: list[str],
        translations: gettext.NullTranslations,
        lookup: Lookup | None,
        draft: bool = False,
        outdated: str | None = None,
        machine: frozenset | None = None,
    ) -> tuple[str, int]:
        """One content page; ``published_in`` lists the locales this page is published in.
        ``outdated``: the date its English changed, when it shows translations made for the
        previous English; ``machine``: the keys of unreviewed machine translations (drafts).

        Returns the HTML and how many blocks fell back to English.
        """
        english: set[str] = set()  # front matter fields shown in English
        marked: set[str] = set()  # front matter fields shown as unreviewed machine translation

        def text(key: str) -> str | None:
            value = page.fields.get(key)
            if value is None:  # not a translatable key of this site: shown as written
                raw = page.meta.get(key)
                return raw if isinstance(raw, str) else None
            if lookup is None:
                return value
            context = DISCLAIMER_CONTEXT if key == "disclaimer" else None
            translated = lookup(context, value)
            if translated is None:
                english.add(key)
                return value
            if machine and (context, value) in machine:
                marked.add(key)
            return translated

        body, fallbacks = render_body(page, lookup, machine)
        caption = text("image_caption")
        alt = text("image_alt")
        view = {
            "slug": page.slug,
            "meta": page.meta,
            "title": text("title"),
            "description": text("description"),
            "body": body,
            "image": page.meta.get("image"),
            "image_alt": alt if alt is not None else (caption or ""),
            "image_caption": render_inline(caption) if caption else None,
            "attribution": render_inline(a) if (a := text("attribution")) else None,
            "disclaimer": render_inline(text("disclaimer") or ""),
            # Every translatable front matter value in this locale, the configured extra keys
            # included ({{ page.fields.summary }}); every other key stays in page.meta.
            "fields": {key: text(key) for key in page.fields},
            "english": english,
            "machine": marked,
            "image_alt_english": ("image_alt" if alt is not None else "image_caption") in english,
        }
        fallbacks += len(english - {"disclaimer"})
        context = self._common(locale, "../")
        source = self.config.source_locale
        context.update(
            page=view,
            draft=draft,
            machine_draft=bool(machine) and any(m.key in machine for m in page.messages),
            outdated={"date": outdated, "href": f"../{html_tag(source)}/{page.slug}.html", "tag": html_tag(source),
                      "name": native_name(source)} if outdated else None,
            partial=bool(fallbacks),
            language_name=native_name(locale),
            canonical=page_url(self.config, locale, page.slug),
            alternates=self._alternates(published_in, lambda loc: page_url(self.config, loc, page.slug),
                                        page_url(self.config, self.config.source_locale, page.slug)),
            switcher=[
                Link(html_tag(loc), native_name(loc), f"../{html_tag(loc)}/{page.slug}.html", loc == locale)
                for loc in published_in
            ],
        )
        return self._template("page.html", translations).render(context), fallbacks

    def _alternates(self, locales: list[str], url: Callable[[str], str], default: str) -> list[Alternate]:
        return [Alternate(html_tag(loc), url(loc)) for loc in locales] + [Alternate("x-default", default)]

    def index(
        self,
        locale: str,
        languages: list[str],
        entries: list[tuple[str, str]],
        translations: gettext.NullTranslations,
        draft: bool = False,
    ) -> str:
        """A language's index: ``entries`` are (slug, translated title) of its published pages."""
        context = self._common(locale, "../")
        context.update(
            canonical=index_url(self.config, locale),
            alternates=self._alternates(languages, lambda loc: index_url(self.config, loc), index_url(self.config, None)),
            switcher=[
                Link(html_tag(loc), native_name(loc), f"../{html_tag(loc)}/index.html", loc == locale) for loc in languages
            ],
            pages=[{"href": f"{slug}.html", "title": title} for slug, title in entries],
            draft=draft,
        )
        return self._template("index.html", translations).render(context)

    def chooser(self, languages: list[str], draft: bool = False) -> str:
        """``output/index.html``: the language chooser, in the source language, the indexes' x-default."""
        source = self.config.source_locale
        context = self._common(source, "")
        context.update(
            canonical=index_url(self.config, None),
            alternates=self._alternates(languages, lambda loc: index_url(self.config, loc), index_url(self.config, None)),
            switcher=[],
            languages=[Link(html_tag(loc), native_name(loc), f"{html_tag(loc)}/index.html") for loc in languages],
            draft=draft,
        )
        return self._template("chooser.html", gettext.NullTranslations()).render(context)


def sitemap(config: Config, published: dict[str, list[str]], languages: list[str]) -> str:
    """``sitemap.xml`` with ``xhtml:link`` alternates; ``published`` maps slug -> its locales."""
    chooser = index_url(config, None)
    indexes = [(html_tag(loc), index_url(config, loc)) for loc in languages]
    groups = [([url for _, url in indexes] + [chooser], indexes + [("x-default", chooser)])]
    for slug in sorted(published):
        pages = [(html_tag(loc), page_url(config, loc, slug)) for loc in published[slug]]
        default = page_url(config, config.source_locale, slug)
        groups.append(([url for _, url in pages], pages + [("x-default", default)]))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for urls, alternates in groups:
        # every URL of a group lists the same alternates: escape them once (1,000 pages: 90,000 links)
        links = [f'<xhtml:link rel="alternate" hreflang={quoteattr(tag)} href={quoteattr(alternate)}/>'
                 for tag, alternate in alternates]
        for url in urls:
            lines.append(f"<url><loc>{xml_escape(url)}</loc>")
            lines.extend(links)
            lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
