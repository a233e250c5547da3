"""did:key v0.9 (CCG) "Read": the spec's example documents, its error codes (DK-01..DK-07),
and the key material of the CCG 2022 test vectors."""

from __future__ import annotations

from typing import Any

import base58
import pytest

from staffvc.did import DID_V1, DID_V1_1, DidKeyMethod, DidKeyOptions, Relationship, Resolver
from staffvc.errors import DidError, InvalidPublicKeyTypeError, MethodNotSupportedError
from staffvc.keys import KeyType, PublicKey, multibase_encode
from support import load_vector

EXAMPLES = load_vector("did-method-key/did-key-spec-examples.json")
NEGATIVE = load_vector("did-method-key/did-key-negative-cases.json")


@pytest.mark.parametrize("expected", EXAMPLES["didDocumentExamples"], ids=lambda d: d["id"][-8:])
def test_dk_06_document_reproduces_spec_example(expected: dict[str, Any]) -> None:
    method = DidKeyMethod(DidKeyOptions(did_context=DID_V1_1))
    assert method.document(expected["id"]) == expected


def test_dk_06_ed25519_derives_x25519_key_agreement_key() -> None:
    for did, x25519 in EXAMPLES["identifiers"]["ed25519_derived_x25519"].items():
        doc = DidKeyMethod().document(did)
        (agreement,) = doc["keyAgreement"]
        assert agreement["publicKeyMultibase"] == x25519
        assert agreement["id"] == f"{did}#{x25519}"


def test_dk_06_derivation_can_be_disabled() -> None:
    did = EXAMPLES["identifiers"]["ed25519"][0]
    doc = DidKeyMethod(DidKeyOptions(enable_encryption_key_derivation=False)).document(did)
    assert "keyAgreement" not in doc


def test_dk_07_default_context_is_did_v1_plus_multikey() -> None:
    did = EXAMPLES["identifiers"]["ed25519"][0]
    doc = DidKeyMethod().document(did)
    assert doc["@context"] == [DID_V1, "https://w3id.org/security/multikey/v1"]


@pytest.mark.parametrize(
    ("group", "key_type"),
    [
        ("ed25519", KeyType.ED25519),
        ("secp256k1", KeyType.SECP256K1),
        ("p256", KeyType.P256),
        ("p384", KeyType.P384),
    ],
)
def test_dk_03_example_identifiers_decode_to_their_key_types(group: str, key_type: KeyType) -> None:
    resolver = Resolver()
    for did in EXAMPLES["identifiers"][group]:
        mb = did.removeprefix("did:key:")
        vm = resolver.dereference(f"{did}#{mb}", relationship=Relationship.ASSERTION_METHOD)
        assert vm.public_key.key_type is key_type
        assert vm.public_key.to_multikey() == mb
        assert vm.type == "Multikey"
        assert vm.controller == did


def test_dk_03_bls12_381_is_an_unsupported_key_type() -> None:
    (did,) = EXAMPLES["identifiers"]["bls12381_g2"]
    with pytest.raises(DidError) as info:
        DidKeyMethod().document(did)
    assert info.value.code == "unsupportedPublicKeyType"


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['expectedError']}-{case['why'][:30]}"


@pytest.mark.parametrize("case", NEGATIVE["cases"], ids=_case_id)
def test_dk_02_to_dk_05_negative_cases_raise_the_spec_error_code(case: dict[str, Any]) -> None:
    options = case.get("options", {})

    def attempt() -> None:
        method = DidKeyMethod(
            DidKeyOptions(
                public_key_format=options.get("publicKeyFormat", "Multikey"),
                enable_experimental_public_key_types=options.get(
                    "enableExperimentalPublicKeyTypes", False
                ),
            )
        )
        resolver = Resolver([method])
        if case.get("kind") == "dereferencing":
            resolver.dereference(case["didUrl"], relationship=None)
        else:
            resolver.resolve(case["did"])

    with pytest.raises(DidError) as info:
        attempt()
    assert info.value.code == case["expectedError"]


def test_dk_02_valid_reference_case_resolves() -> None:
    valid = NEGATIVE["valid"]
    resolver = Resolver()
    vm = resolver.dereference(valid["assertionVmId"], relationship=Relationship.ASSERTION_METHOD)
    assert vm.id == valid["assertionVmId"]
    agreement = resolver.dereference(
        valid["keyAgreementVmId"], relationship=Relationship.KEY_AGREEMENT
    )
    assert agreement.public_key.key_type is KeyType.X25519


def test_dk_05_experimental_type_with_flag_is_allowed() -> None:
    did = NEGATIVE["valid"]["did"]
    method = DidKeyMethod(
        DidKeyOptions(
            public_key_format="Ed25519VerificationKey2018",
            enable_experimental_public_key_types=True,
        )
    )
    doc = method.document(did)
    assert doc["verificationMethod"][0]["type"] == "Ed25519VerificationKey2018"
    assert doc["keyAgreement"][0]["type"] == "X25519KeyAgreementKey2019"


def test_dk_05_format_that_cannot_express_the_key_is_invalid_public_key_type() -> None:
    did = EXAMPLES["identifiers"]["p256"][0]
    with pytest.raises(InvalidPublicKeyTypeError):
        DidKeyMethod(DidKeyOptions(public_key_format="Ed25519VerificationKey2020")).document(did)


def test_dk_01_explicit_version_1_is_the_same_did_document() -> None:
    did = EXAMPLES["identifiers"]["ed25519"][0]
    mb = did.removeprefix("did:key:")
    assert DidKeyMethod().document(f"did:key:1:{mb}") == DidKeyMethod().document(did)


