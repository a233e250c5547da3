"""draft-ietf-oauth-status-list §5 (Status List Token, ``typ: statuslist+jwt``), §6 (the
Referenced Token's ``status`` claim), §7 (status values) and §8.3 (validation), for SD-JWT
VC payloads checked by :class:`StatusChecker`. JWS goes through staffvc.proofs.jose."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from spec.bitstring_status_list.statuskit import NOW, OTHER, TRUST, Issuer, run_check
from staffvc.errors import MalformedStatusError, StatusListError
from staffvc.keys import PublicKey
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.proofs.jose import JoseError, sign_compact
from staffvc.results import Code, Outcome, Verdict, VerificationResult
from staffvc.status import (
    STATUS_LIST_JWT_TYP,
    InMemoryStatusListSource,
    StatusChecker,
    StatusListTokenView,
    TokenStatusList,
    build_status_claim,
    build_status_list_token_payload,
    read_status_claim,
    read_status_list_token,
    sign_status_list_token,
    verify_status_list_token,
    verify_status_list_token_result,
)

URI = "https://status.trust.example.nhs.uk/tokens/1"
KEYS: dict[str, PublicKey] = {TRUST.did: TRUST.key.public_key, OTHER.did: OTHER.key.public_key}


def status_list(*pairs: tuple[int, int], size: int = 1024, bits: int = 4) -> TokenStatusList:
    out = TokenStatusList(size, bits=bits)
    for index, value in pairs:
        out.set(index, value)
    return out


def token(
    values: TokenStatusList | None = None,
    *,
    by: Issuer = TRUST,
    uri: str = URI,
    iss: str | None = "",
    **kw: Any,
) -> str:
    payload = build_status_list_token_payload(
        uri=uri,
        status_list=values if values is not None else status_list((1, 1), (2, 2), (3, 3), (5, 5)),
        issued_at=kw.pop("issued_at", NOW - timedelta(hours=1)),
        issuer=by.did if iss == "" else iss,
        **kw,
    )
    return sign_status_list_token(payload, signer=by.key)


def key_for(view: StatusListTokenView) -> PublicKey:
    did = (view.kid or "").split("#", 1)[0]
    return KEYS[did]


def verify(document: Any) -> VerificationResult:
    assert isinstance(document, str)
    return verify_status_list_token_result(document, key_for=key_for)


def sd_jwt_vc(idx: int, *, uri: str = URI, by: Issuer = TRUST) -> dict[str, Any]:
    """The (disclosed) payload of an SD-JWT VC carrying a Token Status List reference."""
    return {
        "iss": by.did,
        "vct": "https://nhs.example/vct/staff-passport",
        "iat": 1767225600,
        "status": build_status_claim(uri=uri, idx=idx),
    }


def checker(documents: dict[str, Any]) -> StatusChecker:
    return StatusChecker(InMemoryStatusListSource(documents), verify_list_credential=verify)


# --- §5: the token -----------------------------------------------------------------------------


def test_the_token_header_and_claims() -> None:
    text = token(ttl_s=600, expires_at=NOW + timedelta(days=1))
    header = json.loads(b64url_decode(text.split(".")[0]))
    assert header["typ"] == STATUS_LIST_JWT_TYP == "statuslist+jwt"
    assert header["alg"] in ("EdDSA", "Ed25519")
    assert header["kid"] == TRUST.key.key_id
    view = verify_status_list_token(text, TRUST.key.public_key)
    assert (view.subject, view.issuer, view.ttl_s) == (URI, TRUST.did, 600)
    assert view.issued_at == NOW - timedelta(hours=1)
    assert view.expires_at == NOW + timedelta(days=1)
    assert TokenStatusList.decode(view.status_list).get(3) == 3


def test_a_token_signed_by_another_key_does_not_verify() -> None:
    with pytest.raises(JoseError) as caught:
        verify_status_list_token(token(), OTHER.key.public_key)
    assert caught.value.code == "CRYPTOGRAPHIC_SECURITY_ERROR"
    result = verify_status_list_token_result(
        token(by=OTHER), key_for=lambda _: TRUST.key.public_key
    )
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.CRYPTOGRAPHIC_SECURITY_ERROR]


def _raw_token(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return sign_compact(header, json.dumps(payload).encode(), signer=TRUST.key)


GOOD_PAYLOAD = {"sub": URI, "iat": 1767225600, "status_list": {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}}


@pytest.mark.parametrize(
    ("header", "payload", "error"),
    [
        ({"typ": "JWT"}, GOOD_PAYLOAD, StatusListError),
        ({}, GOOD_PAYLOAD, StatusListError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "sub": None}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "sub": "relative"}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "iat": None}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "iat": "2026"}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "exp": 10**20}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "ttl": 0}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "ttl": "60"}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "iss": 7}, MalformedStatusError),
        ({"typ": "statuslist+jwt"}, {**GOOD_PAYLOAD, "status_list": None}, MalformedStatusError),
    ],
)
def test_malformed_tokens_are_refused(
    header: dict[str, Any], payload: dict[str, Any], error: type[Exception]
) -> None:
    payload = {k: v for k, v in payload.items() if v is not None}
    with pytest.raises(error):
        read_status_list_token(_raw_token(header, payload))
    result = verify_status_list_token_result(_raw_token(header, payload), key_for=key_for)
    assert result.verdict is Verdict.INVALID
    assert result.checks[-1].outcome is Outcome.SKIPPED


def test_not_a_jws_at_all() -> None:
    for text in ("", "a.b", "e30.e30.", "x" * 300_000):
        with pytest.raises(JoseError):
            read_status_list_token(text)
        assert verify_status_list_token_result(text, key_for=key_for).verdict is Verdict.INVALID


def test_an_unknown_key_is_an_error_not_a_failure() -> None:
    def nobody(view: StatusListTokenView) -> PublicKey:
        raise StatusListError("no key for this issuer")

    result = verify_status_list_token_result(token(), key_for=nobody)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.DID_RESOLUTION_ERROR]


def test_building_refuses_nonconforming_claims() -> None:
    values = status_list()
    with pytest.raises(ValueError):
        build_status_list_token_payload(uri="nope", status_list=values, issued_at=NOW)
    with pytest.raises(ValueError):
        build_status_list_token_payload(uri=URI, status_list=values, issued_at=NOW, ttl_s=0)
    with pytest.raises(ValueError):
        build_status_list_token_payload(uri=URI, status_list=values, issued_at=NOW, expires_at=NOW)
    with pytest.raises(ValueError):
        build_status_list_token_payload(
            uri=URI, status_list=values, issued_at=NOW.replace(tzinfo=None)
        )


# --- §6: the status claim ---------------------------------------------------------------------


def test_status_claim_round_trip() -> None:
    claim = build_status_claim(uri=URI, idx=7)
    assert claim == {"status_list": {"idx": 7, "uri": URI}}
    assert read_status_claim(claim) == (URI, 7)
    with pytest.raises(ValueError):
        build_status_claim(uri=URI, idx=-1)
    with pytest.raises(ValueError):
        build_status_claim(uri="relative", idx=1)


@pytest.mark.parametrize(
    "claim",
    [
        None,
        [],
        {"status_list": None},
        {"status_list": {"idx": "7", "uri": URI}},
        {"status_list": {"idx": -1, "uri": URI}},
        {"status_list": {"idx": True, "uri": URI}},
        {"status_list": {"idx": 1.5, "uri": URI}},
        {"status_list": {"idx": 1}},
        {"status_list": {"idx": 1, "uri": "not a uri"}},
    ],
)
def test_malformed_status_claims(claim: Any) -> None:
    with pytest.raises(MalformedStatusError):
        read_status_claim(claim)


# --- §7, §8.3: checking an SD-JWT VC's status ------------------------------------------------


@pytest.mark.parametrize(
    ("idx", "codes", "revoked", "suspended", "verdict"),
    [
        (0, [], False, False, Verdict.VALID),
        (1, [Code.CREDENTIAL_REVOKED], True, False, Verdict.INVALID),
        (2, [Code.CREDENTIAL_SUSPENDED], False, True, Verdict.INVALID),
        (3, [], False, False, Verdict.VALID),
        (5, [Code.STATUS_VERIFICATION_ERROR], False, False, Verdict.INDETERMINATE),
    ],
    ids=["valid", "invalid", "suspended", "application-specific", "reserved"],
)
def test_status_values(
    idx: int, codes: list[Code], revoked: bool, suspended: bool, verdict: Verdict
) -> None:
    status, result = run_check(checker({URI: token()}), sd_jwt_vc(idx))
    assert result.verdict is verdict, result.explain()
    assert result.codes() == codes
    assert status.checked is True
    assert (status.revoked, status.suspended) == (revoked, suspended)
    assert status.entries[0].pointer == "/status/status_list"


def test_the_status_value_name_is_reported() -> None:
    status, _ = run_check(checker({URI: token()}), sd_jwt_vc(3))
    assert status.messages == ("APPLICATION_SPECIFIC_0x03",)
    assert run_check(checker({URI: token()}), sd_jwt_vc(0))[0].messages == ("VALID",)


def test_the_tokens_sub_must_be_the_claims_uri() -> None:
    _, result = run_check(checker({URI: token(uri=URI + "/other")}), sd_jwt_vc(1))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].list"


def test_an_expired_or_future_token_is_not_used() -> None:
    expired = token(expires_at=NOW - timedelta(seconds=1), issued_at=NOW - timedelta(days=1))
    future = token(issued_at=NOW + timedelta(minutes=5))
    for text in (expired, future):
        status, result = run_check(checker({URI: text}), sd_jwt_vc(1))
        assert result.verdict is Verdict.INDETERMINATE
        check = next(c for c in result.checks if c.code)
        assert (check.name, check.code) == (
            "status[0].list_validity",
            Code.STATUS_VERIFICATION_ERROR,
        )
        assert status.checked is False


def test_a_token_from_another_issuer_fails() -> None:
    _, result = run_check(checker({URI: token(by=OTHER)}), sd_jwt_vc(1))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].list_issuer"


def test_without_iss_the_signing_did_is_compared() -> None:
    assert run_check(checker({URI: token(iss=None)}), sd_jwt_vc(0))[1].verdict is Verdict.VALID
    _, result = run_check(checker({URI: token(by=OTHER, iss=None)}), sd_jwt_vc(0))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]


def test_a_forged_token_fails_verification() -> None:
    header, payload, signature = token().split(".")
    claims = json.loads(b64url_decode(payload))
    claims["status_list"] = status_list().encode()  # "un-revoke" everything
    forged = ".".join([header, b64url_encode(json.dumps(claims).encode()), signature])
    status, result = run_check(checker({URI: forged}), sd_jwt_vc(1))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert status.revoked is None


def test_an_index_outside_the_token_list_is_a_range_error() -> None:
    _, result = run_check(checker({URI: token(status_list(size=16))}), sd_jwt_vc(16))
    assert result.codes() == [Code.RANGE_ERROR]


def test_retrieval_failure_and_wrong_document_kinds() -> None:
    _, missing = run_check(checker({}), sd_jwt_vc(1))
    assert missing.codes() == [Code.STATUS_RETRIEVAL_ERROR]
    assert missing.verdict is Verdict.INDETERMINATE
    json_list: dict[str, Any] = {"type": ["VerifiableCredential"]}

    def anything_valid(document: Any) -> VerificationResult:
        return verify(token()) if not isinstance(document, str) else verify(document)

    odd = StatusChecker(
        InMemoryStatusListSource({URI: json_list}), verify_list_credential=anything_valid
    )
    assert run_check(odd, sd_jwt_vc(1))[1].codes() == [Code.STATUS_VERIFICATION_ERROR]


def test_unknown_status_mechanisms_are_indeterminate() -> None:
    document = sd_jwt_vc(1)
    document["status"] = {"identifier_list": {"id": "1", "uri": URI}}
    status, result = run_check(checker({URI: token()}), document)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.UNKNOWN_STATUS_TYPE]
    assert status.checked is False


def test_a_malformed_status_claim_fails() -> None:
    document = sd_jwt_vc(1)
    document["status"] = {"status_list": {"idx": "1", "uri": URI}}
    _, result = run_check(checker({URI: token()}), document)
    assert result.codes() == [Code.MALFORMED_VALUE_ERROR]


def test_a_malformed_list_inside_a_valid_token_fails() -> None:
    payload = build_status_list_token_payload(
        uri=URI, status_list=status_list(), issued_at=NOW - timedelta(hours=1), issuer=TRUST.did
    )
    payload["status_list"] = {"bits": 3, "lst": "eNrbuRgAAhcBXQ"}
    text = sign_status_list_token(payload, signer=TRUST.key)
    _, result = run_check(checker({URI: text}), sd_jwt_vc(1))
    assert result.codes() == [Code.MALFORMED_VALUE_ERROR]
