"""Interop with Digital Bazaar's vc.js, both directions, for every Data Integrity suite.

For each suite (and curve), and for a VC Data Model 2.0 and a 1.1 credential:

* staffvc issues, vc.js verifies; vc.js issues, staffvc verifies;
* a tampered credential is rejected by both, whoever signed it;
* a credential whose ``issuer`` is another DID than the signing key's controller is rejected
  by both (vc.js's issuer/controller binding stays on, as in production);
* the proof options both sides write are identical, and for the deterministic Ed25519
  suites the whole signed document (``proofValue`` included) is byte-identical.

The issuer is always the did:key of the signing key. Only bundled contexts are used (both
sides are offline). Each test case is one credential; all the vc.js work for the module
runs in two ``batch`` calls to the harness (interop/node/vcjs.mjs).

ecdsa-sd-2023 (selective disclosure) has its own section at the end: every issuer/holder
pairing of the two implementations (base proof, then derived proof), each derived credential
checked by both verifiers, with tampered copies and base proofs as negative controls; its
vc.js work runs in three more batches.

VC 1.1 credentials use ``https://www.w3.org/ns/credentials/examples/v2`` (a bare
``@vocab``) for the NHS claims, not ``https://www.w3.org/2018/credentials/examples/v1``:
that context imports ``https://www.w3.org/ns/odrl.jsonld``, which is not bundled, so
neither staffvc nor the harness can process it offline (both refuse to load the URL).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

import pytest

from interop.vcjs import derive_request, run_batch
from staffvc.clock import parse_datetime
from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import (
    EcdsaSd2023,
    ProofGenerationError,
    add_proof,
    derive_proof,
)
from staffvc.results import Code, Verdict
from staffvc.verifier import Verifier

CREATED = "2025-06-02T08:30:00Z"
ISSUED = "2025-06-02T08:00:00Z"
NOW_TEXT = "2025-07-01T00:00:00Z"
NOW = parse_datetime(NOW_TEXT)

V2 = "2.0"
V1 = "1.1"
SUITE_CONTEXT_V1 = {
    "eddsa-rdfc-2022": "https://w3id.org/security/data-integrity/v2",
    "eddsa-jcs-2022": "https://w3id.org/security/data-integrity/v2",
    "ecdsa-rdfc-2019": "https://w3id.org/security/data-integrity/v2",
    "ecdsa-jcs-2019": "https://w3id.org/security/data-integrity/v2",
    "Ed25519Signature2020": "https://w3id.org/security/suites/ed25519-2020/v1",
}
DETERMINISTIC = {"eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"}
MULTIKEY_PREFIX = {"Ed25519": "z6Mk", "P-256": "zDna", "P-384": "z82L"}


@dataclass(frozen=True)
class Case:
    suite: str
    key_type: str
    version: str

    @property
    def id(self) -> str:
        curve = "" if self.key_type == "Ed25519" else f"-{self.key_type}"
        return f"{self.suite}{curve}-vc{self.version}"

    def key(self, role: str = "issuer") -> KeyPair:
        """A fixed key per case and role, so a failure reproduces with the same bytes."""
        size = 48 if self.key_type == "P-384" else 32
        seed = hashlib.sha512(f"staffvc-interop/{self.id}/{role}".encode()).digest()[:size]
        pair = KeyPair.from_private_bytes(self.key_type, seed)
        return pair.with_key_id(vm_id_of(pair.public_key))


SUITE_KEYS = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-jcs-2019", "P-256"),
    ("ecdsa-jcs-2019", "P-384"),
    ("Ed25519Signature2020", "Ed25519"),
]
CASES = [Case(s, k, v) for s, k in SUITE_KEYS for v in (V2, V1)]
CASE_PARAMS = [pytest.param(c, id=c.id) for c in CASES]
DETERMINISTIC_PARAMS = [pytest.param(c, id=c.id) for c in CASES if c.suite in DETERMINISTIC]
ORIGINS = ["staffvc", "vcjs"]


def unsigned_credential(case: Case, issuer: str) -> dict[str, Any]:
    """A staff passport training credential; its issuer is ``issuer``."""
    if case.version == V2:
        contexts = [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ]
        dates = {"validFrom": ISSUED}
    else:
        contexts = [
            "https://www.w3.org/2018/credentials/v1",
            "https://www.w3.org/ns/credentials/examples/v2",  # see the module docstring
            SUITE_CONTEXT_V1[case.suite],
        ]
        dates = {"issuanceDate": ISSUED}
    return {
        "@context": contexts,
        "id": "urn:uuid:6f1c2a9e-3b7d-4c58-9a2e-0d4b7e61c3f5",
        "type": ["VerifiableCredential", "StaffTrainingCredential"],
        "issuer": issuer,
        **dates,
        "credentialSubject": {
            "id": "did:example:nhs-staff-4412",
            "name": "Dr Alex Morgan",
            "employer": "Example NHS Foundation Trust",
            "completedTraining": [
                {
                    "type": "StatutoryMandatoryTraining",
                    "course": "Information Governance and Data Security",
                    "level": 1,
                    "completed": "2025-03-14",
                },
                {
                    "type": "StatutoryMandatoryTraining",
                    "course": "Safeguarding Adults",
                    "level": 2,
                    "completed": "2025-04-02",
                },
            ],
        },
    }


def tamper(document: dict[str, Any]) -> dict[str, Any]:
    """The same signed credential claiming a higher safeguarding level."""
    changed = copy.deepcopy(document)
    changed["credentialSubject"]["completedTraining"][1]["level"] = 3
    return changed


def staffvc_sign(case: Case, credential: dict[str, Any]) -> dict[str, Any]:
    return add_proof(
        credential,
        case.key(),
        suite=case.suite,
        purpose=AssertionPurpose(),
        created=parse_datetime(CREATED),
        loader=BundledLoader(),
    )


def vcjs_issue_request(case: Case, credential: dict[str, Any]) -> dict[str, Any]:
    key = case.key()
    return {
        "op": "issue",
        "suite": case.suite,
        "key": {
            "publicKeyMultibase": key.public_key.to_multikey(),
            "secretKeyMultibase": key.private_multikey(),
        },
        "credential": credential,
        "created": CREATED,
    }


def vcjs_verify_request(document: dict[str, Any]) -> dict[str, Any]:
    # issuerBinding stays at its default (on): issuer must be the key's controller.
    return {"op": "verify", "credential": document, "now": NOW_TEXT}


@dataclass
class CaseRun:
    """Everything both implementations did for one case."""

    staffvc_signed: dict[str, Any]
    staffvc_foreign: dict[str, Any]
    vcjs_issue: dict[str, Any] = field(default_factory=dict)
    vcjs_issue_foreign: dict[str, Any] = field(default_factory=dict)
    vcjs_verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """vc.js verify answers by label: "<origin>" / "<origin>-tampered" / "<origin>-foreign"."""

    def signed_by(self, origin: str) -> dict[str, Any]:
        if origin == "staffvc":
            return self.staffvc_signed
        return _document(self.vcjs_issue)

    def foreign_by(self, origin: str) -> dict[str, Any]:
        if origin == "staffvc":
            return self.staffvc_foreign
        return _document(self.vcjs_issue_foreign)


def _document(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer.get("ok") is True, f"vc.js issue failed: {answer.get('error', answer)}"
    document: dict[str, Any] = answer["document"]
    return document


@pytest.fixture(scope="module")
def runs() -> dict[str, CaseRun]:
    """Sign with staffvc, then two harness batches: (1) vc.js issues and verifies the staffvc
    credentials, (2) vc.js verifies its own credentials and their tampered/foreign copies."""
    out: dict[str, CaseRun] = {}
    first: list[tuple[str, str, dict[str, Any]]] = []
    for case in CASES:
        own = str(did_key(case.key().public_key))
        other = str(did_key(case.key("someone-else").public_key))
        run = CaseRun(
            staffvc_signed=staffvc_sign(case, unsigned_credential(case, own)),
            staffvc_foreign=staffvc_sign(case, unsigned_credential(case, other)),
        )
        out[case.id] = run
        first += [
            (case.id, "issue", vcjs_issue_request(case, unsigned_credential(case, own))),
            (case.id, "issue-foreign", vcjs_issue_request(case, unsigned_credential(case, other))),
            (case.id, "staffvc", vcjs_verify_request(run.staffvc_signed)),
            (case.id, "staffvc-tampered", vcjs_verify_request(tamper(run.staffvc_signed))),
            (case.id, "staffvc-foreign", vcjs_verify_request(run.staffvc_foreign)),
        ]
    for (case_id, label, _), answer in zip(first, run_batch([r for *_, r in first]), strict=True):
        run = out[case_id]
        if label == "issue":
            run.vcjs_issue = answer
        elif label == "issue-foreign":
            run.vcjs_issue_foreign = answer
        else:
            run.vcjs_verdicts[label] = answer

    second: list[tuple[str, str, dict[str, Any]]] = []
    for case_id, run in out.items():
        if run.vcjs_issue.get("ok") is True:
            signed = run.vcjs_issue["document"]
            second += [
                (case_id, "vcjs", vcjs_verify_request(signed)),
                (case_id, "vcjs-tampered", vcjs_verify_request(tamper(signed))),
            ]
        if run.vcjs_issue_foreign.get("ok") is True:
            foreign = run.vcjs_issue_foreign["document"]
            second.append((case_id, "vcjs-foreign", vcjs_verify_request(foreign)))
    if second:
        answers = run_batch([r for *_, r in second])
        for (case_id, label, _), answer in zip(second, answers, strict=True):
            out[case_id].vcjs_verdicts[label] = answer
    return out


def staffvc_verify(document: dict[str, Any]) -> Any:
    return Verifier().verify_credential(document, now=NOW)


def vcjs_verdict(run: CaseRun, label: str) -> dict[str, Any]:
    answer = run.vcjs_verdicts.get(label)
    assert answer is not None, f"vc.js was not asked to verify {label!r} (issue failed?)"
    assert answer.get("ok") is True, f"vc.js verify errored: {answer.get('error')}"
    return answer


def _expected_proof_shape(case: Case, document: dict[str, Any]) -> None:
    proof = document["proof"]
    key = case.key()
    if case.suite == "Ed25519Signature2020":
        assert proof["type"] == "Ed25519Signature2020"
    else:
        assert proof["type"] == "DataIntegrityProof"
        assert proof["cryptosuite"] == case.suite
    assert proof["verificationMethod"] == vm_id_of(key.public_key)
    assert proof["verificationMethod"].startswith("did:key:" + MULTIKEY_PREFIX[case.key_type])
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["created"] == CREATED
    assert document["issuer"] == str(did_key(key.public_key))


# --- direction 1: staffvc issues, vc.js verifies ---------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_staffvc_issued_credential_verifies_in_vcjs(case: Case, runs: dict[str, CaseRun]) -> None:
    run = runs[case.id]
    _expected_proof_shape(case, run.staffvc_signed)
    answer = vcjs_verdict(run, "staffvc")
    assert answer["verified"] is True, answer["errors"]
    assert answer["errors"] == []


# --- direction 2: vc.js issues, staffvc verifies ---------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_vcjs_issued_credential_verifies_in_staffvc(case: Case, runs: dict[str, CaseRun]) -> None:
    document = runs[case.id].signed_by("vcjs")
    _expected_proof_shape(case, document)
    result = staffvc_verify(document)
    assert result.verdict is Verdict.VALID, result.explain()


# --- controls: each side accepts what it signed itself ---------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_each_side_accepts_its_own_credential(case: Case, runs: dict[str, CaseRun]) -> None:
    run = runs[case.id]
    result = staffvc_verify(run.staffvc_signed)
    assert result.verdict is Verdict.VALID, result.explain()
    answer = vcjs_verdict(run, "vcjs")
    assert answer["verified"] is True, answer["errors"]


# --- same proof, whoever made it ---------------------------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_both_sides_write_the_same_document_and_proof_options(
    case: Case, runs: dict[str, CaseRun]
) -> None:
    """Same key, document and ``created``: everything but an ECDSA signature must agree,
    including the context each side adds and (JCS) the proof's own ``@context``."""
    run = runs[case.id]
    ours, theirs = run.signed_by("staffvc"), run.signed_by("vcjs")
    assert {k: v for k, v in theirs.items() if k != "proof"} == {
        k: v for k, v in ours.items() if k != "proof"
    }
    strip = ("proofValue",)
    assert {k: v for k, v in theirs["proof"].items() if k not in strip} == {
        k: v for k, v in ours["proof"].items() if k not in strip
    }


