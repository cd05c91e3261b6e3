"""The compliance record: what each published page version showed, who approved its disclaimer
and when, in ``manifest.json`` beside the site and in ``locales/publish-history.jsonl``.

The history gets one JSON line per publish, carrying its own sha256 and the previous line's (a
hash chain: an edited, removed or reordered line breaks it) and the sha256 of the manifest it
published, which repeats the line's time and revision: a forged last line disagrees with the
destination. A line lists only the page versions that changed (and those gone) with the sha256
of the whole state, so 1,000 pages do not add megabytes per publish; ``audit`` replays it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, html_tag
from .errors import InputError
from .files import write_bytes_atomic

HISTORY = "publish-history.jsonl"
_FORMAT = 1


def history_path(config: Config) -> Path:
    return config.locales_dir / HISTORY


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish_time() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set, as ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        moment = datetime.datetime.now(datetime.timezone.utc)
    else:
        if not epoch.strip().isdigit():
            raise InputError(None, None, f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970")
        try:
            moment = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise InputError(None, None, f"SOURCE_DATE_EPOCH={epoch!r} is out of range") from None
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_revision(config: Config) -> str | None:
    """``git rev-parse HEAD`` of the project, when it is a git repository (else None)."""
    try:
        top = subprocess.run(["git", "-C", str(config.root), "rev-parse", "--show-toplevel", "HEAD"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = top.stdout.split()
    if top.returncode != 0 or len(lines) != 2:
        return None
    if not config.root.resolve().is_relative_to(Path(lines[0]).resolve()):
        return None
    return lines[1]


def page_versions(config: Config, outcomes: Any, files: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per published page version: the page's and catalog's sha256, the disclaimer as
    a reader gets it (text and sha256 of its UTF-8), who reviewed it and when."""
    from .catalogs import read_catalog
    from .checks.gate import DISCLAIMER_CONTEXT, expected_disclaimer
    from .checks.records import review_record
    from .source import load_pages

    pages = {page.slug: page for page in load_pages(config)}
    catalogs: dict[str, Any] = {}
    versions = []
    for outcome in outcomes:
        if not outcome.published:
            continue
        page, locale = pages[outcome.slug], outcome.locale
        path = f"{html_tag(locale)}/{outcome.slug}.html"
        text, reviewer, reviewed, catalog_sha256, revision = page.disclaimer.msgid, None, None, None, "source"
        if locale != config.source_locale:
            if locale not in catalogs:
                po = config.po_path(locale)
                catalogs[locale] = (read_catalog(po, config), sha256(po.read_bytes()))
            catalog, catalog_sha256 = catalogs[locale]
            revision = catalog.metadata.get("PO-Revision-Date", "")
            entry = catalog.find(page.disclaimer.msgid, msgctxt=DISCLAIMER_CONTEXT)
            text = entry.msgstr
            record = review_record(entry)
            reviewer, reviewed = (record.reviewer, record.date) if record else (None, None)
        shown = expected_disclaimer(text)
        source_file = config.root / page.path
        versions.append({
            "page": outcome.slug,
            "locale": locale,
            "path": path,
            "sha256": files[path],
            "source": page.path,
            "source_sha256": sha256(source_file.read_bytes()),
            "catalog_revision": revision,
            "catalog_sha256": catalog_sha256,
            "disclaimer": {"text": shown, "sha256": sha256(shown.encode("utf-8"))},
            "reviewer": reviewer,
            "reviewed": reviewed,
        })
    return versions


