"""VC-DI-EdDSA §3 (eddsa-rdfc-2022, eddsa-jcs-2022) and the legacy Ed25519Signature2020:
Ed25519 is deterministic, so each vector's signed document reproduces byte for byte."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from staffvc.clock import parse_datetime
from staffvc.keys import KeyPair
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import SUITES, add_proof
from staffvc.results import Code, Outcome
from support import load_vector, vector_loader, verify_assertion_proofs

VECTORS: dict[str, dict[str, Any]] = load_vector("vc-di-eddsa/eddsa-vectors.json")
NOW = parse_datetime("2026-11-21T00:00:00Z")


def _sign(case: dict[str, Any]) -> dict[str, Any]:
    options = case["proofOptions"]
    key = KeyPair.from_multikey(case["keyPair"]["privateKeyMultibase"])
    return add_proof(
        case["unsignedDocument"],
        key,
        suite=case["cryptosuite"],
        purpose=AssertionPurpose(),
        created=parse_datetime(options["created"]),
        verification_method=options["verificationMethod"],
        loader=vector_loader(case["unsignedDocument"]),
    )


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_signed_document_reproduces_byte_for_byte(name: str) -> None:
    case = VECTORS[name]
    signed = _sign(case)
    assert signed["proof"]["proofValue"] == case["proofValue"]
    assert json.dumps(signed) == json.dumps(case["signedDocument"])


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_intermediates_hashes_and_signature(name: str) -> None:
    """proofConfigHash || documentHash is what Ed25519 signs (signatureHex)."""
    case = VECTORS[name]
    combined = bytes.fromhex(case["combinedHashHex"])
    assert combined[:32] == hashlib.sha256(case["canonicalProofConfig"].encode()).digest()
    assert combined[32:] == hashlib.sha256(case["canonicalDocument"].encode()).digest()
    assert case["proofConfigHashHex"] + case["documentHashHex"] == case["combinedHashHex"]
    key = KeyPair.from_multikey(case["keyPair"]["privateKeyMultibase"])
    assert key.sign(combined).hex() == case["signatureHex"]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_4_4_vector_signed_documentsverify_assertion_proofs(name: str) -> None:
    recorder = verify_assertion_proofs(VECTORS[name]["signedDocument"], controller=None)
    assert recorder.result().ok, recorder.result().explain()


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_4_4_issuer_must_control_the_key(name: str) -> None:
    """The vectors' issuer is an https URL while the key is a did:key: bound, that fails."""
    document = VECTORS[name]["signedDocument"]
    recorder = verify_assertion_proofs(document, controller=document["issuer"])
    assert recorder.result().codes() == [Code.CONTROLLER_MISMATCH]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_4_4_tampered_document_fails(name: str) -> None:
    document = copy.deepcopy(VECTORS[name]["signedDocument"])
    document["credentialSubject"]["id"] = "did:example:someone-else"
    recorder = verify_assertion_proofs(document, controller=None)
    assert recorder.result().codes() == [Code.PROOF_VERIFICATION_ERROR]


def test_ed25519signature2020_adds_its_context_when_missing() -> None:
    case = VECTORS["Ed25519Signature2020"]
    assert (
        "https://w3id.org/security/suites/ed25519-2020/v1"
        not in case["unsignedDocument"]["@context"]
    )
    assert _sign(case)["@context"] == case["signedDocument"]["@context"]
    document = copy.deepcopy(case["signedDocument"])
    document["@context"] = document["@context"][:2]  # the proof's terms would fall to @vocab
    result = verify_assertion_proofs(document, controller=None).result()
    assert result.codes() == [Code.MALFORMED_PROOF_ERROR]


def test_all_suites_are_registered() -> None:
    assert {"eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"} <= set(SUITES)
    assert all(
        c.outcome is Outcome.PASSED
        for c in verify_assertion_proofs(
            VECTORS["eddsa-jcs-2022"]["signedDocument"], controller=None
        ).checks
    )
