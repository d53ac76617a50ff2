"""A Python API for analysts: one scan's output folder as pandas DataFrames.

    from scanner import open_scan
    scan = open_scan("out/nightly")
    scan.gaps[scan.gaps.decision.isna()]        # what nobody has triaged yet
    scan.locate(["jean.dupont@example.lu"])     # where one person's data lives

Reads only the files a scan wrote (Parquet, scan.json); tables load on first use and are cached. Like
the files, the frames hold masked examples and keyed fingerprints, never a raw value.
"""

from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pyarrow.parquet as pq

from scanner.config import fingerprint_key
from scanner.errors import ConfigError
from scanner.locate import KINDS, Answer, Query, check_key, guess_kinds, locate

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_KEY_ENV = "POLICYSCAN_HMAC_KEY"


def _output_table(name: str) -> "cached_property[pd.DataFrame]":
    """A `ScanOutput` attribute holding `<name>.parquet` as a DataFrame, read on first use."""

    def read(self: "ScanOutput") -> "pd.DataFrame":
        return self.table(name)

    read.__doc__ = f"`{name}.parquet` as a DataFrame (read on first use, then cached)."
    return cached_property(read)


class ScanOutput:
    """One output folder. `findings`, `inventory`, `gaps`, `columns`, `categories` are DataFrames."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not (self.path / "scan.json").is_file() or not (self.path / "findings.parquet").is_file():
            raise ConfigError(f"{self.path} holds no scan.json and findings.parquet: not a policyscan output folder")

    def __repr__(self) -> str:
        return f"ScanOutput({str(self.path)!r})"

    @cached_property
    def summary(self) -> dict[str, Any]:
        """scan.json: how the scan was made, counts, policy, decisions and changes."""
        return json.loads((self.path / "scan.json").read_text(encoding="utf-8"))

    def table(self, name: str) -> "pd.DataFrame":
        """Any Parquet output by name (`findings`, `inventory`, `gaps`, `columns`, `categories`)."""
        file = self.path / f"{name}.parquet"
        if not file.is_file():
            raise ConfigError(f"{self.path} has no {name}.parquet")
        return pq.read_table(file).to_pandas(types_mapper=_nullable)

    findings = _output_table("findings")
    inventory = _output_table("inventory")
    gaps = _output_table("gaps")
    columns = _output_table("columns")
    categories = _output_table("categories")

    def answers(self, values: Iterable[str | Query], kind: str = "auto", *,
                key: bytes | None = None, key_env: str = DEFAULT_KEY_ENV) -> list[Answer]:
        """`locate` as records: one `Answer` per value (see `scanner.locate`). Raises `KeyMismatch`
        when the key (given, or from `key_env` / the machine's key file) is not the scan's."""
        key = key if key is not None else fingerprint_key(key_env, create=False)
        check_key(key, self.summary)
        countries = tuple((self.summary.get("detection") or {}).get("countries") or ())
        queries = [v if isinstance(v, Query) else make_query(v, kind, countries) for v in values]
        cap = (self.summary.get("limits") or {}).get("fingerprints_per_finding")
        return locate(pq.read_table(self.path / "findings.parquet"), queries, key,
                      cap=int(cap) if cap else None, countries=countries)

    def locate(self, values: Iterable[str], kind: str = "auto", **kwargs: Any) -> "pd.DataFrame":
        """Every place each value was found: one row per (value, location, field, entity), with
        `status` `found`, `possible` (a capped finding that may hold it) or `not_found`."""
        from scanner.locate import answers_table

        return answers_table(self.answers(values, kind, **kwargs)).to_pandas()


def make_query(value: str, kind: str = "auto", countries: Sequence[str] = (), label: str | None = None) -> Query:
    if kind == "auto":
        return Query(value, guess_kinds(value, countries), label)
    if kind not in KINDS:
        raise ConfigError(f"unknown value type {kind!r} (one of {', '.join(KINDS)}, auto)")
    return Query(value, (kind,), label)


def open_scan(path: str | os.PathLike[str]) -> ScanOutput:
    """Open a scan's output folder (what `policyscan scan --out` wrote)."""
    return ScanOutput(path)


def _nullable(arrow_type: Any) -> Any:
    """Nullable pandas dtypes for integers and booleans, so a null count stays null rather than NaN."""
    import pandas as pd
    import pyarrow as pa

    mapping: Mapping[Any, Any] = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int32Dtype(),
                                  pa.bool_(): pd.BooleanDtype()}
    return mapping.get(arrow_type)
