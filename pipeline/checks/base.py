"""The types every check family imports: one unit under check, a check, a finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Iterator

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Unit:
    """One translated entry of one locale, as a check sees it."""

    locale: str
    source: str
    target: str
    msgctxt: str | None = None
    mandatory: bool = False
    fuzzy: bool = False  # a draft awaiting review, not yet approved


class Check:
    """A check looks at one unit and yields one message per problem it finds."""

    check_id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = ERROR
    description: ClassVar[str]
    ignorable: ClassVar[bool] = True  # an ``ignore-<check_id>`` flag silences it (not on the disclaimer)

    def run(self, unit: Unit) -> Iterator[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Finding:
    locale: str
    file: str
    line: int
    msgctxt: str | None
    msgid: str
    check: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "locale": self.locale,
            "file": self.file,
            "line": self.line,
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
        }
