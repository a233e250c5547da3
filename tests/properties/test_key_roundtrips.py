"""Round trips for every key type: JWK <-> key <-> Multikey <-> did:key <-> did:jwk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from staffvc.did import Relationship, Resolver, did_jwk, did_key, vm_id_of
from staffvc.keys import KeyPair, KeyType, PublicKey, decode_multikey, jwk_thumbprint

ORDER = {
    KeyType.P256: 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    KeyType.P384: int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    KeyType.SECP256K1: 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}
SIZE = {KeyType.P256: 32, KeyType.P384: 48, KeyType.SECP256K1: 32}


@st.composite
def key_pairs(draw: st.DrawFn) -> KeyPair:
    key_type = draw(st.sampled_from(list(KeyType)))
    if key_type in ORDER:
        scalar = draw(st.integers(min_value=1, max_value=ORDER[key_type] - 1))
        return KeyPair.from_private_bytes(key_type, scalar.to_bytes(SIZE[key_type], "big"))
    return KeyPair.from_private_bytes(key_type, draw(st.binary(min_size=32, max_size=32)))


RESOLVER = Resolver()


@settings(max_examples=150, deadline=None)
@given(key_pairs())
def test_key_round_trips(pair: KeyPair) -> None:
    key = pair.public_key
    assert PublicKey.from_jwk(key.to_jwk()) == key
    assert PublicKey.from_multikey(key.to_multikey()) == key
    decoded = decode_multikey(key.to_multikey())
    assert (decoded.key_type, decoded.raw, decoded.private) == (key.key_type, key.raw, False)
    again = KeyPair.from_jwk(pair.private_jwk())
    assert again.private_bytes() == pair.private_bytes()
    assert KeyPair.from_multikey(pair.private_multikey()).public_key == key
    assert jwk_thumbprint(pair.private_jwk()) == key.thumbprint()
    relationship = (
        Relationship.KEY_AGREEMENT
        if key.key_type is KeyType.X25519
        else Relationship.ASSERTION_METHOD
    )
    assert did_key(key).endswith(key.to_multikey())
    assert RESOLVER.dereference(vm_id_of(key), relationship=relationship).public_key == key
    assert RESOLVER.dereference(did_jwk(key) + "#0", relationship=relationship).public_key == key


@settings(max_examples=60, deadline=None)
@given(key_pairs(), st.binary(max_size=256))
def test_sign_verify_round_trip(pair: KeyPair, message: bytes) -> None:
    if pair.key_type is KeyType.X25519:
        return
    signature = pair.sign(message)
    assert pair.public_key.verify(signature, message)
    assert not pair.public_key.verify(signature, message + b"\0")
