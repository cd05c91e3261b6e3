"""The round-trip property over a corpus, through the real CLI.

For every document (the CommonMark 0.31.2 spec examples, markdown-it's GFM table and
strikethrough fixtures, and the clinic documents of ``tests/data/markdown/``):

(a) the English page's body is exactly what markdown-it-py renders from the page body, in the
    project's dialect (CommonMark + tables + strikethrough, raw HTML off, safe links only);
(b) after ``extract``, ``update``, ``translate --provider pseudo`` and approving every entry,
    each localized page has the English page's element structure (tags and attributes, titles
    and alt texts aside), the same link targets and image sources, identical code, and no
    English word left in its prose.

All documents are pages of one project, so the whole corpus runs through the CLI once. Documents
that refer to local files (``![foo](train.jpg)``, ``[link](uri1)``) are left out: a page's local
references must name files in source/, and their rewriting is tested in ``test_assets.py``.
Run with ``-s`` to see the numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import polib
from markdown_it import MarkdownIt

from conftest import REPO, l10n

from pipeline.catalogs import write_catalog

DATA = REPO / "tests" / "data" / "markdown"
LOCALES = ("de", "fr")  # Latin-script locales: the checks expect pseudo's accented Latin there
DISCLAIMER = "※ Side effects such as bleeding may occur depending on the individual."
PYPROJECT = f"""\
[project]
name = "corpus"

[tool.l10n]
locales = {json.dumps(list(LOCALES))}
base_url = "https://clinic.example/"
publish_threshold = 100
"""


def refers_to_local_files(body: str) -> bool:
    """Whether a body has a relative image source or link (no scheme, not /root, #fragment or ?query)."""
    def relative(url: str) -> bool:
        return bool(url) and not url.startswith(("/", "#", "?")) and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I)

    for token in reference_markdown().parse(body):
        for child in token.children or []:
            if relative(str(child.attrs.get("src") or child.attrs.get("href") or "")):
                return True
    return False


def corpus() -> dict[str, str]:
    """slug -> Markdown body (documents with local file references aside)."""
    documents = {}
    for example in json.loads((DATA / "commonmark-spec-0.31.2.json").read_text(encoding="utf-8")):
        documents[f"spec-{example['example']:03d}"] = example["markdown"]
    for number, fixture in enumerate(json.loads((DATA / "markdown-it-gfm.json").read_text(encoding="utf-8")), 1):
        documents[f"gfm-{number:02d}"] = fixture["markdown"]
    text = (DATA / "clinic-documents.md").read_text(encoding="utf-8")
    for chunk in re.split(r"^==== ", text, flags=re.MULTILINE)[1:]:
        name, _, body = chunk.partition("\n")
        documents[f"clinic-{name.strip()}"] = body
    return {slug: body for slug, body in documents.items() if not refers_to_local_files(body)}


def reference_markdown() -> MarkdownIt:
    """markdown-it-py configured as the contract says, independently of the pipeline's code."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])

    def safe(url: str) -> bool:
        url = re.sub(r"[\x00-\x20]", "", url)
        return bool(re.match(r"^(https?:|mailto:)", url, re.IGNORECASE)) or not re.match(
            r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE
        )

    md.validateLink = safe
    return md


def write_project(root: Path, documents: dict[str, str]) -> None:
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for slug, body in documents.items():
        page = f"---\ntitle: Corpus document\nslug: {slug}\ndisclaimer: {DISCLAIMER}\n---\n{body}"
        (root / "source" / f"{slug}.md").write_text(page, encoding="utf-8")


def approve_everything(root: Path, locale: str) -> int:
    """What a reviewer does after pseudo-translation: accept every entry. The disclaimer gets a
    reviewer's own text (pseudo puts ⟦ before the ※ marker, which the marker check rejects)."""
    path = root / "locales" / locale / "LC_MESSAGES" / "messages.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgctxt == "disclaimer":
            entry.msgstr = "※ " + entry.msgstr.replace("※", "").strip(" ⟦⟧") + "."
            entry.tcomment = "reviewed: Corpus Reviewer 2026-12-01"
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    write_catalog(path, catalog)
    return len([e for e in catalog if e.msgstr])


POINTS = ("inflammation", "bleeding", "nerve damage", "depending on the individual", "consultation", "medical team",
          "before surgery")


