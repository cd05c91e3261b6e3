"""pipeline.poformat must write exactly what GNU msgcat writes.

The reference is GNU msgcat itself: every test formats a catalog, then runs
``msgcat --width=79`` (or ``--no-wrap`` for width 0) and compares bytes.
Two references are used where they apply:
- msgcat over our own output (GNU re-wrapping our text changes nothing);
- msgcat over polib's own serialisation (independent of our writer).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import poformat
from pipeline.poformat import format_catalog

MSGCAT = shutil.which("msgcat")  # conftest fails the whole suite when GNU gettext is missing

E = polib.POEntry
META = {  # polib's own writer puts these standard keys in this order
    "Project-Id-Version": "clinic 1.0",
    "Report-Msgid-Bugs-To": "https://clinic.example/issues/new?template=translation-bug-report.md",
    "POT-Creation-Date": "2024-05-01 10:00+0000",
    "PO-Revision-Date": "2024-05-02 11:00+0000",
    "Last-Translator": "Some Translator With A Long Name <some.long.name@example.com>",
    "Language-Team": "Japanese <ja@li.org>",
    "Language": "ja",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def run_msgcat(text: str, width: int, tmp: Path, *extra: str) -> str:
    path = tmp / "in.po"
    path.write_bytes(text.encode("utf-8"))
    option = "--no-wrap" if width == 0 else f"--width={width}"
    proc = subprocess.run([MSGCAT, option, *extra, str(path)], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8")


def catalog(entries, metadata=None,
            header="Clinic translations.\nCopyright (C) 2024 Clinic") -> polib.POFile:
    cat = polib.POFile()
    cat.header = header
    cat.metadata = dict(META if metadata is None else metadata)
    for entry in entries:
        cat.append(entry)
    return cat


def assert_gnu(cat: polib.POFile, width: int, tmp: Path, independent: bool = True) -> str:
    ours = format_catalog(cat, width)
    assert run_msgcat(ours, width, tmp) == ours
    if independent:
        assert run_msgcat(cat.__unicode__(), width, tmp) == ours
    return ours


PROSE = ("Before you start any new medication, talk to your doctor or pharmacist about "
         "possible side effects and interactions with the medicines you already take.")
URL = "https://example.com/a/very/long/path/to/the/patient/information/leaflet/index.html"


def sample_entries() -> list[polib.POEntry]:
    """One entry per feature the formatter has to get right."""
    refs = [(f"./content/pages/{'section-' * (i % 4)}page{i}.md", str(i * 13)) for i in range(14)]
    return [
        E(msgid="Appointments", msgstr="予約"),
        E(msgid=PROSE, msgstr="新しい薬を飲み始める前に、副作用や現在服用中の薬との相互作用について医師または薬剤師に相談してください。"),
        E(msgid=f"Read the [leaflet]({URL}) and the **important** notes.",
          msgstr=f"[添付文書]({URL})と**重要な**注意事項をお読みください。"),
        E(msgid=URL, msgstr=URL),
        E(msgid="Line one\nLine two\n\nLast line without newline", msgstr="一行目\n二行目\n"),
        E(msgid="Ends with newline only\n", msgstr="改行で終わる\n"),
        E(msgid='Escapes: "quoted" back\\slash\ttab\rcr\a bell\b\f\v end',
          msgstr='エスケープ "引用" \\ \t'),
        E(msgid="\t".join("Tabs between cells of a table that is wide enough to wrap".split()),
          msgstr="表"),
        E(msgid="カタカナのコンピューターとインターネットとデータベースとセキュリティーとアップデート",
          msgstr="コンピューターインターネットデータベースセキュリティーアップデートアプリケーションソフトウェア"),
        E(msgid="Chinese", msgstr="在开始服用任何新药之前，请咨询您的医生或药剂师，了解可能的副作用以及与您已经服用的药物之间的相互作用。"),
        E(msgid="Korean", msgstr="새로운 약을 복용하기 전에 부작용과 현재 복용 중인 약과의 상호 작용에 대해 의사나 약사와 상담하십시오."),
        E(msgid="Thai", msgstr="ก่อนเริ่มใช้ยาใหม่ใดๆ โปรดปรึกษาแพทย์หรือเภสัชกร"
                               "เกี่ยวกับผลข้างเคียงที่อาจเกิดขึ้น"
                               "และปฏิกิริยากับยาที่คุณใช้อยู่แล้ว"),
        E(msgid="Arabic", msgstr="قبل أن تبدأ أي دواء جديد، تحدث إلى طبيبك أو الصيدلي حول "
                                 "الآثار الجانبية المحتملة والتفاعلات مع الأدوية "
                                 "التي تتناولها بالفعل."),
        E(msgid="Russian", msgstr="Прежде чем начать принимать новое лекарство, "
                                  "проконсультируйтесь "
                                  "с врачом или фармацевтом о возможных побочных эффектах."),
        E(msgid="Vietnamese", msgstr="Trước khi bắt đầu dùng bất kỳ loại thuốc mới nào, hãy nói "
                                     "chuyện với bác sĩ hoặc dược sĩ về các tác dụng phụ "
                                     "có thể xảy ra."),
        # Around the width: `msgid "` takes 7 columns, the closing quote one.
        E(msgid="a" * 71, msgstr="b" * 70),
        E(msgid="c" * 72, msgstr="d" * 72),
        E(msgid="word " * 14 + "x", msgstr="w" * 71 + " y"),
        E(msgid="word " * 14 + "xy", msgstr="漢" * 35 + "字"),
        E(msgid="unbreakable " + "z" * 120, msgstr="z" * 120),
        E(msgctxt="button", msgid="Open", msgstr="開く"),
        E(msgctxt="a context that is itself long enough to need wrapping at seventy-nine columns",
          msgid="Open", msgstr="開く"),
        E(msgid="Your appointment on %(date)s at %(time)s was confirmed by %(doctor)s office "
                "staff.",
          msgstr="%(date)s %(time)sの予約は%(doctor)sのスタッフにより確認されました。", flags=["python-format"]),
        E(msgid="Hello {name}, you have {count} new messages waiting in your patient inbox today!",
          msgstr="{name}さん、受信箱に{count}件の新しいメッセージがあります。", flags=["python-brace-format"]),
        E(msgid="Dose changed", msgstr="用量が変更されました", flags=["python-format", "fuzzy"],
          previous_msgid="The dose was changed by your doctor after the last visit; please read "
                         "the new "
                         "instructions carefully.\nCall us if anything is unclear.",
          occurrences=refs, tcomment="Translators: keep it short.\nSecond line.",
          comment="Shown in the medication list."),
        E(msgid="Untranslated but marked fuzzy", msgstr="", flags=["fuzzy"]),
        # GNU fills reference lines by bytes, not columns.
        E(msgid="Non-ASCII file names", msgstr="x",
          occurrences=[(f"content/ページ/説明{i}.md", str(i)) for i in range(8)]),
        E(msgid="%d file",
          msgid_plural="%d files were uploaded to your patient record successfully",
          msgstr_plural={0: "%d個のファイル", 1: "%d個のファイルが患者記録に正常にアップロードされました。これは長い翻訳です。"},
          flags=["c-format"]),
        E(msgid="Old message", msgstr="古いメッセージ", obsolete=True),
        E(msgid="Old long message " * 6, msgstr="古い長いメッセージ" * 8, obsolete=True, flags=["fuzzy"]),
        E(msgid="Old plural", msgid_plural="Old plurals", msgstr_plural={0: "古い", 1: "古い複数"},
          obsolete=True),
        E(msgid="Obsolete untranslated", msgstr="", obsolete=True),
    ]


@pytest.mark.parametrize("width", [79, 0])
def test_sample_catalog_matches_msgcat(width, tmp_path):
    assert_gnu(catalog(sample_entries()), width, tmp_path)


@pytest.mark.parametrize("width", [30, 60, 100])
def test_other_widths_match_msgcat(width, tmp_path):
    assert_gnu(catalog(sample_entries()), width, tmp_path)


@pytest.mark.parametrize("width", [79, 0])
def test_previous_msgid_on_obsolete_entries(width, tmp_path):
    # polib's writer drops comments of obsolete entries, so only GNU over
    # our output is the reference here.
    entry = E(msgid="Obsolete with history", msgstr="履歴付き", obsolete=True, flags=["fuzzy"],
              previous_msgctxt="menu",
              previous_msgid="An older, much longer wording of this message "
              "that wraps over more than one line of the file\nand has a newline.",
              msgctxt="menu", tcomment="kept")
    text = assert_gnu(catalog([entry]), width, tmp_path, independent=False)
    assert "#~| msgctxt" in text and "#~| msgid" in text


def test_header_keeps_metadata_order_and_wraps(tmp_path):
    meta = {"X-Custom-First": "1", "Content-Type": "text/plain; charset=UTF-8",
            "Project-Id-Version": "clinic 1.0",
            "X-Long": "a header value " * 8}
    cat = catalog([E(msgid="a", msgstr="b")], metadata=meta)
    cat.metadata_is_fuzzy = ["fuzzy"]
    text = assert_gnu(cat, 79, tmp_path, independent=False)
    assert text.startswith("# Clinic translations.\n# Copyright (C) 2024 Clinic\n#, fuzzy\n"
                           'msgid ""\nmsgstr ""\n"X-Custom-First: 1\\n"\n"Content-Type: ')
    assert_gnu(cat, 0, tmp_path, independent=False)


def test_flags_are_written_in_gnu_order(tmp_path):
    entries = [E(msgid="a", msgstr="b", flags=["python-format", "fuzzy", "c-format"]),
               E(msgid="c", msgstr="d", flags=["no-wrap", "python-brace-format", "range: 1..5"]),
               E(msgid="e", msgstr="", flags=["fuzzy", "python-format"])]
    text = assert_gnu(catalog(entries), 79, tmp_path)
    assert "#, fuzzy, c-format, python-format\n" in text
    assert "#, python-brace-format, range: 1..5, no-wrap\n" in text
    assert '#, python-format\nmsgid "e"' in text  # GNU drops fuzzy without msgstr


def test_unknown_flags_are_kept():
    # GNU msgcat would drop a flag it does not know; the formatter keeps it.
    text = format_catalog(catalog([E(msgid="a", msgstr="b", flags=["md-heading", "fuzzy"])]))
    assert "#, fuzzy, md-heading\n" in text


def test_no_wrap_flag_and_no_wrap_references(tmp_path):
    long_refs = [(f"docs/{'long-directory-name/' * 2}file{i}.md", str(i)) for i in range(6)]
    entries = [E(msgid=PROSE, msgstr=PROSE, flags=["no-wrap"]),
               E(msgid="refs", msgstr="x", occurrences=long_refs)]
    for width in (79, 0):
        text = assert_gnu(catalog(entries), width, tmp_path)
        # References are filled to 79 columns even with --no-wrap.
        assert all(len(line) <= 79 for line in text.splitlines() if line.startswith("#:"))
        assert f'msgid "{PROSE}"' in text


@pytest.mark.parametrize("flag", ["c-format", "python-format", "python-brace-format"])
def test_no_break_inside_format_directives(flag, tmp_path):
    # Slide a directive with an inner space across the wrap column.
    directive = {"c-format": "% d", "python-format": "%(a b)s",
                 "python-brace-format": "{0: >9}"}[flag]
    entries = [E(msgid=f"{k}" + "word " * 14 + "x" * k + directive + " and more text",
                 msgstr="", flags=[flag]) for k in range(1, 10)]
    entries.append(E(msgid="{a} " + "text " * 20, msgstr="", flags=[flag]))
    assert_gnu(catalog(entries), 79, tmp_path)


def test_polib_roundtrip_of_gnu_output(tmp_path):
    # A file written by GNU, read by polib and formatted again, is unchanged.
    # (polib neither reads `#~|` lines nor \a-style escapes, so the sample
    # has none of those.)
    entries = [e for e in sample_entries() if "\a" not in e.msgid]
    for width in (79, 0):
        gnu = run_msgcat(catalog(entries).__unicode__(), width, tmp_path)
        assert format_catalog(polib.pofile(gnu), width) == gnu


def test_empty_catalog(tmp_path):
    cat = catalog([], metadata={"Content-Type": "text/plain; charset=UTF-8"}, header="")
    text = format_catalog(cat)
    assert text == 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
    # msgcat writes nothing for a header-only file unless told --force-po.
    assert run_msgcat(text, 79, tmp_path, "--force-po") == text


def test_negative_width_is_rejected():
    with pytest.raises(ValueError):
        format_catalog(catalog([]), -1)


# ------------------------------------------------- property-based test ----

WORDS = ("the doctor medication dose **bold** [link](https://example.com/a/long/path) "
         "e.g., (see) well-known 50% 3.14 $100 it's \"quoted\" x:y a/b/c; ok! why? "
         "予約 コンピューター インターネット 、 。 「引用」 （括弧） 医生 药物 ， "
         "의사와 상담하세요 약물 ภาษาไทย แพทย์ ยา الطبيب الدواء ، Русский врач «кавычки» — "
         "Tiếng Việt bác sĩ thuốc %s %(name)s {name} % d 😀").split()
CHARS = ("abcXYZ019 .,;:!?'\"()[]{}<>/\\-_*#%&=+|~`@$^\t\n\r"
         "あいうアイウーッ漢字中文한국어ภาษาไทยالعربيةрусскийếạđ\u00a0\u00ad\u200b\u0301")
piece = st.one_of(st.sampled_from(WORDS), st.text(alphabet=CHARS, max_size=8))
seps = st.sampled_from([" ", " ", " ", "", "\n", "  "])
texts = st.lists(st.tuples(piece, seps), max_size=30).map(lambda ps: "".join(a + b for a, b in ps))


@st.composite
def entries(draw):
    result = []
    for i in range(draw(st.integers(1, 4))):
        flags = draw(st.lists(st.sampled_from(["fuzzy", "python-format", "c-format",
                                               "python-brace-format", "no-wrap"]),
                              max_size=2, unique=True))
        entry = E(msgid=f"{i}:" + draw(texts), msgstr=draw(texts), flags=flags,
                  obsolete=draw(st.booleans()) and i > 0)
        if draw(st.booleans()):
            entry.msgctxt = draw(texts)
        if draw(st.integers(0, 3)) == 0:
            entry.msgid_plural = "p" + draw(texts)
            entry.msgstr_plural = {n: draw(texts) for n in range(draw(st.integers(1, 3)))}
        if not entry.obsolete and draw(st.booleans()):
            entry.previous_msgid = draw(texts)
            names = st.text("abcdefgh/", min_size=1, max_size=30)
            entry.occurrences = [(f"src/{draw(names)}.md", str(draw(st.integers(1, 9999))))
                                 for _ in range(draw(st.integers(0, 6)))]
        result.append(entry)
    return result


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries(), st.sampled_from([79, 0, 40]))
def test_random_catalogs_match_msgcat(tmp_path, items, width):
    assert_gnu(catalog(items), width, tmp_path)


# ----------------------------------- the Unicode port against libunistring ----

def _libunistring():
    name = ctypes.util.find_library("unistring") or "libunistring.so.2"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        pytest.skip("libunistring (which msgcat uses) cannot be loaded")
    lib.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    lib.u8_possible_linebreaks_v2.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                              ctypes.c_char_p, ctypes.c_char_p]
    return lib


SCRIPTS = [(0x20, 0x250), (0x300, 0x370), (0x400, 0x530), (0x600, 0x700), (0xE00, 0xE80),
           (0x1100, 0x1200), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x3000, 0x3100),
           (0x4E00, 0x4F00), (0xAC00, 0xAD00), (0xFF00, 0xFFF0), (0x1F300, 0x1F650)]


# Characters whose Unicode data changed between libunistring 1.0 (Unicode 14)
# and the libraries used here; the formatter differs from msgcat on them.
KNOWN_WIDTH_DIFFERENCES = {0x3164, 0xFFA0}  # Hangul fillers: wcwidth says 0
KNOWN_BREAK_DIFFERENCES = {0x2057}  # QUADRUPLE PRIME: PO in uniseg's Unicode 16


def test_widths_match_libunistring():
    lib = _libunistring()
    for lo, hi in SCRIPTS:
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn" or cp in KNOWN_WIDTH_DIFFERENCES:
                continue
            if cp not in (0x2028, 0x2029):  # line separators: width unused
                assert poformat._char_width(ch) == lib.uc_width(cp, b"UTF-8"), hex(cp)


def test_break_opportunities_match_libunistring():
    lib = _libunistring()
    contexts = ["a{}a", " {} ", "{}{}", "({}(", "){})", "1{}1", "字{}字", "-{}-", '"{}"', "ก{}ก"]
    for lo, hi in SCRIPTS:
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn" or cp in KNOWN_BREAK_DIFFERENCES:
                continue
            for ctx in contexts:
                text = ctx.replace("{}", ch)
                raw = text.encode()
                out = ctypes.create_string_buffer(len(raw))
                lib.u8_possible_linebreaks_v2(raw, len(raw), b"UTF-8", out)
                starts, pos = [], 0
                for c in text:
                    starts.append(out.raw[pos])
                    pos += len(c.encode())
                assert poformat._possible_breaks(text) == starts, (hex(cp), ctx)
