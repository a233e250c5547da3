"""RFC 8037 Appendix A: Ed25519 JWK, RFC 7638 thumbprint, deterministic signature."""

from __future__ import annotations

from staffvc.keys import Algorithm, KeyPair, PublicKey, b64url_encode, jwk_thumbprint
from support import load_vector

V = load_vector("rfc8037/rfc8037-ed25519.json")


def test_a1_private_jwk_imports_and_exports_unchanged() -> None:
    pair = KeyPair.from_jwk(V["A.1_privateKeyJwk"])
    assert pair.private_bytes().hex() == V["A.1_privateKeyHex"]
    assert pair.private_jwk() == V["A.1_privateKeyJwk"]


def test_a2_public_jwk() -> None:
    key = PublicKey.from_jwk(V["A.2_publicKeyJwk"])
    assert key.raw.hex() == V["A.2_publicKeyHex"]
    assert key.to_jwk() == V["A.2_publicKeyJwk"]
    assert KeyPair.from_jwk(V["A.1_privateKeyJwk"]).public_key == key


def test_a3_thumbprint() -> None:
    assert jwk_thumbprint(V["A.2_publicKeyJwk"]) == V["A.3_thumbprint_sha256_b64url"]
    assert (
        PublicKey.from_jwk(V["A.2_publicKeyJwk"]).thumbprint() == V["A.3_thumbprint_sha256_b64url"]
    )
    # the thumbprint of a private JWK is that of its public part
    assert jwk_thumbprint(V["A.1_privateKeyJwk"]) == V["A.3_thumbprint_sha256_b64url"]


def test_a4_signature_is_reproduced_byte_for_byte() -> None:
    pair = KeyPair.from_jwk(V["A.1_privateKeyJwk"])
    signature = pair.sign(V["A.4_signingInput"].encode("ascii"))
    assert signature.hex() == V["A.4_signatureHex"]
    assert b64url_encode(signature) == V["A.4_signature_b64url"]
    assert V["A.4_jws_compact"].endswith("." + b64url_encode(signature))


def test_a5_verification_with_both_algorithm_names() -> None:
    key = PublicKey.from_jwk(V["A.2_publicKeyJwk"])
    data = V["A.4_signingInput"].encode("ascii")
    signature = bytes.fromhex(V["A.4_signatureHex"])
    assert key.verify(signature, data, algorithm=Algorithm.EDDSA)
    assert key.verify(signature, data, algorithm="Ed25519")  # RFC 9864 name
    assert not key.verify(signature, data + b".")
