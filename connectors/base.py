"""The connector contract: where the bytes (or rows) come from, nothing about formats.

A connector is built from a `SourceSpec` and the scan's `Limits`, then:

* `items()` lists what the source holds, lazily (a generator), in a stable order. It never reads
  content. It raises `SourceError` only when the whole source is unusable (cannot connect, bad
  credentials, path missing); a sub-folder it cannot list is yielded as an item whose `meta` holds
  `{"error": reason}` so it gets an error row.
* `read(item)` yields the item's samples and, for containers (archives, SQLite files, dumps), the
  `ItemOutcome` of each nested member after that member's samples. File connectors open a read-only
  stream and hand it to the shared extraction layer (`connectors.extract`); they never parse formats
  themselves. `read` raises `ItemError` for this item only.
* `read(item)` may also yield an `ItemOutcome` for the item itself (same `location`): the pipeline then
  uses its `facts` (data age, TLS, row estimate, sampled bytes) and, if not `scanned`, its status and
  reason for the item's inventory row. Otherwise the item's row is `scanned` with empty facts.
* `close()` releases connections.

Connectors must be constructible in any worker process from the spec alone (no open handles in
`__init__`, connect lazily), must open sources read-only, and must never put content or
credentials in exception messages. Built-ins register through the `policyscan.connectors` entry point
group exactly as third-party connectors do; `schemes` says which URI schemes a class handles.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import ClassVar, Iterator, Protocol, runtime_checkable

from scanner.errors import SourceError
from scanner.limits import Limits
from scanner.models import Item, SourceSpec

from connectors.extract.base import ReadEvent



@runtime_checkable
class Connector(Protocol):
    schemes: ClassVar[tuple[str, ...]]
    spec: SourceSpec

    def items(self) -> Iterator[Item]: ...

    def read(self, item: Item) -> Iterator[ReadEvent]: ...

    def close(self) -> None: ...


def connector_classes() -> dict[str, type]:
    """Scheme -> connector class, from the `policyscan.connectors` entry points."""
    table: dict[str, type] = {}
    for ep in entry_points(group="policyscan.connectors"):
        cls = ep.load()
        for scheme in getattr(cls, "schemes", ()):
            table.setdefault(scheme, cls)
    return table


def open_connector(spec: SourceSpec, limits: Limits) -> Connector:
    """The connector for a spec's scheme; SourceError if no connector handles it."""
    table = connector_classes()
    scheme = spec.scheme
    cls = table.get(scheme) or table.get(scheme.split("+", 1)[0])
    if cls is None:
        raise SourceError(f"no connector for scheme '{scheme}' ({spec.display})")
    return cls(spec, limits)
