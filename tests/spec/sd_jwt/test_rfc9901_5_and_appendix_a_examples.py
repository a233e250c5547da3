"""RFC 9901 §5 (Example SD-JWT) and Appendix A (A.1 to A.4): every serialized example of
draft-22 verifies, the Processed SD-JWT Payload equals the one the draft prints, issuance
re-done from the examples' salts reproduces the payload and disclosures byte for byte (the
ES256 signature differs, so it is re-signed and verified), and the holder reproduces each
presentation, disclosures in the same order and the KB-JWT's ``sd_hash``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    HOLDER_PAIR,
    ISSUER_KEY,
    ISSUER_PAIR,
    RFC,
    RFC_TEXT,
    disclosure_pointers,
    jwt_header,
    jwt_payload,
    printed_processed_payloads,
    reorder_like_issuance,
    salts_of,
    split,
    verify,
)
from staffvc.keys import PublicKey
from staffvc.proofs.jose.sd_jwt import KeyBinding, issue_sd_jwt, present_sd_jwt
from staffvc.results import Code, Verdict

EXAMPLES: list[dict[str, Any]] = RFC["examples"]
PRINTED = printed_processed_payloads(RFC_TEXT)
# example index -> index of the Processed SD-JWT Payload the draft prints for it
PROCESSED_FOR = {2: 0, 3: 1, 4: 2, 6: 3, 8: 4}
# issued SD-JWT (all disclosures) -> presentation made from it
PRESENTED_FROM = {2: 1, 6: 5, 8: 7}
ISSUED = [1, 5, 7]


def _fixed_key(header: Any, payload: Any, /) -> PublicKey:
    return ISSUER_KEY


def _verify_example(example: dict[str, Any]) -> tuple[Any, Any]:
    kb = example.get("kbJwtPayload")
    at = datetime.fromtimestamp(kb["iat"], UTC) if kb else datetime(2026, 1, 1, tzinfo=UTC)
    return verify(
        example["serialization"],
        resolve=_fixed_key,
        now=at + timedelta(seconds=5),
        nonce=RFC["kbNonce"] if kb else None,
        audience=RFC["kbAudience"] if kb else None,
        require_kb=kb is not None,
        typ=(example["issuerJwtHeader"]["typ"],),
    )


@pytest.mark.parametrize(
    "index", range(1, len(EXAMPLES)), ids=lambda i: f"{i}:{EXAMPLES[i]['section']}"
)
def test_every_serialized_example_verifies(index: int) -> None:
    result, payload = _verify_example(EXAMPLES[index])
    assert result.verdict is Verdict.VALID, result.explain()
    assert payload is not None
    for hidden in ("_sd", "_sd_alg", "..."):
        assert hidden not in str(list(_all_keys(payload)))


def _all_keys(value: Any) -> Any:
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _all_keys(child)
    elif isinstance(value, list):
        for child in value:
            yield from _all_keys(child)


@pytest.mark.parametrize("index", sorted(PROCESSED_FOR), ids=lambda i: EXAMPLES[i]["section"])
def test_processed_payload_is_the_one_the_draft_prints(index: int) -> None:
    result, payload = _verify_example(EXAMPLES[index])
    assert result.ok
    assert payload == PRINTED[PROCESSED_FOR[index]]


def test_5_1_the_issuer_signed_jwt_alone_is_not_an_sd_jwt() -> None:
    """§4: an SD-JWT ends with '~'; the bare issuer-signed JWT of §5.1 does not."""
    jwt = EXAMPLES[0]["serialization"]
    result, payload = verify(jwt, resolve=_fixed_key, typ=("example+sd-jwt",))
    assert payload is None
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.PARSING_ERROR]


def test_5_1_the_issuer_signed_jwt_without_disclosures_reveals_only_plain_claims() -> None:
    result, payload = verify(
        EXAMPLES[0]["serialization"] + "~", resolve=_fixed_key, typ=("example+sd-jwt",)
    )
    assert result.ok
    assert payload is not None
    assert set(payload) == {"iss", "iat", "exp", "sub", "nationalities", "cnf"}
    assert payload["nationalities"] == []


def test_5_1_undisclosed_array_elements_are_dropped() -> None:
    """§4.2.4.2 / §7.1 3.4: array digests without a disclosure disappear."""
    jwt, disclosures, _ = split(EXAMPLES[1]["serialization"])
    us = next(d for d in disclosures if d == EXAMPLES[1]["disclosures"][8]["disclosure"])
    result, payload = verify(f"{jwt}~{us}~", resolve=_fixed_key, typ=("example+sd-jwt",))
    assert result.ok
    assert payload is not None
    assert payload["nationalities"] == ["US"]


@pytest.mark.parametrize("index", ISSUED, ids=lambda i: EXAMPLES[i]["section"])
def test_issuance_from_the_examples_salts_reproduces_payload_and_disclosures(index: int) -> None:
    example = EXAMPLES[index]
    jwt, disclosures, _ = split(example["serialization"])
    everything = _verify_example(example)[1]
    rank = disclosure_pointers(example["serialization"])
    claims = {k: v for k, v in everything.items() if k != "cnf"}
    holder = PublicKey.from_jwk(everything["cnf"]["jwk"]) if "cnf" in everything else None
    token = issue_sd_jwt(
        reorder_like_issuance(claims, "", rank),
        signer=ISSUER_PAIR,
        disclosable=list(rank),
        random_bytes=salts_of(disclosures),
        typ=example["issuerJwtHeader"]["typ"],
        holder_key=holder,
    )
    new_jwt, new_disclosures, last = split(token)
    assert last == ""
    assert new_disclosures == disclosures
    assert jwt_payload(new_jwt) == example["issuerJwtPayload"]
    assert jwt_header(new_jwt) == example["issuerJwtHeader"]
    assert new_jwt != jwt  # ES256 signatures are randomised: re-signed, then verified
    result, payload = verify(token, resolve=_fixed_key, typ=(example["issuerJwtHeader"]["typ"],))
    assert result.ok
    assert payload == everything


@pytest.mark.parametrize("index", sorted(PRESENTED_FROM), ids=lambda i: EXAMPLES[i]["section"])
def test_holder_reproduces_the_presentation_and_its_sd_hash(index: int) -> None:
    shown = EXAMPLES[index]
    issued = EXAMPLES[PRESENTED_FROM[index]]
    where = {d: p for p, d in _pointer_of_disclosure(issued).items()}
    _, presented, kb_jwt = split(shown["serialization"])
    pointers = [where[d] for d in presented]
    leaves = [p for p in pointers if not any(q.startswith(p + "/") for q in pointers)]
    kb = shown["kbJwtPayload"]
    out = present_sd_jwt(
        issued["serialization"],
        disclose=leaves,
        key_binding=KeyBinding(
            signer=HOLDER_PAIR,
            nonce=kb["nonce"],
            audience=kb["aud"],
            issued_at=datetime.fromtimestamp(kb["iat"], UTC),
        ),
    )
    assert out.rsplit("~", 1)[0] == shown["serialization"].rsplit("~", 1)[0]
    mine = out.rsplit("~", 1)[1]
    assert jwt_payload(mine) == kb
    assert jwt_header(mine) == shown["kbJwtHeader"]
    assert mine != kb_jwt
    result, payload = verify(
        out,
        resolve=_fixed_key,
        now=datetime.fromtimestamp(kb["iat"], UTC),
        nonce=kb["nonce"],
        audience=kb["aud"],
        require_kb=True,
        typ=(shown["issuerJwtHeader"]["typ"],),
    )
    assert result.ok
    assert payload == PRINTED[PROCESSED_FOR[index]]


def _pointer_of_disclosure(example: dict[str, Any]) -> dict[str, str]:
    _, disclosures, _ = split(example["serialization"])
    return {p: disclosures[i] for p, i in disclosure_pointers(example["serialization"]).items()}
