"""Scheduler preload for the cluster test (`dask scheduler --preload payload_recorder`).

Appends, for every task that enters the scheduler, its pickled `run_spec` (the function and arguments a
worker will run) to `$POLICYSCAN_PAYLOAD_DUMP`, and the scheduler's pickled worker plugins to
`$POLICYSCAN_PAYLOAD_DUMP.plugins`: the test then looks for the password's bytes in each.
"""

from __future__ import annotations

import os

from distributed.diagnostics.plugin import SchedulerPlugin
from distributed.protocol.pickle import dumps


class PayloadRecorder(SchedulerPlugin):
    def __init__(self, path: str) -> None:
        self.path = path

    def update_graph(self, scheduler, *, tasks, **kwargs) -> None:  # noqa: ANN001, ANN003
        with open(self.path, "ab") as out:
            for key in tasks:
                task = scheduler.tasks.get(key)
                if task is not None and task.run_spec is not None:
                    out.write(dumps(task.run_spec))
        with open(self.path + ".plugins", "ab") as out:
            out.write(dumps(dict(scheduler.worker_plugins)))


def dask_setup(scheduler) -> None:  # noqa: ANN001
    scheduler.add_plugin(PayloadRecorder(os.environ["POLICYSCAN_PAYLOAD_DUMP"]))
