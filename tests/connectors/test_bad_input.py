"""The bad-input corpus: every odd file gives exactly one inventory row with a clear reason, no crash, no hang.

Files are generated here (truncated, encrypted, bombs, loops, special files); reasons must never quote the
content, so each planted file also carries a secret marker that must not appear in any reason.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import time
import zipfile

import pytest

from connector_helpers import scan
from scanner.limits import Limits

SECRET = "SECRET-MARKER-4711"
CSV = f"name,email\nJo Doe,jo@example.com\n{SECRET},x@example.com\n".encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _encrypted_zip() -> bytes:
    """A zip whose member carries the 'encrypted' flag (what any ZipCrypto/AES writer sets)."""
    data = bytearray(_zip({"payroll.csv": CSV}))
    data[6] |= 0x01  # local header general-purpose flags
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01
    return bytes(data)


def _encrypted_7z() -> bytes:
    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password="pw", header_encryption=True) as sz:
        sz.writestr(CSV, "payroll.csv")
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text=SECRET)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password="pw", owner_password="pw2")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# name -> (bytes, expected status, substring of the reason)
CASES: dict[str, tuple[bytes, str, str | None]] = {
    "corrupt.zip": (b"PK\x03\x04" + os.urandom(300), "error", "corrupt or truncated zip"),
    "truncated.zip": (_zip({"a.csv": CSV * 50})[:-60], "error", "corrupt or truncated zip"),
    "encrypted.7z": (_encrypted_7z(), "skipped", "encrypted 7z"),
    "encrypted.pdf": (_encrypted_pdf(), "skipped", "encrypted PDF"),
    "not-really.odt": (b"plain words, " + SECRET.encode(), "scanned", None),
    "empty.csv": (b"", "skipped", "empty file"),
    "junk.bin": (bytes(range(256)) * 64, "skipped", "unsupported media type"),
    "mixed.txt": ("Zoë Müller\n".encode("utf-8") + "Françoise Dupré\n".encode("latin-1"), "scanned", None),
    "broken.docx": (_zip({"[Content_Types].xml": b"<bad", "word/document.xml": b"<"}), "error", "corrupt DOCX"),
    "broken.pdf": (b"%PDF-1.4\n" + SECRET.encode() + b"\n%%EOF", "error", "PDF"),
    "broken.xlsx": (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<"}), "error", "XLSX"),
    "truncated.tar.gz": (_tar_gz({"big.csv": CSV * 3000})[:400], "error", "corrupt or truncated"),
    "bad.gz": (b"\x1f\x8b\x08\x00" + os.urandom(64), "error", "corrupt or truncated compressed stream"),
}


@pytest.fixture(scope="module")
def bad_scan(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    for name, (data, _status, _reason) in CASES.items():
        (root / name).write_bytes(data)
    (root / "encrypted.zip").write_bytes(_encrypted_zip())
    (root / "bomb.zip").write_bytes(_zip({"zeros.txt": b"\0" * (40 * 1024 * 1024)}))
    (root / "loop-a").symlink_to(root / "loop-b")
    (root / "loop-b").symlink_to(root / "loop-a")
    (root / "dangling").symlink_to(root / "nowhere")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root)
    os.mkfifo(root / "pipe")
    with open(root / "sparse-10g.log", "wb") as fh:
        fh.truncate(10 * 1024**3)
    start = time.monotonic()
    record = scan(str(root), Limits(isolate_parsers=True, max_file_bytes=5 * 1024**3))
    return root, record, time.monotonic() - start


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_one_clear_row(bad_scan, name):
    _root, rec, _elapsed = bad_scan
    _data, status, reason = CASES[name]
    got_status, got_reason = rec.status(name)
    assert got_status == status, (name, got_status, got_reason)
    if reason is not None:
        assert reason in (got_reason or ""), got_reason


@pytest.mark.parametrize("name,status,reason", [
    ("loop-a", "error", "symbolic link loop"),
    ("dangling", "error", "broken symbolic link"),
    ("sub/up", "skipped", "symbolic link to a folder, not followed"),
    ("pipe", "skipped", "not a regular file"),
    ("sparse-10g.log", "skipped", "larger than max_file_bytes"),
])
def test_special_paths(bad_scan, name, status, reason):
    _root, rec, _elapsed = bad_scan
    assert rec.status("/" + name) == (status, reason) or (rec.status("/" + name)[0] == status
                                                           and reason in rec.status("/" + name)[1])


def test_mixed_encodings_keep_both_lines_readable(bad_scan):
    _root, rec, _elapsed = bad_scan
    text = rec.texts("mixed.txt")
    assert "Zoë Müller" in text and "Françoise Dupré" in text


def test_encrypted_zip_member_is_recorded_not_guessed(bad_scan):
    _root, rec, _elapsed = bad_scan
    assert rec.status("encrypted.zip!payroll.csv") == ("skipped", "encrypted member; not decrypted")
    assert rec.outcomes[next(k for k in rec.outcomes if k.endswith("encrypted.zip!payroll.csv"))].facts.encrypted
    assert not rec.columns("encrypted.zip!payroll.csv")


def test_zip_bomb_member_is_refused_by_ratio(bad_scan):
    _root, rec, _elapsed = bad_scan
    status, reason = rec.status("bomb.zip!zeros.txt")
    assert status == "error" and "possible zip bomb" in reason


def test_reasons_never_quote_content_and_scan_is_fast(bad_scan):
    _root, rec, elapsed = bad_scan
    assert all(SECRET not in (reason or "") for _status, reason in rec.rows.values())
    assert elapsed < 60


def test_sparse_10gb_file_is_sampled_not_read_whole(tmp_path):
    with open(tmp_path / "huge.log", "wb") as fh:
        fh.write(b"user=jo@example.com logged in\n" * 400)
        fh.truncate(10 * 1024**3)
    start = time.monotonic()
    rec = scan(str(tmp_path), Limits(isolate_parsers=False))
    outcome = next(iter(rec.outcomes.values()))
    assert time.monotonic() - start < 20
    assert outcome.facts.sampled_bytes is not None and outcome.facts.sampled_bytes <= 3 * 1024 * 1024
    assert "jo@example.com" in rec.texts("huge.log")


def test_gzip_bomb_reads_only_the_budget(tmp_path):
    (tmp_path / "bomb.log.gz").write_bytes(gzip.compress(b"a" * (300 * 1024 * 1024), compresslevel=1))
    rec = scan(str(tmp_path), Limits(isolate_parsers=False, bytes_per_file=64 * 1024))
    assert rec.status("bomb.log.gz")[0] == "scanned"
    assert sum(len(s.text) for s in rec.samples) <= 64 * 1024


def test_vanished_and_changed_files(tmp_path):
    from connectors.base import open_connector
    from scanner.config import make_source
    from scanner.errors import ItemError
    from scanner.models import ItemOutcome

    (tmp_path / "gone.txt").write_text("bye")
    (tmp_path / "moving.txt").write_text("before")
    connector = open_connector(make_source(str(tmp_path)), Limits())
    items = {i.location.rsplit("/", 1)[-1]: i for i in connector.items()}
    (tmp_path / "gone.txt").unlink()
    with pytest.raises(ItemError, match="vanished"):
        list(connector.read(items["gone.txt"]))
    time.sleep(0.01)
    (tmp_path / "moving.txt").write_text("after, and longer")
    outcome = [e for e in connector.read(items["moving.txt"]) if isinstance(e, ItemOutcome)][-1]
    assert outcome.reason and "changed while it was read" in outcome.reason


def test_hung_parser_is_killed_at_the_deadline():
    from connectors.extract.base import ExtractContext
    from connectors.extract.isolate import run_isolated
    from scanner.errors import ItemError

    ctx = ExtractContext.start(Limits(item_seconds=1.0))

    def hang() -> list:
        while True:
            time.sleep(0.05)

    start = time.monotonic()
    with pytest.raises(ItemError, match="parser killed"):
        list(run_isolated(hang, ctx))
    assert time.monotonic() - start < 5


def test_crashing_parser_is_an_item_error():
    from connectors.extract.base import ExtractContext
    from connectors.extract.isolate import run_isolated
    from scanner.errors import ItemError

    def crash() -> list:
        os._exit(3)

    with pytest.raises(ItemError, match="died without a result"):
        list(run_isolated(crash, ExtractContext.start(Limits())))


def test_permission_denied_as_an_unprivileged_user(tmp_path):
    """Tests run as root, which reads everything: the scan runs in a forked child that drops to `nobody`
    (after a warm-up scan as root, so every module it needs is already imported)."""
    import json

    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges")
    tmp_path.chmod(0o755)
    (tmp_path / "open.txt").write_text("hello")
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "secret.txt").chmod(0o600)
    (tmp_path / "locked").mkdir(mode=0o700)
    (tmp_path / "locked" / "x.txt").write_text("x")
    parent = tmp_path.parent
    while parent != parent.parent:  # the child must be able to reach the tree
        parent.chmod(parent.stat().st_mode | 0o005)
        parent = parent.parent
    scan(str(tmp_path), Limits(isolate_parsers=False))  # warm-up as root
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            rec = scan(str(tmp_path), Limits(isolate_parsers=False))
            rows = {loc.rsplit("/", 1)[-1]: list(row) for loc, row in rec.rows.items()}
            os.write(write_fd, json.dumps(rows).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as fh:
        payload = fh.read()
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    rows = json.loads(payload)
    assert rows["secret.txt"] == ["error", "permission denied"]
    assert rows["locked"] == ["error", "cannot list folder: permission denied"]
    assert rows["open.txt"][0] == "scanned"
