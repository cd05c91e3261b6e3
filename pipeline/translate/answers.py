"""A provider's answer is untrusted input: checked before it reaches a catalog, the cache or a screen.

An answer may echo the API key (redacted, as in error messages), carry characters no translation
needs and a terminal obeys (C0/C1 controls, ANSI escapes), a lone surrogate that no UTF-8 file
can hold, or be absurdly long. Such an answer is refused: its entry stays empty and is reported.
"""

from __future__ import annotations

import re

# C0 and C1 controls but tab and newline (ESC, and so every ANSI sequence, is among them), DEL,
# and the surrogate range (a lone surrogate comes from a JSON "\\ud800" escape).
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
LENGTH_FACTOR = 10  # an answer may be this many times longer than what was sent ...
LENGTH_SLACK = 200  # ... or this many characters longer, whichever allows more


def as_text(answer: object) -> str | None:
    """The answer as one string: some adapters hand back a list (Yandex's ``"text": [...]``)."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, list) and answer and all(isinstance(part, str) for part in answer):
        return "\n".join(answer)
    return None


def refusal(answer: str, sent: str) -> str | None:
    """Why ``answer`` (to the masked text ``sent``) cannot be used, or None when it can."""
    bad = _FORBIDDEN.search(answer)
    if bad:
        char = bad.group()
        kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        escape = " (an ANSI escape)" if char in "\x1b\x9b" else ""
        return f"the answer holds {kind}, U+{ord(char):04X}{escape}"
    limit = max(LENGTH_FACTOR * len(sent), len(sent) + LENGTH_SLACK)
    if len(answer) > limit:
        return f"the answer is {len(answer):,} characters long for {len(sent):,} sent (at most {limit:,})"
    return None
