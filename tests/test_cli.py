"""CLI contract (click CliRunner): every command has help, bad usage exits 2, a tiny scan writes the outputs."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from scanner.cli import cli

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [["scan"], ["policy"], ["policy", "extract"], ["report"], ["demo"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_documented(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert f"policyscan {' '.join(command)}" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["scan", "--out", "OUT"], "no source given"),
        (["scan", "/definitely/not/here", "--out", "OUT"], "path does not exist"),
        (["scan", "nosuch://x", "--out", "OUT"], "no connector for scheme"),
        (["scan", ".", "--out", "OUT", "--config", "missing.yaml"], "config file not found"),
        (["scan", ".", "--out", "OUT", "--policy", "missing.md"], "policy file not found"),
        (["report", "."], "not a policyscan output folder"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_demo_without_the_demo_extra_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m == "fpdf" or m.startswith("scanner.demo")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "fpdf", None)  # what an install without fpdf2 looks like to import
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "demo"), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "policyscan[demo]" in result.output


@pytest.fixture(scope="module")
def tiny_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    from faker import Faker

    fake = Faker("en_GB")
    Faker.seed(7)
    root = tmp_path_factory.mktemp("estate")
    (root / "customers.csv").write_text(
        "name,email,phone\n" + "".join(f"{fake.name()},{fake.free_email()},+352 621 {n:03d} {n:03d}\n" for n in range(20))
    )
    (root / "notes.txt").write_text(f"Please call {fake.name()} about the invoice, mail {fake.free_email()}.\n")
    (root / "empty.txt").write_text("")
    out = tmp_path_factory.mktemp("out")
    policy = ROOT / "scanner" / "demo" / "privacy-policy.md"
    result = CliRunner().invoke(
        cli, ["scan", str(root), "--out", str(out), "--policy", str(policy), "--workers", "1", "--quiet"]
    )
    return root, out, result


@pytest.mark.slow
def test_scan_writes_the_five_outputs(tiny_scan: tuple[Path, Path, object]) -> None:
    _, out, result = tiny_scan
    assert result.exit_code == 0, result.output
    for name in ("findings.parquet", "inventory.parquet", "gaps.parquet", "report.html", "scan.json"):
        assert (out / name).is_file(), name
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    emails = [f for f in findings if f["entity"] == "EMAIL_ADDRESS"]
    assert {f["category"] for f in emails} == {"user.contact.email"}
    assert sum(f["count"] for f in emails) >= 21
    inventory = pq.read_table(out / "inventory.parquet").to_pylist()
    assert {Path(r["location"]).name for r in inventory} >= {"customers.csv", "notes.txt", "empty.txt"}
    assert {r["status"] for r in inventory} <= {"scanned", "skipped", "error", "unchanged"}


@pytest.mark.slow
def test_fail_on_gates_and_report_rerenders(tiny_scan: tuple[Path, Path, object], tmp_path: Path) -> None:
    root, out, _ = tiny_scan
    policy = ROOT / "scanner" / "demo" / "privacy-policy.md"
    gated = CliRunner().invoke(cli, ["scan", str(root), "--out", str(tmp_path / "o"), "--policy", str(policy),
                                     "--workers", "1", "--quiet", "--fail-on", "info"])
    assert gated.exit_code == 1, gated.output  # at least one gap of any severity exists on this estate
    rerun = CliRunner().invoke(cli, ["report", str(out)])
    assert rerun.exit_code == 0, rerun.output
    assert (out / "report.html").stat().st_size > 1000


@pytest.mark.slow
def test_rescan_reports_what_changed_in_the_inventory(tmp_path: Path) -> None:
    root, out = tmp_path / "estate", tmp_path / "out"
    root.mkdir()
    (root / "a.txt").write_text("Write to anna.weber@example.lu\n")
    (root / "b.txt").write_text("Nothing personal here.\n")
    args = ["scan", str(root), "--out", str(out), "--workers", "1", "--quiet"]

    def changes() -> dict[str, str]:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        rows = pq.read_table(out / "inventory.parquet").to_pylist()
        return {Path(r["location"]).name: r["change"] for r in rows}

    assert changes() == {"a.txt": "new", "b.txt": "new"}
    assert changes() == {"a.txt": "unchanged", "b.txt": "unchanged"}
    (root / "b.txt").write_text("Now it names jean.dupont@example.lu\n")
    (root / "c.txt").write_text("A new file.\n")
    assert changes() == {"a.txt": "unchanged", "b.txt": "changed", "c.txt": "new"}
    emails = [f for f in pq.read_table(out / "findings.parquet").to_pylist() if f["entity"] == "EMAIL_ADDRESS"]
    assert {Path(f["location"]).name for f in emails} == {"a.txt", "b.txt"}  # carried over + newly found


@pytest.mark.parametrize(
    "stopped, code",
    [(None, 0), ("max items (5) reached", 0), ("interrupted by SIGINT", 130), ("interrupted by SIGTERM", 130)],
)
def test_exit_code_says_whether_the_scan_finished(stopped, code, tmp_path: Path, monkeypatch) -> None:
    """The CLI's mapping from how a run ended to its exit code (the run itself is tested in tests/scale)."""
    import reports
    import scanner.run
    from scanner.run import ScanResult

    def fake_run(config, manifest, out_dir, engine, options, progress):
        summary = reports.ReportSummary(gaps=(), paths={}, items_by_status={"scanned": 1})
        return ScanResult(out_dir=out_dir, outcomes=(), findings=(), counts={}, changes={}, change_examples={},
                          recognizers=(), failures=(), stop_reason=stopped, resumed=False, report=summary)

    monkeypatch.setattr(scanner.run, "run_scan", fake_run)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet"])
    assert result.exit_code == code, result.output