@pytest.mark.parametrize("case", DETERMINISTIC_PARAMS)
def test_ed25519_suites_produce_identical_proof_values(
    case: Case, runs: dict[str, CaseRun]
) -> None:
    """Ed25519 (RFC 8032) is deterministic: same key and same signed bytes, same signature."""
    run = runs[case.id]
    ours, theirs = run.signed_by("staffvc"), run.signed_by("vcjs")
    assert theirs["proof"]["proofValue"] == ours["proof"]["proofValue"]
    assert theirs == ours


# --- negative controls, both directions ----------------------------------------------------


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_tampered_credential_is_rejected_by_both(
    case: Case, origin: str, runs: dict[str, CaseRun]
) -> None:
    run = runs[case.id]
    result = staffvc_verify(tamper(run.signed_by(origin)))
    assert result.verdict is Verdict.INVALID, result.explain()
    assert result.codes() == [Code.PROOF_VERIFICATION_ERROR], result.explain()
    answer = vcjs_verdict(run, f"{origin}-tampered")
    assert answer["verified"] is False
    assert answer["errors"], answer


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_credential_from_another_issuer_is_rejected_by_both(
    case: Case, origin: str, runs: dict[str, CaseRun]
) -> None:
    """A valid signature by key K on a credential naming another DID as issuer: K's
    controller is not the issuer (conformance DI-12: DI 1.0 §5.9 to §5.11; vc.js's
    CredentialIssuancePurpose). The signature itself is fine, so that is the only error."""
    run = runs[case.id]
    document = run.foreign_by(origin)
    assert document["issuer"] != str(did_key(case.key().public_key))
    result = staffvc_verify(document)
    assert result.verdict is Verdict.INVALID, result.explain()
    assert result.codes() == [Code.CONTROLLER_MISMATCH], result.explain()
    answer = vcjs_verdict(run, f"{origin}-foreign")
    assert answer["verified"] is False
    assert answer["errors"], answer
    assert all("issuer must match" in e for e in answer["errors"]), answer["errors"]


