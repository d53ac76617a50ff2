"""The demo estate's CRM database and its 2019 backup dump: plaintext passwords, matricules and salaries are
found per column with explanations, live and in the dump."""

from __future__ import annotations

from pathlib import Path

import pytest

from scan_helpers import extract_file, scan_uri, table_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_estate(tmp_path_factory) -> Path:
    from scanner.demo.estate import generate_demo_estate

    root = tmp_path_factory.mktemp("demo")
    generate_demo_estate(root)
    return root


def _findings(samples, detector):
    return {(table_of(f.location), f.field, f.entity): f for f in detector.detect(samples, "demo")}


@pytest.mark.parametrize("table, column, entity, not_entity", [
    ("app_users", "password", "PASSWORD", "PASSWORD_HASH"),  # plaintext, not hashed
    ("employees", "matricule", "LU_NATIONAL_ID", None),
    ("employees", "salary_monthly_eur", "SALARY", None),
])
def test_demo_crm_live_and_backup_dump(demo_estate, detector, table, column, entity, not_entity):
    crm = next(demo_estate.rglob("crm.sqlite"))
    _, live_samples, _ = scan_uri(f"sqlite:///{crm}")
    live = _findings(live_samples, detector)
    finding = live[(table, column, entity)]
    assert finding.explanation and finding.count > 0
    assert (table, column, not_entity) not in live
    backup = next(demo_estate.rglob("crm-2019.tar.gz"))
    dump_samples, outcomes = extract_file(backup)
    assert any(o.item.kind == "dump_table" and o.item.location.endswith(f"!crm.sql/main.{table}") for o in outcomes)
    assert (table, column, entity) in _findings(dump_samples, detector)


def test_demo_crm_data_age_facts(demo_estate):
    crm = next(demo_estate.rglob("crm.sqlite"))
    _, _, outcomes = scan_uri(f"sqlite:///{crm}")
    facts = {table_of(o.item.location): o.facts for o in outcomes}
    assert facts["customers"].data_oldest is not None
    assert facts["customers"].data_oldest < facts["customers"].data_newest
    assert "birth_date" not in facts["employees"].data_age_columns
