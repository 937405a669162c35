"""The stream budget reads each stream in growing pieces from a view of the file (speed), and
still counts every stream's inflated bytes exactly: small, spanning pieces, past one output chunk."""

from __future__ import annotations

import random
import zlib

import pytest

from parsers.document import Limits
from parsers.errors import DocumentError
from parsers.pdf.budget import _CHUNK, _FIRST_PIECE, _flate_streams, _inflated_size, check_streams


def stream_object(number: int, body: bytes, image: bool = False) -> bytes:
    packed = zlib.compress(body)
    subtype = b" /Subtype /Image" if image else b""
    head = b"%d 0 obj\n<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (number, len(packed), subtype)
    return head + packed + b"\nendstream\nendobj\n"


def incompressible(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize("size", [0, 700, _FIRST_PIECE + 1, 5 * _FIRST_PIECE, _CHUNK + 3, 3 * _CHUNK])
def test_every_stream_is_counted_whole(size: int) -> None:
    # Random bytes compress to more than their size, so the larger ones span several input pieces.
    bodies = [incompressible(size, 1), b"q 1 0 0 1 0 0 cm Q\n" * 50, incompressible(size // 2, 2)]
    data = b"%PDF-1.7\n" + b"".join(stream_object(n, body) for n, body in enumerate(bodies, start=1))
    data += stream_object(9, incompressible(size, 3), image=True) + b"%%EOF\n"
    starts = list(_flate_streams(data))
    assert len(starts) == 3  # the image stream is left out, and no `endstream` is taken for a stream
    assert [_inflated_size(data, start, 64 * 1024 * 1024) for start in starts] == [len(b) for b in bodies]


def test_a_stream_past_the_limit_is_refused() -> None:
    data = b"%PDF-1.7\n" + stream_object(1, b"\0" * (3 * _CHUNK)) + b"%%EOF\n"
    limits = Limits(max_stream_bytes=2 * _CHUNK)
    with pytest.raises(DocumentError, match="PDF stream 1 inflates to more than"):
        check_streams(data, limits)
