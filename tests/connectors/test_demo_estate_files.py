"""The demo estate through the file connector alone: every file and member is read without an error, the
backups' members carry their provenance, and the one world-readable file carries its exposure."""

from __future__ import annotations

import pytest

from connector_helpers import scan
from scanner.limits import Limits

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory):
    from scanner.demo.estate import generate_demo_estate

    root = tmp_path_factory.mktemp("demo") / "estate"
    generate_demo_estate(root)
    return root, scan(str(root), Limits())


def test_every_demo_file_and_member_is_read(demo_scan):
    _root, rec = demo_scan
    problems = {loc: row for loc, row in rec.rows.items() if row[0] != "scanned"}
    assert not problems
    assert len(rec.rows) > 30


def test_backup_members_have_provenance(demo_scan):
    root, rec = demo_scan
    prefix = root.as_uri()
    members = {loc[len(prefix) + 1:] for loc in rec.rows if "!" in loc}
    assert "backups/crm-2019.tar.gz!crm.sql" in members
    assert any(m.startswith("backups/old-documents.zip!old-documents/CV_") and m.endswith(".docx") for m in members)
    dump = rec.outcomes[f"{prefix}/backups/crm-2019.tar.gz!crm.sql"].item
    assert dump.kind == "member" and dump.parent == f"{prefix}/backups/crm-2019.tar.gz"


def test_only_the_staff_directory_is_exposed(demo_scan):
    root, rec = demo_scan
    exposed = {loc[len(root.as_uri()) + 1:]: item.exposure for loc, item in rec.items.items() if item.exposure}
    assert exposed == {"share/public/staff-directory.csv": "world_readable"}
