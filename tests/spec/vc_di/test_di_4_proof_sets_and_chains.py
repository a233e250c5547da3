"""VC Data Integrity 1.0 §4.2 / §4.5: proof sets and proof chains (previousProof), with the
vc-di-eddsa proof-set-chain vectors reproduced byte for byte and verified."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from staffvc.clock import parse_datetime
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import ProofGenerationError, add_proof
from staffvc.results import Code
from support import load_vector, verify_assertion_proofs

RAW = "vc-di-eddsa/raw/TestVectors/proof-set-chain"
KEYS = load_vector(f"{RAW}/multiKeyPairs.json")
NOW = parse_datetime("2026-11-21T00:00:00Z")


def raw(name: str) -> Any:
    return load_vector(f"{RAW}/{name}")


def _key(vm: str) -> KeyPair:
    public = vm.split("#")[1]
    (pair,) = [p for p in KEYS.values() if p["publicKeyMultibase"] == public]
    return KeyPair.from_multikey(pair["privateKeyMultibase"])


def _add(document: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    return add_proof(
        document,
        _key(config["verificationMethod"]),
        suite=config["cryptosuite"],
        purpose=AssertionPurpose(),
        created=parse_datetime(config["created"]),
        verification_method=config["verificationMethod"],
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
        loader=BundledLoader(),
    )


def test_4_2_proof_set_reproduces_vectors() -> None:
    one = _add(raw("unsigned.json"), raw("proofSetConfig1.json"))
    assert json.dumps(one) == json.dumps(raw("signedProofSet1.json"))
    two = _add(one, raw("proofSetConfig2.json"))
    assert json.dumps(two) == json.dumps(raw("signedProofSet2.json"))


def test_4_2_proof_chain_reproduces_vectors() -> None:
    chain1 = _add(raw("signedProofSet2.json"), raw("proofChainConfig1.json"))
    assert json.dumps(chain1) == json.dumps(raw("signedProofChain1.json"))
    chain2 = _add(chain1, raw("proofChainConfig2.json"))
    assert json.dumps(chain2) == json.dumps(raw("signedProofChain2.json"))


@pytest.mark.parametrize(
    "name",
    [
        "signedProofSet1.json",
        "signedProofSet2.json",
        "signedProofChain1.json",
        "signedProofChain2.json",
    ],
)
def test_4_5_sets_and_chainsverify_assertion_proofs(name: str) -> None:
    result = verify_assertion_proofs(raw(name)).result()
    assert result.ok, result.explain()


def test_4_5_a_set_verifies_only_if_every_proof_does() -> None:
    document = copy.deepcopy(raw("signedProofSet2.json"))
    first = document["proof"][0]["proofValue"]
    document["proof"][1]["proofValue"] = first  # a valid signature, but not for this proof
    result = verify_assertion_proofs(document).result()
    assert not result.ok
    assert result.codes() == [Code.PROOF_VERIFICATION_ERROR]


def test_4_5_chain_breaks_when_a_previous_proof_changes() -> None:
    document = copy.deepcopy(raw("signedProofChain1.json"))
    document["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    codes = verify_assertion_proofs(document).result().codes()
    # the first proof no longer verifies, and neither does the chained one that signed it
    assert codes == [Code.PROOF_VERIFICATION_ERROR, Code.PROOF_VERIFICATION_ERROR]


def test_4_5_chain_naming_a_missing_proof_fails() -> None:
    document = copy.deepcopy(raw("signedProofChain1.json"))
    del document["proof"][0]
    codes = verify_assertion_proofs(document).result().codes()
    assert Code.PROOF_VERIFICATION_ERROR in codes


def test_4_2_previous_proof_must_exist_when_signing() -> None:
    config = dict(raw("proofChainConfig1.json"), previousProof="urn:uuid:nope")
    with pytest.raises(ProofGenerationError, match="not there"):
        _add(raw("signedProofSet2.json"), config)
