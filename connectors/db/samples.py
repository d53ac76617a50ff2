"""Sampled rows -> per-column samples and table facts; shared by live tables, SQLite files and dumps.

Contract: rows become samples through `extract.samples.column_samples`, the transposer every tabular
format uses (values capped, binary dropped, mostly-long-prose columns read as text), and data-age
facts come only from date/timestamp columns that say when a record was made or used (`created_at`,
`last_login`), never from ones that describe a person (`birth_date`) or the future (`expires_at`).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable, Iterator, Sequence

# MAX_VALUE_CHARS is re-exported: the live sampler cuts values server-side to the same size
from connectors.extract.samples import MAX_VALUE_CHARS, column_samples  # noqa: F401
from scanner.models import Facts, Sample


_DATE_TYPE = re.compile(r"date|time", re.IGNORECASE)
_AGE_NAME = re.compile(
    r"created|updated|modified|inserted|login|last_?seen|timestamp|(^|_)(date|time)($|_)|_(at|on)$", re.IGNORECASE)
_AGE_CAMEL = re.compile(r"[a-z](At|Date|On|Time)$")  # CreatedAt, InvoiceDate
_NOT_AGE = re.compile(
    r"birth|dob|naiss|geburt|expir|valid|until|due|deadline|end_?date|next|scheduled|planned|echeance|required",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ColumnInfo:
    """A column as the catalog (or the dump's CREATE TABLE) declares it."""

    name: str
    declared_type: str | None = None


def is_age_column(column: ColumnInfo) -> bool:
    """Does this column date the record itself (creation, update, last use)?

    Date/timestamp types count unless the name says birth/expiry; text columns (SQLite keeps timestamps as
    TEXT) count when the name says so (`created_at`, `LastLogin`); their non-date values are ignored.
    """
    if _NOT_AGE.search(column.name):
        return False
    declared = (column.declared_type or "").lower()
    if "interval" in declared:
        return False
    if declared and _DATE_TYPE.search(declared):
        return True
    textual = not declared or any(t in declared for t in ("char", "text", "clob", "string"))
    return textual and bool(_AGE_NAME.search(column.name) or _AGE_CAMEL.search(column.name))


def as_utc(value: object) -> datetime | None:
    """A date/timestamp cell (object or ISO text) as an aware UTC datetime, None if it is not one."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) < 8 or not text[:4].isdigit() or text.startswith("0000"):
            return None
        try:
            dt = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
        except ValueError:
            try:
                dt = datetime.fromisoformat(text[:19])
            except ValueError:
                return None
    else:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def column_events(
    location: str,
    columns: Sequence[ColumnInfo],
    rows: Iterable[Sequence[object]],
    rows_estimate: int | None,
) -> Iterator[Sample]:
    """One sample per column of `rows` (already sampled, in column order), as for any other table."""
    yield from column_samples(location, [c.name for c in columns], rows,
                              declared_types=[c.declared_type for c in columns], rows_estimate=rows_estimate)


@dataclass
class Reservoir:
    """Seeded reservoir sample of rows streamed in table order (Vitter's algorithm L: one random draw per
    kept row, not per row seen, so skipping the rows the sample does not keep costs only a comparison).

    The live reader (for tables small enough to read whole) and the dump reader both use it with the same
    seed key, so a table and its dump give the same sampled rows when the rows come in the same order.
    """

    size: int
    seed_key: str
    rows: list = field(default_factory=list)
    seen: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed_key)
        self._w = 1.0
        self._next = 0

    def _advance(self) -> None:
        self._w *= math.exp(math.log(self._rng.random() or 1e-300) / self.size)
        gap = math.log(self._rng.random() or 1e-300) / math.log1p(-self._w) if self._w < 1.0 else 0.0
        self._next += int(gap) + 1

    def slot(self) -> int | None:
        """Count one more row; the index it should be stored at, or None if the sample skips it."""
        self.seen += 1
        if len(self.rows) < self.size:
            self.rows.append(None)
            if len(self.rows) == self.size:
                self._next = self.seen
                self._advance()
            return len(self.rows) - 1
        if self.seen < self._next or self.size == 0:
            return None
        self._advance()
        return self._rng.randrange(self.size)

    def add(self, row: object) -> None:
        i = self.slot()
        if i is not None:
            self.rows[i] = row


def seed_key(seed: int, qualified: str) -> str:
    return f"{seed}:{qualified}"


@dataclass
class DataAge:
    """Running min/max over the record-dating columns of one table."""

    oldest: datetime | None = None
    newest: datetime | None = None
    columns: tuple[str, ...] = ()
    _min_text: str | None = None
    _max_text: str | None = None

    def add_text(self, value: str | None) -> None:
        """ISO-looking text is compared as text (ISO dates sort as strings) and parsed once in `finish`."""
        if value is None:
            return
        if len(value) >= 10 and value[:4].isdigit() and value[4] in "-/" and not value.startswith("0000"):
            if self._min_text is None or value < self._min_text:
                self._min_text = value
            if self._max_text is None or value > self._max_text:
                self._max_text = value
        else:
            self.add(value)

    def finish(self) -> None:
        for text in (self._min_text, self._max_text):
            if text is not None:
                self.add(text)
        self._min_text = self._max_text = None

    def add(self, value: object) -> None:
        dt = as_utc(value)
        if dt is None:
            return
        if self.oldest is None or dt < self.oldest:
            self.oldest = dt
        if self.newest is None or dt > self.newest:
            self.newest = dt


def table_facts(
    *,
    rows_estimate: int | None,
    sampled_rows: int,
    age: DataAge,
    transport_encrypted: bool | None = None,
    sampling: str | None = None,
    data_age_basis: str | None = None,
    partial: bool | None = None,
) -> Facts:
    return Facts(
        data_oldest=age.oldest, data_newest=age.newest, transport_encrypted=transport_encrypted,
        rows_estimate=rows_estimate, sampled_rows=sampled_rows, sampling=sampling,
        data_age_basis=data_age_basis, data_age_columns=tuple(age.columns), partial=partial,
    )
