"""Progress display: rich bars on a terminal; otherwise a plain log line now and then (INFO level).

The display shows counts, bytes and findings only: never a location or a value (progress output is
an output like any other and holds no personal data).
"""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from typing import Iterator

from scanner.models import ItemResult
from scanner.run import ProgressSink

log = logging.getLogger("scanner.progress")


class RichProgress(ProgressSink):
    """Two bars: items listed (no total: listing runs ahead) and items done of those listed, with ETA."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), TimeRemainingColumn(),
            transient=False, redirect_stdout=False,
        )
        self.listing = self.progress.add_task("listed", total=None, detail="")
        self.scanning = self.progress.add_task("scanned", total=0, detail="")
        self.listed_n = 0
        self.stats = _Stats()

    def listed(self, n: int = 1) -> None:
        self.listed_n += n
        self.progress.update(self.listing, completed=self.listed_n)
        self.progress.update(self.scanning, total=self.listed_n)

    def done(self, result: ItemResult, size: int | None) -> None:
        self.stats.add(len(result.findings), size, carried=False)
        self.progress.update(self.scanning, advance=1, detail=self.stats.detail())

    def carried(self, findings: int, size: int | None) -> None:
        self.stats.add(findings, size, carried=True)
        self.progress.update(self.scanning, advance=1, detail=self.stats.detail())


class LogProgress(ProgressSink):
    """For pipes and CI logs: one INFO line every `every_s` seconds, nothing per item."""

    def __init__(self, every_s: float = 30.0) -> None:
        self.every_s = every_s
        self.listed_n = 0
        self.stats = _Stats()
        self._last = time.monotonic()

    def listed(self, n: int = 1) -> None:
        self.listed_n += n

    def done(self, result: ItemResult, size: int | None) -> None:
        self.stats.add(len(result.findings), size, carried=False)
        self._maybe_log()

    def carried(self, findings: int, size: int | None) -> None:
        self.stats.add(findings, size, carried=True)
        self._maybe_log()

    def _maybe_log(self) -> None:
        now = time.monotonic()
        if now - self._last >= self.every_s:
            self._last = now
            log.info("%d of %d listed items done; %s", self.stats.items, self.listed_n, self.stats.detail())


class _Stats:
    def __init__(self) -> None:
        self.items = self.carried_n = self.findings = 0
        self.bytes = 0

    def add(self, findings: int, size: int | None, *, carried: bool) -> None:
        self.items += 1
        self.carried_n += carried
        self.findings += findings
        self.bytes += size or 0

    def detail(self) -> str:
        return f"{self.bytes / 1e6:,.1f} MB · {self.findings:,} findings · {self.carried_n:,} unchanged"


@contextmanager
def make_progress(enabled: bool = True) -> Iterator[ProgressSink]:
    """Rich bars when enabled and stderr is a terminal; otherwise periodic log lines."""
    if not enabled or not sys.stderr.isatty():
        yield LogProgress()
        return
    sink = RichProgress()
    with sink.progress:
        yield sink
