"""The bitstring of W3C Bitstring Status List v1.0 (§2.2, §3.3, §3.4): pure, no I/O.

A list holds ``length`` entries of ``status_size`` bits each. Index 0 is the left-most
(most significant) bit of the first byte, and an entry's bits are read most significant
first. The published form (``encodedList``) is ``u`` + base64url, without padding, of the
GZIP-compressed bytes. Decoding outside input is capped (encoded size, decompressed size)
because a few hundred bytes of GZIP can expand to gigabytes, and refuses lists shorter than
the minimum that gives herd privacy.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass

from staffvc.errors import LimitExceededError, MalformedStatusError, StatusListLengthError
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.status._compress import GZIP_WBITS, inflate

__all__ = [
    "DEFAULT_DECODE_LIMITS",
    "MAX_STATUS_SIZE",
    "MIN_LIST_LENGTH",
    "Bitstring",
    "DecodeLimits",
]

MIN_LIST_LENGTH = 131_072
"""Minimum number of entries of a list (Bitstring Status List §3.2, herd privacy): 16 KiB
of single-bit entries."""

MAX_STATUS_SIZE = 8
"""Largest ``statusSize`` staffvc supports. The spec allows any positive size, but a size of
n needs 2**n status messages; processors may support size 1 only (§1.3)."""

_GZIP_MAGIC_B64 = "H4sI"  # base64 of the GZIP header's first three bytes (1f 8b 08)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]*")


@dataclass(frozen=True, slots=True)
class DecodeLimits:
    """Caps on one encoded list from outside (defaults allow lists of 2**27 one-bit entries)."""

    max_encoded_bytes: int = 24 << 20
    """Longest accepted ``encodedList`` text, in characters."""
    max_decompressed_bytes: int = 16 << 20
    """Largest accepted bitstring after GZIP decompression, in bytes."""


DEFAULT_DECODE_LIMITS = DecodeLimits()


class Bitstring:
    """A status list: ``length`` entries of ``status_size`` bits, all zero when created.

    Not thread-safe: callers that share one list between threads lock around changes.
    """

    __slots__ = ("_data", "_length", "_mask", "_status_size")

    def __init__(self, length: int, *, status_size: int = 1) -> None:
        _check_status_size(status_size)
        if isinstance(length, bool) or not isinstance(length, int) or length <= 0:
            raise ValueError("a status list needs a positive number of entries")
        self._length = length
        self._status_size = status_size
        self._mask = (1 << status_size) - 1
        self._data = bytearray((length * status_size + 7) // 8)

    @property
    def length(self) -> int:
        """Number of entries."""
        return self._length

    @property
    def status_size(self) -> int:
        """Bits per entry."""
        return self._status_size

    def get(self, index: int) -> int:
        """The status value of entry ``index``; IndexError outside the list."""
        self._check_index(index)
        if self._status_size == 1:
            return (self._data[index >> 3] >> (7 - (index & 7))) & 1
        start = index * self._status_size
        end = start + self._status_size
        first, last = start >> 3, (end - 1) >> 3
        chunk = int.from_bytes(self._data[first : last + 1], "big")
        return (chunk >> ((last + 1) * 8 - end)) & self._mask

    def set(self, index: int, value: int) -> None:
        """Set entry ``index`` to ``value`` (0 .. 2**status_size - 1)."""
        self._check_index(index)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= self._mask:
            raise ValueError(f"a status value must be an integer in 0..{self._mask}")
        start = index * self._status_size
        end = start + self._status_size
        first, last = start >> 3, (end - 1) >> 3
        shift = (last + 1) * 8 - end
        chunk = int.from_bytes(self._data[first : last + 1], "big")
        chunk = (chunk & ~(self._mask << shift)) | (value << shift)
        self._data[first : last + 1] = chunk.to_bytes(last - first + 1, "big")

    def nonzero(self) -> Iterator[tuple[int, int]]:
        """``(index, value)`` of every entry whose value is not 0, in index order."""
        size = self._status_size
        last = -1
        for byte_index, byte in enumerate(self._data):
            if not byte:
                continue
            low = max(byte_index * 8 // size, last + 1)
            high = min((byte_index * 8 + 7) // size + 1, self._length)
            for index in range(low, high):
                last = index
                value = self.get(index)
                if value:
                    yield index, value

    def to_bytes(self) -> bytes:
        """The uncompressed bitstring."""
        return bytes(self._data)

    @classmethod
    def from_bytes(cls, data: bytes, *, status_size: int = 1) -> Bitstring:
        """A list over the uncompressed bitstring ``data`` (its length is ``8 * len(data) //
        status_size`` entries)."""
        _check_status_size(status_size)
        length = len(data) * 8 // status_size
        if length <= 0:
            raise ValueError("a status list needs a positive number of entries")
        bitstring = cls(length, status_size=status_size)
        bitstring._data[:] = data[: len(bitstring._data)]
        return bitstring

    def encode(self) -> str:
        """The ``encodedList`` form: ``u`` + base64url(GZIP(bitstring)), deterministic."""
        # Level 6 (zlib's default): within ~15% of level 9's size on sparse lists, and
        # ~15x faster on a list with 1% of its bits set.
        return "u" + b64url_encode(gzip.compress(bytes(self._data), compresslevel=6, mtime=0))

    @classmethod
    def decode(
        cls,
        encoded: str,
        *,
        status_size: int = 1,
        limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
        min_length: int = MIN_LIST_LENGTH,
        legacy_base64: bool = False,
    ) -> Bitstring:
        """Expand an ``encodedList`` (§3.4) from outside, within ``limits``.

        ``legacy_base64`` also accepts the StatusList2021 form, base64 without the multibase
        prefix (either alphabet, padding optional). Raises MalformedStatusError
        (MALFORMED_VALUE_ERROR), LimitExceededError (LIMIT_EXCEEDED) or StatusListLengthError
        (STATUS_LIST_LENGTH_ERROR) when there are fewer than ``min_length`` entries.
        """
        _check_status_size(status_size)
        if not isinstance(encoded, str):
            raise MalformedStatusError("encodedList must be a string")
        if len(encoded) > limits.max_encoded_bytes:
            raise LimitExceededError(
                f"encodedList is {len(encoded)} characters; the limit is {limits.max_encoded_bytes}"
            )
        compressed = _multibase_bytes(encoded, legacy_base64=legacy_base64)
        data = inflate(
            compressed,
            wbits=GZIP_WBITS,
            max_bytes=limits.max_decompressed_bytes,
            what="encodedList",
        )
        entries = len(data) * 8 // status_size
        if entries < min_length:
            raise StatusListLengthError(
                f"the list has {entries} entries of {status_size} bit(s); "
                f"the minimum is {min_length}"
            )
        return cls.from_bytes(data, status_size=status_size)

    def copy(self) -> Bitstring:
        twin = Bitstring(self._length, status_size=self._status_size)
        twin._data[:] = self._data
        return twin

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Bitstring):
            return NotImplemented
        return (self._length, self._status_size, self._data) == (
            other._length,
            other._status_size,
            other._data,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Bitstring(length={self._length}, status_size={self._status_size})"

    def _check_index(self, index: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError("a status index must be an int")
        if not 0 <= index < self._length:
            raise IndexError(f"status index {index} is outside 0..{self._length - 1}")


def _check_status_size(status_size: int) -> None:
    if (
        isinstance(status_size, bool)
        or not isinstance(status_size, int)
        or not 1 <= status_size <= MAX_STATUS_SIZE
    ):
        raise ValueError(f"statusSize must be an integer in 1..{MAX_STATUS_SIZE}")


def _multibase_bytes(encoded: str, *, legacy_base64: bool) -> bytes:
    if encoded.startswith("u"):
        try:
            return b64url_decode(encoded[1:])
        except ValueError as exc:
            raise MalformedStatusError("encodedList is not multibase base64url") from exc
    if legacy_base64 and encoded.startswith(_GZIP_MAGIC_B64):
        body = encoded.rstrip("=")
        if len(encoded) - len(body) > 2 or not _BASE64.fullmatch(body):
            raise MalformedStatusError("encodedList is not base64")
        body = body.translate(_URL_TO_STANDARD)
        try:
            return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
        except binascii.Error as exc:
            raise MalformedStatusError("encodedList is not base64") from exc
    raise MalformedStatusError(
        "encodedList must be multibase base64url (prefix 'u')"
        + (" or base64 of a GZIP stream" if legacy_base64 else "")
    )


_URL_TO_STANDARD = str.maketrans("-_", "+/")
