"""`policyscan report DIR`: re-render report.html from the Parquet files in DIR."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import fail_cleanly
from scanner.errors import ConfigError


@click.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@fail_cleanly
def report(out_dir: Path) -> None:
    """Re-render OUT_DIR/report.html from the Parquet files and scan.json in OUT_DIR."""
    import reports

    if not (out_dir / "findings.parquet").exists():
        raise ConfigError(f"{out_dir} holds no findings.parquet: not a policyscan output folder")
    summary = reports.rerender_report(out_dir)
    click.echo(f"report: {summary.paths.get('report.html', out_dir / 'report.html')}")