# --- ecdsa-sd-2023 (selective disclosure) ---------------------------------------------------
#
# Three parties instead of two: an issuer adds a *base proof* (which only a holder may see),
# a holder *derives* a proof revealing the mandatory pointers plus the selective pointers they
# choose, and a verifier checks the derived proof. Every issuer/holder pairing of staffvc and
# vc.js is run, and every derived credential is checked by both verifiers, for VC 2.0 and
# 1.1 (vc.js supports both here) and three disclosures. vc.js's issuer binding stays on.
#
# Kept apart from SUITE_KEYS above: those tests assume one signer-to-verifier proof per case.

SD = "ecdsa-sd-2023"
SD_CASES = [Case(SD, "P-256", v) for v in (V2, V1)]
SD_CASE_PARAMS = [pytest.param(c, id=c.id) for c in SD_CASES]
SD_MANDATORY = {
    # a derived credential must keep its issuer, its validity and a subject; vc.js and
    # staffvc both require ``issuanceDate`` on a VC 1.1 credential
    V2: ["/issuer", "/validFrom", "/credentialSubject/id"],
    V1: ["/issuer", "/issuanceDate", "/credentialSubject/id"],
}
SD_SELECTIONS: dict[str, list[str]] = {
    # one training record, a blank node object, whole
    "safeguarding": ["/credentialSubject/completedTraining/1"],
    # some properties of both records (the blank nodes are kept with their type) and a scalar
    "courses-and-levels": [
        "/credentialSubject/employer",
        "/credentialSubject/completedTraining/0/course",
        "/credentialSubject/completedTraining/0/level",
        "/credentialSubject/completedTraining/1/level",
    ],
    # nothing beyond what the issuer made mandatory
    "mandatory-only": [],
}
SD_EXPECTED_SUBJECT: dict[str, dict[str, Any]] = {
    "safeguarding": {
        "id": "did:example:nhs-staff-4412",
        "completedTraining": [
            {
                "type": "StatutoryMandatoryTraining",
                "course": "Safeguarding Adults",
                "level": 2,
                "completed": "2025-04-02",
            }
        ],
    },
    "courses-and-levels": {
        "id": "did:example:nhs-staff-4412",
        "employer": "Example NHS Foundation Trust",
        "completedTraining": [
            {
                "type": "StatutoryMandatoryTraining",
                "course": "Information Governance and Data Security",
                "level": 1,
            },
            {"type": "StatutoryMandatoryTraining", "level": 2},
        ],
    },
    "mandatory-only": {"id": "did:example:nhs-staff-4412"},
}
SD_PAIRS = [(i, h) for i in ORIGINS for h in ORIGINS]
SD_DERIVED_PARAMS = [
    pytest.param(case, sel, issuer, holder, id=f"{case.id}-{sel}-{issuer}-base-{holder}-derive")
    for case in SD_CASES
    for sel in SD_SELECTIONS
    for issuer, holder in SD_PAIRS
]
SD_BASE_PARAMS = [
    pytest.param(case, issuer, id=f"{case.id}-{issuer}-base")
    for case in SD_CASES
    for issuer in ORIGINS
]
SD_SAME_DERIVE_PARAMS = [
    pytest.param(case, sel, issuer, id=f"{case.id}-{sel}-{issuer}-base")
    for case in SD_CASES
    for sel in SD_SELECTIONS
    for issuer in ORIGINS
]


