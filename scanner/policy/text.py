"""Format-independent text clean-up for policies: blocks -> mended blocks -> sentences.

Every format reader (Markdown, plain text, HTML, PDF) turns a file into a flat list of `Block`s; this
module owns what happens next, so all formats share one normalisation and one sentence splitter.
Guarantees: pure functions, no I/O, deterministic; text is NFC with whitespace runs collapsed to one
space and nothing else rewritten (quotes, apostrophes and punctuation stay as written, because the
manifest quotes sentences verbatim).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

HEADING, PARAGRAPH, ITEM = "heading", "paragraph", "item"


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or list item as a format reader saw it."""

    kind: str  # HEADING, PARAGRAPH or ITEM
    text: str
    level: int = 0  # heading level (1 = title); 0 for other kinds


_SPACES = re.compile(r"\s+")
# Bullet artefacts left by PDF-to-Markdown converters ("- .. text") and typographic bullets.
_BULLET_PREFIX = re.compile(r"^(?:[-*+•▪◦·–]\s+|\.\.\s+|\d{1,2}[.)]\s+)+")


def normalise(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, whitespace collapsed, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


def strip_bullet(text: str) -> str:
    return _BULLET_PREFIX.sub("", text, count=1).strip()


_TERMINAL = re.compile(r"[.!?:;…][\"»”’')\]]*$")


def _ends_mid_sentence(block: Block) -> bool:
    return block.kind == PARAGRAPH and len(block.text.split()) >= 8 and not _TERMINAL.search(block.text)


def _is_furniture(block: Block) -> bool:
    """Page footer/header material: a short paragraph that is not a sentence (address, phone, page number)."""
    return block.kind == PARAGRAPH and not _TERMINAL.search(block.text)


def mend_page_breaks(blocks: list[Block], max_skip: int = 3) -> list[Block]:
    """Join a sentence that a page footer cut in two, dropping the footer between the halves.

    Converted PDFs put the footer (company address, phone, page number) in the middle of whatever
    sentence crossed the page break. A paragraph that ends mid-sentence, followed by at most `max_skip`
    non-sentence paragraphs and then a paragraph, is joined with that paragraph. Anything else is kept.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if _ends_mid_sentence(block):
            j = i + 1
            while j < len(blocks) and j - i - 1 < max_skip and _is_furniture(blocks[j]):
                j += 1
            if j < len(blocks) and blocks[j].kind == PARAGRAPH and not _is_furniture(blocks[j]) and (
                j > i + 1 or blocks[j].text[:1].islower()
            ):
                out.append(replace(block, text=block.text + " " + blocks[j].text))
                i = j + 1
                continue
        out.append(block)
        i += 1
    return out


# Words whose trailing period does not end a sentence (lower-cased, without the final period).
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "cf", "vs", "no", "nos", "mr", "mrs", "ms", "dr", "prof", "st", "inc", "ltd", "co", "art",
    "approx", "incl", "tél", "tel", "fax", "p", "pp", "ch", "al", "mme", "mlle", "m", "ex", "env", "z.b",
    "bzw", "ca", "vgl", "nr", "abs", "d.h", "u.a", "ggf", "inkl", "evtl", "str", "sog", "s.a", "sàrl", "sarl",
})
_BOUNDARY = re.compile(r"([.!?…]+)([\"»”’')\]]*)\s+(?=[\"«„“'(\[]?[A-ZÀ-ÖØ-Þ0-9])")
_DOTTED = re.compile(r"^(?:\w\.)+\w?$")


def split_sentences(text: str) -> tuple[str, ...]:
    """Split normalised text into sentences, keeping each sentence's characters exactly as written.

    A boundary is terminal punctuation, then space, then an upper-case letter or digit, unless the word
    before the period is a known abbreviation or a dotted abbreviation such as "S.A." or "z.B.".
    """
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1) == ".":
            word = text[:m.start()].rsplit(" ", 1)[-1].lstrip("([\"'«").lower()
            if word in _ABBREVIATIONS or _DOTTED.match(word + ".") or len(word) == 1:
                continue
        end = m.end(2)
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return tuple(sentences)
