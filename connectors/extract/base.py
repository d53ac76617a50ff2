"""Blob, ExtractContext, the Extractor protocol and the dispatcher (see the package docstring)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import entry_points
from typing import BinaryIO, Callable, ClassVar, Iterator, Protocol, Union

from scanner.errors import ItemError
from scanner.limits import Limits
from scanner.models import Facts, Item, ItemOutcome, Sample, Status, valid_utf8

from connectors.extract.sniff import sniff_media_type

ReadEvent = Union[Sample, ItemOutcome]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Blob:
    """An item and a way to open it. `open()` returns a fresh read-only binary stream each call."""

    item: Item
    open: Callable[[], BinaryIO]


@dataclass
class ExtractContext:
    """Budgets shared by one top-level item and everything nested in it (time, depth, expanded bytes)."""

    limits: Limits
    deadline: float = field(default_factory=lambda: float("inf"))
    depth: int = 0
    expanded_bytes: int = 0  # shared budget across one top-level item's archive tree
    media_types: dict[str, str] = field(default_factory=dict)  # location -> sniffed type, for inventory rows

    @classmethod
    def start(cls, limits: Limits) -> "ExtractContext":
        """A context for one top-level item: its time budget starts now."""
        return cls(limits, deadline=time.monotonic() + limits.item_seconds)

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise ItemError(f"time limit of {self.limits.item_seconds:g}s per item exceeded")

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def too_deep(self, item: Item) -> ItemOutcome | None:
        """The `skipped` row of a nested item one level further down than `archive_depth` allows, else
        None: the one nesting check (archive members, SQLite tables, dump tables)."""
        if self.depth + 1 > self.limits.archive_depth:
            return ItemOutcome(item, Status.SKIPPED, f"archive nesting deeper than {self.limits.archive_depth}")
        return None

    def recurse(self, child: Blob) -> Iterator[ReadEvent]:
        """Extract a member, then yield its inventory outcome; member errors stay with the member.

        An extractor may report the member's own outcome (same location, e.g. "scanned, but only the first
        N members"); that outcome then replaces the default `scanned` row.
        """
        if (skipped := self.too_deep(child.item)) is not None:
            yield skipped
            return
        self.depth += 1
        own: ItemOutcome | None = None
        try:
            for event in extract(child, self):
                if isinstance(event, ItemOutcome) and event.item.location == child.item.location:
                    own = event
                else:
                    yield event
            outcome = own if own is not None else ItemOutcome(child.item, Status.SCANNED)
            yield replace(outcome, item=self.typed(outcome.item))
        except ItemError as exc:
            status = Status.SKIPPED if exc.skip else Status.ERROR
            yield ItemOutcome(self.typed(child.item), status, exc.reason, Facts(encrypted=exc.encrypted))
        finally:
            self.depth -= 1

    def typed(self, item: Item) -> Item:
        """The item with the media type sniffed for it (if it got that far)."""
        media_type = self.media_types.get(item.location)
        return replace(item, media_type=media_type) if media_type and not item.media_type else item

    def read_whole(self, blob: Blob) -> bytes:
        """The whole content of a whole-file format (docx, pdf, …), refusing files above `max_document_bytes`.

        Whole-file formats cannot be sampled by windows, so their size is the only bound on memory.
        """
        limit = self.limits.max_document_bytes
        if blob.item.size_bytes is not None and blob.item.size_bytes > limit:
            raise ItemError(f"document larger than max_document_bytes ({limit} bytes)", skip=True)
        with blob.open() as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise ItemError(f"document larger than max_document_bytes ({limit} bytes)", skip=True)
        return data


def valid_event(event: ReadEvent) -> ReadEvent:
    """The event with every name and value valid UTF-8 (JSON keys, sheet, table and column names, member
    locations): one hostile name must never reach the output writers as a string they cannot encode."""
    if isinstance(event, ItemOutcome):
        location = valid_utf8(event.item.location)
        return event if location == event.item.location else replace(event, item=replace(event.item, location=location))
    changes: dict[str, object] = {}
    for name in ("location", "field", "text"):
        value = getattr(event, name, None)
        if isinstance(value, str) and valid_utf8(value) is not value:
            changes[name] = valid_utf8(value)
    values = getattr(event, "values", None)
    if values is not None:
        cleaned = tuple(valid_utf8(v) if isinstance(v, str) else v for v in values)
        if any(a is not b for a, b in zip(cleaned, values)):
            changes["values"] = cleaned
    return replace(event, **changes) if changes else event  # type: ignore[type-var]


class Extractor(Protocol):
    media_types: ClassVar[tuple[str, ...]]

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]: ...


@lru_cache(maxsize=1)
def _registry() -> dict[str, Extractor]:
    table: dict[str, Extractor] = {}
    for ep in sorted(entry_points(group="policyscan.extractors"), key=lambda e: e.name):
        try:
            extractor = ep.load()()
        except Exception as exc:  # noqa: BLE001 - one broken plugin must not disable every format
            log.warning("extractor plugin %s cannot be loaded: %s", ep.name, type(exc).__name__)
            continue
        for media_type in extractor.media_types:
            table.setdefault(media_type, extractor)
    return table


def extractor_for(media_type: str) -> Extractor | None:
    table = _registry()
    return table.get(media_type) or table.get(media_type.split("/", 1)[0] + "/*")


def _skipped_by_config(media_type: str, limits: Limits) -> bool:
    if limits.ocr and media_type.startswith("image/"):
        return False  # OCR asked for explicitly: images are content then
    for pattern in limits.skip_media_types:
        if media_type == pattern or (pattern.endswith("/*") and media_type.startswith(pattern[:-1])):
            return True
    return False


_UNSUPPORTED_REASONS = {
    "application/x-executable": "executable file",
}


def read_error_reason(exc: OSError) -> str:
    """Why reading failed, from the exception's type and errno only (messages may hold paths or content)."""
    name = type(exc).__name__
    if name == "FileExpired":  # s3fs: the object's ETag changed between listing/opening and this read
        return "file changed while it was read"
    if isinstance(exc, FileNotFoundError):
        return "file vanished while it was read"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"read failed: {exc.strerror or name}"


