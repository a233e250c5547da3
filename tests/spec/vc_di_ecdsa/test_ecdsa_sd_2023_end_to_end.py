"""ecdsa-sd-2023 end to end (VC-DI-ECDSA §3.6): a did:key P-256 issuer adds a base proof,
the holder derives a proof for the claims they choose, and the Verifier finds it VALID with
the issuer's DID bound to the proof's key."""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import SUITES, add_proof
from staffvc.proofs.data_integrity.ecdsa_sd import EcdsaSd2023, derive_proof
from staffvc.results import Code, Verdict
from staffvc.verifier import Verifier

ISSUER = KeyPair.generate(KeyType.P256)
ISSUER_DID = str(did_key(ISSUER.public_key))
# A credential must keep a subject (VCDM 2.0 §4.8), so the staff member's DID is mandatory.
MANDATORY = ["/issuer", "/validFrom", "/validUntil", "/credentialSubject/id"]
SUITE = EcdsaSd2023(mandatory_pointers=MANDATORY)
VERIFIER = Verifier(suites={**SUITES, "ecdsa-sd-2023": SUITE})
LOADER = BundledLoader()

CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:3f1d2a4e-8c55-4c1b-9f0e-1a2b3c4d5e6f",
    "type": ["VerifiableCredential", "StaffPassportCredential"],
    "issuer": {"id": ISSUER_DID, "name": "Example NHS Trust"},
    "validFrom": "2025-01-01T00:00:00Z",
    "validUntil": "2035-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:staff-1234",
        "type": "NHSStaffMember",
        "name": "Alex Example",
        "role": "Staff Nurse",
        "professionalRegistration": {"type": "Registration", "body": "NMC", "number": "12A3456E"},
        "employer": {"name": "Example NHS Trust", "odsCode": "RXX"},
        "trainings": [
            {"type": "Training", "course": "Fire Safety", "level": 1},
            {"type": "Training", "course": "Information Governance", "level": 2},
            {"type": "Training", "course": "Safeguarding Adults", "level": 3},
        ],
    },
}

SELECTABLE = [
    "/id",
    "/credentialSubject/name",
    "/credentialSubject/role",
    "/credentialSubject/professionalRegistration",
    "/credentialSubject/professionalRegistration/number",
    "/credentialSubject/employer/name",
    "/credentialSubject/employer/odsCode",
    "/credentialSubject/trainings/0",
    "/credentialSubject/trainings/1/course",
    "/credentialSubject/trainings/2/level",
    "/credentialSubject/trainings",
]


def _issue() -> dict[str, Any]:
    return add_proof(
        CREDENTIAL,
        ISSUER,
        suite=SUITE,
        purpose=AssertionPurpose(),
        created=datetime(2025, 1, 1, tzinfo=UTC),
        verification_method=vm_id_of(ISSUER.public_key),
        loader=LOADER,
    )


SECURED = _issue()


def test_issue_derive_verify_is_valid() -> None:
    derived = derive_proof(
        SECURED,
        ["/credentialSubject/name", "/credentialSubject/professionalRegistration/number"],
        loader=LOADER,
    )
    result = VERIFIER.verify_credential(derived, now=None)
    assert result.verdict is Verdict.VALID, result.explain()
    subject = derived["credentialSubject"]
    assert subject == {
        "id": "did:example:staff-1234",
        "type": "NHSStaffMember",
        "name": "Alex Example",
        "professionalRegistration": {"type": "Registration", "number": "12A3456E"},
    }
    assert derived["issuer"] == CREDENTIAL["issuer"]


def test_base_proof_given_to_the_verifier_is_invalid() -> None:
    result = VERIFIER.verify_credential(SECURED, now=None)
    assert result.verdict is Verdict.INVALID
    failed = [c for c in result.checks if c.code is Code.PROOF_VERIFICATION_ERROR]
    assert failed
    assert "base proof" in failed[0].detail


def test_tampered_derived_credential_is_invalid() -> None:
    derived = derive_proof(SECURED, ["/credentialSubject/role"], loader=LOADER)
    derived["credentialSubject"]["role"] = "Consultant"
    result = VERIFIER.verify_credential(derived, now=None)
    assert result.verdict is Verdict.INVALID
    assert any(c.code is Code.PROOF_VERIFICATION_ERROR for c in result.checks)


def test_issuer_must_control_the_proof_key() -> None:
    impostor = KeyPair.generate(KeyType.P256)
    forged = add_proof(
        CREDENTIAL,  # claims ISSUER_DID as issuer, signed by another did:key
        impostor,
        suite=SUITE,
        purpose=AssertionPurpose(),
        created=None,
        verification_method=vm_id_of(impostor.public_key),
        loader=LOADER,
    )
    derived = derive_proof(forged, [], loader=LOADER)
    result = VERIFIER.verify_credential(derived, now=None)
    assert result.verdict is Verdict.INVALID
    assert any(c.code is Code.CONTROLLER_MISMATCH for c in result.checks)


def test_the_default_verifier_knows_ecdsa_sd() -> None:
    derived = derive_proof(SECURED, [], loader=LOADER)
    assert Verifier().verify_credential(derived, now=None).verdict is Verdict.VALID


def test_a_verifier_without_ecdsa_sd_is_indeterminate() -> None:
    from staffvc.proofs.data_integrity.suites import HASH_AND_SIGN_SUITES

    derived = derive_proof(SECURED, [], loader=LOADER)
    result = Verifier(suites=HASH_AND_SIGN_SUITES).verify_credential(derived, now=None)
    assert result.verdict is Verdict.INDETERMINATE
    assert any(c.code is Code.UNKNOWN_CRYPTOSUITE for c in result.checks)


@pytest.mark.parametrize("pointers", list(itertools.combinations(SELECTABLE[:4], 2)))
def test_pairs_of_pointers_verify(pointers: tuple[str, ...]) -> None:
    derived = derive_proof(SECURED, list(pointers), loader=LOADER)
    assert VERIFIER.verify_credential(derived, now=None).verdict is Verdict.VALID


@settings(max_examples=40, deadline=None)
@given(pointers=st.lists(st.sampled_from(SELECTABLE), unique=True, max_size=len(SELECTABLE)))
def test_property_any_subset_of_selectable_pointers_verifies(pointers: list[str]) -> None:
    """Whatever the holder discloses, in whatever order, the derived credential verifies,
    shows every mandatory claim, and shows no claim that was not selected."""
    derived = derive_proof(SECURED, pointers, loader=LOADER)
    result = VERIFIER.verify_credential(copy.deepcopy(derived), now=None)
    assert result.verdict is Verdict.VALID, result.explain()
    for mandatory in ("issuer", "validFrom", "validUntil"):
        assert derived[mandatory] == CREDENTIAL[mandatory]
    shown = derived["credentialSubject"]
    assert shown["id"] == "did:example:staff-1234"
    if not any(p.startswith("/credentialSubject/role") for p in pointers):
        assert "role" not in shown
    if "/credentialSubject/name" not in pointers:
        assert "name" not in shown
