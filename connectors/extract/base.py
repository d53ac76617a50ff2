"""Blob, ExtractContext, the Extractor protocol and the dispatcher (see the package docstring)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import entry_points
from typing import BinaryIO, Callable, ClassVar, Iterator, Protocol, Union

from scanner.errors import ItemError
from scanner.limits import Limits
from scanner.models import Facts, Item, ItemOutcome, Sample, Status

from connectors.extract.sniff import sniff_media_type

ReadEvent = Union[Sample, ItemOutcome]


@dataclass(frozen=True)
class Blob:
    """An item and a way to open it. `open()` returns a fresh read-only binary stream each call."""

    item: Item
    open: Callable[[], BinaryIO]


@dataclass
class ExtractContext:
    limits: Limits
    deadline: float = field(default_factory=lambda: float("inf"))
    depth: int = 0
    expanded_bytes: int = 0  # shared budget across one top-level item's archive tree

    @classmethod
    def start(cls, limits: Limits) -> "ExtractContext":
        """A context for one top-level item: its time budget starts now."""
        return cls(limits, deadline=time.monotonic() + limits.item_seconds)

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise ItemError(f"time limit of {self.limits.item_seconds:g}s per item exceeded")

    def recurse(self, child: Blob) -> Iterator[ReadEvent]:
        """Extract a member, then yield its inventory outcome; member errors stay with the member."""
        if self.depth + 1 > self.limits.archive_depth:
            yield ItemOutcome(child.item, Status.SKIPPED, f"archive nesting deeper than {self.limits.archive_depth}")
            return
        self.depth += 1
        try:
            yield from extract(child, self)
            yield ItemOutcome(child.item, Status.SCANNED)
        except ItemError as exc:
            status = Status.SKIPPED if exc.skip else Status.ERROR
            yield ItemOutcome(child.item, status, exc.reason, Facts(encrypted=exc.encrypted))
        finally:
            self.depth -= 1


class Extractor(Protocol):
    media_types: ClassVar[tuple[str, ...]]

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]: ...


@lru_cache(maxsize=1)
def _registry() -> dict[str, Extractor]:
    table: dict[str, Extractor] = {}
    for ep in sorted(entry_points(group="policyscan.extractors"), key=lambda e: e.name):
        extractor = ep.load()()
        for media_type in extractor.media_types:
            table.setdefault(media_type, extractor)
    return table


def extractor_for(media_type: str) -> Extractor | None:
    table = _registry()
    return table.get(media_type) or table.get(media_type.split("/", 1)[0] + "/*")


def extract(blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
    """Sniff, pick the extractor, run it. Unknown binary types are an ItemError(skip=True)."""
    ctx.check_deadline()
    with blob.open() as stream:
        head = stream.read(8192)
    media_type = sniff_media_type(head, blob.item.location)
    blob = Blob(replace(blob.item, media_type=media_type), blob.open)
    for pattern in ctx.limits.skip_media_types:
        if media_type == pattern or (pattern.endswith("/*") and media_type.startswith(pattern[:-1])):
            raise ItemError(f"media type {media_type} skipped by configuration", skip=True)
    extractor = extractor_for(media_type)
    if extractor is None:
        raise ItemError(f"unsupported media type {media_type}", skip=True)
    yield from extractor.extract(blob, ctx)
