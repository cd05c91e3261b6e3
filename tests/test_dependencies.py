"""The libraries whose internals the code reaches into: bounded in pyproject.toml, pinned in
constraints.txt, and checked here, so an upgrade that removes an internal fails with a message
that names it, the module that uses it and the bound to move (not as a puzzle deep in a run)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import tomllib
from collections.abc import Callable
from importlib import metadata

import pytest
from conftest import REPO
from packaging.requirements import Requirement

# library -> what the code touches in it
TOUCHED = ("axe-playwright-python", "deep-translator", "markdown-it-py", "polib", "requests", "urllib3")


def requirements() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [Requirement(line) for line in project["dependencies"]]
    return {metadata.metadata(r.name)["Name"].lower(): r for r in found}


def bound(library: str) -> str:
    return str(requirements()[library])


def _http_providers() -> list:
    from pipeline.translate.providers import PROVIDERS

    return [p for p in PROVIDERS.values() if not p.offline and p.name != "chatgpt"]


def _translators() -> list:
    translators = []
    for provider in _http_providers():
        keys = {name: "dummy" for name in provider.keys}
        translators.append(provider.factory(provider.code("en"), provider.code("ar") or provider.code("ja"), keys))
    return translators


def _deep_translator_internals() -> list[tuple[str, str, Callable[[], bool]]]:
    checks = []
    for translator in _translators():
        name = type(translator).__mro__[1 if type(translator).__name__ == "Microsoft" else 0].__name__
        for attribute in ("_base_url", "_source", "_target"):
            checks.append((f"{name}.{attribute}", "pipeline/translate/providers.py",
                           lambda t=translator, a=attribute: hasattr(t, a)))
        module = importlib.import_module(type(translator).__module__)
        checks.append((f"{module.__name__} sending through its module-level `requests`",
                       "pipeline/translate/transport.py",
                       lambda m=module: hasattr(m, "requests")
                       and re.search(r"\brequests\.(get|post)\(", inspect.getsource(m)) is not None))
    from deep_translator import MicrosoftTranslator, YandexTranslator, constants

    checks.append(("MicrosoftTranslator._get_supported_languages", "pipeline/translate/providers.py",
                   lambda: "_get_supported_languages()" in inspect.getsource(MicrosoftTranslator.__init__)))
    checks.append(("YandexTranslator formatting {version} and {endpoint} into its base URL",
                   "pipeline/translate/providers.py (url_tail)",
                   lambda: 'version=self.api_version, endpoint="translate"' in
                   inspect.getsource(YandexTranslator.translate)))
    source = (REPO / "pipeline" / "translate" / "providers.py").read_text(encoding="utf-8")
    for table in sorted(set(re.findall(r'_library_codes\("(\w+)"\)', source))):
        checks.append((f"deep_translator.constants.{table}", "pipeline/translate/providers.py",
                       lambda t=table: isinstance(getattr(constants, t, None), dict)))
    return checks


def _markdown_it_internals() -> list[tuple[str, str, Callable[[], bool]]]:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    def inline():  # built in each check: building needs the very internals being checked
        return MarkdownIt("commonmark").enable(["table", "strikethrough"]).inline

    rules = ("link", "image", "backticks", "autolink", "entity", "escape", "newline", "emphasis", "strikethrough")
    checks = [
        ("Ruler.__rules__ and Ruler.__find__", "pipeline/translate/masking.py",
         lambda: hasattr(inline().ruler, "__rules__") and hasattr(inline().ruler, "__find__")),
        ("a rule's .fn", "pipeline/translate/masking.py",
         lambda: all(hasattr(rule, "fn") for rule in inline().ruler.__rules__)),
        ("the inline rule2 'fragments_join'", "pipeline/translate/masking.py",
         lambda: inline().ruler2.__find__("fragments_join") >= 0),
        ("Token as a dataclass (its fields are copied one by one)", "pipeline/render.py",
         lambda: dataclasses.is_dataclass(Token)),
    ]
    for rule in rules:
        checks.append((f"the inline rule {rule!r}", "pipeline/translate/masking.py",
                       lambda r=rule: inline().ruler.__find__(r) >= 0))
    return checks


def _requests_internals() -> list[tuple[str, str, Callable[[], bool]]]:
    import requests

    def content_by_hand() -> bool:
        response = requests.Response()
        response._content, response._content_consumed = b'{"ok": true}', True
        response.status_code, response.encoding = 200, "utf-8"
        return response.json() == {"ok": True} and response.text == '{"ok": true}'

    return [("Response._content and _content_consumed (the body read by hand)", "pipeline/translate/transport.py",
             content_by_hand)]


def _urllib3_internals() -> list[tuple[str, str, Callable[[], bool]]]:
    from urllib3.response import HTTPResponse

    return [("HTTPResponse.read1(amt, decode_content)", "pipeline/translate/transport.py",
             lambda: "decode_content" in inspect.signature(HTTPResponse.read1).parameters)]


def _polib_internals() -> list[tuple[str, str, Callable[[], bool]]]:
    import polib

    def find_signature() -> bool:
        parameters = list(inspect.signature(polib.POFile.find).parameters)
        return parameters == ["self", "st", "by", "include_obsolete_entries", "msgctxt"]

    return [
        ("POFile.find(st, by, include_obsolete_entries, msgctxt)", "pipeline/catalogs.py (IndexedCatalog)",
         find_signature),
        ("polib.escape and polib.unescape", "pipeline/catalogs.py", lambda: callable(polib.escape)
         and polib.unescape(r"\v\b\f") == "\v\b\f"),
    ]


def _axe_internals() -> list[tuple[str, str, Callable[[], bool]]]:
    from pipeline.checks.accessibility import axe_version

    # the verdict cache is keyed on this version; the tests expect 4.12's rule ids and wording
    return [("axe.min.js with its `axe v4.12.1` banner", "pipeline/checks/accessibility.py",
             lambda: axe_version() == "4.12.1")]


INTERNALS = {
    "axe-playwright-python": _axe_internals,
    "deep-translator": _deep_translator_internals,
    "markdown-it-py": _markdown_it_internals,
    "requests": _requests_internals,
    "urllib3": _urllib3_internals,
    "polib": _polib_internals,
}


def missing_internals() -> list[str]:
    """One message per internal that is not there (or does not behave as the code expects)."""
    problems = []
    for library, checks in INTERNALS.items():
        for what, where, present in checks():
            try:
                ok = present()
            except Exception:  # noqa: BLE001 - a check that crashes is an internal that changed
                ok = False
            if not ok:
                problems.append(
                    f"{library} {metadata.version(library)} no longer has {what}, which {where} uses:"
                    f" adapt {where}, then update the bound {bound(library)!r} in pyproject.toml"
                    " and the pin in constraints.txt"
                )
    return problems


def test_every_internal_the_code_touches_is_there() -> None:
    problems = missing_internals()
    assert not problems, "\n".join(problems)


def test_a_vanished_internal_fails_naming_it_and_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from markdown_it.ruler import Ruler

    monkeypatch.delattr(Ruler, "__find__")
    problems = missing_internals()
    version = metadata.version("markdown-it-py")
    assert (
        f"markdown-it-py {version} no longer has Ruler.__rules__ and Ruler.__find__, which"
        " pipeline/translate/masking.py uses: adapt pipeline/translate/masking.py, then update the bound"
        " 'markdown-it-py<5,>=3.0' in pyproject.toml and the pin in constraints.txt"
    ) in problems


def test_a_library_whose_internals_are_touched_has_an_upper_bound() -> None:
    found = requirements()
    for library in TOUCHED:
        assert library in INTERNALS
        spec = found[library].specifier
        upper = any(s.operator in ("<", "<=", "~=", "==") for s in spec)
        assert upper, f"{library} needs an upper bound in pyproject.toml"
        assert spec.contains(metadata.version(library)), f"{library} {metadata.version(library)} is outside {spec}"


def test_the_code_touches_no_other_private_attribute_of_a_library() -> None:
    """A new reach into something's privates must join INTERNALS above (with a bound), or be
    listed here as our own object's."""
    libraries = {"translator._base_url", "translator._source", "translator._target", "response._content",
                 "response._content_consumed", "ruler.__rules__", "ruler.__find__"}
    python = {"local.__dict__", "state.__dict__", "object.__new__", "expected.__contains__", "sizes.__getitem__"}
    texts = [path.read_text(encoding="utf-8") for path in (REPO / "pipeline").rglob("*.py")]
    # our own classes' private names: assigned on self, or defined in a class body
    ours = {name for text in texts for name in re.findall(r"\bself\.(_\w+)\s*=|^    def (_\w+)\(", text, re.M)
            for name in name if name}
    found = set()
    for text in texts:
        found |= {f"{owner}.{name}" for owner, name in re.findall(r"\b([a-z_]\w*)\.(_\w+)", text)
                  if owner not in ("self", "cls") and name not in ours}
        found |= {f"def {name}" for name in re.findall(r"def (_get_supported_languages)\(", text)}
    assert found <= libraries | python | {"def _get_supported_languages"}, sorted(found - libraries - python)


def test_constraints_pin_what_is_installed() -> None:
    lines = [line for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    pins = dict(line.split("==") for line in lines)
    assert all(name.lower().replace("_", "-") != "clinic-l10n" for name in pins)
    for name, version in pins.items():
        installed = metadata.version(name)
        assert installed == version, f"constraints.txt pins {name}=={version}, the venv has {installed}"
    pinned = {name.lower().replace("_", "-") for name in pins}
    for library in requirements():
        assert library.replace("_", "-") in pinned, f"{library} is not pinned in constraints.txt"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'" in makefile
    assert re.search(r"^\$\(STAMP\): pyproject.toml constraints.txt$", makefile, re.MULTILINE)
