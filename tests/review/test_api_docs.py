"""docs/outputs.md's Python API examples run against a real output folder and print what they say."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import sys
from pathlib import Path

import pytest

import reports

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
import report_estate as e  # noqa: E402

DOC = Path(__file__).resolve().parents[2] / "docs" / "outputs.md"
SECTION = DOC.read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
EXAMPLES = re.findall(r"```python\n(.*?)```", SECTION, re.S)


def test_three_examples() -> None:
    assert len(EXAMPLES) == 3


def test_examples_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out" / "nightly"
    meta = {**e.META, "detection": {"fingerprint_key_id": hashlib.sha256(e.KEY).hexdigest()[:8],
                                    "countries": ["LU", "FR", "BE", "DE"]}}
    reports.write_scan_outputs(out, outcomes=e.estate()[0], findings=e.estate()[1], manifest=e.manifest(),
                               sources=e.SOURCES, settings=e.SETTINGS, meta=meta)
    monkeypatch.chdir(tmp_path)
    # the test estate's fingerprints use its own short key, which the key check for env/file keys refuses
    monkeypatch.setattr("scanner.api.fingerprint_key", lambda *args, **kwargs: e.KEY)
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for code in EXAMPLES:
            exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    text = printed.getvalue()
    assert "special_category" in text  # an untriaged gap of the test estate
    assert "user.health_and_medical" in text  # special-category data per source
    assert "jean.muller@example.lu" in text and "matricules.xlsx" not in text.split("jean.muller")[0]
    assert len(namespace["answer"][namespace["answer"].status == "found"]) > 0
