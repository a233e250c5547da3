"""Every NHS credential type issues and verifies in every proof format.

Data Integrity with the NHS context, offline and in safe mode (no undefined terms):
eddsa-rdfc-2022, and ecdsa-sd-2023 with the type's mandatory pointers (always-disclosed
members) and selective disclosure of the rest. JOSE: ``vc+jwt``; the VCDM credential
secured with SD-JWT (``vc+sd-jwt``) with the type's disclosable members; and the same
statements as an IETF SD-JWT VC (``dc+sd-jwt``, :func:`sd_jwt_vc_form`). The Verifier
checks the ``credentialSchema`` (a PASSED SCHEMA check); the type rules
(``check_credential_rules``) are run here on what the verifier received, as a verifier
policy step would.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from staffvc.credentials.nhs import (
    DISCLOSABLE,
    check_credential_rules,
    mandatory_pointers,
    sd_jwt_vc_form,
    selective_pointers,
    vct_of,
)
from staffvc.credentials.schema import check_credential_schema
from staffvc.did import Resolver
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import SUITES, EcdsaSd2023, add_proof, derive_proof
from staffvc.proofs.jose import issue_vc_jwt
from staffvc.proofs.jose.sd_jwt import did_issuer_key_resolver, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import issue_sd_jwt_vc, issue_vcdm_sd_jwt, verify_sd_jwt_vc
from staffvc.results import CheckRecorder, Code, Outcome, Stage, Verdict, VerificationResult
from staffvc.verifier import Verifier

Example = Callable[[str], dict[str, Any]]
Rekey = Callable[[dict[str, Any], KeyPair], dict[str, Any]]
At = Callable[[dict[str, Any]], datetime]
CREATED = datetime.fromisoformat("2025-01-01T00:00:00+00:00")


def _valid_with_schema(result: VerificationResult) -> None:
    assert result.verdict is Verdict.VALID, result.explain()
    assert any(c.name == "credential.schema" for c in result.checks)
    assert {
        Stage.PARSE,
        Stage.SCHEMA,
        Stage.PROOF,
        Stage.PURPOSE,
        Stage.VALIDITY,
    } <= _passed_stages(result)


def _schema_stage(document: dict[str, Any]) -> list[Outcome]:
    """What the verifier's SCHEMA stage will record once schemas are wired in."""
    recorder = CheckRecorder(required=[Stage.SCHEMA])
    recorder.run(Stage.SCHEMA, "credential.schema", lambda: check_credential_schema(document))
    recorder.run(Stage.SCHEMA, "credential.rules", lambda: check_credential_rules(document))
    return [c.outcome for c in recorder.checks]


def _passed_stages(result: VerificationResult) -> set[Stage]:
    return {c.stage for c in result.checks if c.outcome is Outcome.PASSED}


def test_eddsa_rdfc_2022(
    example: Example,
    example_name: str,
    rekey: Rekey,
    at: At,
    ed25519_issuer: KeyPair,
    loader: BundledLoader,
) -> None:
    credential = rekey(example(example_name), ed25519_issuer)
    signed = add_proof(
        credential,
        ed25519_issuer,
        suite="eddsa-rdfc-2022",
        purpose=AssertionPurpose(),
        created=CREATED,
        loader=loader,
    )
    verifier = Verifier(loader=loader)
    result = verifier.verify_credential(signed, now=at(credential))
    _valid_with_schema(result)
    assert _schema_stage(signed) == [Outcome.PASSED, Outcome.PASSED]

    without_schema = {k: v for k, v in credential.items() if k != "credentialSchema"}
    signed = add_proof(
        without_schema,
        ed25519_issuer,
        suite="eddsa-rdfc-2022",
        purpose=AssertionPurpose(),
        created=CREATED,
        loader=loader,
    )
    result = verifier.verify_credential(signed, now=at(credential))
    assert result.verdict is Verdict.VALID, result.explain()


def test_eddsa_rdfc_2022_detects_a_changed_claim(
    example: Example, rekey: Rekey, at: At, ed25519_issuer: KeyPair, loader: BundledLoader
) -> None:
    credential = rekey(example("cstf-training-credential"), ed25519_issuer)
    signed = add_proof(
        credential,
        ed25519_issuer,
        suite="eddsa-rdfc-2022",
        purpose=AssertionPurpose(),
        created=CREATED,
        loader=loader,
    )
    for pointer, value in (("level", 2), ("completionDate", "2025-05-13")):
        changed = copy.deepcopy(signed)
        changed["credentialSubject"][pointer] = value
        result = Verifier(loader=loader).verify_credential(changed, now=at(credential))
        assert result.verdict is Verdict.INVALID
        assert Code.PROOF_VERIFICATION_ERROR in result.codes()


