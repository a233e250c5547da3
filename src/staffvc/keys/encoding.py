"""Byte encodings used for keys and proofs: base64url (RFC 4648 §5, unpadded) and the two
multibase forms the specs use, ``z`` (base58btc) and ``u`` (base64url).

Decoders are strict: they accept only the canonical encoding of a byte string, so that one
value has one text form (no padding, no stray bits, no foreign alphabet).
"""

from __future__ import annotations

import base64
import binascii
import re

import base58

__all__ = ["b64url_decode", "b64url_encode", "multibase_decode", "multibase_encode"]

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_B58 = re.compile(r"[1-9A-HJ-NP-Za-km-z]+")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url; ValueError unless ``text`` is its canonical form."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not unpadded base64url") from exc
    if b64url_encode(data) != text:
        raise ValueError("not canonical base64url (stray trailing bits)")
    return data


def multibase_encode(data: bytes, base: str = "z") -> str:
    """Multibase text of ``data``: ``z`` + base58btc (the default) or ``u`` + base64url."""
    if base == "z":
        return "z" + base58.b58encode(data).decode("ascii")
    if base == "u":
        return "u" + b64url_encode(data)
    raise ValueError(f"unsupported multibase prefix {base!r} (use 'z' or 'u')")


def multibase_decode(text: str, *, allowed: str = "zu") -> bytes:
    """Decode multibase ``text`` whose prefix is one of ``allowed``; ValueError otherwise."""
    if not text or text[0] not in allowed:
        raise ValueError(f"multibase value must start with one of {list(allowed)}")
    body = text[1:]
    if text[0] == "u":
        return b64url_decode(body)
    if not _B58.fullmatch(body):
        raise ValueError("not base58btc")
    return base58.b58decode(body)
