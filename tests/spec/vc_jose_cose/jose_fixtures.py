"""Shared helpers for the JOSE/COSE tests: signers on did:key, DID documents served by an
in-memory DID method, credentials, and one-call verification into a VerificationResult."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from staffvc.did import DidDocument, DidKeyMethod, Resolver, did_key, vm_id_of
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose import (
    verify_jwt_vc_v11,
    verify_jwt_vp_v11,
    verify_vc_cose,
    verify_vc_jose,
    verify_vp_jose,
)
from staffvc.results import CheckRecorder, Code, Outcome, Stage, VerificationResult

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LEEWAY = timedelta(seconds=60)
KEY_TYPES = (KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1)
REQUIRED = (Stage.PARSE, Stage.PURPOSE, Stage.PROOF)
V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"

_KEYS: dict[KeyType, KeyPair] = {}


def key_pair(key_type: KeyType = KeyType.ED25519) -> KeyPair:
    """One key per type for the whole session (generation is slow for nothing)."""
    if key_type not in _KEYS:
        _KEYS[key_type] = KeyPair.generate(key_type)
    return _KEYS[key_type]


def did_key_signer(key_type: KeyType = KeyType.ED25519) -> tuple[KeyPair, str]:
    """A signer whose key_id is its did:key verification method, and that DID."""
    pair = key_pair(key_type)
    return pair.with_key_id(vm_id_of(pair.public_key)), str(did_key(pair.public_key))


def credential(issuer: Any, /, **extra: Any) -> dict[str, Any]:
    """A VCDM 2.0 credential issued by ``issuer``."""
    document: dict[str, Any] = {
        "@context": [V2, "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "urn:uuid:2f3c4b5e-0c1d-4e2f-8a9b-0c1d2e3f4a5b",
        "type": ["VerifiableCredential", "ExampleStaffCredential"],
        "issuer": issuer,
        "validFrom": "2025-06-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:staff-7", "role": "Staff Nurse"},
    }
    document.update(extra)
    return document


def presentation(holder: str, credentials: list[Any], **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": holder,
        "verifiableCredential": credentials,
    }
    document.update(extra)
    return document


def credential_v11(issuer: Any, /, **extra: Any) -> dict[str, Any]:
    """A VCDM 1.1 credential issued by ``issuer``."""
    document: dict[str, Any] = {
        "@context": [V1, "https://www.w3.org/2018/credentials/examples/v1"],
        "id": "http://example.nhs.uk/credentials/3732",
        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
        "issuer": issuer,
        "issuanceDate": "2025-06-01T09:00:00Z",
        "expirationDate": "2027-06-01T09:00:00Z",
        "credentialSubject": {"id": "did:example:staff-7", "degree": {"type": "BSc"}},
    }
    document.update(extra)
    return document


@dataclass
class StaticMethod:
    """A DID method answering from a dict of documents (no network); ``method`` is its
    name, so ``StaticMethod("web", {...})`` stands in for did:web in offline tests."""

    method: str
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def resolve(self, did: str) -> DidDocument:
        from staffvc.errors import DidNotFoundError

        if did not in self.documents:
            raise DidNotFoundError(f"{did} is not known")
        return DidDocument(copy.deepcopy(self.documents[did]))


def did_document(
    did: str,
    keys: Mapping[str, KeyPair],
    *,
    assertion: list[str] | None = None,
    authentication: list[str] | None = None,
    controller: str | None = None,
    vm_type: str = "JsonWebKey",
) -> dict[str, Any]:
    """A DID document with one ``JsonWebKey`` method per ``keys`` entry (fragment → key)."""
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#{fragment}",
                "type": vm_type,
                "controller": controller or did,
                "publicKeyJwk": pair.public_key.to_jwk(),
            }
            for fragment, pair in keys.items()
        ],
        "assertionMethod": [f"#{f}" for f in (assertion if assertion is not None else keys)],
        "authentication": [
            f"#{f}" for f in (authentication if authentication is not None else keys)
        ],
    }


def resolver_with(*documents: dict[str, Any], method: str = "web") -> Resolver:
    """did:key plus an in-memory method holding ``documents``."""
    static = StaticMethod(method, {d["id"]: d for d in documents})
    return Resolver([DidKeyMethod(), static])


def new_recorder() -> CheckRecorder:
    return CheckRecorder(required=REQUIRED)


def verify_jwt(
    token: str | bytes, *, resolver: Resolver | None = None, now: datetime = NOW, **kw: Any
) -> VerificationResult:
    recorder = new_recorder()
    kw.setdefault("expected_typ", ("vc+jwt",))
    verify_vc_jose(token, recorder, resolver=resolver or Resolver(), now=now, leeway=LEEWAY, **kw)
    return recorder.result()


def verify_vp(
    token: str | bytes,
    *,
    challenge: str = "c-123",
    domain: str | None = None,
    resolver: Resolver | None = None,
    now: datetime = NOW,
) -> VerificationResult:
    recorder = new_recorder()
    verify_vp_jose(
        token,
        recorder,
        resolver=resolver or Resolver(),
        now=now,
        leeway=LEEWAY,
        challenge=challenge,
        domain=domain,
        expected_typ=("vp+jwt",),
    )
    return recorder.result()


def verify_v11(
    token: str | bytes, *, resolver: Resolver | None = None, now: datetime = NOW, **kw: Any
) -> VerificationResult:
    recorder = new_recorder()
    kw.setdefault("expected_typ", ("JWT",))
    verify_jwt_vc_v11(
        token, recorder, resolver=resolver or Resolver(), now=now, leeway=LEEWAY, **kw
    )
    return recorder.result()


def verify_vp_v11(
    token: str | bytes,
    *,
    challenge: str = "c-123",
    domain: str | None = None,
    resolver: Resolver | None = None,
    now: datetime = NOW,
) -> VerificationResult:
    recorder = new_recorder()
    verify_jwt_vp_v11(
        token,
        recorder,
        resolver=resolver or Resolver(),
        now=now,
        leeway=LEEWAY,
        challenge=challenge,
        domain=domain,
        expected_typ=("JWT",),
    )
    return recorder.result()


def verify_cose(
    data: bytes, *, resolver: Resolver | None = None, now: datetime = NOW
) -> VerificationResult:
    recorder = new_recorder()
    verify_vc_cose(data, recorder, resolver=resolver or Resolver(), now=now, leeway=LEEWAY)
    return recorder.result()


def outcome(result: VerificationResult, name: str) -> Outcome | None:
    """The outcome of check ``name`` (None if it was not recorded)."""
    found = [c.outcome for c in result.checks if c.name == name]
    assert len(found) <= 1, f"check {name} recorded twice"
    return found[0] if found else None


def code_of(result: VerificationResult, name: str) -> Code | None:
    found = [c.code for c in result.checks if c.name == name]
    return found[0] if found else None


def assert_valid(result: VerificationResult) -> None:
    assert result.ok, result.explain()


def assert_fails(result: VerificationResult, name: str, code: Code) -> None:
    """Check ``name`` FAILED with ``code``, and the whole result is not VALID."""
    assert not result.ok
    assert outcome(result, name) is Outcome.FAILED, result.explain()
    assert code_of(result, name) is code, result.explain()
