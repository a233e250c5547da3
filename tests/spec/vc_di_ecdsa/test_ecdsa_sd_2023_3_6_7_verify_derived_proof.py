"""VC-DI-ECDSA §3.6.7 (Verify Derived Proof) with §3.5.8-3.5.9.

A verifier accepts derived proofs only. Whatever is wrong with a presented proof (its
encoding, its components, the revealed values) ends in a coded CheckFailed, and never in any
other exception or a pass.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffvc.jsonld import canonicalize_rdfc
from staffvc.jsonld.dataset import to_dataset
from staffvc.keys import KeyPair, KeyType, multibase_decode, multibase_encode
from staffvc.proofs.data_integrity._sd_groups import (
    label_map_factory,
    label_replacement_canonicalize,
)
from staffvc.proofs.data_integrity.ecdsa_sd import EcdsaSd2023
from staffvc.results import CheckFailed, Code

SUITE = EcdsaSd2023()


def _verify(case: Any, document: dict[str, Any], key: Any = None) -> None:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    public_key = key if key is not None else case.issuer().public_key
    SUITE.verify_proof(unsecured, document["proof"], public_key, loader=case.loader())


def _failure(case: Any, document: dict[str, Any], key: Any = None) -> CheckFailed:
    with pytest.raises(CheckFailed) as caught:
        _verify(case, document, key)
    return caught.value


def _with_components(case: Any, change: Callable[[list[Any]], object]) -> dict[str, Any]:
    """The vector's derived document with its CBOR components changed by ``change``."""
    document = copy.deepcopy(case.data["derivedRevealDocument"])
    raw = multibase_decode(document["proof"]["proofValue"])
    components = cbor2.loads(raw[3:])
    change(components)
    document["proof"]["proofValue"] = multibase_encode(raw[:3] + cbor2.dumps(components), "u")
    return document


def _with_value(case: Any, proof_value: object) -> dict[str, Any]:
    document = copy.deepcopy(case.data["derivedRevealDocument"])
    document["proof"]["proofValue"] = proof_value
    return document


def test_3_6_7_vector_derived_document_verifies(sd_case: Any) -> None:
    _verify(sd_case, sd_case.data["derivedRevealDocument"])


def test_3_5_9_verify_data_matches_the_vector(sd_case: Any) -> None:
    """labelReplacementCanonicalizeJsonLd with the proof's label map gives verifyNQuads;
    they split by mandatoryIndexes into the vector's nonMandatory and mandatoryHash."""
    document = sd_case.data["derivedUnsignedReveal"]
    expected = sd_case.data["verifyCreateVerifyData"]
    proof_value = sd_case.data["verifyDerivedProofValue"]
    nquads, _ = label_replacement_canonicalize(
        to_dataset(document, loader=sd_case.loader()),
        label_map_factory(dict(proof_value["labelMap"])),
        limits=SUITE.limits,
    )
    assert nquads == sd_case.data["verifyNQuads"]
    indexes = set(proof_value["mandatoryIndexes"])
    mandatory = [nq for i, nq in enumerate(nquads) if i in indexes]
    assert [nq for i, nq in enumerate(nquads) if i not in indexes] == expected["nonMandatory"]
    assert hashlib.sha256("".join(mandatory).encode()).hexdigest() == expected["mandatoryHash"]
    config = {
        k: v for k, v in sd_case.data["derivedRevealDocument"]["proof"].items() if k != "proofValue"
    }
    config["@context"] = document["@context"]
    canonical = canonicalize_rdfc(config, loader=sd_case.loader())
    assert hashlib.sha256(canonical.encode()).hexdigest() == expected["proofHash"]


