"""Accessibility in the browser pass: axe-core's WCAG 2.1 A and AA rules, run in each page version.

axe-core comes from a kept package: PyPI's ``axe-playwright-python`` ships ``axe.min.js`` (we use
that file only, pinned in ``constraints.txt``); its version is part of the browser verdict cache's
key. ``[tool.l10n] accessibility`` says what a violation is: ``"error"`` (the default: the check
fails, ``build --browser`` and ``publish`` withhold the version), ``"warning"`` or ``"off"`` (not run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import Config
from ..errors import InputError

ACCESSIBILITY_CHECK = "accessibility"
MODES = ("error", "warning", "off")
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# What axe.run gets: the WCAG 2.1 A/AA rules, violations only (passes and incomplete results are
# large and unused), element references as CSS selectors.
RUN = ("axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations'], "
       "elementRef: false, selectors: true}).then((r) => r.violations.map((v) => ({id: v.id, impact: v.impact, "
       "help: v.help, nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html}))})))")


def accessibility_mode(config: Config) -> str:
    """``[tool.l10n] accessibility``: ``error`` (default), ``warning`` or ``off``."""
    mode = config.extra.get("accessibility", "error")
    if mode not in MODES:
        raise InputError("pyproject.toml", None,
                         f"[tool.l10n] accessibility must be one of {', '.join(map(repr, MODES))}, not {mode!r}")
    return mode


@lru_cache(maxsize=1)
def axe_source() -> str:
    """axe-core's script, from the installed ``axe-playwright-python``."""
    from importlib import resources

    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except (ImportError, OSError):
        raise InputError(None, None, "axe-core is missing (axe.min.js of the Python package axe-playwright-python): "
                                     "run `pip install -e .` in the project") from None


@lru_cache(maxsize=1)
def axe_version() -> str:
    """The axe-core version, from the script's banner (``/*! axe v4.12.1``)."""
    found = re.search(r"axe v(\d+\.\d+\.\d+)", axe_source()[:200])
    return found.group(1) if found else "unknown"


def run_expression() -> str:
    import json

    return RUN % json.dumps(list(WCAG_TAGS))


@dataclass(frozen=True)
class Violation:
    """One element breaking one axe rule."""

    rule: str
    impact: str
    help: str
    target: str  # a CSS selector of the element
    html: str  # the element's opening markup, as axe shows it

    def message(self) -> str:
        snippet = " ".join(self.html.split())
        if len(snippet) > 120:
            snippet = snippet[:117] + "..."
        return f"axe {self.rule} ({self.impact}): {self.help}: {self.target} {snippet}"


def violations(found: list[dict]) -> list[Violation]:
    """axe's answer (see ``RUN``) as one violation per element."""
    return [Violation(v["id"], v.get("impact") or "", v["help"], node["target"], node["html"])
            for v in found for node in v["nodes"]]
