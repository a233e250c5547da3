"""`staffvc demo` / `make demo`: the staff-passport scenario, end to end, offline.

A doctor in training rotates to a new trust. Their current trust has issued a CSTF training
credential (Data Integrity, with revocation and suspension entries from its status
registry), and the GMC-checking trust a registration credential as a ``vc+jwt``. The doctor
presents both, bound to the new trust's challenge, and the new trust verifies them,
including their status, in one call. Then what a verifier must catch: an edited
credential, a presentation replayed to another verifier, and a credential suspended after
it was issued. Every name and number is fictitious.
"""

from __future__ import annotations

import copy
import os
import secrets
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from staffvc.clock import SystemClock
from staffvc.credentials.nhs import (
    CSTFTrainingSubject,
    GMCRegistrationSubject,
    build_nhs_credential,
    default_valid_until,
)
from staffvc.did import Resolver, did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.proofs.jose import envelope, issue_vc_jwt
from staffvc.results import Verdict, VerificationResult
from staffvc.safejson import JsonObject
from staffvc.status import InMemoryStatusListSource, StatusRegistry
from staffvc.verifier import Verifier

__all__ = ["run_demo"]

_STATUS_BASE = "https://status.trust-zz9.example.nhs.uk/lists"


def _party(key_type: KeyType) -> KeyPair:
    key = KeyPair.generate(key_type)
    return key.with_key_id(vm_id_of(key.public_key))


def _training(trust: KeyPair, doctor: KeyPair, today: date, now: datetime) -> JsonObject:
    completed = today - timedelta(days=100)
    subject = CSTFTrainingSubject.model_validate(
        {
            "id": did_key(doctor.public_key),
            "subject": "fire_safety",
            "level": 1,
            "completionDate": completed.isoformat(),
            "expiryDate": completed.replace(year=completed.year + 2).isoformat(),
            "refresherPeriod": "P2Y",
            "frameworkVersion": "CSTF (England) v1.1",
            "esrCompetencyName": "NHS|CSTF|Fire Safety - 2 Years|",
            "deliveryMode": "elearning",
            "trainingProvider": {"name": "e-Learning for Healthcare", "cstfAligned": True},
            "assessment": {"passed": True},
        }
    )
    valid_from = now - timedelta(days=100)
    return build_nhs_credential(
        subject,
        issuer={"id": did_key(trust.public_key), "name": "Example Teaching Hospitals NHS Trust"},
        valid_from=valid_from,
        valid_until=default_valid_until(subject, valid_from=valid_from),
        credential_id=f"urn:uuid:{secrets.token_hex(16)}",
    )


