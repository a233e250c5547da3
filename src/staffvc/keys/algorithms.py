"""Key types and the signature algorithms each one may be used with (the allow-list).

The allow-list is the single source of truth for "which algorithm goes with which key":
signers pick their default from it and every verifier pins the algorithm from the resolved
key through :func:`check_algorithm`, never from what an untrusted header claims.
"""

from __future__ import annotations

from enum import StrEnum

from staffvc.errors import UnsupportedAlgorithmError

__all__ = [
    "DEFAULT_ALGORITHM",
    "PRIVATE_KEY_LENGTH",
    "PUBLIC_KEY_LENGTH",
    "SIGNING_ALGORITHMS",
    "Algorithm",
    "KeyType",
    "check_algorithm",
]


class KeyType(StrEnum):
    """Key types staffvc supports. Values are the JWK ``crv`` names."""

    ED25519 = "Ed25519"
    P256 = "P-256"
    P384 = "P-384"
    SECP256K1 = "secp256k1"
    X25519 = "X25519"
    """Key agreement only (the key a did:key derives from Ed25519); never signs."""


class Algorithm(StrEnum):
    """JOSE names of the signature algorithms (RFC 7518, RFC 8037, RFC 8812, RFC 9864)."""

    EDDSA = "EdDSA"
    """Ed25519 under the polymorphic name of RFC 8037, which almost every peer still emits."""
    ED25519 = "Ed25519"
    """The fully-specified name of RFC 9864; accepted and emitted on request."""
    ES256 = "ES256"
    ES384 = "ES384"
    ES256K = "ES256K"


SIGNING_ALGORITHMS: dict[KeyType, frozenset[Algorithm]] = {
    KeyType.ED25519: frozenset({Algorithm.EDDSA, Algorithm.ED25519}),
    KeyType.P256: frozenset({Algorithm.ES256}),
    KeyType.P384: frozenset({Algorithm.ES384}),
    KeyType.SECP256K1: frozenset({Algorithm.ES256K}),
    KeyType.X25519: frozenset(),
}

DEFAULT_ALGORITHM: dict[KeyType, Algorithm] = {
    KeyType.ED25519: Algorithm.EDDSA,
    KeyType.P256: Algorithm.ES256,
    KeyType.P384: Algorithm.ES384,
    KeyType.SECP256K1: Algorithm.ES256K,
}


PUBLIC_KEY_LENGTH: dict[KeyType, int] = {
    KeyType.ED25519: 32,
    KeyType.X25519: 32,
    KeyType.SECP256K1: 33,
    KeyType.P256: 33,
    KeyType.P384: 49,
}
"""Raw public key length per type (compressed points for the elliptic curves)."""

PRIVATE_KEY_LENGTH: dict[KeyType, int] = {
    KeyType.ED25519: 32,
    KeyType.X25519: 32,
    KeyType.SECP256K1: 32,
    KeyType.P256: 32,
    KeyType.P384: 48,
}
"""Raw private key length per type (Ed25519/X25519 seed, EC scalar)."""


def check_algorithm(key_type: KeyType, algorithm: str) -> Algorithm:
    """Return ``algorithm`` as an :class:`Algorithm` if ``key_type`` may use it, else raise."""
    allowed = SIGNING_ALGORITHMS[key_type]
    try:
        alg = Algorithm(algorithm)
    except ValueError:
        alg = None
    if alg is None or alg not in allowed:
        names = ", ".join(sorted(allowed)) or "none (key agreement only)"
        raise UnsupportedAlgorithmError(
            f"algorithm {algorithm!r} is not allowed for {key_type} keys (allowed: {names})"
        )
    return alg