def sd_unsigned_credential(case: Case, issuer: str) -> dict[str, Any]:
    """The training credential above; VC 1.1 names the Data Integrity context itself."""
    credential = unsigned_credential(Case(case.suite, case.key_type, V2), issuer)
    if case.version == V1:
        del credential["validFrom"]
        credential = {
            **credential,
            "@context": [
                "https://www.w3.org/2018/credentials/v1",
                "https://www.w3.org/ns/credentials/examples/v2",  # see the module docstring
                "https://w3id.org/security/data-integrity/v2",
            ],
            "issuanceDate": ISSUED,
        }
    return credential


def sd_tampered(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Altered copies of a derived credential: a mandatory claim (the subject) and, when one is
    disclosed, a selectively disclosed one (a training level)."""
    subject = copy.deepcopy(document)
    subject["credentialSubject"]["id"] = "did:example:nhs-staff-9999"
    out = {"mandatory": subject}
    trainings = document["credentialSubject"].get("completedTraining", [])
    if trainings and "level" in trainings[-1]:
        claim = copy.deepcopy(document)
        claim["credentialSubject"]["completedTraining"][-1]["level"] += 1
        out["selective"] = claim
    return out


def sd_label(selection: str, issuer: str, holder: str) -> str:
    return f"{selection}:{issuer}>{holder}"


@dataclass
class SdRun:
    """One ecdsa-sd-2023 case: both base proofs, every derivation, vc.js's verdicts."""

    bases: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Answer-shaped ({"ok", "document"|"error"}) base-proof issues, by issuer."""
    derived: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Answer-shaped derivations, by :func:`sd_label`."""
    vcjs_verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """vc.js verify answers: "<label>", "<label>/tampered-<kind>", "<issuer>-base"."""


def _staffvc_base(case: Case) -> dict[str, Any]:
    credential = sd_unsigned_credential(case, str(did_key(case.key().public_key)))
    document = add_proof(
        credential,
        case.key(),
        suite=EcdsaSd2023(mandatory_pointers=SD_MANDATORY[case.version]),
        purpose=AssertionPurpose(),
        created=parse_datetime(CREATED),
        loader=BundledLoader(),
    )
    return {"ok": True, "document": document}


def _staffvc_derive(base: dict[str, Any], selection: str) -> dict[str, Any]:
    try:
        document = derive_proof(_document(base), SD_SELECTIONS[selection], loader=BundledLoader())
    except ProofGenerationError as exc:  # reported by the tests that need this document
        return {"ok": False, "error": f"staffvc derive_proof: {exc}"}
    return {"ok": True, "document": document}


def _sd_verify_requests(label: str, document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [(label, vcjs_verify_request(document))]
    for kind, changed in sd_tampered(document).items():
        out.append((f"{label}/tampered-{kind}", vcjs_verify_request(changed)))
    return out


@pytest.fixture(scope="module")
def sd_runs() -> dict[str, SdRun]:
    """staffvc issues and derives, then three harness batches: (1) vc.js issues its base
    proof, derives from staffvc's, and verifies what staffvc derived from staffvc's base;
    (2) vc.js derives from its own base and verifies what the other holder derived from each
    base; (3) vc.js verifies what it derived from its own base."""
    out: dict[str, SdRun] = {}
    batches: list[list[tuple[str, str, dict[str, Any]]]] = [[], [], []]
    for case in SD_CASES:
        run = SdRun()
        run.bases["staffvc"] = _staffvc_base(case)
        out[case.id] = run
        own = str(did_key(case.key().public_key))
        issue = vcjs_issue_request(case, sd_unsigned_credential(case, own))
        issue["mandatoryPointers"] = SD_MANDATORY[case.version]
        batches[0].append((case.id, "issue", issue))
        batches[0].append(
            (case.id, "staffvc-base", vcjs_verify_request(_document(run.bases["staffvc"])))
        )
        for sel in SD_SELECTIONS:
            label = sd_label(sel, "staffvc", "staffvc")
            run.derived[label] = _staffvc_derive(run.bases["staffvc"], sel)
            if run.derived[label]["ok"]:
                for item in _sd_verify_requests(label, run.derived[label]["document"]):
                    batches[0].append((case.id, *item))
            request = derive_request(_document(run.bases["staffvc"]), SD_SELECTIONS[sel])
            batches[0].append((case.id, f"derive {sd_label(sel, 'staffvc', 'vcjs')}", request))

    def record(batch: list[tuple[str, str, dict[str, Any]]]) -> None:
        if not batch:
            return
        answers = run_batch([r for *_, r in batch])
        for (case_id, label, _), answer in zip(batch, answers, strict=True):
            run = out[case_id]
            if label == "issue":
                run.bases["vcjs"] = answer
            elif label.startswith("derive "):
                run.derived[label.removeprefix("derive ")] = answer
            else:
                run.vcjs_verdicts[label] = answer

    record(batches[0])
    for case_id, run in out.items():
        for sel in SD_SELECTIONS:
            label = sd_label(sel, "staffvc", "vcjs")
            if run.derived[label].get("ok") is True:
                for item in _sd_verify_requests(label, run.derived[label]["document"]):
                    batches[1].append((case_id, *item))
        base = run.bases["vcjs"]
        if base.get("ok") is not True:
            continue
        batches[1].append((case_id, "vcjs-base", vcjs_verify_request(base["document"])))
        for sel in SD_SELECTIONS:
            label = sd_label(sel, "vcjs", "staffvc")
            run.derived[label] = _staffvc_derive(base, sel)
            if run.derived[label]["ok"]:
                for item in _sd_verify_requests(label, run.derived[label]["document"]):
                    batches[1].append((case_id, *item))
            request = derive_request(base["document"], SD_SELECTIONS[sel])
            batches[1].append((case_id, f"derive {sd_label(sel, 'vcjs', 'vcjs')}", request))
    record(batches[1])
    for case_id, run in out.items():
        for sel in SD_SELECTIONS:
            label = sd_label(sel, "vcjs", "vcjs")
            if run.derived.get(label, {}).get("ok") is True:
                for item in _sd_verify_requests(label, run.derived[label]["document"]):
                    batches[2].append((case_id, *item))
    record(batches[2])
    return out


def sd_derived(run: SdRun, selection: str, issuer: str, holder: str) -> dict[str, Any]:
    base = run.bases.get(issuer, {})
    assert base.get("ok") is True, f"{issuer} base proof failed: {base.get('error', base)}"
    answer = run.derived.get(sd_label(selection, issuer, holder), {})
    assert answer.get("ok") is True, f"{holder} derive failed: {answer.get('error', answer)}"
    document: dict[str, Any] = answer["document"]
    return document


def sd_vcjs_verdict(run: SdRun, label: str) -> dict[str, Any]:
    answer = run.vcjs_verdicts.get(label)
    assert answer is not None, f"vc.js was not asked to verify {label!r} (issue/derive failed?)"
    assert answer.get("ok") is True, f"vc.js verify errored: {answer.get('error')}"
    return answer


@pytest.mark.parametrize("case", SD_CASE_PARAMS)
def test_sd_both_sides_write_the_same_base_proof_options(
    case: Case, sd_runs: dict[str, SdRun]
) -> None:
    """Same key, document, ``created`` and mandatory pointers: only the (random) proofValue
    differs, and both are base proofs (CBOR tag header 0xd95d00, ``u2V0A`` in base64url)."""
    run = sd_runs[case.id]
    ours, theirs = _document(run.bases["staffvc"]), _document(run.bases["vcjs"])
    for document in (ours, theirs):
        _expected_proof_shape(case, document)
        assert document["proof"]["proofValue"].startswith("u2V0A")
    assert {k: v for k, v in theirs.items() if k != "proof"} == {
        k: v for k, v in ours.items() if k != "proof"
    }
    assert {k: v for k, v in theirs["proof"].items() if k != "proofValue"} == {
        k: v for k, v in ours["proof"].items() if k != "proofValue"
    }


@pytest.mark.parametrize(("case", "selection", "issuer", "holder"), SD_DERIVED_PARAMS)
def test_sd_derived_credential_reveals_exactly_the_pointers(
    case: Case, selection: str, issuer: str, holder: str, sd_runs: dict[str, SdRun]
) -> None:
    document = sd_derived(sd_runs[case.id], selection, issuer, holder)
    _expected_proof_shape(case, document)
    assert document["proof"]["proofValue"].startswith("u2V0B")  # derived: 0xd95d01
    unsigned = sd_unsigned_credential(case, document["issuer"])
    dates = "validFrom" if case.version == V2 else "issuanceDate"
    expected = {k: unsigned[k] for k in ("@context", "id", "type", "issuer", dates)} | {
        "credentialSubject": SD_EXPECTED_SUBJECT[selection]
    }
    assert {k: v for k, v in document.items() if k != "proof"} == expected


@pytest.mark.parametrize(("case", "selection", "issuer", "holder"), SD_DERIVED_PARAMS)
def test_sd_derived_credential_verifies_in_vcjs(
    case: Case, selection: str, issuer: str, holder: str, sd_runs: dict[str, SdRun]
) -> None:
    """Cases 1 to 4 with vc.js verifying (vc.js>vc.js is its own control)."""
    run = sd_runs[case.id]
    sd_derived(run, selection, issuer, holder)
    answer = sd_vcjs_verdict(run, sd_label(selection, issuer, holder))
    assert answer["verified"] is True, answer["errors"]
    assert answer["errors"] == []


@pytest.mark.parametrize(("case", "selection", "issuer", "holder"), SD_DERIVED_PARAMS)
def test_sd_derived_credential_verifies_in_staffvc(
    case: Case, selection: str, issuer: str, holder: str, sd_runs: dict[str, SdRun]
) -> None:
    """Cases 1 to 4 with staffvc verifying (staffvc>staffvc is its own control)."""
    document = sd_derived(sd_runs[case.id], selection, issuer, holder)
    result = staffvc_verify(document)
    assert result.verdict is Verdict.VALID, result.explain()


@pytest.mark.parametrize(("case", "selection", "issuer"), SD_SAME_DERIVE_PARAMS)
def test_sd_both_holders_derive_the_same_credential(
    case: Case, selection: str, issuer: str, sd_runs: dict[str, SdRun]
) -> None:
    """Deriving uses no randomness (§3.6.6): from the same base proof and pointers, staffvc
    and vc.js must produce the same document and the same derived proofValue."""
    run = sd_runs[case.id]
    ours = sd_derived(run, selection, issuer, "staffvc")
    theirs = sd_derived(run, selection, issuer, "vcjs")
    assert theirs["proof"]["proofValue"] == ours["proof"]["proofValue"]
    assert theirs == ours


@pytest.mark.parametrize(("case", "selection", "issuer", "holder"), SD_DERIVED_PARAMS)
def test_sd_tampered_derived_credential_is_rejected_by_both(
    case: Case, selection: str, issuer: str, holder: str, sd_runs: dict[str, SdRun]
) -> None:
    run = sd_runs[case.id]
    label = sd_label(selection, issuer, holder)
    tampered = sd_tampered(sd_derived(run, selection, issuer, holder))
    assert set(tampered) == (
        {"mandatory"} if selection == "mandatory-only" else {"mandatory", "selective"}
    )
    for kind, document in tampered.items():
        result = staffvc_verify(document)
        assert result.verdict is Verdict.INVALID, (kind, result.explain())
        assert result.codes() == [Code.PROOF_VERIFICATION_ERROR], (kind, result.explain())
        answer = sd_vcjs_verdict(run, f"{label}/tampered-{kind}")
        assert answer["verified"] is False, kind
        assert answer["errors"], (kind, answer)


@pytest.mark.parametrize(("case", "issuer"), SD_BASE_PARAMS)
def test_sd_base_proof_is_rejected_by_both_verifiers(
    case: Case, issuer: str, sd_runs: dict[str, SdRun]
) -> None:
    """A base proof is for the holder only (§3.6.7 verifies derived proofs: a verifier must
    not accept the base proof, which carries the HMAC key)."""
    run = sd_runs[case.id]
    base = _document(run.bases[issuer])
    result = staffvc_verify(base)
    assert result.verdict is Verdict.INVALID, result.explain()
    assert result.codes() == [Code.PROOF_VERIFICATION_ERROR], result.explain()
    answer = sd_vcjs_verdict(run, f"{issuer}-base")
    assert answer["verified"] is False
    assert any("must be a derived proof" in e for e in answer["errors"]), answer["errors"]