def test_3_6_7_base_proof_is_refused(sd_case: Any) -> None:
    failure = _failure(sd_case, sd_case.data["addSignedSDBase"])
    assert failure.code is Code.PROOF_VERIFICATION_ERROR
    assert "base proof" in failure.detail
    assert "derive" in failure.detail


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "birthCountry"), "Utopia"),  # selectively disclosed
        (("validFrom",), "2000-01-01T00:00:00Z"),  # selectively disclosed
        (("issuer", "image"), "data:image/png;base64,AAAA"),  # mandatory
    ],
)
def test_3_6_7_tampered_revealed_value_fails(
    sd_case: Any, path: tuple[str, ...], value: str
) -> None:
    document = copy.deepcopy(sd_case.data["derivedRevealDocument"])
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    failure = _failure(sd_case, document)
    assert failure.code is Code.PROOF_VERIFICATION_ERROR


def test_3_6_7_added_or_removed_statement_fails(sd_case: Any) -> None:
    added = copy.deepcopy(sd_case.data["derivedRevealDocument"])
    added["credentialSubject"]["familyName"] = "SMITH"
    assert "signatures" in _failure(sd_case, added).detail
    removed = copy.deepcopy(sd_case.data["derivedRevealDocument"])
    del removed["validUntil"]
    assert _failure(sd_case, removed).code is Code.PROOF_VERIFICATION_ERROR


def test_3_6_7_changed_proof_options_fail(sd_case: Any) -> None:
    document = copy.deepcopy(sd_case.data["derivedRevealDocument"])
    document["proof"]["created"] = "2024-01-01T00:00:00Z"
    assert "base signature" in _failure(sd_case, document).detail


def test_3_6_7_other_issuer_key_fails(sd_case: Any) -> None:
    other = KeyPair.generate(KeyType.P256).public_key
    failure = _failure(sd_case, sd_case.data["derivedRevealDocument"], key=other)
    assert failure.code is Code.PROOF_VERIFICATION_ERROR


def test_3_6_7_p384_or_ed25519_key_is_an_invalid_method(sd_case: Any) -> None:
    for key_type in (KeyType.P384, KeyType.ED25519):
        key = KeyPair.generate(key_type).public_key
        failure = _failure(sd_case, sd_case.data["derivedRevealDocument"], key=key)
        assert failure.code is Code.INVALID_VERIFICATION_METHOD


def _swap_signatures(c: list[Any]) -> None:
    c[2][0], c[2][1] = c[2][1], c[2][0]


def _missing_label(c: list[Any]) -> None:
    del c[3][1]


