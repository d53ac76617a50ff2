"""Each gap rule on its own, on hand-built records: tables of (case, records, expected gaps, why)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from importlib.metadata import entry_points

import pytest
import report_estate as e
from report_estate import BUCKET, CRM, NOW, SHARE, finding, outcome

from reports import GapContext, GapSettings, SourceInfo
from reports.gaps import ENTRY_POINT_GROUP, GapRule, evaluate_rules, load_rules
from reports.gaps.categories import DeclaredNotFoundGapRule, SpecialCategoryGapRule, UndeclaredCategoryGapRule
from reports.gaps.minimisation import MinimisationGapRule
from reports.gaps.retention import RetentionGapRule, RetentionUndefinedGapRule
from reports.gaps.security import SecurityMeasureGapRule
from reports.gaps.transfer import TransferGapRule
from reports.sources import country_of, in_eu_eea
from scanner.models import Facts, Severity
from scanner.manifest import DeclaredCategory, PolicyManifest, TransferDeclaration

V = e.RAW_VALUES
F = SHARE + "/f.csv"
G = SHARE + "/g.csv"
H = SHARE + "/h.csv"


def run(rule: GapRule, outcomes=(), findings=(), manifest: PolicyManifest | None = None,
        sources=e.SOURCES, settings: GapSettings = e.SETTINGS) -> list[tuple]:
    ctx = GapContext(outcomes=list(outcomes), findings=list(findings), manifest=manifest or e.manifest(),
                     sources=sources, settings=settings, now=NOW)
    gaps = list(rule.evaluate(ctx))
    for g in gaps:  # invariants every rule keeps
        assert g.gap_kind == rule.kind and g.message.endswith(".") and g.recommendation
        assert len(g.example_locations) <= 5
    return [(g.severity.value, g.category, g.source, g.evidence_count) for g in gaps]


def email(loc: str = F, source: str = SHARE, n: int = 3):
    return finding(source, loc, "EMAIL_ADDRESS", V["EMAIL_ADDRESS"][:n], field="email")


def test_builtin_rules_register_through_entry_points() -> None:
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert names == {"undeclared_category", "special_category", "retention", "retention_undefined",
                     "security_measure", "transfer", "declared_not_found", "minimisation"}
    assert {r.kind for r in load_rules()} == names
    assert all(isinstance(r, GapRule) for r in load_rules())
    assert {r.evidence_unit for r in load_rules()} <= {"values", "items", "distinct_values", "none"}


# ---- undeclared_category ----
UNDECLARED = [
    ("declared parent covers child", [email()], []),
    ("national id undeclared is high", [finding(SHARE, F, "LU_NATIONAL_ID", V["LU_NATIONAL_ID"])],
     [("high", "user.government_id.national_identification_number", SHARE, 2)]),
    ("password category undeclared is high", [finding(SHARE, F, "PASSWORD", V["PASSWORD"])],
     [("high", "user.authorization.password", SHARE, 2)]),
    ("other undeclared is medium", [finding(SHARE, F, "IP_ADDRESS", ["10.1.2.3"])],
     [("medium", "user.device.ip_address", SHARE, 1)]),
    ("special categories are left to special_category", [finding(SHARE, F, "HEALTH", V["HEALTH"])], []),
    ("two sources: one gap, no single source",
     [finding(SHARE, F, "LU_NATIONAL_ID", V["LU_NATIONAL_ID"]), finding(CRM, CRM + "/t", "LU_NATIONAL_ID", V["LU_NATIONAL_ID"])],
     [("high", "user.government_id.national_identification_number", None, 4)]),
]


@pytest.mark.parametrize("case, findings, expected", UNDECLARED, ids=[c[0] for c in UNDECLARED])
def test_undeclared_category(case: str, findings, expected) -> None:
    assert run(UndeclaredCategoryGapRule(), findings=findings) == expected


def test_undeclared_category_examples_are_locations_never_values() -> None:
    ctx = GapContext(outcomes=[], findings=[finding(SHARE, F, "LU_NATIONAL_ID", V["LU_NATIONAL_ID"])],
                     manifest=e.manifest(), now=NOW)
    (gap,) = UndeclaredCategoryGapRule().evaluate(ctx)
    assert gap.example_locations == (F,)
    assert not any(v in gap.message for v in V["LU_NATIONAL_ID"])


# ---- special_category ----
HEALTH_DECLARED = replace(e.manifest(), categories=e.manifest().categories + (
    DeclaredCategory("user.health_and_medical", True, e.manifest().categories[0].evidence),))
SPECIAL = [
    ("undeclared health is high", [finding(SHARE, F, "HEALTH", V["HEALTH"])], None,
     [("high", "user.health_and_medical", SHARE, 2)], "undeclared"),
    ("declared health is still high", [finding(SHARE, F, "HEALTH", V["HEALTH"])], HEALTH_DECLARED,
     [("high", "user.health_and_medical", SHARE, 2)], "declared by the policy"),
    ("trade union is special by entity", [finding(SHARE, F, "TRADE_UNION", ["member of OGBL"])], None,
     [("high", "user.demographic", SHARE, 1)], "undeclared"),
    ("e-mail is not special", [email()], None, [], None),
]


@pytest.mark.parametrize("case, findings, manifest, expected, word", SPECIAL, ids=[c[0] for c in SPECIAL])
def test_special_category(case, findings, manifest, expected, word) -> None:
    assert run(SpecialCategoryGapRule(), findings=findings, manifest=manifest) == expected
    if word:
        ctx = GapContext(outcomes=[], findings=findings, manifest=manifest or e.manifest(), now=NOW)
        assert word in next(iter(SpecialCategoryGapRule().evaluate(ctx))).message


# ---- declared_not_found ----
DNF = [
    ("nothing found: every declared category, none of the undeclared", [],
     ["user.behavior.purchase_history", "user.contact", "user.content.private", "user.device.cookie_id",
      "user.financial", "user.name"]),
    ("a child finding covers its declared parent", [email(), finding(SHARE, F, "PERSON", V["PERSON"]),
                                                    finding(SHARE, F, "IBAN_CODE", V["IBAN_CODE"])],
     ["user.behavior.purchase_history", "user.content.private", "user.device.cookie_id"]),
]


@pytest.mark.parametrize("case, findings, expected", DNF, ids=[c[0] for c in DNF])
def test_declared_not_found(case, findings, expected) -> None:
    got = run(DeclaredNotFoundGapRule(), findings=findings)
    assert [g[1] for g in got] == expected and {g[0] for g in got} <= {"info"}


# ---- retention ----
OLD, YOUNG, ANCIENT = NOW - timedelta(days=2000), NOW - timedelta(days=100), NOW - timedelta(days=4000)
ORDERS = "ORDER_ID"  # user.behavior.purchase_history: declared with 10 years (3650 days)
RETENTION = [
    ("default exceeded, from modified", [outcome(SHARE, F, modified=OLD)], [email()], GapSettings(),
     [("low", "user.contact.email", SHARE, 1)]),
    ("default not exceeded", [outcome(SHARE, F, modified=YOUNG)], [email()], GapSettings(), []),
    ("data_oldest wins over a recent mtime", [outcome(SHARE, F, modified=YOUNG, facts=Facts(data_oldest=OLD))],
     [email()], GapSettings(), [("low", "user.contact.email", SHARE, 1)]),
    ("configurable default", [outcome(SHARE, F, modified=YOUNG)], [email()], GapSettings(retention_default_days=30),
     [("low", "user.contact.email", SHARE, 1)]),
    ("declared period exceeded is medium", [outcome(SHARE, F, modified=ANCIENT)],
     [finding(SHARE, F, ORDERS, ["ORD-1"])], GapSettings(), [("medium", "user.behavior.purchase_history", SHARE, 1)]),
    ("declared period longer than the default wins", [outcome(SHARE, F, modified=OLD)],
     [finding(SHARE, F, ORDERS, ["ORD-1"])], GapSettings(), []),
    ("special data raises severity", [outcome(SHARE, F, modified=OLD)], [finding(SHARE, F, "HEALTH", V["HEALTH"])],
     GapSettings(), [("medium", "user.health_and_medical", SHARE, 1)]),
    ("no date: not aged", [outcome(SHARE, F, modified=None)], [email()], GapSettings(), []),
    ("default: one gap per source for all its categories",
     [outcome(SHARE, F, modified=OLD), outcome(SHARE, G, modified=OLD), outcome(CRM, CRM + "/t", modified=OLD)],
     [email(F), finding(SHARE, G, "PHONE_NUMBER", V["PHONE_NUMBER"]), email(CRM + "/t", CRM)], GapSettings(),
     [("low", None, SHARE, 2), ("low", "user.contact.email", CRM, 1)]),
    ("naive datetimes are UTC", [outcome(SHARE, F, modified=OLD.replace(tzinfo=None))], [email()], GapSettings(),
     [("low", "user.contact.email", SHARE, 1)]),
]


@pytest.mark.parametrize("case, outcomes, findings, settings, expected", RETENTION, ids=[c[0] for c in RETENTION])
def test_retention(case, outcomes, findings, settings, expected) -> None:
    assert run(RetentionGapRule(), outcomes, findings, settings=settings) == expected


RETENTION_UNDEFINED = [
    ("one gap per family of data, counting items",
     [outcome(SHARE, F, modified=OLD), outcome(SHARE, G, modified=YOUNG)],
     [email(F), email(G), finding(SHARE, G, "PHONE_NUMBER", V["PHONE_NUMBER"])],
     [("low", "user.contact", None, 2)], "the oldest is 2,000 days old, the newest 100"),
    ("a declared period: no gap", [outcome(SHARE, F)], [finding(SHARE, F, ORDERS, ["ORD-1"])], [], None),
    ("undeclared data: grouped by family too", [outcome(SHARE, F)],
     [finding(SHARE, F, "LU_NATIONAL_ID", V["LU_NATIONAL_ID"])], [("low", "user.government_id", None, 1)],
     "user.government_id.national_identification_number"),
    ("not listed at all: grouped by family", [outcome(SHARE, F)],
     [finding(SHARE, F, "IP_ADDRESS", ["10.1.2.3"])], [("low", "user.device", None, 1)], None),
    ("age unknown is said so", [outcome(SHARE, F, modified=None)], [email()],
     [("low", "user.contact", None, 1)], "age is unknown"),
]


@pytest.mark.parametrize("case, outcomes, findings, expected, words", RETENTION_UNDEFINED,
                         ids=[c[0] for c in RETENTION_UNDEFINED])
def test_retention_undefined(case, outcomes, findings, expected, words) -> None:
    assert run(RetentionUndefinedGapRule(), outcomes, findings) == expected
    if words:
        ctx = GapContext(outcomes=outcomes, findings=findings, manifest=e.manifest(), now=NOW)
        assert words in next(iter(RetentionUndefinedGapRule().evaluate(ctx))).message


# ---- security_measure ----
TAR = SHARE + "/backup/db.tar.gz"
SECURITY = [
    ("world-readable file with findings", [outcome(SHARE, F, exposure="world_readable")], [email()],
     [("medium", "user.contact.email", SHARE, 1)], "access management"),
    ("world-readable without findings", [outcome(SHARE, F, exposure="world_readable")], [], [], None),
    ("SMB Everyone is high", [outcome(SHARE, F, exposure="smb_everyone")], [email()], [("high", "user.contact.email", SHARE, 1)],
     "shared with Everyone"),
    ("public bucket is high", [outcome(BUCKET, BUCKET + "/x.json", exposure="public_bucket")],
     [email(BUCKET + "/x.json", BUCKET)], [("high", "user.contact.email", BUCKET, 1)], "public bucket"),
    ("exposure inherited from the archive", [outcome(SHARE, TAR, exposure="world_readable"),
                                            outcome(SHARE, TAR + "!a.csv", kind="member", parent=TAR)],
     [email(TAR + "!a.csv")], [("medium", "user.contact.email", SHARE, 1), ("medium", "user.contact.email", SHARE, 1)], None),
    ("plaintext password", [outcome(SHARE, F)], [finding(SHARE, F, "PASSWORD", V["PASSWORD"])],
     [("high", "user.authorization.password", SHARE, 1)], "plaintext"),
    ("password hash is fine", [outcome(SHARE, F)], [finding(SHARE, F, "PASSWORD_HASH", ["$2b$12$abc"])], [], None),
    ("unencrypted archive member", [outcome(SHARE, TAR), outcome(SHARE, TAR + "!a.csv", kind="member", parent=TAR)],
     [email(TAR + "!a.csv")], [("medium", "user.contact.email", SHARE, 1)], "computer backups"),
    ("member of an encrypted archive", [outcome(SHARE, TAR, facts=Facts(encrypted=True)),
                                        outcome(SHARE, TAR + "!a.csv", kind="member", parent=TAR)],
     [email(TAR + "!a.csv")], [], None),
    ("plain .sql dump file", [outcome(SHARE, SHARE + "/dump.sql")], [email(SHARE + "/dump.sql")],
     [("medium", "user.contact.email", SHARE, 1)], "without encryption"),
    ("database without TLS", [outcome(CRM, CRM, kind="database", facts=Facts(transport_encrypted=False)),
                              outcome(CRM, CRM + "/main.t", kind="table", parent=CRM)],
     [email(CRM + "/main.t", CRM)], [("medium", "user.contact.email", CRM, 1)], "without TLS"),
    ("database with TLS", [outcome(CRM, CRM, kind="database", facts=Facts(transport_encrypted=True)),
                           outcome(CRM, CRM + "/main.t", kind="table", parent=CRM)],
     [email(CRM + "/main.t", CRM)], [], None),
]


@pytest.mark.parametrize("case, outcomes, findings, expected, words", SECURITY, ids=[c[0] for c in SECURITY])
def test_security_measure(case, outcomes, findings, expected, words) -> None:
    """A gap names the category when all its evidence is of one category (else None)."""
    got = run(SecurityMeasureGapRule(), outcomes, findings)
    assert sorted(got, key=str) == sorted(expected, key=str)
    if words:
        ctx = GapContext(outcomes=outcomes, findings=findings, manifest=e.manifest(), now=NOW)
        assert any(words in g.message for g in SecurityMeasureGapRule().evaluate(ctx))


def test_security_measure_quotes_the_promised_measure_or_says_none() -> None:
    outcomes, findings = [outcome(SHARE, F)], [finding(SHARE, F, "PASSWORD", V["PASSWORD"])]
    ctx = GapContext(outcomes=outcomes, findings=findings, manifest=e.manifest(), now=NOW)
    (gap,) = SecurityMeasureGapRule().evaluate(ctx)
    assert gap.policy_reference.quote == "Login / password"
    bare = GapContext(outcomes=outcomes, findings=findings, manifest=PolicyManifest(), now=NOW)
    (gap,) = SecurityMeasureGapRule().evaluate(bare)
    assert gap.policy_reference.quote is None and "promises no login/password" in gap.message


def test_security_measure_special_data_raises_severity() -> None:
    got = run(SecurityMeasureGapRule(), [outcome(SHARE, F, exposure="world_readable")],
              [finding(SHARE, F, "HEALTH", V["HEALTH"])])
    assert got == [("high", "user.health_and_medical", SHARE, 1)]


# ---- transfer ----
def transfers(allowed, safeguards=()) -> PolicyManifest:
    return replace(e.manifest(), transfers=TransferDeclaration(outside_eu_allowed=allowed, safeguards=safeguards))


US = (SourceInfo(BUCKET, "s3", "us-east-1"),)
TRANSFER = [
    ("outside EU, safeguards declared: low", US, transfers(True, ("standard_contractual_clauses",)), "low"),
    ("outside EU, allowed without safeguards: medium", US, transfers(True), "medium"),
    ("outside EU, not mentioned: high", US, transfers(None), "high"),
    ("outside EU, excluded: high", US, transfers(False), "high"),
    ("adequacy country lowers one level", (SourceInfo(BUCKET, "s3", "CH"),), transfers(None), "medium"),
    ("inside the EU: nothing", (SourceInfo(BUCKET, "s3", "eu-west-1"),), transfers(None), None),
    ("unknown region: not judged", (SourceInfo(BUCKET, "s3", None),), transfers(None), None),
]


@pytest.mark.parametrize("case, sources, manifest, severity", TRANSFER, ids=[c[0] for c in TRANSFER])
def test_transfer(case, sources, manifest, severity) -> None:
    got = run(TransferGapRule(), findings=[email(BUCKET + "/x.json", BUCKET)], manifest=manifest, sources=sources)
    assert got == ([] if severity is None else [(severity, "user.contact.email", BUCKET, 3)])


@pytest.mark.parametrize("region, country, inside", [
    ("LU", "LU", True), ("no", "NO", True), ("US", "US", False), ("eu-central-1", "DE", True),
    ("eu-west-2", "GB", False), ("europe-west1", "BE", True), ("westeurope", "NL", True),
    ("us-east-1", "US", False), ("mars-1", None, None), (None, None, None),
])
def test_regions(region, country, inside) -> None:
    assert country_of(region) == country and in_eu_eea(region) is inside


# ---- minimisation ----
MINIMISATION = [
    ("same values in three locations", [email(F), email(G), email(H)], 3, [("low", "user.contact.email", SHARE, 3)]),
    ("two locations are below the threshold", [email(F), email(G)], 3, []),
    ("threshold is configurable", [email(F), email(G)], 2, [("low", "user.contact.email", SHARE, 3)]),
    ("only the shared values count", [email(F, n=1), email(G, n=3), email(H, n=1)], 3,
     [("low", "user.contact.email", SHARE, 1)]),
    ("cities are not copies of a record", [finding(SHARE, loc, "CITY", ["Esch-sur-Alzette"]) for loc in (F, G, H)],
     3, []),
    ("special data always counts", [finding(SHARE, loc, "HEALTH", V["HEALTH"]) for loc in (F, G, H)], 3,
     [("medium", "user.health_and_medical", SHARE, 2)]),
    ("national ids copied are medium", [finding(SHARE, loc, "LU_NATIONAL_ID", V["LU_NATIONAL_ID"]) for loc in (F, G, H)],
     3, [("medium", "user.government_id.national_identification_number", SHARE, 2)]),
]


@pytest.mark.parametrize("case, findings, threshold, expected", MINIMISATION, ids=[c[0] for c in MINIMISATION])
def test_minimisation(case, findings, threshold, expected) -> None:
    settings = GapSettings(minimisation_locations=threshold)
    assert run(MinimisationGapRule(), findings=findings, settings=settings) == expected


# ---- all rules together on the planted estate ----
def test_planted_estate_yields_every_gap_kind() -> None:
    outcomes, findings = e.estate()
    ctx = GapContext(outcomes=outcomes, findings=findings, manifest=e.manifest(), sources=e.SOURCES,
                     settings=e.SETTINGS, now=NOW)
    gaps = evaluate_rules(ctx)
    assert {g.gap_kind for g in gaps} == {r.kind for r in load_rules()}
    assert [g.severity.rank for g in gaps] == sorted((g.severity.rank for g in gaps), reverse=True)
    assert all(g.severity is Severity.HIGH for g in gaps if g.gap_kind == "special_category")


def test_retention_undefined_quotes_the_policy_for_a_child_entry() -> None:
    """user.device is not listed, user.device.cookie_id is: the family gap quotes the child's evidence."""
    ctx = GapContext(outcomes=[outcome(SHARE, F)], findings=[finding(SHARE, F, "COOKIE_ID", ["c-123456"])],
                     manifest=e.manifest(), now=NOW)
    (gap,) = RetentionUndefinedGapRule().evaluate(ctx)
    assert gap.category == "user.device" and gap.policy_reference.quote == "using various technologies, such as cookies"


def test_security_measure_falls_back_to_a_broader_promise() -> None:
    from scanner.manifest import Evidence, SecurityMeasure

    only_encryption = PolicyManifest(security_measures=(SecurityMeasure("encryption", (Evidence("We encrypt data."),)),))
    ctx = GapContext(outcomes=[outcome(SHARE, SHARE + "/dump.sql")], findings=[email(SHARE + "/dump.sql")],
                     manifest=only_encryption, now=NOW)
    (gap,) = SecurityMeasureGapRule().evaluate(ctx)
    assert gap.policy_reference.quote == "We encrypt data." and "promises encryption" in gap.message


def test_transfer_uses_the_region_a_connector_reports_for_an_item() -> None:
    """A table in a source configured in LU, which the connector says lives in us-west-2."""
    told = outcome(CRM, CRM + "/main.t", kind="table", facts=Facts(region="us-west-2"))
    got = run(TransferGapRule(), outcomes=[told], findings=[email(CRM + "/main.t", CRM)], manifest=transfers(None))
    assert got == [("high", "user.contact.email", CRM, 3)]
    assert run(TransferGapRule(), outcomes=[outcome(CRM, CRM + "/main.t")], findings=[email(CRM + "/main.t", CRM)],
               manifest=transfers(None)) == []
