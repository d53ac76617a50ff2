"""Legacy Office binaries: Word 97-2003 `.doc`, PowerPoint 97-2003 `.ppt`, Windows Write `.wri`.

No maintained Python library reads their text; Debian's `catdoc` package does (`catdoc` for Word and
Write, `catppt` for PowerPoint), in milliseconds and a few MB, where a LibreOffice headless conversion
takes seconds and hundreds of MB per file. The tool runs as a child process of the isolated parser child, on a private temporary copy (mode 0600,
removed after), with the item's remaining time as its timeout and the parser child's address-space cap,
so a hostile file can neither hang nor exhaust the scan. The OLE property set (SummaryInformation: author,
last saved by, title, subject, keywords, comments) is read with `olefile` even when the body cannot be,
so a document's author is never lost with its body.

Encrypted files (the Word FIB's fEncrypted bit, PowerPoint's `EncryptedSummary` stream) are refused
with `encrypted=True`: their content is not verified. When the tool is missing the item is `skipped`
with the Debian package to install, after its metadata.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Iterator

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.documents import body_samples, meta_samples
from connectors.extract.isolate import run_isolated
from scanner.errors import ItemError
from scanner.models import Item

# SummaryInformation properties that may name people (company is an organisation: left out).
OLE_META = (("author", "author"), ("last_saved_by", "last_modified_by"), ("title", "title"),
            ("subject", "subject"), ("keywords", "keywords"), ("comments", "comments"))
TOOLS = {"word": ("catdoc", "Word .doc"), "write": ("catdoc", "Write .wri"), "powerpoint": ("catppt", "PowerPoint .ppt")}
# OLE stream that marks each legacy format (a workbook or an Outlook message is read elsewhere).
LEGACY_STREAMS = (("WordDocument", "word"), ("PowerPoint Document", "powerpoint"))
WRITE_BANNER = "[Windows Write file. Some garbage expected]\n"  # catdoc's own line, not document text
_FIB_FLAGS = 0x0A
_FIB_ENCRYPTED = 0x0100


def ole_meta(ole) -> list[tuple[str, object]]:
    """(field, text) of the OLE SummaryInformation properties that may name a person."""
    try:
        meta = ole.get_metadata()
    except Exception:  # noqa: BLE001 - a broken property set loses the metadata, not the item
        return []
    out = []
    for attribute, name in OLE_META:
        value = getattr(meta, attribute, None)
        if isinstance(value, bytes):
            value = value.decode("cp1252", "replace")
        out.append((name, value))
    return out


def ole_encrypted(ole, streams: set[str]) -> bool:
    """True for an encrypted legacy Word/PowerPoint file (RC4/XOR obfuscation)."""
    if "EncryptedSummary" in streams:
        return True
    if "WordDocument" in streams:
        head = ole.openstream("WordDocument").read(_FIB_FLAGS + 2)
        return len(head) >= _FIB_FLAGS + 2 and bool(int.from_bytes(head[_FIB_FLAGS:], "little") & _FIB_ENCRYPTED)
    return False


def convert_text(kind: str, data: bytes, ctx: ExtractContext) -> str:
    """The document's text from the Debian tool for `kind`, run as a sandboxed child (see module doc)."""
    tool, label = TOOLS[kind]
    path = shutil.which(tool)
    if path is None:
        raise ItemError(f"legacy {label}: `{tool}` is not installed (Debian package catdoc); text not read", skip=True)
    ctx.check_deadline()
    with tempfile.TemporaryDirectory(prefix="policyscan-legacy-") as folder:
        source = os.path.join(folder, "document")
        with open(os.open(source, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
            fh.write(data)
        command = [path, "-d", "utf-8", source] if tool == "catppt" else [path, "-d", "utf-8", "-w", source]
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=ctx.seconds_left(),
                                  env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}, cwd=folder, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ItemError(f"time limit of {ctx.limits.item_seconds:g}s per item exceeded ({tool} killed)") from exc
    if done.returncode != 0:
        raise ItemError(f"corrupt legacy {label} ({tool} exit status {done.returncode})")
    text = done.stdout[: ctx.limits.bytes_per_file * 4].decode("utf-8", "replace")
    return text.removeprefix(WRITE_BANNER)


def legacy_events(kind: str, data: bytes, item: Item, ctx: ExtractContext, meta: list[tuple[str, object]]
                  ) -> Iterator[ReadEvent]:
    """Metadata samples first (they survive a body that cannot be read), then the body's, converted in the
    isolated parser child (`isolate.py`: killed at the deadline, address space capped; the tool inherits
    the cap)."""
    yield from meta_samples(item.location, meta)
    yield from run_isolated(lambda: body_samples(item.location, [convert_text(kind, data, ctx)], ctx), ctx)


class LegacyTextExtractor:
    """Windows Write `.wri` and pre-OLE Word files (`application/msword` by name): body text, no metadata."""

    media_types = ("application/x-mswrite", "application/msword")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        kind = "write" if blob.item.media_type == "application/x-mswrite" else "word"
        yield from legacy_events(kind, ctx.read_whole(blob), blob.item, ctx, [])