def test_an_undefined_term_cannot_be_signed(
    example: Example, rekey: Rekey, ed25519_issuer: KeyPair, loader: BundledLoader
) -> None:
    from staffvc.jsonld import SafeModeError

    credential = rekey(example("dbs-check-credential"), ed25519_issuer)
    credential["credentialSubject"]["convictionsSummary"] = "none"
    with pytest.raises(SafeModeError):
        add_proof(
            credential,
            ed25519_issuer,
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=CREATED,
            loader=loader,
        )


def _sd_issue(
    credential: dict[str, Any], key: KeyPair, loader: BundledLoader
) -> tuple[dict[str, Any], Verifier]:
    suite = EcdsaSd2023(mandatory_pointers=mandatory_pointers(credential))
    signed = add_proof(
        credential, key, suite=suite, purpose=AssertionPurpose(), created=CREATED, loader=loader
    )
    return signed, Verifier(loader=loader, suites={**SUITES, "ecdsa-sd-2023": suite})


def test_ecdsa_sd_2023_with_nothing_and_everything_disclosed(
    example: Example,
    example_name: str,
    rekey: Rekey,
    at: At,
    p256_issuer: KeyPair,
    loader: BundledLoader,
) -> None:
    credential = rekey(example(example_name), p256_issuer)
    kind = credential["type"][1]
    signed, verifier = _sd_issue(credential, p256_issuer, loader)
    selectable = selective_pointers(credential)
    for chosen in ([], selectable):
        derived = derive_proof(signed, chosen, loader=loader)
        result = verifier.verify_credential(derived, now=at(credential))
        _valid_with_schema(result)
        assert _schema_stage(derived) == [Outcome.PASSED, Outcome.PASSED]
        withheld = {p.rsplit("/", 1)[1] for p in DISCLOSABLE[kind]}
        subject = derived["credentialSubject"]
        if chosen:
            assert subject == credential["credentialSubject"]
        else:
            assert not withheld & set(subject)
            assert {
                k: v for k, v in credential["credentialSubject"].items() if k not in withheld
            } == (subject)
        for member in ("issuer", "validFrom", "credentialSchema", "type", "@context"):
            assert derived[member] == credential[member]


def test_ecdsa_sd_2023_discloses_one_immunisation(
    example: Example, rekey: Rekey, at: At, p256_issuer: KeyPair, loader: BundledLoader
) -> None:
    credential = rekey(example("occupational-health-clearance-credential"), p256_issuer)
    signed, verifier = _sd_issue(credential, p256_issuer, loader)
    derived = derive_proof(signed, ["/credentialSubject/immunisations/4"], loader=loader)
    result = verifier.verify_credential(derived, now=at(credential))
    _valid_with_schema(result)
    assert derived["credentialSubject"]["immunisations"] == [
        credential["credentialSubject"]["immunisations"][4]
    ]
    assert "eppClearance" not in derived["credentialSubject"]
    assert _schema_stage(derived) == [Outcome.PASSED, Outcome.PASSED]


def test_ecdsa_sd_2023_derived_credential_cannot_gain_a_claim(
    example: Example, rekey: Rekey, at: At, p256_issuer: KeyPair, loader: BundledLoader
) -> None:
    credential = rekey(example("dbs-check-credential"), p256_issuer)
    signed, verifier = _sd_issue(credential, p256_issuer, loader)
    derived = derive_proof(signed, [], loader=loader)
    derived["credentialSubject"]["roleCategory"] = "Anything"
    result = verifier.verify_credential(derived, now=at(credential))
    assert result.verdict is Verdict.INVALID


def test_mandatory_pointers_are_the_always_disclosed_members(example: Example) -> None:
    credential = example("cstf-training-credential")
    assert mandatory_pointers(credential) == [
        "/issuer",
        "/validFrom",
        "/validUntil",
        "/credentialSchema",
        "/credentialSubject/id",
        "/credentialSubject/subject",
        "/credentialSubject/level",
        "/credentialSubject/completionDate",
        "/credentialSubject/expiryDate",
        "/credentialSubject/refresherPeriod",
        "/credentialSubject/frameworkVersion",
    ]
    with pytest.raises(ValueError):
        mandatory_pointers({"type": ["VerifiableCredential"]})
    with pytest.raises(ValueError):
        selective_pointers({"type": ["VerifiableCredential"]})


def test_a_signed_credential_that_fails_its_schema_is_invalid(
    example: Example, rekey: Rekey, at: At, ed25519_issuer: KeyPair, loader: BundledLoader
) -> None:
    credential = rekey(example("cstf-training-credential"), ed25519_issuer)
    credential["credentialSubject"]["level"] = 9
    signed = add_proof(
        credential,
        ed25519_issuer,
        suite="eddsa-rdfc-2022",
        purpose=AssertionPurpose(),
        created=CREATED,
        loader=loader,
    )
    result = Verifier(loader=loader).verify_credential(signed, now=at(credential))
    assert result.verdict is Verdict.INVALID
    (failed,) = [c for c in result.checks if c.name == "credential.schema"]
    assert failed.outcome is Outcome.FAILED
    assert (failed.stage, failed.code, failed.pointer) == (
        Stage.SCHEMA,
        Code.SCHEMA_VALIDATION_ERROR,
        "/credentialSubject/level",
    )


