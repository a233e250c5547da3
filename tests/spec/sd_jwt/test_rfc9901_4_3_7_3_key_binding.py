"""RFC 9901 §4.3 Key Binding JWT and §7.3 Verification by the Verifier: the KB-JWT a holder
makes, and every way a verifier that requires key binding refuses a bad one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    CountingRandom,
    craft,
    did_party,
    failed,
    jwt_header,
    jwt_payload,
    outcome,
    sha256_digest,
    split,
    verify,
)
from staffvc.keys import KeyPair, KeyType, b64url_encode
from staffvc.proofs.jose.jws import sign_compact
from staffvc.proofs.jose.sd_jwt import KeyBinding, issue_sd_jwt, present_sd_jwt
from staffvc.results import Code, Outcome, Verdict

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
NONCE, AUD = "n-0S6_WzA2Mj", "https://verifier.example.org"
ISSUER = did_party()
HOLDER = KeyPair.generate(KeyType.ED25519)
CLAIMS: dict[str, Any] = {"iss": ISSUER.did, "given_name": "Ada", "roles": ["a", "b"]}
ISSUED = issue_sd_jwt(
    CLAIMS,
    signer=ISSUER.pair,
    disclosable=["/given_name", "/roles/0", "/roles/1"],
    random_bytes=CountingRandom("kb"),
    typ="example+sd-jwt",
    holder_key=HOLDER.public_key,
)


def bind(
    disclose: list[str] | None = None,
    *,
    signer: Any = HOLDER,
    nonce: str = NONCE,
    audience: str = AUD,
    at: datetime = NOW,
    token: str = ISSUED,
) -> str:
    return present_sd_jwt(
        token,
        disclose=["/given_name"] if disclose is None else disclose,
        key_binding=KeyBinding(signer=signer, nonce=nonce, audience=audience, issued_at=at),
    )


def check(token: str, **options: Any) -> tuple[Any, Any]:
    settings: dict[str, Any] = {"now": NOW, "nonce": NONCE, "audience": AUD, "require_kb": True}
    settings.update(options)
    return verify(token, **settings)


def rejected(token: str, name: str, code: Code, **options: Any) -> None:
    result, payload = check(token, **options)
    assert payload is None
    assert result.verdict is Verdict.INVALID, result.explain()
    assert failed(result).get(name) == code, result.explain()


def hand_made_kb(presented: str, claims: dict[str, Any], header: dict[str, Any] | None = None,
                 signer: KeyPair = HOLDER) -> str:  # fmt: skip
    """A KB-JWT with exactly ``claims`` (and ``header``), appended to ``presented``."""
    body = json.dumps(claims).encode()
    return presented + sign_compact({"typ": "kb+jwt", **(header or {})}, body, signer=signer)


def good_claims(presented: str, **changes: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "nonce": NONCE,
        "aud": AUD,
        "iat": int(NOW.timestamp()),
        "sd_hash": sha256_digest(presented),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


PRESENTED = split(bind())[0] + "~" + "~".join(split(bind())[1]) + "~"


def test_4_3_the_holder_s_kb_jwt() -> None:
    token = bind()
    kb = split(token)[2]
    assert jwt_header(kb) == {"alg": "EdDSA", "typ": "kb+jwt"}
    assert jwt_payload(kb) == {
        "nonce": NONCE,
        "aud": AUD,
        "iat": int(NOW.timestamp()),
        "sd_hash": sha256_digest(token[: token.rindex("~") + 1]),
    }
    result, payload = check(token)
    assert result.verdict is Verdict.VALID, result.explain()
    assert payload == {
        "iss": ISSUER.did,
        "given_name": "Ada",
        "roles": [],
        "cnf": {"jwk": HOLDER.public_key.to_jwk()},
    }
    assert [c.name for c in result.checks if c.name.startswith("sd_jwt.kb")] == [
        "sd_jwt.kb.cnf",
        "sd_jwt.kb.jwt",
        "sd_jwt.kb.signature",
        "sd_jwt.kb.typ",
        "sd_jwt.kb.iat",
        "sd_jwt.kb.nonce",
        "sd_jwt.kb.aud",
        "sd_jwt.kb.sd_hash",
    ]


def test_4_3_p256_holder_key() -> None:
    holder = KeyPair.generate(KeyType.P256)
    issued = issue_sd_jwt(
        CLAIMS,
        signer=ISSUER.pair,
        disclosable=["/given_name"],
        random_bytes=CountingRandom("p256"),
        typ="example+sd-jwt",
        holder_key=holder.public_key,
    )
    token = bind(signer=holder, token=issued)
    assert jwt_header(split(token)[2])["alg"] == "ES256"
    result, _ = check(token)
    assert result.ok, result.explain()


def test_7_3_2_required_but_missing() -> None:
    plain = present_sd_jwt(ISSUED, disclose=["/given_name"], key_binding=None)
    rejected(plain, "sd_jwt.kb.present", Code.HOLDER_BINDING_ERROR)


def test_7_3_1_not_required_and_absent_is_fine() -> None:
    plain = present_sd_jwt(ISSUED, disclose=[], key_binding=None)
    result, payload = check(plain, require_kb=False)
    assert result.ok
    assert payload is not None
    assert "given_name" not in payload


def test_7_3_1_present_but_not_required_is_still_checked() -> None:
    result, _ = check(bind(), require_kb=False, nonce=None, audience=None)
    assert result.ok
    assert outcome(result, "sd_jwt.kb.signature") is Outcome.PASSED
    assert outcome(result, "sd_jwt.kb.nonce") is Outcome.SKIPPED
    bad = bind(signer=KeyPair.generate(KeyType.ED25519))
    result, payload = check(bad, require_kb=False, nonce=None, audience=None)
    assert payload is None
    assert failed(result) == {"sd_jwt.kb.signature": Code.CRYPTOGRAPHIC_SECURITY_ERROR}


def test_7_3_5_1_no_cnf_in_the_sd_jwt() -> None:
    issued = issue_sd_jwt(
        CLAIMS,
        signer=ISSUER.pair,
        disclosable=["/given_name"],
        random_bytes=CountingRandom("nocnf"),
        typ="example+sd-jwt",
        holder_key=None,
    )
    presented = present_sd_jwt(issued, disclose=["/given_name"], key_binding=None)
    token = hand_made_kb(presented, good_claims(presented))
    rejected(token, "sd_jwt.kb.cnf", Code.HOLDER_BINDING_ERROR)


@pytest.mark.parametrize(
    ("cnf", "outcome_", "code"),
    [
        ({"jkt": "abc"}, Outcome.ERROR, Code.HOLDER_BINDING_ERROR),
        ("did:key:z6Mk", Outcome.FAILED, Code.HOLDER_BINDING_ERROR),
        ({"jwk": "x"}, Outcome.FAILED, Code.HOLDER_BINDING_ERROR),
        ({"jwk": HOLDER.private_jwk()}, Outcome.FAILED, Code.HOLDER_BINDING_ERROR),
        (
            {"jwk": {"kty": "RSA", "n": "AQAB", "e": "AQAB"}},
            Outcome.FAILED,
            Code.HOLDER_BINDING_ERROR,
        ),
    ],
)
def test_4_1_2_unusable_cnf(cnf: Any, outcome_: Outcome, code: Code) -> None:
    presented = craft(ISSUER.pair, {"iss": ISSUER.did, "cnf": cnf})
    result, payload = check(hand_made_kb(presented, good_claims(presented)))
    assert payload is None
    assert result.verdict is not Verdict.VALID
    assert outcome(result, "sd_jwt.kb.cnf") is outcome_
    assert failed(result)["sd_jwt.kb.cnf"] == code


def test_7_3_5_3_signed_by_another_key() -> None:
    rejected(
        bind(signer=KeyPair.generate(KeyType.ED25519)),
        "sd_jwt.kb.signature",
        Code.CRYPTOGRAPHIC_SECURITY_ERROR,
    )
    rejected(bind(signer=ISSUER.pair), "sd_jwt.kb.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)


def test_7_3_5_3_signature_stripped() -> None:
    token = bind()
    rejected(
        token[: token.rindex(".") + 1], "sd_jwt.kb.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR
    )


def test_7_3_5_2_alg_none() -> None:
    head = b64url_encode(b'{"alg":"none","typ":"kb+jwt"}')
    body = b64url_encode(json.dumps(good_claims(PRESENTED)).encode())
    rejected(f"{PRESENTED}{head}.{body}.", "sd_jwt.kb.jwt", Code.UNSUPPORTED_ALGORITHM)


def test_7_3_5_2_embedded_jwk_of_another_key() -> None:
    other = KeyPair.generate(KeyType.ED25519)
    token = hand_made_kb(
        PRESENTED, good_claims(PRESENTED), {"jwk": other.public_key.to_jwk()}, other
    )
    result, payload = check(token)
    assert payload is None
    assert result.verdict is Verdict.INVALID


def test_kb_jwt_not_a_jwt() -> None:
    rejected(PRESENTED + "not-a-jwt", "sd_jwt.kb.jwt", Code.PARSING_ERROR)


@pytest.mark.parametrize("typ", ["JWT", "kb+jwt+x", None])
def test_7_3_5_4_typ(typ: str | None) -> None:
    header = {"typ": typ} if typ is not None else {}
    body = json.dumps(good_claims(PRESENTED)).encode()
    token = PRESENTED + sign_compact(header, body, signer=HOLDER)
    rejected(token, "sd_jwt.kb.typ", Code.HOLDER_BINDING_ERROR)


def test_7_3_5_4_typ_with_media_type_prefix_is_accepted() -> None:
    token = hand_made_kb(PRESENTED, good_claims(PRESENTED), {"typ": "application/kb+jwt"})
    result, _ = check(token)
    assert result.ok, result.explain()


def test_7_3_5_5_stale_iat() -> None:
    rejected(bind(at=NOW - timedelta(minutes=6)), "sd_jwt.kb.iat", Code.HOLDER_BINDING_ERROR)
    result, _ = check(bind(at=NOW - timedelta(minutes=6)), kb_max_age=timedelta(minutes=10))
    assert result.ok
    result, _ = check(bind(at=NOW - timedelta(minutes=5, seconds=20)))
    assert result.ok  # within the 30 s leeway


def test_7_3_5_5_future_iat() -> None:
    rejected(bind(at=NOW + timedelta(minutes=1)), "sd_jwt.kb.iat", Code.HOLDER_BINDING_ERROR)
    result, _ = check(bind(at=NOW + timedelta(seconds=20)))
    assert result.ok


@pytest.mark.parametrize("iat", ["2026-01-15", True, None])
def test_7_3_5_5_iat_must_be_a_number(iat: Any) -> None:
    claims = good_claims(PRESENTED)
    claims["iat"] = iat
    rejected(hand_made_kb(PRESENTED, claims), "sd_jwt.kb.iat", Code.HOLDER_BINDING_ERROR)


def test_7_3_5_6_wrong_nonce() -> None:
    rejected(bind(nonce="replayed"), "sd_jwt.kb.nonce", Code.INVALID_CHALLENGE_ERROR)
    claims = good_claims(PRESENTED, nonce=None)
    rejected(hand_made_kb(PRESENTED, claims), "sd_jwt.kb.nonce", Code.INVALID_CHALLENGE_ERROR)
    claims = good_claims(PRESENTED, nonce=12345)
    rejected(hand_made_kb(PRESENTED, claims), "sd_jwt.kb.nonce", Code.INVALID_CHALLENGE_ERROR)


def test_7_3_5_6_wrong_audience() -> None:
    rejected(bind(audience="https://evil.example"), "sd_jwt.kb.aud", Code.INVALID_DOMAIN_ERROR)
    claims = good_claims(PRESENTED, aud=[AUD])
    rejected(hand_made_kb(PRESENTED, claims), "sd_jwt.kb.aud", Code.INVALID_DOMAIN_ERROR)


def test_7_3_5_6_required_without_expected_values_is_indeterminate() -> None:
    result, payload = check(bind(), nonce=None)
    assert payload is None
    assert result.verdict is Verdict.INDETERMINATE
    assert outcome(result, "sd_jwt.kb.nonce") is Outcome.ERROR
    result, _ = check(bind(), audience=None)
    assert result.verdict is Verdict.INDETERMINATE
    assert failed(result) == {"sd_jwt.kb.aud": Code.INVALID_DOMAIN_ERROR}


def test_7_3_5_7_sd_hash_over_other_disclosures() -> None:
    token = bind(["/given_name"])
    jwt, disclosures, kb = split(token)
    more = split(bind(["/given_name", "/roles"]))[1]
    added = "~".join([jwt, *more, kb])
    rejected(added, "sd_jwt.kb.sd_hash", Code.HOLDER_BINDING_ERROR)
    dropped = "~".join([jwt, kb])
    rejected(dropped, "sd_jwt.kb.sd_hash", Code.HOLDER_BINDING_ERROR)
    reordered = bind(["/roles"])
    jwt, disclosures, kb = split(reordered)
    swapped = "~".join([jwt, *reversed(disclosures), kb])
    rejected(swapped, "sd_jwt.kb.sd_hash", Code.HOLDER_BINDING_ERROR)


def test_7_3_5_7_sd_hash_missing_or_not_a_string() -> None:
    for value in (None, 42):
        claims = good_claims(PRESENTED, sd_hash=value)
        rejected(hand_made_kb(PRESENTED, claims), "sd_jwt.kb.sd_hash", Code.HOLDER_BINDING_ERROR)


def test_4_3_1_sd_hash_uses_sd_alg() -> None:
    issued = issue_sd_jwt(
        CLAIMS,
        signer=ISSUER.pair,
        disclosable=["/given_name"],
        random_bytes=CountingRandom("384"),
        typ="example+sd-jwt",
        holder_key=HOLDER.public_key,
        hash_alg="sha-384",
    )
    token = bind(token=issued)
    assert len(jwt_payload(split(token)[2])["sd_hash"]) == 64  # 48 bytes of SHA-384
    result, _ = check(token)
    assert result.ok


def test_7_3_1_required_stages_make_key_binding_a_must() -> None:
    """With HOLDER_BINDING required, a presentation without a KB-JWT is never VALID, even
    when the call itself did not ask for key binding."""
    from staffvc.proofs.jose.sd_jwt import sd_jwt_required_stages, verify_sd_jwt
    from staffvc.results import CheckRecorder, Stage

    assert sd_jwt_required_stages(key_binding=False) == (Stage.PARSE, Stage.PROOF)
    stages = sd_jwt_required_stages(key_binding=True)
    assert stages == (Stage.PARSE, Stage.PROOF, Stage.HOLDER_BINDING)
    plain = present_sd_jwt(ISSUED, disclose=["/given_name"], key_binding=None)
    for token, verdict in ((plain, Verdict.INDETERMINATE), (bind(), Verdict.VALID)):
        recorder = CheckRecorder(required=stages)
        verify_sd_jwt(
            token,
            recorder,
            resolve_issuer_key=lambda header, payload: ISSUER.public,
            now=NOW,
            leeway=timedelta(seconds=30),
            expected_nonce=NONCE,
            expected_audience=AUD,
            require_key_binding=False,
            expected_typ=("example+sd-jwt",),
        )
        assert recorder.result().verdict is verdict