MALFORMED: dict[str, Callable[[Any], dict[str, Any]]] = {
    "z-prefix": lambda case: _with_value(case, "z" + _value(case)[1:]),
    "no-prefix": lambda case: _with_value(case, _value(case)[1:]),
    "not-base64url": lambda case: _with_value(case, _value(case) + "!"),
    "padded": lambda case: _with_value(case, _value(case) + "=="),
    "truncated": lambda case: _with_value(case, _value(case)[:-12]),
    "header-only": lambda case: _with_value(case, "u2V0B"),
    "empty-u": lambda case: _with_value(case, "u"),
    "wrong-header": lambda case: _with_value(
        case, "u" + _value(case)[1:].replace("2V0B", "2V0C", 1)
    ),
    "bad-cbor": lambda case: _with_value(case, multibase_encode(b"\xd9\x5d\x01\xff\xff", "u")),
    "trailing-bytes": lambda case: _with_value(
        case, multibase_encode(multibase_decode(_value(case)) + b"\x00", "u")
    ),
    "not-an-array": lambda case: _with_value(
        case, multibase_encode(b"\xd9\x5d\x01" + cbor2.dumps({"a": 1}), "u")
    ),
    "four-components": lambda case: _with_components(case, lambda c: c.pop()),
    "short-base-signature": lambda case: _with_components(
        case, lambda c: c.__setitem__(0, c[0][:63])
    ),
    "36-byte-public-key": lambda case: _with_components(
        case, lambda c: c.__setitem__(1, c[1] + b"\x00")
    ),
    "public-key-not-multikey": lambda case: _with_components(
        case, lambda c: c.__setitem__(1, b"\x00" * 35)
    ),
    "short-statement-signature": lambda case: _with_components(
        case, lambda c: c[2].__setitem__(0, c[2][0][:63])
    ),
    "signature-not-bytes": lambda case: _with_components(case, lambda c: c[2].__setitem__(0, "x")),
    "one-signature-missing": lambda case: _with_components(case, lambda c: c[2].pop()),
    "one-signature-extra": lambda case: _with_components(case, lambda c: c[2].append(c[2][0])),
    "signatures-swapped": lambda case: _with_components(case, _swap_signatures),
    "label-map-missing-entry": lambda case: _with_components(case, _missing_label),
    "label-map-string-key": lambda case: _with_components(
        case, lambda c: c.__setitem__(3, {str(k): v for k, v in c[3].items()})
    ),
    "label-31-bytes": lambda case: _with_components(
        case, lambda c: c[3].__setitem__(0, c[3][0][:31])
    ),
    "labels-swapped": lambda case: _with_components(
        case, lambda c: c.__setitem__(3, {0: c[3][1], 1: c[3][0]})
    ),
    "mandatory-index-out-of-range": lambda case: _with_components(case, lambda c: c[4].append(99)),
    "mandatory-index-negative": lambda case: _with_components(
        case, lambda c: c.__setitem__(4, [-1, *c[4]])
    ),
    "mandatory-indexes-unsorted": lambda case: _with_components(
        case, lambda c: c.__setitem__(4, list(reversed(c[4])))
    ),
    "mandatory-index-bool": lambda case: _with_components(
        case, lambda c: c.__setitem__(4, [False, *c[4][1:]])
    ),
    "mandatory-index-dropped": lambda case: _with_components(case, lambda c: c[4].pop()),
    "cbor-tag": lambda case: _with_components(
        case, lambda c: c.__setitem__(0, cbor2.CBORTag(2, c[0]))
    ),
}


def _value(case: Any) -> str:
    value: str = case.data["derivedRevealDocument"]["proof"]["proofValue"]
    return value


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_3_5_8_malformed_proof_value_is_a_coded_failure(sd_case: Any, name: str) -> None:
    failure = _failure(sd_case, MALFORMED[name](sd_case))
    assert failure.code is Code.PROOF_VERIFICATION_ERROR
    assert failure.pointer == "/proofValue"


@pytest.mark.parametrize("value", [None, 7, "", ["u"]])
def test_3_5_8_missing_proof_value_is_malformed(sd_case: Any, value: object) -> None:
    document = _with_value(sd_case, value)
    if value is None:
        del document["proof"]["proofValue"]
    assert _failure(sd_case, document).code is Code.MALFORMED_PROOF_ERROR


def test_3_6_7_document_without_data_integrity_context(sd_employ: Any) -> None:
    document = copy.deepcopy(sd_employ.data["derivedRevealDocument"])
    document["@context"] = ["https://w3id.org/citizenship/v4rc1"]
    assert _failure(sd_employ, document).code is Code.MALFORMED_PROOF_ERROR


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_3_5_8_any_corrupted_proof_value_is_a_coded_failure(sd_employ: Any, data: Any) -> None:
    """Property: flipping, cutting or inserting bytes anywhere in the proof value never
    passes and never raises anything but CheckFailed."""
    raw = bytearray(multibase_decode(_value(sd_employ)))
    position = data.draw(st.integers(0, len(raw) - 1))
    action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
    if action == "flip":
        raw[position] ^= data.draw(st.integers(1, 255))
    elif action == "cut":
        del raw[position:]
    else:
        raw[position:position] = data.draw(st.binary(min_size=1, max_size=8))
    document = _with_value(sd_employ, multibase_encode(bytes(raw), "u"))
    with pytest.raises(CheckFailed) as caught:
        _verify(sd_employ, document)
    assert caught.value.code in (Code.PROOF_VERIFICATION_ERROR, Code.MALFORMED_PROOF_ERROR)
