"""`l10n translate`: the real deep-translator adapters against a provider stub on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polib
import pytest
from conftest import DISCLAIMER, gnu, l10n, po_path, snapshot, translate_catalog, write_glossary
from mt_stub import StubProvider

# A key with characters that URL encoding changes, to catch it in query strings too.
KEY = "sentinel-K3y/with+odd=chars:fx"
LINK = "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first."
LINK_KO = "ko: OUR [BOOKING PAGE](https://clinic.example/book) IS OPEN EVERY DAY.\\\nCALL US FIRST."
TODAY = date.today().isoformat()


@pytest.fixture
def stub():
    with StubProvider() as server:
        yield server


@pytest.fixture
def site(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny project, retrying fast (tests must not wait seconds for backoff)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name in ("LIBRE_API_KEY", "DEEPL_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write("provider_retries = 2\nprovider_backoff = 0.01\n")
    write_glossary(project, "ID card,*,,keep,kept as written")
    return project


def translate(root: Path, stub: StubProvider, *args: str, provider: str = "libre", path: str = ""):
    return l10n(root, "translate", "--provider", provider, "--provider-url", stub.url + path, *args)


def entries(root: Path, locale: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path(root, locale)))}


def blocks(root: Path, locale: str) -> dict[str, str]:
    """Each entry's text in the file, keyed by its msgid line, to compare byte for byte."""
    text = po_path(root, locale).read_text(encoding="utf-8")
    found = {}
    for block in text.split("\n\n"):
        msgid = next((line for line in block.split("\n") if line.startswith("msgid ")), None)
        if msgid:
            found[msgid + block.split(msgid, 1)[1].split("\nmsgstr")[0]] = block
    return found


def messages(root: Path, locale: str = "ko") -> int:
    """The messages of the tiny project's catalog (it grows with the templates' strings)."""
    return sum(1 for e in polib.pofile(str(po_path(root, locale))) if e.msgid)


def msgfmt_ok(root: Path, locale: str) -> None:
    result = gnu("msgfmt", "-c", "-o", "/dev/null", str(po_path(root, locale)))
    assert result.returncode == 0, result.stderr


def everything_written(root: Path) -> bytes:
    """Every byte the run could have leaked a key into: catalogs, cache, any file of the project."""
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_empty_entries_become_fuzzy_attributed_drafts_with_markup_intact(
    site: Path, stub: StubProvider
) -> None:
    translate_catalog(
        site, "ko", {"First Visit": "첫 방문", "Language": "언어"}, fuzzy={"Language"}
    )
    before = blocks(site, "ko")

    result = translate(site, stub)

    assert result.code == 0, result.output
    ko = entries(site, "ko")
    assert ko[LINK].msgstr == LINK_KO  # link text translated, target, URL and hard break kept
    assert (
        ko[DISCLAIMER].msgstr
        == "ko: ※ SIDE EFFECTS SUCH AS BLEEDING MAY OCCUR DEPENDING ON THE INDIVIDUAL."
    )
    assert ko["Please bring your ID card and a list of your medicines."].msgstr == (
        "ko: PLEASE BRING YOUR ID card AND A LIST OF YOUR MEDICINES."  # glossary keep-term
    )
    placeholder = "Parts of this page are not yet available in %(language)s."
    assert ko[placeholder].msgstr == "ko: PARTS OF THIS PAGE ARE NOT YET AVAILABLE IN %(language)s."
    drafts = [e for e in ko.values() if e.msgid not in ("First Visit", "Language")]
    assert len(drafts) == messages(site) - 2
    for entry in drafts:
        assert entry.fuzzy, entry.msgid
        assert entry.tcomment == f"machine translation: libre {TODAY}"
    after = blocks(site, "ko")
    for key in ('msgid "First Visit"', 'msgid "Language"'):
        assert after[key] == before[key]  # the approved and the fuzzy entry: byte for byte
    assert {(r.source, r.target) for r in stub.requests} == {("en", "ko"), ("en", "ar")}
    assert stub.count() == (messages(site) - 2) + messages(site)
    for locale in ("ko", "ar"):
        msgfmt_ok(site, locale)
    assert "\x1b[" not in result.output  # no progress bar off a terminal
    assert result.stdout.splitlines()[-1].startswith(
        f"libre: {2 * messages(site) - 2} sent, 0 cached, 0 failed, "
    )


