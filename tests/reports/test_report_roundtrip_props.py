"""Hypothesis: for any records (hostile names included), the files written are enough to recompute the
same gaps, re-rendering gives the same gaps, and no markup from the data reaches report.html (the page
holds only the template's own tags and attributes, and every name shows as text)."""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_estate import NOW, SHARE, finding, outcome

import reports
from scanner.models import Facts

ENTITIES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "LU_NATIONAL_ID", "HEALTH", "PASSWORD", "IBAN_CODE", "CITY"]
NAME = st.text(alphabet=st.sampled_from(list("ab<>\"'&/! =é")), min_size=1, max_size=12)
VALUES = st.lists(st.sampled_from(["v1@x.lu", "v2@x.lu", "+352 621 000 111", "LU28 0019 4006 4475 0000"]),
                  min_size=1, max_size=4)


_SOURCES = "".join((Path(reports.__file__).parent / name).read_text(encoding="utf-8")
                   for name in ("templates/report.html.j2", "charts.py"))
# what the template and the chart code can emit; anything else in a page came from the data
TEMPLATE_TAGS = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", _SOURCES)}
TEMPLATE_ATTRIBUTES = {a.lower() for a in re.findall(r"\s([a-zA-Z][\w:-]*)=", _SOURCES)} | {"open"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes |= {name for name, _ in attrs}

    def handle_data(self, data):
        self.text.append(data)


@st.composite
def estates(draw):
    names = draw(st.lists(NAME, min_size=1, max_size=6, unique=True))
    outcomes, findings = [], []
    for name in names:
        location = f"{SHARE}/{name}"
        outcomes.append(outcome(
            SHARE, location, modified=NOW - timedelta(days=draw(st.integers(0, 6000))),
            exposure=draw(st.sampled_from([None, "world_readable", "smb_everyone"])),
            kind=draw(st.sampled_from(["file", "member"])),
            facts=Facts(encrypted=draw(st.sampled_from([None, True, False])))))
        for entity in draw(st.lists(st.sampled_from(ENTITIES), max_size=3, unique=True)):
            findings.append(finding(SHARE, location, entity, draw(VALUES), field=draw(st.one_of(st.none(), NAME))))
    return outcomes, findings


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates())
def test_outputs_round_trip_and_stay_inert(estate) -> None:
    import report_estate as e

    outcomes, findings = estate
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        summary = reports.write_scan_outputs(out, outcomes=outcomes, findings=findings, manifest=e.manifest(),
                                             sources=e.SOURCES, settings=e.SETTINGS, meta=e.META)
        assert reports.recompute_gaps(out) == summary.gaps
        known = {o.item.location for o in outcomes} | {f.location for f in findings}
        for gap in summary.gaps:  # evidence points at places, never at values
            assert set(gap.example_locations) <= known and gap.evidence_count >= 0
            assert gap.gap_kind != "special_category" or gap.severity.value == "high"
        assert reports.rerender_report(out).gaps == summary.gaps
        page = _Page()
        page.feed((out / "report.html").read_text())
        assert page.tags.count("script") == 1 and page.tags.count("style") == 1
        assert set(page.tags) <= TEMPLATE_TAGS, set(page.tags) - TEMPLATE_TAGS
        assert page.attributes <= TEMPLATE_ATTRIBUTES, page.attributes - TEMPLATE_ATTRIBUTES
        text = "".join(page.text)
        for o in outcomes:  # shown as text, not swallowed as markup
            assert o.item.location in text
