"""Machine translation's pieces as tables: masking, pseudo, locale codes, retries, redaction."""

from __future__ import annotations

import email.utils
import time

import pytest

from pipeline.translate.masking import Masker, unmask
from pipeline.translate.providers import PROVIDERS
from pipeline.translate.pseudo import pseudolocalize
from pipeline.translate.transport import (
    KeyRejected,
    ProviderError,
    RateLimit,
    Retryable,
    RetryPolicy,
    Transport,
    parse_retry_after,
    redact,
)

SHIPPED = ("ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar")


@pytest.mark.parametrize(
    "source, masked, originals",
    [
        ("Plain words.", "Plain words.", ()),
        (
            "**Bold** and _soft_ ~~gone~~",
            "{0}Bold{1} and {2}soft{3} {4}gone{5}",
            ("**", "**", "_", "_", "~~", "~~"),
        ),
        (
            "See [the page](https://a.example/x) now",
            "See {0}the page{1} now",
            ("[", "](https://a.example/x)"),
        ),
        ("![Chart](images/c.png)", "{0}Chart{1}", ("![", "](images/c.png)")),
        ("Run `l10n build` first", "Run {0} first", ("`l10n build`",)),
        (
            "Visit https://clinic.example/book today",
            "Visit {0} today",
            ("https://clinic.example/book",),
        ),
        (
            "<https://a.example> or mailto:x@a.example",
            "{0} or {1}",
            ("<https://a.example>", "mailto:x@a.example"),
        ),
        (
            "Hello {name}, you have %(count)d new",
            "Hello {0}, you have {1} new",
            ("{name}", "%(count)d"),
        ),
        ("A literal {0} stays", "A literal {0} stays", ("{0}",)),
        ("※ Side effects", "{0} Side effects", ("※",)),
        ("Line one\\\nline two", "Line one{0}line two", ("\\\n",)),
        ("Not \\*emphasis\\*", "Not {0}emphasis{1}", ("\\*", "\\*")),
        ("Tom &amp; Jerry", "Tom {0} Jerry", ("&amp;",)),
        ("snake_case_word stays", "snake_case_word stays", ()),
        ("**[Book](https://a.example)**", "{0}Book{1}", ("**[", "](https://a.example)**")),
        ("Write to <info@clinic.example>", "Write to {0}", ("<info@clinic.example>",)),
        ("Two spaces  \nbreak", "Two spaces{0}break", ("  \n",)),
        ("See [the clinic][site] first", "See {0}the clinic{1} first", ("[", "][site]")),
        # Only what markdown-it renders as markup is masked; look-alikes are prose:
        ("A lone * and 2*3", "A lone * and 2*3", ()),
        ("[link](/my uri) has a space", "[link](/my uri) has a space", ()),
        ("```not code``", "```not code``", ()),
        ("\\A is no escape", "\\A is no escape", ()),
        ("&MadeUp; is no entity", "&MadeUp; is no entity", ()),
        ("<irc://chat.example> is no link here", "<irc://chat.example> is no link here", ()),
    ],
)
def test_markup_is_masked(source: str, masked: str, originals: tuple[str, ...]) -> None:
    result = Masker().mask(source)
    assert (result.text, result.originals) == (masked, originals)
    assert unmask(result.text, result.originals) == source


def test_glossary_keep_terms_are_masked_whole_and_longest_first() -> None:
    masker = Masker(("SMAS", "TS Plastic Surgery", "Plastic"))
    result = masker.mask("Source: TS Plastic Surgery website on smas layers, not SMASH")
    assert result.text == "Source: {0} website on {1} layers, not SMASH"
    assert result.originals == ("TS Plastic Surgery", "smas")


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("{1}Fett{0}", "**Fett["),  # providers may reorder tokens
        ("{ 0 }Fett{ 1 }", "[Fett**"),  # or space them out
        ("Fett{1}", None),  # a token lost
        ("{0}{0}Fett{1}", None),  # a token doubled
        ("{0}Fett{1}{2}", None),  # a token invented
    ],
)
def test_unmask_needs_every_token_exactly_once(answer: str, expected: str | None) -> None:
    assert unmask(answer, ("[", "**")) == expected


def test_nothing_to_translate_is_recognised() -> None:
    assert not Masker().mask("https://clinic.example/").has_words
    assert not Masker().mask("`code` — 2024").has_words
    assert Masker().mask("Call `now`").has_words


def test_pseudolocalization_accents_stretches_and_keeps_tokens() -> None:
    text = "Please bring your ID card and a list of your medicines {0} today."
    result = pseudolocalize(text)
    assert result.startswith("⟦Þļéå") and result.endswith("⟧")
    assert "{0}" in result and unmask(result, ("**",)) is not None
    assert 1.25 <= (len(result) - 2) / len(text) <= 1.35
    assert not any("a" <= c <= "z" for c in result.replace("{0}", ""))


@pytest.mark.parametrize(
    "provider, locale, code",
    [
        ("google", "zh_Hans", "zh-CN"),
        ("google", "zh_Hant", "zh-TW"),
        ("google", "ko", "ko"),
        ("google", "he", "iw"),
        ("google", "pt_PT", None),  # not guessed from pt
        ("libre", "zh_Hans", "zh"),
        ("libre", "zh_Hant", None),
        ("libre", "th", None),
        ("deepl", "zh_Hans", "zh"),
        ("deepl", "ko", None),  # deep-translator 1.11's DeepL table has no Korean
        ("microsoft", "zh_Hant", "zh-Hant"),
        ("mymemory", "ko", "ko-KR"),
        ("mymemory", "pt_BR", "pt-BR"),  # listed by the provider exactly so
        ("papago", "zh_Hant", "zh-TW"),
        ("papago", "ar", None),
        ("baidu", "ja", "jp"),
        ("baidu", "zh_Hant", "cht"),
        ("yandex", "zh_Hans", "zh"),
        ("qcri", "ar", "ar"),
        ("qcri", "ko", None),
        ("chatgpt", "zh_Hant", "Chinese (Traditional)"),
        ("pseudo", "th", "th"),
    ],
)
def test_locale_codes_come_from_the_table(provider: str, locale: str, code: str | None) -> None:
    assert PROVIDERS[provider].code(locale) == code


