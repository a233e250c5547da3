"""Interop: Digital Bazaar's vc.js (jsonld.js) reads the NHS context as staffvc does.

For every example: staffvc signs with eddsa-rdfc-2022 and vc.js verifies; vc.js signs and
staffvc verifies; and, Ed25519 being deterministic, both produce the same proof for the same
key, document and ``created`` — so both JSON-LD processors give the same canonical N-Quads
for the type-scoped, propagated, protected NHS context. Then ecdsa-sd-2023: staffvc's base
proof, vc.js derives (revealing one immunisation), staffvc verifies. The harness serves the
contexts of contexts/MANIFEST.json, offline (interop/node/vcjs.mjs).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from interop.vcjs import derive_request, run_batch
from staffvc.clock import parse_datetime
from staffvc.credentials.nhs import mandatory_pointers
from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import SUITES, EcdsaSd2023, add_proof
from staffvc.results import Verdict
from staffvc.verifier import Verifier
from support import REPO

CREATED = datetime(2025, 1, 1, tzinfo=UTC)
NAMES = sorted(p.stem for p in (REPO / "examples" / "credentials").glob("*.json"))


def _key(kind: KeyType) -> KeyPair:
    """A fixed key per type, so a failure reproduces with the same bytes."""
    seed = bytes(range(1, 33))
    pair = KeyPair.from_private_bytes(kind, seed)
    return pair.with_key_id(vm_id_of(pair.public_key))


def _example(name: str, key: KeyPair) -> dict[str, Any]:
    credential = json.loads((REPO / "examples" / "credentials" / f"{name}.json").read_text())
    did = str(did_key(key.public_key))
    issuer = credential["issuer"]
    credential["issuer"] = {**issuer, "id": did} if isinstance(issuer, dict) else did
    return credential


def _now(credential: dict[str, Any]) -> str:
    instant = parse_datetime(credential["validFrom"]) + timedelta(hours=1)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def _key_json(key: KeyPair) -> dict[str, str]:
    return {
        "publicKeyMultibase": key.public_key.to_multikey(),
        "secretKeyMultibase": key.private_multikey(),
    }


@pytest.fixture(scope="module")
def eddsa_round() -> dict[str, Any]:
    key = _key(KeyType.ED25519)
    loader = BundledLoader()
    ours = {}
    requests = []
    for name in NAMES:
        credential = _example(name, key)
        signed = add_proof(
            credential,
            key,
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=CREATED,
            loader=loader,
        )
        ours[name] = signed
        requests.append({"op": "verify", "credential": signed, "now": _now(credential)})
        requests.append(
            {
                "op": "issue",
                "suite": "eddsa-rdfc-2022",
                "key": _key_json(key),
                "credential": credential,
                "created": "2025-01-01T00:00:00Z",
            }
        )
    answers = run_batch(requests)
    pairs = zip(answers[::2], answers[1::2], strict=True)
    return {"ours": ours, "answers": dict(zip(NAMES, pairs, strict=True))}


@pytest.mark.parametrize("name", NAMES)
def test_vcjs_verifies_what_staffvc_signed(eddsa_round: dict[str, Any], name: str) -> None:
    verified, _ = eddsa_round["answers"][name]
    assert verified["ok"] is True, verified
    assert verified["verified"] is True, verified


@pytest.mark.parametrize("name", NAMES)
def test_staffvc_verifies_what_vcjs_signed_and_the_proofs_are_identical(
    eddsa_round: dict[str, Any], name: str
) -> None:
    _, issued = eddsa_round["answers"][name]
    assert issued["ok"] is True, issued
    theirs = issued["document"]
    result = Verifier().verify_credential(theirs, now=parse_datetime(_now(theirs)))
    assert result.verdict is Verdict.VALID, result.explain()
    assert theirs["proof"]["proofValue"] == eddsa_round["ours"][name]["proof"]["proofValue"]


def test_vcjs_derives_from_a_staffvc_base_proof() -> None:
    key = _key(KeyType.P256)
    credential = _example("occupational-health-clearance-credential", key)
    suite = EcdsaSd2023(mandatory_pointers=mandatory_pointers(credential))
    signed = add_proof(
        credential,
        key,
        suite=suite,
        purpose=AssertionPurpose(),
        created=CREATED,
        loader=BundledLoader(),
    )
    (derived,) = run_batch([derive_request(signed, ["/credentialSubject/immunisations/0"])])
    assert derived["ok"] is True, derived
    document = derived["document"]
    assert document["credentialSubject"]["immunisations"] == [
        credential["credentialSubject"]["immunisations"][0]
    ]
    verifier = Verifier(suites={**SUITES, "ecdsa-sd-2023": suite})
    result = verifier.verify_credential(document, now=parse_datetime(_now(credential)))
    assert result.verdict is Verdict.VALID, result.explain()
    (checked,) = run_batch([{"op": "verify", "credential": document, "now": _now(credential)}])
    assert checked["verified"] is True, checked
