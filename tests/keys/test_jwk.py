"""JWK import/export (RFC 7517, RFC 7518 §6.2, RFC 8037): bad input gives coded errors."""

from __future__ import annotations

from typing import Any

import pytest

from staffvc.errors import (
    InvalidKeyError,
    KeyLengthError,
    StaffVCError,
    UnsupportedAlgorithmError,
    UnsupportedKeyTypeError,
)
from staffvc.keys import KeyPair, KeyType, PublicKey, b64url_encode, parse_jwk

EC_TYPES = [KeyType.P256, KeyType.P384, KeyType.SECP256K1]


@pytest.fixture(params=list(KeyType), ids=str)
def pair(request: pytest.FixtureRequest) -> KeyPair:
    return KeyPair.generate(request.param)


def test_public_and_private_jwk_round_trip(pair: KeyPair) -> None:
    assert PublicKey.from_jwk(pair.public_key.to_jwk()) == pair.public_key
    again = KeyPair.from_jwk(pair.private_jwk())
    assert again.private_bytes() == pair.private_bytes()


def test_ec_jwk_has_uncompressed_coordinates() -> None:
    for key_type in EC_TYPES:
        jwk = KeyPair.generate(key_type).public_key.to_jwk()
        assert set(jwk) == {"kty", "crv", "x", "y"}
        assert jwk["kty"] == "EC"


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda j: j.pop("kty"), InvalidKeyError),
        (lambda j: j.pop("crv"), InvalidKeyError),
        (lambda j: j.pop("x"), InvalidKeyError),
        (lambda j: j.__setitem__("kty", "RSA"), UnsupportedKeyTypeError),
        (lambda j: j.__setitem__("crv", "P-521"), UnsupportedKeyTypeError),
        (lambda j: j.__setitem__("crv", 7), InvalidKeyError),
        (lambda j: j.__setitem__("x", j["x"] + "="), InvalidKeyError),
        (lambda j: j.__setitem__("x", j["x"][:-3]), KeyLengthError),
        (lambda j: j.__setitem__("x", "!!" + j["x"][2:]), InvalidKeyError),
        (lambda j: j.__setitem__("alg", "ES256"), UnsupportedAlgorithmError),
        (lambda j: j.__setitem__("alg", "none"), UnsupportedAlgorithmError),
        (lambda j: j.__setitem__("alg", "HS256"), UnsupportedAlgorithmError),
        (lambda j: j.__setitem__("y", j["x"]), InvalidKeyError),
        (lambda j: j.__setitem__("kty", "EC"), InvalidKeyError),
    ],
    ids=[
        "no-kty",
        "no-crv",
        "no-x",
        "rsa",
        "p521",
        "crv-not-string",
        "padded",
        "short",
        "alphabet",
        "wrong-alg",
        "alg-none",
        "alg-hmac",
        "okp-with-y",
        "kty-crv-mismatch",
    ],
)
def test_bad_ed25519_jwk_is_refused(mutate: Any, error: type[StaffVCError]) -> None:
    jwk: dict[str, Any] = dict(KeyPair.generate(KeyType.ED25519).public_key.to_jwk())
    mutate(jwk)
    with pytest.raises(error):
        PublicKey.from_jwk(jwk)


@pytest.mark.parametrize("key_type", EC_TYPES, ids=str)
def test_ec_point_not_on_curve_is_refused(key_type: KeyType) -> None:
    jwk = dict(KeyPair.generate(key_type).public_key.to_jwk())
    y = bytearray(__import__("staffvc.keys", fromlist=["b64url_decode"]).b64url_decode(jwk["y"]))
    y[-1] ^= 1
    jwk["y"] = b64url_encode(bytes(y))
    with pytest.raises(InvalidKeyError, match="not on the"):
        PublicKey.from_jwk(jwk)


def test_private_key_where_public_expected_is_refused(pair: KeyPair) -> None:
    with pytest.raises(InvalidKeyError, match="private key"):
        PublicKey.from_jwk(pair.private_jwk())


def test_public_key_where_private_expected_is_refused(pair: KeyPair) -> None:
    with pytest.raises(InvalidKeyError, match="no private key"):
        KeyPair.from_jwk(pair.public_key.to_jwk())


def test_d_that_does_not_match_x_is_refused_without_echoing_it(pair: KeyPair) -> None:
    other = KeyPair.generate(pair.key_type).private_jwk()
    jwk = dict(pair.private_jwk())
    jwk["d"] = other["d"]
    with pytest.raises(InvalidKeyError, match="does not match") as info:
        KeyPair.from_jwk(jwk)
    assert other["d"] not in str(info.value)
    assert jwk["d"] not in repr(info.value)


def test_ed25519_small_order_point_is_refused() -> None:
    identity = (1).to_bytes(32, "little")  # the neutral element: signatures would be forgeable
    with pytest.raises(InvalidKeyError):
        PublicKey.from_jwk({"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(identity)})


def test_jwk_must_be_an_object() -> None:
    with pytest.raises(InvalidKeyError):
        parse_jwk(["kty", "OKP"])  # type: ignore[arg-type]


def test_kid_and_alg_are_kept_on_import() -> None:
    pair = KeyPair.generate(KeyType.ED25519)
    jwk = {**pair.private_jwk(), "kid": "did:example:1#k", "alg": "Ed25519"}
    again = KeyPair.from_jwk(jwk)
    assert again.key_id == "did:example:1#k"
    assert again.algorithm == "Ed25519"
