"""The project's Markdown dialect, and a page body cut into what translators translate.

Extraction (``source``) and reassembly (``render``) both call ``segment()`` on the English
token stream, so the msgid a translator sees and the msgid a page looks up come from one
function. What a segment is:

- each ``inline`` token (heading, paragraph, table cell) is one message, its Markdown source
  with soft breaks as spaces and hard breaks as ``\\`` + newline; code spans stay byte for byte;
- an image becomes a placeholder ``{image1}`` in that message, and its alt text and title become
  messages of their own: the ``src`` is never in a message, and the alt is plain text as in the
  ``alt`` attribute;
- a link title becomes a message of its own; the link destination stays in the message (masked
  for machine translation, checked by the ``markup`` check);
- a shortcut or collapsed reference link (``[Booking]``, ``[Booking][]``) is written as a full
  reference (``[Booking][Booking]``), so the translated text still finds the English definition;
- a block with nothing to translate (only code, a URL, numbers or punctuation) is no message.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.entities import entities
from markdown_it.rules_inline import autolink, backtick, image, link
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from .config import Config, html_tag

_SAFE_SCHEME = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|mailto:)[^\s)<>\]]+")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def markdown(spans: bool = True) -> MarkdownIt:
    """The one Markdown dialect of the project: CommonMark + tables + strikethrough, no raw HTML.

    With ``spans``, links, images and code spans also record where they are in their block's
    source (``token.meta["span"]``): extraction needs it; the checks and rendering do not, and
    parse the same Markdown faster without.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "store_labels": True})
    md.enable(["table", "strikethrough"])
    md.validateLink = _safe_link
    if not spans:
        return md
    md.inline.ruler.at("link", _with_span(link, "link_open"))
    md.inline.ruler.at("image", _with_span(image, "image"))
    md.inline.ruler.at("backticks", _with_span(backtick, "code_inline"))
    md.inline.ruler.at("autolink", _with_span(autolink, "link_open"))
    return md


def _safe_link(url: str) -> bool:
    """Links only http(s), mailto or relative: a translated ``javascript:`` link stays text."""
    stripped = re.sub(r"[\x00-\x20]", "", url)
    return bool(_SAFE_SCHEME.match(stripped)) or not _ANY_SCHEME.match(stripped)