# --- JOSE: vc+jwt, VCDM SD-JWT (vc+sd-jwt) and SD-JWT VC (dc+sd-jwt) ------------------------------


def _random(seed: int) -> Callable[[int], bytes]:
    """Salts from a seeded generator: reproducible tests (production passes secrets)."""
    return random.Random(seed).randbytes


def test_vc_jwt(
    example: Example,
    example_name: str,
    rekey: Rekey,
    at: At,
    ed25519_issuer: KeyPair,
) -> None:
    credential = rekey(example(example_name), ed25519_issuer)
    token = issue_vc_jwt(credential, signer=ed25519_issuer)
    result = Verifier().verify_credential(token, now=at(credential))
    assert result.verdict is Verdict.VALID, result.explain()
    assert Stage.SCHEMA in _passed_stages(result)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert Verifier().verify_credential(tampered, now=at(credential)).verdict is Verdict.INVALID


def test_vcdm_sd_jwt_with_nothing_and_everything_disclosed(
    example: Example,
    example_name: str,
    rekey: Rekey,
    at: At,
    p256_issuer: KeyPair,
) -> None:
    credential = rekey(example(example_name), p256_issuer)
    kind = credential["type"][1]
    disclosable = selective_pointers(credential)
    token = issue_vcdm_sd_jwt(
        credential,
        signer=p256_issuer,
        disclosable=disclosable,
        random_bytes=_random(1),
        holder_key=None,
    )
    withheld = {p.rsplit("/", 1)[1] for p in DISCLOSABLE[kind]}
    for chosen in ([], disclosable):
        presented = present_sd_jwt(token, disclose=chosen, key_binding=None)
        recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF])
        found = verify_sd_jwt_vc(
            presented,
            recorder,
            resolve_issuer_key=did_issuer_key_resolver(Resolver()),
            now=at(credential),
            leeway=timedelta(seconds=0),
            expected_nonce=None,
            expected_audience=None,
            require_key_binding=False,
            expected_vct=None,
        )
        assert found.payload is not None, recorder.result().explain()
        subject = found.payload["credentialSubject"]
        if chosen:
            assert found.payload == credential
        else:
            assert not withheld & set(subject)
        assert _schema_stage(found.payload) == [Outcome.PASSED, Outcome.PASSED]
        result = Verifier().verify_credential(presented, now=at(credential))
        assert result.verdict is Verdict.VALID, result.explain()
        assert Stage.SCHEMA in _passed_stages(result)


def test_sd_jwt_vc_of_each_type(
    example: Example,
    example_name: str,
    rekey: Rekey,
    at: At,
    p256_issuer: KeyPair,
) -> None:
    credential = rekey(example(example_name), p256_issuer)
    form = sd_jwt_vc_form(credential)
    assert form.vct == vct_of(credential["type"][1])
    assert form.claims["sub"] == credential["credentialSubject"]["id"]
    token = issue_sd_jwt_vc(
        form.claims,
        signer=p256_issuer,
        vct=form.vct,
        disclosable=form.disclosable,
        random_bytes=_random(2),
        holder_key=None,
    )
    everything = present_sd_jwt(token, disclose=form.disclosable, key_binding=None)
    minimal = present_sd_jwt(token, disclose=[], key_binding=None)
    for presented, expected in ((everything, form.claims), (minimal, None)):
        recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF])
        found = verify_sd_jwt_vc(
            presented,
            recorder,
            resolve_issuer_key=did_issuer_key_resolver(Resolver()),
            now=at(credential),
            leeway=timedelta(seconds=0),
            expected_nonce=None,
            expected_audience=None,
            require_key_binding=False,
            expected_vct=form.vct,
        )
        assert found.payload is not None, recorder.result().explain()
        claims = {k: v for k, v in found.payload.items() if k not in ("vct", "_sd_alg")}
        if expected is not None:
            assert claims == expected
        else:
            top = {p.split("/")[1] for p in form.disclosable}
            assert not top & set(claims)
        result = Verifier().verify_credential(presented, now=at(credential))
        assert result.verdict is Verdict.VALID, result.explain()


def test_sd_jwt_vc_form_refuses_what_is_not_an_nhs_credential(example: Example) -> None:
    with pytest.raises(ValueError):
        sd_jwt_vc_form({"type": ["VerifiableCredential"], "issuer": "did:example:x"})
    credential = example("medical-degree-credential")
    credential["validFrom"] = 5
    with pytest.raises(ValueError):
        sd_jwt_vc_form(credential)
    with pytest.raises(ValueError):
        vct_of("OtherCredential")
