"""Public-key validation: is this byte string a usable public key of this type?

Elliptic-curve points must lie on their curve; Ed25519 points must be canonical, on the
curve and outside the small-order subgroup (libsodium's check, through PyNaCl), so that a
crafted key cannot make every signature verify. X25519 keys are any 32 bytes (RFC 7748).
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec
from nacl.bindings import crypto_core_ed25519_is_valid_point

from staffvc.errors import InvalidKeyError, KeyLengthError
from staffvc.keys.algorithms import PUBLIC_KEY_LENGTH, KeyType

__all__ = ["EC_CURVES", "validate_public_raw"]

EC_CURVES: dict[KeyType, ec.EllipticCurve] = {
    KeyType.P256: ec.SECP256R1(),
    KeyType.P384: ec.SECP384R1(),
    KeyType.SECP256K1: ec.SECP256K1(),
}


def validate_public_raw(key_type: KeyType, raw: bytes) -> None:
    """Raise :class:`KeyLengthError` or :class:`InvalidKeyError` unless ``raw`` is a valid
    raw public key (compressed point for the elliptic curves) of ``key_type``."""
    if len(raw) != PUBLIC_KEY_LENGTH[key_type]:
        raise KeyLengthError(
            f"{key_type} public key must be {PUBLIC_KEY_LENGTH[key_type]} bytes, got {len(raw)}"
        )
    if key_type is KeyType.ED25519:
        if not crypto_core_ed25519_is_valid_point(raw):
            raise InvalidKeyError(
                "not a valid Ed25519 public key (not a canonical curve point of prime order)"
            )
    elif key_type in EC_CURVES:
        if raw[0] not in (2, 3):
            raise InvalidKeyError(f"{key_type} public key must be a compressed point")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(EC_CURVES[key_type], raw)
        except ValueError:
            raise InvalidKeyError(f"not a point on the {key_type} curve") from None
