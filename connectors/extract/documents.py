"""Prose documents: DOCX, PPTX, ODT, RTF, PDF (text layer) — body text and metadata as `TextSample`s.

Metadata fields that name people (author, last modified by, …) become samples with `field="meta:author"`
etc., so a CV's author shows up even when the body is an image. Whole-file formats are parsed from bytes
(at most `max_document_bytes`) in an isolated child process killed at the item's deadline (`isolate.py`);
body text is capped at `bytes_per_file` characters. Encrypted PDFs that open with the empty password are
read; others are recorded as encrypted.
"""

from __future__ import annotations

import importlib
import io
import re
from typing import Any, Callable, ClassVar, Iterable, Iterator

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.isolate import run_isolated
from connectors.extract.text import chunk_text, decode
from scanner.errors import ItemError
from scanner.models import Item, ItemOutcome, Status, TextSample


_RTF_CODEPAGE = re.compile(r"\\ansicpg(\d+)")


def meta_samples(location: str, pairs: Iterable[tuple[str, object]]) -> list[TextSample]:
    """One sample per non-empty metadata value, `field="meta:<name>"`."""
    out = []
    for name, value in pairs:
        text = str(value).strip() if value is not None else ""
        if text:
            out.append(TextSample(location=location, field=f"meta:{name}", text=text))
    return out


def body_samples(location: str, parts: Iterable[str], ctx: ExtractContext, field: str | None = None) -> list[TextSample]:
    """Join text parts up to the per-file budget and cut them into samples."""
    budget = ctx.limits.bytes_per_file
    kept: list[str] = []
    size = 0
    for part in parts:
        if not part:
            continue
        kept.append(part)
        size += len(part) + 1
        if size >= budget:
            break
    return list(chunk_text("\n".join(kept)[:budget], location, field, ctx.limits))


def _core_meta(props) -> list[tuple[str, object]]:
    return [("author", props.author), ("last_modified_by", props.last_modified_by), ("title", props.title),
            ("subject", getattr(props, "subject", None)), ("keywords", getattr(props, "keywords", None)),
            ("comments", getattr(props, "comments", None))]


def preload(modules: tuple[str, ...]) -> None:
    """Import parser libraries before forking: children then neither pay the import nor take the import lock."""
    for name in modules:
        importlib.import_module(name)


