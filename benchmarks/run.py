"""`make bench`: staffvc's speed as ratios against a reference measured in the same run.

Two tables.

1. Primitives: each row times one staffvc operation (median of several runs of many calls,
   after warm-up) and divides by the raw pyca/cryptography primitive underneath (the floor).
2. Credentials: for each Data Integrity cryptosuite, staffvc's issue and verify of a realistic
   NHS training credential (VC 2.0, ~1.5 KB signed, contexts credentials/v2 + examples/v2,
   issuer = the signing key's did:key) against Digital Bazaar's vc.js doing the same in the
   same run, through the Node harness (interop/node/vcjs.mjs, op "bench"). The ratio is
   vc.js time / staffvc time: above 1 means staffvc is faster.

3. JOSE/COSE (bench_jose.py, against `jose` from npm), SD-JWT VC (bench_sd_jwt.py, against
   the `sd-jwt` reference from PyPI), status lists (bench_status_lists.py) and the status
   registry on SQLite and PostgreSQL (bench_status_registry.py).

Goals are stated as ratios, never as absolute times: the machine is small and noisy, so
compare ratios measured together, and treat differences under ~1.5x as noise.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from staffvc.did import DidKeyMethod, Relationship, Resolver, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType, PublicKey
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import EcdsaSd2023, add_proof, derive_proof
from staffvc.verifier import Verifier

RUNS, CALLS = 7, 500
"""Primitive rows: median of RUNS runs of CALLS calls each."""
CREDENTIAL_RUNS, CREDENTIAL_CALLS, CREDENTIAL_WARMUP = 7, 100, 30
"""Credential rows, for staffvc and vc.js alike."""

HARNESS = Path(__file__).resolve().parent.parent / "interop" / "node" / "vcjs.mjs"
NODE_TIMEOUT_S = 600
CREATED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
SUITES = (
    ("eddsa-rdfc-2022", KeyType.ED25519),
    ("eddsa-jcs-2022", KeyType.ED25519),
    ("ecdsa-rdfc-2019", KeyType.P256),
    ("ecdsa-jcs-2019", KeyType.P256),
    ("Ed25519Signature2020", KeyType.ED25519),
    ("ecdsa-sd-2023", KeyType.P256),
)


def per_call_us(fn: Callable[[], object]) -> float:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(CALLS):
            fn()
        samples.append((time.perf_counter() - start) / CALLS * 1e6)
    return statistics.median(samples)


def per_call_ms(fn: Callable[[], object]) -> float:
    """Median ms/op over CREDENTIAL_RUNS runs of CREDENTIAL_CALLS calls, after warm-up."""
    for _ in range(CREDENTIAL_WARMUP):
        fn()
    samples = []
    for _ in range(CREDENTIAL_RUNS):
        start = time.perf_counter()
        for _ in range(CREDENTIAL_CALLS):
            fn()
        samples.append((time.perf_counter() - start) / CREDENTIAL_CALLS * 1e3)
    return statistics.median(samples)


def primitive_rows() -> list[tuple[str, float, str, float]]:
    message = b"x" * 1024
    rows: list[tuple[str, float, str, float]] = []

    ed = KeyPair.generate(KeyType.ED25519)
    ed_sig = ed.sign(message)
    raw_ed = ed.public_key._crypto  # the cryptography object underneath
    rows.append(
        (
            "Ed25519 verify (PublicKey.verify)",
            per_call_us(lambda: ed.public_key.verify(ed_sig, message)),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )

    p256 = KeyPair.generate(KeyType.P256)
    p_sig = p256.sign(message)
    raw_private = ec.generate_private_key(ec.SECP256R1())
    der = raw_private.sign(message, ec.ECDSA(hashes.SHA256()))
    raw_public = raw_private.public_key()
    rows.append(
        (
            "P-256 verify (r||s, PublicKey.verify)",
            per_call_us(lambda: p256.public_key.verify(p_sig, message)),
            "cryptography P-256 verify (DER)",
            per_call_us(lambda: raw_public.verify(der, message, ec.ECDSA(hashes.SHA256()))),
        )
    )
    rows.append(
        (
            "P-256 sign (r||s)",
            per_call_us(lambda: p256.sign(message)),
            "cryptography P-256 sign (DER)",
            per_call_us(lambda: raw_private.sign(message, ec.ECDSA(hashes.SHA256()))),
        )
    )

    resolver = Resolver()
    vm_id = vm_id_of(ed.public_key)
    mb = ed.public_key.to_multikey()
    method = DidKeyMethod()
    rows.append(
        (
            "did:key dereference (cached resolver)",
            per_call_us(
                lambda: resolver.dereference(vm_id, relationship=Relationship.ASSERTION_METHOD)
            ),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )
    rows.append(
        (
            "did:key resolve (uncached, Ed25519 + X25519)",
            per_call_us(lambda: method.resolve(f"did:key:{mb}")),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )
    rows.append(
        (
            "Multikey decode (PublicKey.from_multikey)",
            per_call_us(lambda: PublicKey.from_multikey(mb)),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )
    return rows


def training_credential(issuer: str) -> dict[str, Any]:
    """A made-up NHS statutory/mandatory training credential (a CSTF subject), VC 2.0.

    Only bundled contexts: the VC 2.0 base context and the examples context (whose @vocab
    gives the NHS-specific terms IRIs).
    """
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "id": "urn:uuid:3f6c2a9e-7b1d-4c8e-9a57-0d4e2b6f8c13",
        "type": ["VerifiableCredential", "StaffTrainingCredential"],
        "name": "NHS Statutory and Mandatory Training: Information Governance",
        "description": (
            "Completion of a Core Skills Training Framework (CSTF) subject, "
            "recorded for the NHS Digital Staff Passport."
        ),
        "issuer": issuer,
        "validFrom": "2026-01-15T09:00:00Z",
        "validUntil": "2099-01-15T09:00:00Z",
        "credentialSubject": {
            "id": "urn:uuid:9b2d7c41-5e3a-4f86-b0c9-1a7e8d2f6c45",
            "type": "NHSStaffMember",
            "givenName": "Priya",
            "familyName": "Raman",
            "professionalRegistration": "NMC 12A3456E",
            "employer": {
                "type": "NHSOrganisation",
                "name": "Example Teaching Hospitals NHS Foundation Trust",
                "odsCode": "RXX",
            },
            "training": {
                "type": "CSTFTrainingRecord",
                "cstfSubject": "Information Governance and Data Security",
                "cstfVersion": "1.4",
                "level": 1,
                "completedOn": "2026-01-12",
                "renewalPeriodMonths": 12,
                "assessmentPassed": True,
                "provider": "e-Learning for Healthcare",
            },
        },
    }


def run_vcjs(request: dict[str, Any]) -> dict[str, Any]:
    """One request to the vc.js harness; its JSON answer (raises if it did not succeed)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    done = subprocess.run(
        [node, str(HARNESS)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"vc.js harness gave no JSON: {done.stdout!r} {done.stderr!r}") from None
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        raise RuntimeError(f"vc.js harness failed: {answer!r}")
    return answer


class CredentialRow:
    """staffvc and vc.js issue/verify ms/op for one cryptosuite (None: not measured)."""

    def __init__(self, suite: str) -> None:
        self.suite = suite
        self.issue: float | None = None
        self.verify: float | None = None
        self.vcjs_issue: float | None = None
        self.vcjs_verify: float | None = None
        self.note = ""


SD_MANDATORY = ["/issuer", "/validFrom", "/credentialSubject/id"]
SD_SELECTIVE = ["/credentialSubject/training"]


def measure_suite(suite: str, key_type: KeyType) -> CredentialRow:
    """Issue and verify ms/op for staffvc and vc.js. For ecdsa-sd-2023, "verify" is the
    verification of a derived credential (what verifiers see) and "issue" the base proof."""
    row = CredentialRow(suite)
    keypair = KeyPair.generate(key_type)
    public = keypair.public_key
    issuer = f"did:key:{public.to_multikey()}"
    credential = training_credential(issuer)
    signer = keypair.with_key_id(vm_id_of(public))
    loader = BundledLoader()

    sd = suite == "ecdsa-sd-2023"
    chosen: str | EcdsaSd2023 = EcdsaSd2023(mandatory_pointers=SD_MANDATORY) if sd else suite

    def issue() -> dict[str, Any]:
        return add_proof(
            credential,
            signer,
            suite=chosen,
            purpose=AssertionPurpose(),
            created=CREATED,
            loader=loader,
        )

    signed = issue()
    if sd:
        signed = derive_proof(signed, SD_SELECTIVE, loader=loader)
    verifier = Verifier()
    verdict = verifier.verify_credential(signed, now=None).verdict
    if verdict.value != "VALID":
        row.note = f"staffvc verdict {verdict.value}"
        return row
    row.issue = per_call_ms(issue)
    row.verify = per_call_ms(lambda: verifier.verify_credential(signed, now=None))
    try:
        answer = run_vcjs(
            {
                "op": "bench",
                "suite": suite,
                "key": {
                    "publicKeyMultibase": public.to_multikey(),
                    "secretKeyMultibase": keypair.private_multikey(),
                },
                "credential": credential,
                "created": CREATED.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "iterations": CREDENTIAL_CALLS,
                "runs": CREDENTIAL_RUNS,
                "warmup": CREDENTIAL_WARMUP,
                **(
                    {"mandatoryPointers": SD_MANDATORY, "selectivePointers": SD_SELECTIVE}
                    if sd
                    else {}
                ),
            }
        )
        row.vcjs_issue = float(answer["issue_ms_per_op"])
        row.vcjs_verify = float(answer["verify_ms_per_op"])
    except (RuntimeError, OSError, subprocess.SubprocessError, KeyError, ValueError) as exc:
        row.note = f"vc.js not measured: {exc}"[:160]
    return row


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _ratio(reference: float | None, ours: float | None) -> str:
    return "-" if reference is None or not ours else f"{reference / ours:.2f}x"


def print_primitives(rows: list[tuple[str, float, str, float]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'operation':<{width}}  {'µs/op':>8}  {'ratio':>6}  reference (µs/op)")
    for name, ours, ref_name, ref in rows:
        print(f"{name:<{width}}  {ours:8.1f}  {ours / ref:5.2f}x  {ref_name} ({ref:.1f})")


def print_credentials(rows: list[CredentialRow]) -> None:
    print()
    print("Credentials: NHS training VC 2.0, did:key issuer, bundled contexts; ms/op, medians")
    print(f"of {CREDENTIAL_RUNS} runs of {CREDENTIAL_CALLS}. ratio = vc.js / staffvc (>1: faster).")
    header = (
        f"{'cryptosuite':<22} {'staffvc issue':>13} {'vc.js issue':>11} {'ratio':>6}  "
        f"{'staffvc verify':>14} {'vc.js verify':>12} {'ratio':>6}"
    )
    print(header)
    for row in rows:
        print(
            f"{row.suite:<22} {_ms(row.issue):>13} {_ms(row.vcjs_issue):>11} "
            f"{_ratio(row.vcjs_issue, row.issue):>6}  {_ms(row.verify):>14} "
            f"{_ms(row.vcjs_verify):>12} {_ratio(row.vcjs_verify, row.verify):>6}"
            + (f"  ({row.note})" if row.note else "")
        )


def main() -> None:
    print_primitives(primitive_rows())
    sys.stdout.flush()
    print_credentials([measure_suite(suite, key_type) for suite, key_type in SUITES])
    # One module per area, each measuring its own peer (jose, the sd-jwt reference) in the
    # same run; they sit beside this file, which is on sys.path when run as a script.
    import bench_jose
    import bench_sd_jwt
    import bench_status_lists
    import bench_status_registry

    for area in (bench_jose, bench_sd_jwt, bench_status_lists, bench_status_registry):
        print()
        sys.stdout.flush()
        area.main()


if __name__ == "__main__":
    main()
