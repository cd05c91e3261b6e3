"""Table-driven tests for checks: rows of (locale, source, target, expected message or None).

``table_tests`` turns tables into two tests: each row gives exactly the expected finding (or
none), and each failing row is silenced by its ``ignore-<id>`` flag yet still reported on the
mandatory disclaimer, where ignore flags do not apply.
"""

from __future__ import annotations

from typing import Callable

import pytest

from pipeline.checks.base import Check, Unit
from pipeline.checks.registry import check_unit

Row = tuple[str, str, str, "str | None"]


def messages(check: Check, locale: str, source: str, target: str, flags: tuple[str, ...] = (),
             mandatory: bool = False, fuzzy: bool = False) -> list[str]:
    unit = Unit(locale, source, target, "disclaimer" if mandatory else None, mandatory, fuzzy)
    return [message for _, message in check_unit(unit, [check], flags)]


def table_tests(tables: list[tuple[Check, list[Row]]]) -> tuple[Callable, Callable]:
    rows = [(check, *row) for check, table in tables for row in table]
    ids = [f"{check.check_id}-{locale}-{n}" for n, (check, locale, *_) in enumerate(rows)]
    failing = [(row, i) for row, i in zip(rows, ids) if row[-1] is not None]

    @pytest.mark.parametrize("check, locale, source, target, expected", rows, ids=ids)
    def test_row(check: Check, locale: str, source: str, target: str, expected: str | None) -> None:
        found = messages(check, locale, source, target)
        if expected is None:
            assert found == []
        else:
            assert any(expected in message for message in found), found

    @pytest.mark.parametrize("check, locale, source, target, expected", [r for r, _ in failing],
                             ids=[i for _, i in failing])
    def test_ignored_except_on_the_disclaimer(check: Check, locale: str, source: str, target: str,
                                              expected: str) -> None:
        flags = (f"ignore-{check.check_id}",)
        assert messages(check, locale, source, target, flags) == []
        assert messages(check, locale, source, target, flags, mandatory=True) == messages(check, locale, source, target)

    return test_row, test_ignored_except_on_the_disclaimer
