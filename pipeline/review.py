"""``l10n review``: what a reviewer sees next, and applying their decision to the catalog.

An entry needs review when it is ``fuzzy`` (machine translation, or its English changed), when
it carries a ``machine translation:`` comment and no ``reviewed:`` comment yet (someone removed
the flag in a PO editor without a review), or when it is the disclaimer without a review
record. Accepting records ``# reviewed: <name> <date>``. Plain functions returning data; ``cli.py`` runs the dialogue.
Each decision re-reads the catalog and changes only its own entry: ``cli.py`` holds the project
lock around it, never while the reviewer thinks.
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

from .catalogs import read_catalog, write_catalog
from .checks.base import ERROR, Check, Finding, Unit
from .checks.claims import load_claims_for
from .checks.project import load_glossary_for
from .checks.records import review_record
from .checks.registry import MANDATORY_CONTEXT, all_checks, check_unit
from .config import Config
from .errors import InputError

MT_PREFIX = "machine translation:"
REVIEWED_PREFIX = "reviewed:"
# The machine draft's digest, kept on the ``machine translation:`` line once review touches
# the entry, so ``stats`` can tell an MT draft accepted as it came from one a reviewer changed.
_DRAFT = re.compile(r"\bdraft:([0-9a-f]{12})\b")

Key = tuple[str | None, str]


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

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def mandatory(self) -> bool:
        return self.msgctxt == MANDATORY_CONTEXT

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)


@dataclass(frozen=True)
class ReviewSession:
    config: Config
    locale: str
    path: Path
    file: str
    checks: tuple[Check, ...]


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


def start(config: Config, locale: str) -> ReviewSession:
    """Validate the glossary and the catalog before the first question is asked."""
    path = config.po_path(locale)
    file = config.relative(path)
    if not path.is_file():
        raise InputError(file, None, f"no catalog for {locale}: run `l10n update`")
    session = ReviewSession(config, locale, path, file, tuple(all_checks(load_glossary_for(config), load_claims_for(config))))
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


def _item(session: ReviewSession, entry: polib.POEntry) -> ReviewItem:
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
    )


def pending(session: ReviewSession) -> list[ReviewItem]:
    """Every entry to review, mandatory messages first (they block whole pages), then in
    catalog order."""
    entries = [e for e in _read(session) if needs_review(e)]
    entries.sort(key=lambda e: e.msgctxt != MANDATORY_CONTEXT)
    return [_item(session, e) for e in entries]


def next_item(session: ReviewSession, passed: set[Key]) -> tuple[ReviewItem | None, int]:
    """The next entry to show (skipping ``passed``) and how many remain including it."""
    remaining = [i for i in pending(session) if i.key not in passed]
    return (remaining[0] if remaining else None), len(remaining)


def _current(session: ReviewSession, item: ReviewItem) -> tuple[polib.POFile, polib.POEntry]:
    """The catalog and the entry as on disk now; refuse if it changed since it was shown."""
    catalog = _read(session)
    entry = next((e for e in catalog if not e.obsolete and (e.msgctxt, e.msgid) == item.key), None)
    if entry is None or entry.msgstr != item.draft or not needs_review(entry):
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


def save_draft(session: ReviewSession, item: ReviewItem, text: str) -> Decision:
    """Replace the draft with the reviewer's edit; the entry stays under review (fuzzy)."""
    catalog, entry = _current(session, item)
    if text == entry.msgstr:
        return Decision(item, False, False)
    _stamp_machine_draft(entry)
    entry.msgstr = text
    written = write_catalog(session.path, catalog, session.config.po_width)
    return Decision(_item(session, entry), written, False)


def accept(session: ReviewSession, item: ReviewItem, reviewer: str, today: datetime.date | None = None) -> Decision:
    """Approve the draft: drop ``fuzzy`` and the previous source, record who reviewed it when."""
    catalog, entry = _current(session, item)
    if not entry.msgstr:
        raise InputError(session.file, item.line, "an empty translation cannot be accepted: edit it first")
    _stamp_machine_draft(entry)
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    date = (today or datetime.date.today()).isoformat()
    lines = [c for c in comment_lines(entry) if not c.startswith(REVIEWED_PREFIX)]
    entry.tcomment = "\n".join([*lines, f"{REVIEWED_PREFIX} {reviewer} {date}"])
    written = write_catalog(session.path, catalog, session.config.po_width)
    return Decision(_item(session, entry), written, True)


def accepted_unchanged(entry: polib.POEntry) -> bool:
    """A reviewed machine translation whose msgstr is still exactly the machine draft."""
    digest = machine_draft_digest(entry)
    return digest is not None and reviewed_line(entry) is not None and draft_digest(entry.msgstr) == digest
