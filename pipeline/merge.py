"""Merge a POT template into a PO catalog the way GNU ``msgmerge --previous`` does.

This follows gettext 0.21 (``msgmerge.c``, ``msgl-fsearch.c``, ``message.c``) and gnulib's
``fstrcmp.c``, on polib objects only: no file I/O here. Where the reading of the C source is not
obvious, the comment names the function it comes from.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import polib

__all__ = ["FUZZY_THRESHOLD", "MergeResult", "fstrcmp", "merge"]

# message.h: a fuzzy candidate must score strictly more than this.
FUZZY_THRESHOLD = 0.6
# message.c fuzzy_search_goal_function: a candidate without msgctxt, or with the same msgctxt,
# gets this tie-breaking bonus; a candidate with another msgctxt is still eligible.
_CONTEXT_BONUS = 0.00001
# msgl-fsearch.c: for l1 <= l2, fstrcmp <= 2*l1/(l1+l2), so a candidate can only pass the
# threshold if its length is within this factor of the query's.
_LENGTH_FACTOR = 2 / FUZZY_THRESHOLD - 1
# msgl-fsearch.c SHORT_MSG_MAX: msgids of fewer than 4 characters have no 4-gram, so they are
# compared with every candidate whose length in bytes is in range; those lists go up to this.
_SHORT_MSG_MAX = int(3 * 4 * _LENGTH_FACTOR)
# msgmerge.c message_merge: the header fields it knows, in the order it writes them; any other
# field follows them in its original order.
_KNOWN_HEADER_FIELDS = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding",
)
# lang-table.c language_variant_table; the plain languages come from Babel (see _language_codes).
_LANGUAGE_VARIANTS = {
    "Austrian": "de_AT", "English (British)": "en_GB", "Argentinian": "es_AR",
    "Spanish (Canary Islands)": "es_IC", "Brazilian Portuguese": "pt_BR",
    "Chinese (simplified)": "zh_CN", "Chinese (Hong Kong)": "zh_HK",
    "Chinese (traditional)": "zh_TW",
}
_RANGE = re.compile(r"range:\s*(\d+)\s*\.\.\s*(\d+)")


@dataclass(frozen=True)
class MergeResult:
    catalog: polib.POFile  # the new catalog
    added: int  # new untranslated entries
    fuzzy_matched: int  # entries filled by fuzzy match (marked fuzzy)
    obsoleted: int  # entries that became obsolete (were live and translated in the old PO)
    unchanged: int  # entries found by exact (msgctxt, msgid) match, revived obsolete ones included


def _lcs_length(masks: dict[int, int], width: int, other: bytes) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004).

    ``masks`` maps each byte of the first string to the bit set of its positions.
    """
    v = (1 << width) - 1
    for byte in other:
        u = v & masks.get(byte, 0)
        v = (v + u) | (v - u)
    return width - (v & ((1 << width) - 1)).bit_count()


def _masks(data: bytes) -> dict[int, int]:
    masks: dict[int, int] = {}
    for i, byte in enumerate(data):
        masks[byte] = masks.get(byte, 0) | (1 << i)
    return masks


def fstrcmp(s1: str, s2: str) -> float:
    """gnulib's fstrcmp on the UTF-8 bytes: (len1 + len2 - edits) / (len1 + len2).

    fstrcmp.c runs diffseq.h without its heuristics, which yields a minimal edit script of
    insertions and deletions, so edits = len1 + len2 - 2*LCS (the too-expensive cut-off starts at
    4096 diagonals, far beyond message sizes). The division is done as in C so that scores
    compare equal to the last bit.
    """
    a, b = s1.encode(), s2.encode()
    total = len(a) + len(b)
    if not a or not b:
        return float(total == 0)
    return 2 * _lcs_length(_masks(a), len(a), b) / total


def _first_msgstr(entry: polib.POEntry) -> str:
    """msgmerge tests ``msgstr[0] != '\\0'``: for plurals that is the first form."""
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


