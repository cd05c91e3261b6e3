"""``l10n review``: what a translator or reviewer sees next, and applying their decision.

An entry needs review when it is ``fuzzy`` (machine translation, or its English changed), when
it carries a ``machine translation:`` comment and no ``reviewed:`` comment yet (someone removed
the flag in a PO editor without a review), or when it is the disclaimer without a review
record; after those come the empty entries, to be translated. Accepting records
``# reviewed: <name> <date>``. Each entry comes with suggestions: approved translations of
similar English from the same catalog (scored as ``msgmerge`` scores a fuzzy match) and the
glossary's wordings. Plain functions returning data; ``cli.py`` runs the dialogue. Each decision
re-reads the catalog and changes only its own entry (and the header's revision date and
translator): ``cli.py`` holds the project lock around it, never while the translator thinks.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .catalogs import is_approved, read_catalog, stamp_revision, write_catalog
from .checks.base import ERROR, Check, Finding, Unit
from .checks.claims import load_claims_for
from .glossary import Term
from .state import load_glossary_for
from .checks.records import review_record
from .checks.registry import MANDATORY_CONTEXT, all_checks, check_unit
from .config import Config, source_date_epoch
from .errors import InputError
from .merge import FUZZY_THRESHOLD, fstrcmp

MT_PREFIX = "machine translation:"
REVIEWED_PREFIX = "reviewed:"
# The machine draft's digest, kept on the ``machine translation:`` line once review touches
# the entry, so ``stats`` can tell an MT draft accepted as it came from one a reviewer changed.
_DRAFT = re.compile(r"\bdraft:([0-9a-f]{12})\b")

Key = tuple[str | None, str]
# Which entries a session offers: ``mt`` is machine drafts nobody reviewed (fuzzy or not).
ONLY = ("fuzzy", "empty", "mt", "all")


def to_one_line(text: str) -> str:
    """A draft as one line for an inline prompt: backslashes, tabs and newlines as PO escapes."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def from_one_line(line: str) -> str:
    """The inverse of ``to_one_line`` (``\\"`` is accepted too, as in a PO file)."""
    return polib.unescape(line)


def draft_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def comment_lines(entry: polib.POEntry) -> list[str]:
    return entry.tcomment.split("\n") if entry.tcomment else []


def machine_line(entry: polib.POEntry) -> str | None:
    return next((c for c in comment_lines(entry) if c.startswith(MT_PREFIX)), None)


def reviewed_line(entry: polib.POEntry) -> str | None:
    return next((c for c in comment_lines(entry) if c.startswith(REVIEWED_PREFIX)), None)


def machine_draft_digest(entry: polib.POEntry) -> str | None:
    line = machine_line(entry)
    match = _DRAFT.search(line) if line else None
    return match.group(1) if match else None


def needs_review(entry: polib.POEntry) -> bool:
    """Fuzzy, or machine-translated and never reviewed. Plural entries are left to PO editors
    (the site's pages and templates have none)."""
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    if entry.fuzzy:
        return True
    if entry.msgctxt == MANDATORY_CONTEXT:  # the disclaimer is published only with a review record
        return bool(entry.msgstr) and review_record(entry) is None
    return bool(entry.msgstr) and machine_line(entry) is not None and reviewed_line(entry) is None


def category(entry: polib.POEntry) -> str | None:
    """``fuzzy``; ``mt`` (an unreviewed machine draft that is not fuzzy); ``review`` (the
    disclaimer without a review record); ``empty``; or None for an entry that needs nothing
    (approved, obsolete, the header, a plural)."""
    if needs_review(entry):
        if entry.fuzzy:
            return "fuzzy"
        return "mt" if machine_line(entry) is not None and reviewed_line(entry) is None else "review"
    if entry.obsolete or not entry.msgid or entry.msgid_plural or entry.msgstr:
        return None
    return "empty"


def offered(entry: polib.POEntry, only: str) -> bool:
    """Whether a session with ``--only only`` offers ``entry``."""
    kind = category(entry)
    if kind is None:
        return False
    if only == "all":
        return True
    if only == "mt":  # machine drafts nobody reviewed, fuzzy or not
        return machine_line(entry) is not None and reviewed_line(entry) is None and bool(entry.msgstr)
    if only == "fuzzy":
        return kind in ("fuzzy", "review")
    return kind == only


@dataclass(frozen=True)
class DiffPart:
    """One run of a word diff: ``equal``, ``delete`` (only in the old text) or ``insert``."""

    op: str
    text: str


