"""XML and HTML.

HTML: visible text (no script/style) as one text body, plus `<meta name="author">`.
XML: leaf values grouped by element path. A path repeated at least three times with short values is a
record field (`customers/customer/email`) and becomes a `ColumnSample`; an author element of the
document's properties (`Author`, `dc:creator`, …) a `meta:` sample; the rest is prose. The parser is
lxml with entity resolution and network access off (no XXE, no billion laughs). lxml in recover mode stops
quietly at an entity bomb or a fatal error and returns what it had: such an item is reported
`partially read` (status `error`, `Facts.partial`), with the values found before the stop kept.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Iterator

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.documents import body_samples, meta_samples
from connectors.extract.text import read_sampled, sampled_text
from scanner.errors import ItemError
from scanner.models import ColumnSample, Facts, ItemOutcome, Status

_SKIP_TAGS = {"script", "style", "noscript", "template"}
# Document-property elements that name an author (SpreadsheetML/WordML 2003 `Author`, `LastAuthor`; Dublin
# Core `creator`, `contributor`; ODF `initial-creator`): read as metadata, like the Office formats' properties.
AUTHOR_ELEMENTS = {"author": "author", "lastauthor": "last_modified_by", "creator": "author",
                   "initial-creator": "author", "contributor": "contributor", "lastmodifiedby": "last_modified_by"}


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1] if "}" in text else text


class HtmlExtractor:
    media_types = ("text/html", "application/xhtml+xml")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        import lxml.html
        from lxml import etree

        text = sampled_text(blob, ctx)
        if not text.strip():
            return
        try:
            root = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise ItemError("unparseable HTML") from exc
        metas = [(str(m.get("name")).lower(), m.get("content")) for m in root.iter("meta")
                 if str(m.get("name") or "").lower() in ("author", "publisher", "reply-to")]
        for bad in list(root.iter(*_SKIP_TAGS)):
            bad.drop_tree()
        body = root.text_content()
        parts = [line.strip() for line in body.splitlines()]
        yield from meta_samples(blob.item.location, metas)
        yield from body_samples(blob.item.location, [p for p in parts if p], ctx)


class XmlExtractor:
    media_types = ("application/xml", "text/xml")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        from lxml import etree

        with blob.open() as stream:
            data = read_sampled(stream, blob.item.size_bytes, ctx.limits, blob.item.location, ctx.check_deadline)
        parser_args = dict(resolve_entities=False, no_network=True, huge_tree=False, recover=True,
                           remove_comments=True, load_dtd=False)
        values: dict[str, list[str]] = defaultdict(list)
        limit = ctx.limits.values_per_column
        parser = etree.iterparse(io.BytesIO(data), events=("end",), **parser_args)
        stopped: str | None = None
        try:
            for _event, element in parser:
                path = "/".join(_local(e.tag) for e in reversed([element, *element.iterancestors()])
                                if isinstance(e.tag, str))
                if len(element) == 0 and element.text and element.text.strip():
                    if len(values[path]) < limit:
                        values[path].append(element.text.strip())
                for name, value in element.attrib.items():
                    key = f"{path}/@{_local(name)}"
                    if value.strip() and len(values[key]) < limit:
                        values[key].append(value.strip())
                element.clear(keep_tail=True)
        except etree.XMLSyntaxError as exc:
            if not values:
                raise ItemError("malformed XML") from exc
            stopped = "malformed XML"
        whole = blob.item.size_bytes is None or len(data) >= blob.item.size_bytes
        stopped = stopped or _parse_stop(parser.error_log, whole)
        prose: list[str] = []
        meta: list[tuple[str, str]] = []
        for path, found in values.items():
            name = AUTHOR_ELEMENTS.get(path.rsplit("/", 1)[-1].casefold())
            if name and len(found) < 3:
                meta += [(name, value) for value in found]
            elif len(found) >= 3 and sum(map(len, found)) / len(found) < 200:
                yield ColumnSample(location=blob.item.location, field=path, values=tuple(found))
            else:
                prose.extend(found)
        yield from meta_samples(blob.item.location, meta)
        if prose:
            yield from body_samples(blob.item.location, prose, ctx)
        if stopped:
            yield ItemOutcome(blob.item, Status.ERROR, f"partially read: XML parse stopped early ({stopped}); "
                              "the rest of the document was not read", Facts(partial=True))


def _parse_stop(error_log, whole: bool) -> str | None:
    """Why a recovering parse gave up part of the document, or None. An entity limit always counts; a
    syntax error only when the whole file was read (a sampled file's windows are cut mid-element)."""
    errors = list(error_log)
    if any("ENTITY" in e.type_name or "RESOURCE" in e.type_name for e in errors):
        return "entity expansion limit; possible entity bomb"
    if whole and any(e.level_name in ("ERROR", "FATAL") for e in errors):
        return "malformed XML, parser recovered"
    return None

