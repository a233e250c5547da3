"""Decompression with a cap on the output, for status lists from outside.

A few hundred bytes of GZIP can expand to gigabytes; every status list a verifier reads goes
through :func:`inflate`, which stops as soon as the output passes the cap, refuses trailing
bytes after the stream, and refuses a truncated stream.
"""

from __future__ import annotations

import zlib

from staffvc.errors import LimitExceededError, MalformedStatusError

GZIP_WBITS = 16 + zlib.MAX_WBITS
"""RFC 1952 GZIP framing (Bitstring Status List, StatusList2021)."""
ZLIB_WBITS = zlib.MAX_WBITS
"""RFC 1950 ZLIB framing (Token Status List)."""


def inflate(data: bytes, *, wbits: int, max_bytes: int, what: str) -> bytes:
    """Decompress ``data`` (one stream, nothing after it) into at most ``max_bytes`` bytes.

    Raises :class:`LimitExceededError` when the output would be larger and
    :class:`MalformedStatusError` when ``data`` is not one complete stream.
    """
    decompressor = zlib.decompressobj(wbits=wbits)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise MalformedStatusError(f"{what} is not a valid compressed stream") from exc
    if len(out) > max_bytes or decompressor.unconsumed_tail:
        raise LimitExceededError(f"{what} expands beyond {max_bytes} bytes")
    if not decompressor.eof:
        raise MalformedStatusError(f"{what} is a truncated compressed stream")
    if decompressor.unused_data:
        raise MalformedStatusError(f"{what} has bytes after the compressed stream")
    return out
