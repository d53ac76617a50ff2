"""Atomic file writes: a reader (or a crashed scan) never sees a half-written output file.

Permissions: outputs get what the user's umask gives a new file (0666 & ~umask), as any tool's output
does; outputs of a scan run with `--reveal-values` hold raw personal values and are 0600 whatever the
umask (`private=True`). The temporary file is 0600 until it has its final mode.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

import pyarrow as pa
import pyarrow.parquet as pq

from scanner.models import valid_utf8


def _temp_beside(path: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def revealed(doc: Mapping[str, Any]) -> bool:
    """Does this scan's output hold raw values (scan.json's `detection.reveal_values`)? Then it is private."""
    return bool((doc.get("detection") or {}).get("reveal_values"))


def output_mode(private: bool = False) -> int:
    return 0o600 if private else 0o666 & ~current_umask()


def current_umask() -> int:
    """The process umask, read without changing it (os.umask can only be read by setting it, which would
    race with other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


@contextmanager
def _replacing(path: Path, private: bool) -> Iterator[Path]:
    """A temporary path beside `path` to write to; once written it gets its final mode and replaces `path`
    in one rename, and on any failure it is removed."""
    tmp = _temp_beside(path)
    try:
        yield tmp
        os.chmod(tmp, output_mode(private))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> Path:
    with _replacing(path, private) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> Path:
    """UTF-8; a lone surrogate that reached the text (a hostile name) is percent-encoded, never fatal."""
    return write_bytes_atomic(path, valid_utf8(text).encode("utf-8"), private=private)


def write_parquet_atomic(path: Path, table: pa.Table, *, private: bool = False, batch_rows: int = 10_000) -> Path:
    """Written through a ParquetWriter, `batch_rows` rows at a time (one row group each): a table of record
    batches (`reports.schema.table_in_batches`) is never copied into one contiguous block to be written."""
    with _replacing(path, private) as tmp:
        with pq.ParquetWriter(tmp, table.schema, compression="zstd") as writer:
            for batch in table.to_batches(max_chunksize=batch_rows):
                writer.write_batch(batch)
    return path
