"""Policy file formats -> flat lists of `Block`s (headings, paragraphs, list items).

One function per format, each taking the file's bytes and returning `(title or None, blocks)`. They only
recognise structure; normalisation, page-break mending and sentence splitting happen in `text`.
Errors: a file that cannot be decoded or parsed raises `ValueError` with a message that names the
problem, never the file's content (the caller turns it into a ConfigError).
"""

from __future__ import annotations

import io
import re

from scanner.policy.text import HEADING, ITEM, PARAGRAPH, Block, normalise

_MAX_HEADING_WORDS = 12


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) first, then charset detection."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ValueError("the file is not text in any encoding we recognise")
    return str(best)


# --- Markdown ----------------------------------------------------------------------------------------

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_MD_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref] -> text
    (re.compile(r"<((?:https?|mailto):[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"<[^>\n]+>"), " "),  # inline HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_([^_\s](?:[^_\n]*?[^_\s])?)_(?!\w)"), r"\1"),  # _emphasis_, not snake_case names
    (re.compile(r"`([^`]*)`"), r"\1"),
)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_HIDDEN = 0xE000  # escaped characters wait in the private-use area while markup is removed


def _md_inline(text: str) -> str:
    text = _MD_ESCAPE.sub(lambda m: chr(_HIDDEN + ord(m.group(1))), text)
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return re.sub("[\ue000-\ue0ff]", lambda m: chr(ord(m.group(0)) - _HIDDEN), text)


def markdown_blocks(data: bytes) -> tuple[str | None, list[Block]]:
    blocks: list[Block] = []
    kind, lines = PARAGRAPH, []  # the block being read

    def flush() -> None:
        nonlocal kind, lines
        text = _md_inline(" ".join(line.strip() for line in lines))
        if text.strip():
            blocks.append(Block(kind, text))
        kind, lines = PARAGRAPH, []

    in_fence = False
    for raw in decode(data).splitlines():
        line = raw.lstrip(">").rstrip() if raw.lstrip().startswith(">") else raw.rstrip()
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
            flush()
            continue
        if in_fence:
            lines.append(line)
            continue
        if not line.strip():
            flush()
        elif m := _ATX.match(line):
            flush()
            blocks.append(Block(HEADING, _md_inline(m.group(2)), level=len(m.group(1))))
        elif _SETEXT.match(line) and kind == PARAGRAPH and len(lines) == 1:
            blocks.append(Block(HEADING, _md_inline(lines[0].strip()), level=1 if "=" in line else 2))
            lines = []
        elif _MD_TABLE_RULE.match(line) and "|" in line:
            continue
        elif _MD_ITEM.match(line):
            flush()
            kind, lines = ITEM, [_MD_ITEM.sub("", line, count=1)]
        elif line.strip().startswith("|"):
            flush()
            lines = [" ".join(c.strip() for c in line.strip().strip("|").split("|") if c.strip())]
            flush()
        else:
            lines.append(line)
    flush()
    return None, blocks


# --- Plain text (and text extracted from PDF) --------------------------------------------------------

_TEXT_ITEM = re.compile(r"^\s*(?:[-*•▪◦·–]|\d{1,3}[.)]|\(?[a-z]\))\s+")
_LETTERS = re.compile(r"[^\W\d_]")
_TERMINAL = re.compile(r"[.!?:;…][\"»”’')\]]*$")


def _is_caps_heading(line: str) -> bool:
    letters = _LETTERS.findall(line)
    if len(letters) < 3 or len(line.split()) > _MAX_HEADING_WORDS or line.rstrip().endswith((".", ",", ";")):
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.8


def _is_single_line_heading(line: str) -> bool:
    words = line.split()
    return (
        len(_LETTERS.findall(line)) >= 3 and len(words) <= _MAX_HEADING_WORDS and line[:1].isupper()
        and not line.rstrip().endswith((".", ",", ";", ":"))
    )


