"""Every Markdown construct, source -> messages -> rendered page, through the real CLI.

Each case is one page: its body, the messages ``l10n extract`` makes of it (with the block kind a
translator sees), a German translation of each, and what the German page must then contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest

from conftest import l10n, translate_catalog

PYPROJECT = """\
[project]
name = "constructs"

[tool.l10n]
locales = ["de"]
base_url = "https://clinic.example/"
"""
TITLE, DISCLAIMER = "Aftercare", "※ Side effects such as bleeding may occur depending on the individual."
FRONT = {TITLE: "Nachsorge", DISCLAIMER: "※ Nebenwirkungen wie Blutungen können individuell auftreten."}
# a required German term for each point of the disclaimer (the gate needs them)
GLOSSARY = """\
term,locale,translation,rule,note
※,*,,keep,marker
inflammation,de,Entzündung,required,side effect
bleeding,de,Blutung,required,side effect
nerve damage,de,Nervenschäden,required,side effect
depending on the individual,de,individuell,required,hedge
consultation,de,Beratung,required,consultation
medical team,de,Ärzteteam,required,doctors
before surgery,de,vor der Operation,required,timing
"""


def make_site(root: Path, body: str) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    page = f"---\ntitle: {TITLE}\nslug: aftercare\ndisclaimer: {DISCLAIMER}\n---\n\n{body}"
    (root / "source" / "aftercare.md").write_text(page, encoding="utf-8")
    for image in set(re.findall(r"images/[\w.-]+", body)):  # the files the page shows are in source/
        (root / "source" / "images").mkdir(exist_ok=True)
        (root / "source" / image).write_bytes(b"GIF89a")
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    for command in ("extract", "update"):
        result = l10n(root, command)
        assert result.code == 0, result.output
    return root


def body_messages(root: Path) -> list[polib.POEntry]:
    """The POT entries of the page body (title, disclaimer and template strings aside)."""
    pot = polib.pofile(str(root / "locales" / "messages.pot"))
    return [e for e in pot if e.msgid not in FRONT and any(p == "source/aftercare.md" for p, _ in e.occurrences)]


def body_html(root: Path, tag: str) -> str:
    html = (root / "output" / tag / "aftercare.html").read_text(encoding="utf-8")
    return html[html.index("</h1>\n") + len("</h1>\n") : html.rindex("</article>")]


@dataclass
class Case:
    body: str
    messages: dict[str, str]  # msgid -> the kind its comment starts with
    german: dict[str, str] = field(default_factory=dict)  # msgid -> translation
    shows: tuple[str, ...] = ()  # what the German page body contains


CASES = {
    "atx heading": Case(
        "## Recovery time ##\n",
        {"Recovery time": "heading 2"},
        {"Recovery time": "Erholungszeit"},
        ("<h2>Erholungszeit</h2>",),
    ),
    "setext heading": Case(
        "Recovery\n========\n\nSecond level\n------------\n",
        {"Recovery": "heading 1", "Second level": "heading 2"},
        {"Recovery": "Erholung", "Second level": "Zweite Ebene"},
        ("<h1>Erholung</h1>", "<h2>Zweite Ebene</h2>"),
    ),
    "hard-wrapped paragraph": Case(
        "Rest for\ntwo days.\n",
        {"Rest for two days.": "paragraph"},
        {"Rest for two days.": "Ruhen Sie zwei Tage."},
        ("<p>Ruhen Sie zwei Tage.</p>",),
    ),
    "hard line breaks": Case(
        "Clinic Seoul\\\n12 Gangnam-daero  \nSeoul\n",
        {"Clinic Seoul\\\n12 Gangnam-daero\\\nSeoul": "paragraph"},
        {"Clinic Seoul\\\n12 Gangnam-daero\\\nSeoul": "Klinik Seoul\\\nGangnam-daero 12\\\nSeoul"},
        ("<p>Klinik Seoul<br />\nGangnam-daero 12<br />\nSeoul</p>",),
    ),
    "nested block quotes": Case(
        "> Keep the area dry.\n>\n> > Especially the first night.\n",
        {"Keep the area dry.": "paragraph in block quote",
         "Especially the first night.": "paragraph in block quote in block quote"},
        {"Keep the area dry.": "Halten Sie die Stelle trocken.", "Especially the first night.": "Vor allem in der ersten Nacht."},
        (("<blockquote>\n<p>Halten Sie die Stelle trocken.</p>\n<blockquote>\n<p>Vor allem in der ersten Nacht.</p>\n"
          "</blockquote>\n</blockquote>"),),
    ),
    "ordered list keeps its start number": Case(
        "3. Rest\n4. Ice the area\n",
        {"Rest": "list item 1 of 2", "Ice the area": "list item 2 of 2"},
        {"Rest": "Ruhen", "Ice the area": "Die Stelle kühlen"},
        ('<ol start="3">\n<li>Ruhen</li>\n<li>Die Stelle kühlen</li>\n</ol>',),
    ),
    "nested tight list": Case(
        "- Before surgery\n  - no food\n  - no water\n- After surgery\n",
        {"Before surgery": "list item 1 of 2", "no food": "list item 1 of 2 in list item 1 of 2",
         "no water": "list item 2 of 2 in list item 1 of 2", "After surgery": "list item 2 of 2"},
        {"Before surgery": "Vor der Operation", "no food": "kein Essen", "no water": "kein Wasser",
         "After surgery": "Nach der Operation"},
        (("<ul>\n<li>Vor der Operation\n<ul>\n<li>kein Essen</li>\n<li>kein Wasser</li>\n</ul>\n</li>\n"
          "<li>Nach der Operation</li>\n</ul>"),),
    ),
    "loose list with two paragraphs in an item": Case(
        "1. Stop smoking.\n\n   It slows healing.\n\n2. Avoid aspirin.\n",
        {"Stop smoking.": "list item 1 of 2", "It slows healing.": "list item 1 of 2, paragraph 2",
         "Avoid aspirin.": "list item 2 of 2"},
        {"Stop smoking.": "Hören Sie auf zu rauchen.", "It slows healing.": "Es verlangsamt die Heilung.",
         "Avoid aspirin.": "Meiden Sie Aspirin."},
        ("<li>\n<p>Hören Sie auf zu rauchen.</p>\n<p>Es verlangsamt die Heilung.</p>\n</li>",),
    ),
    "table: one message per cell, alignment kept": Case(
        "| Area | Recovery |\n|:-----|---------:|\n| Jawline | 3 days |\n| Neck | *about* 5 days |\n",
        {"Area": "table header, column 1 of 2", "Recovery": "table header, column 2 of 2",
         "Jawline": 'table cell row 1, column "Area"', "3 days": 'table cell row 1, column "Recovery"',
         "Neck": 'table cell row 2, column "Area"', "*about* 5 days": 'table cell row 2, column "Recovery"'},
        {"Area": "Bereich", "Recovery": "Erholung", "Jawline": "Kieferlinie", "3 days": "3 Tage",
         "Neck": "Hals", "*about* 5 days": "*etwa* 5 Tage"},
        ('<th style="text-align:left">Bereich</th>', '<th style="text-align:right">Erholung</th>',
         '<td style="text-align:right"><em>etwa</em> 5 Tage</td>'),
    ),
    "image: alt text and title are messages, the src is not": Case(
        '![Jawline after four weeks](images/after.jpg "Four weeks later")\n',
        {"Jawline after four weeks": "image alt", "Four weeks later": "image title"},
        {"Jawline after four weeks": "Kieferlinie nach vier Wochen", "Four weeks later": "Vier Wochen später"},
        ('<p><img src="../images/after.jpg" alt="Kieferlinie nach vier Wochen" title="Vier Wochen später" /></p>',),
    ),
    "image inside a sentence is a placeholder": Case(
        "Compare ![the photo before](images/before.jpg) with the one above.\n",
        {"Compare {image1} with the one above.": "paragraph", "the photo before": "image alt"},
        {"Compare {image1} with the one above.": "Vergleichen Sie {image1} mit dem obigen.",
         "the photo before": "das Foto vorher"},
        ('<p>Vergleichen Sie <img src="../images/before.jpg" alt="das Foto vorher" /> mit dem obigen.</p>',),
    ),
    "thematic break": Case(
        "Before.\n\n***\n\nAfter.\n",
        {"Before.": "paragraph", "After.": "paragraph"},
        {"Before.": "Vorher.", "After.": "Nachher."},
        ("<p>Vorher.</p>\n<hr />\n<p>Nachher.</p>",),
    ),
    "entities and backslash escapes stay as written": Case(
        "&copy; 2024 Clinic &amp; partners, 5 \\* 3 \\_units\\_\n",
        {"&copy; 2024 Clinic &amp; partners, 5 \\* 3 \\_units\\_": "paragraph"},
        {"&copy; 2024 Clinic &amp; partners, 5 \\* 3 \\_units\\_": "&copy; 2024 Klinik &amp; Partner, 5 \\* 3 \\_Einheiten\\_"},
        ("<p>© 2024 Klinik &amp; Partner, 5 * 3 _Einheiten_</p>",),
    ),
    "strikethrough": Case(
        "~~2,000,000 KRW~~ 1,500,000 KRW this month.\n",
        {"~~2,000,000 KRW~~ 1,500,000 KRW this month.": "paragraph"},
        {"~~2,000,000 KRW~~ 1,500,000 KRW this month.": "~~2.000.000 KRW~~ 1.500.000 KRW in diesem Monat."},
        ("<p><s>2.000.000 KRW</s> 1.500.000 KRW in diesem Monat.</p>",),
    ),
    "link title is a message, the destination stays": Case(
        '[Aftercare guide](https://clinic.example/aftercare "PDF, 2 pages")\n',
        {"[Aftercare guide](https://clinic.example/aftercare)": "paragraph", "PDF, 2 pages": "link title"},
        {"[Aftercare guide](https://clinic.example/aftercare)": "[Nachsorge-Leitfaden](https://clinic.example/aftercare)",
         "PDF, 2 pages": "PDF, 2 Seiten"},
        ('<p><a href="https://clinic.example/aftercare" title="PDF, 2 Seiten">Nachsorge-Leitfaden</a></p>',),
    ),
    "raw HTML is text": Case(
        "Call <b>now</b> please.\n",
        {"Call <b>now</b> please.": "paragraph"},
        {"Call <b>now</b> please.": "Rufen Sie <b>jetzt</b> an."},
        ("<p>Rufen Sie &lt;b&gt;jetzt&lt;/b&gt; an.</p>",),
    ),
    "blocks without words are no messages": Case(
        "2024\n\n`l10n build`\n\n<https://clinic.example>\n\n---\n\n12.5 %\n",
        {},
        {},
        ("<p>2024</p>\n<p><code>l10n build</code></p>", '<a href="https://clinic.example">https://clinic.example</a>'),
    ),
    "bracket that is no link is written as a reference": Case(
        "See [sic](not a link) and footnote [1].\n",
        {"See [sic&#93;(not a link) and footnote [1].": "paragraph"},
        {"See [sic&#93;(not a link) and footnote [1].": "Siehe [sic&#93;(kein Link) und Fußnote [1]."},
        ("<p>Siehe [sic](kein Link) und Fußnote [1].</p>",),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_construct(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    root = make_site(tmp_path / "site", case.body)
    entries = body_messages(root)
    assert {e.msgid: e.comment.split("\n")[0] for e in entries} == case.messages
    for entry in entries:  # the second comment line points at the English block
        assert entry.comment.split("\n")[1].startswith("https://clinic.example/en/aftercare.html")
    translate_catalog(root, "de", {**FRONT, **case.german})
    result = l10n(root, "build")
    assert result.code == 0, result.output
    english, german = body_html(root, "en"), body_html(root, "de")
    for expected in case.shows:
        assert expected in german, german
    if not case.messages:
        assert german == english  # nothing to translate: the German body is the English one
    assert 'lang="en"' not in german  # every block is translated


def test_code_is_never_extracted_and_comes_out_byte_for_byte(tmp_path: Path) -> None:
    body = (
        "Export the schedule:\n\n"
        "```sh\n# not a heading\nexport FILE=*schedule*.md   # **not bold**\n[not a link](https://example.org)\n```\n\n"
        "    - not a list item\n    > not a quote\n\n"
        "Run `l10n build  --drafts` or `` `double` ``.\n"
    )
    root = make_site(tmp_path / "site", body)
    assert [e.msgid for e in body_messages(root)] == [
        "Export the schedule:", "Run `l10n build  --drafts` or `` `double` ``."
    ]
    translate_catalog(root, "de", {
        **FRONT, "Export the schedule:": "Exportieren Sie den Plan:",
        "Run `l10n build  --drafts` or `` `double` ``.": "Führen Sie `l10n build  --drafts` oder `` `double` `` aus.",
    })
    assert l10n(root, "build").code == 0
    english, german = body_html(root, "en"), body_html(root, "de")
    code = re.compile(r"<pre><code.*?</code></pre>|<code>.*?</code>", re.DOTALL)
    assert code.findall(german) == code.findall(english)
    assert "# not a heading\nexport FILE=*schedule*.md   # **not bold**\n[not a link](https://example.org)\n" in german
    assert "<code>l10n build  --drafts</code>" in german


def test_reference_links_resolve_on_the_localized_page(tmp_path: Path) -> None:
    body = (
        "Read the [consent form][consent], the [FAQ] and the [price list][].\n\n"
        "![Side view][side]\n\n"
        '[consent]: https://clinic.example/consent.pdf\n[faq]: https://clinic.example/faq "Questions"\n'
        "[price list]: /prices\n[side]: images/side.jpg\n"
    )
    root = make_site(tmp_path / "site", body)
    paragraph = "Read the [consent form][consent], the [FAQ][FAQ] and the [price list][price list]."
    # shortcut and collapsed references are written in full: the label survives translation
    assert [e.msgid for e in body_messages(root)] == [paragraph, "Questions", "Side view"]
    pot = (root / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert "consent.pdf" not in pot and "images/side.jpg" not in pot  # definitions are never messages
    translate_catalog(root, "de", {
        **FRONT, "Questions": "Fragen", "Side view": "Seitenansicht",
        paragraph: "Lesen Sie das [Einwilligungsformular][consent], die [häufigen Fragen][FAQ] und die "
                   "[Preisliste][price list].",
    })
    assert l10n(root, "build").code == 0
    german = body_html(root, "de")
    assert '<a href="https://clinic.example/consent.pdf">Einwilligungsformular</a>' in german
    assert '<a href="https://clinic.example/faq" title="Fragen">häufigen Fragen</a>' in german
    assert '<a href="/prices">Preisliste</a>' in german
    assert '<img src="../images/side.jpg" alt="Seitenansicht" />' in german


def test_nested_lists_in_block_quotes(tmp_path: Path) -> None:
    body = "> - Recovery was fast\n>   1. ice packs helped\n>   2. so did rest\n> - Swelling went down\n"
    root = make_site(tmp_path / "site", body)
    assert {e.msgid: e.comment.split("\n")[0] for e in body_messages(root)} == {
        "Recovery was fast": "list item 1 of 2 in block quote",
        "ice packs helped": "list item 1 of 2 in list item 1 of 2 in block quote",
        "so did rest": "list item 2 of 2 in list item 1 of 2 in block quote",
        "Swelling went down": "list item 2 of 2 in block quote",
    }
    translate_catalog(root, "de", {
        **FRONT, "Recovery was fast": "Die Erholung ging schnell", "ice packs helped": "Eisbeutel halfen",
        "so did rest": "Ruhe auch", "Swelling went down": "Die Schwellung ging zurück",
    })
    assert l10n(root, "build").code == 0
    assert body_html(root, "de").strip() == (
        "<blockquote>\n<ul>\n<li>Die Erholung ging schnell\n<ol>\n<li>Eisbeutel halfen</li>\n<li>Ruhe auch</li>\n"
        "</ol>\n</li>\n<li>Die Schwellung ging zurück</li>\n</ul>\n</blockquote>"
    )


def test_tables_with_inline_markup_and_escaped_pipes(tmp_path: Path) -> None:
    body = (
        "| Option | Notes |\n|--------|:-----:|\n"
        "| **Thread** lift | flat \\| hollow cheeks, see [guide](https://clinic.example/g) |\n"
        "| `code` | |\n"
    )
    root = make_site(tmp_path / "site", body)
    cell = "flat | hollow cheeks, see [guide](https://clinic.example/g)"
    assert {e.msgid: e.comment.split("\n")[0] for e in body_messages(root)} == {
        "Option": "table header, column 1 of 2", "Notes": "table header, column 2 of 2",
        "**Thread** lift": 'table cell row 1, column "Option"', cell: 'table cell row 1, column "Notes"',
    }
    translate_catalog(root, "de", {
        **FRONT, "Option": "Option", "Notes": "Hinweise", "**Thread** lift": "**Faden**lifting",
        cell: "flach | hohle Wangen, siehe [Leitfaden](https://clinic.example/g)",
    })
    assert l10n(root, "build").code == 0
    german = body_html(root, "de")
    assert "<td><strong>Faden</strong>lifting</td>" in german
    assert ('<td style="text-align:center">flach | hohle Wangen, siehe '
            '<a href="https://clinic.example/g">Leitfaden</a></td>') in german
    assert "<td><code>code</code></td>\n<td style=\"text-align:center\"></td>" in german  # row kept whole
