"""A provider's answer is input: secrets redacted, unusable answers left empty and reported,
huge answers cut off while they stream in."""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

import polib
import pytest
from conftest import l10n, po_path
from mt_stub import StubProvider

from pipeline.translate.answers import refusal

KEY = "sentinel-K3y/with+odd=chars"
PLAIN = "What to expect at your first consultation."


@pytest.fixture
def site(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("LIBRE_API_KEY", raising=False)
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write("provider_retries = 2\nprovider_backoff = 0.01\n")
    return project


def translate(root: Path, stub: StubProvider, *args: str, provider: str = "libre", path: str = ""):
    return l10n(root, "translate", "--provider", provider, "--provider-url", stub.url + path, *args)


def entry(root: Path, locale: str, msgid: str) -> polib.POEntry:
    return next(e for e in polib.pofile(str(po_path(root, locale))) if e.msgid == msgid)


def clear(root: Path, locale: str, msgid: str) -> None:
    """Throw a draft away, as a translator would: empty again, no longer fuzzy."""
    from pipeline.catalogs import write_catalog

    catalog = polib.pofile(str(po_path(root, locale)))
    draft = next(e for e in catalog if e.msgid == msgid)
    draft.msgstr, draft.flags, draft.tcomment = "", [], ""
    write_catalog(po_path(root, locale), catalog)


def messages(root: Path, locale: str) -> int:
    """The messages of the tiny project's catalog (each one text to send)."""
    return sum(1 for e in polib.pofile(str(po_path(root, locale))) if e.msgid)


def everything_written(root: Path) -> bytes:
    """Catalogs, the SQLite cache and its journal: every byte the run could have leaked into."""
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def answer_plain(text: str):
    """A rule: the stub answers ``text`` to the plain message, and translates the rest."""
    return lambda request: ("answer", text) if request.text == PLAIN else None


def test_an_answer_that_echoes_the_key_is_stored_and_shown_redacted(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBRE_API_KEY", KEY)
    with StubProvider(key=KEY) as stub:
        stub.rule = answer_plain(f"ko: your key is {KEY}, encoded sentinel-K3y%2Fwith%2Bodd%3Dchars")
        result = translate(site, stub, "--locale", "ko")
        assert result.code == 0, result.output
        assert entry(site, "ko", PLAIN).msgstr == "ko: your key is ***, encoded ***"
        assert KEY not in result.output
        assert KEY.encode() not in everything_written(site) and b"K3y%2F" not in everything_written(site)
        clear(site, "ko", PLAIN)
        rerun = translate(site, stub, "--locale", "ko")  # answered from the cache: redacted there too
        assert rerun.code == 0 and "1 cached" in rerun.stdout
        assert entry(site, "ko", PLAIN).msgstr == "ko: your key is ***, encoded ***"


def test_a_key_in_the_provider_url_is_redacted_from_answers_and_messages(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "url-secret-98765"
    monkeypatch.setenv("MICROSOFT_API_KEY", "env-key-12345")
    with StubProvider() as stub:
        stub.rule = answer_plain(f"ko: echo {secret}")
        result = translate(site, stub, "--locale", "ko", provider="microsoft",
                           path=f"translate?api-version=3.0&Subscription-Key={secret}")
        stub.rule = lambda request: ("status", 400)
        clear(site, "ko", PLAIN)
        shutil.rmtree(site / ".cache")  # so the request is sent again, and fails
        failed = translate(site, stub, "--locale", "ko", "--jobs", "1", provider="microsoft",
                           path=f"translate?api-version=3.0&Subscription-Key={secret}")
    assert result.code == 0, result.output
    assert failed.code == 1 and "Subscription-Key=***" in failed.stderr  # the endpoint as shown
    assert secret not in result.output + failed.output
    assert secret.encode() not in everything_written(site)


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("ko: \x1b[31mRED\x1b[0m", "a control character, U+001B (an ANSI escape)"),
        ("ko: \x9b31mRED", "a control character, U+009B (an ANSI escape)"),
        ("ko: bell\x07", "a control character, U+0007"),
        ("ko: carriage\rreturn", "a control character, U+000D"),
        ("ko: nul\x00", "a control character, U+0000"),
        ("ko: \ud800 half a pair", "a lone surrogate, U+D800"),
        ("ko: \udfff", "a lone surrogate, U+DFFF"),
    ],
)
def test_an_answer_with_control_characters_or_a_lone_surrogate_stays_empty_and_is_reported(
    site: Path, answer: str, reason: str
) -> None:
    with StubProvider() as stub:
        stub.rule = answer_plain(answer)
        result = translate(site, stub, "--locale", "ko")
        assert result.code == 0, result.output
        assert entry(site, "ko", PLAIN).msgstr == "" and not entry(site, "ko", PLAIN).fuzzy
        assert f"left empty: the answer holds {reason}" in result.stderr
        assert "locales/ko/LC_MESSAGES/messages.po:" in result.stderr
        summary = f"libre: {messages(site, 'ko')} sent, 0 cached, 1 failed, "
        assert result.stdout.splitlines()[-1].startswith(summary)
        assert "\x1b" not in result.output and "\x9b" not in result.output and "Traceback" not in result.output
        assert all(entry(site, "ko", m).msgstr for m in ("First Visit", "Before you arrive"))
        # refused answers are not cached: a rerun asks again and takes a good answer
        sent = stub.count()
        stub.rule = None
        assert translate(site, stub, "--locale", "ko").code == 0
        assert stub.count() == sent + 1
        assert entry(site, "ko", PLAIN).msgstr == f"ko: {PLAIN.upper()}"


def test_tabs_newlines_and_line_separators_are_no_reason_to_refuse(site: Path) -> None:
    answer = "ko:\tTAB\nNEWLINE\u2028LINE SEPARATOR"
    with StubProvider() as stub:
        stub.rule = answer_plain(answer)
        result = translate(site, stub, "--locale", "ko")
    assert result.code == 0, result.output
    assert entry(site, "ko", PLAIN).msgstr == answer
    assert l10n(site, "check", "--locale", "ko").code in (0, 1)  # the catalog reads back: not exit 2


def test_an_answer_far_longer_than_the_text_sent_stays_empty(site: Path) -> None:
    limit = max(10 * len(PLAIN), len(PLAIN) + 200)
    with StubProvider() as stub:
        stub.rule = answer_plain("A" * (limit + 1))
        result = translate(site, stub, "--locale", "ko")
        assert result.code == 0, result.output
        assert entry(site, "ko", PLAIN).msgstr == ""
        reason = f"the answer is {limit + 1:,} characters long for {len(PLAIN)} sent (at most {limit:,})"
        assert f"left empty: {reason}" in result.stderr
        stub.rule = answer_plain("A" * limit)  # exactly at the bound: accepted
        assert translate(site, stub, "--locale", "ko").code == 0
    assert entry(site, "ko", PLAIN).msgstr == "A" * limit


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "no-length"])
def test_a_200_mb_answer_is_cut_off_fast_and_fails_only_its_locale(site: Path, declared: bool) -> None:
    untouched = po_path(site, "ko").read_bytes()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with StubProvider() as stub:
        stub.rule = lambda request: ("huge", 200, declared) if request.target == "ko" else None
        started = time.monotonic()
        result = translate(site, stub, "--timeout", "20", "--jobs", "2")
        elapsed = time.monotonic() - started
    assert result.code == 1, result.output
    assert "error: ko: libre at " in result.stderr and "answer larger than 1,048,576 bytes: cut off" in result.stderr
    assert "(3 attempts)" not in result.stderr  # not retried: the same answer would come again
    assert elapsed < 5, elapsed
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100 * 1024  # never buffered
    assert po_path(site, "ko").read_bytes() == untouched
    assert entry(site, "ar", PLAIN).msgstr == f"ar: {PLAIN.upper()}"  # the other locale went on


