"""report.html: escaping, CSP, self-containment, and (slow) real rendering in headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import report_estate as e
from chromium_headless import dump_dom, screenshot

import reports

TITLE = "policyscan report"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    outcomes, findings = e.estate()
    reports.write_scan_outputs(out, outcomes=outcomes, findings=findings, manifest=e.manifest(), sources=e.SOURCES,
                               settings=e.SETTINGS, meta=e.META)
    return out / "report.html"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.data else None

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.data[self._open].append(data)


def parse(html: str) -> _Elements:
    p = _Elements()
    p.feed(html)
    return p


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hostile_names_are_escaped(page: Path) -> None:
    html = page.read_text()
    for raw in ("<script>alert(1)</script>", "<img src=x onerror", "<script>document.title"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in html
    assert "&lt;img src=x onerror=" in html


def test_no_element_carries_an_event_handler_or_external_resource(page: Path) -> None:
    elements = parse(page.read_text())
    for tag, attrs in elements.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("src", "href", "action", "xlink:href"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:|//|javascript:)", value, re.I), (tag, attrs)
    assert [t for t, _ in elements.tags].count("script") == 1


def test_csp_allows_only_the_page_own_script_and_style(page: Path) -> None:
    html = page.read_text()
    elements = parse(html)
    csp = next(a["content"] for t, a in elements.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == sha("".join(elements.data["script"]))
    assert directives["style-src"] == sha("".join(elements.data["style"]))
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_page_holds_every_section_and_gap(page: Path) -> None:
    html = page.read_text()
    for anchor in ("verdict", "gaps", "matrix", "sources", "findings", "not-scanned", "how"):
        assert f'id="{anchor}"' in html
    summary = reports.rerender_report(page.parent)
    for gap in summary.gaps:
        assert f'id="gap-' in html and gap.gap_kind.replace("_", " ") in html
    assert "corrupt PDF (xref table missing)" in html  # what could not be scanned, and why
    assert e.manifest().digest in html  # how the scan was made


def test_large_tables_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reports import html as html_module

    monkeypatch.setattr(html_module, "MAX_ROWS", 3)
    outcomes, findings = e.estate()
    reports.write_scan_outputs(tmp_path, outcomes=outcomes, findings=findings, manifest=e.manifest(),
                               sources=e.SOURCES, settings=e.SETTINGS, meta=e.META)
    text = (tmp_path / "report.html").read_text()
    body = text.split('id="t-findings"', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr>") == 1 + 3  # header + capped rows
    assert f"{len(findings) - 3} more rows are in findings.parquet" in text


@pytest.mark.slow
def test_chromium_renders_the_page(page: Path, tmp_path: Path) -> None:
    png = screenshot(page, tmp_path / "report.png")
    keep = os.environ.get("POLICYSCAN_KEEP_SCREENSHOTS")  # a folder, to look at the page (or keep it in CI)
    if keep:
        shutil.copy(png, Path(keep) / "report.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a blank or error page compresses to a few kB


@pytest.mark.slow
def test_no_script_from_data_runs_and_our_script_does(page: Path) -> None:
    dom = dump_dom(page)
    assert f"<title>{TITLE}</title>" in dom and "pwned" not in dom.split("</title>")[0]
    # our own script ran (CSP allowed it by hash): it fills the row counters of the filter boxes
    assert re.search(r'class="shown">\d+ of \d+ rows<', dom)


@pytest.mark.slow
def test_csp_blocks_an_injected_handler_even_if_escaping_failed(page: Path, tmp_path: Path) -> None:
    """Defence in depth: plant unescaped markup, as an escaping bug would, and check the CSP stops it."""
    broken = tmp_path / "broken.html"
    html = page.read_text()
    payload = ("<img src=x onerror=\"document.title='pwned'\">"
               "<script>document.title='pwned'</script>")
    broken.write_text(html.replace('<section id="verdict">', payload + '<section id="verdict">', 1))
    dom = dump_dom(broken)
    assert f"<title>{TITLE}</title>" in dom


PROBE = """(function () {
  var t = document.getElementById("t-findings");
  var jump = document.querySelector('a.jump[data-q$="matricules.xlsx"]');
  jump.click();
  var jumped = document.querySelector('[data-filter-for="t-findings"] input').value === jump.getAttribute("data-q");
  t.tHead.rows[0].cells[5].click();
  t.tHead.rows[0].cells[5].click();
  var counts = [].map.call(t.tBodies[0].rows, function (r) { return parseInt(r.cells[5].textContent.replace(/,/g, ""), 10); });
  var descending = counts.every(function (v, i) { return i === 0 || counts[i - 1] >= v; });
  var input = document.querySelector('[data-filter-for="t-findings"] input');
  input.value = "password backup";
  input.dispatchEvent(new Event("input"));
  setTimeout(function () {
    var visible = [].filter.call(t.tBodies[0].rows, function (r) { return !r.classList.contains("hidden"); }).length;
    var shown = document.querySelector('[data-filter-for="t-findings"] .shown').textContent;
    document.title = "probe jumped=" + jumped + " descending=" + descending + " visible=" + visible + " shown=" + shown;
  }, 400);
}());"""


@pytest.mark.slow
def test_tables_sort_and_filter_in_the_browser(page: Path, tmp_path: Path) -> None:
    """Drive the page's own script: jump from a gap's example location to its findings, sort the findings
    by count (twice: descending), then filter them.
    The probe script is added with its own CSP hash, like the page's script."""
    html = page.read_text()
    probed = html.replace("script-src ", f"script-src {sha(PROBE)} ", 1).replace(
        "</body>", f"<script>{PROBE}</script></body>", 1)
    target = tmp_path / "probe.html"
    target.write_text(probed)
    dom = dump_dom(target)
    title = re.search(r"<title>(.*?)</title>", dom).group(1)
    expected = sum(1 for f in e.estate()[1] if f.entity == "PASSWORD" and "backup" in f.location)
    assert title == f"probe jumped=true descending=true visible={expected} shown={expected} of {len(e.estate()[1])} rows"


@pytest.mark.parametrize("meta, banner", [
    ({"detection": {"reveal_values": True}}, 'id="raw-values"'),
    ({"complete": False, "stopped_because": "max runtime of 60s reached"}, "max runtime of 60s reached"),
])
def test_warning_banners(tmp_path: Path, meta: dict, banner: str) -> None:
    outcomes, findings = e.estate()
    reports.write_scan_outputs(tmp_path, outcomes=outcomes, findings=findings, manifest=e.manifest(),
                               sources=e.SOURCES, settings=e.SETTINGS, meta={**e.META, **meta})
    html = (tmp_path / "report.html").read_text()
    assert banner in html and html.index(banner) < html.index('id="verdict"')


def test_no_banner_on_a_normal_scan(page: Path) -> None:
    html = page.read_text()
    assert 'id="raw-values"' not in html and 'id="incomplete"' not in html
