"""One 2-worker local scan of ESTATE, with the models shared one of three ways (see bench/cluster/run.py).

    python -m bench.cluster.variant {fork,spawn,server} ESTATE OUT

Prints one JSON line: wall time of `run_scan` (start-up, model loading, scanning and outputs), items,
findings and the worker pids. `spawn` is the same code as `fork` run from a tree whose
scanner/engines/local.py is the one before issue 15 (every worker spawned, loading its own models).
"""

from __future__ import annotations

import functools
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    variant, estate, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    from scanner.cli.common import policy_manifest
    from scanner.config import load_config
    from scanner.engines.local import LocalEngine
    from scanner.pipeline import ItemWorker
    from scanner.run import RunOptions, run_scan

    start = time.perf_counter()
    config = load_config(None, cli_sources=(str(estate),))
    worker = None
    if variant == "server":
        from bench.cluster.model_server import remote_detector, serve

        ctx = mp.get_context("spawn")
        address, authkey = os.path.join(tempfile.mkdtemp(), "models.sock"), os.urandom(16)
        ready = ctx.Event()
        server = ctx.Process(target=serve, args=(address, authkey, tuple(config.detection.languages), ready),
                             name="policyscan-model-server", daemon=True)
        server.start()
        ready.wait()
        worker = ItemWorker(config, functools.partial(remote_detector, address, authkey, config.detection,
                                                      config.limits))
    engine = LocalEngine(2, processes=True)
    result = run_scan(config, policy_manifest(None), out, engine, RunOptions(handle_signals=False), worker=worker)
    print(json.dumps({"variant": variant, "wall_s": round(time.perf_counter() - start, 2),
                      "items": len(result.outcomes), "findings": len(result.findings),
                      "worker_pids": sorted(engine.peak_rss)}), flush=True)


if __name__ == "__main__":
    main()
