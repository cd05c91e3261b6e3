"""Catalog checks and gate verdicts for a whole project: shared by ``check``, ``build`` and ``stats``.

At 1,000 pages a catalog holds about 11,000 entries and the check registry spends most of a
second on each; so catalogs are read and checked in parallel, one locale per process, and the
findings of every entry are kept in ``.cache/checks/`` under a digest of the entry, the locale,
the glossary and the code. An unchanged entry is not checked again: a translator's rerun checks
what changed. Checks look at one entry at a time, which is what makes this sound.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

import polib

from ..catalogs import code_version, compile_catalog, is_approved, is_machine_draft, read_catalog
from ..config import Config
from ..errors import InputError
from ..files import write_bytes_atomic
from ..source import Page, load_pages
from .base import ERROR, Finding
from .claims import CHECK_ID as CLAIMS, Claim, load_claims_for
from .gate import DISCLAIMER_CONTEXT, Verdict, catalog_verdict
from .glossary import Term, load_glossary
from .registry import all_checks, check_catalog


Key = tuple[str | None, str]
_LISTED = 10  # entries named in a reason; the rest are counted
PUBLISHED_RECORD = "published.json"


class LocaleState:
    """One locale's catalog (``None``: there is none yet) and the check registry's findings on it.

    A state made by ``assess`` does not hold the catalog: what a build or a check needs of it
    (the approved translations, the disclaimer verdicts and lines, for a build the compiled MO)
    is worked out where the catalog was read, and eight large catalogs would be most of a
    build's memory. Its ``catalog`` reads the file again when asked. States are not modified
    (``share_strings`` only swaps equal strings).
    """

    def __init__(
        self, locale: str, file: str, catalog: polib.POFile | None, findings: tuple[Finding, ...],
        *, reread: Callable[[], polib.POFile] | None = None,
    ) -> None:
        self.locale = locale
        self.file = file
        self.findings = findings
        self.exists = catalog is not None or reread is not None
        self._catalog = catalog
        self._reread = reread
        self.mo: bytes | None = None  # the approved entries compiled, in a state made for a build
        # (msgctxt, msgid, msgstr) the last build published in this locale, and how to show an
        # outdated entry: set by ``assess`` (``use_record``), never cached with the state
        self.published: frozenset[tuple[str | None, str, str]] = frozenset()
        self.outdated_mode = "withhold"
        self._outdated: dict[Key, str] | None = None

    def use_record(self, published: frozenset[tuple[str | None, str, str]], mode: str) -> None:
        """What the last build published here, which makes an entry outdated rather than withheld."""
        self.published, self.outdated_mode, self._outdated = published, mode, None

    @property
    def catalog(self) -> polib.POFile | None:
        if self._catalog is None and self._reread is not None:
            self._catalog = self._reread()
        return self._catalog

    def for_build(self, mo: bytes | None, reread: Callable[[], polib.POFile]) -> LocaleState:
        """This state without its catalog: the views a build or a check needs, computed now, and
        the MO (for a build). Small enough to keep and load again quickly: a pickled catalog of
        11,000 entries took longer to save and load than to parse."""
        state = LocaleState(self.locale, self.file, None, self.findings, reread=reread)
        state.mo = mo
        disclaimers = {e.msgid: e.linenum for e in self.catalog if e.msgctxt == DISCLAIMER_CONTEXT and not e.obsolete}
        # cached_property values live in __dict__: hand them over
        state.__dict__.update(
            error_keys=self.error_keys, _approved=self._approved, _complete=True,
            _disclaimer_problems={msgid: self._problems(msgid) for msgid in disclaimers},
            _disclaimer_lines=disclaimers, _lines=self._lines, _unapproved=self._unapproved,
            _candidates=self._candidates, drafts=self.drafts,
        )
        return state

    def _live(self) -> Iterator[polib.POEntry]:
        return (e for e in (self.catalog if self.exists else []) if not e.obsolete and e.msgid and not e.msgid_plural)

    @cached_property
    def _lines(self) -> dict[Key, int]:
        """The line of each live entry's msgid: where ``build``, ``check`` and ``stats`` point."""
        return {(e.msgctxt, e.msgid): e.linenum for e in self._live()}

    @cached_property
    def _unapproved(self) -> dict[Key, str]:
        """Why each live entry that pages may not show is not approved."""
        failed: dict[Key, list[str]] = {}
        for f in self.findings:
            if f.severity == ERROR and f.check not in failed.setdefault((f.msgctxt, f.msgid), []):
                failed[(f.msgctxt, f.msgid)].append(f.check)
        why = {}
        for e in self._live():
            key = (e.msgctxt, e.msgid)
            if key in self._approved:
                continue
            if not e.msgstr:
                why[key] = "untranslated"
            elif e.fuzzy and is_machine_draft(e):
                why[key] = "unreviewed machine translation"
            elif e.fuzzy:
                why[key] = "fuzzy: its English changed" if e.previous_msgid else "fuzzy"
            elif failed.get(key):
                why[key] = "fails check " + ", ".join(failed[key])
            else:
                why[key] = "not approved"
        return why

    @cached_property
    def _candidates(self) -> dict[Key, tuple[str | None, str, str]]:
        """Entries fuzzy only because their English changed: a previous msgid, a human
        translation (not an unreviewed machine draft), no error finding, not the disclaimer.
        key -> (previous msgctxt, previous msgid, msgstr): outdated if the last build published that."""
        errors = self.error_keys
        return {
            (e.msgctxt, e.msgid): (e.previous_msgctxt, e.previous_msgid, e.msgstr)
            for e in self._live()
            if e.fuzzy and e.msgstr and e.previous_msgid and e.msgctxt != DISCLAIMER_CONTEXT
            and (e.msgctxt, e.msgid) not in errors and not is_machine_draft(e)
        }

    @cached_property
    def drafts(self) -> frozenset[Key]:
        """Fuzzy entries: never published as they are, so their findings block nothing."""
        return frozenset((e.msgctxt, e.msgid) for e in self._live() if e.fuzzy)

    def outdated(self) -> dict[Key, str]:
        """Entries the last build published for their previous English: key -> that translation
        (empty with ``outdated = "withhold"``)."""
        if self._outdated is None:
            published = self.published
            self._outdated = {} if self.outdated_mode == "withhold" else {
                key: previous[2] for key, previous in self._candidates.items() if previous in published
            }
        return self._outdated

    def location(self, key: Key) -> str:
        """``locales/<l>/LC_MESSAGES/messages.po:LINE`` of the entry's msgid."""
        line = self._lines.get(key)
        return f"{self.file}:{line}" if line is not None else f"{self.file}: no entry for {key[1][:60]!r}"

    def outdated_entries(self, page: Page) -> tuple[str, ...]:
        """Where the page's outdated entries are, in catalog order."""
        outdated = self.outdated()
        return tuple(self.location(k) for k in self._in_order(k for k in page.keys if k in outdated))

    def holding_back(self, page: Page) -> tuple[str, ...]:
        """Each entry of the page that it may not show: ``file:line (why)``, in catalog order."""
        approved, outdated = self._approved, self.outdated()
        keys = self._in_order(k for k in page.keys if k not in approved and k not in outdated)
        return tuple(f"{self.location(k)} ({self._unapproved.get(k, 'not approved')})"
                     if k in self._lines else f"{self.location(k)} (run `l10n update`)" for k in keys)

    def published_pairs(self, page: Page) -> set[tuple[str | None, str, str]]:
        """What showing ``page`` publishes: approved pairs, and for an outdated entry the pair
        that made it outdated (so that the next build still knows it)."""
        approved, outdated = self._approved, self.outdated()
        pairs = {(*k, approved[k]) for k in page.keys if k in approved}
        return pairs | {self._candidates[k] for k in page.keys if k in outdated}

    def relevant(self, pair: tuple[str | None, str, str]) -> bool:
        """Whether a recorded pair can still make an entry outdated (kept in the record)."""
        return pair[:2] in self._lines or pair[:2] in self._previous_keys

    @cached_property
    def _previous_keys(self) -> frozenset[Key]:
        return frozenset(previous[:2] for previous in self._candidates.values())

    def _in_order(self, keys: Iterable[Key]) -> list[Key]:
        return sorted(keys, key=lambda k: self._lines.get(k, 0))

    def disclaimer_line(self, msgid: str) -> int:
        """The line of the disclaimer ``msgid`` in the catalog (1 when it has none)."""
        lines = self.__dict__.get("_disclaimer_lines")
        if lines is not None:
            return lines.get(msgid, 1)
        entry = self.catalog.find(msgid, msgctxt=DISCLAIMER_CONTEXT) if self.catalog is not None else None
        return entry.linenum if entry is not None else 1

    # The views below are computed once per state (a build asks for them for every page and
    # locale; recomputing them made a 1,000-page build quadratic).
    @cached_property
    def error_keys(self) -> frozenset[tuple[str | None, str]]:
        return frozenset((f.msgctxt, f.msgid) for f in self.findings if f.severity == ERROR)

    @cached_property
    def _approved(self) -> dict[tuple[str | None, str], str]:
        if not self.exists:
            return {}
        errors = self.error_keys
        return {
            (e.msgctxt, e.msgid): e.msgstr
            for e in self.catalog
            if not e.msgid_plural and is_approved(e) and (e.msgctxt, e.msgid) not in errors
        }

    @cached_property
    def _disclaimer_problems(self) -> dict[str, tuple[str, ...]]:
        return {}  # disclaimer msgid -> its problems; pages share one disclaimer

    def _problems(self, msgid: str) -> tuple[str, ...]:
        problems = self._disclaimer_problems.get(msgid)
        if problems is None:
            # A state for a build knows the verdict of every disclaimer its catalog has: another
            # msgid is judged as missing, without reading the catalog again.
            catalog = polib.POFile() if self.__dict__.get("_complete") else self.catalog
            problems = self._disclaimer_problems[msgid] = tuple(catalog_verdict(catalog, msgid, list(self.findings)))
        return problems

    def approved(self) -> dict[tuple[str | None, str], str]:
        """Approved translations without an error finding: what pages may show (do not modify)."""
        return self._approved

    @cached_property
    def _claims(self) -> dict[tuple[str | None, str], tuple[str, ...]]:
        """(msgctxt, msgid) -> the prohibited claims in its translation (the disclaimer's are
        among its own problems already)."""
        found: dict[tuple[str | None, str], tuple[str, ...]] = {}
        for f in self.findings:
            if f.check == CLAIMS and f.msgctxt != DISCLAIMER_CONTEXT:
                found[(f.msgctxt, f.msgid)] = (*found.get((f.msgctxt, f.msgid), ()), f"{f.file}:{f.line}: {f.message}")
        return found

    def verdict(self, page: Page) -> Verdict:
        if not self.exists:
            return Verdict(page.slug, self.locale, ("there is no catalog for this locale",), 0, len(page.keys))
        keys, approved, outdated = page.keys, self._approved, self.outdated()
        problems = self._problems(page.disclaimer.msgid)
        if self._claims:  # a prohibited claim withholds the page version, whatever the threshold
            problems += tuple(p for m in page.messages for p in self._claims.get(m.key, ()))
        return Verdict(page.slug, self.locale, problems, sum(k in approved for k in keys), len(keys),
                       sum(k in outdated for k in keys))

    def reasons(self, page: Page, verdict: Verdict, threshold: float) -> tuple[str, ...]:
        """Why the page is not published here, naming the entries responsible."""
        if verdict.disclaimer_problems:
            key = (DISCLAIMER_CONTEXT, page.disclaimer.msgid)
            where = self.location(key) if key in self._lines else self.file
            return tuple(f"{problem}: {where}" for problem in verdict.disclaimer_problems)
        entries = self.holding_back(page)
        more = f"; and {len(entries) - _LISTED} more" if len(entries) > _LISTED else ""
        shown = "; ".join(entries[:_LISTED]) + more
        return (f"{verdict.percent:.0f}% approved, below the publish threshold of {threshold:g}%: {shown}",)


