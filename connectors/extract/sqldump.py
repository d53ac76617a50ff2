"""SQL dumps as backups: each dumped table is a nested item `<dump location>/<schema>.<table>`.

Plain dumps (`pg_dump`, `mysqldump`, SQLite `.dump`; compressed ones arrive here already decompressed by
the archive layer) are streamed through `connectors.db.dump_parser.DumpReader` in bounded memory.
PostgreSQL custom-format dumps (`pg_dump -Fc`, magic `PGDMP`) are turned into a plain script by
`pg_restore -f -` (nothing is restored anywhere) when `pg_restore` is installed, else the dump gets a
`skipped` row saying why. Each table yields the same per-column samples as the live table, then its own
`ItemOutcome` (kind `dump_table`) with the row count as `rows_estimate` and the age of its data.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Iterator, TextIO

from connectors.db.dump_parser import DumpReader, DumpTable
from connectors.db.samples import column_events, table_facts
from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.sqlite import readable_path
from connectors.extract.streams import CountingStream
from scanner.errors import ItemError
from scanner.models import Item, ItemOutcome, Status

PG_CUSTOM_MAGIC = b"PGDMP"
PG_CUSTOM_MEDIA_TYPE = "application/vnd.postgresql.custom-dump"


class SqlDumpExtractor:
    media_types = ("application/sql", "application/x-sql", "text/x-sql", PG_CUSTOM_MEDIA_TYPE)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        with blob.open() as raw:
            magic = raw.read(len(PG_CUSTOM_MAGIC))
        if magic == PG_CUSTOM_MAGIC:
            yield from self._custom_format(blob, ctx)
            return
        with blob.open() as raw:
            counted = CountingStream(raw)
            size = blob.item.size_bytes
            text = io.TextIOWrapper(counted, encoding="utf-8", errors="replace", newline="")
            yield from dump_events(text, blob.item, ctx, complete=lambda: not size or counted.tally.total >= size)
        if size and counted.tally.total < size:
            # e.g. an archive layer that buffers only the head of a member: say so instead of a silent undercount
            raise ItemError(f"dump cut short: read {counted.tally.total} of {size} bytes; "
                            f"the last table is partial and later tables are missing")

    def _custom_format(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            raise ItemError("PostgreSQL custom-format dump: pg_restore is not installed", skip=True)
        with readable_path(blob, ctx.limits.max_file_bytes) as path, tempfile.TemporaryFile() as errors:
            proc = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "-f", "-", str(path)],
                                    stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL)
            assert proc.stdout is not None
            tables = 0
            try:
                text = io.TextIOWrapper(proc.stdout, encoding="utf-8", errors="replace", newline="")
                for event in dump_events(text, blob.item, ctx):
                    tables += isinstance(event, ItemOutcome)
                    yield event
            finally:
                proc.stdout.close()
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
            if proc.returncode != 0 and tables == 0:
                errors.seek(0)
                first = errors.read(400).decode("utf-8", "replace").strip().splitlines()
                detail = first[0][:200] if first else f"exit code {proc.returncode}"
                raise ItemError(f"pg_restore could not read the dump: {_without_path(detail, path)}")


def _without_path(message: str, path: Path) -> str:
    return message.replace(str(path), "<dump>")


def dump_events(text: TextIO, parent: Item, ctx: ExtractContext,
                complete: Callable[[], bool] = lambda: True) -> Iterator[ReadEvent]:
    """Samples and outcomes of every table in a plain SQL dump read from `text`."""
    reader = DumpReader(text, sample_rows=ctx.limits.rows_per_table, seed=ctx.limits.seed,
                        check=ctx.check_deadline, complete=complete)
    for count, table in enumerate(reader.tables()):
        item = _table_item(parent, table)
        if count >= ctx.limits.tables_per_source:
            yield ItemOutcome(item, Status.SKIPPED, f"more than {ctx.limits.tables_per_source} tables in the dump")
            continue
        if (skipped := ctx.too_deep(item)) is not None:
            yield skipped
            continue
        yield from column_events(item.location, table.columns, table.rows, table.row_count)
        facts = table_facts(rows_estimate=table.row_count, sampled_rows=len(table.rows), age=table.age,
                            sampling="reservoir", data_age_basis="exact" if table.age.columns else None,
                            partial=True if table.partial else None)  # partial: time ran out inside it
        yield ItemOutcome(item, Status.SCANNED, facts=facts)


def _table_item(parent: Item, table: DumpTable) -> Item:
    ddl = "|".join(f"{c.name}:{c.declared_type}" for c in table.columns)
    digest = hashlib.sha256(f"{table.qualified}|{ddl}".encode()).hexdigest()[:16]
    return Item(
        source=parent.source, location=f"{parent.location}/{table.qualified}", kind="dump_table",
        version=f"{digest}:{table.row_count}", parent=parent.location, depth=parent.depth + 1,
        meta={"schema": table.schema, "table": table.name},
    )
