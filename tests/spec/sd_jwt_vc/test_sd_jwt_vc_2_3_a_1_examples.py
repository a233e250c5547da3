"""SD-JWT VC draft-18 §2.3 (Example) and Appendix A.1 (PID credential), and RFC 9901 A.3:
each example verifies as an SD-JWT VC, the processed payloads equal Figures 9, 11 and 28,
issuance from the examples' salts reproduces them, and the holder reproduces the
presentations (same disclosures, same order, same ``sd_hash``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    HOLDER_PAIR,
    ISSUER_KEY,
    ISSUER_PAIR,
    RFC,
    VC,
    VC_TEXT,
    disclosure_pointers,
    jwt_header,
    jwt_payload,
    printed_processed_payloads,
    reorder_like_issuance,
    salts_of,
    split,
)
from staffvc.keys import PublicKey
from staffvc.proofs.jose.sd_jwt import KeyBinding, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import SdJwtVcKind, issue_sd_jwt_vc, verify_sd_jwt_vc
from staffvc.results import CheckRecorder, Stage, Verdict, VerificationResult

EXAMPLES: list[dict[str, Any]] = VC["examples"]
PRINTED = printed_processed_payloads(VC_TEXT)
PROCESSED_FOR = {1: 0, 2: 1, 4: 2}  # Figure 9, Figure 11, Figure 28
PRESENTED_FROM = {1: 0, 4: 3}
ISSUED = [0, 3]


def _key(header: Any, payload: Any, /) -> PublicKey:
    return ISSUER_KEY


def verify_example(example: dict[str, Any], **options: Any) -> tuple[VerificationResult, Any]:
    kb = example.get("kbJwtPayload")
    recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF])
    at = datetime.fromtimestamp(kb["iat"], UTC) if kb else datetime(2026, 1, 1, tzinfo=UTC)
    result = verify_sd_jwt_vc(
        example["serialization"],
        recorder,
        resolve_issuer_key=_key,
        now=at,
        leeway=timedelta(seconds=30),
        expected_nonce=kb["nonce"] if kb else None,
        expected_audience=kb["aud"] if kb else None,
        require_key_binding=kb is not None,
        expected_vct=example["issuerJwtPayload"]["vct"],
        **options,
    )
    return recorder.result(), result


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=lambda i: EXAMPLES[i]["section"])
def test_every_example_verifies_as_an_sd_jwt_vc(index: int) -> None:
    result, found = verify_example(EXAMPLES[index])
    assert result.verdict is Verdict.VALID, result.explain()
    assert found.kind is SdJwtVcKind.SD_JWT_VC
    assert found.vct == EXAMPLES[index]["issuerJwtPayload"]["vct"]
    assert [c.name for c in result.checks if c.name.startswith("sd_jwt_vc.")] == [
        "sd_jwt_vc.kind",
        "sd_jwt_vc.vct",
        "sd_jwt_vc.claims",
        "sd_jwt_vc.expected_vct",
    ]


@pytest.mark.parametrize("index", sorted(PROCESSED_FOR), ids=lambda i: EXAMPLES[i]["section"])
def test_processed_payload_is_the_figure(index: int) -> None:
    _, found = verify_example(EXAMPLES[index])
    assert found.payload == PRINTED[PROCESSED_FOR[index]]


@pytest.mark.parametrize("index", [5, 6], ids=["issued", "presented"])
def test_rfc9901_a_3_is_an_sd_jwt_vc(index: int) -> None:
    result, found = verify_example(RFC["examples"][index])
    assert result.ok, result.explain()
    assert found.kind is SdJwtVcKind.SD_JWT_VC
    assert found.vct == "urn:eudi:pid:de:1"


@pytest.mark.parametrize("index", ISSUED, ids=lambda i: EXAMPLES[i]["section"])
def test_issuance_from_the_examples_salts(index: int) -> None:
    example = EXAMPLES[index]
    _, disclosures, _ = split(example["serialization"])
    _, found = verify_example(example)
    rank = disclosure_pointers(example["serialization"])
    claims = {k: v for k, v in found.payload.items() if k not in ("cnf", "vct")}
    kid = example["issuerJwtHeader"].get("kid")
    token = issue_sd_jwt_vc(
        reorder_like_issuance(claims, "", rank),
        signer=ISSUER_PAIR,
        vct=found.vct,
        disclosable=list(rank),
        random_bytes=salts_of(disclosures),
        holder_key=PublicKey.from_jwk(found.payload["cnf"]["jwk"]),
        extra_header={"kid": kid} if kid else None,
    )
    jwt, new_disclosures, _ = split(token)
    assert new_disclosures == disclosures
    assert jwt_payload(jwt) == example["issuerJwtPayload"]
    assert jwt_header(jwt) == example["issuerJwtHeader"]
    result, again = verify_example({**example, "serialization": token})
    assert result.ok
    assert again.payload == found.payload


@pytest.mark.parametrize("index", sorted(PRESENTED_FROM), ids=lambda i: EXAMPLES[i]["section"])
def test_holder_reproduces_the_presentation(index: int) -> None:
    shown, issued = EXAMPLES[index], EXAMPLES[PRESENTED_FROM[index]]
    _, issued_disclosures, _ = split(issued["serialization"])
    where = {
        issued_disclosures[i]: p for p, i in disclosure_pointers(issued["serialization"]).items()
    }
    pointers = [where[d] for d in split(shown["serialization"])[1]]
    leaves = [p for p in pointers if not any(q.startswith(p + "/") for q in pointers)]
    kb = shown["kbJwtPayload"]
    token = present_sd_jwt(
        issued["serialization"],
        disclose=leaves,
        key_binding=KeyBinding(
            signer=HOLDER_PAIR,
            nonce=kb["nonce"],
            audience=kb["aud"],
            issued_at=datetime.fromtimestamp(kb["iat"], UTC),
        ),
    )
    assert token.rsplit("~", 1)[0] == shown["serialization"].rsplit("~", 1)[0]
    assert jwt_payload(token.rsplit("~", 1)[1]) == kb
    result, found = verify_example({**shown, "serialization": token})
    assert result.ok
    assert found.payload == PRINTED[PROCESSED_FOR[index]]
