"""Progress display: rich bars on a terminal, nothing otherwise (logs stay plain and quiet)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from scanner.models import ItemResult
from scanner.run import ProgressSink


class RichProgress(ProgressSink):
    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[bytes]:.1f} MB · {task.fields[findings]} findings"), TimeElapsedColumn(),
            transient=False, redirect_stdout=False,
        )
        self.task = self.progress.add_task("scanning", total=0, bytes=0.0, findings=0)
        self.mb = 0.0
        self.findings = 0

    def listed(self, n: int = 1) -> None:
        self.progress.update(self.task, total=(self.progress.tasks[0].total or 0) + n)

    def done(self, result: ItemResult, size: int | None) -> None:
        self.mb += (size or 0) / 1e6
        self.findings += len(result.findings)
        self.progress.update(self.task, advance=1, bytes=self.mb, findings=self.findings)


@contextmanager
def make_progress(enabled: bool = True) -> Iterator[ProgressSink]:
    if not enabled or not sys.stderr.isatty():
        yield ProgressSink()
        return
    sink = RichProgress()
    with sink.progress:
        yield sink
