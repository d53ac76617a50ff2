"""Security-measure gap rule: personal data where the measures the policy promises are visibly absent.

Four checks, each quoting the manifest measure it contradicts:
- exposure (access_management): items with findings readable by everyone (POSIX o+r, SMB Everyone,
  public bucket), directly or through the archive that contains them;
- plaintext passwords (authentication): PASSWORD findings (hashes are PASSWORD_HASH and not counted);
- unencrypted backups (backups): archive members, dump tables or SQL dumps with findings that are not
  encrypted themselves nor inside an encrypted archive;
- transport (tls): items with findings read over a connection without TLS (`transport_encrypted` False
  on the item or the database that contains it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from scanner.models import (EXPOSURE_PUBLIC_BUCKET, EXPOSURE_SMB_EVERYONE, EXPOSURE_WORLD_READABLE, Finding, Gap,
                            ItemOutcome, PolicyReference, Severity)

from reports.gaps.base import MEASURE_NAMES, GapContext, examples, plural, promised_measure, raise_one

EXPOSURE_TEXT = {
    EXPOSURE_WORLD_READABLE: ("readable by every local user (file mode o+r)", Severity.MEDIUM),
    EXPOSURE_SMB_EVERYONE: ("shared with Everyone on the file share", Severity.HIGH),
    EXPOSURE_PUBLIC_BUCKET: ("readable anonymously in a public bucket", Severity.HIGH),
}
DUMP_SUFFIXES = (".sql", ".sql.gz", ".sql.bz2", ".sql.xz", ".sql.zst", ".dump", ".bak")
BACKUP_KINDS = ("member", "dump_table")


@dataclass(frozen=True)
class _Check:
    name: str
    measure: str
    severity: Severity
    what: str
    recommendation: str


def _is_dump(location: str) -> bool:
    return location.lower().endswith(DUMP_SUFFIXES)


class SecurityMeasureGapRule:
    kind = "security_measure"
    evidence_unit = "items"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        groups: dict[tuple[str, str], tuple[_Check, list[str], list[Finding]]] = {}

        def add(check: _Check, source: str, location: str, findings: Iterable[Finding]) -> None:
            entry = groups.setdefault((check.name, source), (check, [], []))
            entry[1].append(location)
            entry[2].extend(findings)

        for location, findings in sorted(ctx.findings_by_location.items()):
            source = findings[0].source
            outcome = ctx.outcome_by_location.get(location)
            chain: list[ItemOutcome] = [outcome, *ctx.ancestors(location)] if outcome else []
            exposure = next((o.item.exposure for o in chain if o.item.exposure in EXPOSURE_TEXT), None)
            if exposure:
                text, severity = EXPOSURE_TEXT[exposure]
                add(_Check(f"exposure:{exposure}", "access_management", severity, text,
                           "Restrict access to the people who need it and remove the everyone/public grant."),
                    source, location, findings)
            passwords = [f for f in findings if f.entity == "PASSWORD"]
            if passwords:
                add(_Check("plaintext_password", "authentication", Severity.HIGH, "passwords stored in plaintext",
                           "Store only salted password hashes (bcrypt, scrypt, Argon2) and reset the exposed passwords."),
                    source, location, passwords)
            if chain and self._unencrypted_backup(chain):
                add(_Check("unencrypted_backup", "backups", Severity.MEDIUM,
                           "backups or dumps stored without encryption",
                           "Encrypt backups and dumps at rest and restrict who can read them."),
                    source, location, findings)
            if any(o.facts.transport_encrypted is False for o in chain):
                add(_Check("no_tls", "tls", Severity.MEDIUM, "read over a database connection without TLS",
                           "Require TLS on the database server and in every client connection string."),
                    source, location, findings)

        for (_name, source), (check, locations, findings) in sorted(groups.items()):
            yield self._gap(ctx, check, source, locations, findings)

    @staticmethod
    def _unencrypted_backup(chain: list[ItemOutcome]) -> bool:
        item = chain[0].item
        backup = item.kind in BACKUP_KINDS or any(_is_dump(o.item.location) for o in chain)
        return backup and not any(o.facts.encrypted is True for o in chain)

    def _gap(self, ctx: GapContext, check: _Check, source: str, locations: list[str],
             findings: list[Finding]) -> Gap:
        severity = check.severity
        if any(f.special for f in findings):
            severity = raise_one(severity)
        promised = promised_measure(ctx.manifest, check.measure)
        kind, ref = promised if promised is not None else (check.measure, None)
        name = MEASURE_NAMES.get(kind, kind.replace("_", " "))
        promise = f"the policy promises {name}" if ref is not None else f"the policy promises no {name}"
        categories = sorted({f.category for f in findings})
        shown = ", ".join(categories[:3]) + (f" and {len(categories) - 3} more" if len(categories) > 3 else "")
        return Gap(
            gap_kind=self.kind, severity=severity,
            category=categories[0] if len(categories) == 1 else None,
            policy_reference=ref or PolicyReference(None, None),
            evidence_count=len(set(locations)), example_locations=examples(locations),
            message=(f"{plural(len(set(locations)), 'item')} with personal data ({shown}): {check.what}, "
                     f"although {promise}."),
            recommendation=check.recommendation, source=source,
        )
