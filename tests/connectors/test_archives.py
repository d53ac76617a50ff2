"""Archives: provenance of nested members, routing of members to registered extractors, limits."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

import pytest

from scanner.limits import Limits
from connector_helpers import scan

CSV = b"name,email\nJo Doe,jo@example.com\nAl Bo,al@example.org\n"


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_nested_zip_members_carry_provenance(tmp_path):
    inner = _zip({"data.csv": CSV})
    (tmp_path / "outer.zip").write_bytes(_zip({"inner.zip": inner, "notes/readme.txt": b"hello"}))
    rec = scan(str(tmp_path))
    assert rec.status("outer.zip!inner.zip!data.csv") == ("scanned", None)
    assert rec.columns("outer.zip!inner.zip!data.csv")["email"] == ("jo@example.com", "al@example.org")
    member = rec.outcomes[next(loc for loc in rec.outcomes if loc.endswith("!inner.zip!data.csv"))].item
    assert member.kind == "member" and member.parent.endswith("outer.zip!inner.zip") and member.depth == 2


@pytest.mark.parametrize("mode,suffix", [("w:gz", ".tar.gz"), ("w:bz2", ".tar.bz2"), ("w:xz", ".tar.xz"), ("w", ".tar")])
def test_tar_variants_list_members(tmp_path, mode, suffix):
    (tmp_path / f"backup{suffix}").write_bytes(_tar({"home/hr/people.csv": CSV}, mode))
    rec = scan(str(tmp_path))
    assert rec.columns(f"backup{suffix}!home/hr/people.csv")["name"] == ("Jo Doe", "Al Bo")


def test_tar_zst_and_single_gz(tmp_path):
    import zstandard

    (tmp_path / "backup.tar.zst").write_bytes(zstandard.ZstdCompressor().compress(_tar({"a.csv": CSV}, "w")))
    (tmp_path / "export.csv.gz").write_bytes(gzip.compress(CSV))
    rec = scan(str(tmp_path))
    assert rec.columns("backup.tar.zst!a.csv")["email"][0] == "jo@example.com"
    assert rec.columns("export.csv.gz!export.csv")["email"][0] == "jo@example.com"


def test_sql_member_reaches_the_sql_dump_extractor(tmp_path):
    from connectors.extract import extractor_for

    if extractor_for("application/sql") is None:
        pytest.skip("no SQL dump extractor registered")
    dump = b"CREATE TABLE people (name TEXT, email TEXT);\nINSERT INTO people VALUES ('Jo Doe','jo@example.com');\n"
    (tmp_path / "backup.tar.gz").write_bytes(_tar({"db.sql": dump}))
    rec = scan(str(tmp_path))
    assert rec.status("backup.tar.gz!db.sql")[0] == "scanned"
    assert any(s.location.startswith(rec_loc) for rec_loc in rec.rows if rec_loc.endswith("!db.sql") for s in rec.samples)


def test_member_limit_is_reported_on_the_archive(tmp_path):
    (tmp_path / "many.zip").write_bytes(_zip({f"f{i}.txt": b"x" for i in range(12)}))
    rec = scan(str(tmp_path), Limits(archive_members=5, isolate_parsers=False))
    status, reason = rec.status("many.zip")
    assert status == "scanned" and "7 more members not scanned" in reason
    assert sum(1 for loc in rec.rows if "many.zip!" in loc) == 5


def test_depth_limit_stops_nesting(tmp_path):
    data = _zip({"d.csv": CSV})
    for level in range(4):
        data = _zip({f"l{level}.zip": data})
    (tmp_path / "deep.zip").write_bytes(data)
    rec = scan(str(tmp_path), Limits(archive_depth=2, isolate_parsers=False))
    skipped = [r for loc, r in rec.rows.items() if r[0] == "skipped"]
    assert skipped and "nesting deeper than 2" in skipped[0][1]


def _mark_encrypted(data: bytes, names: set[str]) -> bytes:
    """The zip with the 'encrypted' flag set on `names` (local and central headers): what a password-protected
    zip looks like to a reader without the password (zipfile cannot write ZipCrypto)."""
    out = bytearray(data)
    for signature, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        start = out.find(signature)
        while start >= 0:
            length = int.from_bytes(out[start + name_len_at:start + name_len_at + 2], "little")
            if out[start + name_at:start + name_at + length].decode() in names:
                out[start + flag_at] |= 0x01
            start = out.find(signature, start + 4)
    return bytes(out)


def test_an_archive_whose_every_member_is_encrypted_is_not_verified(tmp_path):
    members = {"hr/people.csv": CSV, "notes.txt": b"salaries"}
    (tmp_path / "locked.zip").write_bytes(_mark_encrypted(_zip(members, zipfile.ZIP_STORED), set(members)))
    rec = scan(str(tmp_path))
    assert rec.status("locked.zip") == ("skipped", "encrypted archive: all 2 members encrypted; not decrypted")
    assert rec.outcomes[next(loc for loc in rec.outcomes if loc.endswith("locked.zip"))].facts.encrypted is True
    assert rec.status("locked.zip!notes.txt") == ("skipped", "encrypted member; not decrypted")


def test_an_archive_with_some_encrypted_members_keeps_what_was_read(tmp_path):
    members = {"hr/people.csv": CSV, "notes.txt": b"salaries"}
    (tmp_path / "half.zip").write_bytes(_mark_encrypted(_zip(members, zipfile.ZIP_STORED), {"notes.txt"}))
    rec = scan(str(tmp_path))
    assert rec.status("half.zip") == ("scanned", None)
    assert rec.status("half.zip!hr/people.csv") == ("scanned", None)
    assert rec.status("half.zip!notes.txt") == ("skipped", "encrypted member; not decrypted")


def test_rar_members_are_read_like_any_archive(tmp_path):
    from rar_writer import rar4

    rar = rar4({"hr/people.csv": CSV, "notes.txt": b"Meeting notes"})
    (tmp_path / "backup.rar").write_bytes(rar)
    (tmp_path / "outer.zip").write_bytes(_zip({"old/backup.rar": rar}))
    rec = scan(str(tmp_path))
    assert rec.status("backup.rar") == ("scanned", None)
    assert rec.columns("backup.rar!hr/people.csv")["email"][0] == "jo@example.com"
    assert rec.status("outer.zip!old/backup.rar!notes.txt") == ("scanned", None)


def test_encrypted_and_corrupt_rar_archives_are_not_verified(tmp_path):
    from rar_writer import rar4

    (tmp_path / "locked.rar").write_bytes(rar4({"a.csv": CSV, "b.txt": b"x"}, frozenset({"a.csv", "b.txt"})))
    (tmp_path / "broken.rar").write_bytes(rar4({"a.csv": CSV})[:40])
    rec = scan(str(tmp_path))
    assert rec.status("locked.rar") == ("skipped", "encrypted archive: all 2 members encrypted; not decrypted")
    status, reason = rec.status("broken.rar")
    assert status == "error" and "RAR" in reason


def test_a_rar_member_declaring_a_bomb_ratio_is_refused(tmp_path):
    from rar_writer import rar4

    (tmp_path / "bomb.rar").write_bytes(rar4({"big.txt": b"x" * 100}, declared={"big.txt": 1 << 30}))
    status, reason = scan(str(tmp_path)).status("bomb.rar!big.txt")
    assert status == "error" and reason
