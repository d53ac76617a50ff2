"""The shared extraction layer: any byte stream -> text and table samples.

Connectors hand a `Blob` (an item plus a way to open a read-only stream) to `extract()`. The layer
sniffs the media type (content first, then extension), picks the `Extractor` registered for it through
the `policyscan.extractors` entry point group, and yields samples. Containers (zip, tar, 7z, gz, SQLite
files, SQL dumps) yield member blobs back through `ExtractContext.recurse`, so nesting is handled once,
under the depth/size/ratio/time limits in `Limits`.

Extractor contract: `extract(blob, ctx)` is a generator of `Sample`s and nested `ItemOutcome`s; it
raises `ItemError` (never anything carrying content) when the blob cannot be read. It must respect
`ctx.limits` (bytes per file, rows per table) and call `ctx.check_deadline()` in long loops. It may also
yield an `ItemOutcome` for the blob's own item (same location), e.g. "scanned, but only the first N
members": `recurse` and the file connector then use it as that item's row. Any other exception a parser
raises becomes an `ItemError` naming only the exception type.

Helpers: `ctx.read_whole(blob)` for whole-file formats (bounded by `max_document_bytes`);
`isolate.run_isolated` to run a parser in a forked child killed at the item's deadline;
`text.read_sampled` for head-plus-windows sampling; `ctx.media_types` records what was sniffed per location.
"""

from __future__ import annotations

from connectors.extract.base import Blob, ExtractContext, Extractor, extract, extractor_for

__all__ = ["Blob", "ExtractContext", "Extractor", "extract", "extractor_for"]
