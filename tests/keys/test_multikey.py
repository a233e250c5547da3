"""Multikey (Controlled Identifiers 1.0 §2.2.2): multicodec header + multibase."""

from __future__ import annotations

import pytest

from staffvc.errors import InvalidKeyError, KeyLengthError, UnsupportedKeyTypeError
from staffvc.keys import (
    KeyPair,
    KeyType,
    PublicKey,
    decode_multikey,
    encode_multikey,
    multibase_decode,
    multibase_encode,
)
from support import load_vector

PREFIX = {
    KeyType.ED25519: "z6Mk",
    KeyType.X25519: "z6LS",
    KeyType.SECP256K1: "zQ3s",
    KeyType.P256: "zDna",
    KeyType.P384: "z82L",
}


@pytest.mark.parametrize("key_type", list(KeyType), ids=str)
def test_public_multikey_has_the_spec_prefix(key_type: KeyType) -> None:
    key = KeyPair.generate(key_type).public_key
    assert key.to_multikey().startswith(PREFIX[key_type])
    assert PublicKey.from_multikey(key.to_multikey()) == key


def test_spec_vector_secret_key_gives_its_public_key() -> None:
    for case in load_vector("vc-di-eddsa/eddsa-vectors.json").values():
        pair = KeyPair.from_multikey(case["keyPair"]["privateKeyMultibase"])
        assert pair.public_key.to_multikey() == case["keyPair"]["publicKeyMultibase"]
        assert pair.private_multikey() == case["keyPair"]["privateKeyMultibase"]


def test_secret_where_public_expected_and_vice_versa() -> None:
    pair = KeyPair.generate()
    with pytest.raises(InvalidKeyError):
        PublicKey.from_multikey(pair.private_multikey())
    with pytest.raises(InvalidKeyError):
        KeyPair.from_multikey(pair.public_key.to_multikey())


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", InvalidKeyError),
        ("x6Mk", InvalidKeyError),
        ("z0OIl", InvalidKeyError),
        ("u!!", InvalidKeyError),
        (multibase_encode(b""), InvalidKeyError),
        (multibase_encode(bytes.fromhex("ed01") + b"\x01" * 31), KeyLengthError),
        (multibase_encode(bytes.fromhex("ed01") + b"\x01" * 33), KeyLengthError),
        (multibase_encode(bytes.fromhex("8224") + b"\x02" * 67), UnsupportedKeyTypeError),
        (multibase_encode(bytes.fromhex("00") + b"\x02" * 32), UnsupportedKeyTypeError),
    ],
    ids=[
        "empty",
        "bad-prefix",
        "bad-base58",
        "bad-base64",
        "no-header",
        "short",
        "long",
        "p521",
        "identity",
    ],
)
def test_bad_multikey_values(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        decode_multikey(text)


def test_multikey_codec_mismatch_with_key_length() -> None:
    # a P-256 key (33 bytes) under the Ed25519 codec: the length check names the mismatch
    p256 = KeyPair.generate(KeyType.P256).public_key.raw
    with pytest.raises(KeyLengthError, match="Ed25519"):
        decode_multikey(multibase_encode(bytes.fromhex("ed01") + p256))
    with pytest.raises(KeyLengthError):
        encode_multikey(KeyType.ED25519, p256)


def test_base64url_multibase_is_read_too() -> None:
    key = KeyPair.generate().public_key
    data = multibase_decode(key.to_multikey())
    assert PublicKey.from_multikey(multibase_encode(data, "u")) == key
    with pytest.raises(ValueError, match="unsupported multibase"):
        multibase_encode(data, "f")
