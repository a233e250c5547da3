"""VC-DI-ECDSA §3.6.1-3.6.5 and §3.5.1-3.5.3: the ecdsa-sd-2023 base proof.

With the vectors' HMAC key and proof key injected as the suite's randomness, everything but
the per-statement signatures is reproduced byte for byte: the proof configuration, both
hashes, the proof public key, and (with an RFC 6979 issuer signer, as the vectors used) the
base signature. The per-statement signatures are made by staffvc's randomized ECDSA, so they
are checked by verification, and the vectors' own signatures are verified with their keys.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from staffvc.clock import parse_datetime
from staffvc.jsonld import canonicalize_rdfc
from staffvc.keys import KeyPair, KeyType, PublicKey, multibase_decode
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import ProofGenerationError, add_proof
from staffvc.proofs.data_integrity._sd_proof_value import (
    BaseProofValue,
    parse_base,
    serialize_base,
)
from staffvc.proofs.data_integrity.ecdsa_sd import EcdsaSd2023


def _proof_value(document: dict[str, Any]) -> BaseProofValue:
    return parse_base(document["proof"]["proofValue"])


def test_3_6_1_proof_options_match_the_signed_base(sd_case: Any) -> None:
    signed = sd_case.add_base_proof()
    expected = sd_case.data["addSignedSDBase"]
    assert {k: v for k, v in signed.items() if k != "proof"} == sd_case.document
    assert {k: v for k, v in signed["proof"].items() if k != "proofValue"} == {
        k: v for k, v in expected["proof"].items() if k != "proofValue"
    }


def test_3_6_4_canonical_proof_configuration(sd_case: Any) -> None:
    config = sd_case.data["addProofConfig"]
    canonical = canonicalize_rdfc(config, loader=sd_case.loader())
    assert canonical == sd_case.data["addProofConfigCanon"]
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    assert digest == sd_case.data["addHashData"]["proofHash"]


def test_3_6_5_base_proof_reproduces_the_vector_except_statement_signatures(
    sd_case: Any,
) -> None:
    ours = _proof_value(sd_case.add_base_proof())
    theirs = _proof_value(sd_case.data["addSignedSDBase"])
    assert ours.public_key == theirs.public_key
    assert ours.public_key == multibase_decode(sd_case.proof_key().public_key.to_multikey())
    assert ours.hmac_key == theirs.hmac_key == sd_case.hmac_key
    assert ours.mandatory_pointers == theirs.mandatory_pointers == sd_case.data["mandatoryPointers"]
    # the base signature covers proofHash || publicKey || mandatoryHash, not the statement
    # signatures, so an RFC 6979 issuer reproduces it exactly
    assert ours.base_signature == theirs.base_signature
    assert ours.base_signature.hex() == sd_case.data["addRawBaseSignatureInfo"]["baseSignature"]
    assert len(ours.signatures) == len(theirs.signatures)


def test_3_6_5_statement_signatures_verify_with_the_proof_key(sd_case: Any) -> None:
    signatures = _proof_value(sd_case.add_base_proof()).signatures
    non_mandatory = [nq for _, nq in sd_case.data["addBaseTransform"]["nonMandatory"]["value"]]
    proof_key = sd_case.proof_key().public_key
    assert len(signatures) == len(non_mandatory)
    for signature, nq in zip(signatures, non_mandatory, strict=True):
        assert proof_key.verify(signature, nq.encode())


def test_3_6_5_vector_signatures_verify_with_the_vector_keys(sd_case: Any) -> None:
    info = sd_case.data["addRawBaseSignatureInfo"]
    hashes = sd_case.data["addHashData"]
    proof_key = PublicKey.from_multikey(info["publicKey"])
    public_key = multibase_decode(info["publicKey"])
    to_sign = (
        bytes.fromhex(hashes["proofHash"]) + public_key + bytes.fromhex(hashes["mandatoryHash"])
    )
    issuer = sd_case.issuer().public_key
    assert issuer.to_multikey() == sd_case.data["keyMaterial"]["baseKeyPair"]["publicKeyMultibase"]
    assert issuer.verify(bytes.fromhex(info["baseSignature"]), to_sign)
    non_mandatory = [nq for _, nq in sd_case.data["addBaseTransform"]["nonMandatory"]["value"]]
    for signature, nq in zip(info["signatures"], non_mandatory, strict=True):
        assert proof_key.verify(bytes.fromhex(signature), nq.encode())
    assert not proof_key.verify(bytes.fromhex(info["signatures"][0]), non_mandatory[1].encode())


def test_3_5_2_serialization_reproduces_the_vector_proof_value(sd_case: Any) -> None:
    """CBOR of [baseSignature, publicKey, hmacKey, signatures, mandatoryPointers] after
    0xd9 0x5d 0x00, as ``u`` + base64url: the vector's bytes exactly."""
    proof_value = sd_case.data["addSignedSDBase"]["proof"]["proofValue"]
    assert proof_value.startswith("u2V0A")  # base64url of d9 5d 00
    assert serialize_base(parse_base(proof_value)) == proof_value


