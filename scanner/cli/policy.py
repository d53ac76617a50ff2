"""`policyscan policy extract POLICY [-o manifest.yaml]`."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import fail_cleanly, load_manifest


@click.group()
def policy() -> None:
    """Work with privacy policies and policy manifests."""


@policy.command()
@click.argument("policy_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the manifest here instead of standard output.")
@fail_cleanly
def extract(policy_file: str, output: Path | None) -> None:
    """Turn POLICY_FILE (Markdown, text, HTML, PDF) into a reviewable manifest of declared categories."""
    text = load_manifest(policy_file).to_yaml()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"manifest: {output}")
