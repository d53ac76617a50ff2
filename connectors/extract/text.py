"""Plain text in any encoding: head plus seeded random windows, decoded with charset detection."""

from __future__ import annotations

import random
from typing import BinaryIO, Callable, Iterator

from charset_normalizer import from_bytes

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from scanner.models import TextSample
from scanner.limits import Limits


def read_sampled(stream: BinaryIO, size: int | None, limits: Limits, seed_key: str,
                 check: Callable[[], None] | None = None) -> bytes:
    """The head of the stream plus random windows up to the byte budget, deterministic per item.

    Non-seekable streams get the head only: reading a 5 GB log to its end to sample it is what this avoids.
    `check` (the item's deadline check) runs before each window: on S3 or SFTP each window is a request.
    """
    budget = limits.bytes_per_file
    if size is None or size <= budget or not stream.seekable():
        return stream.read(budget)
    head = stream.read(min(limits.head_bytes, budget))
    chunks = [head]
    remaining = budget - len(head)
    rng = random.Random(f"{limits.seed}:{seed_key}")
    span = size - len(head) - limits.window_bytes
    n_windows = remaining // limits.window_bytes
    if span > 0 and n_windows > 0:
        starts = sorted(rng.sample(range(len(head), len(head) + span), k=min(n_windows, span)))
        for start in starts:
            if check is not None:
                check()
            stream.seek(start)
            chunk = stream.read(limits.window_bytes)
            # start and end on line boundaries so no value is cut in half
            first_nl = chunk.find(b"\n")
            last_nl = chunk.rfind(b"\n")
            if 0 <= first_nl < last_nl:
                chunk = chunk[first_nl + 1: last_nl]
            chunks.append(b"\n" + chunk)
    return b"".join(chunks)


def decode(data: bytes) -> str:
    """Bytes to text: BOM/UTF-8 first (fast path), else charset-normalizer's best guess, else latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:  # a multi-byte character cut by the sampling window
            return data[: exc.start].decode("utf-8")
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("latin-1")


def _decode_mixed(data: bytes) -> str | None:
    """Logs appended to by programs with different locales: mostly UTF-8 lines, some in one legacy encoding.
    Decoding line by line (UTF-8, else the encoding guessed from the non-UTF-8 lines alone) keeps both
    readable; a whole-file guess garbles one of them. None when most lines are not UTF-8."""
    lines = data.split(b"\n")
    bad: list[int] = []
    decoded: list[str | None] = []
    for n, line in enumerate(lines):
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(n)
            decoded.append(None)
    if len(bad) * 2 > len(lines):
        return None
    guess = from_bytes(b"\n".join(lines[n] for n in bad)[:100_000]).best()
    encoding = guess.encoding if guess is not None and guess.encoding else "cp1252"
    for n in bad:
        decoded[n] = lines[n].decode(encoding, errors="replace")
    return "\n".join(decoded)  # type: ignore[arg-type]


def sampled_text(blob: Blob, ctx: ExtractContext) -> str:
    """The item's sampled bytes (head + windows within the byte budget), decoded: what text formats read."""
    with blob.open() as stream:
        data = read_sampled(stream, blob.item.size_bytes, ctx.limits, blob.item.location, ctx.check_deadline)
    return decode(data)


def chunk_text(text: str, location: str, field: str | None, limits: Limits) -> Iterator[TextSample]:
    """Split long text into samples on line boundaries, each at most `text_chars_per_sample`."""
    size = limits.text_chars_per_sample
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut > 0 else end
        piece = text[start:end]
        if piece.strip():
            yield TextSample(location=location, field=field, text=piece)
        start = end


class PlainTextExtractor:
    media_types = ("text/plain", "text/markdown", "text/*", "application/octet-stream+text")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        yield from chunk_text(sampled_text(blob, ctx), blob.item.location, None, ctx.limits)
