"""Headers are found, not assumed (issue 10 item 3, issue 13 item 4): a row of values is never a header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from connector_helpers import scan
from faker import Faker

from connectors.extract.samples import find_header


@pytest.fixture()
def fake() -> Faker:
    f = Faker(["en_GB", "fr_FR", "de_DE"])
    f.seed_instance(1013)
    return f


def person_rows(fake: Faker, n: int = 8) -> list[list[str]]:
    return [[fake.email(), fake.phone_number(), fake.iban(), str(fake.random_int(18, 90))] for _ in range(n)]


def test_headerless_csv_gets_column_names_and_no_value_becomes_a_field(tmp_path: Path, fake: Faker) -> None:
    rows = person_rows(fake)
    (tmp_path / "people.csv").write_text("\n".join(",".join(r) for r in rows) + "\n")
    columns = scan(str(tmp_path)).columns("people.csv")
    assert set(columns) == {"column_1", "column_2", "column_3", "column_4"}
    assert columns["column_1"][0] == rows[0][0]  # the first row is data, not names
    assert len(columns["column_1"]) == len(rows)


def test_csv_header_under_title_and_blank_rows_is_found(tmp_path: Path, fake: Faker) -> None:
    rows = person_rows(fake)
    text = "Members of the association 2024,,,\n,,,\nEmail,Phone,Account,Age\n" + "\n".join(",".join(r) for r in rows)
    (tmp_path / "members.csv").write_text(text + "\n")
    columns = scan(str(tmp_path)).columns("members.csv")
    assert set(columns) == {"Email", "Phone", "Account", "Age"}
    assert len(columns["Email"]) == len(rows)


def test_tsv_with_header_keeps_its_names(tmp_path: Path, fake: Faker) -> None:
    rows = [[fake.name(), fake.city(), fake.date_of_birth().isoformat()] for _ in range(6)]
    (tmp_path / "staff.tsv").write_text("name\tcity\tborn\n" + "\n".join("\t".join(r) for r in rows) + "\n")
    assert set(scan(str(tmp_path)).columns("staff.tsv")) == {"name", "city", "born"}


def test_json_array_of_rows_has_its_header_found(tmp_path: Path, fake: Faker) -> None:
    rows = person_rows(fake, 5)
    (tmp_path / "with.json").write_text(json.dumps([["email", "phone", "iban", "age"], *rows]))
    (tmp_path / "without.json").write_text(json.dumps(rows))
    record = scan(str(tmp_path))
    assert set(record.columns("with.json")) == {"email", "phone", "iban", "age"}
    assert set(record.columns("without.json")) == {"column_1", "column_2", "column_3", "column_4"}


@pytest.mark.parametrize(("rows", "index", "start"), [
    ([["id", "email"], ["1", "a@b.lu"]], 0, 1),                       # types differ below the header
    ([["1", "a@b.lu"], ["2", "c@d.lu"]], None, 0),                     # numbers and e-mails: no header
    ([["Report"], [], ["name", "age"], ["Ann", "4"]], 2, 3),           # title row, blank row
    ([["Personal", "", "Contact", ""], ["first", "last", "email", "phone"], ["A", "B", "a@b.lu", "1"]], 1, 2),
    ([[], ["x", "y"], ["x", "z"]], None, 1),                           # a label repeated below: not a header
])
def test_find_header_cases(rows, index, start) -> None:
    header = find_header(rows)
    assert (header.index, header.data_start) == (index, start)


@pytest.mark.slow
def test_headerless_csv_values_reach_no_output(tmp_path: Path, fake: Faker) -> None:
    """Issue 10 item 3: the first row (e-mail, phone, IBAN) of a header-less CSV is in no output."""
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from scanner.cli import cli

    root, out = tmp_path / "share", tmp_path / "out"
    root.mkdir()
    first = ["jane.doe@example.lu", "+352 621 123 456", "LU28 0019 4006 4475 0000"]
    rows = [first] + [[fake.email(), fake.phone_number(), fake.iban()] for _ in range(6)]
    (root / "contacts.csv").write_text("\n".join(",".join(r) for r in rows) + "\n")
    # a JSON object keyed by e-mail addresses: the key path must not carry the address either
    (root / "by_mail.json").write_text(json.dumps({first[0]: {"phone": first[1]}}))
    result = CliRunner().invoke(cli, ["scan", str(root), "--out", str(out), "--workers", "1", "--quiet"])
    assert result.exit_code in (0, 1), result.output
    fields = {r["field"] for r in pq.read_table(out / "findings.parquet").to_pylist()}
    assert {"column_1", "column_3"} <= fields  # the e-mails and IBANs, under position names
    raw = [v for v in first] + [v.replace(" ", "") for v in first[1:]]
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            if path.suffix == ".parquet":
                text += json.dumps(pq.read_table(path).to_pylist(), default=str)
            assert not [v for v in raw if v in text], path.name


@pytest.mark.parametrize(("rows", "index", "names"), [
    # two tables side by side repeat their labels: one header, repeated names numbered
    ([["Name", "Age", "", "Name", "Age"], ["Ann", "4", "", "Bob", "5"]], 0, ("Name", "Age", "column_3", "Name (2)",
                                                                           "Age (2)")),
    ([["Name", "Name", "Age"], ["Ann", "Bob", "4"]], None, ()),  # a repeat inside one table: not a header
    # a form: labels ending with ':' beside their values are not column names
    ([["", "Employee", ""], ["", "Last name:", "x"], ["", "First name:", "y"], ["", "Phone:", "z"]], None, ()),
])
def test_find_header_side_by_side_tables_and_forms(rows, index, names) -> None:
    header = find_header(rows)
    assert (header.index, header.names) == (index, names)
