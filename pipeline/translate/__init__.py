"""``l10n translate``: machine translation of empty entries into fuzzy, attributed drafts.

``providers`` is the explicit table over deep-translator (plus the offline ``pseudo``),
``masking`` protects markup, ``transport`` adds timeouts, status codes and retries,
``cache`` remembers answers, ``run`` is the stage itself.
"""

from __future__ import annotations

from ..config import Config
from .providers import PROVIDERS
from .run import LeftEmpty, LocaleOutcome, TranslateResult, translate

__all__ = ["PROVIDERS", "LeftEmpty", "LocaleOutcome", "TranslateResult", "plan", "translate"]


def plan(
    config: Config,
    locales: tuple[str, ...] | None = None,
    provider: str | None = None,
    url: str | None = None,
) -> TranslateResult:
    """Dry run: per locale, the texts and characters that would be sent; sends, writes nothing."""
    return translate(config, locales, provider, url, dry_run=True)