def word_diff(old: str, new: str) -> tuple[DiffPart, ...]:
    """Word-level diff of two English sources (whitespace kept, so the parts join back)."""
    before, after = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    parts: list[DiffPart] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if parts and parts[-1].op == op:
            parts[-1] = DiffPart(op, parts[-1].text + text)
        else:
            parts.append(DiffPart(op, text))

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(before[i1:i2]))
        else:
            add("delete", "".join(before[i1:i2]))
            add("insert", "".join(after[j1:j2]))
    return tuple(parts)


@dataclass(frozen=True)
class ReviewItem:
    """One entry as the reviewer sees it."""

    locale: str
    file: str
    line: int
    msgctxt: str | None
    msgid: str
    draft: str
    fuzzy: bool
    machine: str | None  # the ``machine translation:`` comment, if any
    note: str  # the extracted ``#.`` comment: what kind of block this is
    previous_msgid: str | None
    diff: tuple[DiffPart, ...]  # empty unless the English changed
    findings: tuple[Finding, ...]
    rank: tuple[int, int, int] = (0, 0, 0)  # order of offering: disclaimer, to review, empty; then file order

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def empty(self) -> bool:
        """Nothing translated yet: the translator types the first draft."""
        return not self.draft

    @property
    def kind(self) -> str:
        """The block kind from the ``#.`` comment (``paragraph``, ``page title``...)."""
        lines = [line for line in self.note.split("\n") if line and not _is_address(line)]
        return "; ".join(lines)

    @property
    def addresses(self) -> tuple[str, ...]:
        """The English page address(es) from the ``#.`` comment, where the text is read in context."""
        return tuple(line for line in self.note.split("\n") if _is_address(line))

    @property
    def machine_shown(self) -> str | None:
        """The ``machine translation:`` comment without the internal draft digest."""
        return " ".join(_DRAFT.sub("", self.machine).split()) if self.machine else None

    @property
    def mandatory(self) -> bool:
        return self.msgctxt == MANDATORY_CONTEXT

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)


def _is_address(line: str) -> bool:
    return line.startswith(("https://", "http://"))


@dataclass(frozen=True)
class ReviewSession:
    config: Config
    locale: str
    path: Path
    file: str
    checks: tuple[Check, ...]
    only: str = "all"
    page: frozenset[Key] | None = None  # with ``--page``: the messages of that page
    glossary: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """An approved translation offered for the entry under review."""

    text: str
    similarity: float  # msgmerge's fuzzy score (fstrcmp) of the two English texts
    english: str  # the English the translation belongs to
    line: int  # where that approved entry is in the catalog
    sentence: bool  # a sentence of an approved entry, matched to a sentence of this one


@dataclass(frozen=True)
class GlossaryHint:
    term: str
    rule: str  # required, forbidden or keep
    wordings: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """What a decision did: the entry as saved, and whether the file changed."""

    item: ReviewItem
    written: bool
    accepted: bool


def reviewer_name(config: Config, given: str | None) -> str:
    """``--reviewer``, else ``[tool.l10n] reviewer``, else ``$USER``."""
    configured = config.extra.get("reviewer")
    if configured is not None and not isinstance(configured, str):
        raise InputError("pyproject.toml", None, "[tool.l10n] reviewer must be a string")
    name = given or configured or os.environ.get("USER") or ""
    name = " ".join(name.split())  # one line in a PO comment
    if not name:
        raise InputError(None, None, "no reviewer name: pass --reviewer NAME or set [tool.l10n] reviewer")
    return name


def start(config: Config, locale: str, only: str = "all", page: str | None = None) -> ReviewSession:
    """Validate the options, the glossary and the catalog before the first question is asked."""
    if only not in ONLY:
        raise InputError(None, None, f"--only must be one of {', '.join(ONLY)}")
    path = config.po_path(locale)
    file = config.relative(path)
    if not path.is_file():
        raise InputError(file, None, f"no catalog for {locale}: run `l10n update`")
    keys = None
    if page is not None:
        from .source import load_pages

        pages = {p.slug: p for p in load_pages(config)}
        if page not in pages:
            raise InputError(None, None, f"no page {page!r} in {config.relative(config.source_dir)} "
                                         f"(pages: {', '.join(sorted(pages)) or 'none'})")
        keys = pages[page].keys
    glossary = load_glossary_for(config)
    checks = tuple(all_checks(glossary, load_claims_for(config)))
    session = ReviewSession(config, locale, path, file, checks, only, keys,
                            tuple(t for t in glossary if t.applies_to(locale)))
    _read(session)
    return session


def _read(session: ReviewSession) -> polib.POFile:
    return read_catalog(session.path, session.config)


