"""RFC 9901 §4.1 (Issuer-signed JWT), §4.2.4 to §4.2.6 (digests, decoys, recursion) and
§9.7 (validity claims stay plain), from the issuer's side: what :func:`issue_sd_jwt` makes,
and what it refuses to make."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    CountingRandom,
    b64json,
    did_party,
    jwt_header,
    jwt_payload,
    split,
    verify,
)
from staffvc.errors import StaffVCError
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose.sd_jwt import issue_sd_jwt

ISSUER = did_party()
HOLDER = KeyPair.generate(KeyType.ED25519)
CLAIMS: dict[str, Any] = {
    "iss": ISSUER.did,
    "exp": 1_900_000_000,
    "aud": ["https://a.example", "https://b.example"],
    "given_name": "Ada",
    "address": {"street": "1 Main St", "region": "Anyshire"},
    "roles": ["nurse", "midwife"],
    "a/b": 1,
    "c~d": 2,
}
DIGEST = re.compile(r"[A-Za-z0-9_-]{43}")


def issue(claims: Any = None, **options: Any) -> str:
    settings: dict[str, Any] = {
        "signer": ISSUER.pair,
        "disclosable": ["/given_name"],
        "random_bytes": CountingRandom("issue"),
        "typ": "example+sd-jwt",
        "holder_key": None,
    }
    settings.update(options)
    return issue_sd_jwt(CLAIMS if claims is None else claims, **settings)


def refused(code: str, claims: Any = None, **options: Any) -> None:
    with pytest.raises(StaffVCError) as caught:
        issue(claims, **options)
    assert caught.value.code == code


def test_4_the_issued_form() -> None:
    token = issue(disclosable=["/given_name", "/roles/1"], holder_key=HOLDER.public_key)
    jwt, disclosures, last = split(token)
    assert last == ""
    assert token.endswith("~")
    assert jwt_header(jwt) == {"alg": "EdDSA", "typ": "example+sd-jwt", "kid": ISSUER.pair.key_id}
    payload = jwt_payload(jwt)
    assert payload["_sd_alg"] == "sha-256"
    assert payload["cnf"] == {"jwk": HOLDER.public_key.to_jwk()}
    assert "given_name" not in payload
    assert payload["roles"][0] == "nurse"
    assert list(payload["roles"][1]) == ["..."]
    assert [b64json(d)[1:] for d in disclosures] == [["given_name", "Ada"], ["midwife"]]
    result, processed = verify(token)
    assert result.ok
    assert processed == {**CLAIMS, "cnf": {"jwk": HOLDER.public_key.to_jwk()}}


def test_4_nothing_disclosable_is_an_sd_jwt_without_disclosures() -> None:
    token = issue(disclosable=[])
    jwt, disclosures, last = split(token)
    assert (disclosures, last) == ([], "")
    assert "_sd" not in jwt_payload(jwt)
    assert verify(token)[1] == CLAIMS


def test_4_2_4_1_sd_arrays_are_sorted() -> None:
    token = issue(disclosable=["/given_name", "/a~1b", "/c~0d"])
    digests = jwt_payload(split(token)[0])["_sd"]
    assert digests == sorted(digests)
    assert len(digests) == 3
    assert all(DIGEST.fullmatch(d) for d in digests)


def test_6_1_pointers_escape_slash_and_tilde() -> None:
    token = issue(disclosable=["/a~1b", "/c~0d"])
    names = sorted(b64json(d)[1] for d in split(token)[1])
    assert names == ["a/b", "c~d"]


def test_4_2_6_recursive_disclosure() -> None:
    token = issue(disclosable=["/address", "/address/region"])
    _, disclosures, _ = split(token)
    region, address = (b64json(d) for d in disclosures)
    assert region[1:] == ["region", "Anyshire"]
    assert address[1] == "address"
    assert address[2]["street"] == "1 Main St"
    assert len(address[2]["_sd"]) == 1
    assert verify(token)[1] == CLAIMS


def test_4_2_5_decoys_per_object_with_disclosable_members() -> None:
    token = issue(disclosable=["/given_name", "/address/region"], decoys=3)
    payload = jwt_payload(split(token)[0])
    assert len(payload["_sd"]) == 4
    assert len(payload["address"]["_sd"]) == 4
    assert all(DIGEST.fullmatch(d) for d in payload["_sd"] + payload["address"]["_sd"])
    assert len(split(token)[1]) == 2
    assert verify(token)[1] == CLAIMS


def test_4_2_5_decoys_where_asked() -> None:
    token = issue(disclosable=["/roles/0"], decoys={"": 2, "/roles": 3, "/address": 1})
    payload = jwt_payload(split(token)[0])
    assert len(payload["_sd"]) == 2
    assert len(payload["address"]["_sd"]) == 1
    assert len(payload["roles"]) == 5
    assert sum(1 for r in payload["roles"] if isinstance(r, dict)) == 4
    assert [r for r in payload["roles"] if isinstance(r, str)] == ["midwife"]
    assert verify(token)[1] == CLAIMS


def test_4_2_5_decoys_come_from_random_bytes_only() -> None:
    first = issue(disclosable=["/given_name"], decoys=2, random_bytes=CountingRandom("x"))
    again = issue(disclosable=["/given_name"], decoys=2, random_bytes=CountingRandom("x"))
    other = issue(disclosable=["/given_name"], decoys=2, random_bytes=CountingRandom("y"))
    assert jwt_payload(split(first)[0]) == jwt_payload(split(again)[0])
    assert jwt_payload(split(first)[0])["_sd"] != jwt_payload(split(other)[0])["_sd"]


def test_9_7_individual_aud_entries_may_be_disclosable() -> None:
    token = issue(disclosable=["/aud/1"])
    assert verify(token)[1] == CLAIMS


def test_the_claims_given_are_not_changed() -> None:
    claims = copy.deepcopy(CLAIMS)
    issue(claims, disclosable=["/address", "/address/region", "/roles/0"], decoys=1)
    assert claims == CLAIMS


def test_extra_header_members() -> None:
    token = issue(extra_header={"kid": ISSUER.pair.key_id, "x-trace": "1"})
    assert jwt_header(split(token)[0])["x-trace"] == "1"


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "x", "_sd": []},
        {"iss": "x", "...": 1},
        {"iss": "x", "_sd_alg": "sha-256"},
        {"iss": "x", "nested": {"deeper": {"_sd": ["a"]}}},
        {"iss": "x", "list": [{"...": "a"}]},
    ],
)
def test_4_1_7_reserved_claim_names(claims: dict[str, Any]) -> None:
    refused("RESERVED_CLAIM_NAME", claims, disclosable=[])


def test_4_1_2_cnf_and_holder_key_together() -> None:
    claims = {**CLAIMS, "cnf": {"jwk": HOLDER.public_key.to_jwk()}}
    refused("RESERVED_CLAIM_NAME", claims, holder_key=HOLDER.public_key)


@pytest.mark.parametrize("pointer", ["/iss", "/exp", "/aud", "/cnf", "/cnf/jwk", "/nbf"])
def test_9_7_validity_claims_stay_plain(pointer: str) -> None:
    claims = {**CLAIMS, "nbf": 1, "cnf": {"jwk": HOLDER.public_key.to_jwk()}}
    refused("INVALID_DISCLOSURE_SELECTION", claims, disclosable=[pointer])


@pytest.mark.parametrize(
    "pointer",
    ["given_name", "", "/", "/nope", "/roles/2", "/roles/01", "/roles/-", "/roles/x", "/a~2b",
     "/given_name/0", "/roles/¹"],
)  # fmt: skip
def test_pointers_that_name_no_claim(pointer: str) -> None:
    refused("INVALID_DISCLOSURE_SELECTION", disclosable=[pointer])


def test_disclosable_is_a_collection_not_a_string() -> None:
    refused("SD_JWT_ERROR", disclosable="/given_name")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"typ": ""}, "SD_JWT_ERROR"),
        ({"extra_header": {"alg": "none"}}, "SD_JWT_ERROR"),
        ({"extra_header": {"typ": "JWT"}}, "SD_JWT_ERROR"),
        ({"extra_header": {"x5c": ["MII"]}}, "UNSUPPORTED_HEADER"),
        ({"hash_alg": "md5"}, "SD_JWT_ERROR"),
        ({"hash_alg": "sha-999"}, "SD_JWT_ERROR"),
        ({"decoys": -1}, "SD_JWT_ERROR"),
        ({"decoys": {"/given_name": 1}}, "INVALID_DISCLOSURE_SELECTION"),
        ({"decoys": {"/nope": 1}}, "INVALID_DISCLOSURE_SELECTION"),
        ({"decoys": {"/roles": -2}}, "SD_JWT_ERROR"),
        ({"random_bytes": lambda n: b"short"}, "SD_JWT_ERROR"),
        ({"random_bytes": lambda n: "x" * n}, "SD_JWT_ERROR"),
        ({"holder_key": KeyPair.generate(KeyType.X25519).public_key}, "SD_JWT_ERROR"),
    ],
)
def test_refused_options(options: dict[str, Any], code: str) -> None:
    refused(code, **options)


@pytest.mark.parametrize(
    "claims",
    [["not", "an", "object"], {"iss": "x", "v": float("nan")}, {"iss": "x", "v": {1, 2}}],
)
def test_claims_must_be_a_json_object(claims: Any) -> None:
    refused("SD_JWT_ERROR", claims, disclosable=[])


def test_a_non_json_disclosable_value() -> None:
    refused("SD_JWT_ERROR", {"iss": "x", "v": float("inf")}, disclosable=["/v"])
