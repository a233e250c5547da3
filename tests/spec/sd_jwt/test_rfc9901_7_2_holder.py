"""RFC 9901 §7.2 Processing by the Holder: which disclosures :func:`present_sd_jwt` keeps for
the claims named, in which order, and what it refuses (an SD-JWT+KB, a malformed SD-JWT,
pointers that name nothing, a key binding without ``cnf``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    CountingRandom,
    b64json,
    craft,
    did_party,
    make_disclosure,
    sha256_digest,
    split,
    verify,
)
from staffvc.errors import StaffVCError
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose.sd_jwt import KeyBinding, issue_sd_jwt, present_sd_jwt

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
ISSUER = did_party()
HOLDER = KeyPair.generate(KeyType.ED25519)
CLAIMS: dict[str, Any] = {
    "iss": ISSUER.did,
    "given_name": "Ada",
    "family_name": "Lovelace",
    "address": {"street": "1 Main St", "region": "Anyshire", "country": "GB"},
    "roles": ["nurse", "midwife", "lead"],
}
ISSUED = issue_sd_jwt(
    CLAIMS,
    signer=ISSUER.pair,
    disclosable=[
        "/given_name",
        "/family_name",
        "/address",
        "/address/region",
        "/address/country",
        "/roles/0",
        "/roles/2",
    ],
    random_bytes=CountingRandom("holder"),
    typ="example+sd-jwt",
    holder_key=HOLDER.public_key,
    decoys={"": 2, "/roles": 2},
)
KB = KeyBinding(signer=HOLDER, nonce="n", audience="https://v.example", issued_at=NOW)


def shown(disclose: list[str]) -> dict[str, Any]:
    """The processed payload of a presentation of ``disclose`` (cnf and iss left out)."""
    token = present_sd_jwt(ISSUED, disclose=disclose, key_binding=None)
    result, payload = verify(token, now=NOW)
    assert result.ok, result.explain()
    return {k: v for k, v in payload.items() if k not in ("iss", "cnf")}


def names(token: str) -> list[Any]:
    return [b64json(d)[1] if len(b64json(d)) == 3 else b64json(d)[1:] for d in split(token)[1]]


@pytest.mark.parametrize(
    ("disclose", "expected"),
    [
        ([], {"roles": ["midwife"]}),
        (["/given_name"], {"given_name": "Ada", "roles": ["midwife"]}),
        (["/address/region"], {"address": {"street": "1 Main St", "region": "Anyshire"},
                               "roles": ["midwife"]}),
        (["/address"], {"address": CLAIMS["address"], "roles": ["midwife"]}),
        (["/address/street"], {"address": {"street": "1 Main St"}, "roles": ["midwife"]}),
        (["/roles/2"], {"roles": ["midwife", "lead"]}),
        (["/roles"], {"roles": CLAIMS["roles"]}),
        (["/roles/1"], {"roles": ["midwife"]}),
        (["/iss"], {"roles": ["midwife"]}),
    ],
)  # fmt: skip
def test_7_2_naming_a_claim_reveals_it_whole_and_what_it_sits_in(
    disclose: list[str], expected: dict[str, Any]
) -> None:
    assert shown(disclose) == expected


def test_7_2_array_indices_are_the_issued_ones_despite_decoys() -> None:
    assert shown(["/roles/0"]) == {"roles": ["nurse", "midwife"]}


def test_7_2_2_disclosures_keep_the_payload_s_order_and_appear_once() -> None:
    one = present_sd_jwt(
        ISSUED,
        disclose=["/roles/2", "/given_name", "/address", "/address/region"],
        key_binding=None,
    )
    two = present_sd_jwt(
        ISSUED,
        disclose=["/given_name", "/address/region", "/roles/2", "/address"],
        key_binding=None,
    )
    assert one == two
    assert len(split(one)[1]) == len(set(split(one)[1])) == 5


def test_7_2_everything() -> None:
    pointers = ["/given_name", "/family_name", "/address", "/roles"]
    token = present_sd_jwt(ISSUED, disclose=pointers, key_binding=None)
    assert sorted(split(token)[1]) == sorted(split(ISSUED)[1])
    assert shown(pointers) == {k: v for k, v in CLAIMS.items() if k != "iss"}


def test_7_2_5_key_binding_appended() -> None:
    token = present_sd_jwt(ISSUED, disclose=["/given_name"], key_binding=KB)
    assert not token.endswith("~")
    result, payload = verify(
        token, now=NOW, nonce="n", audience="https://v.example", require_kb=True
    )
    assert result.ok
    assert payload["given_name"] == "Ada"


# --- refusals -----------------------------------------------------------------------------


def refused(code: str, token: str = ISSUED, **options: Any) -> None:
    settings: dict[str, Any] = {"disclose": ["/given_name"], "key_binding": None}
    settings.update(options)
    with pytest.raises(StaffVCError) as caught:
        present_sd_jwt(token, **settings)
    assert caught.value.code == code


def test_7_2_an_sd_jwt_kb_is_not_an_issued_sd_jwt() -> None:
    bound = present_sd_jwt(ISSUED, disclose=[], key_binding=KB)
    refused("INVALID_SD_JWT", bound)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(split(ISSUED)[0], id="no tilde"),
        pytest.param("x.y.z~", id="not a JWT"),
        pytest.param(ISSUED + "%%%~", id="bad disclosure"),
        pytest.param(ISSUED + split(ISSUED)[1][0] + "~", id="disclosure twice"),
        pytest.param(ISSUED + make_disclosure("s", "stray", 1) + "~", id="unreferenced"),
        pytest.param("é" + ISSUED, id="not ASCII"),
    ],
)
def test_7_1_malformed_sd_jwts_are_refused(token: str) -> None:
    refused("INVALID_SD_JWT", token)


def test_7_1_unknown_sd_alg_is_refused() -> None:
    token = craft(ISSUER.pair, {"iss": ISSUER.did, "_sd_alg": "sha-999"})
    refused("SD_JWT_ERROR", token, disclose=[])
    token = craft(ISSUER.pair, {"iss": ISSUER.did, "_sd_alg": 5})
    refused("INVALID_SD_JWT", token, disclose=[])


@pytest.mark.parametrize("pointer", ["/nope", "/roles/3", "/roles/01", "given_name", "/a~9"])
def test_7_2_1_pointers_that_name_nothing(pointer: str) -> None:
    refused("INVALID_DISCLOSURE_SELECTION", disclose=[pointer])


def test_7_2_disclose_is_a_collection_not_a_string() -> None:
    refused("SD_JWT_ERROR", disclose="/given_name")


def test_7_2_5_key_binding_needs_cnf() -> None:
    d = make_disclosure("s", "given_name", "Ada")
    token = craft(ISSUER.pair, {"iss": ISSUER.did, "_sd": [sha256_digest(d)]}, [d])
    refused("SD_JWT_ERROR", token, key_binding=KB)


@pytest.mark.parametrize(
    "options",
    [
        {"nonce": ""},
        {"audience": ""},
        {"issued_at": datetime(2026, 1, 15, 9, 30)},
    ],
)
def test_4_3_key_binding_values(options: dict[str, Any]) -> None:
    settings: dict[str, Any] = {
        "signer": HOLDER,
        "nonce": "n",
        "audience": "https://v.example",
        "issued_at": NOW,
    }
    settings.update(options)
    with pytest.raises(StaffVCError) as caught:
        KeyBinding(**settings)
    assert caught.value.code == "SD_JWT_ERROR"


def test_7_2_3_top_level_claims_come_before_array_elements() -> None:
    token = present_sd_jwt(ISSUED, disclose=["/given_name", "/roles/0"], key_binding=None)
    assert names(token) == ["given_name", ["nurse"]]
