"""RFC 9901 §4.2 Disclosures: the format, the digest (§4.2.3), the examples of §4.2.1 to
§4.2.3, and every disclosure of both vector files re-encoded from its salt."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    RFC,
    VC,
    b64json,
    did_party,
    jwt_payload,
    split,
    verify,
)
from staffvc.keys import b64url_encode
from staffvc.proofs.jose.jws import sign_compact
from staffvc.proofs.jose.sd_jwt import issue_sd_jwt
from staffvc.results import Code

ALL_DISCLOSURES: list[dict[str, Any]] = [
    d for data in (RFC, VC) for e in data["examples"] for d in e.get("disclosures", [])
]
# Disclosures whose value holds digests of others (recursive disclosures) are reproduced by
# the full-issuance round trips of test_rfc9901_5_and_appendix_a_examples.py instead.
LEAF_DISCLOSURES = [
    d for d in ALL_DISCLOSURES if '"_sd"' not in json.dumps(d) and '"..."' not in json.dumps(d)
]
# §4.2.1: the same claim ["_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius"], four encodings
MOEBIUS = [
    "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0",
    "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
    "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
    "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
]


def _sha256(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()


def _one_claim_token(name: str | None, value: Any, salt: bytes) -> str:
    issuer = did_party()
    claims: dict[str, Any] = {"iss": issuer.did}
    if name is None:
        claims["list"] = [value]
        pointer = "/list/0"
    else:
        claims[name] = value
        pointer = f"/{name}"
    return issue_sd_jwt(
        claims,
        signer=issuer.pair,
        disclosable=[pointer],
        random_bytes=lambda n: salt,
        typ="example+sd-jwt",
        holder_key=None,
    )


@pytest.mark.parametrize("entry", LEAF_DISCLOSURES, ids=lambda e: e["sha256"][:10])
def test_4_2_every_vector_disclosure_is_reproduced_from_its_salt(entry: dict[str, Any]) -> None:
    salt, *rest = entry["decoded"]
    name, value = (None, rest[0]) if len(rest) == 1 else rest
    token = _one_claim_token(name, value, base64.urlsafe_b64decode(salt + "=="))
    _, (disclosure,), _ = split(token)
    assert disclosure == entry["disclosure"]
    assert _sha256(disclosure) == entry["sha256"]


def test_4_2_most_vector_disclosures_are_leaves() -> None:
    assert len(ALL_DISCLOSURES) == 114
    assert len(LEAF_DISCLOSURES) >= 100


def test_4_2_2_array_element_disclosure_example() -> None:
    salt = base64.urlsafe_b64decode("lklxF5jMYlGTPUovMNIvCA" + "==")
    token = _one_claim_token(None, "FR", salt)
    jwt, (disclosure,), _ = split(token)
    assert disclosure == "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0"
    assert jwt_payload(jwt)["list"] == [{"...": _sha256(disclosure)}]


def test_4_2_3_digest_example() -> None:
    """The draft's digest of its §4.2.1 disclosure, signed as printed, matches: the digest
    is over the base64url text, not over the bytes it encodes."""
    issuer = did_party()
    payload = {"iss": issuer.did, "_sd": ["X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"]}
    jwt = sign_compact({"typ": "example+sd-jwt"}, json.dumps(payload).encode(), signer=issuer.pair)
    result, processed = verify(f"{jwt}~{MOEBIUS[0]}~")
    assert result.ok, result.explain()
    assert processed == {"iss": issuer.did, "family_name": "Möbius"}


@pytest.mark.parametrize("variant", MOEBIUS)
def test_4_2_1_every_encoding_variant_verifies_as_signed(variant: str) -> None:
    """No canonicalisation: whichever text the issuer hashed is the one that verifies."""
    issuer = did_party()
    payload = {"iss": issuer.did, "_sd": [_sha256(variant)], "_sd_alg": "sha-256"}
    jwt = sign_compact({"typ": "example+sd-jwt"}, json.dumps(payload).encode(), signer=issuer.pair)
    result, processed = verify(f"{jwt}~{variant}~")
    assert result.ok, result.explain()
    assert processed == {"iss": issuer.did, "family_name": "Möbius"}
    other = next(v for v in MOEBIUS if v != variant)
    result, processed = verify(f"{jwt}~{other}~")
    assert processed is None
    assert result.codes() == [Code.UNREFERENCED_DISCLOSURE]


def test_4_2_salts_are_128_bits_base64url() -> None:
    issuer = did_party()
    sizes: list[int] = []

    def random_bytes(n: int) -> bytes:
        sizes.append(n)
        return bytes(range(n))

    token = issue_sd_jwt(
        {"iss": issuer.did, "a": 1, "b": [1, 2]},
        signer=issuer.pair,
        disclosable=["/a", "/b/1"],
        random_bytes=random_bytes,
        typ="example+sd-jwt",
        holder_key=None,
    )
    _, disclosures, _ = split(token)
    assert sizes == [16, 16]
    assert [b64json(d)[0] for d in disclosures] == [b64url_encode(bytes(range(16)))] * 2
