"""Spacing the translation should mirror."""

from __future__ import annotations

from typing import Iterator

from .base import ERROR, WARNING, Check, Unit


class EdgeWhitespace(Check):
    check_id = "whitespace"
    name = "Leading and trailing whitespace"
    severity = ERROR
    description = "The translation starts and ends with the same whitespace as the source."

    def run(self, unit: Unit) -> Iterator[str]:
        src, tgt = unit.source, unit.target
        if src[: len(src) - len(src.lstrip())] != tgt[: len(tgt) - len(tgt.lstrip())]:
            yield "leading whitespace differs from the source"
        if src[len(src.rstrip()):] != tgt[len(tgt.rstrip()):]:
            yield "trailing whitespace differs from the source"


class DoubleSpace(Check):
    check_id = "double-space"
    name = "Double spaces"
    severity = WARNING
    description = "The translation has two spaces in a row where the source has none."

    def run(self, unit: Unit) -> Iterator[str]:
        if "  " in unit.target.replace("  \n", "") and "  " not in unit.source:
            yield "two spaces in a row"
