"""VC-DI-ECDSA §3.6.6 (Add Derived Proof) with §3.5.4-3.5.7: the holder's derive operation.

Deriving is deterministic (no new signatures), so deriving from the vector's signed base
document with the vector's selective pointers reproduces the vector's revealed document,
proofValue included, byte for byte.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from staffvc.keys import multibase_decode, multibase_encode
from staffvc.proofs.data_integrity import ProofGenerationError
from staffvc.proofs.data_integrity._sd_proof_value import parse_derived, serialize_derived
from staffvc.proofs.data_integrity.ecdsa_sd import derive_proof


def _derive(case: Any, document: Any = None, pointers: Any = None) -> dict[str, Any]:
    return derive_proof(
        document if document is not None else case.data["addSignedSDBase"],
        pointers if pointers is not None else case.data["selectivePointers"],
        loader=case.loader(),
    )


def test_3_6_6_derived_document_reproduces_the_vector(sd_case: Any) -> None:
    derived = _derive(sd_case)
    expected = sd_case.data["derivedRevealDocument"]
    assert derived["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert derived == expected
    assert {k: v for k, v in derived.items() if k != "proof"} == sd_case.data[
        "derivedUnsignedReveal"
    ]


def test_3_5_4_disclosure_data_matches_the_vector(sd_case: Any) -> None:
    value = parse_derived(_derive(sd_case)["proof"]["proofValue"])
    expected = sd_case.data["derivedDisclosureData"]
    assert value.base_signature.hex() == expected["baseSignature"]
    assert multibase_encode(value.public_key, "z") == expected["publicKey"]
    assert [s.hex() for s in value.signatures] == expected["signatures"]
    assert value.label_map == dict(expected["labelMap"]["value"])
    assert value.mandatory_indexes == expected["mandatoryIndexes"]
    adjusted = sd_case.data["derivedAdjSignatures"]["filteredSignatures"]
    assert [s.hex() for s in value.signatures] == adjusted
    assert (
        value.mandatory_indexes == sd_case.data["derivedAdjMandatoryIndexes"]["adjMandatoryIndexes"]
    )


def test_3_5_7_serialization_reproduces_the_vector_proof_value(sd_case: Any) -> None:
    """CBOR of [baseSignature, publicKey, signatures, compressed label map (int to bytes),
    mandatoryIndexes] after 0xd9 0x5d 0x01."""
    proof_value = sd_case.data["derivedRevealDocument"]["proof"]["proofValue"]
    assert proof_value.startswith("u2V0B")  # base64url of d9 5d 01
    assert serialize_derived(parse_derived(proof_value)) == proof_value


def test_3_6_6_derive_from_staffvc_base_proof(sd_case: Any) -> None:
    """A base proof staffvc made (randomized statement signatures) derives the same reveal
    document; only the statement signatures in the proof value differ."""
    derived = _derive(sd_case, document=sd_case.add_base_proof())
    expected = sd_case.data["derivedRevealDocument"]
    assert {k: v for k, v in derived.items() if k != "proof"} == {
        k: v for k, v in expected.items() if k != "proof"
    }
    ours, theirs = (parse_derived(d["proof"]["proofValue"]) for d in (derived, expected))
    assert (ours.base_signature, ours.public_key) == (theirs.base_signature, theirs.public_key)
    assert (ours.label_map, ours.mandatory_indexes) == (theirs.label_map, theirs.mandatory_indexes)
    assert len(ours.signatures) == len(theirs.signatures)


def test_3_6_6_holder_needs_no_key_and_discloses_only_the_selection(sd_employ: Any) -> None:
    derived = _derive(sd_employ, pointers=["/credentialSubject/givenName"])
    text = json.dumps(derived)
    assert "JOHN" in text
    for hidden in ("SMITH", "JACOB", "Bahamas", "83627465", "2019-12-03"):
        assert hidden not in text
    assert derived["issuer"] == sd_employ.document["issuer"]  # mandatory
    assert derived["credentialSubject"]["type"] == ["Person", "EmployablePerson"]


def test_3_6_6_mandatory_pointers_alone(sd_employ: Any) -> None:
    derived = _derive(sd_employ, pointers=[])
    assert set(derived) == {"@context", "type", "issuer", "proof"}
    assert parse_derived(derived["proof"]["proofValue"]).signatures == []


def test_3_6_6_other_proofs_are_not_carried_over(sd_employ: Any) -> None:
    signed = copy.deepcopy(sd_employ.data["addSignedSDBase"])
    other = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"}
    signed["proof"] = [other, signed["proof"]]
    derived = _derive(sd_employ, document=signed)
    assert derived["proof"]["cryptosuite"] == "ecdsa-sd-2023"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("proof"), "exactly one ecdsa-sd-2023 proof"),
        (lambda d: d.update(proof=[d["proof"], d["proof"]]), "exactly one ecdsa-sd-2023 proof"),
        (lambda d: d["proof"].update(proofValue="z123"), "base proof cannot be read"),
        (lambda d: d["proof"].update(proofValue=d["proof"]["proofValue"][:-8]), "cannot be read"),
        (lambda d: d["credentialSubject"].pop("gender"), "does not belong to this document"),
    ],
    ids=["no-proof", "two-proofs", "base58", "truncated", "other-document"],
)
def test_3_6_6_derive_errors(sd_employ: Any, change: Any, message: str) -> None:
    signed = copy.deepcopy(sd_employ.data["addSignedSDBase"])
    change(signed)
    with pytest.raises(ProofGenerationError, match=message):
        _derive(sd_employ, document=signed)


def test_3_6_6_derived_proof_cannot_be_derived_again(sd_employ: Any) -> None:
    with pytest.raises(ProofGenerationError, match="derived proof"):
        _derive(sd_employ, document=sd_employ.data["derivedRevealDocument"])


def test_3_4_12_unknown_selective_pointer(sd_employ: Any) -> None:
    with pytest.raises(ProofGenerationError, match="does not match"):
        _derive(sd_employ, pointers=["/credentialSubject/nickname"])


def test_3_5_5_compressed_label_map_is_integers_to_32_bytes(sd_employ: Any) -> None:
    import cbor2

    raw = multibase_decode(_derive(sd_employ)["proof"]["proofValue"])
    components = cbor2.loads(raw[3:])
    assert raw[:3] == b"\xd9\x5d\x01"
    assert sorted(components[3]) == [0, 1]
    assert all(len(v) == 32 for v in components[3].values())