def _with_span(rule, token_type: str):
    def spanned(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            # A rule may first flush pending text; ours is the first token of its type after that.
            token = next((t for t in state.tokens[count:] if t.type == token_type), None)
            if token is not None:
                token.meta["span"] = (start, state.pos)
                if token_type == "link_open" and token.markup != "autolink":
                    token.meta["label_end"] = state.md.helpers.parseLinkLabel(state, start, True)
                    token.meta["edits"] = _link_edits(state, start, state.pos, token)
        return True

    return spanned


def _link_edits(state: StateInline, start: int, end: int, token: Token) -> list[tuple[int, int, str]]:
    """How a link is written in a msgid: reference links in full, inline links without title."""
    src = state.src
    label_end = token.meta["label_end"]
    text = src[start + 1 : label_end]
    if "label" in token.meta:  # a reference link
        label = "[" + " ".join(text.split()) + "]"
        if end == label_end + 1:  # shortcut [text]
            return [(end, end, label)]
        if src[label_end + 1 : end] == "[]":  # collapsed [text][]
            return [(label_end + 1, end, label)]
        return []
    # inline [text](destination "title"): the title is a message of its own
    pos = label_end + 2
    while pos < end and src[pos] in " \t\n":
        pos += 1
    destination = state.md.helpers.parseLinkDestination(src, pos, end)
    if destination.ok and state.md.validateLink(state.md.normalizeLink(destination.str)):
        written = src[pos : destination.pos]
        if re.search(r"\)[^)]", written):
            # ``](<a)b>)``: a tool that ends the target at the first ``)`` would expose ``b>)``
            # as text; parentheses as references keep the whole target in one piece.
            parens = re.sub(r"\\?\(", "&#40;", re.sub(r"\\?\)", "&#41;", written))
            token.meta["literal_edits"] = [(pos, destination.pos, parens)]
        pos = destination.pos
    title_start = pos
    while pos < end and src[pos] in " \t\n":
        pos += 1
    title = state.md.helpers.parseLinkTitle(src, pos, end)
    if pos < end and title_start != pos and title.ok:
        return [(title_start, title.pos, "")]
    return []


_MD = markdown()


def has_words(text: str) -> bool:
    """Whether text has letters once URLs and ``{placeholders}`` are taken out."""
    return any(ch.isalpha() for ch in _PLACEHOLDER.sub(" ", _URL.sub(" ", text)))


@dataclass(frozen=True)
class ImageSlot:
    """An image of a block: its placeholder in the block's msgid and its own messages."""

    placeholder: str
    alt: str | None  # msgid of the alt text (plain text), None when there is nothing to translate
    title: str | None
    offset: int  # lines from the block's first line
    token: Token = field(compare=False, repr=False)


@dataclass(frozen=True)
class LinkSlot:
    href: str
    title: str | None  # msgid of the link title
    english_title: str | None


@dataclass(frozen=True)
class Segment:
    """One inline token of the English body, as translators see it."""

    msgid: str | None  # None: nothing to translate (only code, a URL, numbers, punctuation)
    images: tuple[ImageSlot, ...]
    links: tuple[LinkSlot, ...]
    text: str  # what a reader sees, for the text-fragment anchor
    autolinks: tuple[str, ...] = ()  # hrefs of ``<https://…>`` autolinks, which stay in the msgid

    def messages(self) -> list[tuple[str, str, int]]:
        """(msgid, kind, line offset) of the block and of its images and link titles."""
        found = [(self.msgid, "", 0)] if self.msgid else []
        for slot in self.images:
            found += [(slot.alt, "image alt", slot.offset)] if slot.alt else []
            found += [(slot.title, "image title", slot.offset)] if slot.title else []
        found += [(link.title, "link title", 0) for link in self.links if link.title]
        return found


def _placeholder_base(content: str) -> str:
    """``image``, unless the block's own text has ``{image``: placeholders never collide."""
    base = "image"
    while "{" + base in content:
        base += "_"
    return base


def _plain(text: str) -> str | None:
    text = " ".join(text.split())
    return text if has_words(text) else None


def segment(token: Token, env: dict) -> Segment:
    """The segment of an English ``inline`` token (parsed by ``markdown()``, children untouched)."""
    content = token.content
    children = token.children or []
    base = _placeholder_base(content)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in ``content``
    literal: list[tuple[int, int, str]] = []  # rewrites of text that looks like markup
    syntax: list[tuple[int, int]] = []  # spans of markup, where nothing is rewritten
    images: list[ImageSlot] = []
    links: list[LinkSlot] = []
    autolinks: list[str] = []
    for child in children:
        span = child.meta.get("span")
        if span is None:
            continue
        if child.type == "image":
            placeholder = f"{{{base}{len(images) + 1}}}"
            child.meta["slot"] = len(images)
            alt = _MD.renderer.renderInlineAsText(child.children, _MD.options, env)
            title = child.attrs.get("title")
            offset = content.count("\n", 0, span[0])
            images.append(ImageSlot(placeholder, _plain(alt), _plain(str(title or "")), offset, child))
            edits.append((span[0], span[1], placeholder))
            syntax.append(span)
        elif child.type == "code_inline":
            # Line endings in a code span are spaces already; nothing else in it may change.
            edits.append((span[0], span[1], content[span[0] : span[1]].replace("\n", " ")))
            syntax.append(span)
        elif child.markup == "autolink":
            syntax.append(span)
            autolinks.append(str(child.attrs.get("href", "")))
        else:  # a link: its brackets, destination, title and label are markup, its text is not
            edits.extend(child.meta["edits"])
            literal.extend(child.meta.get("literal_edits", ()))
            syntax += [(span[0], span[0] + 1), (child.meta["label_end"], span[1])]
            title = child.attrs.get("title")
            links.append(LinkSlot(str(child.attrs.get("href", "")), _plain(str(title or "")), title and str(title)))
    images_, links_ = tuple(images), tuple(links)
    key = (content, _references_key(env))
    if key not in _MSGIDS:  # a page is segmented once for extraction and once per locale
        if len(_MSGIDS) > _MSGIDS_MAX:
            _MSGIDS.clear()
        _MSGIDS[key] = _choose_msgid(content, children, edits, literal + _literal_edits(content, syntax), images_, env)
    return Segment(_MSGIDS[key], images_, links_, " ".join(visible_text(children).split()), tuple(autolinks))


_MSGIDS: dict[tuple[str, object], str | None] = {}
_MSGIDS_MAX = 100_000


def _references_key(env: dict) -> object:
    """What of ``env`` a block's parse depends on: the page's link reference definitions."""
    references = env.get("references") or {}
    key = env.get("l10n_references_key")
    if key is None or key[0] != len(references):
        key = (len(references), tuple(sorted((k, v.get("href"), v.get("title")) for k, v in references.items())))
        env["l10n_references_key"] = key
    return key


def _choose_msgid(content: str, children: list[Token], edits: list, literal: list, images: tuple, env: dict) -> str | None:
    """The msgid must render as the English does. Joining lines can change the meaning
    (``[a](<b`` + newline + ``c>)`` is no link, ``[a](<b c>)`` is): then the line breaks stay as
    they are. A block no candidate renders faithfully is not offered for translation."""
    english = _shape(children, env)
    for candidate_edits, join_lines in ((edits + literal, True), (edits + literal, False), (edits, False)):
        candidate = _assemble(content, candidate_edits, join_lines)
        if _shape(_rebuild(candidate, images, env), env) == english:
            return candidate if _translatable(candidate, env) else None
    return None


# Characters that are text here but that a regex-driven tool (machine-translation masking, a
# CAT tool's markup highlighting, the checks) would take for markup: ``]`` before ``(`` or
# ``[`` reads as the end of a link text, a lone backtick as a code span, ``&name;`` that is no
# HTML entity as one. The msgid writes them as references, which render the same.
_ENTITY_LIKE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);")
_DIGITAL_ENTITY = re.compile(r"&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")


