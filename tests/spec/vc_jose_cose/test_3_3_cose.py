"""VC-JOSE-COSE §3.3 (securing with COSE) and RFC 9052 §4 (COSE_Sign1): tag 18, protected
alg / content type / kid / typ, the Sig_structure, and strict decoding of outside bytes."""

from __future__ import annotations

import json
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from spec.vc_jose_cose.jose_fixtures import (
    KEY_TYPES,
    NOW,
    assert_fails,
    assert_valid,
    credential,
    did_document,
    did_key_signer,
    key_pair,
    outcome,
    resolver_with,
    verify_cose,
)
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose import (
    JoseError,
    JoseLimits,
    JoseSigningError,
    decode_cose_sign1,
    issue_vc_cose,
)
from staffvc.results import Code, Outcome

COSE_ALG = {KeyType.ED25519: -8, KeyType.P256: -7, KeyType.P384: -35, KeyType.SECP256K1: -47}


def _parts(data: bytes) -> tuple[bytes, dict[Any, Any], bytes, bytes]:
    tag = cbor2.loads(data)
    assert isinstance(tag, cbor2.CBORTag)
    assert tag.tag == 18
    protected, unprotected, payload, signature = tag.value
    return protected, unprotected, payload, signature


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_issue_and_verify(key_type: KeyType) -> None:
    signer, did = did_key_signer(key_type)
    document = credential(did)
    data = issue_vc_cose(document, signer=signer)
    protected, unprotected, payload, _ = _parts(data)
    assert cbor2.loads(protected) == {
        1: COSE_ALG[key_type],
        3: "application/vc",
        4: str(signer.key_id).encode(),
        16: "application/vc+cose",
    }
    assert unprotected == {}
    assert json.loads(payload) == document
    result = verify_cose(data)
    assert_valid(result)
    assert [c.name for c in result.checks] == [
        "cose.decode",
        "cose.typ",
        "cose.payload",
        "cose.kid",
        "cose.signature",
    ]


@pytest.mark.parametrize("key_type", [KeyType.ED25519, KeyType.P256, KeyType.SECP256K1])
def test_the_signature_checks_with_an_independent_sig_structure(key_type: KeyType) -> None:
    """RFC 9052 §4.4, rebuilt with cbor2 and checked with pyca/cryptography directly."""
    signer, did = did_key_signer(key_type)
    protected, _, payload, signature = _parts(issue_vc_cose(credential(did), signer=signer))
    to_be_signed = cbor2.dumps(["Signature1", protected, b"", payload])
    raw = signer.private_bytes()
    if key_type is KeyType.ED25519:
        public = ed25519.Ed25519PrivateKey.from_private_bytes(raw).public_key()
        public.verify(signature, to_be_signed)
    else:
        curve = ec.SECP256R1() if key_type is KeyType.P256 else ec.SECP256K1()
        public_ec = ec.derive_private_key(int.from_bytes(raw, "big"), curve).public_key()
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        public_ec.verify(encode_dss_signature(r, s), to_be_signed, ec.ECDSA(hashes.SHA256()))


def _message(
    protected: dict[Any, Any] | bytes,
    payload: bytes | None,
    *,
    key: KeyPair,
    unprotected: dict[Any, Any] | None = None,
    tag: int | None = 18,
    sign_over: bytes | None = None,
) -> bytes:
    """A COSE_Sign1 built with cbor2 and signed here: a second, independent encoder."""
    prot = protected if isinstance(protected, bytes) else cbor2.dumps(protected)
    tbs = cbor2.dumps(["Signature1", prot, b"", sign_over if payload is None else payload])
    body = [prot, unprotected or {}, payload, key.sign(tbs)]
    return cbor2.dumps(cbor2.CBORTag(tag, body) if tag is not None else body)


KEY = key_pair(KeyType.ED25519)
SIGNER, DID = did_key_signer(KeyType.ED25519)
PAYLOAD = json.dumps(credential(DID)).encode()
GOOD = {1: -8, 3: "application/vc", 4: str(SIGNER.key_id).encode(), 16: "application/vc+cose"}


def test_a_message_built_by_another_encoder_verifies() -> None:
    assert_valid(verify_cose(_message(GOOD, PAYLOAD, key=SIGNER)))
    # typ alone, or content type alone, is enough; unknown non-critical labels are ignored
    only_typ = {k: v for k, v in GOOD.items() if k != 3} | {99: "x"}
    assert_valid(verify_cose(_message(only_typ, PAYLOAD, key=SIGNER, unprotected={98: 1})))
    only_cty = {k: v for k, v in GOOD.items() if k != 16}
    assert_valid(verify_cose(_message(only_cty, PAYLOAD, key=SIGNER)))


