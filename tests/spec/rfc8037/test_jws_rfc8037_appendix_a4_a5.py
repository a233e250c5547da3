"""RFC 8037 Appendix A.4/A.5: staffvc's compact JWS reproduces the Ed25519 example exactly
(Ed25519 is deterministic) and verifies it; jwcrypto agrees both ways."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwk, jws

from staffvc.keys import KeyPair, PublicKey, b64url_encode
from staffvc.proofs.jose import JoseSignatureError, decode_compact, sign_compact, verify_compact
from support import load_vector

VECTOR = load_vector("rfc8037/rfc8037-ed25519.json")


def test_a4_sign_compact_reproduces_the_jws() -> None:
    signer = KeyPair.from_jwk(VECTOR["A.1_privateKeyJwk"])
    token = sign_compact({}, VECTOR["A.4_payload"].encode(), signer=signer)
    assert token == VECTOR["A.4_jws_compact"]
    assert token.split(".")[0] == VECTOR["A.4_protectedHeader_b64"]


def test_a5_verify_compact_verifies_the_jws() -> None:
    decoded = decode_compact(VECTOR["A.4_jws_compact"])
    assert decoded.header == VECTOR["A.4_protectedHeader"]
    assert decoded.payload == VECTOR["A.4_payload"].encode()
    assert decoded.signing_input == VECTOR["A.4_signingInput"].encode()
    assert decoded.signature.hex() == VECTOR["A.4_signatureHex"]
    verify_compact(decoded, PublicKey.from_jwk(VECTOR["A.2_publicKeyJwk"]))


def test_a5_a_changed_payload_does_not_verify() -> None:
    header, _, signature = VECTOR["A.4_jws_compact"].split(".")
    forged = f"{header}.{b64url_encode(b'Example of Ed25519 signinG')}.{signature}"
    with pytest.raises(JoseSignatureError) as caught:
        verify_compact(decode_compact(forged), PublicKey.from_jwk(VECTOR["A.2_publicKeyJwk"]))
    assert caught.value.code == "CRYPTOGRAPHIC_SECURITY_ERROR"


def test_jwcrypto_verifies_the_vector_and_signs_the_same_bytes() -> None:
    key = jwk.JWK(**VECTOR["A.1_privateKeyJwk"])
    theirs = jws.JWS(VECTOR["A.4_payload"].encode())
    theirs.add_signature(
        key, alg="EdDSA", protected=json.dumps({"alg": "EdDSA"}, separators=(",", ":"))
    )
    assert theirs.serialize(compact=True) == VECTOR["A.4_jws_compact"]
    check = jws.JWS()
    check.deserialize(VECTOR["A.4_jws_compact"])
    check.verify(jwk.JWK(**VECTOR["A.2_publicKeyJwk"]), alg="EdDSA")
    assert check.payload == VECTOR["A.4_payload"].encode()