def test_a_rerun_sends_nothing_and_the_cache_answers_a_reset_catalog(
    site: Path, stub: StubProvider
) -> None:
    empty = {locale: po_path(site, locale).read_bytes() for locale in ("ko", "ar")}
    assert translate(site, stub).code == 0
    sent = stub.count()
    translated = {locale: po_path(site, locale).read_bytes() for locale in ("ko", "ar")}

    rerun = translate(site, stub)
    assert rerun.code == 0 and stub.count() == sent
    assert "libre: 0 sent, 0 cached, 0 failed, 0 characters" in rerun.stdout

    for locale, data in empty.items():  # as if the drafts had been thrown away
        po_path(site, locale).write_bytes(data)
    again = translate(site, stub)
    assert again.code == 0, again.output
    assert stub.count() == sent
    assert f"libre: 0 sent, {2 * messages(site)} cached, 0 failed, 0 characters" in again.stdout
    assert {locale: po_path(site, locale).read_bytes() for locale in ("ko", "ar")} == translated


def test_identical_texts_are_sent_once_per_language(site: Path, stub: StubProvider) -> None:
    page = site / "source" / "first-visit.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nSee [our clinic](https://a.example/one).\n\nSee [our clinic](https://b.example/two).\n",
        encoding="utf-8",
    )
    assert l10n(site, "extract").code == 0 and l10n(site, "update").code == 0

    assert translate(site, stub).code == 0

    masked = "See {0}our clinic{1}."
    assert stub.texts()[("ko", masked)] == 1 and stub.texts()[("ar", masked)] == 1
    ko = entries(site, "ko")
    assert (
        ko["See [our clinic](https://a.example/one)."].msgstr
        == "ko: SEE [OUR CLINIC](https://a.example/one)."
    )
    assert (
        ko["See [our clinic](https://b.example/two)."].msgstr
        == "ko: SEE [OUR CLINIC](https://b.example/two)."
    )