def _canonical(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _state_digest(state: dict[tuple[str, str], dict[str, Any]]) -> str:
    return sha256(_canonical([state[key] for key in sorted(state)]))


@dataclass(frozen=True)
class Publication:
    """What one publish records: the manifest for the destination and the history line."""

    manifest: bytes
    line: bytes


def prepare(
    config: Config, dest: Path, versions: list[dict[str, Any]], withheld: list[dict[str, Any]],
    files: dict[str, str], published_at: str,
) -> Publication:
    """The manifest and the history line of a publish (nothing is written)."""
    check_history(config)
    history = read_history(config)
    previous = history.records[-1] if history.records else None
    number = previous.number + 1 if previous else 1
    revision = source_revision(config)
    manifest = {
        "generator": "l10n publish",
        "published_at": published_at,
        "source_revision": revision,
        "history": {"file": config.relative(history.path), "record": number,
                    "previous": previous.digest if previous else None},
        "pages": versions,
        "files": files,
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    state = {(v["page"], v["locale"]): v for v in versions}
    before = history.state
    line = {
        "format": _FORMAT,
        "record": number,
        "previous": previous.digest if previous else None,
        "published_at": published_at,
        "dest": str(dest.resolve()),
        "source_revision": revision,
        "manifest_sha256": sha256(manifest_bytes),
        "shown": [state[key] for key in sorted(state) if before.get(key) != state[key]],
        "gone": [list(key) for key in sorted(before) if key not in state],
        "state_sha256": _state_digest(state),
        "withheld": withheld,
    }
    line["sha256"] = sha256(_canonical(line))
    return Publication(manifest_bytes, _canonical(line))


def check_history(config: Config) -> None:
    """Refuse (exit 2, nothing written) to publish on top of a history that does not verify."""
    history = read_history(config)
    if history.problems:
        problem = history.problems[0]
        raise InputError(problem.file, problem.line, f"{problem.message}: the publish history does not verify; "
                         "restore it (e.g. from git) before publishing")


def append(config: Config, publication: Publication) -> bytes | None:
    """Append the publication's line to the history (atomically: the whole file is replaced);
    returns the history's previous bytes (None: there was none), for ``restore``."""
    path = history_path(config)
    old = path.read_bytes() if path.is_file() else None
    write_bytes_atomic(path, (old or b"") + publication.line + b"\n")
    return old


def restore(config: Config, old: bytes | None) -> None:
    """Undo ``append`` (the publish did not happen)."""
    path = history_path(config)
    if old is None:
        path.unlink(missing_ok=True)
    else:
        write_bytes_atomic(path, old)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Record:
    number: int
    line: int
    digest: str  # sha256 of this line: the next line's "previous"
    published_at: str
    dest: str
    source_revision: str | None
    manifest_sha256: str
    versions: tuple[dict[str, Any], ...]  # every page version published, after this publish
    changed: frozenset[tuple[str, str]]  # (page, locale) that differ from the record before
    withheld: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class History:
    path: Path
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    state: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def read_history(config: Config) -> History:
    """Replay the history; every break in the chain is a problem (reading stops at the first)."""
    path = history_path(config)
    shown = config.relative(path)
    if not path.is_file():
        return History(path, (), ())
    records: list[Record] = []
    state: dict[tuple[str, str], dict[str, Any]] = {}
    previous: str | None = None
    lines = path.read_bytes().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, 1):
        def problem(message: str) -> History:
            return History(path, tuple(records), (Problem(shown, number, message),), state)

        try:
            line = json.loads(raw.decode("utf-8"))
            if not isinstance(line, dict) or line.get("format") != _FORMAT:
                return problem("not a publish record")
            if line["record"] != number:
                return problem(f"record {line['record']!r} where record {number} belongs: a record was removed "
                               "or reordered")
            if line["previous"] != previous:
                return problem(f"record {number} does not chain to the line before it (its 'previous' is not "
                               "that line's sha256): the history was edited")
            if _canonical(line) != raw:
                return problem(f"record {number} is not as l10n wrote it: the history was edited")
            digest = line.pop("sha256")
            if digest != sha256(_canonical(line)):
                return problem(f"record {number} does not match its sha256: the history was edited")
            for page, locale in line["gone"]:
                state.pop((page, locale), None)
            for version in line["shown"]:
                state[(version["page"], version["locale"])] = version
            if _state_digest(state) != line["state_sha256"]:
                return problem(f"record {number}'s page versions do not add up to its state_sha256: "
                               "the history was edited")
            changed = frozenset((v["page"], v["locale"]) for v in line["shown"])
            records.append(Record(
                number, number, digest, line["published_at"], line["dest"], line["source_revision"],
                line["manifest_sha256"], tuple(state[key] for key in sorted(state)), changed, tuple(line["withheld"]),
            ))
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
            return problem(f"unreadable record ({type(exc).__name__}: {exc}): the history was edited")
        previous = digest
    return History(path, tuple(records), (), dict(state))


def destination_problems(record: Record) -> list[Problem]:
    """How the destination of the last publish differs from what that publish recorded."""
    dest = Path(record.dest)
    if not dest.is_dir():
        return [Problem(record.dest, None, f"the destination of record {record.number} is missing")]
    problems = []
    manifest_path = dest / "manifest.json"
    manifest: dict[str, Any] = {}
    try:
        data = manifest_path.read_bytes()
        manifest = json.loads(data)
        if sha256(data) != record.manifest_sha256:
            problems.append(Problem(str(manifest_path), None, f"differs from the manifest of record {record.number}"))
            manifest = {}  # its file list cannot be trusted
        elif (manifest.get("published_at"), manifest.get("source_revision"),
              manifest.get("history", {}).get("record")) != (record.published_at, record.source_revision, record.number):
            problems.append(Problem(str(manifest_path), None, f"disagrees with record {record.number} on its time, "
                                    "revision or number: the history was edited"))
    except (OSError, ValueError):
        problems.append(Problem(str(manifest_path), None, f"missing or unreadable (record {record.number})"))
    expected = {v["path"]: v["sha256"] for v in record.versions}
    files = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    expected = {**files, **expected}
    for relative, digest in sorted(expected.items()):
        path = dest / relative
        try:
            actual = sha256(path.read_bytes())
        except OSError:
            problems.append(Problem(str(path), None, f"missing (published by record {record.number})"))
            continue
        if actual != digest:
            problems.append(Problem(str(path), None, f"changed since record {record.number} published it"))
    if files:
        for folder, _dirs, names in os.walk(dest):
            for name in names:
                relative = (Path(folder) / name).relative_to(dest).as_posix()
                if relative not in ("manifest.json", ".l10n-published") and relative not in expected:
                    problems.append(Problem(str(dest / relative), None,
                                            f"not published by record {record.number}"))
    return problems


@dataclass(frozen=True)
class AuditResult:
    history: str
    records: tuple[Record, ...]  # the publishes shown (after --at)
    locales: tuple[str, ...]
    pages: tuple[str, ...]
    problems: tuple[Problem, ...]
    verified: bool  # --verify was asked (the destination was compared too)

    def versions(self, record: Record) -> list[dict[str, Any]]:
        return [v for v in record.versions
                if (not self.locales or v["locale"] in self.locales) and (not self.pages or v["page"] in self.pages)]

    def as_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "history": self.history,
            "publishes": [
                {
                    "record": r.number,
                    "record_sha256": r.digest,
                    "published_at": r.published_at,
                    "dest": r.dest,
                    "source_revision": r.source_revision,
                    "manifest_sha256": r.manifest_sha256,
                    "versions": [{**v, "changed": (v["page"], v["locale"]) in r.changed} for v in self.versions(r)],
                    "withheld": [w for w in r.withheld
                                 if (not self.locales or w["locale"] in self.locales)
                                 and (not self.pages or w["page"] in self.pages)],
                }
                for r in self.records
            ],
            "problems": [str(p) for p in self.problems],
        }
        if self.verified:
            document["verified"] = not self.problems
        return document


def parse_moment(text: str) -> datetime.datetime:
    """``--at``: a date (the end of that day, UTC) or an ISO 8601 date and time."""
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return datetime.datetime.combine(day, datetime.time.max, datetime.timezone.utc)
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(None, None, f"--at {text!r}: expected a date (2026-12-05) or a date and time "
                                     "(2026-12-05T14:30:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def audit(
    config: Config, locales: tuple[str, ...] = (), pages: tuple[str, ...] = (), at: str | None = None,
    verify: bool = False,
) -> AuditResult:
    """The publishes in the history (with ``at``: the last one at or before that moment), the
    page versions each showed, and with ``verify`` whether the destination still matches."""
    moment = parse_moment(at) if at else None
    history = read_history(config)
    records = history.records
    if moment is not None:
        before = [r for r in records if parse_moment(r.published_at) <= moment]
        records = tuple(before[-1:])
    problems = list(history.problems)
    if verify and history.records and not history.problems:
        problems += destination_problems(history.records[-1])
    return AuditResult(config.relative(history.path), records, locales, pages, tuple(problems), verify)