class _FuzzyIndex:
    """msgl-fsearch.c: a 4-gram index over the old catalog's translated msgids.

    Every old entry with a non-empty msgstr is a candidate, including fuzzy and obsolete ones.
    A query scores only the entries that share at least one character 4-gram with it, in order of
    decreasing shared-4-gram count then file position; the first strictly best score wins.
    """

    def __init__(self, entries: list[polib.POEntry]) -> None:
        self._entries = entries
        self._bytes = [e.msgid.encode() for e in entries]
        self._byte_counts = [Counter(b) for b in self._bytes]
        self._grams: dict[str, list[int]] = {}
        self._short: dict[int, list[int]] = {}
        for j, entry in enumerate(entries):
            if not _first_msgstr(entry):
                continue
            msgid = entry.msgid
            for k in range(len(msgid) - 3):
                postings = self._grams.setdefault(msgid[k : k + 4], [])
                if not postings or postings[-1] != j:
                    postings.append(j)
            if len(self._bytes[j]) <= _SHORT_MSG_MAX:
                self._short.setdefault(len(self._bytes[j]), []).append(j)

    def _candidates(self, msgid: str) -> list[int]:
        if len(msgid) >= 4:
            # Each occurrence of a 4-gram in the query counts once per entry containing it.
            counts: dict[int, int] = {}
            for k in range(len(msgid) - 3):
                for j in self._grams.get(msgid[k : k + 4], ()):
                    counts[j] = counts.get(j, 0) + 1
            return sorted(counts, key=lambda j: (-counts[j], j))
        length = len(msgid.encode())
        low, high = math.ceil(length / _LENGTH_FACTOR), int(length * _LENGTH_FACTOR)
        return [j for n in range(low, high + 1) for j in self._short.get(n, ())]

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        if not msgid:
            # Only an entry with msgctxt can have an empty msgid. GNU would match it with the
            # header entry, which polib keeps out of the entry list: treat it as new instead.
            return None
        query = msgid.encode()
        masks, counts = _masks(query), Counter(query)
        best, best_weight = None, FUZZY_THRESHOLD
        for j in self._candidates(msgid):
            other = self._bytes[j]
            total = len(query) + len(other)
            # fstrcmp_bounded's two upper bounds (LCS <= shorter length, LCS <= shared bytes):
            # a candidate that cannot beat the best so far is skipped without changing the winner.
            if 2.0 * min(len(query), len(other)) / total + _CONTEXT_BONUS <= best_weight:
                continue
            entry = self._entries[j]
            same_context = entry.msgctxt is None or (
                msgctxt is not None and msgctxt == entry.msgctxt
            )
            bonus = _CONTEXT_BONUS if same_context else 0.0
            shared = sum(min(n, counts[b]) for b, n in self._byte_counts[j].items())
            if 2.0 * shared / total + bonus <= best_weight:
                continue
            weight = 2 * _lcs_length(masks, len(query), other) / total + bonus
            if weight > best_weight:
                best, best_weight = entry, weight
        return best


def _nplurals(metadata: dict[str, str]) -> int:
    """plural-exp.c extract_plural_expression: nplurals from the header, else 2."""
    header = "\n".join(f"{k}: {v}" for k, v in metadata.items())
    found = re.search(r"nplurals=\s*(\d+)", header)
    # Like GNU, also require "plural=" (which "nplurals=" does not contain).
    return int(found.group(1)) if found and "plural=" in header else 2


def _range(entry: polib.POEntry) -> tuple[int, int] | None:
    for flag in entry.flags:
        if found := _RANGE.fullmatch(flag):
            return int(found.group(1)), int(found.group(2))
    return None


@cache
def _language_codes() -> dict[str, str]:
    """English language name -> code, standing in for lang-table.c's language_table."""
    from babel import Locale

    codes: dict[str, str] = {}
    for code, name in sorted(Locale("en").languages.items()):
        if code.isalpha():
            codes.setdefault(name, code)
    return codes