@pytest.mark.parametrize("name", [n for n in PROVIDERS if n not in ("chatgpt", "pseudo")])
def test_deep_translator_accepts_every_code_the_table_gives(name: str) -> None:
    """Our table against the library: constructing its real adapter validates the pair, offline."""
    provider = PROVIDERS[name]
    keys = {key: "dummy" for key in provider.keys}
    source = provider.code("en")
    assert source is not None
    for locale in SHIPPED:
        target = provider.code(locale)
        if target is not None:
            translator = provider.translator(source, target, keys, "http://127.0.0.1:9/")
            assert (translator.source, translator.target) == (source, target)
            assert translator._base_url.startswith("http://127.0.0.1:9/")


def test_retry_waits_grow_with_jitter_and_respect_retry_after() -> None:
    policy = RetryPolicy(retries=3, backoff=1.0)
    assert [policy.delay(n, None, rand=lambda: 0.0) for n in range(3)] == [0.5, 1.0, 2.0]
    assert [policy.delay(n, None, rand=lambda: 1.0) for n in range(3)] == [1.0, 2.0, 4.0]
    assert policy.delay(0, 7.0, rand=lambda: 0.5) == 7.0


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    now = time.time()
    assert parse_retry_after("120") == 120
    assert parse_retry_after(
        email.utils.formatdate(now + 30, usegmt=True), now=now
    ) == pytest.approx(30, abs=1)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def _transport(**kwargs: object) -> tuple[Transport, list[float]]:
    waits: list[float] = []
    policy = RetryPolicy(retries=2, backoff=0.5)
    return Transport(1.0, policy, sleep=waits.append, **kwargs), waits


def test_transport_retries_then_gives_up_with_the_count() -> None:
    transport, waits = _transport()
    attempts = []

    def flaky() -> str:
        attempts.append(1)
        raise Retryable("HTTP 503")

    with pytest.raises(ProviderError, match=r"^HTTP 503 \(3 attempts\)$"):
        transport.call(flaky)
    assert len(attempts) == 3 and len(waits) == 2 and 0.25 <= waits[0] <= 0.5 <= waits[1] <= 1.0


def test_transport_succeeds_after_a_retry() -> None:
    transport, waits = _transport()
    answers = iter([Retryable("HTTP 429", retry_after=2.0), "안녕"])

    def once_limited() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert transport.call(once_limited) == "안녕"
    assert waits == [2.0]


def test_transport_does_not_retry_a_rejected_key() -> None:
    transport, waits = _transport()
    with pytest.raises(KeyRejected):
        transport.call(lambda: (_ for _ in ()).throw(KeyRejected(403)))
    assert waits == []


def test_library_errors_are_redacted() -> None:
    secret = "s3cr3t/key+x"
    transport, _ = _transport(secrets=(secret,))

    def leaky() -> str:  # deep-translator's AuthorizationException prints the key it was given
        raise ValueError(f"{secret} --> Unauthorized, url=?auth_key=s3cr3t%2Fkey%2Bx")

    with pytest.raises(ProviderError) as caught:
        transport.call(leaky)
    assert "s3cr3t" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_redact_hides_every_spelling_of_a_key() -> None:
    assert redact("k=a/b+c k=a%2Fb%2Bc k=a/b%2Bc", ("a/b+c",)) == "k=*** k=*** k=***"
    assert redact("nothing here", ("",)) == "nothing here"
    assert redact("id=abc secret=abcdef", ("abc", "abcdef")) == "id=*** secret=***"  # not ***def


def test_rate_limit_spaces_requests() -> None:
    limit = RateLimit(200.0)
    started = time.monotonic()
    for _ in range(5):
        limit.wait()
    assert time.monotonic() - started >= 4 / 200


def test_pseudo_keeps_a_leading_marker_in_front() -> None:
    from pipeline.translate.pseudo import pseudolocalize

    assert pseudolocalize("{0} Side effects may occur.").startswith("{0} ⟦Šîð")
    assert pseudolocalize("{0}") == "{0}"
    assert pseudolocalize("Plain").startswith("⟦Þļåî")


@pytest.mark.parametrize(
    "url, secrets",
    [
        ("https://libre.example/", ()),
        ("https://user:pa55word@libre.example/", ("pa55word",)),
        ("https://x.example/translate?api-version=3.0&Subscription-Key=abcdef123", ("abcdef123",)),
        ("https://x.example/?token=t0ken-value&lang=en", ("t0ken-value",)),
        ("https://x.example/?key=short", ()),  # under six characters: would redact common words
        ("https://x.example/?page=123456", ()),  # not named like a key
    ],
)
def test_what_looks_like_a_key_in_a_url(url: str, secrets: tuple[str, ...]) -> None:
    from pipeline.translate.transport import url_secrets

    assert url_secrets(url) == secrets


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain text, 한국어", "plain text, 한국어"),
        ("two\nlines\r\nhere", "two lines here"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\x07 csi\x9b del\x7f", "bell\\x07 csi\\x9b del\\x7f"),
        ("half \ud800 pair", "half \\ud800 pair"),
    ],
)
def test_provider_text_is_made_printable(text: str, shown: str) -> None:
    from pipeline.translate.transport import printable

    assert printable(text) == shown
