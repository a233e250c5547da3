"""Adding and verifying Data Integrity proofs (VC Data Integrity 1.0 §4.2 to §4.5).

What every proof shares, whatever its cryptosuite: the proof options, the purpose, the
verification method and its authorisation, ``created``/``expires``, proof sets (several
independent proofs; *all* must verify) and proof chains (``previousProof``: a proof that
also signs the proofs it names).

:func:`add_proof` raises on bad input (the caller controls it). :func:`verify_proofs`
never raises: it records one coded check per step in a
:class:`~staffvc.results.CheckRecorder`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import datetime

from staffvc.clock import parse_datetime
from staffvc.did import DidResolver, VerificationMethod
from staffvc.errors import DidError, DidResolutionInternalError, StaffVCError
from staffvc.jsonld import DocumentLoader, DocumentLoaderError
from staffvc.keys import Signer
from staffvc.proofs.data_integrity.common import ProofGenerationError, format_datetime, proofs_of
from staffvc.proofs.data_integrity.registry import SUITES
from staffvc.proofs.data_integrity.suites import (
    DATA_INTEGRITY_PROOF,
    KEY_TYPE_OF_ALGORITHM,
    Cryptosuite,
    suite_for_proof,
)
from staffvc.proofs.purposes import ProofPurpose
from staffvc.results import CheckError, CheckFailed, CheckRecorder, Code, Outcome, Stage
from staffvc.safejson import JsonObject, JsonValue

__all__ = ["add_proof", "verify_proofs"]

_SPEC = "VC-DATA-INTEGRITY"


def add_proof(
    document: JsonObject,
    signer: Signer,
    *,
    suite: str | Cryptosuite,
    purpose: ProofPurpose,
    created: datetime | None,
    verification_method: str | None = None,
    expires: datetime | None = None,
    proof_id: str | None = None,
    previous_proof: str | Sequence[str] | None = None,
    loader: DocumentLoader,
    suites: Mapping[str, Cryptosuite] = SUITES,
) -> JsonObject:
    """A copy of ``document`` with a new proof added to its proof set.

    ``verification_method`` defaults to ``signer.key_id``. ``created=None`` omits
    ``created`` (it is optional); pass the instant to record it. ``previous_proof`` makes the
    new proof part of a chain: it then also signs the proofs with those ids.
    """
    chosen = suites.get(suite) if isinstance(suite, str) else suite
    if chosen is None:
        raise ProofGenerationError(f"unknown cryptosuite {suite!r} (known: {', '.join(suites)})")
    if not isinstance(document, dict) or "@context" not in document:
        raise ProofGenerationError("a document to sign must be a JSON object with an @context")
    key_type = KEY_TYPE_OF_ALGORITHM.get(signer.algorithm)
    if key_type is None or not chosen.supports(key_type):
        raise ProofGenerationError(f"{chosen.name} cannot sign with a {signer.algorithm} key")
    vm = verification_method or signer.key_id
    if not vm:
        raise ProofGenerationError("no verification method: pass one or use a signer with key_id")

    existing = proofs_of(document)
    unsecured: JsonObject = {k: v for k, v in document.items() if k != "proof"}
    unsecured = chosen.prepare(copy.deepcopy(unsecured))
    options: JsonObject = {"type": chosen.proof_type}
    if proof_id is not None:
        options["id"] = proof_id
    if chosen.proof_type == DATA_INTEGRITY_PROOF:
        options["cryptosuite"] = chosen.name
    if created is not None:
        options["created"] = format_datetime(created)
    if expires is not None:
        options["expires"] = format_datetime(expires)
    options["verificationMethod"] = vm
    options["proofPurpose"] = purpose.term
    options.update(purpose.options())
    to_sign = unsecured
    if previous_proof is not None:
        wanted = [previous_proof] if isinstance(previous_proof, str) else list(previous_proof)
        ids: list[JsonValue] = list(wanted)
        options["previousProof"] = previous_proof if isinstance(previous_proof, str) else ids
        to_sign = {**unsecured, "proof": _matching(existing, wanted)}
    proof = chosen.create_proof(to_sign, options, signer, loader=loader)
    secured = dict(unsecured)
    secured["proof"] = proof if not existing else [*copy.deepcopy(existing), proof]
    return secured


def _matching(proofs: list[JsonValue], ids: list[str]) -> list[JsonValue]:
    by_id = {p.get("id"): p for p in proofs if isinstance(p, dict)}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ProofGenerationError(f"previousProof names proofs that are not there: {missing}")
    return [copy.deepcopy(by_id[i]) for i in ids]


# --- verification ----------------------------------------------------------------------------


def verify_proofs(
    document: JsonObject,
    recorder: CheckRecorder,
    *,
    purpose: ProofPurpose,
    expected_controller: str | None,
    resolver: DidResolver,
    loader: DocumentLoader,
    now: datetime,
    suites: Mapping[str, Cryptosuite] = SUITES,
) -> bool:
    """Verify every proof of ``document``, recording checks; True if all passed.

    ``expected_controller`` is the DID that must control each proof's verification method
    (the issuer of a credential, the holder of a presentation); None skips that binding and
    must be asked for explicitly.
    """
    proofs = proofs_of(document)
    if not proofs:
        recorder.fail(Stage.PROOF, "proof.present", Code.MALFORMED_PROOF_ERROR, "no proof")
        return False
    unsecured: JsonObject = {k: v for k, v in document.items() if k != "proof"}
    ok = True
    for index, proof in enumerate(proofs):
        base = f"/proof/{index}" if isinstance(document.get("proof"), list) else "/proof"
        ok &= _verify_one(
            proof,
            proofs,
            unsecured,
            recorder,
            base=base,
            name=f"proof[{index}]",
            purpose=purpose,
            expected_controller=expected_controller,
            resolver=resolver,
            loader=loader,
            now=now,
            suites=suites,
        )
    return ok


def _verify_one(
    proof: JsonValue,
    proofs: list[JsonValue],
    unsecured: JsonObject,
    recorder: CheckRecorder,
    *,
    base: str,
    name: str,
    purpose: ProofPurpose,
    expected_controller: str | None,
    resolver: DidResolver,
    loader: DocumentLoader,
    now: datetime,
    suites: Mapping[str, Cryptosuite],
) -> bool:
    start = len(recorder.checks)

    def structure() -> tuple[JsonObject, Cryptosuite]:
        if not isinstance(proof, dict):
            raise CheckFailed(Code.MALFORMED_PROOF_ERROR, "a proof must be an object", pointer=base)
        for member in ("type", "verificationMethod", "proofPurpose"):
            if not isinstance(proof.get(member), str):
                raise CheckFailed(
                    Code.MALFORMED_PROOF_ERROR,
                    f"the proof has no {member}",
                    pointer=f"{base}/{member}",
                )
        suite = suite_for_proof(proof, suites)
        if suite is None:
            raise CheckError(
                Code.UNKNOWN_CRYPTOSUITE,
                "unknown proof type or cryptosuite: "
                f"{proof.get('type')} {proof.get('cryptosuite', '')}".rstrip(),
                pointer=f"{base}/cryptosuite",
            )
        return proof, suite

    found = recorder.run(Stage.PROOF, f"{name}.structure", structure, spec=f"{_SPEC} §2.1")
    if found is None:
        return False
    proof_obj, suite = found

    def purpose_matches() -> None:
        if proof_obj["proofPurpose"] != purpose.term:
            raise CheckFailed(
                Code.MISMATCHED_PROOF_PURPOSE_ERROR,
                f"proofPurpose is {proof_obj['proofPurpose']}, expected {purpose.term}",
                pointer=f"{base}/proofPurpose",
            )
        purpose.check(proof_obj)

    def times() -> None:
        for member in ("created", "expires"):
            value = proof_obj.get(member)
            if value is None:
                continue
            try:
                instant = parse_datetime(value) if isinstance(value, str) else None
            except ValueError:
                instant = None
            if instant is None:
                raise CheckFailed(
                    Code.MALFORMED_PROOF_ERROR,
                    f"{member} is not a dateTime",
                    pointer=f"{base}/{member}",
                )
            if member == "expires" and instant < now:
                raise CheckFailed(
                    Code.PROOF_VERIFICATION_ERROR,
                    "the proof has expired",
                    pointer=f"{base}/expires",
                )

    def method() -> VerificationMethod:
        vm_url = str(proof_obj["verificationMethod"])
        try:
            vm = resolver.dereference(vm_url, relationship=purpose.relationship)
        except DidResolutionInternalError as exc:
            raise CheckError(
                Code.DID_RESOLUTION_ERROR, exc.message, pointer=f"{base}/verificationMethod"
            ) from exc
        except DidError as exc:
            code = _DID_CODES.get(exc.code, Code.INVALID_VERIFICATION_METHOD)
            if exc.code in ("methodNotSupported", "notFound"):
                raise CheckError(code, exc.message, pointer=f"{base}/verificationMethod") from exc
            raise CheckFailed(code, exc.message, pointer=f"{base}/verificationMethod") from exc
        if expected_controller is not None and vm.controller != expected_controller:
            raise CheckFailed(
                Code.CONTROLLER_MISMATCH,
                f"the verification method is controlled by {vm.controller}, "
                f"not {expected_controller}",
                pointer=f"{base}/verificationMethod",
            )
        return vm

    def signature(vm: VerificationMethod) -> None:
        previous = proof_obj.get("previousProof")
        document = unsecured
        if previous is not None:
            wanted = [previous] if isinstance(previous, str) else previous
            if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
                raise CheckFailed(
                    Code.MALFORMED_PROOF_ERROR,
                    "previousProof must be ids",
                    pointer=f"{base}/previousProof",
                )
            by_id = {p.get("id"): p for p in proofs if isinstance(p, dict)}
            missing = [w for w in wanted if w not in by_id]
            if missing:
                raise CheckFailed(
                    Code.PROOF_VERIFICATION_ERROR,
                    f"previousProof names proofs that are not in the document: {missing}",
                    pointer=f"{base}/previousProof",
                )
            document = {**unsecured, "proof": [by_id[w] for w in wanted]}
        try:
            suite.verify_proof(document, proof_obj, vm.public_key, loader=loader)
        except DocumentLoaderError as exc:
            raise CheckError(Code.PARSING_ERROR, exc.message) from exc
        except StaffVCError as exc:
            raise CheckFailed(
                _JSONLD_CODES.get(exc.code, Code.PROOF_VERIFICATION_ERROR), exc.message
            ) from exc

    recorder.run(Stage.PURPOSE, f"{name}.purpose", purpose_matches, spec=f"{_SPEC} §4.4")
    recorder.run(Stage.PROOF, f"{name}.dates", times, spec=f"{_SPEC} §2.1")
    vm = recorder.run(Stage.PURPOSE, f"{name}.verificationMethod", method, spec="CID §3.3")
    if vm is None:
        recorder.skip_rest([(Stage.PROOF, f"{name}.signature")], "no usable verification method")
    else:
        recorder.run(
            Stage.PROOF,
            f"{name}.signature",
            lambda: signature(vm),
            spec=f"{_SPEC} §4.4; {suite.name}",
        )
    return all(c.outcome is Outcome.PASSED for c in recorder.checks[start:])


_DID_CODES = {
    "invalidDidUrl": Code.INVALID_VERIFICATION_METHOD_URL,
    "invalidDid": Code.INVALID_VERIFICATION_METHOD_URL,
    "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD": (
        Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD
    ),
    "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT": Code.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT,
    "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID": Code.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID,
    "methodNotSupported": Code.DID_RESOLUTION_ERROR,
    "notFound": Code.DID_RESOLUTION_ERROR,
}
_JSONLD_CODES = {
    "DATA_LOSS_DETECTION_ERROR": Code.DATA_LOSS_DETECTION_ERROR,
    "LIMIT_EXCEEDED": Code.LIMIT_EXCEEDED,
    "PARSING_ERROR": Code.PARSING_ERROR,
    "MALFORMED_VALUE_ERROR": Code.MALFORMED_VALUE_ERROR,
}
