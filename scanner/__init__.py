"""policyscan's core and orchestration. `from scanner import open_scan` opens a scan's outputs as
DataFrames (see `scanner.api`); it is imported lazily so that workers importing `scanner.models` do not
load pandas."""

from typing import Any

__all__ = ["open_scan"]


def __getattr__(name: str) -> Any:
    if name == "open_scan":
        from scanner.api import open_scan

        return open_scan
    raise AttributeError(f"module 'scanner' has no attribute {name!r}")
