"""`locate` and `open_scan(...).locate` on a hand-built scan folder with Faker values: what the
detector fingerprinted is found under every spelling the detector normalises alike, nothing else is,
the key must be the scan's, and a capped finding turns the answer into "at least"."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from faker import Faker

from detectors.fingerprint import fingerprint
from scanner.cli import cli
from scanner.locate import guess_kinds, key_id, phone_spellings
from scanner import open_scan

KEY = os.environ["POLICYSCAN_HMAC_KEY"].encode()
fake = Faker("fr_FR")
Faker.seed(16)


def _finding(location: str, field: str | None, entity: str, category: str, values: list[str]) -> dict:
    fps = sorted({fingerprint(v, entity, KEY) for v in values})
    return {"source": "share", "location": location, "field": field, "entity": entity, "category": category,
            "count": len(values), "score": 0.9, "masked_example": "***", "fingerprint": fps[0],
            "distinct_count": len(fps), "fingerprints": fps, "recognizer": "test", "explanation": None,
            "language": None, "declared": True, "special": False}


@pytest.fixture()
def person() -> dict[str, str]:
    return {"email": fake.email(), "name": fake.name(), "iban": fake.iban(), "phone": "+33 6 12 34 56 78"}


@pytest.fixture()
def scan_dir(tmp_path: Path, person: dict[str, str]) -> Path:
    from reports.schema import FINDINGS
    import pyarrow as pa

    others = [fake.email() for _ in range(20)]
    rows = [
        _finding("file:///s/customers.csv", "email", "EMAIL_ADDRESS", "user.contact.email", others + [person["email"]]),
        _finding("file:///s/b.tar.gz!crm.sql/main.people", "mail", "EMAIL_ADDRESS", "user.contact.email",
                 ["  " + person["email"].upper()]),  # the detector normalises case and outer spaces
        _finding("file:///s/other.csv", "email", "EMAIL_ADDRESS", "user.contact.email", others),
        _finding("file:///s/cv.docx", None, "PERSON", "user.name", ["  ".join(person["name"].split())]),
        _finding("file:///s/pay.csv", "iban", "IBAN_CODE", "user.financial.bank_account",
                 [" ".join(person["iban"][i:i + 4] for i in range(0, len(person["iban"]), 4))]),
        _finding("file:///s/dir.csv", "mobile", "PHONE_NUMBER", "user.contact.phone_number", ["0612345678"]),
        _finding("file:///s/log.txt", None, "PHONE_NUMBER", "user.contact.phone_number", ["+33.6.12.34.56.78"]),
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=FINDINGS), tmp_path / "findings.parquet")
    (tmp_path / "scan.json").write_text(json.dumps({
        "detection": {"fingerprint_key_id": key_id(KEY), "countries": ["LU", "FR", "BE", "DE"]},
        "limits": {"fingerprints_per_finding": 100_000}}))
    return tmp_path


def _places(result_rows) -> set[str]:
    return {r["location"] for r in result_rows}


def test_email_found_wherever_the_detector_normalised_it_alike(scan_dir: Path, person: dict) -> None:
    answer = open_scan(scan_dir).locate([person["email"]])
    assert set(answer.location) == {"file:///s/customers.csv", "file:///s/b.tar.gz!crm.sql/main.people"}
    assert set(answer.status) == {"found"}


def test_iban_given_compact_matches_the_spaced_one(scan_dir: Path, person: dict) -> None:
    answer = open_scan(scan_dir).locate([person["iban"].lower()], kind="iban")
    assert list(answer.location) == ["file:///s/pay.csv"]


def test_phone_matches_its_national_and_international_spellings(scan_dir: Path) -> None:
    answer = open_scan(scan_dir).locate(["+33 6 12 34 56 78"])
    assert set(answer.location) == {"file:///s/dir.csv", "file:///s/log.txt"}
    assert {"+33612345678", "0033612345678", "06 12 34 56 78"} <= set(phone_spellings("+33612345678"))


def test_name_matches_on_normalised_full_name(scan_dir: Path, person: dict) -> None:
    answer = open_scan(scan_dir).locate([person["name"].upper()], kind="name")
    assert list(answer.location) == ["file:///s/cv.docx"]
    assert open_scan(scan_dir).locate([person["name"].split()[-1]], kind="name").status.tolist() == ["not_found"]


def test_cli_exit_codes_and_no_other_value_printed(scan_dir: Path, person: dict) -> None:
    runner = CliRunner()
    found = runner.invoke(cli, ["locate", str(scan_dir), person["email"]])
    assert found.exit_code == 0, found.output
    assert "found in 2 place(s)" in found.output and "customers.csv" in found.output
    missing = runner.invoke(cli, ["locate", str(scan_dir), "nobody-" + person["email"]])
    assert missing.exit_code == 3 and "not found" in missing.output
    as_json = runner.invoke(cli, ["locate", str(scan_dir), person["email"], "--json"])
    assert json.loads(as_json.output)[0]["found"] == 2
    table = pq.read_table(scan_dir / "findings.parquet")
    others = set(table.column("fingerprints")[0].as_py()) - {fingerprint(person["email"], "EMAIL_ADDRESS", KEY)}
    assert not any(fp in found.output + as_json.output for fp in others)


def test_other_key_is_refused_with_exit_2(scan_dir: Path, person: dict) -> None:
    result = CliRunner(env={"POLICYSCAN_HMAC_KEY": "another-key-of-at-least-32-bytes-long"}).invoke(
        cli, ["locate", str(scan_dir), person["email"]])
    assert result.exit_code == 2
    assert "not the one this scan used" in result.output


def test_capped_finding_makes_the_answer_at_least(scan_dir: Path, person: dict) -> None:
    doc = json.loads((scan_dir / "scan.json").read_text())
    doc["limits"]["fingerprints_per_finding"] = 20  # other.csv holds 20 distinct values: it reached the cap
    (scan_dir / "scan.json").write_text(json.dumps(doc))
    result = CliRunner().invoke(cli, ["locate", str(scan_dir), person["email"]])
    assert result.exit_code == 0
    assert "found in at least 2 place(s)" in result.output
    assert "? EMAIL_ADDRESS" in result.output and "other.csv" in result.output


def test_from_file_writes_one_row_per_place(scan_dir: Path, person: dict, tmp_path_factory) -> None:
    people = tmp_path_factory.mktemp("people") / "people.csv"
    people.write_text(f"id,email,iban\nP1,{person['email']},{person['iban']}\nP2,nobody@example.org,\n")
    out = people.parent / "answer.parquet"
    result = CliRunner().invoke(cli, ["locate", str(scan_dir), "--from-file", str(people), "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out).to_pylist()
    assert {(r["label"], r["kind"], r["status"]) for r in rows} == {
        ("P1", "email", "found"), ("P1", "iban", "found"), ("P2", "email", "not_found")}
    assert len([r for r in rows if r["label"] == "P1"]) == 3


def test_auto_guesses_from_shape() -> None:
    assert guess_kinds(fake.email()) == ("email",)
    assert guess_kinds(fake.iban()) == ("iban",)
    assert guess_kinds(fake.name()) == ("name",)
    assert guess_kinds("+352 621 123 456", ("LU",)) == ("phone", "national_id")
    assert guess_kinds("1893120105732", ("LU",))[-1] == "national_id"