def published_record(config: Config) -> dict[str, frozenset[tuple[str | None, str, str]]]:
    """Per locale, the (msgctxt, msgid, msgstr) the last build published (``.cache/published.json``;
    missing or damaged: nothing is known, so nothing is outdated)."""
    try:
        data = json.loads((config.cache_dir / PUBLISHED_RECORD).read_text(encoding="utf-8"))
        return {loc: frozenset((c, m, s) for c, m, s in pairs) for loc, pairs in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def load_glossary_for(config: Config) -> tuple[Term, ...]:
    return load_glossary(config.glossary_path, config.relative(config.glossary_path), config.locales)


def assess(
    config: Config, locales: tuple[str, ...] | None = None, build: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, LocaleState]:
    """Read every catalog and run the check registry over each (several locales at once when
    the catalogs are large); the first bad catalog, in locale order, is the ``InputError``.
    With ``build``, the states come without their catalogs but with their MO (``for_build``).

    The state of a catalog is kept in ``.cache/states/`` under its bytes (and the glossary, the
    code, the config): an unchanged catalog is not even parsed again. ``meanwhile`` runs in
    this process while worker processes check the catalogs (see ``in_parallel``)."""
    glossary = load_glossary_for(config)
    claims = load_claims_for(config)
    chosen = tuple(locales or config.locales)
    found = {loc: _cached_state(config, loc, glossary, build, claims) for loc in chosen}
    sizes = {loc: config.po_path(loc).stat().st_size if config.po_path(loc).is_file() else 0
             for loc in chosen if found[loc] is None}
    missing = sorted(sizes, key=sizes.__getitem__, reverse=True)  # largest first: even shares
    # A process costs tens of milliseconds to start: worth it only for large catalogs.
    parallel = sum(sizes.values()) > _PARALLEL_BYTES
    jobs = [(config, loc, glossary, build, os.getpid(), claims) for loc in missing]
    found.update(zip(missing, in_parallel(_assess_locale, jobs, parallel, meanwhile)))
    states = {}
    for locale in chosen:
        outcome = found[locale]
        if outcome == _IN_CACHE:  # a worker's state, read from where it kept it
            outcome = _cached_state(config, locale, glossary, build, claims) or _assess_locale(
                (config, locale, glossary, build, os.getpid(), claims))
        if isinstance(outcome, _Failure):
            raise InputError(outcome.path, outcome.line, outcome.message)
        states[locale] = outcome
    record = published_record(config)
    for locale, state in states.items():
        state.use_record(record.get(locale, frozenset()), config.outdated)
    return states


def pages_and_states(
    config: Config, locales: tuple[str, ...] | None = None, build: bool = False
) -> tuple[list[Page], dict[str, LocaleState]]:
    """The source pages and ``assess``'s states; the pages are read while worker processes
    check the catalogs. A bad page is reported before a bad catalog."""
    loaded: list[list[Page]] = []
    states = assess(config, locales, build, meanwhile=lambda: loaded.append(load_pages(config)))
    return loaded[0], states


def _state_key(config: Config, locale: str, glossary: tuple[Term, ...], build: bool, data: bytes,
               claims: tuple[Claim, ...]) -> tuple[Path, bytes]:
    """Where a locale's state is kept, and the digest of what it comes from: the catalog's bytes."""
    context = repr((_CACHE_FORMAT, locale, config.relative(config.po_path(locale)), glossary, claims, code_version(),
                    config, build))
    name = f"{locale}.pickle" if build else f"{locale}.catalog.pickle"
    return config.cache_dir / "states" / name, hashlib.sha256(context.encode() + data).digest()


def _cached_state(config: Config, locale: str, glossary: tuple[Term, ...], build: bool,
                  claims: tuple[Claim, ...]) -> LocaleState | None:
    try:
        cache_path, key = _state_key(config, locale, glossary, build, config.po_path(locale).read_bytes(), claims)
        cached_key, state = pickle.loads(cache_path.read_bytes())
    except Exception:  # no catalog, no state kept, from another version, or damaged: work it out
        return None
    return state if cached_key == key else None


def share_strings(states: Iterable[LocaleState]) -> None:
    """One string object for each msgid across the locales' approved tables (each came from its
    own process with its own copies): at 1,000 pages, tens of megabytes less, and less for a
    forked worker to copy. The tables are changed in place: lookups made on them stay valid."""
    shared: dict[str, str] = {}
    for state in states:
        table = state.approved()
        for key, msgstr in list(table.items()):
            msgid = shared.setdefault(key[1], key[1])
            if msgid is not key[1]:
                del table[key]
                table[(key[0], msgid)] = msgstr


_PARALLEL_BYTES = 2_000_000
_CACHE_FORMAT = 3


@dataclass(frozen=True)
class _Failure:
    """An ``InputError`` on its way back from a worker process (exceptions with our own
    constructor arguments do not survive pickling)."""

    path: str | None
    line: int | None
    message: str


Job = TypeVar("Job")
Result = TypeVar("Result")


def workers() -> int:
    """Processes for independent work: every core, or ``L10N_JOBS``."""
    try:
        return max(1, int(os.environ.get("L10N_JOBS", "")))
    except ValueError:
        return os.cpu_count() or 1


def in_parallel(
    work: Callable[[Job], Result], jobs: Iterable[Job], parallel: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> list[Result]:
    """``[work(job) for job in jobs]``, in worker processes when ``parallel`` and there are
    several cores; ``work`` must be a module-level function and jobs and results picklable.
    ``meanwhile`` (run once in any case) is work of this process's own: the workers then take
    every job while it runs."""
    jobs = list(jobs)
    count = min(workers(), len(jobs)) if parallel else 1
    # fork copies only the calling thread: with other threads about (``l10n serve``) stay in one.
    if count <= 1 or threading.active_count() > 1:
        if meanwhile is not None:
            meanwhile()
        return [work(job) for job in jobs]
    # fork: the workers start with the modules already imported (forkserver/spawn re-import)
    # and the data this process holds, shared until written to. Every object a worker reads has
    # its reference count written, so each worker ends up with its own copy of much of it: this
    # process takes a share of the jobs itself, one worker fewer and one copy fewer (at 1,000
    # pages, 100 MB): every ``count``-th job, so that with jobs ordered largest first its share
    # weighs about as much as a worker's. Frozen, the garbage collector leaves that data alone.
    mine = set() if meanwhile is not None else set(range(0, len(jobs), count))
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count if meanwhile is not None else count - 1, mp_context=context) as pool:
            theirs = {i: pool.submit(work, job) for i, job in enumerate(jobs) if i not in mine}
            if meanwhile is not None:
                meanwhile()
            done = {i: work(jobs[i]) for i in sorted(mine)}
            return [done[i] if i in mine else theirs[i].result() for i in range(len(jobs))]
    finally:
        gc.unfreeze()


# What a worker process returns for a state it kept in ``.cache/states/``: the parent reads the
# file. Sent back through the pool's pipe instead, ten megabytes of state stalled the worker
# for a second while the parent, busy with its own share, took it in.
_IN_CACHE = "in .cache/states"


def _assess_locale(
    job: tuple[Config, str, tuple[Term, ...], bool, int, tuple[Claim, ...]]
) -> LocaleState | _Failure | str:
    config, locale, glossary, build, parent, claims = job
    path = config.po_path(locale)
    file = config.relative(path)
    if not path.is_file():
        return LocaleState(locale, file, None, ())
    try:
        data = path.read_bytes()
    except OSError:
        data = None  # read_catalog reports it
    try:
        catalog = read_catalog(path, config, data)
    except InputError as exc:
        return _Failure(exc.path, exc.line, exc.message)
    state = LocaleState(locale, file, catalog, tuple(_findings(config, locale, file, catalog, glossary, claims)))
    mo = _compiled(config, locale, catalog, state.error_keys) if build else None
    state = state.for_build(mo, partial(read_catalog, path, config))
    if data is not None:
        cache_path, key = _state_key(config, locale, glossary, build, data, claims)
        try:
            write_bytes_atomic(cache_path, pickle.dumps((key, state), protocol=5))
        except OSError:
            return state  # a read-only project is only not faster next time
        if os.getpid() != parent:
            return _IN_CACHE
    return state


def _compiled(config: Config, locale: str, catalog: polib.POFile, errors: frozenset) -> bytes:
    """The catalog's MO; Babel takes a second for a large catalog, so the bytes are kept in
    ``.cache/mo/`` under a digest of the entries they come from."""
    entries = [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()), bool(e.obsolete),
                e.fuzzy) for e in catalog]
    key = hashlib.sha256(pickle.dumps((code_version(), locale, sorted(errors, key=repr), entries))).digest()
    path = config.cache_dir / "mo" / f"{locale}.pickle"
    try:
        cached_key, mo = pickle.loads(path.read_bytes())
    except Exception:  # missing or damaged: compile
        cached_key, mo = None, b""
    if cached_key != key:
        mo = compile_catalog(catalog, locale, errors)
        try:
            write_bytes_atomic(path, pickle.dumps((key, mo)))
        except OSError:
            pass
    return mo


