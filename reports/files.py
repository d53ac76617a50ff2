"""Atomic file writes: a reader (or a crashed scan) never sees a half-written output file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scanner.models import valid_utf8


def _temp_beside(path: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    tmp = _temp_beside(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """UTF-8; a lone surrogate that reached the text (a hostile name) is percent-encoded, never fatal."""
    return write_bytes_atomic(path, valid_utf8(text).encode("utf-8"))


def write_parquet_atomic(path: Path, table: pa.Table) -> Path:
    tmp = _temp_beside(path)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
