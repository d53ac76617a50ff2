"""A source that cannot be used is one inventory row named by its display name (issue 10, item 13).

The row's location used to be recovered from the error message (`message.split(": ", 1)[-1]`), which
gave the driver's error text for most messages; `SourceFailure` carries the name as a field.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from scale_helpers import email_detector, make_estate
from scanner.config import load_config
from scanner.engines.local import LocalEngine
from scanner.manifest import PolicyManifest
from scanner.pipeline import ItemWorker
from scanner.run import RunOptions, run_scan


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unusable_source_row_is_named_by_the_source_not_the_error(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "estate", 5)
    unusable = f"postgresql://reader@127.0.0.1:{closed_port()}/crm"
    path = tmp_path / "scan.yaml"
    path.write_text(yaml.safe_dump({"sources": [{"uri": str(root)}, {"uri": unusable}]}))
    config = load_config(path, env={"POLICYSCAN_HMAC_KEY": "k" * 32, "POLICYSCAN_HOME": str(tmp_path / "home")})
    display = config.sources[1].display
    run = run_scan(config, PolicyManifest(), tmp_path / "out", LocalEngine(1), RunOptions(handle_signals=False),
                   worker=ItemWorker(config, email_detector))

    rows = [r for r in pq.read_table(tmp_path / "out" / "inventory.parquet").to_pylist() if r["kind"] == "source"]
    assert [(r["source"], r["location"], r["status"]) for r in rows] == [(display, display, "error")]
    assert rows[0]["reason"].startswith(f"cannot connect to {display}: ")
    assert run.report.items_by_status == {"error": 1, "scanned": 5}  # the usable source is still scanned
    assert [(f.source, f.reason.startswith("cannot connect to")) for f in run.failures] == [(display, True)]
