"""The disclaimer gate: a page is published in a locale only with an approved, error-free
disclaimer that the rendered page shows, exactly, in ``<aside class="disclaimer">`` in ``<main>``."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import polib

from ..catalogs import is_approved
from .base import ERROR, Finding

DISCLAIMER_CONTEXT = "disclaimer"
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HIDDEN_STYLE = re.compile(
    r"(display\s*:\s*none|visibility\s*:\s*(hidden|collapse)|opacity\s*:\s*0(\.0*)?\s*(;|$)|font-size\s*:\s*0)",
    re.IGNORECASE,
)


def catalog_verdict(
    catalog: polib.POFile, msgid: str, findings: list[Finding]
) -> list[str]:
    """Why the disclaimer ``msgid`` cannot be published from this catalog (empty list: it can)."""
    entry = catalog.find(msgid, msgctxt=DISCLAIMER_CONTEXT)
    if entry is None or entry.obsolete:
        return ["the disclaimer is missing from the catalog (run `l10n update`)"]
    if not entry.msgstr:
        return ["the disclaimer is not translated"]
    if entry.fuzzy:
        return ["the disclaimer is fuzzy (needs review)"]
    if not is_approved(entry):
        return ["the disclaimer is not approved"]
    errors = [
        f"the disclaimer fails check {f.check}: {f.message}"
        for f in findings
        if f.msgctxt == DISCLAIMER_CONTEXT and f.msgid == msgid and f.severity == ERROR
    ]
    return errors


def visible_text(markdown_html: str) -> str:
    """Rendered HTML -> the text a reader sees: tags removed, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]*>", "", markdown_html)
    return " ".join(html.unescape(text).split())


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: "_Node | None"
    children: list["_Node | str"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self) -> list["_Node"]:
        node, found = self.parent, []
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {}, None)
        self.current = self.root
        self.all: list[_Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.all.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.current = self.current.parent or self.root

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def _hidden(node: _Node) -> str | None:
    if "hidden" in node.attrs:
        return f"<{node.tag}> has the hidden attribute"
    if node.attrs.get("aria-hidden", "").lower() == "true":
        return f"<{node.tag}> has aria-hidden=true"
    if _HIDDEN_STYLE.search(node.attrs.get("style", "")):
        return f"<{node.tag}> is hidden by its inline style"
    if node.tag in ("template", "noscript", "dialog"):
        return f"the disclaimer is inside <{node.tag}>"
    if node.tag == "details" and "open" not in node.attrs:
        return "the disclaimer is inside a closed <details>"
    return None


def page_problems(page_html: str, expected_text: str) -> list[str]:
    """Problems of a rendered page's disclaimer (empty list: the page passes the HTML gate)."""
    builder = _TreeBuilder()
    builder.feed(page_html)
    builder.close()
    asides = [n for n in builder.all if n.tag == "aside" and "disclaimer" in n.attrs.get("class", "").split()]
    if not asides:
        return ['no <aside class="disclaimer"> in the page']
    if len(asides) > 1:
        return [f'{len(asides)} <aside class="disclaimer"> elements; expected exactly one']
    aside = asides[0]
    problems = []
    if aside.attrs.get("role") != "note":
        problems.append('the disclaimer element lacks role="note"')
    if not any(n.tag == "main" for n in aside.ancestors()):
        problems.append("the disclaimer is not inside <main>")
    for node in [aside, *aside.ancestors()]:
        reason = _hidden(node)
        if reason:
            problems.append(f"the disclaimer is hidden: {reason}")
    shown = " ".join(aside.text().split())
    if shown != expected_text:
        problems.append(f"the disclaimer reads {shown[:80]!r}, expected {expected_text[:80]!r}")
    return problems


@dataclass(frozen=True)
class Verdict:
    """Whether one page may be published in one locale, from its catalog alone."""

    slug: str
    locale: str
    disclaimer_problems: tuple[str, ...]
    approved: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    def publishable(self, threshold: float) -> bool:
        return not self.disclaimer_problems and self.percent >= threshold
