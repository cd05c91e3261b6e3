"""Prohibited medical-advertising claims (Medical Service Act art. 56(2)): ``locales/claims.csv``.

Columns ``locale,wording,reason``: ``locale`` is a locale, the source locale (``en``) or ``*``;
``wording`` lists ``|``-separated expressions (inflected forms or stems, as the glossary does);
``reason`` says which rule it breaks. Matching follows the glossary's: case-insensitive, in the
English source at word boundaries, in a translation as a substring. Text is compared after
NFKC (full-width ``１００％`` is ``100%``) with format characters (U+200B, U+00AD, U+2060...),
Arabic vowel marks and tatweel removed and whitespace collapsed, so that no invisible character
or spelling variant slips a claim past the list. The check cannot be silenced with a flag.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..errors import InputError
from ..glossary import table_rows
from .base import ERROR, Check, Finding, Unit

if TYPE_CHECKING:
    from ..config import Config
    from ..source import Page

COLUMNS = ["locale", "wording", "reason"]
CHECK_ID = "claims"
# Deleted before comparing: Unicode format characters (category Cf: soft hyphen, zero-width and
# BiDi controls, word joiner...), Arabic harakat, superscript alef and tatweel, and Markdown
# emphasis markers. One regex: a character-by-character filter took 1.5 s on 11,000 entries.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_DELETED = re.compile(f"[{FORMAT_CHARACTERS}\u064b-\u0652\u0670\u0640*~`]")
_ALEF = re.compile("[أإآ]")


def fold(text: str) -> str:
    """``text`` as claims are compared: see the module docstring."""
    if text.isascii():
        text = _DELETED.sub("", text)
    else:
        text = _ALEF.sub("ا", _DELETED.sub("", unicodedata.normalize("NFKC", text)))
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Claim:
    locale: str  # a locale, the source locale or "*"
    wordings: tuple[str, ...]
    reason: str
    line: int

    def applies_to(self, locale: str) -> bool:
        return self.locale in ("*", locale)

    @cached_property
    def folded_wordings(self) -> tuple[str, ...]:
        return tuple(fold(w) for w in self.wordings)

    @cached_property
    def _words(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(rf"(?<!\w){re.escape(w)}(?!\w)") for w in self.folded_wordings)

    def found_in(self, folded: str, words: bool) -> str | None:
        """The wording of this claim in ``folded`` text (whole words only with ``words``)."""
        if words:
            return next((w for w, p in zip(self.wordings, self._words) if p.search(folded)), None)
        return next((w for w, f in zip(self.wordings, self.folded_wordings) if f in folded), None)


def claims_path(config: Config) -> Path:
    return config.locales_dir / "claims.csv"


def load_claims_for(config: Config) -> tuple[Claim, ...]:
    path = claims_path(config)
    return load_claims(path, config.relative(path))


def load_claims(path: Path, display: str) -> tuple[Claim, ...]:
    """Read and validate the list; a missing file is an empty list. Rows for locales the site
    does not configure are kept (the shipped list covers nine languages) but never apply."""
    from ..config import validate_locale

    claims = []
    for line, (locale, wording, reason) in table_rows(path, display, COLUMNS):
        if locale != "*":
            validate_locale(locale, "locale", display, line)
        wordings = tuple(w.strip() for w in wording.split("|") if w.strip())
        if not wordings:
            raise InputError(display, line, "empty wording")
        if not reason:
            raise InputError(display, line, "a claim needs a reason (the rule it breaks)")
        claims.append(Claim(locale, wordings, reason, line))
    return tuple(claims)


class Claims(Check):
    check_id = CHECK_ID
    name = "Prohibited advertising claim"
    severity = ERROR
    description = ("No claim the law forbids (guaranteed or permanent results, no side effects or pain, "
                   "superlatives, 'only/first', comparisons): locales/claims.csv; cannot be ignored.")
    ignorable = False

    def __init__(self, claims: tuple[Claim, ...] = ()) -> None:
        self.claims = claims
        self._by_locale: dict[str, tuple[Claim, ...]] = {}

    def run(self, unit: Unit) -> Iterator[str]:
        claims = self._by_locale.get(unit.locale)
        if claims is None:
            claims = self._by_locale[unit.locale] = tuple(c for c in self.claims if c.applies_to(unit.locale))
        if not claims:
            return
        folded = fold(unit.target)
        for claim in claims:
            wording = claim.found_in(folded, words=False)
            if wording is not None:
                yield f"prohibited claim {wording!r}: {claim.reason}"


def source_findings(pages: list[Page], claims: tuple[Claim, ...], source_locale: str) -> list[Finding]:
    """Every claim in the English pages, at its line in ``source/``: each withholds its page in
    every language."""
    mine = tuple(c for c in claims if c.applies_to(source_locale))
    # one search a message for every wording at once (a search per wording took 14 s at 1,000 pages)
    wordings = sorted({w for c in mine for w in c.folded_wordings}, key=len, reverse=True)
    anywhere = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, wordings))})(?!\w)") if wordings else None
    findings = []
    for page in pages if anywhere else ():
        for message in page.messages:
            folded = fold(message.msgid)
            if not anywhere.search(folded):
                continue
            for claim in mine:
                wording = claim.found_in(folded, words=True)
                if wording is not None:
                    findings.append(Finding(
                        source_locale, page.path, _line_of(page, message.line, claim), message.msgctxt, message.msgid,
                        CHECK_ID, ERROR, f"prohibited claim {wording!r}: {claim.reason}",
                    ))
    return findings


def _line_of(page: Page, first: int, claim: Claim) -> int:
    """The line of the body where the claim starts (a paragraph spans several lines)."""
    start = first - page.body_line
    lines = page.body.split("\n")
    if 0 <= start < len(lines):
        for offset, text in enumerate(lines[start:start + 200]):
            if not text.strip() and offset:
                break  # the end of the block
            if claim.found_in(fold(text), words=True) is not None:
                return first + offset
    return first


def withheld_by_source(
    config: Config, pages: list[Page], claims: tuple[Claim, ...]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(slug, locale) -> reasons, for every language of each page whose English makes a claim."""
    by_page: dict[str, list[str]] = {}
    for f in source_findings(pages, claims, config.source_locale):
        by_page.setdefault(Path(f.file).stem, []).append(f"{f.file}:{f.line}: {f.message}")
    slugs = {Path(p.path).stem: p.slug for p in pages}
    return {(slugs[stem], loc): tuple(reasons) for stem, reasons in by_page.items()
            for loc in (config.source_locale, *config.locales)}
