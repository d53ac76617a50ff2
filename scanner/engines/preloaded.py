"""Models loaded once per machine: one spawned parent builds the detector, then forks the scan's workers.

Each worker of the local engine used to be spawned and load its own spaCy models (~400 MB resident and
seconds of start-up each). Here a single *model parent* process (spawned, so the scan process itself
stays free of models and threads) builds the detector once, freezes the garbage collector's view of it
(`gc.freeze()`: a collection in a child then does not write to every inherited object) and forks a
worker whenever the engine asks: the model weights are shared copy-on-write, a new or replacement
worker starts in milliseconds, and each worker is still a process of its own, so a parser that kills
it costs one item (crash isolation is unchanged).

Models load lazily, per language, at the first text that needs one (`detectors.nlp`), and the parent
only knows the languages the warm-up needed. So a worker reports, after each batch, the languages it
holds; one the parent lacks is loaded there too (`share`), and the idle workers forked before that are
replaced by fresh forks: a language is loaded at most once per worker that met it before the parent
had it, plus once in the parent, and then held once per machine. French loads only if French appears.

The engine and a forked worker talk exactly as with a spawned one: a duplex pipe, a two-slot shared
array (here an mmap of a memfd) saying which unit of its batch the worker is on and since when, and a
sentinel pipe that reaches end-of-file when the worker is gone. These are made by the engine and handed
to the model parent with the fork request (file descriptors over a Unix socket); the parent reaps its
children and reports their exit codes. A worker dies with the model parent, which dies with the scan.

Why fork is safe here: the parent only loads models and runs one warm-up detection, in one thread
(numpy's OpenBLAS pool is the only other thread, and OpenBLAS re-initialises it across `fork`), and
forks from that state; the children never fork it back.
"""

from __future__ import annotations

import gc
import logging
import mmap
import os
import signal
import socket
import time
from multiprocessing.connection import Connection
from multiprocessing.reduction import recvfds, sendfds
from typing import Any, Callable

from scanner.errors import PolicyscanError
from scanner.pipeline import ItemWorker

log = logging.getLogger(__name__)

SLOT_BYTES = 16  # two float64: index of the unit in the batch (-1: none), monotonic start time


class SharedSlot:
    """Two doubles in a memfd mapping, readable by the engine and written by a worker it did not fork."""

    def __init__(self, fd: int | None = None) -> None:
        self.fd = os.memfd_create("policyscan-slot") if fd is None else fd
        if fd is None:
            os.ftruncate(self.fd, SLOT_BYTES)
        self._map = mmap.mmap(self.fd, SLOT_BYTES)
        self._values = memoryview(self._map).cast("d")
        if fd is None:
            self._values[0], self._values[1] = -1.0, 0.0

    def __getitem__(self, index: int) -> float:
        return float(self._values[index])

    def __setitem__(self, index: int, value: float) -> None:
        self._values[index] = value


