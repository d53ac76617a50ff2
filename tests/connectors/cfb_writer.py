"""A minimal OLE2 compound-file (CFB v3) writer, for test fixtures only: Outlook MSG and encrypted OOXML.

No library on PyPI writes compound files from scratch (olefile only rewrites existing streams), and the
product must be tested on real MSG files. Layout: 512-byte sectors; streams under 4096 bytes live in the
mini stream (64-byte sectors) as the format requires; the directory's sibling tree is a right-leaning
chain in CFB name order (a valid, if unbalanced, binary search tree).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


@dataclass
class Node:
    name: str
    data: bytes | None = None  # None: a storage
    children: list["Node"] = field(default_factory=list)


def _key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def build(tree: dict) -> bytes:
    """`tree` maps names to bytes (streams) or dicts (storages); returns the compound file's bytes."""
    def to_node(name: str, value) -> Node:
        if isinstance(value, dict):
            return Node(name, None, [to_node(k, v) for k, v in value.items()])
        return Node(name, bytes(value))

    root = to_node("Root Entry", tree)
    entries: list[Node] = []

    def number(node: Node) -> None:
        entries.append(node)
        for child in sorted(node.children, key=lambda n: _key(n.name)):
            number(child)

    number(root)
    index = {id(n): i for i, n in enumerate(entries)}

    mini_stream = bytearray()
    mini_fat: list[int] = []
    big_streams: list[tuple[Node, bytes]] = []
    starts: dict[int, int] = {}
    for node in entries[1:]:
        if node.data is None:
            continue
        if len(node.data) < CUTOFF:
            first = len(mini_fat)
            count = max(1, -(-len(node.data) // MINI))
            mini_fat += [first + i + 1 for i in range(count - 1)] + [END]
            mini_stream += node.data.ljust(count * MINI, b"\0")
            starts[id(node)] = first if node.data else END
        else:
            big_streams.append((node, node.data))

    sectors: list[bytes] = []
    fat: list[int] = []

    def put(data: bytes) -> int:
        if not data:
            return END
        first = len(sectors)
        count = -(-len(data) // SECTOR)
        for i in range(count):
            sectors.append(data[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + i + 1 if i < count - 1 else END)
        return first

    for node, data in big_streams:
        starts[id(node)] = put(data)
    mini_stream_start = put(bytes(mini_stream))
    mini_fat_bytes = b"".join(struct.pack("<I", v) for v in mini_fat)
    mini_fat_start = put(mini_fat_bytes)

    def entry(node: Node, i: int) -> bytes:
        name = node.name.encode("utf-16-le") + b"\0\0"
        kind = 5 if i == 0 else (1 if node.data is None else 2)
        child = NOSTREAM
        if node.children:
            child = index[id(sorted(node.children, key=lambda n: _key(n.name))[0])]
        right = NOSTREAM
        parent = next((p for p in entries if node in p.children), None)
        if parent is not None:
            siblings = sorted(parent.children, key=lambda n: _key(n.name))
            pos = siblings.index(node)
            if pos + 1 < len(siblings):
                right = index[id(siblings[pos + 1])]
        if i == 0:
            start, size = (mini_stream_start if mini_stream else END), len(mini_stream)
        elif node.data is None:
            start, size = 0, 0
        else:
            start, size = starts[id(node)], len(node.data)
        return (name.ljust(64, b"\0") + struct.pack("<HBB", len(name), kind, 1)
                + struct.pack("<III", NOSTREAM, right, child) + b"\0" * 16 + struct.pack("<I", 0)
                + b"\0" * 16 + struct.pack("<IQ", start, size))

    directory = b"".join(entry(n, i) for i, n in enumerate(entries))
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0")
    dir_start = put(directory)

    # FAT sectors: enough to describe every sector including themselves
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    for i in range(n_fat):
        sectors.append(fat_bytes[i * SECTOR:(i + 1) * SECTOR])
    if n_fat > 109:
        raise ValueError("fixture too large for a header-only DIFAT")
    difat = [fat_start + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF,
                                         mini_fat_start if mini_fat else END, -(-len(mini_fat_bytes) // SECTOR),
                                         END, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    assert len(header) == SECTOR
    return header + b"".join(sectors)


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")


def msg_file(sender: str, sender_email: str, to: str, subject: str, body: str,
             attachment_name: str, attachment: bytes) -> bytes:
    """An Outlook MSG with one by-value attachment, enough for extract_msg to read headers, body, attachment."""
    def props(header: bytes, entries: list[tuple[int, int, bytes]]) -> bytes:
        return header + b"".join(struct.pack("<II", tag, flags) + value.ljust(8, b"\0")[:8]
                                 for tag, flags, value in entries)

    # reserved, next recipient id, next attachment id, recipient count, attachment count, reserved
    top_header = b"\0" * 8 + struct.pack("<IIII", 0, 1, 0, 1) + b"\0" * 8
    message_props = props(top_header, [(0x0E070003, 6, struct.pack("<I", 0))])  # PR_MESSAGE_FLAGS
    attach_props = props(b"\0" * 8, [(0x37050003, 6, struct.pack("<I", 1))])   # PR_ATTACH_METHOD = by value
    return build({
        "__properties_version1.0": message_props,
        "__nameid_version1.0": {
            "__substg1.0_00020102": b"", "__substg1.0_00030102": b"", "__substg1.0_00040102": b"",
        },
        "__substg1.0_001A001F": _unicode("IPM.Note"),
        "__substg1.0_0037001F": _unicode(subject),
        "__substg1.0_0C1A001F": _unicode(sender),
        "__substg1.0_0C1F001F": _unicode(sender_email),
        "__substg1.0_0E04001F": _unicode(to),
        "__substg1.0_1000001F": _unicode(body),
        "__substg1.0_007D001F": _unicode(f"From: {sender} <{sender_email}>\r\nTo: {to}\r\nSubject: {subject}\r\n\r\n"),
        "__attach_version1.0_#00000000": {
            "__properties_version1.0": attach_props,
            "__substg1.0_3707001F": _unicode(attachment_name),
            "__substg1.0_3704001F": _unicode(attachment_name[:8]),
            "__substg1.0_37010102": attachment,
        },
    })


def encrypted_ooxml() -> bytes:
    """The container shape of a password-protected DOCX/XLSX (what Office writes: an OLE file, not a zip)."""
    return build({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 200,
                  "EncryptedPackage": b"\0" * 5000})
