"""Items whose content could not be read are "not verified": counted in scan.json and the report's verdict,
labelled in every item row, and never presented as free of personal data."""

from __future__ import annotations

import json
import re

import report_estate as e

import reports
from scanner.models import NOT_VERIFIED, Status


def test_not_verified_items_are_counted_and_labelled(tmp_path):
    outcomes, findings = e.estate()
    expected = sum(1 for o in outcomes if o.status.value in NOT_VERIFIED)
    assert expected >= 2  # the estate has a skipped image and a corrupt PDF
    reports.write_scan_outputs(tmp_path, outcomes=outcomes, findings=findings, manifest=e.manifest(),
                               sources=e.SOURCES, settings=e.SETTINGS, meta=e.META)
    doc = json.loads((tmp_path / "scan.json").read_text())
    assert doc["counts"]["items_not_verified"] == expected
    html = (tmp_path / "report.html").read_text()
    verdict = html[html.index('id="verdict"'):html.index('id="gaps"')]
    assert re.search(rf"{expected} items not verified</a>", verdict)
    items = html[html.index('id="t-items"'):]
    rows = re.findall(r"<td>(skipped|error|scanned)( \(not verified\))?</td>", items[:items.index("</table>")])
    assert rows and all(bool(label) == (status in NOT_VERIFIED) for status, label in rows)


def test_status_vocabulary_says_which_statuses_are_verified():
    assert [s.value for s in Status if not s.verified] == list(NOT_VERIFIED)
    assert Status.SCANNED.verified and Status.UNCHANGED.verified
