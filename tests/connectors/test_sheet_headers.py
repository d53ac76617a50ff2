"""Headers found, not assumed, in every table format (issue 13 item 4): XLSX, XLS, ODS, CSV/TSV and JSON.

Fixtures are written with Faker values by the formats' own writers (openpyxl, xlwt, odfpy). Each case
says where the header is and what the extractor must make of the rows around it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from connector_helpers import scan
from faker import Faker

from connectors.extract.samples import CAPTION_FIELD
from scanner.models import TextSample

HEADER = ["Name", "Email", "Phone", "Joined"]


@pytest.fixture(scope="module")
def detector():
    from detectors.engine import Detector
    from scanner.limits import Limits
    from scanner.models import DetectionSettings

    return Detector(DetectionSettings(fingerprint_key=b"test-key-for-sheet-headers-0000"), Limits())


@pytest.fixture()
def fake() -> Faker:
    f = Faker(["en_GB", "fr_FR"])
    f.seed_instance(1313)
    return f


def people(fake: Faker, n: int = 8) -> list[list[str]]:
    return [[fake.name(), fake.email(), fake.phone_number(), fake.date_between("-20y").isoformat()]
            for _ in range(n)]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merge: dict[str, str] | None = None) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if merge and title in merge:
            sheet.merge_cells(merge[title])
    book.save(path)


def write_xls(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    import xlwt

    book = xlwt.Workbook()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.save(str(path))


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for title, rows in sheets.items():
        table = Table(name=title)
        for row in rows:
            tr = TableRow()
            for value in row:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def workbook(fake: Faker) -> tuple[dict[str, list[list[object]]], list[list[str]]]:
    """Three sheets: a title row and a blank row above the header, a header on row 1, no header."""
    rows = people(fake)
    return {
        "Members": [["Trade union members 2024"], [], HEADER, *rows],
        "Contacts": [["Full name", "E-mail"], *[r[:2] for r in rows]],
        "Raw": [r[1:3] for r in rows],
    }, rows


def assert_workbook_columns(columns: dict[str, tuple[str, ...]], rows: list[list[str]]) -> None:
    assert {c for c in columns if c.startswith("Members!")} == {f"Members!{h}" for h in HEADER}
    assert columns["Members!Email"] == tuple(r[1] for r in rows)  # no title or header cell among the values
    assert set(c for c in columns if c.startswith("Contacts!")) == {"Contacts!Full name", "Contacts!E-mail"}
    assert set(c for c in columns if c.startswith("Raw!")) == {"Raw!column_1", "Raw!column_2"}
    assert columns["Raw!column_1"][0] == rows[0][1]  # the first row of a header-less sheet is data


@pytest.mark.parametrize("suffix,writer", [("xlsx", write_xlsx), ("xls", write_xls), ("ods", write_ods)])
def test_sheets_find_their_header_below_titles_on_every_sheet(tmp_path: Path, fake: Faker, suffix, writer) -> None:
    sheets, rows = workbook(fake)
    writer(tmp_path / f"members.{suffix}", sheets)
    record = scan(str(tmp_path))
    assert_workbook_columns(record.columns(f"members.{suffix}"), rows)
    captions = [s for s in record.samples if isinstance(s, TextSample) and s.caption]
    assert [(s.field, s.text) for s in captions] == [(f"Members!{CAPTION_FIELD}", "Trade union members 2024")]


def test_xlsx_merged_title_cells_and_a_group_row_over_the_header(tmp_path: Path, fake: Faker) -> None:
    rows = people(fake, 6)
    sheet = [["Staff directory"], ["Identity", "", "Contact", ""], HEADER, *rows]
    write_xlsx(tmp_path / "staff.xlsx", {"Sheet1": sheet}, merge={"Sheet1": "A1:D1"})
    columns = scan(str(tmp_path)).columns("staff.xlsx")
    assert set(columns) == {f"Sheet1!{h}" for h in HEADER}
    assert columns["Sheet1!Name"] == tuple(r[0] for r in rows)


def test_csv_title_rows_become_the_caption_not_values(tmp_path: Path, fake: Faker) -> None:
    rows = people(fake, 5)
    text = "Membres du syndicat\n\nExported 2024-05-01\n" + ",".join(HEADER) + "\n"
    (tmp_path / "liste.csv").write_text(text + "\n".join(",".join(r) for r in rows) + "\n")
    record = scan(str(tmp_path))
    assert set(record.columns("liste.csv")) == set(HEADER)
    (caption,) = [s for s in record.samples if isinstance(s, TextSample) and s.caption]
    assert caption.text == "Membres du syndicat\nExported 2024-05-01"


def test_json_array_of_objects_keeps_its_keys_as_fields(tmp_path: Path, fake: Faker) -> None:
    rows = people(fake, 5)
    (tmp_path / "objects.json").write_text(json.dumps([dict(zip(HEADER, r)) for r in rows]))
    columns = scan(str(tmp_path)).columns("objects.json")
    assert set(columns) == set(HEADER)
    assert columns["Email"] == tuple(r[1] for r in rows)


def test_json_array_of_arrays_under_a_title_row(tmp_path: Path, fake: Faker) -> None:
    rows = people(fake, 5)
    (tmp_path / "rows.json").write_text(json.dumps([["Members"], HEADER, *rows]))
    columns = scan(str(tmp_path)).columns("rows.json")
    assert set(columns) == set(HEADER)
    assert columns["Name"] == tuple(r[0] for r in rows)


def _outputs_text(out: Path) -> str:
    import pyarrow.parquet as pq

    texts = []
    for path in out.rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
            if path.suffix == ".parquet":
                texts.append(json.dumps(pq.read_table(path).to_pylist(), default=str))
    return "\n".join(texts)


@pytest.mark.slow
def test_member_list_under_a_title_is_special_and_personal_headers_reach_no_output(tmp_path: Path, fake: Faker) -> None:
    """Issue 13: a trade-union member list under a title row gave no finding. Field names that are
    people's names (a rota with one column per person, JSON keyed by name) are in no output, in any format."""
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from scanner.cli import cli

    root, out = tmp_path / "share", tmp_path / "out"
    root.mkdir()
    sheets, rows = workbook(fake)
    on_call = [fake.name() for _ in range(2)]
    sheets["Rota"] = [["On-call phone numbers"], ["Week", *on_call],
                      *[[f"W{w}", fake.phone_number(), fake.phone_number()] for w in range(1, 7)]]
    write_xlsx(root / "union.xlsx", sheets, merge={"Members": "A1:D1"})
    write_ods(root / "union.ods", sheets)
    (root / "by_name.json").write_text(json.dumps({name: {"phone": fake.phone_number()} for name in on_call}))
    result = CliRunner().invoke(cli, ["scan", str(root), "--out", str(out), "--workers", "1", "--quiet"])
    assert result.exit_code in (0, 1), result.output
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    for suffix in ("union.xlsx", "union.ods"):
        mine = {(f["field"], f["entity"]): f for f in findings if f["location"].endswith(suffix)}
        union = mine[(f"Members!{CAPTION_FIELD}", "TRADE_UNION")]
        assert union["special"] and union["distinct_count"] == len(rows)
        assert {("Members!Name", "PERSON"), ("Members!Email", "EMAIL_ADDRESS")} <= set(mine)
        assert ("Contacts!Full name", "TRADE_UNION") not in mine  # no title over that sheet
        assert {f for f, e in mine if f.startswith("Rota!") and e == "PHONE_NUMBER"} == {"Rota!column_2",
                                                                                          "Rota!column_3"}
    assert {f["field"] for f in findings if f["location"].endswith("by_name.json")} == {"key_1.phone"}
    text = _outputs_text(out)
    assert not [name for name in on_call if name in text]
    assert not [r[1] for r in rows if r[1] in text]


def test_tables_side_by_side_are_both_judged(tmp_path: Path, fake: Faker, detector) -> None:
    rows = [[fake.first_name(), fake.random_int(18, 90)] for _ in range(6)]
    sheet = [["Name", "Age", None, "Name", "Age"], *[[*r, None, *r] for r in rows]]
    write_xlsx(tmp_path / "ages.xlsx", {"Ages": sheet})
    record = scan(str(tmp_path))
    found = {(f.field, f.entity) for f in detector.detect(record.samples, "src")}
    assert {("Ages!Age", "AGE"), ("Ages!Age (2)", "AGE")} <= found