class ForkedWorker:
    """The engine's handle on a worker forked by the model parent (what `multiprocessing.Process` offers)."""

    def __init__(self, pid: int, sentinel: int, parent: "ModelParent") -> None:
        self.pid, self.sentinel, self._parent = pid, sentinel, parent
        self.generation = parent.generation  # which of the parent's model sets it was forked with

    @property
    def exitcode(self) -> int | None:
        self._parent.collect_exits()
        return self._parent.exits.get(self.pid)

    def is_alive(self) -> bool:
        return self.exitcode is None and self._parent.alive()

    def join(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
        while self.is_alive() and time.monotonic() < deadline:
            self._parent.collect_exits(wait=min(0.1, max(0.0, deadline - time.monotonic())))

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        os.close(self.sentinel)


class ModelParent:
    """The engine side of the model parent: start it (it builds the detector), fork workers, see exits."""

    def __init__(self, ctx: Any, worker: ItemWorker, stopped: Callable[[], bool]) -> None:
        self.control, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=parent_main, args=(worker, child, os.getpid()),
                                   name="policyscan-models", daemon=True)
        self.process.start()
        child.close()
        self.exits: dict[int, int] = {}
        self.names: list[str] = []
        self.languages: set[str] = set()  # languages whose models the parent holds (or was asked to load)
        self.generation = 0  # bumped at each such request: workers forked before hold fewer models
        message = self._receive(stopped)
        if message is None:
            raise PolicyscanError("the model parent process died while loading the models (exit code "
                                  f"{self.process.exitcode}; -9 usually means the system ran out of memory)")
        if message[0] == "failed":
            raise PolicyscanError(f"worker processes could not start: {message[1]}")
        self.names, self.languages = list(message[1]), set(message[2])

    def _receive(self, stopped: Callable[[], bool]) -> tuple | None:
        while not stopped():
            try:
                if self.control.poll(0.5):
                    return self.control.recv()
            except (EOFError, OSError):
                return None
            if not self.process.is_alive() and not self.control.poll(0):
                return None
        return ("failed", "interrupted while loading the models")

    def alive(self) -> bool:
        return self.process.is_alive()

    def share(self, languages: tuple[str, ...]) -> None:
        """A worker loaded these languages' models: have the parent load them too, for later forks."""
        missing = tuple(lang for lang in languages if lang not in self.languages)
        if not missing:
            return
        try:
            self.control.send(("load", missing))
        except OSError:
            return  # the parent is gone: the next fork finds out and replaces it
        self.languages.update(missing)
        self.generation += 1

    def fork(self, conn: Connection, slot: SharedSlot) -> ForkedWorker:
        """A new worker holding `conn` and `slot`; PolicyscanError if the model parent is gone."""
        sentinel_r, sentinel_w = os.pipe()
        try:
            self.control.send("fork")
            with socket.socket(fileno=os.dup(self.control.fileno())) as sock:
                sendfds(sock, [conn.fileno(), slot.fd, sentinel_w])
            while True:
                message = self.control.recv()
                if message[0] == "forked":
                    break
                self.exits[message[1]] = message[2]
        except (EOFError, OSError) as exc:
            os.close(sentinel_r)
            raise PolicyscanError(f"the model parent process is gone ({type(exc).__name__})") from None
        finally:
            os.close(sentinel_w)
        return ForkedWorker(message[1], sentinel_r, self)

    def collect_exits(self, wait: float = 0.0) -> None:
        try:
            while self.control.poll(wait):
                _, pid, code = self.control.recv()
                self.exits[pid] = code
                wait = 0.0
        except (EOFError, OSError):
            pass

    def close(self) -> None:
        try:
            self.control.send(None)
        except OSError:
            pass
        self.process.join(timeout=5.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=1.0)
        self.control.close()


def parent_main(worker: ItemWorker, control: Connection, main_pid: int) -> None:
    """The model parent: build the detector, then fork a worker per request and report exits."""
    from scanner.engines.local import die_with_parent, worker_loop

    die_with_parent(main_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        names = worker.warm_up()
    except Exception as exc:  # noqa: BLE001 - reported to the engine by type only
        control.send(("failed", f"detector could not be built ({type(exc).__name__})"))
        return
    gc.collect()
    gc.freeze()  # objects inherited by the children stay out of their collections: fewer copied pages
    control.send(("ready", names, worker.loaded_languages()))
    parent_pid = os.getpid()
    while True:
        _report_exits(control)
        try:
            if not control.poll(0.2):
                continue
            request = control.recv()
        except (EOFError, OSError):
            break
        if request is None:
            break
        if request != "fork":  # ("load", languages): requests are served in order, so later forks have them
            _load(worker, request[1])
            continue
        with socket.socket(fileno=os.dup(control.fileno())) as sock:
            conn_fd, slot_fd, sentinel_w = recvfds(sock, 3)
        pid = os.fork()
        if pid == 0:  # the worker: never returns into this loop
            code = 1
            try:
                control.close()
                die_with_parent(parent_pid)
                code = worker_loop(worker, Connection(conn_fd), SharedSlot(slot_fd), names)
            finally:
                os._exit(code)
        for fd in (conn_fd, slot_fd, sentinel_w):
            os.close(fd)
        control.send(("forked", pid))
    for pid in _children():
        os.kill(pid, signal.SIGKILL)


def _load(worker: ItemWorker, languages: tuple[str, ...]) -> None:
    try:
        worker.load_languages(languages)
    except Exception as exc:  # noqa: BLE001 - the workers then keep loading it themselves
        log.warning("the model parent could not load %s (%s)", ",".join(languages), type(exc).__name__)
    gc.collect()
    gc.freeze()


def _report_exits(control: Connection) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        control.send(("exit", pid, os.waitstatus_to_exitcode(status)))


def _children() -> list[int]:
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []
