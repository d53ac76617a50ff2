"""Core records that flow one way through a scan: Item -> Sample -> Hit -> Finding -> Gap.

Every record is a frozen dataclass that imports nothing from the rest of policyscan, so connectors,
detectors and reports can all depend on this module (and on `errors`, `limits`) without depending on
each other. Records are picklable: they cross process and Dask worker boundaries.

Privacy contract: no record here may hold a raw personal value except `TextSample.text` and
`ColumnSample.values`, which live only in memory inside a worker and are never written, logged or
put in an exception message.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Union

SCHEMA_VERSION = "1.0"


class Status(str, enum.Enum):
    """What happened to an item. `unchanged` means carried over from the previous scan's state.

    `skipped` and `error` items are **not verified**: their content was not (fully) read (encrypted,
    password-protected, a format that cannot be read, broken, over a limit), so their lack of findings
    says nothing. Outputs count and label them as such and never as free of personal data.
    """

    SCANNED = "scanned"
    SKIPPED = "skipped"
    ERROR = "error"
    UNCHANGED = "unchanged"

    @property
    def verified(self) -> bool:
        return self.value not in NOT_VERIFIED


# The statuses a compliance reader sees as "not verified" (see `Status`); the one list outputs use.
NOT_VERIFIED: tuple[str, ...] = (Status.SKIPPED.value, Status.ERROR.value)
NOT_VERIFIED_LABEL = "not verified"


class Severity(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1, "info": 0}[self.value]


# Exposure values a connector may set on an item (free strings are allowed for new kinds).
EXPOSURE_WORLD_READABLE = "world_readable"  # POSIX mode o+r
EXPOSURE_SMB_EVERYONE = "smb_everyone"  # share/file ACL grants Everyone / Authenticated Users
EXPOSURE_PUBLIC_BUCKET = "public_bucket"  # S3 object or bucket readable anonymously


DEFAULT_COUNTRIES = ("LU", "FR", "BE", "DE")
DEFAULT_LANGUAGES = ("en", "fr", "de")


@dataclass(frozen=True)
class DetectionSettings:
    """What the detector looks for and how it fingerprints; the key itself is never written out."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    countries: tuple[str, ...] = DEFAULT_COUNTRIES
    min_score: float = 0.5
    fingerprint_key: bytes = b""  # never written out; from env (see fingerprint_key_env)
    fingerprint_key_id: str = ""  # short digest of the key, safe to record
    reveal_values: bool = False  # explicit opt-in to raw values in outputs


@dataclass(frozen=True)
class SourceSpec:
    """One scan source as configured: a URI plus per-source options.

    `uri` may hold credentials (resolved from `${ENV}` references); `display` is the redacted form and
    the only one that may appear in outputs, logs and exceptions.
    """

    uri: str = field(repr=False)  # never in a repr: a traceback or log line must not carry the password
    display: str
    scheme: str
    region: str | None = None  # ISO country or cloud region where the data lives, for transfer rules
    options: Mapping[str, object] = field(default_factory=dict, repr=False)  # may hold keys and passwords


@dataclass(frozen=True)
class Item:
    """Something a connector listed: a file, an archive member, a table, a dump table.

    `location` is a URI unique within the scan: archive members are `OUTER!MEMBER`, tables end in
    `schema.table`. `version` is what incremental scans compare (mtime+size, etag, DDL hash + row estimate).
    """

    source: str  # SourceSpec.display
    location: str
    kind: str  # "file", "member", "table", "dump_table", "database"
    size_bytes: int | None = None
    modified: datetime | None = None
    owner: str | None = None
    exposure: str | None = None
    media_type: str | None = None
    version: str | None = None
    parent: str | None = None  # location of the containing archive/database, if any
    depth: int = 0
    meta: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class TextSample:
    """Free text taken from an item (a document body, a log window, a JSON string value).

    `field` names where in the item it came from (JSON key, sheet, e-mail header) or is None. A
    `caption` is the title rows above a table's header ("Trade union members 2024"): it travels with the
    table's columns and says what the rows are about.
    """

    location: str
    field: str | None
    text: str
    language: str | None = None  # ISO 639-1 if the extractor knows it; else detected
    caption: bool = False


@dataclass(frozen=True)
class ColumnSample:
    """A sample of values from one column of a table (database, CSV, sheet, Parquet, dump)."""

    location: str
    field: str  # the column name
    values: tuple[str, ...]
    declared_type: str | None = None
    rows_estimate: int | None = None
    position: int | None = None  # 1-based column position, for `column_N` when the name itself is personal data


