"""VC Data Integrity 1.0 §4.4 (verify proof) and VCDM 2.0 §7.1: bad input is a coded check,
never an exception and never VALID."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest

from staffvc.clock import FixedClock, parse_datetime
from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.results import Code, Verdict
from staffvc.verifier import Verifier

NOW = parse_datetime("2026-11-21T12:00:00Z")
V2 = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]


def issuer_key(key_type: KeyType = KeyType.ED25519) -> KeyPair:
    key = KeyPair.generate(key_type)
    return key.with_key_id(vm_id_of(key.public_key))


def credential(key: KeyPair, **extra: Any) -> dict[str, Any]:
    return {
        "@context": list(V2),
        "id": "urn:uuid:0f6f7f44-2d8a-4a49-8a6e-5b0d2c1e9a10",
        "type": ["VerifiableCredential"],
        "issuer": did_key(key.public_key),
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:staff-1", "name": "Fire Safety level 1"},
        **extra,
    }


def sign(
    document: dict[str, Any], key: KeyPair, suite: str = "eddsa-rdfc-2022", **options: Any
) -> dict[str, Any]:
    return add_proof(
        document,
        key,
        suite=suite,
        purpose=options.pop("purpose", AssertionPurpose()),
        created=options.pop("created", NOW - timedelta(days=1)),
        loader=BundledLoader(),
        **options,
    )


def verify(document: Any) -> Any:
    return Verifier(clock=FixedClock(NOW)).verify(document, challenge=None, domain=None, now=None)


@pytest.fixture
def key() -> KeyPair:
    return issuer_key()


def test_a_good_credential_is_valid(key: KeyPair) -> None:
    assert verify(sign(credential(key), key)).verdict is Verdict.VALID


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda p: p.__setitem__("proofValue", p["proofValue"][1:]), Code.MALFORMED_PROOF_ERROR),
        (
            lambda p: p.__setitem__("proofValue", "u" + p["proofValue"][1:]),
            Code.MALFORMED_PROOF_ERROR,
        ),
        (lambda p: p.__setitem__("proofValue", p["proofValue"][:-3]), Code.MALFORMED_PROOF_ERROR),
        (lambda p: p.__setitem__("proofValue", "z0OIl"), Code.MALFORMED_PROOF_ERROR),
        (lambda p: p.pop("proofValue"), Code.MALFORMED_PROOF_ERROR),
        (lambda p: p.pop("verificationMethod"), Code.MALFORMED_PROOF_ERROR),
        (lambda p: p.pop("proofPurpose"), Code.MALFORMED_PROOF_ERROR),
        (
            lambda p: p.__setitem__("proofPurpose", "authentication"),
            Code.MISMATCHED_PROOF_PURPOSE_ERROR,
        ),
        (lambda p: p.__setitem__("created", "yesterday"), Code.MALFORMED_PROOF_ERROR),
        (lambda p: p.__setitem__("created", "2026-11-19T12:00:00Z"), Code.PROOF_VERIFICATION_ERROR),
        (lambda p: p.__setitem__("expires", "2026-11-20T12:00:00Z"), Code.PROOF_VERIFICATION_ERROR),
        (lambda p: p.__setitem__("challenge", "extra-option"), Code.PROOF_VERIFICATION_ERROR),
        (lambda p: p.__setitem__("unknownOption", "x"), Code.PROOF_VERIFICATION_ERROR),
        (
            lambda p: p.__setitem__("verificationMethod", "did:key:z6Mk#x"),
            Code.INVALID_VERIFICATION_METHOD,
        ),
        (
            lambda p: p.__setitem__("verificationMethod", "https://example.com/key"),
            Code.INVALID_VERIFICATION_METHOD_URL,
        ),
    ],
    ids=[
        "no-z-prefix",
        "wrong-multibase",
        "short-signature",
        "not-base58",
        "no-proofValue",
        "no-vm",
        "no-purpose",
        "wrong-purpose",
        "bad-created",
        "changed-created",
        "expired",
        "extra-option",
        "undefined-option",
        "unresolvable-vm",
        "not-a-did-url",
    ],
)
def test_proof_mutations_have_coded_failures(key: KeyPair, mutate: Any, code: Code) -> None:
    document = sign(credential(key), key)
    mutate(document["proof"])
    result = verify(document)
    assert result.verdict is Verdict.INVALID, result.explain()
    assert code in result.codes(), result.explain()


def test_unknown_cryptosuite_is_indeterminate(key: KeyPair) -> None:
    document = sign(credential(key), key)
    document["proof"]["cryptosuite"] = "bbs-2023"
    result = verify(document)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.UNKNOWN_CRYPTOSUITE]


def test_unknown_proof_type_in_a_set_makes_the_set_indeterminate(key: KeyPair) -> None:
    document = sign(credential(key), key)
    document["proof"] = [document["proof"], {**document["proof"], "type": "BbsBlsSignature2020"}]
    assert verify(document).verdict is Verdict.INDETERMINATE


def test_verification_method_controlled_by_someone_else(key: KeyPair) -> None:
    other = issuer_key()
    document = sign(credential(key), other)  # issuer says key's DID, proof is by other's key
    result = verify(document)
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.CONTROLLER_MISMATCH]


def test_key_of_the_wrong_type_for_the_suite(key: KeyPair) -> None:
    p256 = issuer_key(KeyType.P256)
    document = sign(credential(p256), p256, suite="ecdsa-rdfc-2019")
    document["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    result = verify(document)
    assert result.verdict is Verdict.INVALID
    assert Code.INVALID_VERIFICATION_METHOD in result.codes()


def test_key_agreement_key_cannot_sign_assertions(key: KeyPair) -> None:
    document = sign(credential(key), key)
    did = did_key(key.public_key)
    x25519 = key.public_key.to_x25519().to_multikey()
    document["proof"]["verificationMethod"] = f"{did}#{x25519}"
    result = verify(document)
    assert result.codes() == [Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD]


def test_undefined_terms_in_the_credential_are_data_loss(key: KeyPair) -> None:
    document = credential(key)
    document["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    document["credentialSubject"]["name"] = "ok"  # defined by v2
    signed = sign(document, key)
    signed["credentialSubject"]["undefinedThing"] = "silently dropped elsewhere"
    result = verify(signed)
    # the v2 context's @vocab maps undefined terms: the signature no longer matches
    assert result.verdict is Verdict.INVALID


def test_vcdm_1_1_undefined_terms_are_refused_at_signing_and_verification(key: KeyPair) -> None:
    """VC 1.1 contexts have no @vocab: an undefined term would be dropped from the signed
    statements, so two different documents would share one signature (DI §2.4.3)."""
    from staffvc.errors import StaffVCError

    document = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": did_key(key.public_key),
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:staff-1"},
    }
    signed = sign(document, key)
    assert verify(signed).verdict is Verdict.VALID
    with pytest.raises(StaffVCError) as info:
        sign({**document, "undefinedThing": "x"}, key)
    assert info.value.code == "DATA_LOSS_DETECTION_ERROR"
    signed["undefinedThing"] = "added after signing"
    result = verify(signed)
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.DATA_LOSS_DETECTION_ERROR]


def test_context_that_cannot_be_loaded_is_indeterminate(key: KeyPair) -> None:
    document = sign(credential(key), key)
    document["@context"].append("https://example.com/not-bundled")
    result = verify(document)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.PARSING_ERROR]


@pytest.mark.parametrize(
    ("when", "code"),
    [
        ("2025-12-31T23:59:59Z", Code.CREDENTIAL_NOT_YET_VALID),
        ("2027-01-01T00:00:01Z", Code.CREDENTIAL_EXPIRED),
    ],
)
def test_validity_period(key: KeyPair, when: str, code: Code) -> None:
    document = sign(credential(key), key)
    result = Verifier().verify_credential(document, now=parse_datetime(when))
    assert result.codes() == [code]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"@context": "x"}',
        json.dumps({"a": "b" * (2 << 20)}),
        "[" * 5000 + "]" * 5000,
        '{"a": 1, "a": 2}',
    ],
    ids=["empty", "not-json", "array", "bad-context", "huge", "deep", "duplicate-member"],
)
def test_garbage_is_a_coded_result_not_an_exception(text: str) -> None:
    result = verify(text)
    assert result.verdict is Verdict.INVALID
    assert result.codes()[0] in (Code.PARSING_ERROR, Code.LIMIT_EXCEEDED)


def test_status_and_schema_the_verifier_cannot_check_yet_are_not_valid(key: KeyPair) -> None:
    status = {
        "id": "https://trust.example.nhs.uk/status/1#5",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": "https://trust.example.nhs.uk/status/1",
    }
    result = verify(sign(credential(key, credentialStatus=status), key))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.STATUS_RETRIEVAL_ERROR]


# --- presentations -----------------------------------------------------------------------


def presentation(
    holder: KeyPair, vc: dict[str, Any], *, challenge: str, domain: str | None
) -> dict[str, Any]:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did_key(holder.public_key),
        "verifiableCredential": [vc],
    }
    return sign(document, holder, purpose=AuthenticationPurpose(challenge=challenge, domain=domain))


def test_presentation_checks_challenge_and_domain_first(key: KeyPair) -> None:
    holder = issuer_key()
    vc = sign(credential(key), key)
    vp = presentation(holder, vc, challenge="nonce-1", domain="https://trust.example.nhs.uk")
    verifier = Verifier(clock=FixedClock(NOW))
    ok = verifier.verify_presentation(
        vp, challenge="nonce-1", domain="https://trust.example.nhs.uk", now=None
    )
    assert ok.verdict is Verdict.VALID
    assert [n.verdict for n in ok.nested] == [Verdict.VALID]
    wrong = verifier.verify_presentation(
        vp, challenge="nonce-2", domain="https://trust.example.nhs.uk", now=None
    )
    assert wrong.codes() == [Code.INVALID_CHALLENGE_ERROR]
    assert wrong.nested == ()  # credentials are not even looked at
    assert any(c.outcome == "SKIPPED" for c in wrong.checks)
    elsewhere = verifier.verify_presentation(
        vp, challenge="nonce-1", domain="https://evil.example", now=None
    )
    assert elsewhere.codes() == [Code.INVALID_DOMAIN_ERROR]


def test_presentation_with_a_bad_credential_is_invalid(key: KeyPair) -> None:
    holder = issuer_key()
    vc = sign(credential(key), key)
    vc["credentialSubject"]["name"] = "Advanced Life Support"
    vp = presentation(holder, vc, challenge="n", domain=None)
    result = Verifier(clock=FixedClock(NOW)).verify_presentation(
        vp, challenge="n", domain=None, now=None
    )
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.PROOF_VERIFICATION_ERROR]


def test_presentation_signed_by_someone_other_than_the_holder(key: KeyPair) -> None:
    holder, thief = issuer_key(), issuer_key()
    vc = sign(credential(key), key)
    vp = presentation(thief, vc, challenge="n", domain=None)
    vp_copy = copy.deepcopy(vp)
    vp_copy["holder"] = did_key(holder.public_key)
    result = Verifier(clock=FixedClock(NOW)).verify(vp_copy, challenge="n", domain=None, now=None)
    assert result.verdict is Verdict.INVALID


def test_presentation_without_challenge_is_invalid(key: KeyPair) -> None:
    vp = presentation(issuer_key(), sign(credential(key), key), challenge="n", domain=None)
    result = Verifier(clock=FixedClock(NOW)).verify(vp, challenge=None, domain=None, now=None)
    assert result.codes() == [Code.INVALID_CHALLENGE_ERROR]
