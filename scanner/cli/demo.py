"""`policyscan demo [--out DIR]`: generate the synthetic demo estate and scan it against the reference policy."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import fail_cleanly
from scanner.errors import ConfigError

REFERENCE_POLICY = Path(__file__).resolve().parent.parent / "demo" / "privacy-policy.md"


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/demo"),
              show_default=True, help="Output folder; the estate is generated in OUT/estate.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("--quiet", is_flag=True, help="No progress display.")
@fail_cleanly
def demo(out_dir: Path, workers: int | None, quiet: bool) -> None:
    """Generate the demo estate (deterministic, synthetic) and scan it against the reference policy."""
    import os

    from scanner.config import load_config
    try:
        from scanner.demo.estate import generate_demo_estate
    except ImportError as exc:  # fpdf2 comes with the `demo` extra only
        raise ConfigError(f"the demo needs the demo extra ({exc.name} is missing): "
                          "pip install 'policyscan[demo]' or run `make demo`") from None
    from scanner.engines import make_engine
    from scanner.policy import load_policy
    from scanner.progress import make_progress
    from scanner.run import RunOptions, run_scan

    out_dir = out_dir.resolve()
    config_path = generate_demo_estate(out_dir / "estate")
    config = load_config(config_path)
    manifest = load_policy(REFERENCE_POLICY)
    (out_dir / "policy-manifest.yaml").write_text(manifest.to_yaml(), encoding="utf-8")
    engine = make_engine("local", workers or min(os.cpu_count() or 1, 2))
    with make_progress(enabled=not quiet) as progress:
        run = run_scan(config, manifest, out_dir, engine, RunOptions(full=True), progress)
    gaps = run.report.gaps
    by_sev: dict[str, int] = {}
    for g in gaps:
        by_sev[g.severity.value] = by_sev.get(g.severity.value, 0) + 1
    click.echo(f"demo estate: {out_dir / 'estate'}")
    click.echo(f"{sum(run.report.items_by_status.values())} items, {len(run.findings)} findings, {len(gaps)} gaps "
               f"({', '.join(f'{n} {s}' for s, n in sorted(by_sev.items()))})")
    click.echo(str(run.report.paths.get("report.html", out_dir / "report.html")))
