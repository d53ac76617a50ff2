"""No raw personal value in any output file: findings are built from planted raw values through
`detectors.fingerprint.mask/fingerprint` (as the detector does) and every written file is searched,
both as bytes and, for Parquet (compressed), as decoded cell text."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import report_estate as e

import reports
from detectors.fingerprint import normalise


def forms(value: str, entity: str) -> set[str]:
    """The raw value and the spellings a leak could take (normalised, compact, case-folded)."""
    out = {value, value.lower(), normalise(value, entity), value.replace(" ", "")}
    return {f for f in out if len(f) >= 6}


def texts(out: Path) -> dict[str, str]:
    found = {}
    for path in sorted(out.iterdir()):
        found[path.name] = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".parquet":
            found[path.name + " (decoded)"] = json.dumps(pq.read_table(path).to_pylist(), default=str,
                                                         ensure_ascii=False)
    return found


def test_no_planted_raw_value_in_any_output(tmp_path: Path) -> None:
    outcomes, findings = e.estate()
    reports.write_scan_outputs(tmp_path, outcomes=outcomes, findings=findings, manifest=e.manifest(),
                               sources=e.SOURCES, settings=e.SETTINGS, meta=e.META)
    reports.rerender_report(tmp_path)
    files = texts(tmp_path)
    assert {"findings.parquet", "inventory.parquet", "gaps.parquet", "categories.parquet", "columns.parquet",
            "scan.json", "report.html"} <= set(files)
    leaks = [(name, raw) for entity, values in e.RAW_VALUES.items() for value in values
             for raw in forms(value, entity) for name, text in files.items() if raw in text]
    assert leaks == []
    # and the masked examples and fingerprints are there instead
    assert "j***@e***.lu" in files["report.html"] and findings[0].fingerprint in files["findings.parquet (decoded)"]
