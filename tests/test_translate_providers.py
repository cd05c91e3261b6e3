"""Every HTTP provider of the table, through its real deep-translator adapter, against a stub of
its API on 127.0.0.1: endpoint, where the key goes, body, answer shape, refused keys, retries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from conftest import l10n, po_path, snapshot
from mt_stub import StubProvider

from pipeline.translate.providers import PROVIDERS

KEY = "sentinel-K3y/with+odd=chars"
PLAIN = "What to expect at your first consultation."
LINK = "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first."


@dataclass(frozen=True)
class Api:
    provider: str
    url_path: str  # appended to the stub's URL for --provider-url
    locale: str
    method: str
    path: str  # the path the adapter requests
    key_in: str  # where the stub found the key ("" for keyless providers)
    env: tuple[tuple[str, str], ...] = ()  # the environment the run gets (KEY is the secret)


APIS = [
    Api("google", "m", "ko", "GET", "/m", ""),
    Api("deepl", "v2/", "ja", "GET", "/v2/translate", "query auth_key", (("DEEPL_API_KEY", KEY),)),
    Api("microsoft", "translate?api-version=3.0", "ko", "POST", "/translate",
        "header Ocp-Apim-Subscription-Key", (("MICROSOFT_API_KEY", KEY),)),
    Api("mymemory", "get", "ko", "GET", "/get", ""),
    Api("libre", "", "ko", "POST", "/translate", "query api_key", (("LIBRE_API_KEY", KEY),)),
    Api("papago", "v1/papago/n2mt", "ko", "POST", "/v1/papago/n2mt", "header X-Naver-Client-Secret",
        (("PAPAGO_CLIENT_ID", "naver-client-7"), ("PAPAGO_SECRET_KEY", KEY))),
    Api("yandex", "api/", "ko", "POST", "/api/v1.5/tr.json/translate", "form key", (("YANDEX_API_KEY", KEY),)),
    Api("baidu", "api/trans/vip/translate", "ko", "POST", "/api/trans/vip/translate", "query sign",
        (("BAIDU_APPID", "20260101000000007"), ("BAIDU_APPKEY", KEY))),
    Api("qcri", "api/v1/", "ar", "GET", "/api/v1/translate", "query key", (("QCRI_API_KEY", KEY),)),
    Api("chatgpt", "v1/", "ko", "POST", "/v1/chat/completions", "header Authorization: Bearer",
        (("OPEN_API_KEY", KEY),)),
]
KEYED = [api for api in APIS if api.env]


def test_every_http_provider_of_the_table_is_tested_here() -> None:
    assert {api.provider for api in APIS} == set(PROVIDERS) - {"pseudo"}


@pytest.fixture
def site(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for provider in PROVIDERS.values():
        for name in provider.keys:
            monkeypatch.delenv(name, raising=False)
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write("provider_retries = 2\nprovider_backoff = 0.01\n")
    return project


def run(root: Path, stub: StubProvider, api: Api, monkeypatch: pytest.MonkeyPatch, *args: str):
    for name, value in api.env:
        monkeypatch.setenv(name, value)
    if not po_path(root, api.locale).exists():
        assert l10n(root, "init", "--locale", api.locale).code == 0
    return l10n(root, "translate", "--provider", api.provider, "--provider-url", stub.url + api.url_path,
                "--locale", api.locale, *args)


def msgstrs(root: Path, locale: str) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.pofile(str(po_path(root, locale)))}


def messages(root: Path, locale: str) -> int:
    """The messages of the tiny project's catalog (each one text to send)."""
    return sum(1 for e in polib.pofile(str(po_path(root, locale))) if e.msgid)


def everything_written(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.provider)
def test_the_adapter_speaks_the_providers_api(site: Path, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    with StubProvider(key=KEY if api.env else None) as stub:
        result = run(site, stub, api, monkeypatch)

    assert result.code == 0, result.output
    provider = PROVIDERS[api.provider]
    source, target = provider.code("en"), provider.code(api.locale)
    if api.provider == "chatgpt":
        source = ""  # the prompt names only the target language
    assert {(r.api, r.method, r.path, r.key_in, r.source, r.target) for r in stub.requests} == {
        (api.provider, api.method, api.path, api.key_in, source, target)
    }
    assert stub.count() == messages(site, api.locale)
    translated = msgstrs(site, api.locale)
    assert translated[PLAIN] == f"{target}: {PLAIN.upper()}"
    upper = LINK.upper().replace("HTTPS://CLINIC.EXAMPLE/BOOK", "https://clinic.example/book")
    assert translated[LINK] == f"{target}: {upper}"  # markup masked, sent, and put back
    assert KEY not in result.output and KEY.encode() not in everything_written(site)


@pytest.mark.parametrize("api", KEYED, ids=lambda api: api.provider)
def test_a_key_the_provider_refuses_is_exit_2_naming_the_variables(
    site: Path, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not po_path(site, api.locale).exists():
        assert l10n(site, "init", "--locale", api.locale).code == 0
    before = snapshot(site)
    with StubProvider(key="the-right-key-0") as stub:
        result = run(site, stub, api, monkeypatch)

    assert result.code == 2, result.output
    names = " and ".join(PROVIDERS[api.provider].keys)
    assert f"{api.provider} rejected the API key in {names}" in result.stderr
    assert stub.requests and all(r.key != "the-right-key-0" for r in stub.requests)
    assert KEY not in result.output
    assert snapshot(site) == before


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.provider)
def test_429_and_5xx_are_retried_for_every_provider(site: Path, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    with StubProvider() as stub:
        # the first text: 429, 503, then an answer (the third attempt); the next text: 502, answer
        stub.faults = [("status", 429, {"Retry-After": "0"}), ("status", 503), ("delay", 0), ("status", 502)]
        result = run(site, stub, api, monkeypatch, "--jobs", "1")

    assert result.code == 0, result.output
    assert stub.count() == messages(site, api.locale) + 3
    assert all(msgstrs(site, api.locale)[m] for m in (PLAIN, LINK))


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.provider)
def test_a_provider_that_keeps_failing_fails_its_locale_with_the_status(
    site: Path, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not po_path(site, api.locale).exists():
        assert l10n(site, "init", "--locale", api.locale).code == 0
    untouched = po_path(site, api.locale).read_bytes()
    with StubProvider() as stub:
        stub.rule = lambda request: ("status", 500)
        result = run(site, stub, api, monkeypatch, "--jobs", "1")

    assert result.code == 1, result.output
    assert f"error: {api.locale}: {api.provider} at " in result.stderr and "HTTP 500 (3 attempts)" in result.stderr
    # three attempts per text; once the locale failed nothing more is sent (the one worker may have
    # started a next text or two before the main thread took in the first failure, on a busy machine)
    assert stub.count() % 3 == 0 and stub.count() <= 9, stub.count()
    assert po_path(site, api.locale).read_bytes() == untouched
