"""``[tool.l10n]`` in ``pyproject.toml`` -> a frozen ``Config``; every path the pipeline uses."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import read_text

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# gettext/Babel identifiers only: a language, then script/territory parts. Nothing that can
# climb out of locales/ or output/.
LOCALE_RE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,8})*$")

DEFAULT_TRANSLATABLE_KEYS = (
    "title",
    "description",
    "attribution",
    "disclaimer",
    "image_caption",
    "image_alt",
)


# How a block whose English changed after its translation was published is shown (CONTRACT §6).
OUTDATED_MODES = ("previous", "english", "withhold")


@dataclass(frozen=True)
class Config:
    root: Path
    source_locale: str = "en"
    locales: tuple[str, ...] = ()
    base_url: str = "https://example.org/"
    publish_threshold: float = 100.0
    po_width: int = 79
    lock_timeout: float = 60.0
    provider: str | None = None
    provider_url: str | None = None
    project_name: str = "site"
    translatable_keys: tuple[str, ...] = DEFAULT_TRANSLATABLE_KEYS
    outdated: str = "previous"  # an outdated block shows its "previous" translation, "english", or "withhold"s its page
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def pot_path(self) -> Path:
        return self.locales_dir / "messages.pot"

    @property
    def glossary_path(self) -> Path:
        return self.locales_dir / "glossary.csv"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def site_templates_dir(self) -> Path:
        return self.root / "templates"

    def po_path(self, locale: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / "messages.po"

    def mo_path(self, locale: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / "messages.mo"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages and ``#:`` references: relative to the project."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

def source_date_epoch() -> datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names (reproducible-builds.org), or None when unset.

    Read by every command that writes a date; anything but whole seconds since 1970 is bad input.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    try:
        if not re.fullmatch(r"[0-9]+", value):
            raise ValueError
        return datetime.fromtimestamp(int(value), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise InputError(
            None, None,
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not {value!r}",
        ) from None


def validate_locale(name: str, where: str = "locale", path: str | None = None, line: int | None = None) -> str:
    """A locale name must be a gettext identifier Babel knows; returns it unchanged."""
    if not isinstance(name, str) or not LOCALE_RE.match(name):
        raise InputError(path, line, f"invalid {where} {name!r}: expected a gettext locale such as 'ko' or 'zh_Hant'")
    if _has_cldr_data(name):
        return name  # Locale.parse accepts every name that has a data file of its own
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name)  # aliases and likely subtags (zh_TW), which have no file of their own
    except (UnknownLocaleError, ValueError):
        raise InputError(path, line, f"unknown {where} {name!r}: Babel/CLDR has no such locale") from None
    return name


@cache
def _babel_folders() -> tuple[str, ...]:
    spec = find_spec("babel")
    return tuple(spec.submodule_search_locations or ()) if spec else ()


def _has_cldr_data(name: str) -> bool:
    """Whether Babel has a CLDR data file for ``name`` (matched by LOCALE_RE: a plain file
    name), found without importing Babel: every command validates the configured locales, and
    most never need Babel otherwise."""
    return any(os.path.isfile(os.path.join(folder, "locale-data", f"{name}.dat")) for folder in _babel_folders())


def html_tag(locale: str) -> str:
    """gettext identifier -> BCP 47 tag used in HTML and URLs (``zh_Hant`` -> ``zh-Hant``)."""
    return locale.replace("_", "-")


@cache
def text_direction(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).text_direction


def _line_of(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(root: Path) -> Config:
    """Read and validate ``root/pyproject.toml``; bad values are ``InputError`` with their line."""
    path = root / "pyproject.toml"
    display = "pyproject.toml"
    text = read_text(path, display)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(display, int(match.group(1)) if match else None, f"invalid TOML: {exc}") from None
    section = data.get("tool", {}).get("l10n")
    if not isinstance(section, dict):
        raise InputError(display, None, "missing [tool.l10n] section")

    def line(key: str) -> int | None:
        return _line_of(text, rf"^\s*{re.escape(key)}\s*=")

    locales = section.get("locales", [])
    if not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        raise InputError(display, line("locales"), "locales must be a list of strings")
    for name in locales:
        validate_locale(name, "locale", display, line("locales"))
    if len(set(locales)) != len(locales):
        raise InputError(display, line("locales"), "locales lists a locale twice")
    source_locale = section.get("source_locale", "en")
    validate_locale(source_locale, "source_locale", display, line("source_locale"))
    if source_locale in locales:
        raise InputError(display, line("locales"), f"the source locale {source_locale!r} is not a target locale")

    base_url = section.get("base_url", "https://example.org/")
    if not isinstance(base_url, str) or not re.match(r"^https?://[^\s/]+", base_url):
        raise InputError(display, line("base_url"), "base_url must be an absolute http(s) URL")
    if not base_url.endswith("/"):
        base_url += "/"

    threshold = section.get("publish_threshold", 100)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
        raise InputError(display, line("publish_threshold"), "publish_threshold must be a number from 0 to 100")

    def integer(key: str, default: int, minimum: int = 0) -> int:
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InputError(display, line(key), f"{key} must be an integer >= {minimum}")
        return value

    lock_timeout = section.get("lock_timeout", 60)
    if isinstance(lock_timeout, bool) or not isinstance(lock_timeout, (int, float)) or lock_timeout < 0:
        raise InputError(display, line("lock_timeout"), "lock_timeout must be a number of seconds >= 0")

    keys = section.get("translatable_keys", list(DEFAULT_TRANSLATABLE_KEYS))
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise InputError(display, line("translatable_keys"), "translatable_keys must be a list of strings")
    if "disclaimer" not in keys:
        keys = [*keys, "disclaimer"]  # the disclaimer is mandatory; it cannot be configured away

    outdated = section.get("outdated", "previous")
    if outdated not in OUTDATED_MODES:
        raise InputError(display, line("outdated"), f"outdated must be one of {', '.join(map(repr, OUTDATED_MODES))}")

    for key in ("provider", "provider_url"):
        if key in section and not isinstance(section[key], str):
            raise InputError(display, line(key), f"{key} must be a string")

    return Config(
        root=root,
        source_locale=source_locale,
        locales=tuple(locales),
        base_url=base_url,
        publish_threshold=float(threshold),
        po_width=integer("po_width", 79),
        lock_timeout=float(lock_timeout),
        provider=section.get("provider") or None,
        provider_url=section.get("provider_url") or None,
        project_name=str(data.get("project", {}).get("name", root.name)),
        translatable_keys=tuple(keys),
        outdated=outdated,
        extra=section,
    )
