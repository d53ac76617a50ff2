"""JSON round-trip for ItemResult, so the state store never unpickles anything it reads from disk."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from scanner.categories import is_special_entity
from scanner.models import Facts, Finding, Item, ItemOutcome, ItemResult, Status


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _dt(value: Any) -> Any:
    """A stored datetime (`{"$dt": iso}`) back; anything else as it is."""
    return datetime.fromisoformat(value["$dt"]) if isinstance(value, dict) and "$dt" in value else value


def _nested(value: Any) -> Any:
    """Datetimes anywhere inside a free-form mapping (`Item.meta`)."""
    if isinstance(value, dict):
        return _dt(value) if set(value) == {"$dt"} else {k: _nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nested(v) for v in value]
    return value


def dumps(result: ItemResult) -> str:
    return json.dumps(asdict(result), default=_default, separators=(",", ":"), sort_keys=True)


def _item(d: dict[str, Any]) -> Item:
    d["modified"] = _dt(d.get("modified"))
    meta = d.get("meta")
    if meta and any(isinstance(v, (dict, list)) for v in meta.values()):
        d["meta"] = _nested(meta)
    return Item(**d)


_FACT_FIELDS = {f.name for f in fields(Facts)}


def _facts(d: dict[str, Any], change: str | None = None) -> Facts:
    """Stored facts; those stored before the typed fields kept some in an `extra` dict (now fields or dropped)."""
    if "extra" in d or not _FACT_FIELDS.issuperset(d):
        d = {**{k: v for k, v in (d.get("extra") or {}).items() if k in _FACT_FIELDS}, **d}
        d = {k: v for k, v in d.items() if k in _FACT_FIELDS}
    d["data_age_columns"] = tuple(d.get("data_age_columns") or ())
    d["data_oldest"], d["data_newest"] = _dt(d.get("data_oldest")), _dt(d.get("data_newest"))
    if change is not None:
        d["change"] = change
    return Facts(**d)


def _outcome(d: dict[str, Any], change: str | None = None, carried: bool = False) -> ItemOutcome:
    status = Status(d["status"])
    if carried and status is Status.SCANNED:
        status = Status.UNCHANGED
    return ItemOutcome(item=_item(d["item"]), status=status, reason=d.get("reason"), facts=_facts(d["facts"], change))


def _finding(d: dict[str, Any]) -> Finding:
    """A stored finding; results stored before `special` was a field get it from the core vocabulary."""
    special = d.get("special")
    if special is None:
        special = is_special_entity(d["entity"], d["category"])
    d["fingerprints"], d["special"] = tuple(d["fingerprints"]), bool(special)
    return Finding(**d)


def loads(text: str, *, change: str | None = None, carried: bool = False) -> ItemResult:
    """A stored result back. `change` (since the previous run) is set in every outcome's facts; `carried`
    reports `scanned` outcomes as `unchanged` (the state store's view of a carried-over item). Every record
    is built once, without a JSON object hook: this runs for every item of every rescan."""
    d = json.loads(text)
    findings = tuple(_finding(f) for f in d["findings"])
    return ItemResult(outcomes=tuple(_outcome(o, change, carried) for o in d["outcomes"]), findings=findings)
