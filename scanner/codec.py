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


def _hook(obj: dict[str, Any]) -> Any:
    if set(obj) == {"$dt"}:
        return datetime.fromisoformat(obj["$dt"])
    return obj


def dumps(result: ItemResult) -> str:
    return json.dumps(asdict(result), default=_default, separators=(",", ":"), sort_keys=True)


def _item(d: dict[str, Any]) -> Item:
    return Item(**d)


_FACT_FIELDS = {f.name for f in fields(Facts)}


def _facts(d: dict[str, Any]) -> Facts:
    """Stored facts; those stored before the typed fields kept some in an `extra` dict (now fields or dropped)."""
    told = {**{k: v for k, v in (d.get("extra") or {}).items() if k in _FACT_FIELDS}, **d}
    told = {k: v for k, v in told.items() if k in _FACT_FIELDS}
    return Facts(**{**told, "data_age_columns": tuple(told.get("data_age_columns") or ())})


def _outcome(d: dict[str, Any]) -> ItemOutcome:
    return ItemOutcome(item=_item(d["item"]), status=Status(d["status"]), reason=d.get("reason"),
                       facts=_facts(d["facts"]))


def _finding(d: dict[str, Any]) -> Finding:
    """A stored finding; results stored before `special` was a field get it from the core vocabulary."""
    special = d.get("special")
    if special is None:
        special = is_special_entity(d["entity"], d["category"])
    return Finding(**{**d, "fingerprints": tuple(d["fingerprints"]), "special": bool(special)})


def loads(text: str) -> ItemResult:
    d = json.loads(text, object_hook=_hook)
    findings = tuple(_finding(f) for f in d["findings"])
    return ItemResult(outcomes=tuple(_outcome(o) for o in d["outcomes"]), findings=findings)
