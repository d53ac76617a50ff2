"""`policyscan scan SOURCE... --out DIR`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from scanner.cli.common import EXIT_GAPS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail_cleanly, policy_manifest
from scanner.config import load_config
from scanner.errors import ConfigError
from scanner.models import Severity
from scanner.secrets import install_log_scrubber, scrub

SEVERITIES = [s.value for s in Severity]


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: findings/inventory/gaps Parquet, report.html, scan.json, state.")
@click.option("--policy", "policy", help="Privacy policy (Markdown/text/HTML/PDF) or a policy manifest (.yaml).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Scan configuration YAML.")
@click.option("--fail-on", type=click.Choice(SEVERITIES + ["none"]), default="none", show_default=True,
              help="Exit 1 when a gap of this severity or higher is found (for CI gating).")
@click.option("--workers", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (tcp://HOST:PORT); default: a LocalCluster.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Scan state file (default: OUT/state.sqlite); the same state makes rescans incremental.")
@click.option("--full", is_flag=True, help="Rescan everything, ignoring the stored state.")
@click.option("--max-items", type=int, help="Stop after dispatching this many items (resumable).")
@click.option("--max-runtime", type=float, help="Stop listing new items after this many seconds (resumable).")
@click.option("--reveal-values", is_flag=True,
              help="Write raw detected values instead of masked examples. Off by default: reports then hold personal data.")
@click.option("--decisions", "decisions", type=click.Path(dir_okay=False, path_type=Path),
              help="Review decisions file (default: OUT/decisions.yaml); decided gaps do not count for --fail-on.")
@click.option("--compare", "compare", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Mark gaps and findings new/unchanged/resolved against this output folder (default: the previous scan in OUT).")
@click.option("--quiet", is_flag=True, help="No progress display.")
@fail_cleanly
def scan(sources, out_dir, policy, config_path, fail_on, workers, engine, scheduler, state_path, full,
         max_items, max_runtime, reveal_values, decisions, compare, quiet) -> None:
    """Scan SOURCE... (paths, file://, smb://, s3://, sftp://, or SQLAlchemy URLs) and compare with the policy."""
    from scanner.engines import make_engine
    from scanner.progress import make_progress
    from scanner.run import RunOptions, run_scan

    config = load_config(config_path, cli_sources=tuple(sources), reveal_values=reveal_values)
    install_log_scrubber(config.secrets)
    if not config.sources:
        raise ConfigError("no source given (arguments or `sources:` in --config)")
    manifest = policy_manifest(policy or config.policy)
    eng = make_engine(engine, workers or os.cpu_count() or 1, scheduler)
    options = RunOptions(full=full, max_items=max_items, max_runtime_s=max_runtime, state_path=state_path)
    with make_progress(enabled=not quiet) as progress:
        run = run_scan(config, manifest, out_dir, eng, options, progress)
    summary = run.report
    if decisions is not None or compare is not None:  # outputs were written with OUT/decisions.yaml and
        import reports                                    # against OUT's previous scan: apply the given ones

        summary = reports.rerender_report(out_dir, decisions, compare)
    statuses = run.report.items_by_status
    by_status = ", ".join(f"{v} {k}" for k, v in sorted(statuses.items()))
    click.echo(f"scanned {sum(statuses.values())} items ({by_status}); {len(run.findings)} findings; "
               f"{len(summary.gaps)} gaps")
    if run.stop_reason:
        click.echo(f"stopped early: {run.stop_reason}; run the same command again to continue")
        if run.stop_reason.startswith("interrupted"):
            raise SystemExit(EXIT_INTERRUPTED)  # partial outputs are written; a script must not take them as done
    click.echo(f"report: {summary.paths.get('report.html', out_dir / 'report.html')}")
    if run.failures:  # the other sources were scanned and reported; the unusable one is exit 2
        for failure in run.failures:
            click.echo(f"policyscan: error: {scrub(failure.reason, config.secrets)}", err=True)
        raise SystemExit(EXIT_USAGE)
    if fail_on != "none":
        worst = summary.max_open_severity()
        if worst is not None and worst.rank >= Severity(fail_on).rank:
            raise SystemExit(EXIT_GAPS)
    raise SystemExit(EXIT_OK)