def findings_for(session: ReviewSession, entry: polib.POEntry, text: str) -> tuple[Finding, ...]:
    """The registry's findings for ``text`` as the translation of ``entry`` (``ignore-<id>``
    honoured, except on the mandatory disclaimer)."""
    if not text:
        return ()
    mandatory = entry.msgctxt == MANDATORY_CONTEXT
    unit = Unit(session.locale, entry.msgid, text, entry.msgctxt, mandatory)
    return tuple(
        Finding(session.locale, session.file, entry.linenum, entry.msgctxt, entry.msgid,
                check.check_id, check.severity, message)
        for check, message in check_unit(unit, session.checks, entry.flags)
    )


def _item(session: ReviewSession, entry: polib.POEntry, index: int = 0) -> ReviewItem:
    changed = entry.previous_msgid is not None and entry.previous_msgid != entry.msgid
    return ReviewItem(
        locale=session.locale,
        file=session.file,
        line=entry.linenum,
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        draft=entry.msgstr,
        fuzzy=entry.fuzzy,
        machine=machine_line(entry),
        note=entry.comment or "",
        previous_msgid=entry.previous_msgid,
        diff=word_diff(entry.previous_msgid, entry.msgid) if changed else (),
        findings=findings_for(session, entry, entry.msgstr),
        rank=(entry.msgctxt != MANDATORY_CONTEXT, category(entry) == "empty", index),
    )


def pending(session: ReviewSession) -> list[ReviewItem]:
    """Every entry the session offers: mandatory messages first (they block whole pages), then
    those to review, then the empty ones; each group in catalog order."""
    items = [_item(session, e, i) for i, e in enumerate(_read(session))
             if offered(e, session.only) and (session.page is None or (e.msgctxt, e.msgid) in session.page)]
    return sorted(items, key=lambda item: item.rank)


def next_item(session: ReviewSession, passed: set[Key], after: tuple[int, int, int] | None = None
              ) -> tuple[ReviewItem | None, int]:
    """The next entry to show (skipping ``passed``): the first after ``after`` in the order of
    offering, else from the start; and how many remain including it."""
    remaining = [i for i in pending(session) if i.key not in passed]
    later = [i for i in remaining if after is None or i.rank > after]
    return (later or remaining or [None])[0], len(remaining)


def item_for(session: ReviewSession, key: Key) -> ReviewItem | None:
    """The entry ``key`` as on disk now, whatever its state (going back to one already decided)."""
    for index, entry in enumerate(_read(session)):
        if not entry.obsolete and (entry.msgctxt, entry.msgid) == key:
            return _item(session, entry, index)
    return None


def search(session: ReviewSession, text: str, after: tuple[int, int, int] | None = None) -> ReviewItem | None:
    """The next offered entry after ``after`` (wrapping around) whose English or draft contains
    ``text``, ignoring case."""
    needle = text.casefold()
    found = [i for i in pending(session) if needle in i.msgid.casefold() or needle in i.draft.casefold()]
    later = [i for i in found if after is None or i.rank > after]
    return (later or found or [None])[0]


def _current(session: ReviewSession, item: ReviewItem) -> tuple[polib.POFile, polib.POEntry]:
    """The catalog and the entry as on disk now; refuse if it changed since it was shown."""
    catalog = _read(session)
    entry = next((e for e in catalog if not e.obsolete and (e.msgctxt, e.msgid) == item.key), None)
    if entry is None or entry.msgstr != item.draft or entry.fuzzy != item.fuzzy:
        raise InputError(
            session.file, item.line, "the entry changed on disk since it was shown; nothing saved (run review again)"
        )
    return catalog, entry


def _stamp_machine_draft(entry: polib.POEntry) -> None:
    """Record the digest of the machine draft before a reviewer's first change to it."""
    line = machine_line(entry)
    if line is None or _DRAFT.search(line) or not entry.msgstr:
        return
    lines = comment_lines(entry)
    lines[lines.index(line)] = f"{line} draft:{draft_digest(entry.msgstr)}"
    entry.tcomment = "\n".join(lines)


def save_draft(session: ReviewSession, item: ReviewItem, text: str, translator: str | None = None) -> Decision:
    """Replace the draft with the translator's text; the entry is (or stays) fuzzy until accepted.
    The header records the revision date and, when given, the translator."""
    catalog, entry = _current(session, item)
    if text == entry.msgstr:
        return Decision(item, False, False)
    _stamp_machine_draft(entry)
    entry.msgstr = text
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    stamp_revision(catalog, translator)
    written = write_catalog(session.path, catalog, session.config.po_width)
    return Decision(_item(session, entry, item.rank[2]), written, False)


