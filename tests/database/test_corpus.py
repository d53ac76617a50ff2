"""Chinook and Northwind (public sample databases): live SQLite, as files, in archives, and as dumps."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest

from conftest import run_tool
from db_estate import CHINOOK_LABELS, NORTHWIND_LABELS
from scan_helpers import extract_file, scan_uri, verdicts
from scanner.limits import Limits
from scanner.models import Status

LIMITS = Limits(rows_per_table=60)

CHINOOK_TABLES = {"Album", "Artist", "Customer", "Employee", "Genre", "Invoice", "InvoiceLine", "MediaType",
                  "Playlist", "PlaylistTrack", "Track"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_chinook_live_lists_every_table_with_estimates_and_changes_nothing(corpus_copy):
    db = corpus_copy / "chinook.sqlite"
    before = _sha(db)
    items, samples, outcomes = scan_uri(f"sqlite:///{db}", LIMITS)
    assert {i.location.rsplit("/main.", 1)[1] for i in items} == CHINOOK_TABLES
    assert all(i.location.startswith(f"sqlite:///{str(db).lstrip('/')}/main.") for i in items)
    facts = {o.item.location.rsplit(".", 1)[1]: o.facts for o in outcomes}
    assert facts["InvoiceLine"].rows_estimate == 2240 and facts["InvoiceLine"].sampled_rows == 60
    assert facts["Track"].rows_estimate == 3503 and facts["Track"].sampling == "key_ranges"
    assert facts["Invoice"].data_oldest is not None and facts["Invoice"].data_age_basis == "exact"
    assert facts["Employee"].data_age_columns == ("HireDate",)  # BirthDate is about a person, not the record
    assert {s.location.rsplit(".", 1)[1] + "." + s.field for s in samples} == set(CHINOOK_LABELS)
    assert _sha(db) == before


@pytest.mark.parametrize("column, entity", [
    ("Customer.Email", "EMAIL_ADDRESS"), ("Employee.Email", "EMAIL_ADDRESS"), ("Customer.Phone", "PHONE_NUMBER"),
    ("Employee.BirthDate", "DATE_OF_BIRTH"), ("Customer.FirstName", "FIRST_NAME"),
    ("Customer.LastName", "LAST_NAME"),
])
def test_chinook_personal_columns_are_found(corpus_copy, detector, column, entity):
    _, samples, _ = scan_uri(f"sqlite:///{corpus_copy / 'chinook.sqlite'}", LIMITS,
                             options={"tables": column.split(".")[0]})
    assert entity in verdicts(samples, detector)[column]


@pytest.mark.parametrize("column", [
    "Invoice.Total", "Track.Milliseconds", "InvoiceLine.UnitPrice", "Album.AlbumId", "Genre.Name", "MediaType.Name",
])
def test_chinook_non_personal_columns_stay_quiet(corpus_copy, detector, column):
    _, samples, _ = scan_uri(f"sqlite:///{corpus_copy / 'chinook.sqlite'}", LIMITS,
                             options={"tables": column.split(".")[0]})
    assert verdicts(samples, detector)[column] == frozenset()


def test_sqlite_file_on_a_share_gives_the_same_samples_as_the_url(corpus_copy):
    db = corpus_copy / "northwind.sqlite"
    _, url_samples, _ = scan_uri(f"sqlite:///{db}", LIMITS)
    file_samples, outcomes = extract_file(db, LIMITS)
    strip = lambda samples: {(s.location.rsplit("/", 1)[1], s.field, getattr(s, "values", None)) for s in samples}  # noqa: E731
    assert strip(file_samples) == strip(url_samples)
    tables = {o.item.location.rsplit("/", 1)[1] for o in outcomes if o.item.kind == "table"}
    assert {"main.Employees", "main.Customers", "main.Order Details"} <= tables
    assert all(o.item.parent == db.resolve().as_uri() for o in outcomes)
    assert {k.split(".")[0] for k in NORTHWIND_LABELS} <= {t.split(".", 1)[1] for t in tables}


def test_sqlite_and_dump_inside_a_tar_gz_are_nested_items(corpus_copy, tmp_path):
    dump = run_tool(["sqlite3", str(corpus_copy / "chinook.sqlite"), ".dump"], tmp_path / "chinook.sql")
    archive = tmp_path / "backup.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(corpus_copy / "northwind.sqlite", arcname="db/northwind.sqlite")
        tar.add(dump, arcname="db/chinook.sql")
    samples, outcomes = extract_file(archive, LIMITS)
    by_location = {o.item.location: o for o in outcomes}
    outer = archive.resolve().as_uri()
    employees = by_location[f"{outer}!db/northwind.sqlite/main.Employees"]
    assert employees.status is Status.SCANNED and employees.item.kind == "table"
    customer = by_location[f"{outer}!db/chinook.sql/main.Customer"]
    assert customer.item.kind == "dump_table" and customer.facts.rows_estimate == 59
    assert any(s.location == f"{outer}!db/chinook.sql/main.Customer" and s.field == "Email" for s in samples)


def test_live_and_dump_verdicts_agree_on_chinook(corpus_copy, tmp_path, detector):
    db = corpus_copy / "chinook.sqlite"
    dump = run_tool(["sqlite3", str(db), ".dump"], tmp_path / "chinook.sql")
    _, live, _ = scan_uri(f"sqlite:///{db}", LIMITS, options={"tables": "Customer,Employee,Invoice"})
    dumped, _ = extract_file(dump, LIMITS)
    wanted = {"Customer", "Employee", "Invoice"}
    dumped = [s for s in dumped if s.location.rsplit(".", 1)[1] in wanted]
    assert verdicts(dumped, detector) == verdicts(live, detector)


@pytest.mark.parametrize("content, why", [
    (b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 100, "header of a database, body of junk"),
    (b"SQLite format 3\x00", "only the magic"),
])
def test_broken_sqlite_file_is_an_error_row(tmp_path, content, why):
    from connectors.extract.base import Blob, ExtractContext
    from connectors.extract.sqlite import SqliteExtractor
    from scanner.errors import ItemError
    from scanner.models import Item

    path = tmp_path / "broken.db"
    path.write_bytes(content)
    item = Item("t", path.as_uri(), "file", meta={"path": str(path)})
    with pytest.raises(ItemError) as err:
        list(SqliteExtractor().extract(Blob(item, lambda: open(path, "rb")), ExtractContext.start(LIMITS)))
    assert "SQLite" in err.value.reason, why