def test_a_compressed_answer_is_capped_after_decompression(site: Path) -> None:
    """200 MB of zeros gzip to 200 KB: the cap counts what the answer decompresses to."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with StubProvider() as stub:
        stub.rule = lambda request: ("gzip-bomb", 200) if request.target == "ko" else None
        started = time.monotonic()
        result = translate(site, stub, "--jobs", "2")
        elapsed = time.monotonic() - started
    assert result.code == 1, result.output
    assert "error: ko: " in result.stderr and "answer larger than 1,048,576 bytes: cut off" in result.stderr
    assert elapsed < 8, elapsed
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100 * 1024


def test_a_redirect_is_reported_not_followed(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Followed, its body would be read whole (past the cap) and the key sent on to elsewhere."""
    monkeypatch.setenv("LIBRE_API_KEY", KEY)
    with StubProvider() as stub, StubProvider() as elsewhere:
        stub.rule = lambda request: ("status", 307, {"Location": f"{elsewhere.url}translate?api_key={KEY}"})
        result = translate(site, stub, "--locale", "ko", "--jobs", "1")
    assert result.code == 1, result.output
    assert f"HTTP 307: redirected to {elsewhere.url}translate?api_key=*** (not followed: use that URL)" in result.stderr
    assert stub.count() in (1, 2) and elsewhere.count() == 0
    assert KEY not in result.output


def test_provider_error_text_reaches_the_terminal_without_escape_sequences(site: Path) -> None:
    hostile = b'{"error": "\x1b[2J\x1b]0;owned\x07 \xc2\x9b31m wiped"}'
    with StubProvider() as stub:
        stub.rule = lambda request: ("status", 400, {}, hostile)
        result = translate(site, stub, "--locale", "ko", "--jobs", "1")
    assert result.code == 1, result.output
    assert "HTTP 400: " in result.stderr
    assert r"\x1b[2J\x1b]0;owned\x07 \x9b31m wiped" in result.stderr  # shown, spelled out
    assert not any(ch in result.output for ch in "\x1b\x07\x9b")


@pytest.mark.parametrize(
    "answer, sent, expected",
    [
        ("안녕하세요", "Hello", None),
        ("줄\n바꿈\t탭", "Line\nbreak", None),
        ("\u2028\u2029 are no controls", "x", None),
        ("NEL\u0085 is a C1 control", "x", "a control character, U+0085"),
        ("x" * 202, "Hi", None),  # +200 characters for short texts
        ("x" * 203, "Hi", "the answer is 203 characters long for 2 sent (at most 202)"),
        ("x" * 500, "y" * 50, None),
        ("x" * 501, "y" * 50, "the answer is 501 characters long for 50 sent (at most 500)"),
        ("\x7f", "x", "a control character, U+007F"),
    ],
)
def test_refusal_table(answer: str, sent: str, expected: str | None) -> None:
    found = refusal(answer, sent)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found
