"""Every supported format surfaces its planted value in a sample; metadata and provenance are kept."""

from __future__ import annotations

import pytest

from connector_helpers import scan
from format_corpus import build_formats, people
from scanner.limits import Limits
from scanner.models import ColumnSample, TextSample


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    markers = build_formats(root)
    return root, markers, scan(str(root), Limits(isolate_parsers=True))


def _values(rec, name: str) -> str:
    out = []
    for s in rec.samples:
        if s.location.split("!", 1)[0].rsplit("/", 1)[-1] == name:
            out.append(s.text if isinstance(s, TextSample) else "\n".join(s.values))
    return "\n".join(out)


NAMES = ["notes.txt", "latin1.log", "utf16.txt", "customers.csv", "customers.tsv", "people.json", "events.jsonl",
         "people.xml", "page.html", "cv.docx", "deck.pptx", "customers.xlsx", "staff.xls", "letter.odt",
         "people.ods", "memo.rtf", "invoice.pdf", "mail.eml", "box.mbox", "people.parquet", "export.csv.gz",
         "archive.zip", "backup.tar.gz", "bundle.7z"]


@pytest.mark.parametrize("name", NAMES)
def test_format_yields_its_marker(corpus, name):
    _root, markers, rec = corpus
    assert rec.status(name)[0] == "scanned", rec.status(name)
    assert markers[name] in _values(rec, name)


@pytest.mark.parametrize("name,field", [("cv.docx", "meta:author"), ("deck.pptx", "meta:author"),
                                         ("customers.xlsx", "meta:author"), ("letter.odt", "meta:author"),
                                         ("memo.rtf", "meta:author"), ("invoice.pdf", "meta:author"),
                                         ("page.html", "meta:author")])
def test_document_metadata_becomes_a_meta_field(corpus, name, field):
    _root, _markers, rec = corpus
    metas = [s for s in rec.samples if isinstance(s, TextSample) and s.location.endswith("/" + name) and s.field == field]
    assert metas and metas[0].text.strip(), [s.field for s in rec.samples if s.location.endswith(name)]


def test_tabular_fields_name_sheet_and_column(corpus):
    _root, _markers, rec = corpus
    fields = {s.field for s in rec.samples if isinstance(s, ColumnSample) and s.location.endswith("customers.xlsx")}
    assert {"Customers!Name", "Customers!Email"} <= fields
    parquet = [s for s in rec.samples if isinstance(s, ColumnSample) and s.location.endswith("people.parquet")]
    assert {s.declared_type for s in parquet} == {"string"} and parquet[0].rows_estimate == 5


def test_email_headers_and_attachment_member(corpus):
    _root, _markers, rec = corpus
    headers = {s.field for s in rec.samples if isinstance(s, TextSample) and s.location.endswith("mail.eml")}
    assert {"header:from", "header:to", "header:subject", "body"} <= headers
    assert rec.status("mail.eml!team.csv")[0] == "scanned"
    assert people()[0]["email"] in "\n".join(rec.columns("mail.eml!team.csv").get("email", ()))


def test_html_script_is_not_text(corpus):
    _root, markers, rec = corpus
    assert people()[4]["email"] not in _values(rec, "page.html")


def test_nested_document_in_backup_keeps_provenance(corpus):
    _root, _markers, rec = corpus
    assert rec.status("backup.tar.gz!home/cv.docx") == ("scanned", None)


def test_outlook_msg_headers_body_and_attachment(tmp_path):
    from cfb_writer import msg_file

    rows = people()
    attachment = ("name,email\n" + "".join(f"{r['name']},{r['email']}\n" for r in rows)).encode()
    (tmp_path / "note.msg").write_bytes(msg_file(rows[0]["name"], rows[0]["email"], rows[1]["email"], "Sick note",
                                                 f"{rows[2]['name']} is ill.", "team.csv", attachment))
    rec = scan(str(tmp_path), Limits(isolate_parsers=True))
    assert rec.status("note.msg") == ("scanned", None)
    fields = {s.field: s.text for s in rec.samples if isinstance(s, TextSample) and s.location.endswith("note.msg")}
    assert rows[0]["email"] in fields["header:from"] and rows[1]["email"] in fields["header:to"]
    assert rows[2]["name"] in fields["body"]
    assert rec.status("note.msg!team.csv") == ("scanned", None)
    assert rows[3]["email"] in rec.columns("note.msg!team.csv")["email"]


def test_password_protected_office_file_is_recorded_as_encrypted(tmp_path):
    from cfb_writer import encrypted_ooxml

    (tmp_path / "salaries.xlsx").write_bytes(encrypted_ooxml())
    rec = scan(str(tmp_path), Limits(isolate_parsers=True))
    assert rec.status("salaries.xlsx") == ("skipped", "password-protected Office document; not decrypted")


def test_large_mailbox_says_it_was_sampled(tmp_path):
    message = b"From a@b Mon Jan 1 00:00:00 2024\nFrom: x@example.com\nTo: y@example.com\nSubject: s\n\n" + b"z" * 900 + b"\n"
    (tmp_path / "big.mbox").write_bytes(message * 100)
    rec = scan(str(tmp_path), Limits(isolate_parsers=False, bytes_per_file=10_000))
    status, reason = rec.status("big.mbox")
    assert status == "scanned" and reason.startswith("mailbox sampled: first 10 messages")
    assert sum(1 for loc in rec.rows if "big.mbox!" in loc) == 10


def test_rtf_metadata_escapes_are_decoded_in_the_document_code_page(tmp_path):
    from faker import Faker

    fake = Faker("pl_PL")
    fake.seed_instance(5)
    name = "Łucja " + fake.last_name()
    escaped = "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in name.encode("cp1250"))
    (tmp_path / "clause.rtf").write_bytes(("{\\rtf1\\ansi\\ansicpg1250{\\info{\\operator " + escaped + "}}"
                                           "Klauzula\\par}").encode("ascii"))
    rec = scan(str(tmp_path), Limits(isolate_parsers=False))
    fields = {s.field: s.text for s in rec.samples}
    assert fields["meta:last_modified_by"] == name
