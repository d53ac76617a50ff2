"""`locate` on the demo estate against an independent oracle: the oracle opens every file, archive
member, SQLite table and SQL-dump table of the estate itself and looks for the person's raw value (in
the spellings it is written with); `locate` must list exactly those places, from fingerprints alone."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli

from conftest import demo_scan

TEXT = (".txt", ".csv", ".json", ".md", ".env", ".eml")


def _spellings(value: str) -> set[str]:
    compact = "".join(value.split())
    out = {value, compact}
    if compact.startswith("+"):
        out.add("00" + compact[1:])
    if compact[:2].isalpha() and compact[2:4].isdigit():  # an IBAN, also printed in groups of four
        out.add(" ".join(compact[i:i + 4] for i in range(0, len(compact), 4)))
    return out


def _cell_matches(value: object, wanted: set[str]) -> bool:
    text = str(value).strip()
    return text in wanted or "".join(text.split()) in wanted


def _tables(db: sqlite3.Connection, location: str, wanted: set[str]) -> set[str]:
    found = set()
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - names from the estate's own schema
            if any(_cell_matches(v, wanted) for v in row if v is not None):
                found.add(f"{location}/main.{table}")
                break
    return found


def _places(name: str, data: bytes, location: str, wanted: set[str]) -> set[str]:
    lower = name.lower()
    if lower.endswith((".tar.gz", ".tgz", ".tar")):
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            return set().union(*(_places(m.name, tar.extractfile(m).read(), f"{location}!{m.name}", wanted)
                                 for m in tar.getmembers() if m.isfile()))
    if lower.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set().union(*(_places(n, zf.read(n), f"{location}!{n}", wanted) for n in zf.namelist()))
    if lower.endswith(".sql"):
        db = sqlite3.connect(":memory:")
        db.executescript(data.decode("utf-8"))
        return _tables(db, location, wanted)
    if lower.endswith(".xlsx"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
        return {location} if any(_cell_matches(c, wanted) for c in cells) else set()
    if lower.endswith(".docx"):
        import docx

        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif lower.endswith(".pdf"):
        import pypdf

        text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    elif lower.endswith(TEXT):
        text = data.decode("utf-8", errors="replace")
    else:
        return set()
    return {location} if any(w in text for w in wanted) else set()


def oracle(estate: Path, value: str) -> set[str]:
    wanted = _spellings(value)
    found: set[str] = set()
    for path in sorted(p for p in estate.rglob("*") if p.is_file()):
        if path.suffix == ".sqlite":
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            found |= _tables(db, path.as_uri(), wanted)
            db.close()
        else:
            found |= _places(path.name, path.read_bytes(), path.as_uri(), wanted)
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_scan(tmp_path_factory.mktemp("locate"))


def _people(estate: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(f"file:{estate / 'crm.sqlite'}?mode=ro", uri=True)
    rows = db.execute("SELECT email, phone, iban FROM customers ORDER BY id LIMIT 3").fetchall()
    rows += db.execute("SELECT email, phone, iban FROM employees ORDER BY id LIMIT 2").fetchall()
    db.close()
    return rows


@pytest.mark.slow
def test_locate_lists_every_place_the_estate_holds_a_persons_values(demo: Path) -> None:
    checked_archive = checked_dump = False
    for person in _people(demo / "estate"):
        for value in person:
            expected = oracle(demo / "estate", value)
            assert expected, value
            result = CliRunner().invoke(cli, ["locate", str(demo), value, "--json"])
            assert result.exit_code == 0, result.output
            answer = json.loads(result.output)[0]
            got = {p["location"] for p in answer["places"]}
            assert got == expected, (value, got ^ expected)
            assert not answer["at_least"]
            checked_archive |= any("!" in loc for loc in got)
            checked_dump |= any("crm.sql/main." in loc for loc in got)
    assert checked_archive and checked_dump


@pytest.mark.slow
def test_locate_an_unknown_value_exits_3(demo: Path) -> None:
    result = CliRunner().invoke(cli, ["locate", str(demo), "nobody.at.all@example.invalid", "Zebulon Quaxworthy"])
    assert result.exit_code == 3 and result.output.count("not found") == 2
