"""Legacy Office binaries (.doc, .ppt, .wri): text through Debian's catdoc tools, OLE metadata through
olefile, encrypted files refused as encrypted, a missing tool reported with its package (metadata kept)."""

from __future__ import annotations

import pytest
from faker import Faker

from connector_helpers import scan
from legacy_office_files import encrypted_ppt, word_doc, write_wri
from scanner.limits import Limits



@pytest.fixture()
def fake() -> Faker:
    fake = Faker(["en_GB", "fr_FR", "de_DE"])
    fake.seed_instance(1913)
    return fake


@pytest.mark.parametrize("isolate", [True, False])
def test_word_doc_body_and_summary_information(tmp_path, fake, isolate):
    author, person = fake.name(), fake.name()
    (tmp_path / "letter.doc").write_bytes(word_doc(f"Dear {person},\nyour contract starts on Monday.", author=author))
    rec = scan(str(tmp_path), Limits(isolate_parsers=isolate))
    assert rec.status("letter.doc") == ("scanned", None)
    fields = {s.field: s.text for s in rec.samples}
    assert fields["meta:author"] == author and fields["meta:last_modified_by"] == author
    assert person in fields[None]


def test_metadata_survives_a_missing_tool(tmp_path, fake, monkeypatch):
    author = fake.name()
    (tmp_path / "empty.doc").write_bytes(word_doc("", author=author))
    monkeypatch.setattr("connectors.extract.legacy_office.shutil.which", lambda _name: None)
    rec = scan(str(tmp_path), Limits(isolate_parsers=False))
    status, reason = rec.status("empty.doc")
    assert status == "skipped" and "Debian package catdoc" in reason
    assert rec.texts("empty.doc") == f"{author}\n{author}"


@pytest.mark.parametrize("name,data", [("memo.doc", word_doc("hidden", encrypted=True)), ("deck.ppt", encrypted_ppt())])
def test_encrypted_legacy_files_are_marked_encrypted(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    rec = scan(str(tmp_path), Limits(isolate_parsers=False))
    assert rec.status(name) == ("skipped", "password-protected Office document; not decrypted")
    assert rec.samples == []


def test_windows_write_file_is_read(tmp_path, fake):
    person = fake.name()
    (tmp_path / "old.wri").write_bytes(write_wri(f"Minutes: {person} attended."))
    rec = scan(str(tmp_path), Limits(isolate_parsers=True))
    assert rec.status("old.wri") == ("scanned", None)
    text = rec.texts("old.wri")
    assert person in text and "Windows Write" not in text


def test_a_corrupt_doc_is_an_error_row_not_a_crash(tmp_path):
    data = bytearray(word_doc("x" * 50))
    data[600:] = b"\xff" * (len(data) - 600)
    (tmp_path / "broken.doc").write_bytes(bytes(data))
    status, reason = scan(str(tmp_path), Limits(isolate_parsers=True)).status("broken.doc")
    assert status in ("error", "skipped") and reason