def accept(session: ReviewSession, item: ReviewItem, reviewer: str, today: datetime.date | None = None) -> Decision:
    """Approve the draft: drop ``fuzzy`` and the previous source, record who reviewed it when
    (in the entry, and as the header's ``Last-Translator`` with the revision date)."""
    catalog, entry = _current(session, item)
    if not entry.msgstr:
        raise InputError(session.file, item.line, "an empty translation cannot be accepted: edit it first")
    before = (list(entry.flags), entry.tcomment, entry.previous_msgid, entry.previous_msgctxt)
    _stamp_machine_draft(entry)
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    moment = source_date_epoch()
    date = (today or (moment.date() if moment else datetime.date.today())).isoformat()
    lines = [c for c in comment_lines(entry) if not c.startswith(REVIEWED_PREFIX)]
    entry.tcomment = "\n".join([*lines, f"{REVIEWED_PREFIX} {reviewer} {date}"])
    if before == (list(entry.flags), entry.tcomment, entry.previous_msgid, entry.previous_msgctxt):
        return Decision(item, False, True)  # accepted again, by the same reviewer the same day
    stamp_revision(catalog, reviewer)
    written = write_catalog(session.path, catalog, session.config.po_width)
    return Decision(_item(session, entry, item.rank[2]), written, True)


def accepted_unchanged(entry: polib.POEntry) -> bool:
    """A reviewed machine translation whose msgstr is still exactly the machine draft."""
    digest = machine_draft_digest(entry)
    return digest is not None and reviewed_line(entry) is not None and draft_digest(entry.msgstr) == digest


# English sentences end at . ! ? before a space and a capital, digit, quote or bracket.
_ENGLISH_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]*_]*\s+(?=[\"'(\[*_]*[A-Z0-9\u203b])")
# Translations: CJK full stops end a sentence by themselves; the others before a space.
_TARGET_SENTENCE = re.compile(r"(?<=[\u3002\uff01\uff1f])\s*|(?<=[.!?\u061f\u0964])\s+")
SUGGESTIONS = 9  # keys 1..9


def sentences(text: str, english: bool = True) -> list[str]:
    """``text`` cut into sentences (a sentence-final mark and what follows it stay together)."""
    pattern = _ENGLISH_SENTENCE if english else _TARGET_SENTENCE
    bounds = [0, *[m.end() for m in pattern.finditer(text) if m.end() < len(text)]]
    parts = [text[i:j].strip() for i, j in zip(bounds, [*bounds[1:], len(text)])]
    return [part for part in parts if part]


def _above_threshold(a: str, b: str) -> float | None:
    """msgmerge's fuzzy score of two English texts, when it counts as a fuzzy match."""
    la, lb = len(a.encode()), len(b.encode())
    if not la or not lb or 2 * min(la, lb) / (la + lb) <= FUZZY_THRESHOLD:
        return None  # the score can only be lower than this bound
    score = fstrcmp(a, b)
    return score if score > FUZZY_THRESHOLD else None


def suggestions(session: ReviewSession, item: ReviewItem) -> tuple[Suggestion, ...]:
    """Approved translations from the same catalog for the English of ``item``: whole entries
    whose English is a fuzzy match of it, and sentences of approved entries (where the English
    and the translation have as many sentences, so they pair up) matching one of its sentences.
    Best first, at most nine, one per distinct translation."""
    approved = [e for e in _read(session) if is_approved(e) and not e.msgid_plural and (e.msgctxt, e.msgid) != item.key]
    found: list[Suggestion] = []
    for entry in approved:
        score = _above_threshold(item.msgid, entry.msgid)
        if score is not None:
            found.append(Suggestion(entry.msgstr, score, entry.msgid, entry.linenum, False))
    own = sentences(item.msgid)
    for entry in approved:
        english, target = sentences(entry.msgid), sentences(entry.msgstr, english=False)
        if len(english) != len(target) or (len(english) == 1 and len(own) == 1):
            continue  # not paired up, or the same comparison as the whole entry's
        for source_sentence, translated in zip(english, target):
            for sentence in own:
                score = _above_threshold(sentence, source_sentence)
                if score is not None:
                    found.append(Suggestion(translated, score, source_sentence, entry.linenum, True))
    best: dict[str, Suggestion] = {}
    for suggestion in sorted(found, key=lambda s: (-s.similarity, s.sentence, s.line)):
        if suggestion.text != item.draft:  # already what the draft says
            best.setdefault(suggestion.text, suggestion)
    return tuple(list(best.values())[:SUGGESTIONS])


def glossary_hints(session: ReviewSession, item: ReviewItem) -> tuple[GlossaryHint, ...]:
    """The glossary's wordings for the terms in the English of ``item``."""
    return tuple(GlossaryHint(t.term, t.rule, t.translations if t.rule != "keep" else (t.term,))
                 for t in session.glossary if t.in_source(item.msgid))
