"""`policyscan report DIR`: re-render report.html from the Parquet files in DIR."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import EXIT_GAPS, fail_cleanly
from scanner.errors import ConfigError
from scanner.models import Severity


@click.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--decisions", "decisions", type=click.Path(dir_okay=False, path_type=Path),
              help="Review decisions file (default: OUT_DIR/decisions.yaml).")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity] + ["none"]), default="none",
              show_default=True, help="Exit 1 when an undecided (or expired) gap of this severity or higher remains.")
@click.option("--compare", "compare", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Mark what changed against another scan's output folder (default: the previous scan into OUT_DIR).")
@fail_cleanly
def report(out_dir: Path, decisions: Path | None, fail_on: str, compare: Path | None) -> None:
    """Re-render OUT_DIR/report.html from the Parquet files and scan.json in OUT_DIR, applying the
    review decisions again (gaps.parquet's decision columns and scan.json follow)."""
    import reports

    if not (out_dir / "findings.parquet").exists():
        raise ConfigError(f"{out_dir} holds no findings.parquet: not a policyscan output folder")
    summary = reports.rerender_report(out_dir, decisions, compare)
    click.echo(f"report: {summary.paths.get('report.html', out_dir / 'report.html')}")
    worst = summary.max_open_severity()
    if fail_on != "none" and worst is not None and worst.rank >= Severity(fail_on).rank:
        raise SystemExit(EXIT_GAPS)
