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


Sheet = tuple[str, Iterable[Iterable[Any]]]


class _Workbook(_IsolatedDocument):
    """A workbook read the same way whatever its format: metadata samples, then each sheet's first rows
    (`values_per_column` plus room for title rows) through `sheet_columns`. A format says only how to
    load a book (`load`), which metadata it has and how its sheets' rows come out (`sheets`); a book
    its reader refuses is "corrupt" (`unreadable` may say more, e.g. encrypted)."""

    def parse(self, data: bytes, item: Item, ctx: ExtractContext) -> list[ReadEvent]:
        try:
            book = self.load(data)
        except MemoryError:
            raise  # the isolation layer reports it as too large, not corrupt
        except Exception as exc:  # noqa: BLE001 - readers raise anything on a bad file
            raise self.unreadable(exc) from exc
        try:
            events: list[ReadEvent] = list(meta_samples(item.location, self.metadata(book)))
            for name, rows in self.sheets(book, ctx.limits.values_per_column + HEADER_ROOM):
                events += sheet_columns(item.location, name, rows, ctx)
            return events
        finally:
            self.close(book)

    def load(self, data: bytes) -> Any:
        raise NotImplementedError

    def unreadable(self, exc: Exception) -> ItemError:
        return ItemError(f"corrupt {self.label}")

    def metadata(self, book: Any) -> list[tuple[str, object]]:
        return []

    def sheets(self, book: Any, max_rows: int) -> Iterator[Sheet]:
        raise NotImplementedError

    def close(self, book: Any) -> None:
        """Release the book (openpyxl keeps its zip open in read-only mode)."""


HEADER_ROOM = 50  # rows read beyond `values_per_column`: title, blank and header rows above the data


class XlsxExtractor(_Workbook):
    modules = ("openpyxl",)
    label = "XLSX workbook"
    media_types = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)

    def load(self, data: bytes) -> Any:
        import openpyxl

        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)

    def metadata(self, book: Any) -> list[tuple[str, object]]:
        props = book.properties
        return [("author", props.creator), ("last_modified_by", props.lastModifiedBy), ("title", props.title)]

    def sheets(self, book: Any, max_rows: int) -> Iterator[Sheet]:
        for sheet in book.worksheets:
            yield sheet.title, sheet.iter_rows(values_only=True, max_row=max_rows)

    def close(self, book: Any) -> None:
        book.close()


class XlsExtractor(_Workbook):
    """Legacy Excel (BIFF in an OLE container); reached through the OLE dispatcher."""

    modules = ("xlrd",)
    label = "XLS workbook"
    media_types = ("application/vnd.ms-excel",)

    def load(self, data: bytes) -> Any:
        import xlrd

        return xlrd.open_workbook(file_contents=data, on_demand=True)

    def unreadable(self, exc: Exception) -> ItemError:
        message = str(exc).lower()
        if "encrypt" in message or "password" in message:
            return ItemError("encrypted XLS workbook; not decrypted", skip=True, encrypted=True)
        return ItemError(f"corrupt {self.label}")

    def metadata(self, book: Any) -> list[tuple[str, object]]:
        return [("last_modified_by", book.user_name)]

    def sheets(self, book: Any, max_rows: int) -> Iterator[Sheet]:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, (sheet.row_values(r) for r in range(min(sheet.nrows, max_rows)))


class OdsExtractor(_Workbook):
    modules = ("odf.opendocument", "odf.table", "odf.teletype")
    label = "ODS spreadsheet"
    media_types = ("application/vnd.oasis.opendocument.spreadsheet",)

    def load(self, data: bytes) -> Any:
        from odf import opendocument

        return opendocument.load(io.BytesIO(data))

    def metadata(self, book: Any) -> list[tuple[str, object]]:
        return odf_meta(book)

    def sheets(self, book: Any, max_rows: int) -> Iterator[Sheet]:
        from odf import table

        for sheet in book.spreadsheet.getElementsByType(table.Table):
            yield str(sheet.getAttribute("name")), _ods_rows(sheet, max_rows)


def _ods_rows(sheet: Any, max_rows: int) -> Iterator[list[str]]:
    """Rows of cell texts; a repeated cell (`number-columns-repeated`) counts up to 256 times."""
    from odf import table
    from odf.teletype import extractText

    for n, row in enumerate(sheet.getElementsByType(table.TableRow)):
        if n >= max_rows:
            return
        cells: list[str] = []
        for cell in row.getElementsByType(table.TableCell):
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            cells.extend([extractText(cell)] * min(repeat, 256))
        yield cells


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
