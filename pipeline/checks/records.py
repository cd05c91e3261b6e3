"""The translator comments that say who did what to an entry: ``# machine translation: ...``
(written by ``l10n translate``) and ``# reviewed: NAME YYYY-MM-DD`` (written by ``l10n review``,
or by hand by a translator who works in Poedit or a text editor).

The disclaimer is published only with a well-formed review record: clearing ``fuzzy`` in a PO
editor or with ``msgattrib --clear-fuzzy`` leaves no such record, so it is not a review.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import polib

MT_PREFIX = "machine translation:"
REVIEWED_PREFIX = "reviewed:"
RECORD_FORMAT = "# reviewed: NAME YYYY-MM-DD"
_RECORD = re.compile(r"reviewed:\s+(?P<name>\S.*?)\s+(?P<date>\d{4}-\d{2}-\d{2})\s*")


@dataclass(frozen=True)
class ReviewRecord:
    reviewer: str
    date: str  # ISO 8601, YYYY-MM-DD


def _comment_lines(entry: polib.POEntry) -> list[str]:
    return entry.tcomment.split("\n") if entry.tcomment else []


def review_record(entry: polib.POEntry) -> ReviewRecord | None:
    """The entry's last well-formed ``# reviewed:`` record (None: it has none)."""
    found = None
    for line in _comment_lines(entry):
        match = _RECORD.fullmatch(line.strip())
        if match and _valid_date(match["date"]):
            found = ReviewRecord(match["name"], match["date"])
    return found


def review_problem(entry: polib.POEntry, what: str = "the disclaimer") -> str | None:
    """Why ``entry`` does not count as reviewed by a named person (None: it does)."""
    if review_record(entry) is not None:
        return None
    lines = _comment_lines(entry)
    written = next((line.strip() for line in lines if line.strip().startswith(REVIEWED_PREFIX)), None)
    if written is not None:
        return f"{what}'s review record {written!r} does not read {RECORD_FORMAT!r}"
    machine = next((line.strip() for line in lines if line.strip().startswith(MT_PREFIX)), None)
    if machine is not None:
        return (f"{what} is a machine translation ({machine!r}) with no review record: "
                f"a reviewer must add {RECORD_FORMAT!r} (`l10n review`)")
    return f"{what} has no review record: a reviewer must add {RECORD_FORMAT!r} (`l10n review`)"


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
