"""Shared CLI pieces: exit codes and turning library errors into messages (never tracebacks)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

import click

from scanner.errors import ConfigError, PolicyscanError, SourceError

EXIT_OK, EXIT_GAPS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT


def fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Configuration and source errors exit 2 with one line on stderr."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, SourceError, PolicyscanError) as exc:
            click.echo(f"policyscan: error: {exc}", err=True)
            raise SystemExit(EXIT_USAGE) from None

    return wrapper


def policy_manifest(policy: str | None):
    """The manifest for `--policy`: extracted from a policy document, or read from a manifest YAML; an
    empty manifest when none is given."""
    from scanner.policy import load_policy
    from scanner.manifest import PolicyManifest

    if policy is None:
        return PolicyManifest(title="(no policy given: every category counts as undeclared)")
    path = Path(policy)
    if not path.exists():
        raise ConfigError(f"policy file not found: {policy}")
    return load_policy(path)