def extract(blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
    """Sniff, pick the extractor, run it. Unknown binary types are an ItemError(skip=True).

    Any exception an extractor's parser raises that is not an ItemError becomes an ItemError naming the
    exception type only (a parser's message may quote the content it choked on).
    """
    ctx.check_deadline()
    try:
        with blob.open() as stream:
            head = stream.read(8192)
    except OSError as exc:
        raise ItemError(read_error_reason(exc)) from exc
    if not head:
        raise ItemError("empty file (0 bytes)", skip=True)
    media_type = sniff_media_type(head, blob.item.location)
    ctx.media_types[blob.item.location] = media_type
    blob = Blob(replace(blob.item, media_type=media_type), blob.open)
    if _skipped_by_config(media_type, ctx.limits):
        raise ItemError(f"media type {media_type} skipped by configuration", skip=True)
    extractor = extractor_for(media_type)
    if extractor is None:
        reason = _UNSUPPORTED_REASONS.get(media_type, f"unsupported media type {media_type}")
        raise ItemError(reason, skip=True)
    try:
        for event in extractor.extract(blob, ctx):
            yield valid_event(event)
    except ItemError:
        raise
    except MemoryError as exc:
        raise ItemError(f"{media_type} parser ran out of memory") from exc
    except OSError as exc:
        raise ItemError(read_error_reason(exc)) from exc
    except (RecursionError, Exception) as exc:  # noqa: BLE001 - a parser bug on odd input is this item's error
        raise ItemError(f"cannot parse {media_type}: {type(exc).__name__}") from exc

