"""Markup checks: the ※ marker, links, code, URLs, placeholders, emphasis, as Markdown renders them."""

from __future__ import annotations

from check_table import table_tests

from pipeline.checks.markup import MarkerKept, MarkupMismatch, StyleMismatch

BOOK = "Our [booking page](https://clinic.example/book) is open."

MARKUP = [
    ("ko", BOOK, "[예약 페이지](https://clinic.example/book)는 열려 있습니다.", None),
    ("ja", "Run `l10n check` first.", "まず`l10n check`を実行します。", None),
    ("ar", "See ![diagram](images/a.svg) or <https://clinic.example/>.",
     "انظر ![رسم](images/a.svg) أو <https://clinic.example/>.", None),
    ("ru", "Hello {name}, welcome.", "Здравствуйте, {name}!", None),
    ("ja", "**Note:** bring your ID.", "**注意：** 身分証をご持参ください。", None),
    ("ko", "See [the guide][guide].", "[안내][Guide]를 보세요.", None),
    ("vi", "Visit https://clinic.example today.", "Hãy truy cập https://clinic.example hôm nay.", None),
    ("ru", "5 * 3 = 15", "5 * 3 = 15", None),  # a literal asterisk in the source is not markup
    ("ko", BOOK, "[예약 페이지](https://clinic.example/booking)는 열려 있습니다.",
     "link target 'https://clinic.example/book' is missing"),
    ("ko", BOOK, "예약 페이지는 열려 있습니다.", "link target 'https://clinic.example/book' is missing"),
    ("ar", "[Book](https://clinic.example/book)", "[احجز](javascript:alert(1))", "link target"),
    ("ar", "See ![diagram](images/a.svg).", "انظر الرسم.", "image 'images/a.svg' is missing"),
    ("ru", "Write to <mailto:desk@clinic.example>.", "Напишите нам.", "autolink 'mailto:desk@clinic.example'"),
    ("ja", "Run `l10n check` first.", "まずl10n checkを実行します。", "code span 'l10n check' is missing"),
    ("ja", "Run `l10n check` first.", "まず`l10n チェック`を実行します。", "code span 'l10n チェック' is not in the source"),
    ("vi", "Visit https://clinic.example today.", "Hãy truy cập https://clinic.example.vn hôm nay.", "URL"),
    ("ru", "Hello {name}.", "Здравствуйте, {имя}.", "placeholder '{name}' is missing"),
    ("ko", "See [the guide][guide].", "[안내][가이드]를 보세요.", "reference link 'guide' is missing"),
    # CommonMark does not close ** after 」 before a letter: the page would print the asterisks
    ("ja", "**Important** notice", "**「重要」**なお知らせ", "'**' would print as text"),
    ("ja", "**Important** notice", "「**重要**」なお知らせ", None),
    ("ja", "Run `l10n check` first.", "まず`l10n checkを実行します。", "'`' would print as text"),
]

MARKER = [
    ("ja", "※ Side effects may occur.", "※副作用が生じる場合があります。", None),
    ("ko", "Before you arrive", "방문 전에", None),
    ("th", "※ Side effects may occur.", "ผลข้างเคียงอาจเกิดขึ้นได้", "the source has 1 ※ marker(s), the translation 0"),
    ("ko", "Before you arrive", "※ 방문 전에", "the source has 0 ※ marker(s), the translation 1"),
    ("ar", "※ Side effects may occur.", "قد تحدث آثار جانبية ※", "must start with it too"),
]

EMPHASIS = [
    ("ko", "**Note:** bring *ID*.", "**참고:** *신분증*을 지참하세요.", None),
    ("ar", "Open daily.\\\nCall first.", "مفتوح يوميًا.\\\nاتصل أولاً.", None),
    ("ja", "**Important** notice", "「**重要**」なお知らせ", None),
    ("ja", "**Important** notice", "重要なお知らせ", "strong emphasis (**…**): the source has 1, the translation 0"),
    ("ja", "**Important** notice", "**「重要」**なお知らせ", "strong emphasis (**…**): the source has 1, the translation 0"),
    ("ru", "Open daily.\\\nCall first.", "Открыто ежедневно. Позвоните заранее.", "hard line break"),
    ("vi", "Call first.", "~~Gọi~~ trước.", "strikethrough (~~…~~): the source has 0, the translation 1"),
]

test_row, test_ignored_except_on_the_disclaimer = table_tests(
    [(MarkupMismatch(), MARKUP), (MarkerKept(), MARKER), (StyleMismatch(), EMPHASIS)]
)


# --- the shortcut for plain text ---------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.checks.inline import _parsed, parse_inline  # noqa: E402

# Every character markdown-it's text rule stops at, a few it does not, and other scripts.
_ALPHABET = st.sampled_from(list("\n\r\0\\`~*_[]!<>&()#$%+-:=@^{}|\"' .,aZ9") + ["\t", "。", "한", "ث", "\u200b"])


@settings(max_examples=600, deadline=None)
@given(st.text(_ALPHABET, max_size=24))
def test_plain_text_shortcut_agrees_with_markdown_it(message):
    """parse_inline skips markdown-it for text without any inline syntax: same answer either way."""
    assert parse_inline(message) == _parsed(message)


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=24))
def test_pages_render_plain_text_as_markdown_it_does(message):
    """Rendering takes the same shortcut for translations without inline syntax."""
    from pipeline.segments import _MD, parse_inline as page_tokens

    full: list = []
    _MD.inline.parse(message, _MD, {}, full)
    for token in full:
        if token.type == "text_special":
            token.type = "text"
    render = lambda tokens: _MD.renderer.renderInline(tokens, _MD.options, {})  # noqa: E731
    assert render(page_tokens(message, {})) == render(full)
