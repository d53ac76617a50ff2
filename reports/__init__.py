"""Reports: gap rules, Parquet outputs, scan.json and the HTML report.

The pipeline calls `write_scan_outputs` once per scan; `policyscan report DIR` calls `rerender_report`.
This package imports only the shared core (`scanner.models`, `scanner.errors`, `scanner.limits`,
`scanner.categories`, `scanner.manifest`) from policyscan (enforced by `tests/test_architecture.py`).
"""

from reports.gaps import GapContext, GapRule, GapSettings
from reports.outputs import ReportSummary, recompute_gaps, rerender_report, write_scan_outputs
from reports.sources import SourceInfo

__all__ = ["GapContext", "GapRule", "GapSettings", "ReportSummary", "SourceInfo", "recompute_gaps",
           "rerender_report", "write_scan_outputs"]
