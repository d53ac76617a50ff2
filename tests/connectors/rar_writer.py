"""A minimal RAR 4 writer for test fixtures: stored (uncompressed) members, optionally flagged encrypted.

No free tool writes RAR (the `rar` program is not free software); the format's block layout is public
(RAR 4.x technote): marker block, archive header, one file header + data per member, end block. Each header
carries the low 16 bits of the CRC-32 of its bytes after the CRC field.
"""

from __future__ import annotations

import struct
import zlib

MARKER = b"Rar!\x1a\x07\x00"
DOS_TIME = (2024 - 1980) << 25 | 3 << 21 | 14 << 16 | 9 << 11  # 2024-03-14 09:00


def _block(kind: int, flags: int, body: bytes) -> bytes:
    head = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head


def rar4(members: dict[str, bytes], encrypted: frozenset[str] = frozenset(), declared: dict[str, int] | None = None
         ) -> bytes:
    """`declared` overrides a member's uncompressed size in its header (a bomb's claim)."""
    out = MARKER + _block(0x73, 0, b"\0" * 6)
    for name, data in members.items():
        raw = name.encode("utf-8")
        flags = 0x8000 | (0x0004 if name in encrypted else 0)
        size = (declared or {}).get(name, len(data))
        body = struct.pack("<IIBIIBBHI", len(data), size, 3, zlib.crc32(data), DOS_TIME, 29, 0x30, len(raw),
                           0o100644) + raw
        out += _block(0x74, flags, body) + data
    return out + _block(0x7B, 0x4000, b"")
