"""The archive bomb guard: what a member may expand to, judged before inflating and while inflating.

`archive.walk_members` refuses a member from its declared sizes (`declared_bomb`) and reads the others
through `streams.BoundedReader` capped at `ratio_cap`; formats that must buffer a member before the walk
reaches it (a tar read in order, a 7z solid block) keep only `head_bytes` of it.
"""

from __future__ import annotations

from connectors.extract.base import ExtractContext
from connectors.extract.sniff import sniff_media_type

BOMB_MIN_BYTES = 1 << 20  # ratios of tiny members mean nothing (a 1 KB file of spaces compresses 100x)
WHOLE_FILE_TYPES = ("application/zip", "application/vnd.", "application/pdf", "application/x-ole-storage",
                    "application/x-7z-compressed", "application/gzip", "application/x-bzip2", "application/x-xz",
                    "application/zstd", "application/x-tar", "application/rtf", "application/vnd.apache.parquet",
                    # a dump is only useful whole: its CREATE TABLE and data blocks are far apart
                    "application/sql")


def ratio_cap(ctx: ExtractContext, compressed: int | None) -> int | None:
    """The most a member of `compressed` bytes may expand to before it counts as a bomb (None: size unknown)."""
    if not compressed:
        return None
    return max(BOMB_MIN_BYTES, int(compressed * ctx.limits.archive_ratio))


def declared_bomb(size: int | None, compressed: int | None, ctx: ExtractContext) -> str | None:
    """Why a member must not be expanded, judged from its declared sizes alone (before any byte is inflated)."""
    ratio_limit = ctx.limits.archive_ratio
    if size is not None and compressed and size > BOMB_MIN_BYTES and size / compressed > ratio_limit:
        return (f"compression ratio {size / compressed:.0f} exceeds archive_ratio ({ratio_limit:g}); "
                "possible zip bomb, not expanded")
    return None


def head_bytes(ctx: ExtractContext, head: bytes, name: str) -> int:
    """How much of a buffered member is kept: a whole-file format (judged from its first bytes) up to
    `max_document_bytes`, anything else `bytes_per_file`; never more than the tree's remaining
    `archive_expanded_bytes`."""
    limits = ctx.limits
    whole = sniff_media_type(head, name).startswith(WHOLE_FILE_TYPES)
    budget = limits.max_document_bytes if whole else limits.bytes_per_file
    return max(0, min(budget, limits.archive_expanded_bytes - ctx.expanded_bytes))
