"""`staffvc demo` / `make demo`: the staff-passport scenario, end to end, offline.

A doctor in training rotates to a new trust. Their current trust has issued a training
credential, the GMC a registration credential; the doctor presents both, bound to the new
trust's challenge, and the new trust verifies them in one call. Then the two attacks a
verifier must catch: an edited credential, and a presentation replayed to another verifier.
(The NHS credential types and their vocabulary arrive with issue 6; this uses the W3C
examples context, and every name and number here is fictitious.)
"""

from __future__ import annotations

import copy
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import TextIO

from staffvc.did import Resolver, did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import add_proof, format_datetime
from staffvc.results import Verdict, VerificationResult
from staffvc.safejson import JsonObject
from staffvc.verifier import Verifier

__all__ = ["run_demo"]

_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]


def _party(key_type: KeyType) -> KeyPair:
    key = KeyPair.generate(key_type)
    return key.with_key_id(vm_id_of(key.public_key))


def _credential(
    issuer: KeyPair, holder: KeyPair, kind: str, claims: JsonObject, now: datetime
) -> JsonObject:
    return {
        "@context": list(_CONTEXT),
        "id": f"urn:uuid:{secrets.token_hex(16)}",
        "type": ["VerifiableCredential", kind],
        "issuer": did_key(issuer.public_key),
        "validFrom": format_datetime(now - timedelta(days=100)),
        "validUntil": format_datetime(now + timedelta(days=265)),
        "credentialSubject": {"id": did_key(holder.public_key), **claims},
    }


def run_demo(out: TextIO) -> int:
    """Run the scenario, printing what happens; 0 if every step came out as it must."""
    now = datetime.now(UTC)
    loader, resolver = BundledLoader(), Resolver()
    trust, gmc, doctor = _party(KeyType.ED25519), _party(KeyType.P256), _party(KeyType.ED25519)
    out.write("staffvc demo: a doctor in training moves to a new trust\n\n")
    for name, key in (("Current trust", trust), ("GMC", gmc), ("Doctor", doctor)):
        out.write(f"  {name:<14} {key.key_type.value:<8} {did_key(key.public_key)}\n")
        resolver.dereference(str(key.key_id), relationship=None)

    training = add_proof(
        _credential(
            trust, doctor, "ExampleTrainingCredential", {"name": "Fire Safety, level 1"}, now
        ),
        trust,
        suite="eddsa-rdfc-2022",
        purpose=AssertionPurpose(),
        created=now,
        loader=loader,
    )
    registration = add_proof(
        _credential(
            gmc, doctor, "ExampleRegistrationCredential", {"name": "Full registration"}, now
        ),
        gmc,
        suite="ecdsa-rdfc-2019",
        purpose=AssertionPurpose(),
        created=now,
        loader=loader,
    )
    out.write(
        "\n1. Issued: training credential (eddsa-rdfc-2022), registration (ecdsa-rdfc-2019)\n"
    )

    challenge, domain = secrets.token_urlsafe(16), "https://new-trust.example.nhs.uk"
    presentation = add_proof(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key(doctor.public_key),
            "verifiableCredential": [training, registration],
        },
        doctor,
        suite="eddsa-rdfc-2022",
        purpose=AuthenticationPurpose(challenge=challenge, domain=domain),
        created=now,
        loader=loader,
    )
    out.write(f"2. Presented to {domain} with its challenge\n")

    verifier = Verifier(resolver=resolver, loader=loader)
    started = time.perf_counter()
    result = verifier.verify_presentation(
        presentation, challenge=challenge, domain=domain, now=None
    )
    elapsed = (time.perf_counter() - started) * 1000
    out.write(f"3. New trust verifies: {result.verdict} in {elapsed:.1f} ms\n")
    out.write("\n".join("     " + line for line in result.explain().splitlines()) + "\n")

    edited_training = copy.deepcopy(training)
    edited_training["credentialSubject"] = {
        "id": did_key(doctor.public_key),
        "name": "Advanced Life Support",  # not what the trust signed
    }
    edited: JsonObject = {**presentation, "verifiableCredential": [edited_training, registration]}
    tampered = verifier.verify_presentation(edited, challenge=challenge, domain=domain, now=None)
    replayed = verifier.verify_presentation(
        presentation, challenge="another-verifiers-challenge", domain=domain, now=None
    )
    out.write(f"4. Edited credential: {tampered.verdict} ({_codes(tampered)})\n")
    out.write(f"5. Replayed presentation: {replayed.verdict} ({_codes(replayed)})\n")
    good = (result.verdict, tampered.verdict, replayed.verdict) == (
        Verdict.VALID,
        Verdict.INVALID,
        Verdict.INVALID,
    )
    out.write("\nEvery step came out as it must.\n" if good else "\nUNEXPECTED RESULT\n")
    return 0 if good else 1


def _codes(result: VerificationResult) -> str:
    return ", ".join(code.value for code in result.codes())
