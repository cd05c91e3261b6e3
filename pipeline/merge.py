"""Merge a POT template into a PO catalog the way GNU ``msgmerge --previous`` does.

This follows gettext 0.21 (``msgmerge.c``, ``msgl-fsearch.c``, ``message.c``) and gnulib's
``fstrcmp.c``, on polib objects only: no file I/O here. Where the reading of the C source is not
obvious, the comment names the function it comes from.
"""

from __future__ import annotations

import copy
import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from heapq import heappop, heappush
from typing import Iterator

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


def _lcs_length(masks: list[int], width: int, other: bytes) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004).

    ``masks[byte]`` is the bit set of the positions of ``byte`` in the first string.
    """
    v = (1 << width) - 1
    for byte in other:
        u = v & masks[byte]
        v = (v + u) | (v - u)
    return width - (v & ((1 << width) - 1)).bit_count()


def _masks(data: bytes) -> list[int]:
    masks = [0] * 256  # a list, not a dict: indexing it is the inner loop of every comparison
    for i, byte in enumerate(data):
        masks[byte] |= 1 << i
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
    """msgl-fsearch.c's fuzzy search over the old catalog's translated msgids.

    Every old entry with a non-empty msgstr is a candidate, including fuzzy and obsolete ones.
    GNU scores the entries that share at least one character 4-gram with the query, in order of
    decreasing shared-4-gram count then file position, and the first strictly best score wins:
    that is, the best score, ties going to the most shared 4-grams, then to the first in the file.

    So the order of scoring is free, and here candidates are scored in decreasing order of an
    upper bound on their score, so that once the best score beats the highest bound left,
    nothing further can win. Two bounds: ``2 * shorter / (sum of lengths)``, which rules out
    whole lengths at once, and fstrcmp_bounded's (the LCS is at most the bytes the two strings
    have in common), taken on byte counts packed into one integer a string, a field per byte
    value, so that a candidate costs a few integer operations instead of a loop over its bytes.
    A reworded message in a catalog of sentences of similar length meets hundreds of candidates
    of about its length; the byte bound leaves one or two to score. Whether a candidate shares a
    4-gram is a few substring tests, and its 4-gram count is needed only to break an exact tie;
    GNU's 4-gram index, which took most of a merge to build in Python, is not needed.

    ``update`` merges the same template into catalogs that usually hold the same msgids in the
    same order (one per locale), and a search depends on nothing else: the msgids, contexts and
    translated-or-not of the old entries. So search results are kept for the next catalog of the
    same shape (``for_entries``).
    """

    _last: "_FuzzyIndex | None" = None

    def __init__(self, entries: list[polib.POEntry], shape: tuple) -> None:
        self._shape = shape
        self._entries = entries
        self._bytes = [e.msgid.encode() for e in entries]
        self._results: dict[tuple[str | None, str], int | None] = {}
        self._by_length: dict[int, list[int]] = {}  # length in bytes -> candidates, in file order
        for j, entry in enumerate(entries):
            if _first_msgstr(entry):
                self._by_length.setdefault(len(self._bytes[j]), []).append(j)
        self._lengths = sorted(self._by_length)
        # The packed byte counts: a field of ``width`` bits per byte value the candidates use,
        # wide enough that no count reaches the field's top ("guard") bit and no sum of counts
        # reaches 2**width - 1, the modulus that adds the fields up.
        longest = self._lengths[-1] if self._lengths else 0
        candidates = b"".join(self._bytes[j] for n in self._lengths for j in self._by_length[n])
        alphabet = [byte for byte in range(256) if bytes((byte,)) in candidates]  # a C scan a byte value
        width = (longest + 1).bit_length() + 1
        self._width, self._longest = width, longest
        self._unit = [0] * 256  # byte -> 1 in its field (0: no candidate has it, no field)
        for field, byte in enumerate(alphabet):
            self._unit[byte] = 1 << (width * field)
        self._guards = sum(self._unit) << (width - 1)
        self._packed: dict[int, list[int]] = {}  # length -> its candidates' packed counts, as needed

    @classmethod
    def for_entries(cls, entries: list[polib.POEntry]) -> "_FuzzyIndex":
        shape = tuple((e.msgctxt, e.msgid, bool(_first_msgstr(e))) for e in entries)
        index = cls._last
        if index is None or index._shape != shape:
            index = cls._last = cls(entries, shape)
        index._entries = entries
        return index

    def search(self, msgctxt: str | None, msgid: str, hint: int = 0) -> polib.POEntry | None:
        """The best old entry for a new message. ``hint``: the position of the old entry that
        likely is its previous version (after the one the previous message matched); scoring it
        first makes the bounds cut the rest short. It never changes the result."""
        if (msgctxt, msgid) not in self._results:
            self._results[(msgctxt, msgid)] = self._search(msgctxt, msgid, hint)
        found = self._results[(msgctxt, msgid)]
        return None if found is None else self._entries[found]

    def _packed_of(self, length: int) -> list[int]:
        """The packed byte counts of the candidates of this length (computed once)."""
        packed = self._packed.get(length)
        if packed is None:
            unit = self._unit.__getitem__
            packed = self._packed[length] = [sum(map(unit, self._bytes[j])) for j in self._by_length[length]]
        return packed

    def _search(self, msgctxt: str | None, msgid: str, hint: int) -> int | None:
        if not msgid:
            # Only an entry with msgctxt can have an empty msgid. GNU would match it with the
            # header entry, which polib keeps out of the entry list: treat it as new instead.
            return None
        if len(msgid) < 4:
            return self._search_short(msgctxt, msgid)
        query = msgid.encode()
        size = len(query)
        masks = _masks(query)
        grams = [msgid[k : k + 4] for k in range(len(msgid) - 3)]
        distinct = set(grams)
        best, best_weight, best_count = None, FUZZY_THRESHOLD, 0

        # The query's packed counts, each capped at the longest candidate: min(count, cap) is
        # min(count, c) for every candidate count c, and the field keeps its guard bit clear.
        width, cap = self._width, self._longest
        packed_query = 0
        for byte in set(query):
            if self._unit[byte]:
                packed_query += min(query.count(byte), cap) * self._unit[byte]
        guarded_query, guards, shift, modulus = packed_query | self._guards, self._guards, width - 1, (1 << width) - 1

        def score(j: int) -> None:
            nonlocal best, best_weight, best_count
            entry = self._entries[j]
            same_context = entry.msgctxt is None or (msgctxt is not None and msgctxt == entry.msgctxt)
            bonus = _CONTEXT_BONUS if same_context else 0.0
            total = size + len(self._bytes[j])
            weight = 2 * _lcs_length(masks, size, self._bytes[j]) / total + bonus
            if weight < best_weight or (weight == best_weight and best is None):
                return
            other_msgid = entry.msgid
            if distinct.isdisjoint(other_msgid[k : k + 4] for k in range(len(other_msgid) - 3)):
                return  # no 4-gram in common: GNU never looks at it
            count = sum(gram in other_msgid for gram in grams)  # GNU's shared-4-gram count
            if weight > best_weight or count > best_count or (count == best_count and j < best):
                best, best_weight, best_count = j, weight, count

        if 0 <= hint < len(self._entries) and _first_msgstr(self._entries[hint]):
            score(hint)
        # Best first, so that the best score rises fast even when the hint was no help: lengths
        # come in decreasing order of their bound, and a length's candidates join the heap under
        # their own bound when it is the highest left. Bounds compare with "<", not GNU's "<=":
        # a tie may still win on 4-gram count.
        lengths = self._nearest_lengths(size)
        length = next(lengths, None)
        heap: list[tuple[float, int]] = []  # (-bound, candidate)
        while True:
            length_bound = -1.0 if length is None else 2.0 * min(size, length) / (size + length) + _CONTEXT_BONUS
            if heap and -heap[0][0] >= length_bound:
                bound, j = heappop(heap)
                if -bound < best_weight:
                    break  # nothing left can reach the best
                score(j)
                continue
            if length_bound < best_weight:
                break
            total = size + length
            # The fewest bytes in common whose bound (with the context bonus, at most) reaches
            # the best: the same float expression decides, so that ties stay exactly ties.
            need = max(int((best_weight - _CONTEXT_BONUS) * total / 2), 0)
            while need > 0 and 2.0 * (need - 1) / total + _CONTEXT_BONUS >= best_weight:
                need -= 1
            while 2.0 * need / total + _CONTEXT_BONUS < best_weight:
                need += 1
            for j, counts in zip(self._by_length[length], self._packed_of(length)):
                # fstrcmp_bounded's bound: the LCS is at most the bytes in common, the sum of
                # the smaller counts. A field's guard bit survives (q | guard) - c where q >= c.
                larger = (guarded_query - counts) & guards
                larger -= larger >> shift  # all value bits of those fields
                shared = ((counts & larger) + packed_query - (packed_query & larger)) % modulus
                if shared >= need:
                    heappush(heap, (-(2.0 * shared / total + _CONTEXT_BONUS), j))
            length = next(lengths, None)
        return best

    def _nearest_lengths(self, size: int) -> Iterator[int]:
        """The candidates' lengths in decreasing order of the bound ``2 * min / sum``."""
        lengths = self._lengths
        above = bisect_left(lengths, size)
        below = above - 1
        while below >= 0 or above < len(lengths):
            # the bound is 2 * below / (size + below) under the size, 2 * size / (size + above) over it
            if above >= len(lengths) or (
                below >= 0 and lengths[below] * (size + lengths[above]) > size * (size + lengths[below])
            ):
                yield lengths[below]
                below -= 1
            else:
                yield lengths[above]
                above += 1

    def _search_short(self, msgctxt: str | None, msgid: str) -> int | None:
        """msgids of fewer than 4 characters have no 4-gram: GNU compares them with every
        candidate whose length in bytes is in range, by length then file position."""
        query = msgid.encode()
        masks = _masks(query)
        low, high = math.ceil(len(query) / _LENGTH_FACTOR), int(len(query) * _LENGTH_FACTOR)
        best, best_weight = None, FUZZY_THRESHOLD
        for j in (j for n in range(low, high + 1) for j in self._by_length.get(n, ())):
            other = self._bytes[j]
            total = len(query) + len(other)
            entry = self._entries[j]
            same_context = entry.msgctxt is None or (msgctxt is not None and msgctxt == entry.msgctxt)
            weight = 2 * _lcs_length(masks, len(query), other) / total + (_CONTEXT_BONUS if same_context else 0.0)
            if weight > best_weight:
                best, best_weight = j, weight
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
    exact: dict[tuple[str | None, str], int] = {}  # -> position in old_entries
    for position, entry in enumerate(old_entries):
        exact.setdefault((entry.msgctxt, entry.msgid), position)  # the first definition wins
    index: _FuzzyIndex | None = None  # built on the first miss, as msgmerge does
    nplurals = _nplurals(po.metadata)
    used: set[int] = set()
    merged: list[polib.POEntry] = []
    added = fuzzy_matched = unchanged = 0

    after = 0  # the old position after the last match: where an edited message likely was
    for ref in pot:
        position = exact.get((ref.msgctxt, ref.msgid))
        if position is not None:
            old = old_entries[position]
            after = position + 1
            merged.append(_merge_entry(old, ref, False, nplurals))
            unchanged += 1
        else:
            if index is None:
                index = _FuzzyIndex.for_entries(old_entries)
            old = index.search(ref.msgctxt, ref.msgid, hint=after)
            if old is not None:
                merged.append(_merge_entry(old, ref, True, nplurals))
                fuzzy_matched += 1
                after += 1
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
