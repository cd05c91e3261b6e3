"""What translators get besides the text (``#.`` comments with the block kind and a link to it),
front matter keys, and pages that are only partly translated."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import polib
import pytest

from conftest import DISCLAIMER, TRANSLATIONS, l10n, po_path, snapshot, translate_catalog

URL = "https://clinic.example/en/first-visit.html"


def pot(root: Path) -> polib.POFile:
    return polib.pofile(str(root / "locales" / "messages.pot"))


def test_every_message_says_what_it_is_and_links_to_its_block(project: Path) -> None:
    catalog = pot(project)
    comments = {e.msgid: e.comment.split("\n") for e in catalog if any(p.startswith("source/") for p, _ in e.occurrences)}
    assert comments["First Visit"] == ["page title", f"{URL}#:~:text=First%20Visit"]
    assert comments[DISCLAIMER][0] == "disclaimer: mandatory legal notice, must keep all side effects and the ※ marker"
    assert comments["Before you arrive"] == ["heading 2", f"{URL}#:~:text=Before%20you%20arrive"]
    kind, link = comments["Please bring your ID card and a list of your medicines."]
    assert kind == "paragraph"
    # a text fragment: the browser scrolls to the block and highlights it, from its first words
    # to its last; the English page itself gets no ids, so it stays markdown-it's own rendering
    assert link == f"{URL}#:~:text=Please%20bring%20your%20ID,list%20of%20your%20medicines."
    assert unquote(link.split("text=")[1]) == "Please bring your ID,list of your medicines."
    for msgid, lines in comments.items():
        assert len(lines) == 2 and lines[1].startswith(URL), msgid


def test_a_text_fragment_encodes_dashes_and_commas(project: Path) -> None:
    page = project / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nFollow-up visits, if any.\n", encoding="utf-8")
    assert l10n(project, "extract").code == 0
    entry = pot(project).find("Follow-up visits, if any.")
    assert entry.comment.split("\n")[1] == f"{URL}#:~:text=Follow%2Dup%20visits%2C%20if%20any."


def test_update_regenerates_extracted_comments_and_keeps_translators_comments(translated: Path) -> None:
    path = po_path(translated, "ko")
    catalog = polib.pofile(str(path))
    entry = catalog.find("Before you arrive")
    entry.tcomment = "checked with the clinic's Korean team"
    from pipeline.catalogs import write_catalog

    write_catalog(path, catalog)
    page = translated / "source" / "first-visit.md"
    # the heading becomes the first item of a list: same text, another kind of block
    page.write_text(page.read_text(encoding="utf-8").replace("## Before you arrive", "- Before you arrive"), encoding="utf-8")
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    entry = polib.pofile(str(path)).find("Before you arrive")
    assert entry.comment.split("\n")[0] == "list item 1 of 1"
    assert entry.tcomment == "checked with the clinic's Korean team"
    assert entry.msgstr == TRANSLATIONS["ko"]["Before you arrive"] and "fuzzy" not in entry.flags
    assert l10n(translated, "update").code == 0  # and a second update changes nothing
    assert polib.pofile(str(path)).find("Before you arrive").comment.startswith("list item 1 of 1\n")


# --- front matter ------------------------------------------------------------------------------

PAGE_TEMPLATE = """\
{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
<p class="lede">{{ page.description }}</p>
<p class="summary">{{ page.fields.summary }}</p>
<p class="author">{{ page.meta.author }}</p>
<p class="reviewed">{{ page.meta.reviewed }}</p>
{{ page.body }}
</article>
<aside class="disclaimer" role="note">{{ page.disclaimer }}</aside>
{% endblock %}
"""


def test_configured_keys_are_translated_and_the_others_pass_through(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'translatable_keys = ["title", "summary", "disclaimer"]\n', encoding="utf-8"
    )
    page = translated / "source" / "first-visit.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "---\n\n", "summary: Bring your ID.\nauthor: Dr. Kim\nreviewed: 2025-05-01\n---\n\n", 1
        ),
        encoding="utf-8",
    )
    (translated / "templates").mkdir()
    (translated / "templates" / "page.html").write_text(PAGE_TEMPLATE, encoding="utf-8")
    assert l10n(translated, "extract").code == 0
    ids = [e.msgid for e in pot(translated)]
    assert "Bring your ID." in ids  # a configured key is a message
    assert "Dr. Kim" not in ids and "What to expect at your first consultation." not in ids
    assert pot(translated).find("Bring your ID.").comment.startswith("front matter 'summary'\n")
    assert l10n(translated, "update").code == 0
    translate_catalog(translated, "ko", {"Bring your ID.": "신분증을 지참하세요."})
    translate_catalog(translated, "ar", {"Bring your ID.": "أحضر هويتك."})
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    ko = (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert '<p class="summary">신분증을 지참하세요.</p>' in ko
    assert '<p class="author">Dr. Kim</p>' in ko  # every other key reaches the templates unchanged
    assert '<p class="reviewed">2025-05-01</p>' in ko
    # description is no longer translatable: shown as written, and no fallback notice
    assert '<p class="lede">What to expect at your first consultation.</p>' in ko
    assert "partial-notice" not in ko


@pytest.mark.parametrize("missing", ["title", "slug", "disclaimer"])
def test_a_page_without_a_required_key_is_exit_2_naming_file_and_key(project: Path, missing: str) -> None:
    page = project / "source" / "first-visit.md"
    lines = [line for line in page.read_text(encoding="utf-8").split("\n") if not line.startswith(f"{missing}:")]
    page.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(project)
    for command in ("extract", "build", "check", "stats"):
        result = l10n(project, command)
        assert result.code == 2, (command, result.output)
        assert "source/first-visit.md:1:" in result.stderr and f"'{missing}'" in result.stderr, result.stderr
    assert snapshot(project) == before


def test_a_translatable_key_that_is_not_text_is_exit_2(project: Path) -> None:
    page = project / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8").replace("description: ", "description:\n  - "), encoding="utf-8")
    result = l10n(project, "extract")
    assert result.code == 2
    assert "source/first-visit.md:4: front matter 'description' must be a string" in result.stderr


# --- partial pages -----------------------------------------------------------------------------

def test_a_partial_page_says_so_in_its_language_and_marks_english_blocks(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("publish_threshold = 100", "publish_threshold = 50"),
                         encoding="utf-8")
    notice = "Parts of this page are not yet available in %(language)s."
    translate_catalog(translated, "ko", {"Before you arrive": "", notice: "이 페이지의 일부는 아직 %(language)s로 제공되지 않습니다."})
    assert l10n(translated, "build").code == 0
    ko = (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
    notice_html = '<p class="partial-notice">이 페이지의 일부는 아직 한국어로 제공되지 않습니다.</p>'
    assert notice_html in ko
    assert ko.index(notice_html) < ko.index('<h2 lang="en">Before you arrive</h2>')  # near the top
    assert len(re.findall(r"\slang=\"en\"", ko)) == 2  # the fallback block, and the switcher's English link
    # a language with no translation of the notice still says so, in English
    translate_catalog(translated, "ar", {"Before you arrive": ""})
    assert l10n(translated, "build").code == 0
    ar = (translated / "output" / "ar" / "first-visit.html").read_text(encoding="utf-8")
    assert "Parts of this page are not yet available in العربية." in ar
    # fully translated pages carry no notice
    assert "partial-notice" not in (translated / "output" / "en" / "first-visit.html").read_text(encoding="utf-8")


def test_an_image_whose_alt_text_is_not_translated_is_marked_english(translated: Path) -> None:
    pyproject = translated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("publish_threshold = 100", "publish_threshold = 50"),
                         encoding="utf-8")
    page = translated / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![Map to the clinic](images/map.png)\n", encoding="utf-8")
    (translated / "source" / "images").mkdir()
    (translated / "source" / "images" / "map.png").write_bytes(b"\x89PNG")
    assert l10n(translated, "extract").code == 0 and l10n(translated, "update").code == 0
    assert l10n(translated, "build").code == 0
    ko = (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
    assert '<img src="../images/map.png" alt="Map to the clinic" lang="en" />' in ko
    assert 'class="partial-notice"' in ko