def _language_from_team(team: str) -> str:
    """msgmerge.c: guess ``Language`` from ``Language-Team`` when the PO has none.

    GNU keeps the line's newline in the value and only trims blanks, so the name matches the
    table only when a last word that looks like an e-mail or URL was cut off (with the newline).
    """
    value = team + "\n"
    start = max(value.rfind(" "), value.rfind("\t")) + 1
    last_word = value[start:]
    if last_word and (last_word[0] == "<" or value[-1] == ">" or "@" in value or "/" in value):
        value = value[:start].rstrip(" \t")
    return _LANGUAGE_VARIANTS.get(value) or _language_codes().get(value, "")


def _merge_header(po: polib.POFile, pot: polib.POFile) -> dict[str, str]:
    """The PO's header, fields re-ordered as msgmerge writes them, dates/bugs from the POT."""
    if not po.metadata:
        return {}  # msgmerge only merges into an existing header entry
    canonical = {name.lower(): name for name in _KNOWN_HEADER_FIELDS}
    known: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for name, value in po.metadata.items():
        if name.lower() in canonical:
            known[canonical[name.lower()]] = value
        else:
            unknown[name] = value
    if "Language" not in known and "Language-Team" in known:
        known["Language"] = _language_from_team(known["Language-Team"])
    for name in ("Report-Msgid-Bugs-To", "POT-Creation-Date"):
        if name in pot.metadata:
            known[name] = pot.metadata[name]
    # A UTF-8 template makes msgmerge convert the PO to UTF-8 and say so in the header.
    pot_type, po_type = pot.metadata.get("Content-Type", ""), known.get("Content-Type", "")
    utf8_template = re.search(r"charset=UTF-8(?![^ \t\n])", pot_type, re.IGNORECASE)
    if utf8_template and "charset=" in po_type and "charset=CHARSET" not in po_type:
        known["Content-Type"] = re.sub(r"charset=[^ \t\n]*", "charset=UTF-8", po_type)
    header = {name: known[name] for name in _KNOWN_HEADER_FIELDS if name in known}
    header.update(unknown)
    return header


def _merge_entry(
    old: polib.POEntry, ref: polib.POEntry, force_fuzzy: bool, nplurals: int
) -> polib.POEntry:
    """msgmerge.c message_merge plus match_domain's plural and previous-msgid fix-ups.

    The translation side (msgstr, translator comments, fuzziness, previous msgid) comes from the
    old entry; what xgettext produces (msgid, #. comments, #: references, format flags) comes from
    the template.
    """
    was_fuzzy = "fuzzy" in old.flags
    plural_changed = (ref.msgid_plural or "") != (old.msgid_plural or "")
    fuzzy = was_fuzzy or force_fuzzy or plural_changed
    was, now = _range(old), _range(ref)
    if was and not (now and was[0] <= now[0] and now[1] <= was[1]):
        fuzzy = True  # the translation may rely on a range the template no longer promises
    new = polib.POEntry(
        msgctxt=ref.msgctxt,
        msgid=ref.msgid,
        msgid_plural=ref.msgid_plural,
        tcomment=old.tcomment,
        comment=ref.comment,
        occurrences=list(ref.occurrences),
        obsolete=ref.obsolete,
    )
    if ref.msgid_plural and not old.msgid_plural:
        # Singular translation for a plural template: repeat it for every form.
        new.msgstr_plural = {i: old.msgstr for i in range(max(nplurals, 1))}
    elif ref.msgid_plural:
        new.msgstr_plural = dict(old.msgstr_plural)
    else:
        new.msgstr = _first_msgstr(old)  # a plural translation keeps only its first form
    # write-po.c never prints "fuzzy" on an untranslated message.
    fuzzy = fuzzy and bool(_first_msgstr(new))
    new.flags = (["fuzzy"] if fuzzy else []) + [f for f in ref.flags if f != "fuzzy"]
    # The previous msgid is the source the msgstr was translated from: the old entry's own msgid,
    # or, if it was itself fuzzy, what it already recorded. Only fuzzy translations keep it.
    if fuzzy:
        if was_fuzzy:
            prev = (old.previous_msgctxt, old.previous_msgid, old.previous_msgid_plural)
        else:
            prev = (old.msgctxt, old.msgid, old.msgid_plural or None)
        new.previous_msgctxt, new.previous_msgid, new.previous_msgid_plural = prev
    return new