def test_3_6_5_randomized_issuer_signature_still_verifies(sd_case: Any) -> None:
    value = _proof_value(sd_case.add_base_proof(deterministic=False))
    hashes = sd_case.data["addHashData"]
    to_sign = bytes.fromhex(hashes["proofHash"]) + value.public_key
    to_sign += bytes.fromhex(hashes["mandatoryHash"])
    assert sd_case.issuer().public_key.verify(value.base_signature, to_sign)


def test_3_6_base_proof_vector_quirk_prc_unsigned_document(sd_case: Any) -> None:
    """The prc case's ``unsignedDocument`` is not the document its base proof signs (the
    description differs; every intermediate uses the signed one), so the tests sign
    ``addSignedSDBase`` without its proof. The employ case has no such difference."""
    unsigned = sd_case.data["unsignedDocument"]
    differing = {k for k in unsigned if unsigned[k] != sd_case.document.get(k)}
    assert differing == ({"description"} if sd_case.name == "prc" else set())


def test_3_6_1_fresh_randomness_each_time(sd_employ: Any) -> None:
    suite = EcdsaSd2023(mandatory_pointers=["/issuer"])
    first, second = (
        add_proof(
            sd_employ.document,
            sd_employ.issuer(),
            suite=suite,
            purpose=AssertionPurpose(),
            created=None,
            verification_method="did:example:issuer#key",
            loader=sd_employ.loader(),
        )
        for _ in range(2)
    )
    a, b = _proof_value(first), _proof_value(second)
    assert a.hmac_key != b.hmac_key
    assert a.public_key != b.public_key


class FixedBytesLoose:
    """Returns the given values in order, whatever length is asked for."""

    def __init__(self, *values: bytes) -> None:
        self._values = list(values)

    def __call__(self, length: int) -> bytes:
        return self._values.pop(0)


def _add(case: Any, suite: EcdsaSd2023, signer: Any, document: Any = None) -> Any:
    return add_proof(
        document if document is not None else case.document,
        signer,
        suite=suite,
        purpose=AssertionPurpose(),
        created=parse_datetime("2023-08-15T23:36:38Z"),
        verification_method="did:example:issuer#key",
        loader=case.loader(),
    )


def test_3_6_generation_errors(sd_employ: Any) -> None:
    issuer = sd_employ.issuer()
    with pytest.raises(ProofGenerationError, match="does not match"):
        _add(sd_employ, EcdsaSd2023(mandatory_pointers=["/nope"]), issuer)
    with pytest.raises(ValueError, match="JSON Pointer"):
        EcdsaSd2023(mandatory_pointers=["issuer"])
    with pytest.raises(ProofGenerationError, match="cannot sign"):
        _add(sd_employ, EcdsaSd2023(), KeyPair.generate(KeyType.P384))
    with pytest.raises(ProofGenerationError, match="cannot sign"):
        _add(sd_employ, EcdsaSd2023(), KeyPair.generate(KeyType.ED25519))
    with pytest.raises(ProofGenerationError, match="32-byte HMAC key"):
        _add(sd_employ, EcdsaSd2023(random_bytes=lambda n: b"short"), issuer)
    short_key = EcdsaSd2023(random_bytes=FixedBytesLoose(bytes(32), b"short"))
    with pytest.raises(ProofGenerationError, match="32-byte proof key scalar"):
        _add(sd_employ, short_key, issuer)
    zero = EcdsaSd2023(random_bytes=lambda n: bytes(n))  # scalar 0 is never a valid key
    with pytest.raises(ProofGenerationError, match="no valid P-256 scalar"):
        _add(sd_employ, zero, issuer)


def test_3_6_suite_contract() -> None:
    suite = EcdsaSd2023(mandatory_pointers=["/issuer"])
    assert suite.name == "ecdsa-sd-2023"
    assert suite.proof_type == "DataIntegrityProof"
    assert suite.mandatory_pointers == ("/issuer",)
    assert suite.supports(KeyType.P256)
    assert not suite.supports(KeyType.P384)
    assert not suite.supports(KeyType.ED25519)
    bare = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": "X"}
    assert suite.prepare(bare)["@context"][-1] == "https://w3id.org/security/data-integrity/v2"
    v2 = {"@context": ["https://www.w3.org/ns/credentials/v2"]}
    assert suite.prepare(v2) is v2
    assert "os.urandom" not in repr(suite)
