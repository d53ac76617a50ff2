"""E-mail: EML (RFC 822/MIME), MBOX, Outlook MSG, and the OLE container dispatcher (MSG, XLS, encrypted OOXML).

Headers that name people (From, To, Cc, Bcc, Reply-To, Sender, Subject) become `TextSample`s with
`field="header:from"` etc.; bodies (text/plain, else HTML stripped) become `field="body"`. Attachments are
members: `mail.eml!cv.docx`, extracted through `ExtractContext.recurse` like archive members. An MBOX is read
up to the per-file byte budget; its messages are numbered members (`box.mbox!3`).
"""

from __future__ import annotations

import email
import email.policy
import io
import re
from email.message import EmailMessage
from typing import Iterator

from connectors.extract.base import Blob, ExtractContext, ReadEvent, extractor_for
from connectors.extract.documents import body_samples, preload
from connectors.extract.isolate import run_isolated
from connectors.extract.legacy_office import LEGACY_STREAMS, legacy_events, ole_encrypted, ole_meta
from connectors.extract.streams import NonSeekable
from connectors.extract.text import read_sampled
from scanner.errors import ItemError
from scanner.models import Item, ItemOutcome, Status, TextSample

PEOPLE_HEADERS = ("from", "to", "cc", "bcc", "reply-to", "sender", "subject", "delivered-to", "return-path")
_TAGS = re.compile(r"<[^>]+>")


def _member(outer: Item, name: str, data: bytes, ctx: ExtractContext) -> Blob:
    item = Item(source=outer.source, location=f"{outer.location}!{name}", kind="member", size_bytes=len(data),
                modified=outer.modified, owner=outer.owner, exposure=outer.exposure, parent=outer.location,
                depth=ctx.depth + 1)
    return Blob(item, lambda: io.BytesIO(data))


def message_events(msg: EmailMessage, item: Item, ctx: ExtractContext) -> Iterator[ReadEvent]:
    location = item.location
    for name in PEOPLE_HEADERS:
        for value in msg.get_all(name, []) or []:
            if str(value).strip():
                yield TextSample(location=location, field=f"header:{name}", text=str(value))
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is not None:
        try:
            text = body.get_content()
        except (LookupError, ValueError, AssertionError):
            text = ""
        if body.get_content_subtype() == "html":
            text = _TAGS.sub(" ", text)
        yield from body_samples(location, [text], ctx, field="body")
    used: set[str] = set()
    for index, part in enumerate(msg.iter_attachments()):
        ctx.check_deadline()
        name = part.get_filename() or f"attachment-{index + 1}"
        name = name.replace("!", "_").replace("/", "_")
        if name in used:
            name = f"{index + 1}-{name}"
        used.add(name)
        data = part.get_payload(decode=True) or b""
        if isinstance(part.get_payload(), list):  # message/rfc822 attachment
            data = part.get_payload()[0].as_bytes() if part.get_payload() else b""
        yield from ctx.recurse(_member(item, name, data[: ctx.limits.max_document_bytes], ctx))


class EmlExtractor:
    media_types = ("message/rfc822",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        data = ctx.read_whole(blob)
        msg = email.message_from_bytes(data, policy=email.policy.default)
        if not msg.keys():
            raise ItemError("not an e-mail message (no headers)")
        yield from message_events(msg, blob.item, ctx)  # type: ignore[arg-type]


class MboxExtractor:
    media_types = ("application/mbox",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        with blob.open() as stream:
            limits = ctx.limits
            data = stream.read(limits.bytes_per_file) if not stream.seekable() else \
                read_sampled(NonSeekable(stream), blob.item.size_bytes, limits, blob.item.location)
        messages = [c for c in re.split(rb"(?m)^From .*\r?\n", data) if c.strip()]
        size = blob.item.size_bytes
        if size is not None and size > len(data) and len(messages) > 1:
            messages.pop()  # cut by the byte budget: a partial message would be misread
        for index, chunk in enumerate(messages):
            ctx.check_deadline()
            chunk = re.sub(rb"(?m)^>From ", b"From ", chunk)
            yield from ctx.recurse(_member(blob.item, f"{index + 1}.eml", chunk, ctx))
        if size is not None and size > len(data):
            yield ItemOutcome(blob.item, Status.SCANNED, f"mailbox sampled: first {len(messages)} messages "
                              f"({len(data)} of {size} bytes, bytes_per_file)")


class OleExtractor:
    """OLE2 compound files: Outlook MSG, legacy XLS, legacy .doc/.ppt (`legacy_office`), encrypted OOXML (refused)."""

    media_types = ("application/x-ole-storage",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        import olefile

        data = ctx.read_whole(blob)
        try:
            ole = olefile.OleFileIO(data)
            streams = {"/".join(entry) for entry in ole.listdir()}
            legacy = next((kind for stream, kind in LEGACY_STREAMS if stream in streams), None)
            encrypted = legacy is not None and ole_encrypted(ole, streams)
            meta = ole_meta(ole) if legacy else []
            ole.close()
        except (OSError, ValueError, IndexError) as exc:
            raise ItemError("corrupt OLE compound file") from exc
        if "EncryptedPackage" in streams or "EncryptionInfo" in streams or encrypted:
            raise ItemError("password-protected Office document; not decrypted", skip=True, encrypted=True)
        if any(s.startswith("__substg1.0_") for s in streams):
            preload(("extract_msg",))
            yield from run_isolated(lambda: list(_msg_events(data, blob.item, ctx)), ctx)
            return
        if "Workbook" in streams or "Book" in streams:
            extractor = extractor_for("application/vnd.ms-excel")
            if extractor is not None:
                preload(getattr(extractor, "modules", ()))
                yield from run_isolated(lambda: extractor.safe_parse(data, blob.item, ctx), ctx)  # type: ignore[attr-defined]
                return
        if legacy is not None:
            yield from legacy_events(legacy, data, blob.item, ctx, meta)
            return
        raise ItemError("unsupported OLE compound file", skip=True)


def _msg_events(data: bytes, item: Item, ctx: ExtractContext) -> Iterator[ReadEvent]:
    import extract_msg

    try:
        msg = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as exc:  # noqa: BLE001 - extract_msg raises many kinds on odd files
        raise ItemError("corrupt Outlook MSG") from exc
    with msg:
        location = item.location
        for name, value in (("from", msg.sender), ("to", msg.to), ("cc", msg.cc), ("bcc", getattr(msg, "bcc", None)),
                            ("subject", msg.subject)):
            if value and str(value).strip():
                yield TextSample(location=location, field=f"header:{name}", text=str(value))
        body = msg.body or ""
        if not body and getattr(msg, "htmlBody", None):
            body = _TAGS.sub(" ", msg.htmlBody.decode("utf-8", "replace"))
        yield from body_samples(location, [body], ctx, field="body")
        for index, att in enumerate(getattr(msg, "attachments", []) or []):
            payload = getattr(att, "data", None)
            if not isinstance(payload, (bytes, bytearray)):
                continue  # embedded messages and OLE objects: not expanded
            name = (getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or f"attachment-{index + 1}")
            name = str(name).replace("!", "_").replace("/", "_")
            yield from ctx.recurse(_member(item, name, bytes(payload)[: ctx.limits.max_document_bytes], ctx))
