"""Jinja2 + Markdown -> HTML strings for pages, language indexes, the chooser and the sitemap.

Nothing here touches the file system; ``build`` decides what is written.
"""

from __future__ import annotations

import copy
import gettext
import io
import json
import re
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from typing import Callable
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from babel import Locale
from jinja2 import Environment
from markdown_it.token import Token
from markupsafe import Markup, escape

from .assets import rewrite_urls
from .config import Config, html_tag, text_direction
from .segments import (
    Segment, confine_targets, has_inline_syntax, localize_attributes, page_url, reassemble, segment,
)
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


@lru_cache(maxsize=1024)  # captions, attributions: shared by many pages
def render_inline(text: str, english: str | None = None) -> Markup:
    """Inline Markdown (raw HTML off, safe links only) -> safe HTML. A translation (``english``
    given) links only where the English text links and shows only the English's images."""
    if english is None or english == text or not has_inline_syntax(text):
        return Markup(_MD.renderInline(text))
    env: dict = {}
    source = _MD.parseInline(english, env)[0].children or []
    links = [str(t.attrs.get("href", "")) for t in source if t.type == "link_open" and t.markup != "autolink"]
    autolinks = [str(t.attrs.get("href", "")) for t in source if t.type == "link_open" and t.markup == "autolink"]
    images = {str(t.attrs.get("src", "")) for t in source if t.type == "image"}
    children = _MD.parseInline(text, env)[0].children or []
    for child in children:
        if child.type == "image" and str(child.attrs.get("src", "")) in images:
            child.meta["slot"] = True  # one of the English images: kept
    children = confine_targets(children, links, autolinks)
    return Markup(_MD.renderer.renderInline(children, _MD.options, env))


def plain_text(text: str) -> Markup:
    """The disclaimer: plain text, escaped (its translation may not carry any markup)."""
    return escape(text)


_FORMAT_NAME = re.compile(r"%\(([^)]*)\)")
_UNNAMED_DIRECTIVE = re.compile(r"%(?!\()")


@lru_cache(maxsize=4096)
def safe_template_string(msgid: str, translation: str) -> str:
    """The translation of a template string, if Jinja can format it as it formats the msgid
    (only the msgid's ``%(name)s`` directives, and ``%%``); otherwise the English: a translator's
    ``100%`` or ``%(x)s`` must not stop the build of a whole language."""
    if translation == msgid or "%" not in translation:
        return translation
    if _UNNAMED_DIRECTIVE.search(translation.replace("%%", "")):
        return msgid
    try:
        translation % dict.fromkeys(_FORMAT_NAME.findall(msgid), "")
    except (KeyError, TypeError, ValueError):
        return msgid
    return translation


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


# Open Graph's locale names where they differ from CLDR's likely territory (Facebook's list uses
# ar_AR for Arabic, and the script subtags of Chinese map to the territories readers know).
_OG_LOCALES = {"zh_Hans": "zh_CN", "zh_Hant": "zh_TW", "ar": "ar_AR", "en": "en_US"}


@cache
def og_locale(locale: str) -> str:
    """``ko`` -> ``ko_KR``: the language with its likely territory, as Open Graph writes locales."""
    if locale in _OG_LOCALES:
        return _OG_LOCALES[locale]
    from babel.core import get_global

    parsed = Locale.parse(locale)
    if parsed.territory:
        return f"{parsed.language}_{parsed.territory}"
    likely = get_global("likely_subtags").get(parsed.language, "")
    territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return f"{parsed.language}_{territory}" if territory.isupper() else parsed.language


def json_ld(document: dict) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped, so no
    translation can close the script element."""
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


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


class _Translations(gettext.GNUTranslations):
    """An MO's translations, without its header: ``gettext("")`` is ``""``, as for any message."""

    def gettext(self, message: str) -> str:
        return super().gettext(message) if message.strip() else message

    def pgettext(self, context: str, message: str) -> str:
        return super().pgettext(context, message) if message.strip() else message


