"""JSON Web Keys (RFC 7517, RFC 7518 §6.2, RFC 8037) for the supported key types.

:func:`parse_jwk` validates a JWK completely (members, lengths, canonical base64url, the
point lies on the curve, ``d`` matches the public part) and reduces it to raw key bytes;
:func:`build_jwk` is its inverse; :func:`jwk_thumbprint` is RFC 7638. Error messages name
members, never their values, so private key material cannot leak into logs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from staffvc.errors import InvalidKeyError, KeyLengthError, UnsupportedKeyTypeError
from staffvc.keys.algorithms import KeyType, check_algorithm
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.keys.points import EC_CURVES, validate_public_raw

__all__ = ["ParsedJwk", "build_jwk", "jwk_thumbprint", "parse_jwk"]

_OKP = {KeyType.ED25519, KeyType.X25519}
_COORDINATE = {KeyType.P256: 32, KeyType.P384: 48, KeyType.SECP256K1: 32}


@dataclass(frozen=True, slots=True)
class ParsedJwk:
    """A validated JWK: type, raw public key (compressed for EC), raw private key or None."""

    key_type: KeyType
    public_raw: bytes
    private_raw: bytes | None

    def __repr__(self) -> str:  # never show private key bytes
        return f"ParsedJwk({self.key_type}, private={self.private_raw is not None})"


def parse_jwk(jwk: Mapping[str, object], *, private: bool | None = None) -> ParsedJwk:
    """Validate ``jwk`` and return its raw key material.

    ``private=False`` refuses a JWK carrying ``d`` (a private key where a public one is
    expected); ``private=True`` requires ``d``; ``None`` accepts either.
    """
    if not isinstance(jwk, Mapping):
        raise InvalidKeyError("a JWK must be a JSON object")
    kty = _member(jwk, "kty")
    if kty not in ("OKP", "EC"):
        raise UnsupportedKeyTypeError(f"JWK kty {kty!r} is not supported (use OKP or EC)")
    crv = _member(jwk, "crv")
    try:
        key_type = KeyType(crv)
    except ValueError:
        raise UnsupportedKeyTypeError(f"JWK curve {crv!r} is not supported") from None
    if (key_type in _OKP) != (kty == "OKP"):
        raise InvalidKeyError(f"JWK curve {crv} does not go with kty {kty}")
    has_d = "d" in jwk
    if private is False and has_d:
        raise InvalidKeyError("JWK holds a private key (member 'd') where a public key is expected")
    if private is True and not has_d:
        raise InvalidKeyError("JWK has no private key (member 'd')")
    if "alg" in jwk:
        alg = jwk["alg"]
        if not isinstance(alg, str):
            raise InvalidKeyError("JWK member 'alg' must be a string")
        check_algorithm(key_type, alg)
    if key_type in _OKP:
        if "y" in jwk:
            raise InvalidKeyError("an OKP JWK has no member 'y'")
        public_raw = _coordinate(jwk, "x", 32)
        private_raw = _coordinate(jwk, "d", 32) if has_d else None
        if private_raw is not None and _okp_public(key_type, private_raw) != public_raw:
            raise InvalidKeyError("JWK member 'd' does not match member 'x'")
        validate_public_raw(key_type, public_raw)
        return ParsedJwk(key_type, public_raw, private_raw)
    size = _COORDINATE[key_type]
    x, y = _coordinate(jwk, "x", size), _coordinate(jwk, "y", size)
    try:
        point = ec.EllipticCurvePublicKey.from_encoded_point(EC_CURVES[key_type], b"\x04" + x + y)
    except ValueError:
        raise InvalidKeyError(f"JWK point is not on the {key_type} curve") from None
    public_raw = point.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
    private_raw = None
    if has_d:
        private_raw = _coordinate(jwk, "d", size)
        scalar = int.from_bytes(private_raw, "big")
        try:
            derived = ec.derive_private_key(scalar, EC_CURVES[key_type]).public_key()
        except ValueError:
            raise InvalidKeyError(f"JWK member 'd' is not a valid {key_type} scalar") from None
        if derived.public_bytes(Encoding.X962, PublicFormat.CompressedPoint) != public_raw:
            raise InvalidKeyError("JWK member 'd' does not match members 'x' and 'y'")
    return ParsedJwk(key_type, public_raw, private_raw)


def build_jwk(
    key_type: KeyType, public_raw: bytes, private_raw: bytes | None = None
) -> dict[str, str]:
    """The JWK of a key; members in RFC 7638 order (``crv``, ``kty``, ``x``, ``y``), ``d`` last."""
    if key_type in _OKP:
        jwk = {"crv": key_type.value, "kty": "OKP", "x": b64url_encode(public_raw)}
    else:
        try:
            point = ec.EllipticCurvePublicKey.from_encoded_point(EC_CURVES[key_type], public_raw)
        except ValueError:
            raise InvalidKeyError(f"not a {key_type} public key") from None
        numbers = point.public_numbers()
        size = _COORDINATE[key_type]
        jwk = {
            "crv": key_type.value,
            "kty": "EC",
            "x": b64url_encode(numbers.x.to_bytes(size, "big")),
            "y": b64url_encode(numbers.y.to_bytes(size, "big")),
        }
    if private_raw is not None:
        jwk["d"] = b64url_encode(private_raw)
    return jwk


def jwk_thumbprint(jwk: Mapping[str, object]) -> str:
    """RFC 7638 SHA-256 thumbprint (base64url) of the public part of ``jwk``."""
    parsed = parse_jwk(jwk)
    public = build_jwk(parsed.key_type, parsed.public_raw)
    canonical = json.dumps(public, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())


def _member(jwk: Mapping[str, object], name: str) -> str:
    value = jwk.get(name)
    if value is None:
        raise InvalidKeyError(f"JWK has no member {name!r}")
    if not isinstance(value, str):
        raise InvalidKeyError(f"JWK member {name!r} must be a string")
    return value


def _coordinate(jwk: Mapping[str, object], name: str, size: int) -> bytes:
    text = _member(jwk, name)
    try:
        value = b64url_decode(text)
    except ValueError:
        raise InvalidKeyError(f"JWK member {name!r} is not unpadded base64url") from None
    if len(value) != size:
        raise KeyLengthError(f"JWK member {name!r} must be {size} bytes, got {len(value)}")
    return value


def _okp_public(key_type: KeyType, private_raw: bytes) -> bytes:
    pub: ed25519.Ed25519PublicKey | x25519.X25519PublicKey
    if key_type is KeyType.ED25519:
        pub = ed25519.Ed25519PrivateKey.from_private_bytes(private_raw).public_key()
    else:
        pub = x25519.X25519PrivateKey.from_private_bytes(private_raw).public_key()
    return pub.public_bytes(Encoding.Raw, PublicFormat.Raw)
