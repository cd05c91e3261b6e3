"""The explicit provider table: deep-translator adapters, their keys, endpoints and locale codes.

A locale is sent under the provider's code from this table: an explicit entry (``zh_Hant`` ->
``zh-TW`` for Google), else the locale's BCP 47 spelling if the provider lists exactly that code.
Anything else is unsupported and reported, never guessed. Keys come only from environment
variables (deep-translator's names where it has them), read when a run starts.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from ..errors import InputError
from . import transport
from .pseudo import PseudoTranslator

Factory = Callable[[str, str, Mapping[str, str]], Any]

_MICROSOFT_CODES = frozenset(
    "af ar bg bn bs ca cs cy da de el en es et fa fi fil fr ga gu he hi hr ht hu hy id is it ja "
    "kk km kn ko lo lt lv mi ml mr ms mt my nb ne nl pa pl ps pt ro ru sk sl sq sv sw ta te th "
    "tr uk ur uz vi".split()
)
_YANDEX_CODES = frozenset(
    "af am ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gd gl gu he hi hr ht "
    "hu hy id is it ja jv ka kk km kn ko ky la lb lo lt lv mg mi mk ml mn mr ms mt my ne nl no "
    "pa pl pt ro ru si sk sl sq sr su sv sw ta te tg th tl tr tt uk ur uz vi xh yi zh zu".split()
)

# fmt: off
_MYMEMORY_CODES = {  # MyMemory wants a region: these are the ones its users expect
    "en": "en-GB", "ko": "ko-KR", "ja": "ja-JP", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW",
    "th": "th-TH", "vi": "vi-VN", "ru": "ru-RU", "ar": "ar-SA", "de": "de-DE", "fr": "fr-FR",
    "es": "es-ES", "it": "it-IT", "pt": "pt-PT", "nl": "nl-NL", "pl": "pl-PL", "tr": "tr-TR",
    "uk": "uk-UA", "id": "id-ID", "he": "he-IL", "hi": "hi-IN", "fa": "fa-IR", "ms": "ms-MY",
}
_BAIDU_CODES = {  # Baidu's own three-letter codes
    "zh_Hans": "zh", "zh_Hant": "cht", "ko": "kor", "ja": "jp", "vi": "vie", "ar": "ara",
    "fr": "fra", "es": "spa", "bg": "bul", "da": "dan", "et": "est", "fi": "fin",
    "sl": "slo", "sv": "swe",
}
# fmt: on


def _library_codes(table: str) -> frozenset[str]:
    from deep_translator import constants

    return frozenset(getattr(constants, table).values())


@dataclass(frozen=True)
class Provider:
    name: str
    keys: tuple[str, ...]  # environment variables, all needed
    endpoint: str | Callable[[Mapping[str, str]], str]  # default base URL (may depend on the key)
    codes: Mapping[str, str | None] = field(default_factory=dict)  # explicit locale -> code
    listed: Callable[[], frozenset[str]] = frozenset  # codes the provider takes as they are
    factory: Factory | None = None  # (source, target, keys) -> translator; None: offline
    url_tail: str = ""  # what deep-translator formats onto the base URL
    rate: float | None = None  # requests per second on the public endpoint
    max_chars: int | None = None  # deep-translator refuses longer texts
    call_kwargs: Mapping[str, Any] = field(default_factory=dict)
    keys_optional_with_url: bool = False  # a self-hosted server may need no key
    any_locale: Callable[[str], str] | None = None  # providers that take language names
    key_error: Callable[[Any], str | None] | None = None  # a refused key in a 200 answer

    @property
    def offline(self) -> bool:
        return self.factory is None

    def code(self, locale: str) -> str | None:
        """The provider's code for a gettext locale, or None when it does not support it."""
        if self.any_locale is not None:
            return self.any_locale(locale)
        if locale in self.codes:
            return self.codes[locale]
        tag = locale.replace("_", "-")
        return tag if tag in self.listed() else None

    def default_endpoint(self, keys: Mapping[str, str]) -> str:
        return self.endpoint(keys) if callable(self.endpoint) else self.endpoint

    def read_keys(self, url: str | None, required: bool = True) -> dict[str, str]:
        """The keys from the environment, now (not at import time, as deep-translator does)."""
        keys = {}
        for name in self.keys:
            value = os.environ.get(name, "").strip()
            if value:
                keys[name] = value
            elif required and not (self.keys_optional_with_url and url):
                raise InputError(
                    None, None, f"{self.name} needs an API key: set the environment variable {name}"
                )
        return keys

    def translator(self, source: str, target: str, keys: Mapping[str, str], base_url: str) -> Any:
        """A deep-translator translator for one language pair, its HTTP routed through transport."""
        if self.factory is None:
            return PseudoTranslator()
        translator = self.factory(source, target, keys)
        transport.install(importlib.import_module(type(translator).__module__))
        translator._base_url = base_url + self.url_tail
        # Our table is the authority on codes (deep-translator maps Papago's to names).
        translator._source, translator._target = source, target
        return translator