def test_deepl_maps_locales_and_its_key_appears_nowhere(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert l10n(site, "init", "--locale", "zh_Hans").code == 0
    untouched = {locale: po_path(site, locale).read_bytes() for locale in ("ko", "ar")}
    monkeypatch.setenv("DEEPL_API_KEY", KEY)

    with StubProvider(key=KEY) as stub:
        result = translate(site, stub, path="v2/", provider="deepl")

    # deep-translator's DeepL adapter knows neither Korean nor Arabic: those two fail, zh_Hans runs
    assert result.code == 1
    assert "error: ko: deepl does not support ko" in result.stderr
    assert "error: ar: deepl does not support ar" in result.stderr
    assert {locale: po_path(site, locale).read_bytes() for locale in ("ko", "ar")} == untouched
    assert {(r.source, r.target, r.key) for r in stub.requests} == {("en", "zh", KEY)}
    assert entries(site, "zh_Hans")[LINK].msgstr == LINK_KO.replace("ko:", "zh:")
    msgfmt_ok(site, "zh_Hans")
    leaked = KEY.encode()
    assert KEY not in result.output
    assert leaked not in everything_written(site)


def test_mymemory_through_its_base_url(site: Path, stub: StubProvider) -> None:
    result = translate(site, stub, path="get", provider="mymemory")

    assert result.code == 0, result.output
    assert {(r.api, r.source, r.target) for r in stub.requests} == {
        ("mymemory", "en-GB", "ko-KR"),
        ("mymemory", "en-GB", "ar-SA"),
    }
    assert entries(site, "ar")[LINK].msgstr == LINK_KO.replace("ko:", "ar-SA:")


def test_a_missing_key_is_exit_2_naming_the_variable(site: Path) -> None:
    before = snapshot(site)
    result = l10n(site, "translate", "--provider", "deepl")
    assert result.code == 2
    assert "DEEPL_API_KEY" in result.stderr
    assert snapshot(site) == before


def test_a_rejected_key_is_exit_2_naming_the_variable(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBRE_API_KEY", KEY)
    before = snapshot(site)
    with StubProvider(key="the-right-key") as stub:
        result = translate(site, stub)
    assert result.code == 2
    assert "libre rejected the API key in LIBRE_API_KEY" in result.stderr
    assert stub.requests and all(r.key == KEY for r in stub.requests)
    assert KEY not in result.output and KEY.encode() not in everything_written(site)
    assert snapshot(site) == before


def test_an_unreachable_provider_fails_without_leaking_the_key(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests' connection errors quote the URL, and DeepL's key rides in its query string
    monkeypatch.setenv("DEEPL_API_KEY", KEY)
    assert l10n(site, "init", "--locale", "ja").code == 0
    with StubProvider() as closed:
        url = closed.url
    result = l10n(
        site, "translate", "--provider", "deepl", "--provider-url", url + "v2/", "--locale", "ja"
    )
    assert result.code == 1
    assert (
        "error: ja: deepl at " in result.stderr
        and "connection failed (3 attempts)" in result.stderr
    )
    assert KEY not in result.output
    assert KEY.encode() not in everything_written(site)


def test_server_errors_are_retried_then_fail_only_that_locale(
    site: Path, stub: StubProvider
) -> None:
    untouched = po_path(site, "ar").read_bytes()
    stub.rule = lambda request: ("status", 500) if request.target == "ar" else None

    result = translate(site, stub, "--jobs", "2")

    assert result.code == 1
    assert "error: ar: libre at " in result.stderr and "HTTP 500 (3 attempts)" in result.stderr
    assert po_path(site, "ar").read_bytes() == untouched
    assert all(e.msgstr for e in entries(site, "ko").values() if e.msgid)
    failed = [r for r in stub.requests if r.target == "ar"]
    # Three attempts each, only for requests under way when the locale failed: not all twelve.
    assert len(failed) % 3 == 0 and len(failed) <= 3 * 2 * 2


def test_429_retry_after_is_honoured(site: Path, stub: StubProvider) -> None:
    stub.faults = [("status", 429, {"Retry-After": "0"})]
    result = translate(site, stub)
    assert result.code == 0, result.output
    assert stub.count() == 2 * messages(site) + 1


def test_a_retry_after_beyond_reason_fails_at_once(site: Path, stub: StubProvider) -> None:
    stub.rule = lambda request: ("status", 429, {"Retry-After": "3600"})
    started = time.monotonic()
    result = translate(site, stub, "--jobs", "1")
    assert result.code == 1
    assert "asks to wait 3600 s (Retry-After)" in result.stderr
    assert time.monotonic() - started < 10


def test_malformed_json_fails_the_locale_cleanly(site: Path, stub: StubProvider) -> None:
    untouched = po_path(site, "ar").read_bytes()
    stub.rule = lambda request: ("malformed",) if request.target == "ar" else None
    result = translate(site, stub)
    assert result.code == 1
    assert "error: ar: " in result.stderr and "unexpected answer (JSONDecodeError" in result.stderr
    assert "Traceback" not in result.output
    assert po_path(site, "ar").read_bytes() == untouched
    msgfmt_ok(site, "ko")


def test_a_hung_provider_ends_the_command_within_the_timeout_budget(
    site: Path, stub: StubProvider
) -> None:
    before = snapshot(site)
    stub.rule = lambda request: ("hang",)
    started = time.monotonic()
    result = translate(site, stub, "--timeout", "0.3")
    elapsed = time.monotonic() - started
    assert result.code == 1
    assert "no complete answer within 0.3 s (3 attempts)" in result.stderr
    assert elapsed < 3 * 0.3 + 2, elapsed  # three attempts in parallel, then the rest is skipped
    assert snapshot(site) == before


def test_a_dripping_answer_is_cut_at_the_deadline_and_retried(
    site: Path, stub: StubProvider
) -> None:
    # Each byte comes well within the read timeout; the whole answer would take about 3 s.
    stub.faults = [("drip", 0.05)]
    started = time.monotonic()
    result = translate(site, stub, "--timeout", "0.5", "--jobs", "1")
    assert result.code == 0, result.output
    assert stub.count() == 2 * messages(site) + 1
    assert time.monotonic() - started < 2.5


def test_an_answer_that_stalls_after_its_headers_is_retried(site: Path, stub: StubProvider) -> None:
    stub.faults = [("stall",)]  # 60 s of silence after the headers
    started = time.monotonic()
    # 2 s: an honest answer is never that slow, even on a busy machine (0.3 s once retried one)
    result = translate(site, stub, "--timeout", "2")
    assert result.code == 0, result.output
    assert stub.count() == 2 * messages(site) + 1
    assert time.monotonic() - started < 15  # the stall cut at 2 s, not waited out


def test_an_answer_that_lost_its_masks_stays_empty_and_is_not_cached(
    site: Path, stub: StubProvider
) -> None:
    stub.rule = lambda request: ("drop-masks",) if request.text.startswith("Our {0}") else None

    result = translate(site, stub)

    assert result.code == 0, result.output
    for locale in ("ko", "ar"):
        entry = entries(site, locale)[LINK]
        assert entry.msgstr == "" and not entry.fuzzy
        lines = po_path(site, locale).read_text(encoding="utf-8").split("\n")
        line = lines.index(
            r'"Our [booking page](https://clinic.example/book) is open every day.\\\n"'
        )  # 'msgid ""' above
        file = f"locales/{locale}/LC_MESSAGES/messages.po"
        assert f"warning: {file}:{line}: left empty: the answer lost masked markup" in result.stderr
        msgfmt_ok(site, locale)
    assert ", 2 failed, " in result.stdout.splitlines()[-1]
    sent = stub.count()
    stub.rule = None
    assert translate(site, stub).code == 0
    assert stub.count() == sent + 2  # asked again: a broken answer was not cached
    assert entries(site, "ko")[LINK].msgstr == LINK_KO


def test_answers_received_before_a_failure_are_saved_and_a_rerun_continues(
    site: Path, stub: StubProvider
) -> None:
    answered = 5
    stub.rule = lambda request: None if stub.count() <= answered else ("status", 503)

    result = translate(site, stub)

    assert result.code == 1
    assert "translations saved" in result.stderr
    filled = {
        (locale, e.msgid)
        for locale in ("ko", "ar")
        for e in entries(site, locale).values()
        if e.msgstr
    }
    assert len(filled) == answered
    for locale in ("ko", "ar"):
        msgfmt_ok(site, locale)
    first = stub.count()

    stub.rule = None
    rerun = translate(site, stub)
    assert rerun.code == 0, rerun.output
    resent = stub.requests[first:]
    assert len(resent) == 2 * messages(site) - answered
    assert len({(r.target, r.text) for r in resent}) == len(resent)


def test_kill_9_leaves_every_catalog_valid_and_a_rerun_continues(site: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LIBRE_API_KEY"}
    with StubProvider(latency=0.05) as stub:
        command = [
            *(sys.executable, "-m", "pipeline", "--project", str(site), "translate"),
            *("--provider", "libre", "--provider-url", stub.url, "--jobs", "2"),
        ]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            assert stub.wait_for(9), "the translation never started"
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        sent = stub.count()
        assert 9 <= sent < 2 * messages(site)
        for locale in ("ko", "ar"):
            assert l10n(site, "check", "--locale", locale).code in (0, 1)  # parses: not exit 2
            msgfmt_ok(site, locale)

        rerun = translate(site, stub)
        assert rerun.code == 0, rerun.output
        # Asked twice at most: the two requests in flight, and two answers not yet in the cache.
        assert stub.count() - sent <= 2 * messages(site) - sent + 4
    assert all(
        e.msgstr for locale in ("ko", "ar") for e in entries(site, locale).values() if e.msgid
    )


def test_dry_run_counts_what_would_be_sent_without_a_key(site: Path) -> None:
    before = snapshot(site)
    result = l10n(site, "translate", "--provider", "libre", "--dry-run")
    assert result.code == 0, result.output
    assert f"ko: {messages(site)} empty entries, {messages(site)} texts to send (" in result.stdout
    assert f"dry run: {2 * messages(site)} texts" in result.stdout and "nothing sent" in result.stdout
    assert snapshot(site) == before


def test_pseudo_provider_stretches_accents_and_keeps_markup(site: Path) -> None:
    result = l10n(site, "translate", "--provider", "pseudo", "--locale", "ko")
    assert result.code == 0, result.output
    draft = entries(site, "ko")[LINK]
    assert draft.msgstr.startswith("⟦Öûŕ") and draft.msgstr.endswith("ţ.⟧")
    assert "](https://clinic.example/book)" in draft.msgstr and "\\\n" in draft.msgstr
    plain = "What to expect at your first consultation."
    assert len(entries(site, "ko")[plain].msgstr) >= 1.25 * len(plain) + 2  # + the brackets
    assert draft.tcomment == f"machine translation: pseudo {TODAY}"
    assert entries(site, "ar")[LINK].msgstr == ""  # only the chosen locale
    msgfmt_ok(site, "ko")


def test_a_broken_cache_is_exit_2_and_nothing_is_sent(site: Path, stub: StubProvider) -> None:
    cache = site / ".cache" / "translations.sqlite3"
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(b"not a database, whatever it was" * 100)
    before = snapshot(site)
    result = translate(site, stub)
    assert result.code == 2
    assert ".cache/translations.sqlite3: not a usable translation cache" in result.stderr
    assert stub.count() == 0 and snapshot(site) == before


def test_an_unknown_provider_is_exit_2(site: Path) -> None:
    result = l10n(site, "translate", "--provider", "babelfish")
    assert result.code == 2
    assert "unknown provider 'babelfish'" in result.stderr and "libre" in result.stderr
