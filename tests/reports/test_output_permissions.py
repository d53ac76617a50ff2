"""Issue 10 item 11: outputs respect the umask, and are 0600 (state included) when values are revealed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker

from scanner.cli import cli

pytestmark = [pytest.mark.slow]


@pytest.fixture()
def share(tmp_path: Path) -> Path:
    fake = Faker("fr_FR")
    fake.seed_instance(11)
    folder = tmp_path / "share"
    folder.mkdir()
    lines = ["name,email,phone"] + [f"{fake.name()},{fake.email()},{fake.phone_number()}" for _ in range(20)]
    (folder / "contacts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _scan(share: Path, out: Path, umask: int, *extra: str) -> dict[str, int]:
    previous = os.umask(umask)
    try:
        result = CliRunner().invoke(cli, ["scan", str(share), "--out", str(out), "--workers", "1", "--quiet", *extra])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()
            if p.is_file() and not p.name.endswith(".lock")}


def test_outputs_follow_the_umask(share: Path, tmp_path: Path) -> None:
    """umask 027: group may read, others nothing (the old code forced 0644 on every output)."""
    modes = _scan(share, tmp_path / "out", 0o027)
    assert {"report.html", "scan.json", "findings.parquet", "inventory.parquet", "state.sqlite"} <= set(modes)
    assert {name: mode for name, mode in modes.items() if name != "state.sqlite"} == {
        name: 0o640 for name in modes if name != "state.sqlite"}
    assert modes["state.sqlite"] & 0o027 == 0  # SQLite's own 0644 & ~umask


def test_revealed_outputs_and_state_are_private(share: Path, tmp_path: Path) -> None:
    modes = _scan(share, tmp_path / "out", 0o022, "--reveal-values")
    assert {"report.html", "scan.json", "findings.parquet", "state.sqlite"} <= set(modes)
    assert modes == {name: 0o600 for name in modes}
