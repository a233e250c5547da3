"""Helpers for the status tests (spec, status, interop): issuers, signed lists, verifiers.

Imported as ``spec.bitstring_status_list.statuskit`` (``tests`` is on ``pythonpath``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.results import Check, CheckRecorder, Code, Stage, Verdict, VerificationResult
from staffvc.status import (
    Bitstring,
    InMemoryStatusListSource,
    StatusChecker,
    StatusCheckLimits,
    StatusResult,
    build_status_list_credential,
)
from staffvc.verifier import Verifier

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIST_URL = "https://status.trust.example.nhs.uk/lists/1"
V2 = "https://www.w3.org/ns/credentials/v2"
LOADER = BundledLoader()


@dataclass(frozen=True)
class Issuer:
    key: KeyPair
    did: str


def issuer(seed: int, key_type: KeyType = KeyType.ED25519) -> Issuer:
    """A deterministic did:key issuer (Ed25519 from a 32-byte seed)."""
    key = KeyPair.from_private_bytes(key_type, bytes([seed]) * 32)
    key = key.with_key_id(vm_id_of(key.public_key))
    return Issuer(key=key, did=did_key(key.public_key))


TRUST = issuer(1)
OTHER = issuer(2)


def bits_with(*indexes: int, length: int = 131_072, status_size: int = 1) -> Bitstring:
    bitstring = Bitstring(length, status_size=status_size)
    for index in indexes:
        bitstring.set(index, 1)
    return bitstring


def list_credential(
    by: Issuer = TRUST,
    bitstring: Bitstring | None = None,
    *,
    purpose: str | list[str] = "revocation",
    url: str = LIST_URL,
    valid_from: datetime | None = NOW - timedelta(days=1),
    valid_until: datetime | None = NOW + timedelta(days=1),
    ttl_ms: int | None = None,
    status_messages: list[dict[str, Any]] | None = None,
    version: str = "2.0",
) -> dict[str, Any]:
    return build_status_list_credential(
        list_url=url,
        issuer=by.did,
        status_purpose=purpose,
        bitstring=bitstring if bitstring is not None else bits_with(),
        valid_from=valid_from,
        valid_until=valid_until,
        ttl_ms=ttl_ms,
        status_messages=status_messages,
        version=version,
    )


def sign(document: dict[str, Any], by: Issuer = TRUST, *, suite: str = "eddsa-rdfc-2022") -> Any:
    return add_proof(
        document,
        by.key,
        suite=suite,
        purpose=AssertionPurpose(),
        created=NOW - timedelta(days=1),
        loader=LOADER,
    )


def credential(status: Any, *, by: Issuer = TRUST, version: str = "2.0") -> dict[str, Any]:
    """An (unsigned) credential carrying ``status`` as its credentialStatus."""
    document: dict[str, Any] = {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": by.did,
        "credentialSubject": {"id": "did:example:staff-1"},
        "credentialStatus": status,
    }
    if version == "1.1":
        document["@context"] = [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/vc/status-list/2021/v1",
        ]
        document["issuanceDate"] = "2026-01-01T00:00:00Z"
    return document


def real_verifier(now: datetime = NOW) -> Callable[[Any], VerificationResult]:
    """Verifies list credentials the way the Verifier does (proofs, issuer binding, dates)."""
    verifier = Verifier(loader=LOADER)

    def verify(document: Any) -> VerificationResult:
        return verifier.verify_credential(document, now=now)

    return verify


@dataclass
class StubVerifier:
    """A list verifier that returns a fixed verdict made of real checks, counting calls."""

    verdict: Verdict = Verdict.VALID
    calls: list[Any] = field(default_factory=list)

    def __call__(self, document: Any) -> VerificationResult:
        self.calls.append(copy.deepcopy(document))
        recorder = CheckRecorder(required=[Stage.PROOF], subject="status list")
        if self.verdict is Verdict.VALID:
            recorder.add(Check.passed(Stage.PROOF, "proof[0].signature"))
        elif self.verdict is Verdict.INVALID:
            recorder.fail(
                Stage.PROOF, "proof[0].signature", Code.PROOF_VERIFICATION_ERROR, "bad signature"
            )
        else:
            recorder.error(
                Stage.PROOF, "proof[0].verificationMethod", Code.DID_RESOLUTION_ERROR, "offline"
            )
        return recorder.result()


def checker_for(
    lists: dict[str, Any],
    *,
    verify: Callable[[Any], VerificationResult] | None = None,
    limits: StatusCheckLimits | None = None,
    **kwargs: Any,
) -> StatusChecker:
    source = InMemoryStatusListSource()
    for url, document in lists.items():
        source.publish(url, document)
    return StatusChecker(
        source,
        verify_list_credential=verify or StubVerifier(),
        limits=limits or StatusCheckLimits(),
        **kwargs,
    )


def run_check(
    checker: StatusChecker, document: dict[str, Any], *, now: datetime = NOW
) -> tuple[StatusResult, VerificationResult]:
    recorder = CheckRecorder(required=[Stage.STATUS], subject="credential")
    status = checker.check(document, recorder, now=now)
    return status, recorder.result()


def codes(result: VerificationResult) -> list[Code]:
    return result.codes()