def translations_from_mo(mo: bytes | None) -> gettext.NullTranslations:
    return _Translations(io.BytesIO(mo)) if mo else gettext.NullTranslations()


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

    # msgid "" is the catalog's header, never a message: gettext("") must not print it.
    def gettext(self, message: str) -> str:
        return self._approved.get((None, message), message) if message.strip() else message

    def pgettext(self, context: str, message: str) -> str:
        return self._approved.get((context, message), message) if message.strip() else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._plural().ngettext(msgid1, msgid2, n)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._plural().npgettext(context, msgid1, msgid2, n)


class SiteRenderer:
    """Renders with one Jinja2 environment; ``locales`` lists every language of the site, source first."""

    def __init__(self, config: Config, env: Environment, search: bool = False) -> None:
        self.config = config
        self.env = env
        self.search = search  # pages carry the search box (not drafts, not with search = false)

    def _template(self, name: str, translations: gettext.NullTranslations):
        """The template with the locale's gettext, whose translations are text, escaped as body
        text is (Jinja's own new-style gettext marks them safe markup)."""

        def gettext_(message: str) -> Markup:
            return escape(safe_template_string(message, translations.gettext(message)))

        def ngettext_(singular: str, plural: str, n: int) -> Markup:
            return escape(safe_template_string(singular if n == 1 else plural, translations.ngettext(singular, plural, n)))

        def pgettext_(context: str, message: str) -> Markup:
            return escape(safe_template_string(message, translations.pgettext(context, message)))

        def npgettext_(context: str, singular: str, plural: str, n: int) -> Markup:
            found = translations.npgettext(context, singular, plural, n)
            return escape(safe_template_string(singular if n == 1 else plural, found))

        self.env.install_gettext_callables(gettext_, ngettext_, newstyle=True, pgettext=pgettext_, npgettext=npgettext_)
        return self.env.get_template(name)

    def _common(self, locale: str, root: str) -> dict:
        return {"tag": html_tag(locale), "dir": text_direction(locale), "root": root, "draft": False,
                "machine_draft": False, "search": self.search}

    def page(
        self,
        page: Page,
        locale: str,
        published_in: list[str],
        translations: gettext.NullTranslations,
        lookup: Lookup | None,
        draft: bool = False,
        urls: dict[str, str] | None = None,
        outdated: str | None = None,
        machine: frozenset | None = None,
        image: str | None = None,
    ) -> tuple[str, int]:
        """One content page; ``published_in`` lists the locales this page is published in;
        ``urls`` maps the page's local references to their URLs in ``output/<tag>/``.
        ``outdated``: the date its English changed, when it shows translations made for the
        previous English; ``machine``: the keys of unreviewed machine translations (drafts);
        ``image``: the front matter image in this language (its variant, when there is one).

        Returns the HTML and how many blocks fell back to English.
        """
        urls = urls or {}

        def inline(text: str, english: str | None) -> Markup:
            return Markup(rewrite_urls(render_inline(text, english), urls))

        english: set[str] = set()  # front matter fields shown in English
        marked: set[str] = set()  # front matter fields shown as unreviewed machine translation

        def text(key: str) -> str | None:
            value = page.fields.get(key)
            if value is None:  # not a translatable key of this site (or empty): shown as written
                raw = page.meta.get(key)
                return raw if isinstance(raw, str) and raw.strip() else None
            if lookup is None or not value.strip():  # a lookup of "" would find the PO header
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
        body = Markup(rewrite_urls(body, urls))
        caption = text("image_caption")
        alt = text("image_alt")
        view = {
            "slug": page.slug,
            "meta": page.meta,
            "title": text("title"),
            "description": text("description"),
            "body": body,
            "image": image or page.meta.get("image"),
            "image_alt": alt if alt is not None else (caption or ""),
            "image_caption": inline(caption, page.fields.get("image_caption")) if caption else None,
            "attribution": inline(a, page.fields.get("attribution")) if (a := text("attribution")) else None,
            "disclaimer": plain_text(text("disclaimer") or ""),
            # Every translatable front matter value in this locale, the configured extra keys
            # included ({{ page.fields.summary }}); every other key stays in page.meta.
            "fields": {key: text(key) for key in page.fields},
            "english": english,
            "machine": marked,
            "image_alt_english": ("image_alt" if alt is not None else "image_caption") in english,
        }
        fallbacks += len(english - {"disclaimer"})
        context = self._common(locale, "../")
        canonical = page_url(self.config, locale, page.slug)
        image = view["image"]
        image_url = f"{self.config.base_url}{image}" if isinstance(image, str) and image else None
        source = self.config.source_locale
        context.update(
            og=self._open_graph(locale, published_in, view["title"], view["description"], canonical, image_url),
            structured_data=json_ld({
                "@context": "https://schema.org",
                "@type": "MedicalWebPage",
                "inLanguage": html_tag(locale),
                "name": view["title"],
                "description": view["description"] or "",
                "url": canonical,
                "about": {"@type": "MedicalProcedure", "name": view["title"]},
                "hasPart": {"@type": "WebPageElement", "cssSelector": "aside.disclaimer",
                            "text": text("disclaimer") or ""},
                **({"image": image_url} if image_url else {}),
            }),
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

    def _open_graph(self, locale: str, locales: list[str], title: str | None, description: str | None,
                    url: str, image: str | None) -> dict:
        """Open Graph tags: what a link shared in KakaoTalk, LINE or WeChat shows, in its language."""
        return {
            "title": title or "",
            "description": description or "",
            "url": url,
            "image": image,
            "locale": og_locale(locale),
            "alternates": [og_locale(loc) for loc in locales if loc != locale],
        }

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
        canonical = index_url(self.config, locale)
        title = translations.gettext("Procedures")
        context.update(
            og=self._open_graph(locale, languages, title, None, canonical, None),
            structured_data=json_ld({"@context": "https://schema.org", "@type": "CollectionPage",
                                     "inLanguage": html_tag(locale), "name": title, "url": canonical}),
            canonical=canonical,
            alternates=self._alternates(languages, lambda loc: index_url(self.config, loc), index_url(self.config, None)),
            switcher=[
                Link(html_tag(loc), native_name(loc), f"../{html_tag(loc)}/index.html", loc == locale) for loc in languages
            ],
            pages=[{"href": f"{slug}.html", "title": title} for slug, title in entries],
            draft=draft,
        )
        return self._template("index.html", translations).render(context)

    def chooser(self, languages: list[str], draft: bool = False,
                translations: dict[str, gettext.NullTranslations] | None = None,
                counts: dict[str, int] | None = None) -> str:
        """``output/index.html``: the language chooser (``lang`` of the source language, the
        indexes' x-default). Each language is offered in its own words: its name, and the
        chooser's strings from its own catalog, with how many pages it has."""
        source = self.config.source_locale
        translations = translations or {}
        headings, cards = [], []
        for loc in languages:
            catalog = translations.get(loc) or gettext.NullTranslations()
            fragment = self._template("chooser-language.html", catalog)
            # a language whose catalog lacks the chooser's strings shows them in English, marked so
            translated = loc == source or catalog.gettext("Choose a language") != "Choose a language"
            values = {"tag": html_tag(loc if translated else source), "dir": text_direction(loc if translated else source),
                      "name": native_name(loc), "language_tag": html_tag(loc),
                      "href": f"{html_tag(loc)}/index.html", "count": (counts or {}).get(loc, 0)}
            headings.append(Markup(fragment.render(part="heading", **values).strip()))
            cards.append(Markup(fragment.render(part="card", **values).strip()))
        title = " · ".join(dict.fromkeys(
            (translations.get(loc) or gettext.NullTranslations()).gettext("Choose a language") for loc in languages))
        context = self._common(source, "")
        canonical = index_url(self.config, None)
        context.update(
            og=self._open_graph(source, [], title, None, canonical, None),
            structured_data=json_ld({"@context": "https://schema.org", "@type": "WebPage",
                                     "inLanguage": html_tag(source), "name": title, "url": canonical}),
            canonical=canonical,
            alternates=self._alternates(languages, lambda loc: index_url(self.config, loc), index_url(self.config, None)),
            switcher=[],
            title=title,
            headings=headings,
            cards=cards,
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
