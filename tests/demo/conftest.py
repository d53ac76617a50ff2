"""One demo estate per test session, generated with the default seed; tests must not modify it."""

from __future__ import annotations

import csv
import io
import sqlite3
import tarfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from scanner.demo.estate import generate_demo_estate


@pytest.fixture(scope="session")
def demo_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "estate"
    config = generate_demo_estate(root)
    assert config == root / "policyscan.yaml"
    return root


def _text_of(path: Path) -> str:
    """Plain text of one estate file, per format, cell by cell (one line per cell or paragraph)."""
    name = path.name
    if name.endswith(".tar.gz"):
        with tarfile.open(path) as archive:
            return "\n".join(archive.extractfile(m).read().decode() for m in archive.getmembers() if m.isfile())
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            parts = []
            for member in archive.namelist():
                data = archive.read(member)
                if member.endswith(".docx"):
                    parts += [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
                else:
                    parts.append(data.decode())
            return "\n".join(parts)
    if path.suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(path).paragraphs)
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    if path.suffix == ".sqlite":
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return "\n".join(str(v) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"') for v in row)
        finally:
            conn.close()
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        dialect = csv.Sniffer().sniff(text[:4000], delimiters=",;")
        return "\n".join(cell for row in csv.reader(io.StringIO(text), dialect) for cell in row)
    return text


@pytest.fixture(scope="session")
def estate_texts(demo_estate: Path) -> dict[str, str]:
    """Relative path -> extracted text, for every file of the estate."""
    return {p.relative_to(demo_estate).as_posix(): _text_of(p) for p in sorted(demo_estate.rglob("*")) if p.is_file()}