@pytest.mark.parametrize(
    "did",
    [
        "did:key:2:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:key:0:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:key:1:2:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:key:z0OIl",  # not base58btc
        "did:key:z",
    ],
)
def test_dk_02_malformed_identifiers_are_invalid_did(did: str) -> None:
    with pytest.raises(DidError) as info:
        DidKeyMethod().document(did)
    assert info.value.code == "invalidDid"


def test_dk_03_point_not_on_curve_is_invalid_public_key() -> None:
    bad = multibase_encode(bytes.fromhex("8024") + off_curve_p256_point())
    with pytest.raises(DidError) as info:
        DidKeyMethod().document(f"did:key:{bad}")
    assert info.value.code == "invalidPublicKey"


def off_curve_p256_point() -> bytes:
    """A compressed P-256 encoding whose x has no point on the curve."""
    from cryptography.hazmat.primitives.asymmetric import ec

    for x in range(1, 100):
        candidate = b"\x02" + x.to_bytes(32, "big")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), candidate)
        except ValueError:
            return candidate
    raise AssertionError("no off-curve x below 100")


def test_dk_03_private_key_codec_is_refused() -> None:
    from staffvc.keys import KeyPair

    secret = KeyPair.generate(KeyType.ED25519).private_multikey()
    with pytest.raises(DidError) as info:
        DidKeyMethod().document(f"did:key:{secret}")
    assert info.value.code == "invalidPublicKey"
    assert secret not in str(info.value)


def test_other_methods_are_method_not_supported() -> None:
    with pytest.raises(MethodNotSupportedError):
        Resolver().resolve("did:example:123")


# --- CCG 2022 test vectors: older verification-method formats -------------------------------

_RAW = "did-method-key/raw/test-vectors"


def _raw_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for name in ("ed25519-x25519.json", "nist-curves.json", "secp256k1.json"):
        for did, case in load_vector(f"{_RAW}/{name}").items():
            cases.append((did, case["didDocument"]))
    for did, doc in load_vector(f"{_RAW}/x25519.json").items():
        cases.append((did, doc))
    return cases


_SUPPORTED_PREFIXES = (
    "did:key:z6Mk",
    "did:key:z6LS",
    "did:key:zQ3s",
    "did:key:zDna",
    "did:key:z82L",
)


def _methods(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {vm["id"]: vm for vm in doc.get("verificationMethod", [])}
    for rel in ("authentication", "assertionMethod", "keyAgreement"):
        for entry in doc.get(rel, []):
            if isinstance(entry, dict):
                found[entry["id"]] = entry
    return found


@pytest.mark.parametrize(("did", "expected"), _raw_cases(), ids=lambda v: str(v)[-10:])
def test_ccg_2022_vectors_key_material_matches(did: str, expected: dict[str, Any]) -> None:
    """Each verification method of the 2022 vectors is reproduced exactly (id, type,
    controller, and key in publicKeyBase58 / publicKeyJwk form, EC points decompressed);
    P-521, RSA, BLS12-381 and the experimental P256Key2021 type are out of scope.
    The 2022 layout listed ECDSA keys under keyAgreement too; v0.9 does not."""
    if not did.startswith(_SUPPORTED_PREFIXES):
        with pytest.raises(DidError):
            DidKeyMethod().document(did)
        return
    types = {vm["type"] for vm in expected["verificationMethod"]}
    if types == {"P256Key2021"}:
        # a draft type of 2021 that v0.9 replaced by Multikey: the same key, by another name
        (theirs,) = expected["verificationMethod"]
        (ours,) = DidKeyMethod().document(did)["verificationMethod"]
        theirs_key = PublicKey.from_raw(KeyType.P256, base58.b58decode(theirs["publicKeyBase58"]))
        assert PublicKey.from_multikey(ours["publicKeyMultibase"]) == theirs_key
        return
    fmt = sorted(types - {"X25519KeyAgreementKey2019"})[0] if len(types) > 1 else types.pop()
    if fmt == "X25519KeyAgreementKey2019":
        fmt = "Ed25519VerificationKey2018"  # the signature-key name of that generation
    ours = DidKeyMethod(
        DidKeyOptions(public_key_format=fmt, enable_experimental_public_key_types=True)
    ).document(did)
    assert ours["@context"] == expected["@context"]
    assert _methods(ours) == _methods(expected)
    for rel in ("authentication", "assertionMethod", "capabilityInvocation"):
        expected_ids = [e if isinstance(e, str) else e["id"] for e in expected.get(rel, [])]
        our_ids = [e if isinstance(e, str) else e["id"] for e in ours.get(rel, [])]
        assert our_ids == expected_ids


def test_ccg_2022_jwk_vectors_match_private_jwks() -> None:
    """The nist-curves vectors carry private JWKs: the public part we derive matches."""
    from staffvc.keys import KeyPair

    for did, case in load_vector(f"{_RAW}/nist-curves.json").items():
        if not did.startswith(_SUPPORTED_PREFIXES) or "privateKeyJwk" not in case.get(
            "verificationMethod", {}
        ):
            continue
        pair = KeyPair.from_jwk(case["verificationMethod"]["privateKeyJwk"])
        assert pair.public_key == PublicKey.from_jwk(case["verificationMethod"]["publicKeyJwk"])
        assert f"did:key:{pair.public_key.to_multikey()}" == did
