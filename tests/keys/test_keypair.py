"""Key pairs: signing, verification, algorithm pinning, and secrecy of private keys."""

from __future__ import annotations

import logging
import pickle

import pytest

from staffvc.errors import InvalidKeyError, UnsupportedAlgorithmError
from staffvc.keys import Algorithm, KeyPair, KeyType, PublicKey, SignatureVerifier, Signer

SIGNING = [KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1]
SIG_LENGTH = {KeyType.ED25519: 64, KeyType.P256: 64, KeyType.P384: 96, KeyType.SECP256K1: 64}


@pytest.mark.parametrize("key_type", SIGNING, ids=str)
def test_sign_and_verify(key_type: KeyType) -> None:
    pair = KeyPair.generate(key_type)
    signature = pair.sign(b"payload")
    assert len(signature) == SIG_LENGTH[key_type]
    assert pair.public_key.verify(signature, b"payload")
    assert not pair.public_key.verify(signature, b"payload!")
    assert not pair.public_key.verify(signature[:-1], b"payload")
    assert not pair.public_key.verify(b"", b"payload")
    other = KeyPair.generate(key_type).public_key
    assert not other.verify(signature, b"payload")


def test_key_pairs_implement_the_protocols() -> None:
    pair = KeyPair.generate()
    assert isinstance(pair, Signer)
    assert isinstance(pair.public_key, SignatureVerifier)
    assert pair.key_id is None
    assert pair.with_key_id("did:example:a#1").key_id == "did:example:a#1"


def test_secp256k1_signatures_are_low_s() -> None:
    order = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    pair = KeyPair.generate(KeyType.SECP256K1)
    for i in range(50):
        s = int.from_bytes(pair.sign(bytes([i]))[32:], "big")
        assert s <= order // 2


@pytest.mark.parametrize(
    ("key_type", "alg"),
    [
        (KeyType.ED25519, "ES256"),
        (KeyType.P256, "ES384"),
        (KeyType.P256, "ES256K"),
        (KeyType.P384, "ES256"),
        (KeyType.SECP256K1, "ES256"),
        (KeyType.ED25519, "none"),
        (KeyType.P256, "HS256"),
    ],
)
def test_algorithm_outside_the_allow_list_is_refused(key_type: KeyType, alg: str) -> None:
    pair = KeyPair.generate(key_type)
    with pytest.raises(UnsupportedAlgorithmError):
        pair.public_key.verify(pair.sign(b"x"), b"x", algorithm=alg)
    with pytest.raises(UnsupportedAlgorithmError):
        pair.with_algorithm(alg)


def test_x25519_does_not_sign() -> None:
    pair = KeyPair.generate(KeyType.X25519)
    with pytest.raises(UnsupportedAlgorithmError):
        _ = pair.algorithm
    with pytest.raises(UnsupportedAlgorithmError):
        pair.public_key.verify(b"\0" * 64, b"x")


def test_ed25519_to_x25519_matches_for_public_and_private() -> None:
    pair = KeyPair.generate(KeyType.ED25519)
    assert pair.to_x25519().public_key == pair.public_key.to_x25519()
    with pytest.raises(InvalidKeyError):
        KeyPair.generate(KeyType.P256).public_key.to_x25519()


def test_private_material_never_in_repr_str_logs_or_pickle(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pair = KeyPair.generate(KeyType.P256).with_key_id("did:example:a#1")
    secrets = [pair.private_jwk()["d"], pair.private_multikey(), pair.private_bytes().hex()]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("key %s %r", pair, pair)
    texts = [repr(pair), str(pair), f"{pair}", caplog.text]
    for text in texts:
        for secret in secrets:
            assert secret not in text
    with pytest.raises(TypeError):
        pickle.dumps(pair)


def test_private_bytes_round_trip_and_bad_lengths() -> None:
    for key_type in KeyType:
        pair = KeyPair.generate(key_type)
        assert (
            KeyPair.from_private_bytes(key_type, pair.private_bytes()).public_key == pair.public_key
        )
        with pytest.raises(InvalidKeyError):
            KeyPair.from_private_bytes(key_type, pair.private_bytes()[:-1])


def test_ec_scalar_zero_is_refused() -> None:
    with pytest.raises(InvalidKeyError):
        KeyPair.from_private_bytes(KeyType.P256, bytes(32))


def test_unknown_key_type_is_a_clear_error() -> None:
    with pytest.raises(InvalidKeyError, match="unknown key type"):
        KeyPair.generate("RSA")


def test_public_keys_are_values() -> None:
    pair = KeyPair.generate()
    same = PublicKey.from_raw(KeyType.ED25519, pair.public_key.raw)
    assert same == pair.public_key
    assert hash(same) == hash(pair.public_key)
    assert len({same, pair.public_key}) == 1
    assert "z6Mk" in repr(same)
    assert pair.algorithm is Algorithm.EDDSA


class RemoteSigner:
    """Stands in for an HSM or KMS client: the private key stays behind ``sign``."""

    def __init__(self, pair: KeyPair) -> None:
        self._sign = pair.sign
        self.calls = 0

    @property
    def algorithm(self) -> Algorithm:
        return Algorithm.ES256

    @property
    def key_id(self) -> str | None:
        return "did:web:trust.example.nhs.uk#hsm-1"

    def sign(self, data: bytes) -> bytes:
        self.calls += 1
        return self._sign(data)


def test_any_object_with_the_three_members_is_a_signer() -> None:
    pair = KeyPair.generate(KeyType.P256)
    remote = RemoteSigner(pair)
    assert isinstance(remote, Signer)
    assert pair.public_key.verify(remote.sign(b"data"), b"data", algorithm=remote.algorithm)
    assert remote.calls == 1
