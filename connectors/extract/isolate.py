"""Run a risky parser in a forked child under a hard time and memory limit.

`ExtractContext.check_deadline` only helps when the parser returns control; a PDF or Office parser stuck
in a pathological loop never does. Whole-file document parsers therefore run in a child process (fork,
so nothing is pickled on the way in: the child already holds the document bytes) that is killed when the
item's time budget runs out, and whose address space is capped so a decompression bomb inside a document
fails the item instead of the scan. The child sends back the list of events it produced, pickled.

When `fork` is unavailable (not Linux/macOS) or `Limits.isolate_parsers` is off, the parser runs inline.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
from typing import Callable, Iterator

from scanner.errors import ItemError

from connectors.extract.base import ExtractContext, ReadEvent

_HEADER = struct.Struct("!Q")


def _set_memory_cap(extra_bytes: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (current + extra_bytes, resource.RLIM_INFINITY))
    except (OSError, ValueError, ImportError):
        pass  # no cap where the platform cannot set one; the time limit still holds


def _child(run: Callable[[], list[ReadEvent]], write_fd: int, memory: int) -> None:
    _set_memory_cap(memory)
    try:
        events = run()
        payload = pickle.dumps(("ok", events, None, False, None))
    except ItemError as exc:
        payload = pickle.dumps(("item_error", [], exc.reason, exc.skip, exc.encrypted))
    except MemoryError:
        payload = pickle.dumps(("item_error", [], "parser exceeded its memory limit", False, None))
    except BaseException as exc:  # noqa: BLE001 - reported as this item's error, by type only
        payload = pickle.dumps(("item_error", [], f"parser failed: {type(exc).__name__}", False, None))
    data = _HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]


def _read_all(fd: int, pid: int, seconds: float, ctx: ExtractContext) -> bytes:
    import time

    end = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        remaining = end - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            raise ItemError(f"time limit of {ctx.limits.item_seconds:g}s per item exceeded (parser killed)")
        ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def run_isolated(run: Callable[[], list[ReadEvent]], ctx: ExtractContext) -> Iterator[ReadEvent]:
    """Yield the events `run()` returns, computed in a child killed at the item's deadline.

    `run` must be self-contained (it runs after fork: no shared connections) and return picklable events.
    """
    if not ctx.limits.isolate_parsers or not hasattr(os, "fork") or sys.platform == "win32":
        ctx.check_deadline()
        yield from run()
        return
    ctx.check_deadline()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into the caller's code, never run atexit handlers
        code = 0
        try:
            os.close(read_fd)
            _child(run, write_fd, ctx.limits.parser_memory_bytes)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        data = _read_all(read_fd, pid, ctx.seconds_left(), ctx)
    finally:
        os.close(read_fd)
        _reap(pid)
    if len(data) < _HEADER.size:
        raise ItemError("parser process died without a result (crash or memory limit)")
    (length,) = _HEADER.unpack_from(data)
    if len(data) - _HEADER.size < length:
        raise ItemError("parser process died without a result (crash or memory limit)")
    kind, events, reason, skip, encrypted = pickle.loads(data[_HEADER.size: _HEADER.size + length])
    yield from events
    if kind != "ok":
        raise ItemError(reason, skip=skip, encrypted=encrypted)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