def _registration(checker: KeyPair, doctor: KeyPair, now: datetime) -> JsonObject:
    checked = now - timedelta(days=1)
    subject = GMCRegistrationSubject.model_validate(
        {
            "id": did_key(doctor.public_key),
            "gmcReferenceNumber": "9900001",
            "registeredName": "Ada Testperson",
            "registrationStatus": "registered_with_licence",
            "registrationType": "full",
            "licenceToPractise": True,
            "gpRegister": {"entered": False},
            "fitnessToPractise": {
                "hasActiveConditions": False,
                "hasActiveUndertakings": False,
                "hasActiveWarnings": False,
                "hasInterimOrder": False,
            },
            "designatedBody": "Example Postgraduate Deanery",
            "registerCheckedOn": checked.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    return build_nhs_credential(
        subject,
        issuer={"id": did_key(checker.public_key), "name": "Example Medical Staffing Team"},
        valid_from=checked,
        valid_until=checked + timedelta(days=30),
        credential_id=f"urn:uuid:{secrets.token_hex(16)}",
    )


def run_demo(out: TextIO) -> int:
    """Run the scenario, printing what happens; 0 if every step came out as it must."""
    with tempfile.TemporaryDirectory(prefix="staffvc-demo-") as folder:
        return _run(out, Path(folder))


def _run(out: TextIO, folder: Path) -> int:
    now = datetime.now(UTC).replace(microsecond=0)
    loader, resolver = BundledLoader(), Resolver()
    trust, checker, doctor = (
        _party(KeyType.ED25519),
        _party(KeyType.P256),
        _party(KeyType.ED25519),
    )
    out.write("staffvc demo: a doctor in training moves to a new trust\n\n")
    for name, key in (("Current trust", trust), ("GMC check", checker), ("Doctor", doctor)):
        out.write(f"  {name:<14} {key.key_type.value:<8} {did_key(key.public_key)}\n")
        resolver.dereference(str(key.key_id), relationship=None)

    registry = StatusRegistry.sqlite(
        folder / "status.db",
        base_url=_STATUS_BASE,
        issuer=did_key(trust.public_key),
        random_bytes=os.urandom,
        clock=SystemClock(),
    )
    lists = InMemoryStatusListSource()

    def publish() -> None:
        for signed in registry.publish_all(sign=sign_list).values():
            if isinstance(signed, dict):
                lists.publish(str(signed["id"]), signed)

    def sign_list(unsigned: JsonObject) -> JsonObject:
        return add_proof(
            unsigned,
            trust,
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=now,
            loader=loader,
        )

    with registry:
        unsigned = _training(trust, doctor, now.date(), now)
        unsigned["credentialStatus"] = list(registry.allocate(str(unsigned["id"])))
        training = add_proof(
            unsigned,
            trust,
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=now,
            loader=loader,
        )
        registration = issue_vc_jwt(_registration(checker, doctor, now), signer=checker)
        publish()
        out.write(
            "\n1. Issued: CSTF fire-safety training (eddsa-rdfc-2022, revocation and "
            "suspension entries at random indexes of 131,072-entry lists) and GMC "
            "registration (vc+jwt, ES256)\n"
        )

        challenge, domain = secrets.token_urlsafe(16), "https://new-trust.example.nhs.uk"
        presentation = add_proof(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiablePresentation"],
                "holder": did_key(doctor.public_key),
                "verifiableCredential": [training, envelope(registration, "vc+jwt")],
            },
            doctor,
            suite="eddsa-rdfc-2022",
            purpose=AuthenticationPurpose(challenge=challenge, domain=domain),
            created=now,
            loader=loader,
        )
        out.write(f"2. Presented to {domain} with its challenge\n")

        verifier = Verifier(resolver=resolver, loader=loader, status_source=lists)
        started = time.perf_counter()
        result = verifier.verify_presentation(
            presentation, challenge=challenge, domain=domain, now=None
        )
        elapsed = (time.perf_counter() - started) * 1000
        out.write(f"3. New trust verifies: {result.verdict} in {elapsed:.1f} ms\n")
        out.write("\n".join("     " + line for line in result.explain().splitlines()) + "\n")

        edited_training = copy.deepcopy(training)
        edited_subject = edited_training["credentialSubject"]
        assert isinstance(edited_subject, dict)
        edited_subject["level"] = 2  # not what the trust signed
        edited: JsonObject = {
            **presentation,
            "verifiableCredential": [edited_training, envelope(registration, "vc+jwt")],
        }
        tampered = verifier.verify_presentation(
            edited, challenge=challenge, domain=domain, now=None
        )
        replayed = verifier.verify_presentation(
            presentation, challenge="another-verifiers-challenge", domain=domain, now=None
        )
        out.write(f"4. Edited credential: {tampered.verdict} ({_codes(tampered)})\n")
        out.write(f"5. Replayed presentation: {replayed.verdict} ({_codes(replayed)})\n")

        registry.suspend(str(training["id"]))
        publish()
        suspended = verifier.verify_presentation(
            presentation, challenge=challenge, domain=domain, now=None
        )
        out.write(
            f"6. Training suspended by the trust, list republished: {suspended.verdict} "
            f"({_codes(suspended)})\n"
        )
    good = (result.verdict, tampered.verdict, replayed.verdict, suspended.verdict) == (
        Verdict.VALID,
        Verdict.INVALID,
        Verdict.INVALID,
        Verdict.INVALID,
    )
    out.write("\nEvery step came out as it must.\n" if good else "\nUNEXPECTED RESULT\n")
    return 0 if good else 1


def _codes(result: VerificationResult) -> str:
    return ", ".join(code.value for code in result.codes())
