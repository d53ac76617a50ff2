"""`policyscan policy extract POLICY [-o manifest.yaml] [--explain]`."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import fail_cleanly, policy_manifest


@click.group()
def policy() -> None:
    """Work with privacy policies and policy manifests."""


@policy.command()
@click.argument("policy_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the manifest here instead of standard output.")
@click.option("--explain", is_flag=True,
              help="Also list, on standard error, every candidate phrase that declared nothing and why.")
@fail_cleanly
def extract(policy_file: str, output: Path | None, explain: bool) -> None:
    """Turn POLICY_FILE (Markdown, text, HTML, PDF) into a reviewable manifest of declared categories."""
    if explain:
        from scanner.policy import explain_policy_file
        from scanner.policy.extract import format_rejections

        extraction = explain_policy_file(Path(policy_file))
        text, explanation = extraction.manifest.to_yaml(), format_rejections(extraction.rejected)
    else:
        text, explanation = policy_manifest(policy_file).to_yaml(), None
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"manifest: {output}")
    if explanation is not None:
        click.echo(explanation, err=True, nl=False)
