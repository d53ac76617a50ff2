"""Shared pieces of the review-loop tests: a demo estate scanned once per module, rescans of it, and
headless Chromium with the browser console captured."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner, Result

from scanner.cli import cli
from scanner.cli.demo import REFERENCE_POLICY

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
import chromium_headless  # noqa: E402


def demo_scan(out: Path) -> Path:
    """Generate the demo estate in OUT/estate and scan it (what `policyscan demo` does)."""
    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return out


def rescan(out: Path, *extra: str) -> Result:
    """The same scan again into the same --out: incremental, as a nightly job runs it."""
    return CliRunner().invoke(cli, ["scan", "--config", str(out / "estate" / "policyscan.yaml"),
                                    "--policy", str(REFERENCE_POLICY), "--out", str(out), "--quiet",
                                    "--workers", "1", *extra])


def gaps(out: Path) -> list[dict]:
    return pq.read_table(out / "gaps.parquet").to_pylist()


def console_messages(page: Path) -> list[str]:
    """What the page wrote to the browser console (errors, CSP refusals) while Chromium rendered it."""
    with tempfile.TemporaryDirectory(prefix="policyscan-chromium-") as profile:
        done = subprocess.run([chromium_headless.chromium(), *chromium_headless.FLAGS, f"--user-data-dir={profile}",
                               "--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=120, check=True)
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
