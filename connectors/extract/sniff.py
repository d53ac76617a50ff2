"""Media type from content first (magic bytes), then the file name: a mislabelled file is read as what it is."""

from __future__ import annotations

import mimetypes
import posixpath

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "application/pdf"),
    (b"SQLite format 3\x00", 0, "application/vnd.sqlite3"),
    (b"PGDMP", 0, "application/vnd.postgresql.custom-dump"),  # pg_dump -Fc
    (b"7z\xbc\xaf\x27\x1c", 0, "application/x-7z-compressed"),
    (b"\x1f\x8b", 0, "application/gzip"),
    (b"BZh", 0, "application/x-bzip2"),
    (b"\xfd7zXZ\x00", 0, "application/x-xz"),
    (b"\x28\xb5\x2f\xfd", 0, "application/zstd"),
    (b"PAR1", 0, "application/vnd.apache.parquet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/x-ole-storage"),
    (b"{\\rtf", 0, "application/rtf"),
    (b"\x31\xbe\x00\x00\x00\xab", 0, "application/x-mswrite"),  # Windows Write 3.x
    (b"\x32\xbe\x00\x00\x00\xab", 0, "application/x-mswrite"),  # Write 3.x with OLE objects
    (b"\x89PNG", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF8", 0, "image/gif"),
    (b"ustar", 257, "application/x-tar"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"Rar!\x1a\x07", 0, "application/vnd.rar"),
    (b"\x7fELF", 0, "application/x-executable"),
)
_ZIP_KINDS = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_TEXT_BY_EXT = {
    ".csv": "text/csv", ".tsv": "text/tab-separated-values", ".json": "application/json",
    ".jsonl": "application/x-ndjson", ".ndjson": "application/x-ndjson", ".xml": "application/xml",
    ".html": "text/html", ".htm": "text/html", ".sql": "application/sql", ".eml": "message/rfc822",
    ".mbox": "application/mbox", ".mbx": "application/mbox", ".md": "text/markdown", ".log": "text/plain", ".txt": "text/plain",
    ".yaml": "text/plain", ".yml": "text/plain", ".ini": "text/plain", ".conf": "text/plain",
    ".env": "text/plain", ".properties": "text/plain",
}


def _name(location: str) -> str:
    return posixpath.basename(location.rsplit("!", 1)[-1]).lower()


def _ext(location: str) -> str:
    return posixpath.splitext(_name(location))[1]


def looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head[:4096]:
        # UTF-16 text has NULs; a BOM says so
        return not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    control = sum(1 for b in head[:4096] if b < 9 or 13 < b < 32)
    return control / min(len(head), 4096) > 0.1


def sniff_media_type(head: bytes, location: str) -> str:
    """Best media type for `head` (the first bytes) of the item at `location`."""
    ext = _ext(location)
    for magic, offset, media_type in _MAGIC:
        if head[offset: offset + len(magic)] == magic:
            return media_type
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if ext in _ZIP_KINDS and _zip_kind_matches(head, ext):
            return _ZIP_KINDS[ext]
        return _zip_kind_from_content(head) or "application/zip"
    if ext in _ZIP_KINDS:
        # claims to be an Office/ODF zip but is not one: read whatever it really is
        return "application/octet-stream" if looks_binary(head) else "text/plain"
    if looks_binary(head):
        if head.startswith(b"MZ"):
            return "application/x-executable"
        if head.startswith(b"BM"):
            return "image/bmp"
        guessed = mimetypes.guess_type(_name(location))[0]
        return guessed if guessed and not guessed.startswith("text/") else "application/octet-stream"
    if ext in _TEXT_BY_EXT:
        return _TEXT_BY_EXT[ext]
    stripped = head.lstrip()
    if stripped.startswith(b"\xef\xbb\xbf"):
        stripped = stripped[3:].lstrip()
    if stripped.startswith(b"From ") and b"\n" in stripped:
        return "application/mbox"
    if stripped[:1] in (b"{", b"["):
        return "application/json"
    if stripped[:5].lower() in (b"<!doc", b"<html"):
        return "text/html"
    if stripped.startswith(b"<?xml"):
        return "text/html" if b"<html" in stripped[:1000].lower() else "application/xml"
    if _looks_like_email(stripped):
        return "message/rfc822"
    return "text/plain"


_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
_OOXML_PARTS = ((b"word/", ".docx"), (b"xl/", ".xlsx"), (b"ppt/", ".pptx"))


def _zip_kind_from_content(head: bytes) -> str | None:
    """ODF starts with an uncompressed `mimetype` member; OOXML names its parts in the first local headers."""
    if head[30:38] == b"mimetype":
        for mime, ext in _ODF_MIMETYPES.items():
            if head[38: 38 + len(mime)] == mime:
                return _ZIP_KINDS[ext]
        return None
    if b"[Content_Types].xml" in head or b"_rels/" in head:
        for part, ext in _OOXML_PARTS:
            if part in head:
                return _ZIP_KINDS[ext]
    return None


def _zip_kind_matches(head: bytes, ext: str) -> bool:
    """A zip named .docx/.xlsx/… is taken at its word unless its content says it is another kind."""
    kind = _zip_kind_from_content(head)
    if ext in (".odt", ".ods"):
        return kind == _ZIP_KINDS[ext]
    return kind is None or kind == _ZIP_KINDS[ext]


_MAIL_HEADERS = (b"received:", b"return-path:", b"from:", b"message-id:", b"mime-version:", b"delivered-to:",
                 b"date:", b"subject:", b"to:", b"x-")


def _looks_like_email(head: bytes) -> bool:
    """At least three RFC 822 header lines before the first blank line, starting with a header."""
    block = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    lines = [ln for ln in block.splitlines()[:40] if ln and not ln[:1].isspace()]
    if not lines or not lines[0].lower().startswith(_MAIL_HEADERS):
        return False
    known = sum(1 for ln in lines if ln.lower().startswith(_MAIL_HEADERS))
    return known >= 3 and all(b":" in ln for ln in lines[:3])
