"""VC-DI-ECDSA §3 (ecdsa-rdfc-2019, ecdsa-jcs-2019; P-256 with SHA-256, P-384 with SHA-384).

ECDSA signatures are randomized, so the vectors are checked through every intermediate
(canonical document, canonical proof configuration, both hashes, the signature over their
concatenation) and by verifying the vectors' signed documents; staffvc's own signatures are
checked by verification."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from staffvc.clock import parse_datetime
from staffvc.jsonld import RdfcHash, canonicalize_jcs, canonicalize_rdfc
from staffvc.keys import KeyPair, KeyType, PublicKey
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.results import Code
from support import load_vector, vector_loader, verify_assertion_proofs

VECTORS: dict[str, dict[str, Any]] = load_vector("vc-di-ecdsa/ecdsa-vectors.json")
NOW = parse_datetime("2026-11-21T00:00:00Z")


def _key(case: dict[str, Any]) -> KeyPair:
    return KeyPair.from_multikey(case["keyPair"]["secretKeyMultibase"])


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_key_pair_matches(name: str) -> None:
    case = VECTORS[name]
    assert _key(case).public_key.to_multikey() == case["keyPair"]["publicKeyMultibase"]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_transformation_and_hashing_intermediates(name: str) -> None:
    case = VECTORS[name]
    loader = vector_loader(case["unsignedDocument"])
    p384 = _key(case).key_type is KeyType.P384
    config = dict(case["proofOptions"])
    if "jcs" in case["cryptosuite"]:
        document = canonicalize_jcs(case["unsignedDocument"]).decode()
        proof_config = canonicalize_jcs(config).decode()
    else:
        rdfc = RdfcHash.SHA384 if p384 else RdfcHash.SHA256
        document = canonicalize_rdfc(case["unsignedDocument"], loader=loader, hash_algorithm=rdfc)
        proof_config = canonicalize_rdfc(config, loader=loader, hash_algorithm=rdfc)
    assert document == case["canonicalDocument"]
    assert proof_config == case["canonicalProofConfig"]
    digest = hashlib.sha384 if p384 else hashlib.sha256
    assert digest(document.encode()).hexdigest() == case["documentHashHex"]
    assert digest(proof_config.encode()).hexdigest() == case["proofConfigHashHex"]
    assert case["combinedHashHex"] == case["proofConfigHashHex"] + case["documentHashHex"]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_vector_signature_is_over_the_combined_hash(name: str) -> None:
    case = VECTORS[name]
    key = PublicKey.from_multikey(case["keyPair"]["publicKeyMultibase"])
    assert key.verify(bytes.fromhex(case["signatureHex"]), bytes.fromhex(case["combinedHashHex"]))


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_vector_signed_documentsverify_assertion_proofs(name: str) -> None:
    result = verify_assertion_proofs(VECTORS[name]["signedDocument"]).result()
    assert result.ok, result.explain()


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_staffvc_signs_the_same_bytes(name: str) -> None:
    """Re-signed with the vector's key and options: same document apart from the random
    signature, and the new signature verifies."""
    case = VECTORS[name]
    options = case["proofOptions"]
    signed = add_proof(
        case["unsignedDocument"],
        _key(case),
        suite=case["cryptosuite"],
        purpose=AssertionPurpose(),
        created=parse_datetime(options["created"]),
        verification_method=options["verificationMethod"],
        loader=vector_loader(case["unsignedDocument"]),
    )
    expected = copy.deepcopy(case["signedDocument"])
    ours = copy.deepcopy(signed)
    del expected["proof"]["proofValue"], ours["proof"]["proofValue"]
    assert ours == expected
    assert verify_assertion_proofs(signed).result().ok


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_3_tampered_and_wrong_length_signatures_fail(name: str) -> None:
    document = copy.deepcopy(VECTORS[name]["signedDocument"])
    document["issuer"] = "https://vc.example/issuers/evil"
    assert verify_assertion_proofs(document).result().codes() == [Code.PROOF_VERIFICATION_ERROR]
    document = copy.deepcopy(VECTORS[name]["signedDocument"])
    document["proof"]["proofValue"] = document["proof"]["proofValue"][:-4]
    assert verify_assertion_proofs(document).result().codes() == [Code.MALFORMED_PROOF_ERROR]
