"""RFC 9901 §7.1 Verification of the SD-JWT: every step a coded check, and every bad input
(malformed, oversized, tampered, duplicated, unreferenced, wrongly signed, expired) ends in
a named FAILED or ERROR check: never VALID, never a returned payload, never a traceback."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    CountingRandom,
    craft,
    did_party,
    failed,
    jwt_payload,
    make_disclosure,
    outcome,
    sha256_digest,
    split,
    verify,
)
from staffvc.errors import DidNotFoundError
from staffvc.keys import KeyType, PublicKey, b64url_encode
from staffvc.proofs.jose._sd_common import SdJwtLimits
from staffvc.proofs.jose.jws import JoseLimits
from staffvc.proofs.jose.sd_jwt import issue_sd_jwt
from staffvc.results import Code, Outcome, Verdict

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
ISSUER = did_party()
OTHER = did_party()
CLAIMS: dict[str, Any] = {
    "iss": ISSUER.did,
    "iat": int((NOW - timedelta(days=1)).timestamp()),
    "exp": int((NOW + timedelta(days=365)).timestamp()),
    "given_name": "Ada",
    "family_name": "Lovelace",
    "address": {"street": "1 Main St", "region": "Anyshire", "country": "GB"},
    "roles": ["nurse", "midwife", "lead"],
}
DISCLOSABLE = [
    "/given_name",
    "/family_name",
    "/address",
    "/address/region",
    "/address/country",
    "/roles/0",
    "/roles/2",
]
TOKEN = issue_sd_jwt(
    CLAIMS,
    signer=ISSUER.pair,
    disclosable=DISCLOSABLE,
    random_bytes=CountingRandom("7.1"),
    typ="example+sd-jwt",
    holder_key=None,
    decoys=2,
)
JWT, DISCLOSURES, _ = split(TOKEN)


def rejected(token: str | bytes, check: str, code: Code, **options: Any) -> None:
    """``token`` does not verify; ``check`` FAILED with ``code``; no payload comes back."""
    result, payload = verify(token, now=NOW, **options)
    assert payload is None
    assert result.verdict is Verdict.INVALID, result.explain()
    assert failed(result).get(check) == code, result.explain()


def undecided(token: str | bytes, check: str, code: Code, **options: Any) -> None:
    """``check`` ended in ERROR with ``code``: INDETERMINATE, never VALID."""
    result, payload = verify(token, now=NOW, **options)
    assert payload is None
    assert result.verdict is Verdict.INDETERMINATE, result.explain()
    assert outcome(result, check) is Outcome.ERROR
    assert failed(result)[check] == code


def test_the_issued_token_verifies_and_reveals_everything() -> None:
    result, payload = verify(TOKEN, now=NOW)
    assert result.verdict is Verdict.VALID, result.explain()
    assert payload == CLAIMS
    assert [c.name for c in result.checks] == [
        "sd_jwt.structure",
        "sd_jwt.issuer_jwt",
        "sd_jwt.typ",
        "sd_jwt.disclosures.decode",
        "sd_jwt.issuer_key",
        "sd_jwt.signature",
        "sd_jwt.sd_alg",
        "sd_jwt.disclosures",
        "sd_jwt.validity",
    ]


def test_bytes_are_accepted_like_text() -> None:
    result, payload = verify(TOKEN.encode("ascii"), now=NOW)
    assert result.ok
    assert payload == CLAIMS


# --- §4 structure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(JWT, id="bare JWT, no tilde"),
        pytest.param("", id="empty"),
        pytest.param("~", id="only a tilde"),
        pytest.param(f"~{DISCLOSURES[0]}~", id="no issuer JWT"),
        pytest.param(f"{JWT}~~{DISCLOSURES[0]}~", id="empty disclosure"),
        pytest.param(TOKEN.replace("e", "é", 1), id="not ASCII"),
        pytest.param(TOKEN.encode("ascii").replace(b"e", b"\xe9", 1), id="bytes not ASCII"),
        pytest.param(12345, id="not a string"),
    ],
)
def test_4_malformed_structure(token: Any) -> None:
    rejected(token, "sd_jwt.structure", Code.PARSING_ERROR)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(JWT[: len(JWT) // 2] + "~", id="truncated JWT"),
        pytest.param(JWT.replace(".", "", 1) + "~", id="two parts"),
        pytest.param("!!." + JWT.split(".", 1)[1] + "~", id="header not base64url"),
        pytest.param(
            b64url_encode(b"[1]") + "." + JWT.split(".", 1)[1] + "~", id="header not an object"
        ),
        pytest.param(
            JWT.split(".")[0] + "." + b64url_encode(b"[]") + "." + JWT.split(".")[2] + "~",
            id="payload not an object",
        ),
    ],
)
def test_4_1_unreadable_issuer_jwt(token: str) -> None:
    rejected(token, "sd_jwt.issuer_jwt", Code.PARSING_ERROR)


def test_4_truncated_final_tilde_turns_the_last_disclosure_into_a_bad_kb_jwt() -> None:
    """Without the final '~' the last part is read as a KB-JWT, which then fails."""
    rejected(TOKEN[:-1], "sd_jwt.kb.jwt", Code.PARSING_ERROR)


def test_limits_whole_token() -> None:
    limits = SdJwtLimits(max_token_bytes=len(TOKEN) - 1)
    rejected(TOKEN, "sd_jwt.structure", Code.LIMIT_EXCEEDED, limits=limits)
    rejected(TOKEN.encode(), "sd_jwt.structure", Code.LIMIT_EXCEEDED, limits=limits)


def test_limits_number_of_disclosures() -> None:
    limits = SdJwtLimits(max_disclosures=len(DISCLOSURES) - 1)
    rejected(TOKEN, "sd_jwt.structure", Code.LIMIT_EXCEEDED, limits=limits)


def test_limits_one_disclosure() -> None:
    big = make_disclosure("salt", "photo", "x" * 70_000)
    rejected(f"{JWT}~{big}~", "sd_jwt.disclosures.decode", Code.LIMIT_EXCEEDED)


def test_limits_disclosure_depth() -> None:
    deep: Any = "leaf"
    for _ in range(40):
        deep = [deep]
    rejected(
        f"{JWT}~{make_disclosure('salt', 'deep', deep)}~",
        "sd_jwt.disclosures.decode",
        Code.LIMIT_EXCEEDED,
    )


def test_limits_issuer_jwt_through_jose_limits() -> None:
    limits = SdJwtLimits(jose=JoseLimits(max_token_bytes=len(JWT) - 1))
    rejected(TOKEN, "sd_jwt.issuer_jwt", Code.LIMIT_EXCEEDED, limits=limits)


def test_limits_processed_payload_depth() -> None:
    """Recursive disclosures can nest a payload deeper than any one part: capped too."""
    leaf = make_disclosure("s0", "c", {"a": [["x"]]})  # 4 levels, within the limit
    parent = make_disclosure("s1", "p", {"_sd": [sha256_digest(leaf)]})
    payload = {"iss": ISSUER.did, "_sd": [sha256_digest(parent)]}
    token = craft(ISSUER.pair, payload, [parent, leaf])
    rejected(token, "sd_jwt.disclosures", Code.LIMIT_EXCEEDED, limits=SdJwtLimits(max_depth=4))
    result, processed = verify(token, now=NOW, limits=SdJwtLimits(max_depth=5))
    assert result.ok
    assert processed == {"iss": ISSUER.did, "p": {"c": {"a": [["x"]]}}}


# --- §4.2 disclosures, decoded ------------------------------------------------------------


@pytest.mark.parametrize(
    ("disclosure", "code"),
    [
        pytest.param("%%%", Code.PARSING_ERROR, id="not base64url"),
        pytest.param(DISCLOSURES[0] + "=", Code.PARSING_ERROR, id="padded"),
        pytest.param(b64url_encode(b"hello"), Code.PARSING_ERROR, id="not JSON"),
        pytest.param(b64url_encode(b'["s", "a", 1, "a", 2]'), Code.INVALID_DISCLOSURE, id="5"),
        pytest.param(b64url_encode(b'["s"]'), Code.INVALID_DISCLOSURE, id="1 element"),
        pytest.param(b64url_encode(b'{"s": 1}'), Code.INVALID_DISCLOSURE, id="object"),
        pytest.param(make_disclosure(1, "a", "b"), Code.INVALID_DISCLOSURE, id="salt number"),
        pytest.param(make_disclosure("s", 7, "b"), Code.INVALID_DISCLOSURE, id="name number"),
        pytest.param(make_disclosure("s", "_sd", []), Code.INVALID_DISCLOSURE, id="names _sd"),
        pytest.param(make_disclosure("s", "...", "x"), Code.INVALID_DISCLOSURE, id="names ..."),
        pytest.param(make_disclosure("s", "_sd_alg", "x"), Code.INVALID_DISCLOSURE, id="_sd_alg"),
        pytest.param(
            b64url_encode(b'["s", "a", 1, "a"]'.replace(b", 1", b", NaN")),
            Code.PARSING_ERROR,
            id="NaN",
        ),
        pytest.param(
            b64url_encode(b'["s", "a", {"k": 1, "k": 2}]'), Code.PARSING_ERROR, id="dup member"
        ),
    ],
)
def test_4_2_malformed_disclosure(disclosure: str, code: Code) -> None:
    rejected(f"{JWT}~{DISCLOSURES[0]}~{disclosure}~", "sd_jwt.disclosures.decode", code)


# --- §7.1 step 2: the issuer-signed JWT ---------------------------------------------------


def _resign(header: dict[str, Any], payload_part: str | None = None) -> str:
    head = b64url_encode(json.dumps(header).encode())
    _, body, signature = JWT.split(".")
    return f"{head}.{payload_part or body}.{signature}~" + "~".join(DISCLOSURES) + "~"


@pytest.mark.parametrize("alg", ["none", "HS256", "RS256", "PS256", "nonsense"])
def test_7_1_2_1_refused_algorithms(alg: str) -> None:
    rejected(
        _resign({"alg": alg, "typ": "example+sd-jwt"}),
        "sd_jwt.issuer_jwt",
        Code.UNSUPPORTED_ALGORITHM,
    )


def test_7_1_2_1_alg_none_with_empty_signature() -> None:
    head = b64url_encode(b'{"alg":"none","typ":"example+sd-jwt"}')
    body = JWT.split(".")[1]
    rejected(f"{head}.{body}.~", "sd_jwt.issuer_jwt", Code.UNSUPPORTED_ALGORITHM)


def test_7_1_2_2_signature_stripped() -> None:
    head, body, _ = JWT.split(".")
    rejected(f"{head}.{body}.~", "sd_jwt.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)


def test_7_1_2_2_payload_tampered() -> None:
    payload = jwt_payload(JWT)
    payload["exp"] += 1
    tampered = b64url_encode(json.dumps(payload).encode())
    head, _, signature = JWT.split(".")
    token = f"{head}.{tampered}.{signature}~"
    rejected(token, "sd_jwt.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)
    result, _ = verify(token, now=NOW)
    assert outcome(result, "sd_jwt.disclosures") is Outcome.SKIPPED


def test_7_1_2_2_signed_by_another_key_of_the_same_type() -> None:
    forged = craft(OTHER.pair.with_key_id(ISSUER.pair.key_id), jwt_payload(JWT), DISCLOSURES)
    rejected(forged, "sd_jwt.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)


def test_7_1_2_1_algorithm_pinned_from_the_resolved_key() -> None:
    p256 = did_party(KeyType.P256)
    token = craft(p256.pair.with_key_id(ISSUER.pair.key_id), jwt_payload(JWT), DISCLOSURES)
    rejected(token, "sd_jwt.signature", Code.UNSUPPORTED_ALGORITHM)


def test_crit_header_not_understood() -> None:
    token = craft(ISSUER.pair, jwt_payload(JWT), DISCLOSURES, header={"crit": ["exp2"], "exp2": 1})
    rejected(token, "sd_jwt.issuer_jwt", Code.UNSUPPORTED_HEADER)


@pytest.mark.parametrize(
    ("typ", "ok"),
    [
        ("example+sd-jwt", True),
        ("application/example+sd-jwt", True),
        ("EXAMPLE+SD-JWT", True),
        ("dc+sd-jwt", False),
        ("JWT", False),
        (None, False),
    ],
)
def test_9_11_explicit_typing(typ: str | None, ok: bool) -> None:
    header = {"typ": typ} if typ is not None else {}
    payload = jwt_payload(JWT)
    from staffvc.proofs.jose.jws import sign_compact

    jwt = sign_compact(header, json.dumps(payload).encode(), signer=ISSUER.pair)
    token = "~".join([jwt, *DISCLOSURES]) + "~"
    if ok:
        result, _ = verify(token, now=NOW)
        assert result.ok, result.explain()
    else:
        rejected(token, "sd_jwt.typ", Code.MEDIA_TYPE_MISMATCH)


def test_9_11_no_expected_typ_skips_the_check() -> None:
    result, payload = verify(TOKEN, now=NOW, typ=())
    assert payload == CLAIMS
    assert outcome(result, "sd_jwt.typ") is Outcome.SKIPPED


# --- §7.1 step 2.3: the issuer's key ------------------------------------------------------


def test_7_1_2_3_no_kid() -> None:
    token = craft(ISSUER.pair.with_key_id(None), jwt_payload(JWT), DISCLOSURES)
    rejected(token, "sd_jwt.issuer_key", Code.INVALID_VERIFICATION_METHOD_URL)


def test_7_1_2_3_key_of_another_issuer() -> None:
    token = craft(OTHER.pair, jwt_payload(JWT), DISCLOSURES)
    rejected(token, "sd_jwt.issuer_key", Code.CONTROLLER_MISMATCH)


def test_7_1_2_3_no_issuer_named() -> None:
    payload = {k: v for k, v in jwt_payload(JWT).items() if k != "iss"}
    rejected(
        craft(ISSUER.pair, payload, DISCLOSURES), "sd_jwt.issuer_key", Code.CONTROLLER_MISMATCH
    )


def test_7_1_2_3_relative_kid_is_read_against_iss() -> None:
    fragment = "#" + ISSUER.pair.key_id.split("#")[1]  # type: ignore[union-attr]
    token = craft(ISSUER.pair.with_key_id(fragment), jwt_payload(JWT), DISCLOSURES)
    result, payload = verify(token, now=NOW)
    assert result.ok
    assert payload == CLAIMS


def test_7_1_2_3_unsupported_did_method_is_indeterminate() -> None:
    payload = {**jwt_payload(JWT), "iss": "did:web:issuer.example"}
    token = craft(ISSUER.pair.with_key_id("did:web:issuer.example#key-1"), payload, DISCLOSURES)
    undecided(token, "sd_jwt.issuer_key", Code.DID_RESOLUTION_ERROR)


def test_7_1_2_3_malformed_kid() -> None:
    token = craft(ISSUER.pair.with_key_id("did:key:@@#x"), jwt_payload(JWT), DISCLOSURES)
    rejected(token, "sd_jwt.issuer_key", Code.INVALID_VERIFICATION_METHOD_URL)


def test_7_1_2_3_resolver_errors_are_checks() -> None:
    def not_found(header: Any, payload: Any, /) -> PublicKey:
        raise DidNotFoundError("gone")

    def broken(header: Any, payload: Any, /) -> PublicKey:
        raise RuntimeError("bug")

    def wrong_type(header: Any, payload: Any, /) -> Any:
        return "not a key"

    undecided(TOKEN, "sd_jwt.issuer_key", Code.DID_RESOLUTION_ERROR, resolve=not_found)
    undecided(TOKEN, "sd_jwt.issuer_key", Code.INTERNAL_ERROR, resolve=broken)
    undecided(TOKEN, "sd_jwt.issuer_key", Code.INTERNAL_ERROR, resolve=wrong_type)


# --- §7.1 step 2.4: _sd_alg ---------------------------------------------------------------


@pytest.mark.parametrize("alg", ["sha-999", "SHA-256", "blake3"])
def test_4_1_1_unknown_sd_alg_is_indeterminate(alg: str) -> None:
    token = craft(ISSUER.pair, {**jwt_payload(JWT), "_sd_alg": alg}, DISCLOSURES)
    undecided(token, "sd_jwt.sd_alg", Code.UNSUPPORTED_ALGORITHM)


@pytest.mark.parametrize("alg", ["md5", "sha-1", "sha-256-32", "sha-256-128"])
def test_9_4_weak_sd_alg_is_refused(alg: str) -> None:
    token = craft(ISSUER.pair, {**jwt_payload(JWT), "_sd_alg": alg}, DISCLOSURES)
    rejected(token, "sd_jwt.sd_alg", Code.UNSUPPORTED_ALGORITHM)


def test_4_1_1_sd_alg_not_a_string() -> None:
    token = craft(ISSUER.pair, {**jwt_payload(JWT), "_sd_alg": 256}, DISCLOSURES)
    rejected(token, "sd_jwt.sd_alg", Code.MALFORMED_VALUE_ERROR)


def test_4_1_1_sd_alg_defaults_to_sha_256() -> None:
    payload = {k: v for k, v in jwt_payload(JWT).items() if k != "_sd_alg"}
    result, processed = verify(craft(ISSUER.pair, payload, DISCLOSURES), now=NOW)
    assert result.ok
    assert processed == CLAIMS


def test_4_1_1_sd_alg_only_at_the_top_level() -> None:
    payload = {**jwt_payload(JWT), "nested": {"_sd_alg": "sha-256"}}
    rejected(
        craft(ISSUER.pair, payload, DISCLOSURES), "sd_jwt.disclosures", Code.MALFORMED_VALUE_ERROR
    )


@pytest.mark.parametrize("alg", ["sha-384", "sha-512", "sha3-256"])
def test_4_1_1_other_hash_algorithms_round_trip(alg: str) -> None:
    token = issue_sd_jwt(
        CLAIMS,
        signer=ISSUER.pair,
        disclosable=DISCLOSABLE,
        random_bytes=CountingRandom(alg),
        typ="example+sd-jwt",
        holder_key=None,
        hash_alg=alg,
    )
    assert jwt_payload(split(token)[0])["_sd_alg"] == alg
    result, payload = verify(token, now=NOW)
    assert result.ok
    assert payload == CLAIMS


# --- §7.1 steps 3 to 5: the disclosures ---------------------------------------------------


def test_9_2_tampered_disclosure_is_unreferenced() -> None:
    salt, name, _ = json.loads(base64.urlsafe_b64decode(DISCLOSURES[0] + "=="))
    forged = make_disclosure(salt, name, "Mallory")
    others = DISCLOSURES[1:]
    rejected(
        f"{JWT}~{forged}~" + "~".join(others) + "~",
        "sd_jwt.disclosures",
        Code.UNREFERENCED_DISCLOSURE,
    )


def test_7_1_5_foreign_disclosure_is_unreferenced() -> None:
    other = issue_sd_jwt(
        {"iss": OTHER.did, "x": 1},
        signer=OTHER.pair,
        disclosable=["/x"],
        random_bytes=CountingRandom("other"),
        typ="example+sd-jwt",
        holder_key=None,
    )
    rejected(f"{TOKEN}{split(other)[1][0]}~", "sd_jwt.disclosures", Code.UNREFERENCED_DISCLOSURE)


def test_4_2_6_child_without_its_parent_is_unreferenced() -> None:
    """Recursive disclosures must connect to the JWT (§4.2.6)."""
    region = next(d for d in DISCLOSURES if "region" in base64.urlsafe_b64decode(d + "==").decode())
    rejected(f"{JWT}~{region}~", "sd_jwt.disclosures", Code.UNREFERENCED_DISCLOSURE)


def test_4_the_same_disclosure_twice() -> None:
    rejected(f"{TOKEN}{DISCLOSURES[0]}~", "sd_jwt.disclosures", Code.DUPLICATE_DIGEST)


def _digest_payload(**extra: Any) -> dict[str, Any]:
    return {"iss": ISSUER.did, **extra}


def test_4_1_the_same_digest_twice_in_sd() -> None:
    d = make_disclosure("s1", "a", 1)
    token = craft(ISSUER.pair, _digest_payload(_sd=[sha256_digest(d), sha256_digest(d)]), [d])
    rejected(token, "sd_jwt.disclosures", Code.DUPLICATE_DIGEST)


def test_4_1_the_same_undisclosed_digest_twice() -> None:
    decoy = sha256_digest("decoy")
    token = craft(ISSUER.pair, _digest_payload(_sd=[decoy], list=[{"...": decoy}]))
    rejected(token, "sd_jwt.disclosures", Code.DUPLICATE_DIGEST)


def test_7_1_4_a_digest_met_again_through_a_disclosure() -> None:
    leaf = make_disclosure("s1", "a", 1)
    parent = make_disclosure("s2", "obj", {"_sd": [sha256_digest(leaf)]})
    payload = _digest_payload(_sd=[sha256_digest(parent), sha256_digest(leaf)])
    rejected(
        craft(ISSUER.pair, payload, [parent, leaf]), "sd_jwt.disclosures", Code.DUPLICATE_DIGEST
    )


def test_7_1_3_3_2_1_array_element_disclosure_referenced_from_sd() -> None:
    d = make_disclosure("s1", "value-only")
    token = craft(ISSUER.pair, _digest_payload(_sd=[sha256_digest(d)]), [d])
    rejected(token, "sd_jwt.disclosures", Code.INVALID_DISCLOSURE)


def test_7_1_3_3_3_1_object_disclosure_referenced_from_an_array() -> None:
    d = make_disclosure("s1", "name", "value")
    token = craft(ISSUER.pair, _digest_payload(list=[{"...": sha256_digest(d)}]), [d])
    rejected(token, "sd_jwt.disclosures", Code.INVALID_DISCLOSURE)


def test_7_1_3_3_2_3_claim_name_collides_with_a_plain_claim() -> None:
    d = make_disclosure("s1", "given_name", "Eve")
    token = craft(ISSUER.pair, _digest_payload(given_name="Ada", _sd=[sha256_digest(d)]), [d])
    rejected(token, "sd_jwt.disclosures", Code.INVALID_DISCLOSURE)


def test_7_1_3_3_2_3_two_disclosures_of_one_name() -> None:
    d1, d2 = make_disclosure("s1", "n", 1), make_disclosure("s2", "n", 2)
    token = craft(
        ISSUER.pair, _digest_payload(_sd=[sha256_digest(d1), sha256_digest(d2)]), [d1, d2]
    )
    rejected(token, "sd_jwt.disclosures", Code.INVALID_DISCLOSURE)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"_sd": "abc"}, id="_sd not an array"),
        pytest.param({"_sd": [1]}, id="_sd holds a number"),
        pytest.param({"list": [{"...": "abc", "x": 1}]}, id="... with company"),
        pytest.param({"list": [{"...": 5}]}, id="... not a string"),
        pytest.param({"obj": {"...": "abc"}}, id="... as a member"),
    ],
)
def test_4_2_4_misused_digest_containers(payload: dict[str, Any]) -> None:
    token = craft(ISSUER.pair, _digest_payload(**payload))
    rejected(token, "sd_jwt.disclosures", Code.MALFORMED_VALUE_ERROR)


def test_4_2_5_decoys_and_undisclosed_digests_are_ignored() -> None:
    payload = _digest_payload(
        _sd=[sha256_digest("decoy-1")], list=["a", {"...": sha256_digest("decoy-2")}, "b"]
    )
    result, processed = verify(craft(ISSUER.pair, payload), now=NOW)
    assert result.ok
    assert processed == {"iss": ISSUER.did, "list": ["a", "b"]}


def test_7_1_3_5_empty_objects_stay() -> None:
    payload = _digest_payload(obj={"_sd": [sha256_digest("decoy")]})
    result, processed = verify(craft(ISSUER.pair, payload), now=NOW)
    assert result.ok
    assert processed == {"iss": ISSUER.did, "obj": {}}


# --- §7.1 step 6: time claims -------------------------------------------------------------


def _timed(**claims: Any) -> str:
    return craft(ISSUER.pair, _digest_payload(**claims))


def test_7_1_6_expired() -> None:
    exp = int(NOW.timestamp()) - 60
    rejected(_timed(exp=exp), "sd_jwt.validity", Code.CREDENTIAL_EXPIRED)
    result, _ = verify(_timed(exp=exp), now=NOW, leeway=timedelta(seconds=61))
    assert result.ok


def test_7_1_6_not_yet_valid() -> None:
    nbf = int(NOW.timestamp()) + 60
    rejected(_timed(nbf=nbf), "sd_jwt.validity", Code.CREDENTIAL_NOT_YET_VALID)
    rejected(_timed(iat=nbf), "sd_jwt.validity", Code.CREDENTIAL_NOT_YET_VALID)
    result, _ = verify(_timed(nbf=nbf), now=NOW, leeway=timedelta(seconds=61))
    assert result.ok


@pytest.mark.parametrize("value", ["2030-01-01", True, None, [1]])
def test_7_1_6_time_claims_must_be_numeric_dates(value: Any) -> None:
    rejected(_timed(exp=value), "sd_jwt.validity", Code.MALFORMED_VALUE_ERROR)


def test_9_7_a_disclosed_exp_is_still_checked() -> None:
    exp = make_disclosure("s1", "exp", int(NOW.timestamp()) - 60)
    token = craft(ISSUER.pair, _digest_payload(_sd=[sha256_digest(exp)]), [exp])
    rejected(token, "sd_jwt.validity", Code.CREDENTIAL_EXPIRED)


def test_7_1_6_no_time_claims_is_a_skipped_check() -> None:
    result, payload = verify(_timed(), now=NOW)
    assert result.ok
    assert payload == {"iss": ISSUER.did}
    assert outcome(result, "sd_jwt.validity") is Outcome.SKIPPED
