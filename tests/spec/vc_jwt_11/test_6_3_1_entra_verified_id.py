"""VC Data Model 1.1 §6.3.1 in the shape Microsoft Entra Verified ID issues: a ``vc`` claim,
a ``did:web`` issuer whose DID document (served over HTTPS from 127.0.0.1 with a throw-away
CA) holds an ``EcdsaSecp256k1VerificationKey2019`` JWK, ``alg: ES256K``, ``kid`` =
``did:web:...#...vcSigningKey-...``, ``typ: JWT``, issuance from ``iat`` (no ``nbf``), and a
``credentialStatus`` of type RevocationList2021Status / StatusList2021Entry. The token is
signed by jwcrypto, not by staffvc."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jwcrypto import jwk, jws

from spec.vc_jose_cose.jose_fixtures import LEEWAY, new_recorder, outcome
from staffvc.clock import FixedClock
from staffvc.did import Resolver
from staffvc.fetch import HttpsFetcher
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose import verify_jwt_vc_v11
from staffvc.results import Code, Outcome, VerificationResult
from support import LocalServer, Route, local_server

NOW = datetime(2026, 1, 1, tzinfo=UTC)
IAT = int((NOW - timedelta(days=30)).timestamp())
EXP = int((NOW + timedelta(days=150)).timestamp())
HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
FRAGMENT = "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5dvcSigningKey-7f3e2"
ISSUER_KEY = KeyPair.generate(KeyType.SECP256K1)
QUERIES = "W3sibWV0aG9kIjoiQ29sbGVjdGlvbnNRdWVyeSJ9XQ"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with local_server(tls_dir=Path(tmp_path_factory.mktemp("tls"))) as running:
        did = _did(running)
        running.routes["/.well-known/did.json"] = Route(
            body=json.dumps(_entra_did_document(did)).encode()
        )
        yield running


def _did(server: LocalServer) -> str:
    return f"did:web:localhost%3A{server.port}"


def _entra_did_document(did: str) -> dict[str, Any]:
    public = ISSUER_KEY.public_key.to_jwk() | {"kid": FRAGMENT}
    return {
        "id": did,
        "@context": ["https://www.w3.org/ns/did/v1", {"@base": did}],
        "service": [
            {
                "id": "#linkeddomains",
                "type": "LinkedDomains",
                "serviceEndpoint": {"origins": ["https://trust.nhs.example/"]},
            },
            {
                "id": "#hub",
                "type": "IdentityHub",
                "serviceEndpoint": {"instances": ["https://hub.did.msidentity.com/v1.0/x"]},
            },
        ],
        "verificationMethod": [
            {
                "id": f"#{FRAGMENT}",
                "controller": did,
                "type": "EcdsaSecp256k1VerificationKey2019",
                "publicKeyJwk": public,
            }
        ],
        "authentication": [f"#{FRAGMENT}"],
        "assertionMethod": [f"#{FRAGMENT}"],
    }


def _entra_claims(did: str, status_type: str) -> dict[str, Any]:
    status: dict[str, Any] = {
        "id": "urn:uuid:5a6b7c8d-0000-4000-8000-000000000001?bit-index=1234",
        "type": status_type,
        "statusListIndex": 1234,
        "statusListCredential": f"{did}?service=IdentityHub&queries={QUERIES}",
    }
    if status_type == "StatusList2021Entry":
        status["statusPurpose"] = "revocation"
        status["statusListIndex"] = "1234"
    return {
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential", "VerifiedEmployee"],
            "credentialSubject": {
                "displayName": "Alex Morgan",
                "givenName": "Alex",
                "surname": "Morgan",
                "jobTitle": "Staff Nurse",
                "mail": "alex.morgan@trust.nhs.example",
                "preferredLanguage": "en-GB",
                "revocationId": "alex.morgan@trust.nhs.example",
            },
            "credentialStatus": status,
        },
        "jti": "urn:pic:80a509d2-5d8c-4d2f-9a5e-3c2b1a0f9e8d",
        "iss": did,
        "sub": HOLDER,
        "iat": IAT,
        "exp": EXP,
    }


def _jwcrypto_token(did: str, claims: dict[str, Any], *, kid: str | None = None) -> str:
    key = jwk.JWK(**ISSUER_KEY.private_jwk())
    token = jws.JWS(json.dumps(claims).encode())
    header = {"alg": "ES256K", "kid": kid or f"{did}#{FRAGMENT}", "typ": "JWT"}
    token.add_signature(key, alg="ES256K", protected=json.dumps(header))
    return str(token.serialize(compact=True))


def _resolver(server: LocalServer) -> Resolver:
    fetcher = HttpsFetcher(ssl_context=server.ssl_context())
    return Resolver.with_web(fetcher, clock=FixedClock(NOW))


def _verify(token: str, resolver: Resolver) -> tuple[VerificationResult, dict[str, Any] | None]:
    recorder = new_recorder()
    document = verify_jwt_vc_v11(
        token, recorder, resolver=resolver, now=NOW, leeway=LEEWAY, expected_typ=("JWT",)
    )
    return recorder.result(), document


@pytest.mark.parametrize("status_type", ["RevocationList2021Status", "StatusList2021Entry"])
def test_entra_shaped_credential_verifies(server: LocalServer, status_type: str) -> None:
    did = _did(server)
    claims = _entra_claims(did, status_type)
    resolver = _resolver(server)
    result, credential = _verify(_jwcrypto_token(did, claims), resolver)
    assert result.ok, result.explain()
    assert credential is not None
    assert credential["issuer"] == did
    assert credential["id"] == claims["jti"]
    assert credential["credentialSubject"]["id"] == HOLDER
    assert credential["issuanceDate"] == datetime.fromtimestamp(IAT, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert credential["expirationDate"] == datetime.fromtimestamp(EXP, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert credential["credentialStatus"] == claims["vc"]["credentialStatus"]
    for name in ("jwt.kid", "jwt.signature", "jwt.exp", "jwt.iat"):
        assert outcome(result, name) is Outcome.PASSED
    # the did:web document was fetched over HTTPS once, then served from the cache
    fetched = len(server.requests)
    assert _verify(_jwcrypto_token(did, claims), resolver)[0].ok
    assert len(server.requests) == fetched


def test_entra_shaped_credential_tampered_or_misattributed(server: LocalServer) -> None:
    did = _did(server)
    claims = _entra_claims(did, "RevocationList2021Status")
    resolver = _resolver(server)
    token = _jwcrypto_token(did, claims)
    head, body, sig = token.split(".")
    forged_claims = json.loads(jws.base64url_decode(body)) | {"sub": "did:example:mallory"}
    forged = f"{head}.{jws.base64url_encode(json.dumps(forged_claims))}.{sig}"
    result, _ = _verify(forged, resolver)
    assert outcome(result, "jwt.signature") is Outcome.FAILED
    assert Code.CRYPTOGRAPHIC_SECURITY_ERROR in result.codes()
    result, _ = _verify(_jwcrypto_token(did, claims, kid=f"{did}#other-key"), resolver)
    assert outcome(result, "jwt.kid") is Outcome.FAILED
    assert result.codes() == [Code.INVALID_VERIFICATION_METHOD]
    expired = claims | {"exp": IAT + 60}
    result, _ = _verify(_jwcrypto_token(did, expired), resolver)
    assert result.codes() == [Code.CREDENTIAL_EXPIRED]
