"""A strict, bounded CBOR decoder (RFC 8949) for COSE messages from outside.

cbor2 (used to *encode*) decodes much more than a COSE_Sign1 verifier should accept:
semantic tags it interprets on its own (dates, bignums, regular expressions, shared and
therefore possibly cyclic values), indefinite lengths, undefined. This reader accepts only
what COSE_Sign1 needs: definite-length integers, byte and text strings, arrays, maps (int or
text keys, no duplicates), false/true/null, and tags only where the caller allows them;
nesting is capped and every byte must be consumed. Anything else is a ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CborTag", "decode"]


@dataclass(frozen=True, slots=True)
class CborTag:
    """A tagged item (only tags the caller allowed are ever returned)."""

    tag: int
    value: object


_SIMPLE = {20: False, 21: True, 22: None}


def decode(data: bytes, *, max_depth: int, allowed_tags: frozenset[int] = frozenset()) -> object:
    """The single CBOR item in ``data``; ValueError for anything outside the subset."""
    reader = _Reader(data, max_depth, allowed_tags)
    value = reader.item(0)
    if reader.pos != len(data):
        raise ValueError("trailing bytes after the CBOR item")
    return value


class _Reader:
    __slots__ = ("allowed_tags", "data", "max_depth", "pos")

    def __init__(self, data: bytes, max_depth: int, allowed_tags: frozenset[int]) -> None:
        self.data, self.pos = data, 0
        self.max_depth, self.allowed_tags = max_depth, allowed_tags

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise ValueError("truncated CBOR")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def head(self) -> tuple[int, int, int]:
        initial = self.take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        if info < 24:
            return major, info, info
        if info > 27:
            raise ValueError("indefinite lengths and reserved values are refused")
        return major, info, int.from_bytes(self.take(1 << (info - 24)), "big")

    def item(self, depth: int) -> object:
        if depth > self.max_depth:
            raise ValueError("CBOR nests too deep")
        major, info, value = self.head()
        if major == 0:
            return value
        if major == 1:
            return -1 - value
        if major == 2:
            return self.take(value)
        if major == 3:
            return self.take(value).decode("utf-8")  # UnicodeDecodeError is a ValueError
        if major == 4:
            self.room(value)
            return [self.item(depth + 1) for _ in range(value)]
        if major == 5:
            self.room(2 * value)
            result: dict[object, object] = {}
            for _ in range(value):
                key = self.item(depth + 1)
                if not isinstance(key, int | str) or isinstance(key, bool):
                    raise ValueError("map keys must be integers or text")
                if key in result:
                    raise ValueError("a map has a key twice")
                result[key] = self.item(depth + 1)
            return result
        if major == 6:
            if value not in self.allowed_tags:
                raise ValueError(f"CBOR tag {value} is not allowed here")
            return CborTag(value, self.item(depth + 1))
        if info in _SIMPLE and info == value:
            return _SIMPLE[info]
        raise ValueError("floating-point and other simple values are refused")

    def room(self, count: int) -> None:
        if count > len(self.data) - self.pos:
            raise ValueError("truncated CBOR (more items declared than bytes left)")