def _findings(
    config: Config, locale: str, file: str, catalog: polib.POFile, glossary: tuple[Term, ...],
    claims: tuple[Claim, ...] = (),
) -> list[Finding]:
    """``check_catalog`` over the catalog, taking the findings of unchanged entries from the cache."""
    cache_path = config.cache_dir / "checks" / f"{locale}.pickle"
    context = hashlib.sha256(repr((_CACHE_FORMAT, locale, glossary, claims, code_version())).encode()).hexdigest()
    try:
        with open(cache_path, "rb") as handle:
            cached = pickle.load(handle)
        known = cached["units"] if cached.get("context") == context else {}
    except Exception:  # missing, from another version, or damaged: check everything again
        known = {}
    checks = all_checks(glossary, claims)
    units: dict[bytes, tuple[tuple[str, str, str], ...]] = {}
    findings = []
    checked = 0
    for entry in catalog:
        key = _unit_key(entry)
        found = known.get(key)
        if found is None:
            checked += 1
            found = tuple((f.check, f.severity, f.message) for f in check_catalog([entry], locale, file, checks))
        units[key] = found
        findings += [Finding(locale, file, entry.linenum, entry.msgctxt, entry.msgid, check, severity, message)
                     for check, severity, message in found]
    if checked or len(units) != len(known):
        try:
            write_bytes_atomic(cache_path, pickle.dumps({"context": context, "units": units}, protocol=5))
        except OSError:
            pass  # a read-only project still gets checked, only not faster next time
    return findings


def _unit_key(entry: polib.POEntry) -> bytes:
    """What ``check_catalog`` looks at in an entry."""
    unit = (entry.obsolete, entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, tuple(entry.flags))
    return hashlib.sha1(repr(unit).encode(), usedforsecurity=False).digest()