_LOOKS_LIKE_MARKUP = re.compile(r"[\\&`\]]")


def _literal_edits(content: str, syntax: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    edits = []
    position = 0
    for start, end in [*sorted(syntax), (len(content), len(content))]:
        while (found := _LOOKS_LIKE_MARKUP.search(content, position, start)) is not None:
            position = found.start()
            char = content[position]
            if char == "\\":
                position += 2  # an escape (or a literal backslash and what follows it)
                continue
            if char == "&":
                named = _NAMED_ENTITY.match(content, position)
                entity = _DIGITAL_ENTITY.match(content, position) or (named if named and named.group(1) in entities else None)
                if entity:
                    position = entity.end()
                    continue
                if _ENTITY_LIKE.match(content, position):
                    edits.append((position, position + 1, "&amp;"))
            elif char == "`":
                edits.append((position, position + 1, "&#96;"))
            elif content[position + 1 : position + 2] in ("(", "["):  # a ``]``
                edits.append((position, position + 1, "&#93;"))
            position += 1
        position = max(position, end)
    return edits


_TRANSLATED_ATTRIBUTE = re.compile(r' (?:title|alt)="[^"]*"')


def _shape(children: list[Token], env: dict) -> str:
    """Inline tokens as HTML with whitespace runs as one space (a soft break is a space), without
    the attributes that are messages of their own (titles and alt texts)."""
    html = _MD.renderer.renderInline(children, _MD.options, env)
    return " ".join(_TRANSLATED_ATTRIBUTE.sub("", html).split())


def _assemble(content: str, edits: list[tuple[int, int, str]], join_lines: bool) -> str:
    """The msgid: ``content`` with ``edits`` applied, soft breaks as spaces, hard breaks kept."""
    out = ""
    last = 0
    for start, end, replacement in sorted(edits):
        if start < last:
            continue  # inside an edit already made (cannot happen with markdown-it's tokens)
        out = _append_text(out, content[last:start]) if join_lines else out + content[last:start]
        out += replacement
        last = end
    return _append_text(out, content[last:]) if join_lines else out + content[last:]


def _append_text(out: str, text: str) -> str:
    lines = text.split("\n")
    out += lines[0]
    for line in lines[1:]:
        line = line.lstrip(" \t")
        backslashes = len(out) - len(out.rstrip("\\"))
        if backslashes % 2 == 1:
            out += "\n" + line
        elif out.endswith("  "):
            out = out.rstrip(" ") + "\\\n" + line
        else:
            out = out.rstrip(" \t") + " " + line
    return out


# Where an inline rule of the dialect can begin: line breaks, escapes, code spans, ~~, emphasis,
# links, images, autolinks, entities (and what markdown-it's normaliser rewrites). Text with none
# of them parses to one text token, itself: most sentences, in most languages.
_INLINE_SYNTAX = re.compile(r"[\n\r\0\\`~*_\[\]!<&]")


def has_inline_syntax(text: str) -> bool:
    """Whether markdown-it could read ``text`` as anything but one run of plain text."""
    return _INLINE_SYNTAX.search(text) is not None


def parse_inline(text: str, env: dict) -> list[Token]:
    r"""Inline tokens of a message, as the full core chain would leave them.

    The core rule ``text_join`` normally turns escapes (``text_special``) into plain text; parsing
    a block's inline content on its own skips it, and the renderer would then emit ``\<`` raw.
    """
    if not has_inline_syntax(text):
        return [_text(text)] if text else []
    children: list[Token] = []
    _MD.inline.parse(text, _MD, env, children)
    for child in children:
        if child.type == "text_special":
            child.type = "text"
    return children


def _translatable(msgid: str, env: dict) -> bool:
    """Letters in the message's text (escapes, entities, code, autolinks and URLs aside)."""
    children: list[Token] = []
    _MD.inline.parse(msgid, _MD, dict(env), children)
    in_autolink = False
    for child in children:
        if child.type == "link_open":
            in_autolink = child.markup == "autolink"
        elif child.type == "link_close":
            in_autolink = False
        elif in_autolink:
            continue
        elif child.type == "text" and has_words(child.content):
            return True
        elif child.type == "text_special" and child.content.startswith("\\") and has_words(child.content):
            return True  # a backslash before a letter escapes nothing: ``\A`` is text
    return False


def visible_text(children: list[Token]) -> str:
    """What a reader sees of inline tokens (image alt text aside)."""
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


# --- Reassembly ----------------------------------------------------------------------------


def reassemble(seg: Segment, translation: str, env: dict) -> list[Token]:
    """A block's inline tokens from its translation: the English images go where their
    placeholders are; every link target is one of the English block's (``confine_targets``)."""
    children = _rebuild(translation, seg.images, env)
    return confine_targets(children, [link.href for link in seg.links], seg.autolinks)


def confine_targets(children: list[Token], links: list[str], autolinks: tuple[str, ...] | list[str]) -> list[Token]:
    """A translation's inline tokens with every target taken from the English text, whatever
    the catalog's flags say: a link keeps its target only when the English has it (once per
    English occurrence); other links get the English targets not yet used, in order, and links
    beyond those lose their target (their text stays); an autolink the English lacks, or an
    image that is not one of the English images (``meta["slot"]``), becomes its text. Titles
    come from the English (``localize_attributes``), never from the translation."""
    if not any(c.type in ("link_open", "image") for c in children):
        return children
    available = Counter(links)
    auto_available = Counter(autolinks)
    targets: dict[int, str | None] = {}
    unmatched: list[int] = []
    for index, child in enumerate(children):
        if child.type != "link_open":
            continue
        href = str(child.attrs.get("href", ""))
        pool = auto_available if child.markup == "autolink" else available
        if pool[href] > 0:
            pool[href] -= 1
            targets[index] = href
        elif child.markup == "autolink":
            targets[index] = None
        else:
            unmatched.append(index)
    unused = []
    for href in links:  # English targets no translated link took, in the English order
        if available[href] > 0:
            available[href] -= 1
            unused.append(href)
    for index in unmatched:
        targets[index] = unused.pop(0) if unused else None
    result: list[Token] = []
    unlinked = False
    for index, child in enumerate(children):
        if child.type == "link_open":
            href = targets[index]
            unlinked = href is None
            if unlinked:
                continue
            token = copy.copy(child)
            token.attrs = {"href": href}
            result.append(token)
        elif child.type == "link_close":
            if not unlinked:
                result.append(child)
            unlinked = False
        elif child.type == "image" and "slot" not in child.meta:
            result.append(_text(_MD.renderer.renderInlineAsText(child.children or [], _MD.options, {})))
        else:
            result.append(child)
    return result


def _rebuild(translation: str, images: tuple[ImageSlot, ...] | list[ImageSlot], env: dict) -> list[Token]:
    children = parse_inline(translation, env)
    if not images:
        return children
    slots = {slot.placeholder: slot for slot in images}
    pattern = re.compile("|".join(re.escape(p) for p in slots))
    result: list[Token] = []
    in_autolink = False
    for child in children:
        if child.type == "link_open":
            in_autolink = child.markup == "autolink"
        elif child.type == "link_close":
            in_autolink = False
        if child.type != "text" or in_autolink or not pattern.search(child.content):
            result.append(child)
            continue
        last = 0
        for match in pattern.finditer(child.content):
            if match.start() > last:
                result.append(_text(child.content[last : match.start()]))
            result.append(copy.deepcopy(slots[match.group(0)].token))
            last = match.end()
        if last < len(child.content):
            result.append(_text(child.content[last:]))
    return result


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def localize_attributes(children: list[Token], seg: Segment, lookup) -> int:
    """Translate image alt texts and titles and link titles in place; returns how many stayed
    English (an image with an English alt gets ``lang="en"``)."""
    english = 0
    seen: dict[str, int] = {}
    for child in children:
        if child.type == "image" and "slot" in child.meta and child.meta["slot"] < len(seg.images):
            slot = seg.images[child.meta["slot"]]
            if slot.alt:
                alt = lookup(None, slot.alt)
                if alt is None:
                    english += 1
                    child.attrSet("lang", "en")
                else:
                    child.children = [_text(alt)]
            if slot.title:
                title = lookup(None, slot.title)
                english += title is None
                child.attrSet("title", title if title is not None else str(child.attrs.get("title", "")))
        elif child.type == "link_open" and child.markup != "autolink":
            href = str(child.attrs.get("href", ""))
            index = seen.get(href, 0)
            seen[href] = index + 1
            same = [slot for slot in seg.links if slot.href == href]
            if index < len(same) and same[index].english_title:
                slot = same[index]
                title = lookup(None, slot.title) if slot.title else None
                english += slot.title is not None and title is None
                child.attrSet("title", title if title is not None else slot.english_title)
    return english


# --- Context for translators ---------------------------------------------------------------


def page_url(config: Config, locale: str, slug: str) -> str:
    return f"{config.base_url}{html_tag(locale)}/{slug}.html"


def text_fragment(text: str) -> str:
    """A URL fragment that scrolls to and highlights ``text`` (``#:~:text=start,end``)."""
    words = " ".join(text.split()).split(" ")
    if not words or not words[0]:
        return ""

    def encode(part: list[str]) -> str:
        return quote(" ".join(part), safe="").replace("-", "%2D")

    if len(words) <= 8:
        return "#:~:text=" + encode(words)
    return "#:~:text=" + encode(words[:4]) + "," + encode(words[-4:])


def block_kinds(tokens: list[Token]) -> dict[int, str]:
    """Index of each ``inline`` token -> what it is, for translators: ``heading 2``,
    ``list item 3 of 5``, ``table cell row 2, column "Recovery"``, ``paragraph in block quote``."""
    kinds: dict[int, str] = {}
    frames: list[dict] = []  # open containers, outermost first
    headers: list[str] = []
    row = column = 0
    in_head = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "blockquote_open":
            frames.append({"label": "block quote"})
        elif kind in ("bullet_list_open", "ordered_list_open"):
            frames.append({"label": None, "items": _count_items(tokens, index), "item": 0})
        elif kind == "list_item_open":
            parent = frames[-1]
            parent["item"] += 1
            frames.append({"label": f"list item {parent['item']} of {parent['items']}", "blocks": 0, "level": token.level})
        elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close", "list_item_close"):
            frames.pop()
        elif kind == "table_open":
            headers = _table_headers(tokens, index)
        elif kind == "thead_open":
            in_head, row = True, 0
        elif kind == "tbody_open":
            in_head, row = False, 0
        elif kind == "tr_open":
            row, column = row + (not in_head), 0
        elif kind in ("th_open", "td_open"):
            column += 1
        elif kind == "inline":
            kinds[index] = _kind(tokens[index - 1], frames, headers, row, column, in_head)
    return kinds


def _kind(opener: Token, frames: list[dict], headers: list[str], row: int, column: int, in_head: bool) -> str:
    containers = [f["label"] for f in frames if f["label"]]
    if opener.type == "heading_open":
        base = f"heading {opener.tag[1:]}"
    elif opener.type == "th_open":
        base = f"table header, column {column} of {len(headers)}"
    elif opener.type == "td_open":
        header = headers[column - 1] if column <= len(headers) else ""
        base = f'table cell row {row}, column "{header}"' if header else f"table cell row {row}, column {column}"
    else:
        base = "paragraph"
        item = next((f for f in reversed(frames) if f["label"]), None)
        if item is not None and "blocks" in item and opener.level == item["level"] + 1:
            item["blocks"] += 1
            containers.pop()
            base = item["label"] + (f", paragraph {item['blocks']}" if item["blocks"] > 1 else "")
    return " in ".join([base, *reversed(containers)])


def _count_items(tokens: list[Token], index: int) -> int:
    level = tokens[index].level
    count = 0
    for token in tokens[index + 1 :]:
        if token.level == level and token.nesting == -1:
            break
        count += token.type == "list_item_open" and token.level == level + 1
    return count


def _table_headers(tokens: list[Token], index: int) -> list[str]:
    headers = []
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.type in ("thead_close", "table_close"):
            break
        if token.type == "th_open":
            inline = tokens[position + 1]
            headers.append(" ".join(visible_text(inline.children or []).split()))
    return headers