def write_glossary(root: Path) -> None:
    """A required term for each point of the disclaimer in each locale (the gate needs them): for
    pseudo-locales, the reviewed disclaimer itself, or the ⟦ every pseudo translation carries."""
    import csv
    import io

    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["term", "locale", "translation", "rule", "note"])
    writer.writerow(["※", "*", "", "keep", "marker"])
    for locale in LOCALES:
        catalog = polib.pofile(str(root / "locales" / locale / "LC_MESSAGES" / "messages.po"))
        disclaimer = next(e.msgstr for e in catalog if e.msgctxt == "disclaimer")
        for term in POINTS:
            writer.writerow([term, locale, f"{disclaimer}|⟦", "required", "pseudo-locale"])
    (root / "locales" / "glossary.csv").write_text(rows.getvalue(), encoding="utf-8")


def body_of(html: str) -> str:
    """The Markdown body inside the page's article (the page has no description or image)."""
    start = html.index("</h1>\n") + len("</h1>\n")
    return html[start : html.rindex("</article>")]


_PLACEHOLDERS = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_]\w*\)[sd]")
_URL = re.compile(r"(?:https?://|mailto:|www\.)\S+")


class Shape(HTMLParser):
    """Element structure (attributes but titles, alt texts and lang), code, links, prose."""

    VOID = frozenset({"img", "br", "hr", "input"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple] = []
        self.code: list[str] = []
        self.targets: list[str] = []
        self.prose: list[str] = []
        self.open: list[tuple[str, dict]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.elements.append(("<", tag, tuple(sorted((k, v) for k, v in attrs if k not in ("title", "alt", "lang")))))
        self.targets += [f"{tag} {attributes[k]}" for k in ("href", "src") if k in attributes]
        if tag not in self.VOID:
            self.open.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        self.elements.append((">", tag))
        if self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        tags = [tag for tag, _ in self.open]
        if "code" in tags or "pre" in tags:
            self.code.append(data)
            return
        links = [attributes for tag, attributes in self.open if tag == "a"]
        if links and data.strip() and str(links[-1].get("href", "")).endswith(data.strip()):
            return  # an autolink shows its own address
        self.prose.append(data)

    def english_words(self) -> list[str]:
        """ASCII words left in the prose (pseudo accents every letter it translates); URLs and
        {placeholders}, which are never translated, aside."""
        text = _PLACEHOLDERS.sub(" ", _URL.sub(" ", " ".join(self.prose)))
        return re.findall(r"[A-Za-z]+", text)


@dataclass
class Report:
    documents: int = 0
    messages: int = 0
    pages_compared: int = 0
    english_words: int = 0
    failures: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.documents} documents, {self.messages} messages, {self.pages_compared} localized pages "
            f"compared, {self.english_words} English words left, {len(self.failures)} failures"
        )


def test_round_trip_property_over_the_corpus(tmp_path: Path) -> None:
    documents = corpus()
    root = tmp_path / "corpus"
    write_project(root, documents)
    for command in (["extract"], ["update"], ["translate", "--provider", "pseudo"]):
        result = l10n(root, *command)
        assert result.code == 0, result.output
    report = Report(documents=len(documents))
    report.messages = len(polib.pofile(str(root / "locales" / "messages.pot")))
    for locale in LOCALES:
        approve_everything(root, locale)
    write_glossary(root)
    result = l10n(root, "build")
    assert result.code == 0, result.output

    reference = reference_markdown()
    for slug, body in documents.items():
        english_html = (root / "output" / "en" / f"{slug}.html").read_text(encoding="utf-8")
        english_body = body_of(english_html)
        if english_body != reference.render(body) + "\n":  # (a)
            report.failures.append(f"{slug}: the English page is not markdown-it's rendering")
        english = Shape(english_body)
        for locale in LOCALES:
            path = root / "output" / locale / f"{slug}.html"
            if not path.is_file():
                report.failures.append(f"{slug} [{locale}]: not published")
                continue
            html = path.read_text(encoding="utf-8")
            localized = Shape(body_of(html))
            report.pages_compared += 1
            words = localized.english_words()
            report.english_words += len(words)
            problems = [
                name
                for name, same in (
                    ("element structure", localized.elements == english.elements),
                    ("link targets and image sources", localized.targets == english.targets),
                    ("code", localized.code == english.code),
                    ("partial-page notice", "partial-notice" not in html),
                )
                if not same
            ] + ([f"English words {words[:6]}"] if words else [])
            if problems:
                report.failures.append(f"{slug} [{locale}]: {', '.join(problems)}")
    print(f"\nround-trip corpus: {report}")
    assert report.documents >= 300
    assert not report.failures, f"{report}\n" + "\n".join(report.failures)
