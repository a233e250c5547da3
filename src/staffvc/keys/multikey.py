"""Multikey: a key as multibase text of (multicodec header || raw key bytes).

Public keys use the compressed point for the elliptic curves (33 or 49 bytes) and the raw
32 bytes for Ed25519 and X25519, as did:key and Controlled Identifiers 1.0 §2.2.2 require.
Secret keys use the ``*-priv`` codecs with the raw private scalar or seed.
The codec numbers come from the multiformats table, not from constants typed in here.
"""

from __future__ import annotations

from dataclasses import dataclass

from multiformats import multicodec, varint

from staffvc.errors import InvalidKeyError, KeyLengthError, UnsupportedKeyTypeError
from staffvc.keys.algorithms import PRIVATE_KEY_LENGTH, PUBLIC_KEY_LENGTH, KeyType
from staffvc.keys.encoding import multibase_decode, multibase_encode

__all__ = ["DecodedMultikey", "decode_multicodec_key", "decode_multikey", "encode_multikey"]

_PUBLIC_CODEC = {
    KeyType.ED25519: "ed25519-pub",
    KeyType.X25519: "x25519-pub",
    KeyType.SECP256K1: "secp256k1-pub",
    KeyType.P256: "p256-pub",
    KeyType.P384: "p384-pub",
}
_PRIVATE_CODEC = {
    KeyType.ED25519: "ed25519-priv",
    KeyType.X25519: "x25519-priv",
    KeyType.SECP256K1: "secp256k1-priv",
    KeyType.P256: "p256-priv",
    KeyType.P384: "p384-priv",
}

_HEADER: dict[tuple[KeyType, bool], bytes] = {}
_BY_CODE: dict[int, tuple[KeyType, bool]] = {}
for _type, _name in _PUBLIC_CODEC.items():
    _code = multicodec.get(_name).code
    _HEADER[(_type, False)] = varint.encode(_code)
    _BY_CODE[_code] = (_type, False)
for _type, _name in _PRIVATE_CODEC.items():
    _code = multicodec.get(_name).code
    _HEADER[(_type, True)] = varint.encode(_code)
    _BY_CODE[_code] = (_type, True)


@dataclass(frozen=True, slots=True)
class DecodedMultikey:
    key_type: KeyType
    raw: bytes
    private: bool

    def __repr__(self) -> str:  # never show private key bytes
        return f"DecodedMultikey({self.key_type}, private={self.private})"


def encode_multikey(key_type: KeyType, raw: bytes, *, private: bool = False) -> str:
    """Multibase (base58btc) text of the key; ``raw`` must have the type's exact length."""
    expected = (PRIVATE_KEY_LENGTH if private else PUBLIC_KEY_LENGTH)[key_type]
    if len(raw) != expected:
        kind = "private" if private else "public"
        raise KeyLengthError(f"{key_type} {kind} key must be {expected} bytes, got {len(raw)}")
    return multibase_encode(_HEADER[(key_type, private)] + raw, "z")


def decode_multikey(text: str) -> DecodedMultikey:
    """Split Multikey text into key type and raw bytes, checking codec and length.

    Raises :class:`InvalidKeyError` (not multibase, bad varint),
    :class:`UnsupportedKeyTypeError` (a codec staffvc does not support) or
    :class:`KeyLengthError` (wrong length for the codec).
    """
    try:
        data = multibase_decode(text)
    except ValueError as exc:
        raise InvalidKeyError(f"Multikey value is not valid multibase: {exc}") from exc
    return decode_multicodec_key(data)


def decode_multicodec_key(data: bytes) -> DecodedMultikey:
    """Split multicodec-prefixed key bytes (a decoded Multikey) into type and raw key."""
    try:
        code, header_length, _ = varint.decode_raw(data)
    except (ValueError, IndexError) as exc:
        raise InvalidKeyError("key bytes have no valid multicodec header") from exc
    found = _BY_CODE.get(code)
    if found is None:
        try:
            name = multicodec.get(code=code).name
        except KeyError:
            name = hex(code)
        raise UnsupportedKeyTypeError(f"multicodec {name} is not a supported key type")
    key_type, private = found
    raw = data[header_length:]
    expected = (PRIVATE_KEY_LENGTH if private else PUBLIC_KEY_LENGTH)[key_type]
    if len(raw) != expected:
        kind = "private" if private else "public"
        raise KeyLengthError(f"{key_type} {kind} key must be {expected} bytes, got {len(raw)}")
    return DecodedMultikey(key_type, raw, private)
