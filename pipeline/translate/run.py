"""``l10n translate``: fill empty entries with fuzzy, attributed machine translations.

Every input (catalogs, glossary, keys, cache) is read and checked before anything is sent. Then
each distinct masked text is sent once per target language, concurrently within the provider's
rate limit. Answers land in the cache as they come and in the catalogs at checkpoints and at the
end (atomically, also when a locale or the whole run fails), so a rerun continues where this one
stopped and sends nothing twice.
"""

from __future__ import annotations

import copy
import datetime
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from ..catalogs import read_catalog, stamp_revision, write_catalog
from ..glossary import load_glossary
from ..config import Config, source_date_epoch
from ..errors import InputError
from .cache import CacheKey, TranslationCache
from .answers import as_text, refusal
from .masking import Masked, Masker, unmask
from .providers import Provider, provider_named
from .transport import (
    KeyRejected, ProviderError, RateLimit, RetryPolicy, Transport, redact, url_secrets,
)

COMMENT_PREFIX = "machine translation:"
CACHE_FILE = "translations.sqlite3"
# Seconds between catalog saves while answers come in. Every answer is in the cache at once,
# so a killed run loses no paid-for work; saves are what a failing run leaves in the catalogs.
CHECKPOINT = 30.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LeftEmpty:
    """An entry whose answer could not be used: it stays empty and is reported."""

    file: str
    line: int
    msgid: str
    reason: str


@dataclass(frozen=True)
class LocaleOutcome:
    locale: str
    file: str
    code: str | None  # the provider's code for the locale
    empty: int  # empty entries found
    filled: int  # entries now holding a machine translation
    sent: int  # texts sent (in a dry run: that would be sent)
    cached: int  # entries answered from the cache
    failed: int  # entries still empty
    characters: int  # characters sent (what providers bill)
    error: str | None  # why this locale failed (exit 1)
    left_empty: tuple[LeftEmpty, ...] = ()


@dataclass(frozen=True)
class TranslateResult:
    provider: str | None
    endpoint: str | None
    dry_run: bool
    locales: tuple[LocaleOutcome, ...]

    @property
    def failed(self) -> bool:
        return any(o.error for o in self.locales)

    def total(self, name: str) -> int:
        return sum(getattr(o, name) for o in self.locales)


@dataclass
class _Draft:
    """One empty entry on its way: the masked text sent, the whitespace put back around it."""

    work: _LocaleWork
    entry: polib.POEntry
    masked: Masked
    lead: str
    trail: str


@dataclass
class _LocaleWork:
    locale: str
    path: Path
    file: str
    catalog: polib.POFile
    code: str | None
    error: str | None = None
    drafts: list[_Draft] = field(default_factory=list)
    filled: int = 0
    sent: int = 0
    cached: int = 0
    characters: int = 0
    left_empty: list[tuple[polib.POEntry, str]] = field(default_factory=list)  # entry, reason
    dirty: bool = False

    def fail(self, reason: str) -> None:
        self.error = self.error or reason

    def outcome(self, config: Config) -> LocaleOutcome:
        left_empty: tuple[LeftEmpty, ...] = ()
        if self.left_empty:  # lines as they are in the file now, after the drafts went in
            lines = {(e.msgctxt, e.msgid): e.linenum for e in read_catalog(self.path, config)}
            left_empty = tuple(
                LeftEmpty(self.file, lines.get((e.msgctxt, e.msgid), e.linenum), e.msgid, reason)
                for e, reason in self.left_empty
            )
        return LocaleOutcome(
            self.locale, self.file, self.code, len(self.drafts), self.filled, self.sent,
            self.cached, len(self.drafts) - self.filled, self.characters, self.error, left_empty,
        )  # fmt: skip


def _is_empty(entry: polib.POEntry) -> bool:
    """Only these are sent: translated, fuzzy and plural entries are a translator's business."""
    return (
        bool(entry.msgid)
        and not entry.obsolete
        and not entry.msgid_plural
        and entry.msgstr == ""
        and "fuzzy" not in entry.flags
    )


def _today() -> str:
    moment = source_date_epoch()
    return moment.date().isoformat() if moment else datetime.date.today().isoformat()


