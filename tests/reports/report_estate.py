"""Hand-built records for the report tests: a tiny estate with one planted case of every gap kind.

Findings are built the way the detector builds them, through `detectors.fingerprint.mask` and
`fingerprint`, from raw values listed in RAW_VALUES, so the no-leak test can look for each of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from detectors.fingerprint import fingerprint, mask
from detectors.taxonomy import category_for
from scanner.categories import is_special_entity
from scanner.models import Facts, Finding, Item, ItemOutcome, Status
from scanner.manifest import (DeclaredCategory, Evidence, PolicyManifest, SecurityMeasure,
                                     TransferDeclaration)

from reports import GapSettings, SourceInfo

KEY = b"report-test-key"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
SHARE = "/srv/share"
CRM = "sqlite:///srv/crm.db"
BUCKET = "s3://acme-us-exports/crm"
HOSTILE_FILE = SHARE + "/exports/<script>alert(1)</script>.csv"
HOSTILE_COLUMN = '"><img src=x onerror="document.title=\'pwned\'">'
HOSTILE_MEMBER = SHARE + "/exports/old.zip!<script>document.title='pwned'</script>.csv"
HOSTILE_REASON = "<img src=x onerror=\"document.title='pwned'\"> could not be parsed"

RAW_VALUES = {
    "EMAIL_ADDRESS": ["jean.muller@example.lu", "anna.schmit@post.lu", "paul.weber@pt.lu"],
    "PHONE_NUMBER": ["+352 621 123 456", "+352 691 987 654"],
    "LU_NATIONAL_ID": ["1985031212345", "1990071554321"],
    "HEALTH": ["diagnosed with chronic migraine", "sick leave burnout"],
    "PASSWORD": ["Hunter2Secret!", "correcthorsebattery"],
    "PERSON": ["Jean Muller", "Anna Schmit"],
    "IBAN_CODE": ["LU28 0019 4006 4475 0000"],
}


def finding(source: str, location: str, entity: str, values: list[str], field: str | None = None,
            score: float = 0.9) -> Finding:
    fps = tuple(sorted({fingerprint(v, entity, KEY) for v in values}))
    category = category_for(entity)
    return Finding(source=source, location=location, field=field, entity=entity, category=category,
                   special=is_special_entity(entity, category),
                   count=len(values), score=score, masked_example=mask(values[0], entity),
                   fingerprint=fingerprint(values[0], entity, KEY), distinct_count=len(fps), fingerprints=fps,
                   recognizer=f"{entity.title()}Recognizer", explanation=None, language="en")


def outcome(source: str, location: str, kind: str = "file", status: Status = Status.SCANNED,
            reason: str | None = None, facts: Facts | None = None, **item: Any) -> ItemOutcome:
    item.setdefault("modified", NOW - timedelta(days=30))
    return ItemOutcome(Item(source=source, location=location, kind=kind, **item), status, reason,
                       facts or Facts())


def manifest() -> PolicyManifest:
    ev = lambda q, s="THE PERSONAL INFORMATION WE COLLECT": (Evidence(quote=q, section=s),)  # noqa: E731
    orders = "We may need to collect your personal information for a variety of purposes : processing your orders"
    return PolicyManifest(
        title="Test policy", language="en", source_digest="0" * 64,
        categories=(
            DeclaredCategory("user.contact", True, ev(orders)),
            DeclaredCategory("user.name", True, ev(orders)),
            DeclaredCategory("user.behavior.purchase_history", True, ev(orders), retention="10 years",
                             retention_days=3650),
            DeclaredCategory("user.device.cookie_id", True, ev("using various technologies, such as cookies")),
            DeclaredCategory("user.financial", True, ev("Manage disputes and collect debts")),
            DeclaredCategory("user.content.private", True, ev("job applications")),
            DeclaredCategory("user.government_id", False, (), rationale="nothing in the policy declares it"),
            DeclaredCategory("user.health_and_medical", False, (), rationale="special category, not declared"),
        ),
        security_measures=(
            SecurityMeasure("tls", ev("SSL (Secure Sockets Layer) protocol", "HOW DO WE PROTECT YOUR PERSONAL DATA ?")),
            SecurityMeasure("access_management", ev("Access management - authorized person",
                                                    "HOW DO WE PROTECT YOUR PERSONAL DATA ?")),
            SecurityMeasure("authentication", ev("Login / password", "HOW DO WE PROTECT YOUR PERSONAL DATA ?")),
            SecurityMeasure("backups", ev("Computer backup", "HOW DO WE PROTECT YOUR PERSONAL DATA ?")),
        ),
        transfers=TransferDeclaration(outside_eu_allowed=True, safeguards=("standard_contractual_clauses",),
                                      evidence=ev("may be located inside or outside the European Union",
                                                  "TRANSFER OF DATA OUTSIDE THE EUROPEAN UNION")),
        data_subjects=("customers", "job applicants"),
    )


SOURCES = (SourceInfo(SHARE, "file", "LU"), SourceInfo(CRM, "sqlite", "LU"),
           SourceInfo(BUCKET, "s3", "us-east-1"))
SETTINGS = GapSettings(retention_default_days=1825, minimisation_locations=3)
META = {"tool_version": "0.1.0-test", "started_at": (NOW - timedelta(minutes=3)).isoformat(),
        "finished_at": NOW.isoformat(), "duration_s": 180.0, "config_digest": "abc123", "engine": "local",
        "workers": 2, "limits": {"bytes_per_file": 2097152, "rows_per_table": 200, "seed": 1234},
        "recognizers": ["EmailRecognizer", "LuMatriculeRecognizer"], "counts": {"listed": 12}}


def estate() -> tuple[list[ItemOutcome], list[Finding]]:
    """Outcomes and findings that plant every gap kind once (see the test table in test_gap_rules)."""
    v = RAW_VALUES
    old = NOW - timedelta(days=4000)
    outcomes = [
        outcome(SHARE, SHARE + "/hr/matricules.xlsx", size_bytes=8000, owner="hr"),
        outcome(SHARE, SHARE + "/hr/sick-leave.docx", size_bytes=9000, exposure="world_readable"),
        outcome(SHARE, SHARE + "/archive/customers-2012.csv", size_bytes=4000, modified=old),
        outcome(SHARE, HOSTILE_FILE, size_bytes=100),
        outcome(SHARE, SHARE + "/backup/crm.tar.gz", kind="file", size_bytes=50000, media_type="application/gzip"),
        outcome(SHARE, SHARE + "/backup/crm.tar.gz!crm.sql", kind="member", parent=SHARE + "/backup/crm.tar.gz",
                depth=1),
        outcome(SHARE, SHARE + "/backup/crm.tar.gz!crm.sql!public.users", kind="dump_table",
                parent=SHARE + "/backup/crm.tar.gz!crm.sql", depth=2),
        outcome(SHARE, SHARE + "/photos/team.jpg", status=Status.SKIPPED, reason="media type image/jpeg is skipped"),
        outcome(SHARE, SHARE + "/broken.pdf", status=Status.ERROR, reason="corrupt PDF (xref table missing)"),
        outcome(SHARE, SHARE + "/exports/old.zip", size_bytes=900, facts=Facts(encrypted=True)),
        outcome(SHARE, HOSTILE_MEMBER, kind="member", parent=SHARE + "/exports/old.zip", depth=1,
                status=Status.ERROR, reason=HOSTILE_REASON),
        outcome(CRM, CRM, kind="database", facts=Facts(transport_encrypted=False)),
        outcome(CRM, CRM + "/main.customers", kind="table", parent=CRM,
                facts=Facts(transport_encrypted=False, rows_estimate=1200, sampled_rows=200,
                            data_oldest=NOW - timedelta(days=100))),
        outcome(CRM, CRM + "/main.orders", kind="table", parent=CRM,
                facts=Facts(rows_estimate=5000, sampled_rows=200, data_oldest=NOW - timedelta(days=4100))),
        outcome(BUCKET, BUCKET + "/export.json", size_bytes=3000, exposure="public_bucket"),
    ]
    findings = [
        finding(SHARE, SHARE + "/hr/matricules.xlsx", "LU_NATIONAL_ID", v["LU_NATIONAL_ID"], field="Sheet1"),
        finding(SHARE, SHARE + "/hr/matricules.xlsx", "PERSON", v["PERSON"], field="Sheet1"),
        finding(SHARE, SHARE + "/hr/sick-leave.docx", "HEALTH", v["HEALTH"], score=0.7),
        finding(SHARE, SHARE + "/archive/customers-2012.csv", "EMAIL_ADDRESS", v["EMAIL_ADDRESS"], field="email"),
        finding(SHARE, HOSTILE_FILE, "EMAIL_ADDRESS", v["EMAIL_ADDRESS"][:1], field=HOSTILE_COLUMN),
        finding(SHARE, SHARE + "/backup/crm.tar.gz!crm.sql!public.users", "EMAIL_ADDRESS", v["EMAIL_ADDRESS"],
                field="email"),
        finding(SHARE, SHARE + "/backup/crm.tar.gz!crm.sql!public.users", "PASSWORD", v["PASSWORD"],
                field="password"),
        finding(CRM, CRM + "/main.customers", "EMAIL_ADDRESS", v["EMAIL_ADDRESS"], field="email"),
        finding(CRM, CRM + "/main.customers", "PHONE_NUMBER", v["PHONE_NUMBER"], field="phone"),
        finding(CRM, CRM + "/main.orders", "IBAN_CODE", v["IBAN_CODE"], field="iban"),
        finding(BUCKET, BUCKET + "/export.json", "EMAIL_ADDRESS", v["EMAIL_ADDRESS"][:2], field="contact.email"),
    ]
    return outcomes, findings
