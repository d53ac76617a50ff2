"""The two kinds of failure a scan distinguishes.

`SourceError`: the whole source is unusable (cannot connect, bad URI, bad credentials). The CLI exits 2.
`ItemError`: this item only (corrupt, encrypted, permission denied, vanished). The item gets an inventory
row with status `error` (or `skipped` when `skip=True`) and the scan goes on.

Messages must never contain item content or credentials: say what is wrong, not what was read.
"""

from __future__ import annotations


class PolicyscanError(Exception):
    """Base class for errors policyscan raises on purpose."""


class ConfigError(PolicyscanError):
    """Bad usage or configuration (exit code 2)."""


class SourceError(PolicyscanError):
    """A source cannot be used at all (exit code 2 when nothing else can be scanned)."""


class ItemError(PolicyscanError):
    """One item cannot be read; `skip` marks deliberate skips (limits, unsupported type) versus failures."""

    def __init__(self, reason: str, *, skip: bool = False, encrypted: bool | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.skip = skip
        self.encrypted = encrypted
