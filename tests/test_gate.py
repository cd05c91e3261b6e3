"""The HTML gate on rendered pages: the disclaimer is shown, once, in <main>, exactly as approved."""

from __future__ import annotations

import pytest

from pipeline.checks.gate import expected_disclaimer, page_problems

TEXT = "※ 개인에 따라 출혈 등의 부작용이 발생할 수 있습니다."
ASIDE = f'<aside class="disclaimer" role="note"><p>{TEXT}</p></aside>'


def page(main: str, outside: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>t</title></head>'
            f"<body>{outside}<main><h1>첫 방문</h1>{main}</main></body></html>")


@pytest.mark.parametrize(("html", "problem"), [
    (page(ASIDE), None),
    (page(f"<details open><summary>s</summary>{ASIDE}</details>"), None),
    (page('<aside class="disclaimer" role="note"><p>※ 개인에 따라 <!-- a note -->출혈 등의 부작용이 '
          "발생할 수\n   있습니다.</p></aside>"), None),
    (page('<aside class="note disclaimer" role="note"><p>※ 개인에 따라 출혈 등의 부작용이 발생할 수 '
          "있&#xC2B5;니다.</p></aside>"), None),
    (page("<p>no disclaimer</p>"), 'no <aside class="disclaimer"> in the page'),
    (page(ASIDE + ASIDE), '2 <aside class="disclaimer"> elements'),
    (page(ASIDE.replace(' role="note"', "")), 'lacks role="note"'),
    (page("", outside=ASIDE), "not inside <main>"),
    (page(f"<div hidden>{ASIDE}</div>"), "<div> has the hidden attribute"),
    (page(f'<section aria-hidden="TRUE">{ASIDE}</section>'), "<section> has aria-hidden=true"),
    (page(f'<div style="color: red; DISPLAY : none">{ASIDE}</div>'), "hidden by its inline style"),
    (page(f'<div style="opacity:0">{ASIDE}</div>'), "hidden by its inline style"),
    (page(f'<div style="font-size: 0">{ASIDE}</div>'), "hidden by its inline style"),
    (page(f"<template>{ASIDE}</template>"), "inside <template>"),
    (page(f"<noscript>{ASIDE}</noscript>"), "inside <noscript>"),
    (page(f"<details><summary>s</summary>{ASIDE}</details>"), "inside a closed <details>"),
    (page(ASIDE.replace("출혈 등의 ", "")), "the disclaimer reads"),
    (page(ASIDE.replace("</p>", "</p><p>추가</p>")), "the disclaimer reads"),
    ("", "cannot be parsed as HTML"),
    # the text a reader gets: hidden descendants give none
    (page(ASIDE.replace("</p>", "</p><span hidden>추가</span><script>var x = 1;</script>")), None),
    (page(f'<aside class="disclaimer" role="note"><details open><summary>{TEXT}</summary></details></aside>'), None),
    (page(f'<aside class="disclaimer" role="note"><p><span hidden>{TEXT}</span></p></aside>'), "text left out"),
    (page(f'<aside class="disclaimer" role="note"><template>{TEXT}</template></aside>'), "text left out"),
    (page(f'<aside class="disclaimer" role="note"><noscript>{TEXT}</noscript></aside>'), "text left out"),
    (page(f'<aside class="disclaimer" role="note"><b aria-hidden="true">{TEXT}</b></aside>'), "text left out"),
    (page(f'<aside class="disclaimer" role="note"><i style="display:none">{TEXT}</i></aside>'), "text left out"),
    (page(f'<aside class="disclaimer" role="note"><details><summary>※</summary>{TEXT}</details></aside>'),
     "closed <details>"),
    (page(f'<aside class="disclaimer" role="note"><p>{TEXT[:9]}<span hidden>{TEXT[9:]}</span></p></aside>'),
     "the disclaimer reads"),
])
def test_page_gate(html: str, problem: str | None) -> None:
    problems = page_problems(html, TEXT)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_expected_text_is_the_plain_text() -> None:
    assert expected_disclaimer("※ Side effects **may** occur &amp; vary.\n  Ask us.") == "※ Side effects **may** occur &amp; vary. Ask us."