Sample = Union[TextSample, ColumnSample]

# A sampled cell holding an image (a staff photo, a product thumbnail) reaches the detector as this text:
# its type and size, never its bytes, so a column of pictures can be judged by its name and table.
IMAGE_VALUE = re.compile(r"^\[image/[a-z]+, \d+ KB\]$")


def image_value(media_type: str, size: int) -> str:
    """`[image/jpeg, 12 KB]` (sizes rounded up to whole KB: no long digit run to read as a number)."""
    return f"[{media_type}, {max(1, -(-size // 1024))} KB]"


@dataclass(frozen=True)
class Facts:
    """Evidence about an item besides findings, each an inventory column. All optional; None = unknown."""

    data_oldest: datetime | None = None  # oldest date the data itself carries (min of created_at, mtime…)
    data_newest: datetime | None = None
    data_age_basis: str | None = None  # how the dates were read: "exact" (MIN/MAX), "sample", "partial"
    data_age_columns: tuple[str, ...] = ()  # the columns the dates come from (tables)
    transport_encrypted: bool | None = None  # e.g. database connection used TLS
    encrypted: bool | None = None  # the item (archive, member, document) is encrypted at rest
    rows_estimate: int | None = None
    sampled_bytes: int | None = None
    sampled_rows: int | None = None
    sampling: str | None = None  # how rows were chosen: "all", "head", "key_ranges", "tablesample_…", "reservoir"
    partial: bool | None = None  # True: only part of the item was read (a dump's time limit ran out inside it)
    members_not_scanned: int | None = None  # archive members beyond `archive_members`, never opened
    region: str | None = None  # where the connector says this item's data lives (else the source's region)
    change: str | None = None  # "new", "changed", "unchanged" since the previous scan (set by the state store)


@dataclass(frozen=True)
class ItemOutcome:
    """One inventory row: what became of an item. `reason` never contains item content."""

    item: Item
    status: Status
    reason: str | None = None
    facts: Facts = field(default_factory=Facts)


@dataclass(frozen=True)
class Hit:
    """One detected value, already privacy-safe: masked preview and keyed fingerprint, no raw value."""

    entity: str
    score: float
    masked: str
    fingerprint: str
    recognizer: str
    explanation: str | None = None


@dataclass(frozen=True)
class Finding:
    """Aggregate of hits for one (location, field, entity): the row of findings.parquet."""

    source: str
    location: str
    field: str | None
    entity: str
    category: str  # fideslang data-category key
    special: bool  # GDPR Art. 9/10 data: set once by the detector (scanner.categories.is_special_entity)
    count: int
    score: float
    masked_example: str
    fingerprint: str  # fingerprint of the example value
    distinct_count: int
    fingerprints: tuple[str, ...]  # distinct fingerprints (capped), for cross-location joins
    recognizer: str
    explanation: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class SourceFailure:
    """A source that could not be used at all (`SourceError`): its display name and why, as fields.

    It becomes one inventory row (kind `source`, location = the display name); `reason` is the error's
    message, which never holds a credential (connectors build it from `SourceSpec.display`).
    """

    source: str  # SourceSpec.display
    reason: str

    def outcome(self) -> "ItemOutcome":
        return ItemOutcome(Item(self.source, self.source, "source"), Status.ERROR, self.reason)


@dataclass(frozen=True)
class ItemResult:
    """Everything one unit of work produced: the item's own outcome, nested members' outcomes, findings."""

    outcomes: tuple[ItemOutcome, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PolicyReference:
    section: str | None
    quote: str | None


@dataclass(frozen=True)
class Gap:
    """One row of gaps.parquet: a difference between the policy and the estate."""

    gap_kind: str
    severity: Severity
    category: str | None
    policy_reference: PolicyReference
    evidence_count: int
    example_locations: tuple[str, ...]
    message: str
    recommendation: str
    source: str | None = None


def valid_utf8(text: str) -> str:
    """`text` made encodable as UTF-8: each lone surrogate is percent-encoded (`%XX` for a byte that a
    `surrogateescape` decode kept, the three bytes of its UTF-8-with-surrogates form otherwise), the way
    `Path.as_uri()` encodes a top-level file name's undecodable bytes. Valid text is returned as it is.
    Connectors apply it where names are built; output writers apply it as a last resort."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"%{code - 0xDC00:02X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "".join(out)
