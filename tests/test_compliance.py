"""The compliance record: `manifest.json` answers "which disclaimer text, approved by whom, when"
for every published page version; `locales/publish-history.jsonl` keeps one hash-chained record
per publish; `l10n audit` shows it and `--verify` catches an edited log or a changed destination."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import DISCLAIMER, REPO, TRANSLATIONS, Kept, l10n, po_path, snapshot, translate_catalog

JA_DISCLAIMER = (
    "※ Side effects such as inflammation, bleeding, and nerve damage may occur depending on the individual, "
    "so sufficient consultation with the medical team before surgery is necessary."
)
DAY1, DAY2 = "1764900000", "1764986400"  # 2025-12-05 02:00 and 2025-12-06 02:00 UTC


def publish(root: Path, dest: Path, monkeypatch: pytest.MonkeyPatch, epoch: str, *args: str):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    return l10n(root, "publish", "--dest", str(dest), *args)


def history(root: Path) -> Path:
    return root / "locales" / "publish-history.jsonl"


def audit(root: Path, *args: str) -> dict:
    result = l10n(root, "audit", "--format", "json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def only_japanese(root: Path) -> None:
    """The shipped site in English and Japanese only: the record of the Japanese page is the same,
    and the browser pass of every publish lays out five page versions instead of nineteen."""
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    configured = re.search(r"(?m)^locales = \[.*\]$", text)
    assert configured and '"ja"' in configured.group(0)
    pyproject.write_text(text.replace(configured.group(0), 'locales = ["ja"]'), encoding="utf-8")
    for name, column in (("glossary.csv", 1), ("claims.csv", 0)):  # rows of a language not configured are bad input
        table = root / "locales" / name
        lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines[1:] if next(csv.reader([line]))[column] in ("*", "en", "ja")]
        assert kept and len(kept) < len(lines) - 1
        table.write_text("".join(lines[:1] + kept), encoding="utf-8")


def test_two_publishes_with_a_re_reviewed_ja_disclaimer(repo_copy: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    only_japanese(repo_copy)
    dest = tmp_path / "www"
    assert publish(repo_copy, dest, monkeypatch, DAY1).code == 0
    # a translator rewords the Japanese disclaimer; the reviewer accepts it in `l10n review`
    path = po_path(repo_copy, "ja")
    catalog = polib.pofile(str(path))
    entry = catalog.find(JA_DISCLAIMER, msgctxt="disclaimer")
    entry.msgstr = ("※炎症、出血、神経損傷などの副作用が個人差により生じる場合がありますので、"
                    "手術前に医療チームと十分にご相談ください。")
    entry.flags.append("fuzzy")
    from pipeline.catalogs import write_catalog

    write_catalog(path, catalog)
    reviewed = l10n_review(repo_copy, "a\nq\n", "--locale", "ja", "--reviewer", "Sato Yuki")
    assert reviewed.exit_code == 0, reviewed.output
    assert publish(repo_copy, dest, monkeypatch, DAY2).code == 0

    report = audit(repo_copy, "--locale", "ja", "--page", "mini-facelift")

    first, second = report["publishes"]
    assert (first["record"], second["record"]) == (1, 2)
    assert (first["published_at"], second["published_at"]) == ("2025-12-05T02:00:00Z", "2025-12-06T02:00:00Z")
    [old], [new] = first["versions"], second["versions"]
    assert (old["locale"], old["page"], new["locale"], new["page"]) == ("ja", "mini-facelift", "ja", "mini-facelift")
    assert old["disclaimer"]["sha256"] != new["disclaimer"]["sha256"]
    assert new["disclaimer"]["text"] == entry.msgstr
    assert new["disclaimer"]["sha256"] == hashlib.sha256(entry.msgstr.encode("utf-8")).hexdigest()
    assert (old["reviewer"], old["reviewed"]) == ("Clinic translation team", "2026-11-26")
    assert new["reviewer"] == "Sato Yuki" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", new["reviewed"])
    assert new["reviewed"] != old["reviewed"] and new["changed"]
    assert (dest / new["path"]).read_bytes() == (repo_copy / "output" / new["path"]).read_bytes()
    assert l10n(repo_copy, "audit", "--verify").code == 0

    # one edited byte in the log
    data = bytearray(history(repo_copy).read_bytes())
    at = data.index("Sato Yuki".encode())
    data[at] = ord("T")
    history(repo_copy).write_bytes(bytes(data))
    result = l10n(repo_copy, "audit", "--verify")
    assert result.code == 1
    assert "locales/publish-history.jsonl:2: " in result.stderr and "the history was edited" in result.stderr


def l10n_review(root: Path, keys: str, *args: str):
    from click.testing import CliRunner

    from pipeline.cli import main

    return CliRunner().invoke(main, ["--project", str(root), "review", *args], input=keys, env={"EDITOR": None})


def test_the_manifest_answers_which_disclaimer_by_whom_and_when(checked: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "www"
    assert publish(checked, dest, monkeypatch, DAY1).code == 0

    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))

    assert manifest["published_at"] == "2025-12-05T02:00:00Z"
    assert manifest["source_revision"] is None  # not a git repository
    assert manifest["history"] == {"file": "locales/publish-history.jsonl", "record": 1, "previous": None}
    versions = {p["locale"]: p for p in manifest["pages"]}
    assert set(versions) == {"en", "ko", "ar"}
    for locale, version in versions.items():
        html = (dest / version["path"]).read_text(encoding="utf-8")
        aside = re.search(r'<aside class="disclaimer" role="note"[^>]*>(.*?)</aside>', html, re.DOTALL).group(1)
        assert version["disclaimer"]["text"] == aside
        assert version["disclaimer"]["sha256"] == hashlib.sha256(aside.encode("utf-8")).hexdigest()
        assert version["sha256"] == hashlib.sha256((dest / version["path"]).read_bytes()).hexdigest()
        assert version["source"] == "source/first-visit.md"
        if locale == "en":
            assert (version["reviewer"], version["catalog_sha256"], aside) == (None, None, DISCLAIMER)
        else:
            assert aside == TRANSLATIONS[locale][DISCLAIMER]
            assert (version["reviewer"], version["reviewed"]) == ("Test Reviewer", "2026-12-01")
            assert version["catalog_sha256"] == hashlib.sha256(po_path(checked, locale).read_bytes()).hexdigest()
    record = json.loads(history(checked).read_text(encoding="utf-8"))
    assert record["manifest_sha256"] == hashlib.sha256((dest / "manifest.json").read_bytes()).hexdigest()
    assert record["dest"] == str(dest.resolve()) and record["previous"] is None


def test_the_source_revision_is_the_git_head(checked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git = ["git", "-C", str(checked), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    if subprocess.run([*git, "init", "-q"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "site"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    dest = tmp_path / "www"
    assert publish(checked, dest, monkeypatch, DAY1).code == 0
    assert json.loads((dest / "manifest.json").read_text(encoding="utf-8"))["source_revision"] == head
    assert audit(checked)["publishes"][0]["source_revision"] == head


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "1.5", "99999999999999999999"])
def test_an_invalid_source_date_epoch_is_bad_input(translated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   epoch: str) -> None:
    before = snapshot(translated)
    result = publish(translated, tmp_path / "www", monkeypatch, epoch)
    assert result.code == 2 and "SOURCE_DATE_EPOCH" in result.stderr
    assert not (tmp_path / "www").exists()
    assert snapshot(translated) == before


def test_a_refused_or_dry_run_publish_appends_nothing(checked: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "www"
    assert publish(checked, dest, monkeypatch, DAY1).code == 0
    logged = history(checked).read_bytes()
    assert publish(checked, dest, monkeypatch, DAY2, "--dry-run").code == 0
    assert history(checked).read_bytes() == logged
    translate_catalog(checked, "ko", TRANSLATIONS["ko"], fuzzy={DISCLAIMER})
    assert publish(checked, dest, monkeypatch, DAY2, "--strict").code == 1
    assert history(checked).read_bytes() == logged
    assert len(logged.splitlines()) == 1


def test_a_failed_swap_takes_its_record_back(checked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.publish

    dest = tmp_path / "www"
    assert publish(checked, dest, monkeypatch, DAY1).code == 0
    logged, site = history(checked).read_bytes(), snapshot(dest)
    translate_catalog(checked, "ko", {"Before you arrive": "오시기 전에"})

    def fail(new: Path, old: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.publish, "_exchange", fail)
    refused = publish(checked, dest, monkeypatch, DAY2)
    assert refused.code == 1 and "No space left on device" in refused.stderr
    assert history(checked).read_bytes() == logged and snapshot(dest) == site
    monkeypatch.undo()
    assert publish(checked, dest, monkeypatch, DAY2).code == 0
    assert len(history(checked).read_bytes().splitlines()) == 2


@pytest.fixture(scope="module")
def published_site(checked_once: Kept) -> tuple[Kept, Path]:
    """The tiny project published twice (the Korean disclaimer changed in between): made once,
    each test gets it back as it was (``published_twice``)."""
    root = checked_once.restore()
    dest = root.parent / "www"
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert publish(root, dest, monkeypatch, DAY1).code == 0
        translate_catalog(root, "ko", {DISCLAIMER: "※ 개인에 따라 출혈 등 부작용이 생길 수 있습니다."})
        assert publish(root, dest, monkeypatch, DAY2).code == 0
    assert l10n(root, "audit", "--verify").code == 0
    shutil.copytree(dest, dest.with_name("www-kept"))
    return Kept(root, "published"), dest


@pytest.fixture
def published_twice(published_site: tuple[Kept, Path]) -> tuple[Path, Path]:
    kept, dest = published_site
    root = kept.restore()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(dest.with_name("www-kept"), dest)
    return root, dest


def edit_line(number: int, change):  # noqa: ANN001, ANN201 - a table of edits
    def edit(lines: list[bytes]) -> list[bytes]:
        lines[number] = change(lines[number])
        return lines
    return edit


def recompute_own_digest(line: bytes) -> bytes:
    record = json.loads(line)
    record["published_at"] = "2025-12-07T00:00:00Z"
    record.pop("sha256")
    record["sha256"] = hashlib.sha256(canonical(record)).hexdigest()
    return canonical(record)


def canonical(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@pytest.mark.parametrize("tamper", [
    edit_line(0, lambda line: line.replace(b"Test Reviewer", b"Test Reviewed")),
    edit_line(1, lambda line: line.replace(b"2025-12-06T02:00:00Z", b"2025-12-06T02:00:01Z")),
    edit_line(0, lambda line: line.replace(b'"record":1', b'"record": 1')),
    edit_line(1, recompute_own_digest),  # a forger who recomputes the last line's sha256
    lambda lines: lines[1:],  # the first record removed
    lambda lines: lines[::-1],  # reordered
    lambda lines: [lines[0], b"{}", lines[1]],
    lambda lines: [lines[0], lines[1][:-1]],  # truncated
    lambda lines: lines[:1],  # the last record removed: the destination is not what it says
])
def test_an_edited_log_fails_verify(published_twice: tuple[Path, Path], tamper) -> None:  # noqa: ANN001
    root, _dest = published_twice
    lines = history(root).read_bytes().splitlines()
    history(root).write_bytes(b"\n".join(tamper(lines)) + b"\n")

    result = l10n(root, "audit", "--verify")

    assert result.code == 1, result.output
    assert "error: " in result.stderr


def test_publishing_on_a_broken_log_is_refused(published_twice: tuple[Path, Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root, dest = published_twice
    history(root).write_bytes(history(root).read_bytes().replace(b"Test Reviewer", b"Someone Else"))
    site, logged = snapshot(dest), history(root).read_bytes()
    result = publish(root, dest, monkeypatch, "1765072800")
    assert result.code == 2 and "locales/publish-history.jsonl:1: " in result.stderr
    assert snapshot(dest) == site and history(root).read_bytes() == logged


@pytest.mark.parametrize(("change", "named"), [
    (lambda dest: (dest / "ko" / "first-visit.html").write_text("<p>changed</p>", encoding="utf-8"),
     "ko/first-visit.html: changed since record 2 published it"),
    (lambda dest: (dest / "ar" / "first-visit.html").unlink(), "ar/first-visit.html: missing"),
    (lambda dest: (dest / "ko" / "extra.html").write_text("<p>new</p>", encoding="utf-8"),
     "ko/extra.html: not published by record 2"),
    (lambda dest: (dest / "manifest.json").write_text("{}", encoding="utf-8"),
     "manifest.json: differs from the manifest of record 2"),
    (lambda dest: (dest / "style.css").write_text("aside { display: none }", encoding="utf-8"),
     "style.css: changed since record 2"),
])
def test_a_changed_destination_fails_verify_naming_what_differs(
    published_twice: tuple[Path, Path], change, named: str  # noqa: ANN001
) -> None:
    root, dest = published_twice
    change(dest)
    result = l10n(root, "audit", "--verify")
    assert result.code == 1
    assert f"error: {dest}/{named}" in result.stderr


def test_audit_at_a_date_shows_what_was_public_then(published_twice: tuple[Path, Path]) -> None:
    root, _dest = published_twice
    before = audit(root, "--at", "2025-12-01")
    assert before["publishes"] == []
    first_day = audit(root, "--at", "2025-12-05", "--locale", "ko")
    [record] = first_day["publishes"]
    assert record["record"] == 1 and record["versions"][0]["disclaimer"]["text"] == TRANSLATIONS["ko"][DISCLAIMER]
    later = audit(root, "--at", "2025-12-06T03:00:00Z", "--locale", "ko")
    assert later["publishes"][0]["versions"][0]["disclaimer"]["text"] == "※ 개인에 따라 출혈 등 부작용이 생길 수 있습니다."
    everything = audit(root)
    assert [p["record"] for p in everything["publishes"]] == [1, 2]
    changed = {(v["locale"], v["changed"]) for v in everything["publishes"][1]["versions"]}
    assert ("ko", True) in changed
    text = l10n(root, "audit", "--locale", "ko", "--page", "first-visit")
    assert text.code == 0
    assert "#2 2025-12-06T02:00:00Z" in text.stdout and "reviewed by Test Reviewer on 2026-12-01" in text.stdout
    assert l10n(root, "audit", "--at", "yesterday").code == 2


def test_the_log_stays_small_when_little_changes(published_twice: tuple[Path, Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root, dest = published_twice
    assert publish(root, dest, monkeypatch, "1765072800").code == 0
    third = json.loads(history(root).read_text(encoding="utf-8").splitlines()[2])
    assert third["shown"] == [] and third["gone"] == []  # nothing changed: no page version repeated
    assert len(audit(root)["publishes"][2]["versions"]) == 3


def test_a_withheld_version_is_recorded_with_its_reason_and_left_out(translated: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(REPO / "locales" / "claims.csv", translated / "locales" / "claims.csv")
    translate_catalog(translated, "ko", {"Before you arrive": "방문 전에: 통증 없는 시술"})
    dest = tmp_path / "www"

    result = publish(translated, dest, monkeypatch, DAY1)

    assert result.code == 0, result.output
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert {p["locale"] for p in manifest["pages"]} == {"en", "ar"}
    assert not (dest / "ko" / "first-visit.html").exists()
    [publication] = audit(translated)["publishes"]
    [withheld] = publication["withheld"]
    assert (withheld["page"], withheld["locale"]) == ("first-visit", "ko")
    assert "prohibited claim '통증 없'" in withheld["reasons"][0]
    text = l10n(translated, "audit", "--locale", "ko")
    assert "first-visit [ko] not published: locales/ko/LC_MESSAGES/messages.po:" in text.stdout