class _IsolatedDocument:
    """Reads the whole document, then parses it in a child process (see `isolate.py`)."""

    media_types: tuple[str, ...] = ()
    label = "document"
    modules: tuple[str, ...] = ()  # imported in the parent once, so each forked child starts warm

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        data = ctx.read_whole(blob)
        preload(self.modules)
        yield from run_isolated(lambda: self.safe_parse(data, blob.item, ctx), ctx)

    def safe_parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        """`parse`, with any library exception turned into an ItemError naming only its type."""
        try:
            return self.parse(data, item, ctx)
        except (ItemError, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - parsers raise anything on hostile input
            raise ItemError(f"corrupt {self.label} ({type(exc).__name__})") from exc

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        raise NotImplementedError


def _docx_text(document: Any) -> Iterator[str]:
    """Header paragraphs, body paragraphs, then table rows (cells tab-separated)."""
    for section in document.sections:
        for para in section.header.paragraphs:
            yield para.text
    for para in document.paragraphs:
        yield para.text
    for table in document.tables:
        for row in table.rows:
            yield "\t".join(cell.text for cell in row.cells)


def _pptx_text(deck: Any) -> Iterator[str]:
    """Per slide: text frames and table rows (cells tab-separated), then the speaker notes."""
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield shape.text_frame.text
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    yield "\t".join(cell.text for cell in row.cells)
        if slide.has_notes_slide:
            yield slide.notes_slide.notes_text_frame.text


def _attribute(path: str) -> Any:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


class _OfficeOpenXmlDocument(_IsolatedDocument):
    """DOCX and PPTX: an Office Open XML package with core properties (author, …). Only the library that
    opens it (`package`: its opener and its own "not a package" error, as `module:name`) and where the text
    sits (`text`) differ; the library's module is preloaded before forking."""

    package: ClassVar[tuple[str, str]]
    text: ClassVar[Callable[[Any], Iterator[str]]]

    @property
    def modules(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.package[0].split(":")[0],)

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        opener, not_a_package = (_attribute(path) for path in self.package)
        try:
            document = opener(io.BytesIO(data))
        except (not_a_package, KeyError, ValueError) as exc:
            raise ItemError(f"corrupt {self.label}") from exc
        return [*meta_samples(item.location, _core_meta(document.core_properties)),
                *body_samples(item.location, self.text(document), ctx)]


class DocxExtractor(_OfficeOpenXmlDocument):
    label = "DOCX document"
    media_types = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
    package = ("docx:Document", "docx.opc.exceptions:PackageNotFoundError")
    text = staticmethod(_docx_text)


class PptxExtractor(_OfficeOpenXmlDocument):
    label = "PPTX presentation"
    media_types = ("application/vnd.openxmlformats-officedocument.presentationml.presentation",)
    package = ("pptx:Presentation", "pptx.exc:PackageNotFoundError")
    text = staticmethod(_pptx_text)


def odf_meta(doc) -> list[tuple[str, object]]:
    from odf import dc, meta
    from odf.teletype import extractText

    pairs: list[tuple[str, object]] = []
    for element, name in ((meta.InitialCreator, "author"), (dc.Creator, "last_modified_by"), (dc.Title, "title"),
                          (dc.Subject, "subject")):
        for node in doc.meta.getElementsByType(element):
            pairs.append((name, extractText(node)))
    return pairs


class OdtExtractor(_IsolatedDocument):
    modules = ("odf.opendocument", "odf.text", "odf.teletype")
    label = "ODT document"
    media_types = ("application/vnd.oasis.opendocument.text",)

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        location = item.location
        from odf import opendocument, text
        from odf.teletype import extractText

        try:
            doc = opendocument.load(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - odfpy raises KeyError/zip/xml errors on bad input
            raise ItemError("corrupt ODT document") from exc
        parts = (extractText(p) for kind in (text.H, text.P) for p in doc.text.getElementsByType(kind))
        return [*meta_samples(location, odf_meta(doc)), *body_samples(location, parts, ctx)]


class RtfExtractor(_IsolatedDocument):
    modules = ("striprtf.striprtf",)
    label = "RTF document"
    media_types = ("application/rtf", "text/rtf")

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        location = item.location
        from striprtf.striprtf import rtf_to_text

        raw = decode(data[: ctx.limits.max_document_bytes])
        meta = []
        for key in ("author", "operator", "title"):
            marker = "{\\" + key + " "
            start = raw.find(marker)
            if start >= 0:
                end = raw.find("}", start)
                name = "last_modified_by" if key == "operator" else key
                meta.append((name, _rtf_value(raw, raw[start + len(marker): end], rtf_to_text)))
        return [*meta_samples(location, meta), *body_samples(location, [rtf_to_text(raw, errors="ignore")], ctx)]


def _rtf_value(document: str, value: str, rtf_to_text) -> str:
    """A metadata value with its RTF escapes (`\\'b3`, `\\u322?`) decoded in the document's code page."""
    if "\\" not in value:
        return value
    codepage = _RTF_CODEPAGE.search(document[:2000])
    prefix = f"{{\\rtf1\\ansi\\ansicpg{codepage.group(1)} " if codepage else "{\\rtf1\\ansi "
    return rtf_to_text(prefix + value + "}", errors="ignore").strip()


class PdfExtractor(_IsolatedDocument):
    modules = ("pypdf",)
    label = "PDF"
    media_types = ("application/pdf",)

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        location = item.location
        import logging

        from pypdf import PdfReader
        from pypdf.errors import FileNotDecryptedError, PdfReadError

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf logs object dumps on odd files
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ItemError("encrypted PDF (needs a password); not decrypted", skip=True, encrypted=True)
            info = reader.metadata or {}
            meta = [("author", info.get("/Author")), ("title", info.get("/Title")), ("creator", info.get("/Creator"))]
            texts: list[str] = []
            size = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                texts.append(text)
                size += len(text)
                if size >= ctx.limits.bytes_per_file:
                    break
        except FileNotDecryptedError as exc:
            raise ItemError("encrypted PDF (needs a password); not decrypted", skip=True, encrypted=True) from exc
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ItemError("corrupt or truncated PDF") from exc
        events: list[ReadEvent] = [*meta_samples(location, meta), *body_samples(location, texts, ctx)]
        if not any(t.strip() for t in texts):
            if ctx.limits.ocr:
                from connectors.extract.ocr import ocr_pdf_images

                events += body_samples(location, ocr_pdf_images(reader, ctx), ctx, field="ocr")
            else:
                events.append(ItemOutcome(item, Status.SCANNED, "PDF has no text layer (scanned?); OCR is off"))
        return events