@pytest.mark.parametrize(
    "data",
    [
        cbor2.dumps(cbor2.CBORTag(17, [b"", {}, b"", b""])),  # COSE_Mac0
        cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b""])),  # COSE_Sign
        cbor2.dumps([cbor2.dumps(GOOD), {}, PAYLOAD, b"sig"]),  # untagged
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {}, PAYLOAD])),  # three items
        cbor2.dumps(cbor2.CBORTag(18, {"a": 1})),
        cbor2.dumps(cbor2.CBORTag(18, [GOOD, {}, PAYLOAD, b"sig"])),  # protected not bytes
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), [], PAYLOAD, b"sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {}, None, b"sig"])),  # detached
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {}, "text", b"sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {}, PAYLOAD, "sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps([1]), {}, PAYLOAD, b"sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [b"\xff", {}, PAYLOAD, b"sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {}, PAYLOAD, b"sig"])) + b"\x00",
        b"\xd2\x9f\xff",  # indefinite-length array
        b"\xd2\x84",  # truncated
        b"\xd2\x9b\xff\xff\xff\xff\xff\xff\xff\xff",  # an absurd declared length
        b"",
        b"not cbor at all",
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {1.5: 1}, PAYLOAD, b"sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {7: 1.5}, PAYLOAD, b"sig"])),
        cbor2.dumps(
            cbor2.CBORTag(18, [cbor2.dumps(GOOD), {7: cbor2.CBORTag(1, 0)}, PAYLOAD, b"s"])
        ),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {7: cbor2.undefined}, PAYLOAD, b"s"])),
        # a map with a key twice, written by hand: {1: -8, 1: -7}
        cbor2.dumps(cbor2.CBORTag(18, [b"\xa2\x01\x27\x01\x26", {}, PAYLOAD, b"sig"])),
        # the same label in both buckets
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {4: b"k"}, PAYLOAD, b"sig"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({3: "application/vc"}), {}, PAYLOAD, b"s"])),
        cbor2.dumps(cbor2.CBORTag(18, [b"", {1: -8}, PAYLOAD, b"s"])),  # alg unprotected
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD | {4: "text kid"}), {}, PAYLOAD, b"s"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD | {2: []}), {}, PAYLOAD, b"s"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD | {2: [77]}), {}, PAYLOAD, b"s"])),
        cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps(GOOD), {2: [1]}, PAYLOAD, b"s"])),
    ],
)
def test_wrong_tag_or_structure_is_a_parsing_error(data: bytes) -> None:
    result = verify_cose(data)
    assert_fails(result, "cose.decode", Code.PARSING_ERROR)
    assert [c.outcome for c in result.checks[1:]] == [Outcome.SKIPPED] * 3


@pytest.mark.parametrize(
    ("protected", "unprotected", "code"),
    [
        (GOOD | {1: -257}, {}, Code.UNSUPPORTED_ALGORITHM),  # RS256
        (GOOD | {1: 5}, {}, Code.UNSUPPORTED_ALGORITHM),  # HMAC 256/256
        (GOOD | {1: "EdDSA"}, {}, Code.UNSUPPORTED_ALGORITHM),
        (GOOD | {1: True}, {}, Code.UNSUPPORTED_ALGORITHM),
        (GOOD | {2: [99], 99: 1}, {}, Code.UNSUPPORTED_HEADER),  # critical, not understood
        (GOOD | {33: b"cert"}, {}, Code.UNSUPPORTED_HEADER),  # x5chain
        (GOOD, {35: "https://evil.example/cert"}, Code.UNSUPPORTED_HEADER),  # x5u
    ],
)
def test_refused_headers(
    protected: dict[Any, Any], unprotected: dict[Any, Any], code: Code
) -> None:
    data = _message(protected, PAYLOAD, key=SIGNER, unprotected=unprotected)
    assert_fails(verify_cose(data), "cose.decode", code)


def test_understood_critical_headers_are_accepted() -> None:
    assert_valid(verify_cose(_message(GOOD | {2: [1, 4]}, PAYLOAD, key=SIGNER)))


def test_oversized_and_too_deep() -> None:
    data = issue_vc_cose(credential(DID, pad="x" * 5000), signer=SIGNER)
    with pytest.raises(JoseError) as caught:
        decode_cose_sign1(data, limits=JoseLimits(max_token_bytes=4096))
    assert caught.value.code == "LIMIT_EXCEEDED"
    big_header = _message(GOOD | {99: "x" * 300}, PAYLOAD, key=SIGNER)
    with pytest.raises(JoseError) as caught:
        decode_cose_sign1(big_header, limits=JoseLimits(max_header_bytes=256))
    assert caught.value.code == "LIMIT_EXCEEDED"
    deep: Any = 1
    for _ in range(40):
        deep = [deep]
    with pytest.raises(JoseError) as caught:
        decode_cose_sign1(_message(GOOD, PAYLOAD, key=SIGNER, unprotected={99: deep}))
    assert caught.value.code == "PARSING_ERROR"
    with pytest.raises(JoseError):
        decode_cose_sign1("text")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("protected", "code"),
    [
        (GOOD | {16: "application/vp+cose"}, Code.MEDIA_TYPE_MISMATCH),
        (GOOD | {3: "application/json"}, Code.MEDIA_TYPE_MISMATCH),
        (GOOD | {16: 42}, Code.MEDIA_TYPE_MISMATCH),
        ({1: -8, 4: str(SIGNER.key_id).encode()}, Code.MEDIA_TYPE_MISMATCH),
    ],
)
def test_wrong_types(protected: dict[Any, Any], code: Code) -> None:
    assert_fails(verify_cose(_message(protected, PAYLOAD, key=SIGNER)), "cose.typ", code)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"not json", Code.PARSING_ERROR),
        (b"[1,2]", Code.PARSING_ERROR),
        (b'{"a":1,"a":1}', Code.PARSING_ERROR),
        (json.dumps({"type": "Other"}).encode(), Code.MALFORMED_VALUE_ERROR),
        (json.dumps({**credential(DID), "vc": {}}).encode(), Code.MALFORMED_VALUE_ERROR),
    ],
)
def test_bad_payloads(payload: bytes, code: Code) -> None:
    result = verify_cose(_message(GOOD, payload, key=SIGNER))
    assert_fails(result, "cose.payload", code)
    assert outcome(result, "cose.signature") is Outcome.SKIPPED