def _libre(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import LibreTranslator

    translator = LibreTranslator(
        source=source, target=target, api_key=keys.get("LIBRE_API_KEY") or "none"
    )
    translator.api_key = keys.get("LIBRE_API_KEY")  # no api_key parameter when there is no key
    return translator


def _deepl(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import DeeplTranslator

    return DeeplTranslator(source=source, target=target, api_key=keys["DEEPL_API_KEY"])


def _deepl_endpoint(keys: Mapping[str, str]) -> str:
    # DeepL's free-plan keys end in ":fx" and only work on the free endpoint.
    free = keys.get("DEEPL_API_KEY", ":fx").endswith(":fx")
    return "https://api-free.deepl.com/v2/" if free else "https://api.deepl.com/v2/"


def _google(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import GoogleTranslator

    return GoogleTranslator(source=source, target=target)


def _mymemory(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import MyMemoryTranslator

    return MyMemoryTranslator(source=source, target=target)


def _microsoft(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import MicrosoftTranslator

    class Microsoft(MicrosoftTranslator):
        # deep-translator fetches the language list over the network in __init__, with no
        # timeout and no way to point it elsewhere; our table already knows the codes.
        def _get_supported_languages(self) -> dict[str, str]:
            return {code: code for code in (*_MICROSOFT_CODES, "zh-Hans", "zh-Hant", "pt-pt")}

    Microsoft.__module__ = MicrosoftTranslator.__module__  # its HTTP goes through that module
    region = os.environ.get("MICROSOFT_REGION", "").strip() or None
    return Microsoft(source=source, target=target, api_key=keys["MICROSOFT_API_KEY"], region=region)


def _papago(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import PapagoTranslator

    return PapagoTranslator(
        client_id=keys["PAPAGO_CLIENT_ID"],
        secret_key=keys["PAPAGO_SECRET_KEY"],
        source=source,
        target=target,
    )


def _yandex(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import YandexTranslator

    codes = {code: code for code in _YANDEX_CODES}
    return YandexTranslator(
        source=source, target=target, api_key=keys["YANDEX_API_KEY"], languages=codes
    )


def _baidu(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import BaiduTranslator

    return BaiduTranslator(
        source=source, target=target, appid=keys["BAIDU_APPID"], appkey=keys["BAIDU_APPKEY"]
    )


_BAIDU_KEY_ERRORS = {"52003", "54001"}  # unauthorised appid, wrong signature (so: wrong appkey)


def _baidu_key_error(response: Any) -> str | None:
    """Baidu answers HTTP 200 with an ``error_code`` when the appid or appkey is wrong."""
    try:
        answer = response.json()
    except ValueError:
        return None
    code = str(answer.get("error_code", "")) if isinstance(answer, dict) else ""
    return f"error {code}: {answer.get('error_msg', '')}".strip() if code in _BAIDU_KEY_ERRORS else None


def _qcri(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from deep_translator import QcriTranslator

    return QcriTranslator(source=source, target=target, api_key=keys["QCRI_API_KEY"])


def _chatgpt(source: str, target: str, keys: Mapping[str, str]) -> Any:
    from .chatgpt import ChatGptTranslator  # deep-translator's needs openai<1: see chatgpt.py

    return ChatGptTranslator(source=source, target=target, api_key=keys["OPEN_API_KEY"])


def _english_name(locale: str) -> str:
    return Locale.parse(locale).get_display_name("en")


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider(
            "google",
            (),
            "https://translate.google.com/m",
            codes={
                "zh_Hans": "zh-CN",
                "zh_Hant": "zh-TW",
                "he": "iw",
                "fil": "tl",
                "nb": "no",
                "pt_BR": "pt",
            },
            listed=lambda: _library_codes("GOOGLE_LANGUAGES_TO_CODES"),
            factory=_google,
            rate=5,
            max_chars=5000,
        ),
        Provider(
            "deepl",
            ("DEEPL_API_KEY",),
            _deepl_endpoint,
            codes={"zh_Hans": "zh"},
            listed=lambda: _library_codes("DEEPL_LANGUAGE_TO_CODE"),
            factory=_deepl,
            rate=10,
        ),
        Provider(
            "microsoft",
            ("MICROSOFT_API_KEY",),
            "https://api.cognitive.microsofttranslator.com/translate?api-version=3.0",
            codes={"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "pt_BR": "pt", "pt_PT": "pt-pt"},
            listed=lambda: _MICROSOFT_CODES,
            factory=_microsoft,
            rate=10,
        ),
        Provider(
            "mymemory",
            (),
            "https://api.mymemory.translated.net/get",
            codes=_MYMEMORY_CODES,
            listed=lambda: _library_codes("MY_MEMORY_LANGUAGES_TO_CODES"),
            factory=_mymemory,
            rate=2,
            max_chars=500,
        ),
        Provider(
            "libre",
            ("LIBRE_API_KEY",),
            "https://libretranslate.com/",
            codes={"zh_Hans": "zh"},
            listed=lambda: _library_codes("LIBRE_LANGUAGES_TO_CODES"),
            factory=_libre,
            rate=5,
            keys_optional_with_url=True,
        ),
        Provider(
            "papago",
            ("PAPAGO_CLIENT_ID", "PAPAGO_SECRET_KEY"),
            "https://openapi.naver.com/v1/papago/n2mt",
            codes={"zh_Hans": "zh-CN", "zh_Hant": "zh-TW"},
            listed=lambda: frozenset("ko en ja es fr vi th id".split()),
            factory=_papago,
            rate=10,
        ),
        Provider(
            "yandex",
            ("YANDEX_API_KEY",),
            "https://translate.yandex.net/api/",
            codes={"zh_Hans": "zh"},
            listed=lambda: _YANDEX_CODES,
            factory=_yandex,
            url_tail="{version}/tr.json/{endpoint}",
            rate=10,
        ),
        Provider(
            "baidu",
            ("BAIDU_APPID", "BAIDU_APPKEY"),
            "https://fanyi-api.baidu.com/api/trans/vip/translate",
            codes=_BAIDU_CODES,
            listed=lambda: _library_codes("BAIDU_LANGUAGE_TO_CODE"),
            factory=_baidu,
            key_error=_baidu_key_error,
            rate=1,  # Baidu's standard plan allows one request per second
        ),
        Provider(
            "qcri",
            ("QCRI_API_KEY",),
            "https://mt.qcri.org/api/v1/",
            listed=lambda: _library_codes("QCRI_LANGUAGE_TO_CODE"),
            factory=_qcri,
            url_tail="{endpoint}?",
            rate=5,
            call_kwargs={"domain": "general"},
        ),
        Provider(
            "chatgpt",
            ("OPEN_API_KEY",),
            "https://api.openai.com/v1/",
            factory=_chatgpt,
            rate=3,
            any_locale=_english_name,  # the prompt names the language: "into Korean"
        ),
        Provider("pseudo", (), "offline", any_locale=lambda locale: locale),
    )
}


def provider_named(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise InputError(
            None, None, f"unknown provider {name!r}: use one of {', '.join(PROVIDERS)}"
        ) from None
