"""The stream views of `connectors.extract.streams`: what each one promises a parser."""

from __future__ import annotations

import gzip
import io

import pytest

from connectors.extract.streams import ByteTally, CountingStream, GuardedStream, NonSeekable
from scanner.errors import ItemError


def test_a_tally_counts_every_opening_of_one_item_reads_and_lines_alike():
    tally = ByteTally()
    with CountingStream(io.BytesIO(b"name,email\nann,a@x\n"), tally) as first:
        first.readline()
    with CountingStream(io.BytesIO(b"name,email\nann,a@x\n"), tally) as second:
        second.read()
    assert tally.total == len(b"name,email\n") + len(b"name,email\nann,a@x\n")


def test_a_counting_view_seeks_like_its_stream():
    view = CountingStream(io.BytesIO(b"0123456789"))
    assert view.seekable() and view.seek(4) == 4 and view.read(2) == b"45" and view.tell() == 6


@pytest.mark.parametrize("view", [NonSeekable, GuardedStream])
def test_a_non_seekable_view_refuses_to_seek_even_over_a_seekable_stream(view):
    stream = view(io.BytesIO(b"head and the rest"))
    assert not stream.seekable()
    with pytest.raises(io.UnsupportedOperation):
        stream.seek(5)
    assert stream.read(4) == b"head"


def test_closing_a_view_closes_the_stream_under_it():
    inner = io.BytesIO(b"x")
    NonSeekable(inner).close()
    assert inner.closed


def test_a_corrupt_compressed_stream_is_one_item_error_that_quotes_no_content():
    secret = b"jane.doe@example.com " * 50
    broken = gzip.compress(secret)[:-30] + b"\xff" * 30  # the CRC and size no longer match
    stream = GuardedStream(gzip.GzipFile(fileobj=io.BytesIO(broken)))
    with pytest.raises(ItemError, match="corrupt or truncated compressed stream") as info:
        stream.read()
    assert b"jane" not in str(info.value).encode()