def test_tampering() -> None:
    data = _message(GOOD, PAYLOAD, key=SIGNER)
    tampered = data.replace(b"Staff Nurse", b"Staff Nursf")
    assert_fails(verify_cose(tampered), "cose.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)
    other = KeyPair.generate(KeyType.ED25519)
    assert_fails(
        verify_cose(_message(GOOD, PAYLOAD, key=other)),
        "cose.signature",
        Code.CRYPTOGRAPHIC_SECURITY_ERROR,
    )
    # the same header map in another key order is other bytes: the signature covers bytes
    protected, unprotected, payload, signature = _parts(data)
    reordered = cbor2.dumps({k: GOOD[k] for k in (16, 4, 3, 1)})
    assert reordered != protected
    assert cbor2.loads(reordered) == cbor2.loads(protected)
    moved = cbor2.dumps(cbor2.CBORTag(18, [reordered, unprotected, payload, signature]))
    assert_fails(verify_cose(moved), "cose.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)


def test_alg_must_match_the_resolved_key() -> None:
    p256 = key_pair(KeyType.P256)
    issuer = "did:web:trust.nhs.example"
    resolver = resolver_with(did_document(issuer, {"k": KEY}))
    protected = {1: -7, 3: "application/vc", 4: f"{issuer}#k".encode()}
    data = _message(protected, json.dumps(credential(issuer)).encode(), key=p256)
    assert_fails(verify_cose(data, resolver=resolver), "cose.signature", Code.UNSUPPORTED_ALGORITHM)


def test_kid_rules_are_those_of_jose() -> None:
    issuer = "did:web:trust.nhs.example"
    document = did_document(issuer, {"k": KEY}, assertion=[])
    resolver = resolver_with(document)
    payload = json.dumps(credential(issuer)).encode()
    protected = {1: -8, 3: "application/vc", 4: f"{issuer}#k".encode()}
    result = verify_cose(_message(protected, payload, key=KEY), resolver=resolver)
    assert_fails(result, "cose.kid", Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD)
    no_kid = {1: -8, 3: "application/vc"}
    result = verify_cose(_message(no_kid, payload, key=KEY), resolver=resolver)
    assert_fails(result, "cose.kid", Code.INVALID_VERIFICATION_METHOD_URL)
    bad_utf8 = {1: -8, 3: "application/vc", 4: b"\xff\xfe"}
    result = verify_cose(_message(bad_utf8, payload, key=KEY), resolver=resolver)
    assert outcome(result, "cose.kid") is not Outcome.PASSED
    assert not result.ok
    signer, _ = did_key_signer(KeyType.ED25519)
    foreign = {1: -8, 3: "application/vc", 4: str(signer.key_id).encode()}
    result = verify_cose(_message(foreign, payload, key=signer), resolver=resolver)
    assert_fails(result, "cose.kid", Code.CONTROLLER_MISMATCH)


def test_claims_in_the_payload_are_checked_as_for_jose() -> None:
    t = int(NOW.timestamp())
    data = issue_vc_cose(credential(DID, exp=t - 3600), signer=SIGNER)
    assert_fails(verify_cose(data), "cose.exp", Code.CREDENTIAL_EXPIRED)
    data = issue_vc_cose(credential(DID, iss="did:example:x"), signer=SIGNER)
    assert_fails(verify_cose(data), "cose.iss", Code.CLAIM_MISMATCH)


def test_issue_refusals() -> None:
    with pytest.raises(JoseSigningError):
        issue_vc_cose({"type": "Other"}, signer=SIGNER)
    with pytest.raises(JoseSigningError):
        issue_vc_cose(credential(DID), signer=SIGNER.with_key_id(None))
    with pytest.raises(JoseSigningError):
        issue_vc_cose(credential(DID), signer=SIGNER.with_key_id("not a did"))
    with pytest.raises(JoseSigningError):
        issue_vc_cose(credential("did:example:other"), signer=SIGNER)
    with pytest.raises(JoseSigningError):
        issue_vc_cose(credential(DID, x=float("nan")), signer=SIGNER)


def test_ed25519_fully_specified_alg() -> None:
    data = issue_vc_cose(credential(DID), signer=SIGNER.with_algorithm("Ed25519"))
    assert cbor2.loads(_parts(data)[0])[1] == -19
    assert_valid(verify_cose(data))
