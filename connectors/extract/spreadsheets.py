"""Spreadsheets and columnar files: XLSX, XLS, ODS, Parquet -> `ColumnSample`s.

Sheets: the header row is found among the first rows (`samples.find_header`: title, blank and group
rows skipped; no header gives `column_N`); each column becomes `field="Sheet!Header"` with up to
`values_per_column` values. Author / last-modified-by metadata become `meta:*` text samples. Parquet: the
first rows of each column with its declared Arrow type and the file's row count.
"""

from __future__ import annotations

import io
from typing import Any, Iterable, Iterator

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.documents import _IsolatedDocument, meta_samples, odf_meta
from connectors.extract.samples import table_samples
from scanner.errors import ItemError
from scanner.models import ColumnSample, Item, Sample


def sheet_columns(location: str, sheet: str, rows: Iterable[Iterable[Any]], ctx: ExtractContext) -> list[Sample]:
    """A sheet's samples: the header row is found (title, blank and group rows skipped), not assumed."""
    table = [list(r) for r in rows]
    return list(table_samples(location, table, max_rows=ctx.limits.values_per_column, prefix=f"{sheet}!"))


class XlsxExtractor(_IsolatedDocument):
    modules = ("openpyxl",)
    label = "XLSX workbook"
    media_types = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        import zipfile

        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ItemError("corrupt XLSX workbook") from exc
        events: list[ReadEvent] = list(meta_samples(item.location, [
            ("author", book.properties.creator), ("last_modified_by", book.properties.lastModifiedBy),
            ("title", book.properties.title)]))
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True, max_row=ctx.limits.values_per_column + 50)
            events += sheet_columns(item.location, sheet.title, rows, ctx)
        book.close()
        return events


class XlsExtractor(_IsolatedDocument):
    modules = ("xlrd",)
    label = "XLS workbook"
    """Legacy Excel (BIFF in an OLE container); reached through the OLE dispatcher."""

    media_types = ("application/vnd.ms-excel",)

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
        except xlrd.biffh.XLRDError as exc:
            message = str(exc).lower()
            if "encrypt" in message or "password" in message:
                raise ItemError("encrypted XLS workbook; not decrypted", skip=True, encrypted=True) from exc
            raise ItemError("corrupt XLS workbook") from exc
        events: list[ReadEvent] = list(meta_samples(item.location, [("last_modified_by", book.user_name)]))
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = (sheet.row_values(r) for r in range(min(sheet.nrows, ctx.limits.values_per_column + 50)))
            events += sheet_columns(item.location, sheet.name, rows, ctx)
        return events


class OdsExtractor(_IsolatedDocument):
    modules = ("odf.opendocument", "odf.table", "odf.teletype")
    label = "ODS spreadsheet"
    media_types = ("application/vnd.oasis.opendocument.spreadsheet",)

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        from odf import opendocument, table
        from odf.teletype import extractText

        try:
            doc = opendocument.load(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - odfpy raises KeyError/zip/xml errors on bad input
            raise ItemError("corrupt ODS spreadsheet") from exc
        events: list[ReadEvent] = list(meta_samples(item.location, odf_meta(doc)))
        limit = ctx.limits.values_per_column + 50
        for sheet in doc.spreadsheet.getElementsByType(table.Table):
            def rows(sheet=sheet) -> Iterator[list[str]]:
                for n, row in enumerate(sheet.getElementsByType(table.TableRow)):
                    if n >= limit:
                        return
                    cells: list[str] = []
                    for cell in row.getElementsByType(table.TableCell):
                        repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                        cells.extend([extractText(cell)] * min(repeat, 256))
                    yield cells

            events += sheet_columns(item.location, str(sheet.getAttribute("name")), rows(), ctx)
        return events


class ParquetExtractor:
    media_types = ("application/vnd.apache.parquet",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        stream = blob.open()
        try:
            if not stream.seekable():
                stream.close()
                stream = io.BytesIO(ctx.read_whole(blob))
            try:
                parquet = pq.ParquetFile(stream)
                rows = parquet.metadata.num_rows
                batch = next(parquet.iter_batches(batch_size=ctx.limits.values_per_column), None)
            except (pa.ArrowInvalid, pa.ArrowIOError, OSError) as exc:
                raise ItemError("corrupt or truncated Parquet file") from exc
            if batch is None:
                return
            for name, column in zip(batch.schema.names, batch.columns):
                values = tuple(str(v) for v in column.to_pylist() if v is not None and str(v).strip())
                if values:
                    yield ColumnSample(location=blob.item.location, field=name, values=values,
                                       declared_type=str(column.type), rows_estimate=rows)
        finally:
            stream.close()
