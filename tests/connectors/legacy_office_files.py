"""Synthetic legacy Office binaries for tests: a Word 97 `.doc` (non-complex FIB, text at fcMin..fcMac)
with an OLE SummaryInformation property set, a `.ppt` shell, and a Windows Write 3.x `.wri`.

Only the parts the readers use are written: enough for `catdoc`/`catppt` and `olefile`, not for Word.
"""

from __future__ import annotations

import struct

from cfb_writer import build

SUMMARY_FMTID = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
PID = {"title": 2, "subject": 3, "author": 4, "keywords": 5, "comments": 6, "last_saved_by": 8}
VT_LPSTR = 0x1E


def summary_information(props: dict[str, str]) -> bytes:
    """A SummaryInformation stream: one section of VT_LPSTR properties (cp1252)."""
    values = []
    for name, text in props.items():
        raw = text.encode("cp1252") + b"\0"
        raw += b"\0" * (-len(raw) % 4)
        values.append((PID[name], struct.pack("<II", VT_LPSTR, len(raw)) + raw))
    table_size = 8 + 8 * len(values)
    offsets, body = [], b""
    for pid, value in values:
        offsets.append(struct.pack("<II", pid, table_size + len(body)))
        body += value
    section = struct.pack("<II", table_size + len(body), len(values)) + b"".join(offsets) + body
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, 1) + SUMMARY_FMTID + struct.pack("<I", 48)
    return header + section


def word_doc(text: str, *, author: str | None = None, encrypted: bool = False) -> bytes:
    body = text.replace("\n", "\r").encode("cp1252") + b"\r"
    head = bytearray(0x400)
    struct.pack_into("<HH", head, 0, 0xA5EC, 0x00C1)  # wIdent, nFib (Word 97)
    struct.pack_into("<H", head, 0x0A, 0x0100 if encrypted else 0)  # fEncrypted
    struct.pack_into("<II", head, 0x18, 0x400, 0x400 + len(body))  # fcMin, fcMac
    tree = {"WordDocument": bytes(head) + body + b"\0" * 512, "1Table": b"\0" * 512}
    if author:
        tree["\x05SummaryInformation"] = summary_information({"author": author, "last_saved_by": author})
    return build(tree)


def encrypted_ppt() -> bytes:
    return build({"PowerPoint Document": b"\0" * 600, "Current User": b"\0" * 64, "EncryptedSummary": b"\0" * 600})


def write_wri(text: str) -> bytes:
    """Windows Write 3.x: a 128-byte header, then the text (fcMac = 128 + its length), then empty pages."""
    body = (text + "\n").replace("\n", "\r\n").encode("cp1252")  # catdoc prints whole paragraphs only
    head = bytearray(128)
    struct.pack_into("<HHHHHH", head, 0, 0xBE31, 0, 0xAB00, 0, 0, 0)
    struct.pack_into("<I", head, 14, 128 + len(body))  # fcMac
    pages = (128 + len(body) + 127) // 128
    struct.pack_into("<HHHHHHH", head, 18, pages, pages, pages, pages, pages, pages, pages + 1)
    return bytes(head) + body + b"\0" * (-len(body) % 128) + b"\0" * 256
