"""The policy manifest: what a privacy policy declares, as a reviewable, editable YAML document.

Pure data plus YAML round-trip; imports nothing else from policyscan except `scanner.models`, so
reports and gap rules can read it. Every declared item carries the exact sentence of the policy that
justifies it (`Evidence.quote`) and its section heading, so a compliance officer can check each line.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Evidence:
    quote: str  # exact sentence from the policy
    section: str | None = None


@dataclass(frozen=True)
class DeclaredCategory:
    key: str  # fideslang data-category key, e.g. user.contact.email
    declared: bool
    evidence: tuple[Evidence, ...] = ()
    purposes: tuple[str, ...] = ()
    retention: str | None = None  # as written ("10 years", "P3Y"); None = not set by the policy
    retention_days: int | None = None
    rationale: str | None = None  # which inference rule declared it (or why it is listed as not declared)


@dataclass(frozen=True)
class SecurityMeasure:
    kind: str  # tls, access_management, authentication, backups, firewall, network_monitoring, encryption, certificates, training
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class TransferDeclaration:
    outside_eu_allowed: bool | None = None  # None: the policy does not say
    safeguards: tuple[str, ...] = ()  # e.g. standard_contractual_clauses, adequacy_decision
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class PolicyManifest:
    title: str | None = None
    language: str | None = None
    source_digest: str | None = None  # sha256 of the policy text it was extracted from
    version: int = MANIFEST_VERSION
    categories: tuple[DeclaredCategory, ...] = ()
    security_measures: tuple[SecurityMeasure, ...] = ()
    transfers: TransferDeclaration = field(default_factory=TransferDeclaration)
    data_subjects: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()

    def declared_keys(self) -> set[str]:
        return {c.key for c in self.categories if c.declared}

    def declares(self, category: str) -> bool:
        """True when the category or one of its parents (or children) is declared.

        A parent declaration covers its children (`user.contact` covers `user.contact.email`); a child
        declaration covers finding the parent key only when the detector could not be more precise.
        """
        for key in self.declared_keys():
            if category == key or category.startswith(key + ".") or key.startswith(category + "."):
                return True
        return False

    def category(self, key: str) -> DeclaredCategory | None:
        """The manifest entry covering `key`, most specific first."""
        best: DeclaredCategory | None = None
        for c in self.categories:
            if key == c.key or key.startswith(c.key + "."):
                if best is None or len(c.key) > len(best.key):
                    best = c
        return best

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.to_yaml().encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=110)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PolicyManifest":
        def ev(items: Any) -> tuple[Evidence, ...]:
            return tuple(Evidence(quote=str(e.get("quote", "")), section=e.get("section")) for e in (items or []))

        cats = tuple(
            DeclaredCategory(
                key=str(c["key"]), declared=bool(c.get("declared", True)), evidence=ev(c.get("evidence")),
                purposes=tuple(c.get("purposes") or ()), retention=c.get("retention"),
                retention_days=c.get("retention_days"), rationale=c.get("rationale"),
            )
            for c in (data.get("categories") or [])
        )
        measures = tuple(
            SecurityMeasure(kind=str(m["kind"]), evidence=ev(m.get("evidence")))
            for m in (data.get("security_measures") or [])
        )
        t = data.get("transfers") or {}
        transfers = TransferDeclaration(
            outside_eu_allowed=t.get("outside_eu_allowed"), safeguards=tuple(t.get("safeguards") or ()),
            evidence=ev(t.get("evidence")),
        )
        return cls(
            title=data.get("title"), language=data.get("language"), source_digest=data.get("source_digest"),
            version=int(data.get("version", MANIFEST_VERSION)), categories=cats, security_measures=measures,
            transfers=transfers, data_subjects=tuple(data.get("data_subjects") or ()),
            purposes=tuple(data.get("purposes") or ()),
        )

    @classmethod
    def from_yaml(cls, text: str) -> "PolicyManifest":
        return cls.from_dict(yaml.safe_load(text) or {})

    @classmethod
    def load(cls, path: Path) -> "PolicyManifest":
        return cls.from_yaml(Path(path).read_text(encoding="utf-8"))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
