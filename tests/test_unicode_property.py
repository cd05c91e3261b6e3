"""Property: arbitrary Unicode text survives PO writing and reading, and reaches the page as
text (escaped), never as markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogs import read_catalog, write_catalog
from pipeline.config import Config
from pipeline.render import SiteRenderer
from pipeline.source import parse_page_text
from pipeline.theme import template_environment

# RTL, emoji, combining marks, quotes, backslashes, newlines, CJK, Thai, controls.
ALPHABET = list("abcXYZ019 .,;:!?'\"\\/<>&{}[]()*_`#|~-=+%$@^\n\t") + list(
    "한국어日本語中文ไทยТекстعربيةע👩⚕🏥\u0301\u200d\u202e\u00a0\r"
)
TEXT = st.text(st.sampled_from(ALPHABET), min_size=1, max_size=120)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(msgid=TEXT, msgstr=TEXT, context=st.one_of(st.none(), TEXT))
def test_po_round_trip_is_exact(tmp_path: Path, msgid: str, msgstr: str, context: str | None) -> None:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ko"}
    catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=context))
    path = tmp_path / "messages.po"
    write_catalog(path, catalog)
    back = read_catalog(path, Config(root=tmp_path))
    entry = [e for e in back if e.msgid][0]
    assert (entry.msgctxt, entry.msgid, entry.msgstr) == (context, msgid, msgstr)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.where: list[str] = []
        self.found: dict[str, str] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.where.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.where and self.where[-1] == tag:
            self.where.pop()

    def handle_data(self, data: str) -> None:
        if self.where:
            self.found[self.where[-1]] = self.found.get(self.where[-1], "") + data


PAGE = "---\ntitle: T\nslug: p\ndisclaimer: ※ D\n---\n\nBody paragraph.\n"


def _markdown_literal(text: str) -> str:
    """Backslash-escape Markdown punctuation so the text renders as itself."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>&\"'])", r"\\\1", text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, body=TEXT)
def test_translated_text_reaches_the_page_as_text(tmp_path: Path, title: str, body: str) -> None:
    config = Config(root=tmp_path, locales=("ko",))
    page = parse_page_text(PAGE, "source/p.md", config)
    title = " ".join(title.split()) or "x"  # titles are single-line, trimmed
    body = " ".join(body.split()) or "x"
    table = {(None, "T"): title, (None, "Body paragraph."): _markdown_literal(body), ("disclaimer", "※ D"): "※ 디"}
    renderer = SiteRenderer(config, template_environment(config))
    import gettext

    html, _ = renderer.page(page, "ko", ["en", "ko"], gettext.NullTranslations(), lambda c, m: table.get((c, m)))
    parser = _Text()
    parser.feed(html)
    assert parser.found["title"] == title
    assert parser.found["h1"] == title
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
    import html as html_lib

    assert html_lib.unescape(paragraphs[-1]) == body
    # nothing in the translation became an element (the one script is the JSON-LD, escaped)
    assert parser.tags.count("script") == 1 and '<script type="application/ld+json">' in html
    assert set(parser.tags) <= {"html", "head", "meta", "title", "link", "body", "a", "p", "header", "nav",
                                "ul", "li", "span", "main", "article", "h1", "aside", "script"}
