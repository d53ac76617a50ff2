"""The `policyscan` command: a thin click layer over the library (scanner.run, scanner.policy, reports)."""

from __future__ import annotations

import logging
import sys

import click

from scanner.cli.demo import demo
from scanner.cli.locate import locate
from scanner.cli.policy import policy
from scanner.cli.report import report
from scanner.cli.review import review
from scanner.cli.scan import scan
from scanner.pipeline import tool_version


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tool_version(), prog_name="policyscan")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """policyscan: find personal data in file shares, databases and backups, and compare it with what
    the privacy policy declares."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    # SQLAlchemy logs every statement with its parameters at INFO and fetched rows at DEBUG: row values
    # are personal data, so its loggers never follow -v
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)


cli.add_command(scan)
cli.add_command(policy)
cli.add_command(report)
cli.add_command(demo)
cli.add_command(locate)
cli.add_command(review)


def main() -> None:
    cli(prog_name="policyscan")
