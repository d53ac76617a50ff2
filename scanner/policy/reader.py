"""Read a privacy policy file (Markdown, plain text, HTML, PDF) into normalised sections of sentences.

`read_policy_text(path)` is the only entry point. Contract:
- deterministic: the same bytes give the same `PolicyDocument`;
- every sentence is the policy's own text, NFC-normalised with whitespace runs collapsed, Markdown/HTML
  markup removed (a link keeps its text) and list bullets dropped; nothing else is rewritten, so a
  sentence can be quoted as evidence and found again in the rendered policy;
- a sentence cut in two by a page footer (converted PDFs) is mended and the footer dropped;
- unreadable, empty or unsupported files raise `ConfigError` naming the file and the reason, never
  the file's content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from scanner.errors import ConfigError
from scanner.policy.formats import html_blocks, markdown_blocks, pdf_blocks, plain_blocks
from scanner.policy.text import HEADING, ITEM, Block, mend_page_breaks, normalise, split_sentences, strip_bullet


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[str, ...]
    list_item: bool = False


@dataclass(frozen=True)
class Section:
    heading: str | None  # None for text before the first heading
    paragraphs: tuple[Paragraph, ...] = ()
    level: int = 0

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


@dataclass(frozen=True)
class PolicyDocument:
    sections: tuple[Section, ...]
    title: str | None = None
    source_name: str | None = None  # file name only, for provenance
    media_type: str | None = None

    @property
    def text(self) -> str:
        """The normalised text: one line per heading and per sentence. Quotes are substrings of it."""
        lines: list[str] = []
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            lines.extend(section.sentences)
        return "\n".join(lines)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


Parser = Callable[[bytes], "tuple[str | None, list[Block]]"]
_BY_SUFFIX: dict[str, tuple[str, Parser]] = {
    ".md": ("text/markdown", markdown_blocks),
    ".markdown": ("text/markdown", markdown_blocks),
    ".txt": ("text/plain", plain_blocks),
    ".text": ("text/plain", plain_blocks),
    ".html": ("text/html", html_blocks),
    ".htm": ("text/html", html_blocks),
    ".xhtml": ("text/html", html_blocks),
    ".pdf": ("application/pdf", pdf_blocks),
}


def _sniff(data: bytes) -> tuple[str, Parser] | None:
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return _BY_SUFFIX[".pdf"]
    if head.startswith((b"<!doctype html", b"<html")):
        return _BY_SUFFIX[".html"]
    return None


def read_policy_text(path: Path) -> PolicyDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read policy {path}: {exc.strerror or type(exc).__name__}") from None
    suffix = path.suffix.lower()
    chosen = _BY_SUFFIX.get(suffix) or (_sniff(data) if not suffix else None)
    if chosen is None:
        raise ConfigError(
            f"unsupported policy format {suffix or '(no extension)'} for {path}: "
            "use Markdown (.md), text (.txt), HTML (.html) or PDF (.pdf), or a manifest (.yaml)"
        )
    media_type, parse = chosen
    try:
        title, blocks = parse(data)
    except ValueError as exc:
        raise ConfigError(f"cannot read policy {path}: {exc}") from None
    doc = build_document(blocks, title=title, source_name=path.name, media_type=media_type)
    if not any(section.sentences for section in doc.sections):
        raise ConfigError(f"policy {path} holds no text (a scanned image PDF needs OCR first)")
    return doc


def build_document(
    blocks: list[Block], *, title: str | None = None, source_name: str | None = None, media_type: str | None = None
) -> PolicyDocument:
    """Normalise blocks, mend page breaks, split sentences and group them under their headings."""
    cleaned: list[Block] = []
    for block in blocks:
        text = normalise(block.text)
        text = strip_bullet(text) if block.kind == ITEM or text.startswith(".. ") else text
        if text:
            cleaned.append(Block(block.kind, text, block.level))
    sections: list[Section] = []
    heading: str | None = None
    level = 0
    paragraphs: list[Paragraph] = []
    for block in mend_page_breaks(cleaned):
        if block.kind == HEADING:
            if heading is not None or paragraphs:
                sections.append(Section(heading, tuple(paragraphs), level))
            heading, level, paragraphs = block.text, block.level, []
        else:
            paragraphs.append(Paragraph(split_sentences(block.text), list_item=block.kind == ITEM))
    if heading is not None or paragraphs:
        sections.append(Section(heading, tuple(paragraphs), level))
    if title is None:
        title = next((s.heading for s in sections if s.heading), None)
    return PolicyDocument(tuple(sections), title=title, source_name=source_name, media_type=media_type)
