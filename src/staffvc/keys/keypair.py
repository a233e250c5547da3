"""Public keys and in-memory key pairs, built on pyca/cryptography.

:class:`PublicKey` is immutable and hashable; it verifies signatures (pinning the algorithm
to the allow-list of its key type) and converts to JWK and Multikey. :class:`KeyPair` holds a
private key in memory and implements :class:`~staffvc.keys.Signer`. Neither ever shows
private material in ``repr``, ``str`` or error messages; export is by explicitly named
methods only (:meth:`KeyPair.private_jwk`, :meth:`KeyPair.private_multikey`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn, TypeAlias

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from nacl.bindings import (
    crypto_sign_ed25519_pk_to_curve25519,
    crypto_sign_ed25519_sk_to_curve25519,
)

from staffvc.errors import InvalidKeyError, SignatureError, UnsupportedAlgorithmError
from staffvc.keys.algorithms import (
    DEFAULT_ALGORITHM,
    PRIVATE_KEY_LENGTH,
    Algorithm,
    KeyType,
    check_algorithm,
)
from staffvc.keys.jwk import build_jwk, jwk_thumbprint, parse_jwk
from staffvc.keys.multikey import decode_multikey, encode_multikey
from staffvc.keys.points import EC_CURVES, validate_public_raw

__all__ = ["KeyPair", "PublicKey"]

_CryptoPublic: TypeAlias = (
    ed25519.Ed25519PublicKey | x25519.X25519PublicKey | ec.EllipticCurvePublicKey
)
_CryptoPrivate: TypeAlias = (
    ed25519.Ed25519PrivateKey | x25519.X25519PrivateKey | ec.EllipticCurvePrivateKey
)

_HASH: dict[Algorithm, type[hashes.HashAlgorithm]] = {
    Algorithm.ES256: hashes.SHA256,
    Algorithm.ES256K: hashes.SHA256,
    Algorithm.ES384: hashes.SHA384,
}
_SCALAR_BYTES = {KeyType.P256: 32, KeyType.P384: 48, KeyType.SECP256K1: 32}
_SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _key_type(value: KeyType | str) -> KeyType:
    try:
        return KeyType(value)
    except ValueError:
        names = ", ".join(k.value for k in KeyType)
        raise InvalidKeyError(f"unknown key type {value!r} (one of {names})") from None


class PublicKey:
    """A validated public key of one of the supported :class:`KeyType` s."""

    __slots__ = ("_crypto", "_key_type", "_raw")

    def __init__(self, key_type: KeyType, raw: bytes) -> None:
        """Prefer the ``from_*`` constructors; ``raw`` is validated here all the same."""
        key_type = _key_type(key_type)
        validate_public_raw(key_type, raw)
        self._key_type = key_type
        self._raw = bytes(raw)
        self._crypto: _CryptoPublic
        if key_type is KeyType.ED25519:
            self._crypto = ed25519.Ed25519PublicKey.from_public_bytes(raw)
        elif key_type is KeyType.X25519:
            self._crypto = x25519.X25519PublicKey.from_public_bytes(raw)
        else:
            self._crypto = ec.EllipticCurvePublicKey.from_encoded_point(EC_CURVES[key_type], raw)

    # --- construction ------------------------------------------------------------------

    @classmethod
    def from_raw(cls, key_type: KeyType | str, raw: bytes) -> PublicKey:
        """From raw bytes: 32 for Ed25519/X25519, a compressed SEC1 point for the curves."""
        return cls(_key_type(key_type), raw)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, object]) -> PublicKey:
        """From a public JWK; a JWK holding ``d`` is refused (use :meth:`KeyPair.from_jwk`)."""
        parsed = parse_jwk(jwk, private=False)
        return cls(parsed.key_type, parsed.public_raw)

    @classmethod
    def from_multikey(cls, text: str) -> PublicKey:
        """From Multikey text (``publicKeyMultibase``); a secret-key codec is refused."""
        decoded = decode_multikey(text)
        if decoded.private:
            raise InvalidKeyError(
                "Multikey value holds a private key where a public key is expected"
            )
        return cls(decoded.key_type, decoded.raw)

    # --- properties and conversion -----------------------------------------------------

    @property
    def key_type(self) -> KeyType:
        return self._key_type

    @property
    def raw(self) -> bytes:
        """Raw public key bytes (compressed point for the elliptic curves)."""
        return self._raw

    @property
    def algorithm(self) -> Algorithm:
        """The default signature algorithm of this key (see :data:`DEFAULT_ALGORITHM`)."""
        if self._key_type not in DEFAULT_ALGORITHM:
            raise UnsupportedAlgorithmError(f"{self._key_type} keys do not sign")
        return DEFAULT_ALGORITHM[self._key_type]

    def to_jwk(self) -> dict[str, str]:
        return build_jwk(self._key_type, self._raw)

    def to_multikey(self) -> str:
        return encode_multikey(self._key_type, self._raw)

    def thumbprint(self) -> str:
        """RFC 7638 JWK thumbprint (SHA-256, base64url)."""
        return jwk_thumbprint(self.to_jwk())

    def to_x25519(self) -> PublicKey:
        """The X25519 key-agreement key of an Ed25519 key (RFC 7748 birational map)."""
        if self._key_type is not KeyType.ED25519:
            raise InvalidKeyError(f"only Ed25519 keys convert to X25519, not {self._key_type}")
        return PublicKey(KeyType.X25519, crypto_sign_ed25519_pk_to_curve25519(self._raw))

    # --- verification ------------------------------------------------------------------

    def verify(
        self, signature: bytes, data: bytes, *, algorithm: Algorithm | str | None = None
    ) -> bool:
        """True if ``signature`` (JOSE form) over ``data`` is valid for this key.

        ``algorithm`` defaults to the key's own; one outside the key type's allow-list raises
        :class:`UnsupportedAlgorithmError` (a policy error, not a bad signature).
        """
        alg = check_algorithm(
            self._key_type, algorithm if algorithm is not None else self.algorithm
        )
        crypto = self._crypto
        try:
            if isinstance(crypto, ed25519.Ed25519PublicKey):
                crypto.verify(signature, data)
                return True
            if isinstance(crypto, ec.EllipticCurvePublicKey):
                size = _SCALAR_BYTES[self._key_type]
                if len(signature) != 2 * size:
                    return False
                r = int.from_bytes(signature[:size], "big")
                s = int.from_bytes(signature[size:], "big")
                crypto.verify(encode_dss_signature(r, s), data, ec.ECDSA(_HASH[alg]()))
                return True
        except (InvalidSignature, ValueError):
            return False
        return False

    # --- value semantics ---------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return (self._key_type, self._raw) == (other._key_type, other._raw)

    def __hash__(self) -> int:
        return hash((self._key_type, self._raw))

    def __repr__(self) -> str:
        return f"PublicKey({self._key_type.value}, {self.to_multikey()})"


class KeyPair:
    """A private key held in memory, with its public key; a :class:`Signer`.

    ``key_id`` (the verification method a proof will name) is optional and set with
    :meth:`with_key_id`; ``algorithm`` defaults to the key type's default and may be set to
    another allowed one (for example ``Ed25519`` instead of ``EdDSA``).
    """

    __slots__ = ("_algorithm", "_key_id", "_private", "_public")

    def __init__(
        self,
        private: _CryptoPrivate,
        *,
        key_id: str | None = None,
        algorithm: Algorithm | str | None = None,
    ) -> None:
        """Prefer :meth:`generate` and the ``from_*`` constructors."""
        self._private = private
        self._public = _public_of(private)
        self._key_id = key_id
        key_type = self._public.key_type
        if algorithm is None:
            self._algorithm = DEFAULT_ALGORITHM.get(key_type)
        else:
            self._algorithm = check_algorithm(key_type, algorithm)

    # --- construction ------------------------------------------------------------------

    @classmethod
    def generate(cls, key_type: KeyType | str = KeyType.ED25519) -> KeyPair:
        """A fresh key from the operating system's CSPRNG."""
        key_type = _key_type(key_type)
        private: _CryptoPrivate
        if key_type is KeyType.ED25519:
            private = ed25519.Ed25519PrivateKey.generate()
        elif key_type is KeyType.X25519:
            private = x25519.X25519PrivateKey.generate()
        else:
            private = ec.generate_private_key(EC_CURVES[key_type])
        return cls(private)

    @classmethod
    def from_private_bytes(cls, key_type: KeyType | str, raw: bytes) -> KeyPair:
        """From the raw private key: the 32-byte seed (Ed25519, X25519) or the EC scalar."""
        key_type = _key_type(key_type)
        expected = PRIVATE_KEY_LENGTH[key_type]
        if len(raw) != expected:
            raise InvalidKeyError(
                f"{key_type} private key must be {expected} bytes, got {len(raw)}"
            )
        try:
            private: _CryptoPrivate
            if key_type is KeyType.ED25519:
                private = ed25519.Ed25519PrivateKey.from_private_bytes(raw)
            elif key_type is KeyType.X25519:
                private = x25519.X25519PrivateKey.from_private_bytes(raw)
            else:
                private = ec.derive_private_key(int.from_bytes(raw, "big"), EC_CURVES[key_type])
        except ValueError:
            raise InvalidKeyError(f"not a valid {key_type} private key") from None
        return cls(private)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, object]) -> KeyPair:
        """From a private JWK (with ``d``); ``kid`` and ``alg``, if present, are kept."""
        parsed = parse_jwk(jwk, private=True)
        assert parsed.private_raw is not None
        pair = cls.from_private_bytes(parsed.key_type, parsed.private_raw)
        kid, alg = jwk.get("kid"), jwk.get("alg")
        if kid is not None and not isinstance(kid, str):
            raise InvalidKeyError("JWK member 'kid' must be a string")
        return pair._replace(key_id=kid, algorithm=alg if isinstance(alg, str) else None)

    @classmethod
    def from_multikey(cls, secret: str) -> KeyPair:
        """From a Multikey secret key (``secretKeyMultibase``)."""
        decoded = decode_multikey(secret)
        if not decoded.private:
            raise InvalidKeyError("Multikey value is a public key; a secret key is needed")
        return cls.from_private_bytes(decoded.key_type, decoded.raw)

    def with_key_id(self, key_id: str | None) -> KeyPair:
        """The same key, naming verification method ``key_id`` when it signs."""
        return self._replace(key_id=key_id, algorithm=self._algorithm)

    def with_algorithm(self, algorithm: Algorithm | str) -> KeyPair:
        """The same key, signing under another allowed algorithm name."""
        return self._replace(key_id=self._key_id, algorithm=algorithm)

    def _replace(self, *, key_id: str | None, algorithm: Algorithm | str | None) -> KeyPair:
        return KeyPair(self._private, key_id=key_id, algorithm=algorithm)

    # --- Signer ------------------------------------------------------------------------

    @property
    def public_key(self) -> PublicKey:
        return self._public

    @property
    def key_type(self) -> KeyType:
        return self._public.key_type

    @property
    def key_id(self) -> str | None:
        return self._key_id

    @property
    def algorithm(self) -> Algorithm:
        if self._algorithm is None:
            raise UnsupportedAlgorithmError(f"{self.key_type} keys do not sign")
        return self._algorithm

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``: raw Ed25519 signature, or ECDSA ``r || s`` (low-S for secp256k1)."""
        private = self._private
        if isinstance(private, ed25519.Ed25519PrivateKey):
            return private.sign(data)
        if isinstance(private, ec.EllipticCurvePrivateKey):
            alg = self.algorithm
            r, s = decode_dss_signature(private.sign(data, ec.ECDSA(_HASH[alg]())))
            if self.key_type is KeyType.SECP256K1 and s > _SECP256K1_ORDER // 2:
                s = _SECP256K1_ORDER - s  # low-S form: many secp256k1 verifiers require it
            size = _SCALAR_BYTES[self.key_type]
            return r.to_bytes(size, "big") + s.to_bytes(size, "big")
        raise SignatureError(f"{self.key_type} keys do not sign")

    # --- explicit export of private material ---------------------------------------------

    def private_bytes(self) -> bytes:
        """The raw private key (seed or scalar). Handle as a secret."""
        private = self._private
        if isinstance(private, ec.EllipticCurvePrivateKey):
            size = _SCALAR_BYTES[self.key_type]
            return private.private_numbers().private_value.to_bytes(size, "big")
        return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def private_jwk(self) -> dict[str, str]:
        """The private JWK (with ``d``, and ``kid`` if set). Handle as a secret."""
        jwk = build_jwk(self.key_type, self._public.raw, self.private_bytes())
        if self._key_id is not None:
            jwk["kid"] = self._key_id
        return jwk

    def private_multikey(self) -> str:
        """The Multikey secret key text (``secretKeyMultibase``). Handle as a secret."""
        return encode_multikey(self.key_type, self.private_bytes(), private=True)

    def to_x25519(self) -> KeyPair:
        """The X25519 key-agreement key pair of an Ed25519 key pair."""
        private = self._private
        if not isinstance(private, ed25519.Ed25519PrivateKey):
            raise InvalidKeyError(f"only Ed25519 keys convert to X25519, not {self.key_type}")
        secret = crypto_sign_ed25519_sk_to_curve25519(self.private_bytes() + self._public.raw)
        return KeyPair.from_private_bytes(KeyType.X25519, secret)

    def __repr__(self) -> str:
        kid = f", key_id={self._key_id!r}" if self._key_id else ""
        return f"KeyPair({self.key_type.value}, public={self._public.to_multikey()}{kid})"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("KeyPair is not picklable: export it explicitly with private_jwk()")


def _public_of(private: _CryptoPrivate) -> PublicKey:
    public = private.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        return PublicKey(KeyType.ED25519, public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    if isinstance(public, x25519.X25519PublicKey):
        return PublicKey(KeyType.X25519, public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    for key_type, curve in EC_CURVES.items():
        if public.curve.name == curve.name:
            return PublicKey(
                key_type, public.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
            )
    raise InvalidKeyError(f"unsupported curve {public.curve.name}")