def _fill(entry: polib.POEntry, text: str, comment: str) -> None:
    entry.msgstr = text
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    # Translator comments survive msgmerge (unknown flags do not): the attribution lives here.
    kept = [
        line
        for line in (entry.tcomment or "").split("\n")
        if line and not line.startswith(COMMENT_PREFIX)
    ]
    entry.tcomment = "\n".join([*kept, comment])


def _setting(
    config: Config, key: str, default: float | None, integer: bool = False
) -> float | None:
    """A knob in ``[tool.l10n]``: ``provider_rate``, ``provider_retries``, ``provider_backoff``."""
    if key not in config.extra:
        return default
    value = config.extra[key]
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value < 0:
        raise InputError(
            "pyproject.toml", None, f"{key} must be {'an integer' if integer else 'a number'} >= 0"
        )
    return value


def _check_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not re.match(r"^https?://[^\s/]+", url):
        raise InputError(None, None, f"--provider-url must be an http(s) URL, not {url!r}")
    return url


class _Run:
    """The state of one ``translate`` run; catalogs and cache are touched only by its thread."""

    def __init__(
        self,
        config: Config,
        locales: tuple[str, ...],
        provider: Provider | None,
        url: str | None,
        keys: dict[str, str],
        dry_run: bool,
    ) -> None:
        self.config = config
        self.provider = provider
        self.url = url
        self.keys = keys
        self.secrets = (*keys.values(), *url_secrets(url))
        self.base_url = (url or provider.default_endpoint(keys)) if provider else None
        self.endpoint = redact(self.base_url, self.secrets) if self.base_url else None
        self.source = provider.code(config.source_locale) if provider else config.source_locale
        terms = load_glossary(
            config.glossary_path, config.relative(config.glossary_path), config.locales
        )
        self.masker = Masker(tuple(t.term for t in terms if t.rule == "keep"))
        self.comment = f"{COMMENT_PREFIX} {provider.name if provider else ''} {_today()}"
        # Read every catalog before anything is sent or written: bad input is exit 2, untouched.
        self.works = [self._read(locale) for locale in locales]
        self.cache: TranslationCache | None = None
        if provider and not provider.offline:
            path = config.cache_dir / CACHE_FILE
            if not dry_run or path.exists():
                self.cache = TranslationCache(path, config.relative(path))
        # (target code, masked text) -> the drafts waiting for it: identical texts are sent once
        self.jobs: dict[tuple[str, str], list[_Draft]] = {}

    def _read(self, locale: str) -> _LocaleWork:
        path = self.config.po_path(locale)
        file = self.config.relative(path)
        if not path.is_file():
            raise InputError(file, None, "file not found: run `l10n update` first")
        catalog = read_catalog(path, self.config)
        code = self.provider.code(locale) if self.provider else locale
        work = _LocaleWork(locale, path, file, catalog, code)
        if self.provider and self.source is None:
            source = self.config.source_locale
            work.fail(f"{self.provider.name} does not support the source language {source}")
        elif code is None:
            work.fail(f"{self.provider.name} does not support {locale}")
        for entry in catalog:
            if not _is_empty(entry):
                continue
            core = entry.msgid.strip()
            lead = entry.msgid[: len(entry.msgid) - len(entry.msgid.lstrip())]
            trail = entry.msgid[len(entry.msgid.rstrip()) :]
            work.drafts.append(_Draft(work, entry, self.masker.mask(core), lead, trail))
        return work

    def collect(self, apply: bool) -> None:
        """Group drafts into jobs; answer what needs no request (cache, nothing to translate)."""
        limit = self.provider.max_chars if self.provider else None
        for work in self.works:
            if work.error:
                continue
            for draft in work.drafts:
                if not draft.masked.has_words:  # a bare URL or code span: nothing to translate
                    if apply:
                        self._accept(draft, draft.masked.text)
                    continue
                if limit and len(draft.masked.text) >= limit:
                    reason = (
                        f"longer than {limit - 1} characters, the most {self.provider.name} takes"
                    )
                    work.left_empty.append((draft.entry, reason))
                    continue
                self.jobs.setdefault((work.code, draft.masked.text), []).append(draft)
        if self.cache is None:
            return
        for key in list(self.jobs):
            answer = self.cache.get(self._cache_key(key))
            if answer is None:
                continue
            for draft in self.jobs.pop(key):
                draft.work.cached += 1
                if apply:
                    self._accept(draft, redact(answer, self.secrets))

    def _cache_key(self, key: tuple[str, str]) -> CacheKey:
        return CacheKey(self.provider.name, self.endpoint, self.source, key[0], key[1])

    def _accept(self, draft: _Draft, answer: str) -> bool:
        """Fill the draft's entry, unless the answer is empty, refused or lost a masked token."""
        text = answer.strip()
        refused = refusal(text, draft.masked.text) if text else None
        restored = unmask(text, draft.masked.originals) if text and not refused else None
        if restored is None:
            reason = refused or ("the answer lost masked markup" if text else "empty answer")
            draft.work.left_empty.append((draft.entry, reason))
            return False
        _fill(draft.entry, draft.lead + restored + draft.trail, self.comment)
        draft.work.filled += 1
        draft.work.dirty = True
        return True

    def plan(self) -> None:
        """Dry run: count what would be sent; nothing is sent or written."""
        self.collect(apply=False)
        for (_, text), drafts in self.jobs.items():
            drafts[0].work.sent += 1
            drafts[0].work.characters += len(text)

    def order(self) -> list[tuple[str, str]]:
        """Jobs interleaved across locales, so every locale makes progress from the start."""
        queues: dict[str, list[tuple[str, str]]] = {}
        for key, drafts in self.jobs.items():
            queues.setdefault(drafts[0].work.locale, []).append(key)
        lists = list(queues.values())
        return [q[i] for i in range(max(map(len, lists), default=0)) for q in lists if i < len(q)]

    def _prototypes(self) -> dict[str, Any]:
        """One translator per target language; a pair deep-translator refuses fails its locale."""
        provider = self.provider
        prototypes: dict[str, Any] = {}
        for work in self.works:
            if work.error or work.code in prototypes:
                continue
            try:
                prototypes[work.code] = provider.translator(
                    self.source, work.code, self.keys, self.base_url
                )
            except InputError:
                raise
            except Exception as exc:  # the library disagrees with our table: say so, go on
                pair = f"{self.source} -> {work.code}"
                work.fail(
                    f"{provider.name} refused the language pair {pair} ({type(exc).__name__})"
                )
        return prototypes

    def _transport(self, timeout: float) -> Transport:
        provider = self.provider
        # A public endpoint gets the table's rate; a self-hosted one (--provider-url) none.
        rate = _setting(self.config, "provider_rate", None if self.url else provider.rate)
        policy = RetryPolicy(
            retries=int(_setting(self.config, "provider_retries", 3, integer=True)),
            backoff=_setting(self.config, "provider_backoff", 1.0),
        )
        protected = bool(provider.keys)
        return Transport(
            timeout, policy, self.secrets, protected, RateLimit(rate or None),
            key_error=provider.key_error,
        )  # fmt: skip

    def send(self, jobs: int, timeout: float, progress: Progress | None) -> None:
        """Send every job, save what comes back; a rejected key stops everything (exit 2)."""
        provider = self.provider
        self.collect(apply=True)
        prototypes = self._prototypes()
        transport = self._transport(timeout)
        local = threading.local()

        # Works (locales) a request of which failed, noted by the thread that saw it fail: the
        # main thread records the failure only when it gets to that answer, and on a busy machine
        # the requesting threads would meanwhile send the locale's other requests.
        stopped: set[int] = set()

        def request(key: tuple[str, str]) -> Any:
            works = {id(d.work) for d in self.jobs[key]}
            if works <= stopped or all(d.work.error for d in self.jobs[key]):
                return _SKIPPED  # its locale already failed: spend no more requests on it
            translators = local.__dict__.setdefault("translators", {})
            if key[0] not in translators:  # translators keep per-call state: one per thread
                translators[key[0]] = copy.deepcopy(prototypes[key[0]])
            translator = translators[key[0]]
            try:
                return transport.call(lambda: translator.translate(key[1], **provider.call_kwargs))
            except ProviderError:
                stopped.update(works)  # (set.update holds the GIL: safe between threads)
                raise

        # Offline answers cost CPU only: more threads would just contend for the interpreter.
        workers = 1 if provider.offline else jobs
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="l10n-translate")
        order = [key for key in self.order() if key[0] in prototypes]
        futures = {pool.submit(request, key): key for key in order}
        rejected: KeyRejected | None = None
        next_write = time.monotonic() + CHECKPOINT
        try:
            for done, future in enumerate(as_completed(futures), 1):
                if progress:
                    progress(done, len(futures))
                try:
                    self._receive(futures[future], future.result())
                except CancelledError:
                    continue
                except KeyRejected as exc:
                    rejected = exc
                    break
                except ProviderError as exc:
                    self._failed(futures[future], exc)
                if time.monotonic() >= next_write:
                    started = time.monotonic()
                    self.write()
                    # Checkpoints cost at most about a tenth of the run, however big the catalogs.
                    next_write = time.monotonic() + max(
                        CHECKPOINT, 10 * (time.monotonic() - started)
                    )
        finally:
            for future in futures:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            transport.close()
            self.write()
            self.close()
        if rejected is not None:
            names = " and ".join(provider.keys)
            raise InputError(
                None, None, f"{provider.name} rejected the API key in {names} ({rejected.reason})"
            )

    def _receive(self, key: tuple[str, str], answer: Any) -> None:
        if answer is _SKIPPED:
            return
        drafts = self.jobs[key]
        self._count(drafts, key)
        # An answer may echo the key: hidden before it is stored or shown anywhere.
        text = redact(as_text(answer) or "", self.secrets)
        accepted = [self._accept(draft, text) for draft in drafts]  # every draft, no short cut
        if all(accepted) and self.cache is not None:
            self.cache.put(self._cache_key(key), text.strip())

    def _failed(self, key: tuple[str, str], error: ProviderError) -> None:
        drafts = self.jobs[key]
        self._count(drafts, key)
        where = f"{self.provider.name} at {self.endpoint}" if self.url else self.provider.name
        for draft in drafts:
            draft.work.fail(f"{where}: {error.reason}")

    def _count(self, drafts: list[_Draft], key: tuple[str, str]) -> None:
        drafts[0].work.sent += 1
        drafts[0].work.characters += len(key[1])

    def write(self) -> None:
        """Save each catalog with new answers (atomic: a kill leaves the old or the new file)."""
        for work in self.works:
            if work.dirty:
                stamp_revision(work.catalog)  # a machine is no Last-Translator
                write_catalog(work.path, work.catalog, self.config.po_width)
                work.dirty = False

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    def result(self, dry_run: bool) -> TranslateResult:
        name = self.provider.name if self.provider else None
        return TranslateResult(
            name, self.endpoint, dry_run, tuple(w.outcome(self.config) for w in self.works)
        )


_SKIPPED = object()


def translate(
    config: Config,
    locales: tuple[str, ...] | None = None,
    provider: str | None = None,
    url: str | None = None,
    *,
    jobs: int = 16,
    timeout: float = 30.0,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> TranslateResult:
    """Machine-translate the empty entries of ``locales`` (default: all) with ``provider``.

    With ``dry_run`` (or no provider) nothing is sent or written: the result counts what would be
    sent. Bad input, a missing or rejected key: ``InputError``. A locale that the provider does
    not support or that keeps failing has ``error`` set; the other locales still run.
    """
    chosen = provider_named(provider) if provider else None
    url = _check_url(url)
    if chosen and url and chosen.offline:
        raise InputError(None, None, f"the {chosen.name} provider does not take --provider-url")
    keys = chosen.read_keys(url, required=not dry_run) if chosen else {}
    run = _Run(config, locales or config.locales, chosen, url, keys, dry_run)
    try:
        if dry_run or chosen is None:
            run.plan()
        else:
            run.send(jobs, timeout, progress)
    finally:
        run.close()
    return run.result(dry_run or chosen is None)
