"""The disclaimer gate: a page is published in a locale only with an approved, error-free
disclaimer that the rendered page shows, exactly, in ``<aside class="disclaimer">`` in ``<main>``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import polib
from lxml.etree import HTML, ParserError, _Element

from ..catalogs import is_approved
from .base import ERROR, Finding
from .records import review_problem

DISCLAIMER_CONTEXT = "disclaimer"
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
    unreviewed = review_problem(entry)  # clearing fuzzy is not a review
    if unreviewed:
        return [unreviewed]
    errors = [
        f"the disclaimer fails check {f.check}: {f.message}"
        for f in findings
        if f.msgctxt == DISCLAIMER_CONTEXT and f.msgid == msgid and f.severity == ERROR
    ]
    return errors


@lru_cache(maxsize=256)  # a locale's pages share one disclaimer
def expected_disclaimer(text: str) -> str:
    """What the disclaimer element must read: the approved text (plain text, never Markdown),
    spaces collapsed."""
    return " ".join(text.split())


def _hidden(element: _Element, contents: bool = True) -> str | None:
    """Why markup alone hides ``element`` (None: it does not); ``contents=False`` leaves out the
    rules that hide only what an element holds (a closed ``details`` still shows its summary)."""
    attrs, tag = element.attrib, element.tag
    if "hidden" in attrs:
        return f"<{tag}> has the hidden attribute"
    if attrs.get("aria-hidden", "").lower() == "true":
        return f"<{tag}> has aria-hidden=true"
    if _HIDDEN_STYLE.search(attrs.get("style", "")):
        return f"<{tag}> is hidden by its inline style"
    if tag in ("template", "noscript", "dialog"):
        return f"the disclaimer is inside <{tag}>"
    if contents and tag == "details" and "open" not in attrs:
        return "the disclaimer is inside a closed <details>"
    return None


def page_problems(page_html: str, expected_text: str) -> list[str]:
    """Problems of a rendered page's disclaimer (empty list: the page passes the HTML gate).

    The page is parsed by libxml2's HTML parser (through lxml): a real parser, and at a tenth of
    a millisecond a page, cheap enough to hold every page of a large site to the gate."""
    try:
        root = HTML(page_html)
    except (ParserError, ValueError) as exc:
        return [f"the page cannot be parsed as HTML: {exc}"]
    if root is None:
        return ["the page cannot be parsed as HTML: it is empty"]
    asides = [e for e in root.iter("aside") if "disclaimer" in e.get("class", "").split()]
    if not asides:
        return ['no <aside class="disclaimer"> in the page']
    if len(asides) > 1:
        return [f'{len(asides)} <aside class="disclaimer"> elements; expected exactly one']
    aside = asides[0]
    ancestors = list(aside.iterancestors())
    problems = []
    if aside.get("role") != "note":
        problems.append('the disclaimer element lacks role="note"')
    if not any(e.tag == "main" for e in ancestors):
        problems.append("the disclaimer is not inside <main>")
    for element in [aside, *ancestors]:
        reason = _hidden(element)
        if reason:
            problems.append(f"the disclaimer is hidden: {reason}")
    hidden: list[str] = []
    shown = " ".join(rendered_text(aside, hidden).split())
    if shown != expected_text:
        because = f" ({'; '.join(dict.fromkeys(hidden))})" if hidden else ""
        problems.append(f"the disclaimer reads {shown[:80]!r}, expected {expected_text[:80]!r}{because}")
    return problems


# Elements whose text a reader never gets as text: scripts, styles, form controls' options
_NOT_RENDERED = frozenset(["script", "style", "template", "noscript", "title", "head", "select", "option",
                           "datalist", "textarea", "object", "iframe", "svg", "math", "img", "input"])


def rendered_text(element: _Element, hidden: list[str] | None = None) -> str:
    """The text a reader gets from ``element`` (``innerText`` semantics as far as markup alone
    decides them): descendants that are hidden (the ``hidden`` attribute, ``aria-hidden``, an
    inline style that hides), never rendered (``template``, ``noscript``, ``script``…), or inside
    a closed ``details`` (its ``summary`` aside) give no text; what was left out is noted in
    ``hidden``."""
    closed_details = element.tag == "details" and "open" not in element.attrib
    parts: list[str] = [] if closed_details else [element.text or ""]
    summary_seen = False
    for child in element:
        tail = "" if closed_details else child.tail or ""
        if not isinstance(child.tag, str):  # a comment or processing instruction
            parts.append(tail)
            continue
        reason = _hidden(child, contents=False)
        if reason is None and child.tag in _NOT_RENDERED:
            reason = f"<{child.tag}> is not rendered as text"
        if reason is None and closed_details:
            if child.tag == "summary" and not summary_seen:
                summary_seen = True
            else:
                reason = "inside a closed <details>"
        if reason is None:
            parts.append(rendered_text(child, hidden))
        elif hidden is not None and "".join(child.itertext()).strip():
            hidden.append(f"text left out: {reason}")
        parts.append(tail)
    if closed_details and hidden is not None and (
        (element.text or "").strip() or any((c.tail or "").strip() for c in element)
    ):
        hidden.append("text left out: inside a closed <details>")
    return "".join(parts)


@dataclass(frozen=True)
class Verdict:
    """Whether one page may be published in one locale, from its catalog alone."""

    slug: str
    locale: str
    disclaimer_problems: tuple[str, ...]
    approved: int
    total: int
    outdated: int = 0  # approved for the previous English and published: they count as ready

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    def publishable(self, threshold: float) -> bool:
        ready = 100.0 * (self.approved + self.outdated) / self.total if self.total else 100.0
        return not self.disclaimer_problems and ready >= threshold