def _ends_block(previous: str, line: str, kind: str, width: int) -> bool:
    """Whether `line` starts a new paragraph although no blank line says so (text extracted from PDF).

    After a list item that ended a sentence, yes. Otherwise only when the previous line is short (so it
    was not wrapped at the margin), the new line starts with a capital, and the previous line ended a
    sentence or was a list item.
    """
    if kind == ITEM and _TERMINAL.search(previous):
        return True
    short = len(previous) < 0.6 * width
    return short and line[:1].isupper() and (kind == ITEM or bool(_TERMINAL.search(previous)))


def plain_blocks(data: bytes | str) -> tuple[str | None, list[Block]]:
    """Blank lines separate blocks; inside one, bullets start items and capitalised lines are headings."""
    text = decode(data) if isinstance(data, bytes) else data
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if len(lines) == 1 and not _TEXT_ITEM.match(lines[0]) and _is_single_line_heading(lines[0]):
            blocks.append(Block(HEADING, lines[0], level=2))
            continue
        kind, current = PARAGRAPH, []
        width = max(len(line) for line in lines)
        for line in lines:
            new_kind = HEADING if _is_caps_heading(line) else ITEM if _TEXT_ITEM.match(line) else None
            if new_kind is None and current and _ends_block(current[-1], line, kind, width):
                new_kind = PARAGRAPH
            if new_kind is not None:
                if current:
                    blocks.append(Block(kind, " ".join(current)))
                if new_kind == HEADING:
                    blocks.append(Block(HEADING, line, level=2))
                    kind, current = PARAGRAPH, []
                    continue
                kind, current = new_kind, [_TEXT_ITEM.sub("", line, count=1) if new_kind == ITEM else line]
            else:
                current.append(line)
        if current:
            blocks.append(Block(kind, " ".join(current)))
    return None, blocks


# --- HTML --------------------------------------------------------------------------------------------

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "button", "form"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_ITEMS = frozenset({"li", "dt", "dd"})
_PARAGRAPHS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre", "td", "th",
    "tr", "table", "ul", "ol", "dl", "figcaption", "caption", "address", "body", "html",
})


def html_blocks(data: bytes) -> tuple[str | None, list[Block]]:
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"not parseable as HTML ({type(exc).__name__})") from None
    title_el = root.find(".//title")
    title = normalise(title_el.text_content()) if title_el is not None else None

    blocks: list[Block] = []
    stack: list[tuple[str, int]] = []
    parts: list[str] = []

    def flush() -> None:
        text = "".join(parts)
        kind, level = stack[-1] if stack else (PARAGRAPH, 0)
        if text.strip():
            blocks.append(Block(kind, text, level=level))
        parts.clear()

    def walk(el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP_TAGS:
            return
        kind = HEADING if tag in _HEADINGS else ITEM if tag in _ITEMS else PARAGRAPH if tag in _PARAGRAPHS else None
        if kind is not None:
            flush()
            stack.append((kind, _HEADINGS.get(tag, 0)))
        if tag == "br":
            parts.append(" ")
        parts.append(el.text or "")
        for child in el:
            walk(child)
            parts.append(child.tail or "")
        if kind is not None:
            flush()
            stack.pop()

    walk(root)
    return title or None, blocks


# --- PDF ---------------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:page|seite)?\s*\d{1,4}(?:\s*(?:/|of|sur|von)\s*\d{1,4})?$", re.IGNORECASE)


def pdf_blocks(data: bytes) -> tuple[str | None, list[Block]]:
    """Text of every page, minus page numbers and lines repeated on most pages (headers, footers)."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted and not reader.decrypt("")
        if not encrypted:
            pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
            meta_title = (reader.metadata or {}).get("/Title")
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on malformed files; all mean unreadable
        raise ValueError(f"not a readable PDF ({type(exc).__name__})") from None
    if encrypted:
        raise ValueError("the PDF is encrypted with a password; decrypt it first")
    seen: dict[str, int] = {}
    for lines in pages:
        for line in {normalise(line) for line in lines}:
            seen[line] = seen.get(line, 0) + 1
    repeated = {line for line, n in seen.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2 + 0.5)}
    kept = [
        line for lines in pages for line in lines
        if normalise(line) not in repeated and not _PAGE_NUMBER.match(normalise(line))
    ]
    title, blocks = plain_blocks("\n".join(kept))
    return (normalise(str(meta_title)) if meta_title else title), blocks