def _new_entry(ref: polib.POEntry, nplurals: int) -> polib.POEntry:
    """A template entry with no counterpart: copied, with one empty msgstr per plural form."""
    new = copy.deepcopy(ref)
    if new.msgid_plural and not any(new.msgstr_plural.values()):
        new.msgstr_plural = {i: "" for i in range(nplurals)}
    if "fuzzy" not in new.flags or not _first_msgstr(new):
        new.previous_msgctxt = new.previous_msgid = new.previous_msgid_plural = None
    if not _first_msgstr(new):
        new.flags = [f for f in new.flags if f != "fuzzy"]  # as write-po.c prints it
    return new


def _obsolete_entry(old: polib.POEntry) -> polib.POEntry:
    """An unused old entry as msgmerge writes it under ``#~``."""
    gone = copy.deepcopy(old)
    gone.obsolete = True
    gone.comment, gone.occurrences = "", []
    # write-po.c message_print_obsolete keeps only fuzzy, *-format and no-wrap flags.
    gone.flags = [f for f in old.flags if f in ("fuzzy", "no-wrap") or f.endswith("-format")]
    return gone


def merge(po: polib.POFile, pot: polib.POFile) -> MergeResult:
    """Merge ``pot`` into ``po`` like ``msgmerge --previous``; neither input is modified.

    Entries come in the template's order, then the obsolete ones in the old catalog's order.
    """
    old_entries = list(po)  # file order, obsolete entries included: msgmerge searches them too
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in old_entries:
        exact.setdefault((entry.msgctxt, entry.msgid), entry)  # the first definition wins
    index: _FuzzyIndex | None = None  # built on the first miss, as msgmerge does
    nplurals = _nplurals(po.metadata)
    used: set[int] = set()
    merged: list[polib.POEntry] = []
    added = fuzzy_matched = unchanged = 0

    for ref in pot:
        old = exact.get((ref.msgctxt, ref.msgid))
        if old is not None:
            merged.append(_merge_entry(old, ref, False, nplurals))
            unchanged += 1
        else:
            if index is None:
                index = _FuzzyIndex(old_entries)
            old = index.search(ref.msgctxt, ref.msgid)
            if old is not None:
                merged.append(_merge_entry(old, ref, True, nplurals))
                fuzzy_matched += 1
            else:
                merged.append(_new_entry(ref, nplurals))
                added += 1
        if old is not None:
            used.add(id(old))

    obsoleted = 0
    for old in old_entries:
        # Untranslated leftovers vanish: msgmerge marks them obsolete, but write-po.c never
        # prints an obsolete entry with an empty msgstr.
        if id(old) not in used and _first_msgstr(old):
            merged.append(_obsolete_entry(old))
            obsoleted += not old.obsolete

    header = _merge_header(po, pot)
    utf8 = re.search(r"charset=UTF-8(?![^ \t\n])", header.get("Content-Type", ""), re.IGNORECASE)
    catalog = polib.POFile(wrapwidth=po.wrapwidth, encoding="utf-8" if utf8 else po.encoding)
    catalog.header = po.header
    catalog.metadata = header
    catalog.metadata_is_fuzzy = copy.copy(po.metadata_is_fuzzy)
    # A template entry that was itself obsolete stays obsolete; those sort after the live ones.
    catalog.extend(sorted(merged, key=lambda e: e.obsolete))
    return MergeResult(catalog, added, fuzzy_matched, obsoleted, unchanged)
