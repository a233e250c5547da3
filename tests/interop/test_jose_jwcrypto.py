"""Cross-check with jwcrypto (a second, independent Python JOSE implementation): it accepts
staffvc's vc+jwt and jwt-vc-1.1 tokens, staffvc accepts its tokens, and each side rejects
the other's tampered tokens."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from spec.vc_jose_cose.jose_fixtures import (
    KEY_TYPES,
    assert_fails,
    assert_valid,
    credential,
    credential_v11,
    did_key_signer,
    verify_jwt,
    verify_v11,
)
from staffvc.keys import KeyType, b64url_decode, b64url_encode
from staffvc.proofs.jose import issue_jwt_vc_v11, issue_vc_jwt
from staffvc.results import Code


def _flip(token: str) -> str:
    head, body, sig = token.split(".")
    raw = b64url_decode(sig)
    return f"{head}.{body}.{b64url_encode(raw[:-1] + bytes([raw[-1] ^ 1]))}"


def _jwcrypto_verify(token: str, public_jwk: dict[str, str], alg: str) -> bytes:
    check = jws.JWS()
    check.deserialize(token)
    check.verify(jwk.JWK(**public_jwk), alg=alg)
    return bytes(check.payload)


def _jwcrypto_sign(
    private_jwk: dict[str, str], alg: str, header: dict[str, object], payload: bytes
) -> str:
    token = jws.JWS(payload)
    token.add_signature(
        jwk.JWK(**private_jwk), alg=alg, protected=json.dumps({"alg": alg, **header})
    )
    return str(token.serialize(compact=True))


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_jwcrypto_accepts_ours_and_rejects_it_tampered(key_type: KeyType) -> None:
    signer, did = did_key_signer(key_type)
    alg = signer.algorithm.value
    token = issue_vc_jwt(credential(did), signer=signer)
    assert json.loads(_jwcrypto_verify(token, signer.public_key.to_jwk(), alg)) == credential(did)
    with pytest.raises(JWException):
        _jwcrypto_verify(_flip(token), signer.public_key.to_jwk(), alg)
    v11 = issue_jwt_vc_v11(credential_v11(did), signer=signer)
    assert json.loads(_jwcrypto_verify(v11, signer.public_key.to_jwk(), alg))[
        "vc"
    ] == credential_v11(did)


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_we_accept_jwcrypto_tokens_and_reject_them_tampered(key_type: KeyType) -> None:
    signer, did = did_key_signer(key_type)
    alg = signer.algorithm.value
    header = {"typ": "vc+jwt", "cty": "vc", "kid": signer.key_id}
    token = _jwcrypto_sign(signer.private_jwk(), alg, header, json.dumps(credential(did)).encode())
    assert_valid(verify_jwt(token))
    assert_fails(verify_jwt(_flip(token)), "jose.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)
    claims = {
        "iss": did,
        "jti": "http://example.nhs.uk/credentials/3732",
        "vc": credential_v11(did),
    }
    v11 = _jwcrypto_sign(
        signer.private_jwk(), alg, {"typ": "JWT", "kid": signer.key_id}, json.dumps(claims).encode()
    )
    assert_valid(verify_v11(v11))
