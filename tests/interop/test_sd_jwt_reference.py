"""Interop with the Python reference implementation ``sd-jwt`` 0.10.4 (the OAuth WG's
generator of the RFC 9901 examples, on jwcrypto), both ways.

staffvc → reference: staffvc issues an SD-JWT VC (nested and array disclosures, decoys),
presents it with a KB-JWT, and the reference verifier accepts it and extracts the same
payload. Reference → staffvc: the reference issues (``typ: vc+sd-jwt`` with ``vct``, as
0.10.4 and the wallets built on it do), its holder presents, with and without key binding,
and staffvc verifies it as an SD-JWT VC of the earlier drafts.

What the reference does differently (recorded, not bent to):
- its verifier checks KB-JWTs with ES256 only (``alg`` is fixed), so an Ed25519 holder key
  does not work with it; the tests use P-256 holders;
- it only knows ``_sd_alg: sha-256``;
- it accepts a disclosure no digest refers to (RFC 9901 §7.1 step 5 says reject; staffvc
  does), and does not check ``exp``/``nbf`` or the KB-JWT's ``iat``;
- its holder reads the clock (``time()``) for ``iat``; the tests fix it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jwcrypto.jwk import JWK
from jwcrypto.jws import InvalidJWSSignature
from sd_jwt import holder as reference_holder
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from spec.sd_jwt.sd_jwt_helpers import (
    DID_KEYS,
    CountingRandom,
    did_party,
    jwt_header,
    jwt_payload,
    make_disclosure,
    split,
)
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose.sd_jwt import KeyBinding, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import SdJwtVcKind, issue_sd_jwt_vc, verify_sd_jwt_vc
from staffvc.results import CheckRecorder, Stage, Verdict, VerificationResult

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
NONCE, AUD = "reference-nonce-1", "https://verifier.nhs.example"
VCT = "https://nhs.example/vct/staff-identity"
ISSUER = did_party(KeyType.ED25519)
HOLDER = KeyPair.generate(KeyType.P256)
CLAIMS: dict[str, Any] = {
    "iss": ISSUER.did,
    "iat": int(NOW.timestamp()) - 60,
    "exp": int(NOW.timestamp()) + 86400,
    "given_name": "Ada",
    "family_name": "Lovelace",
    "address": {"street_address": "1 Main St", "locality": "Leeds", "country": "GB"},
    "roles": ["nurse", "midwife", "lead"],
}


def jwcrypto_key(pair: KeyPair) -> JWK:
    return JWK(**pair.private_jwk())


def staffvc_verify(token: str, *, kb: bool) -> tuple[VerificationResult, Any]:
    recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF])
    found = verify_sd_jwt_vc(
        token,
        recorder,
        resolve_issuer_key=DID_KEYS,
        now=NOW,
        leeway=timedelta(seconds=30),
        expected_nonce=NONCE if kb else None,
        expected_audience=AUD if kb else None,
        require_key_binding=kb,
        expected_vct=VCT,
    )
    return recorder.result(), found


def reference_verify(token: str, *, kb: bool) -> Any:
    issuer_jwk = JWK(**ISSUER.public.to_jwk())
    seen: list[tuple[Any, Any]] = []

    def issuer_key(iss: Any, header: Any) -> JWK:
        seen.append((iss, header))
        return issuer_jwk

    verifier = SDJWTVerifier(
        token,
        issuer_key,
        expected_aud=AUD if kb else None,
        expected_nonce=NONCE if kb else None,
    )
    assert seen[0][0] == ISSUER.did
    return verifier.get_verified_payload()


# --- staffvc issues and presents; the reference verifies -----------------------------------


def staffvc_issued(*, legacy: bool = False, decoys: int = 2) -> str:
    return issue_sd_jwt_vc(
        CLAIMS,
        signer=ISSUER.pair,
        vct=VCT,
        disclosable=[
            "/given_name",
            "/family_name",
            "/address",
            "/address/locality",
            "/roles/0",
            "/roles/2",
        ],
        random_bytes=CountingRandom("interop"),
        holder_key=HOLDER.public_key,
        decoys=decoys,
        legacy_typ=legacy,
    )


@pytest.mark.parametrize("legacy", [False, True], ids=["dc+sd-jwt", "vc+sd-jwt"])
@pytest.mark.parametrize(
    "disclose",
    [["/given_name"], ["/address/locality", "/roles/2"], ["/address", "/roles"], []],
    ids=["one claim", "nested and array", "subtrees", "nothing"],
)
def test_reference_verifies_staffvc_presentations_with_key_binding(
    legacy: bool, disclose: list[str]
) -> None:
    shown = present_sd_jwt(
        staffvc_issued(legacy=legacy),
        disclose=disclose,
        key_binding=KeyBinding(signer=HOLDER, nonce=NONCE, audience=AUD, issued_at=NOW),
    )
    theirs = reference_verify(shown, kb=True)
    result, ours = staffvc_verify(shown, kb=True)
    assert result.verdict is Verdict.VALID, result.explain()
    assert theirs == ours.payload


def test_reference_refuses_a_staffvc_kb_jwt_for_another_verifier() -> None:
    shown = present_sd_jwt(
        staffvc_issued(),
        disclose=["/given_name"],
        key_binding=KeyBinding(signer=HOLDER, nonce=NONCE, audience="https://other.example",
                               issued_at=NOW),
    )  # fmt: skip
    with pytest.raises(ValueError, match="audience"):
        reference_verify(shown, kb=True)


def test_reference_verifies_staffvc_presentations_without_key_binding() -> None:
    shown = present_sd_jwt(staffvc_issued(), disclose=["/family_name"], key_binding=None)
    theirs = reference_verify(shown, kb=False)
    result, ours = staffvc_verify(shown, kb=False)
    assert result.ok
    assert theirs == ours.payload
    assert theirs["family_name"] == "Lovelace"


# --- the reference issues and presents; staffvc verifies -----------------------------------


@pytest.fixture
def fixed_reference_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference holder stamps KB-JWTs with ``time()``; fix it to NOW."""
    monkeypatch.setattr(reference_holder, "time", lambda: NOW.timestamp())


def reference_issued(*, decoys: bool) -> str:
    user_claims = {
        "iss": ISSUER.did,
        "vct": VCT,
        "iat": CLAIMS["iat"],
        "exp": CLAIMS["exp"],
        SDObj("given_name"): "Ada",
        SDObj("family_name"): "Lovelace",
        SDObj("address"): {
            "street_address": "1 Main St",
            SDObj("locality"): "Leeds",
            "country": "GB",
        },
        "roles": [SDObj("nurse"), "midwife", SDObj("lead")],
    }
    issuer = SDJWTIssuer(
        user_claims,
        jwcrypto_key(ISSUER.pair),
        holder_key=jwcrypto_key(HOLDER),
        sign_alg="EdDSA",
        add_decoy_claims=decoys,
        extra_header_parameters={"typ": "vc+sd-jwt", "kid": ISSUER.pair.key_id},
    )
    return str(issuer.sd_jwt_issuance)


def reference_present(issued: str, claims_to_disclose: Any, *, kb: bool) -> str:
    holder = SDJWTHolder(issued)
    holder.create_presentation(
        claims_to_disclose,
        nonce=NONCE if kb else None,
        aud=AUD if kb else None,
        holder_key=jwcrypto_key(HOLDER) if kb else None,
        sign_alg="ES256",
    )
    return str(holder.sd_jwt_presentation)


@pytest.mark.usefixtures("fixed_reference_clock")
@pytest.mark.parametrize("decoys", [False, True], ids=["no decoys", "decoys"])
@pytest.mark.parametrize("kb", [True, False], ids=["with KB", "without KB"])
@pytest.mark.parametrize(
    ("claims_to_disclose", "expected"),
    [
        ({"given_name": True}, {"given_name": "Ada", "roles": ["midwife"]}),
        (
            {"address": {"locality": True}, "roles": [True, False, True]},
            {
                "address": {"street_address": "1 Main St", "locality": "Leeds", "country": "GB"},
                "roles": ["nurse", "midwife", "lead"],
            },
        ),
        ({"address": True}, {"address": {"street_address": "1 Main St", "country": "GB"},
                             "roles": ["midwife"]}),
    ],
    ids=["one claim", "nested and array", "parent only"],
)  # fmt: skip
def test_staffvc_verifies_reference_presentations(
    claims_to_disclose: Any, expected: dict[str, Any], kb: bool, decoys: bool
) -> None:
    issued = reference_issued(decoys=decoys)
    assert jwt_header(split(issued)[0])["typ"] == "vc+sd-jwt"
    shown = reference_present(issued, claims_to_disclose, kb=kb)
    assert shown.endswith("~") is not kb
    result, found = staffvc_verify(shown, kb=kb)
    assert result.verdict is Verdict.VALID, result.explain()
    assert found.kind is SdJwtVcKind.SD_JWT_VC_LEGACY
    assert found.payload is not None
    plain = {"iss", "vct", "iat", "exp", "cnf"}
    assert {k: v for k, v in found.payload.items() if k not in plain} == expected
    assert found.payload["cnf"]["jwk"] == HOLDER.public_key.to_jwk()
    assert reference_verify(shown, kb=kb) == found.payload


@pytest.mark.usefixtures("fixed_reference_clock")
def test_staffvc_presents_what_the_reference_issued() -> None:
    shown = present_sd_jwt(
        reference_issued(decoys=True),
        disclose=["/address/locality", "/roles/2"],
        key_binding=KeyBinding(signer=HOLDER, nonce=NONCE, audience=AUD, issued_at=NOW),
    )
    result, found = staffvc_verify(shown, kb=True)
    assert result.ok, result.explain()
    assert reference_verify(shown, kb=True) == found.payload
    assert found.payload["roles"] == ["midwife", "lead"]


@pytest.mark.usefixtures("fixed_reference_clock")
def test_the_reference_issuer_writes_sorted_sd_arrays_and_explicit_sd_alg() -> None:
    payload = jwt_payload(split(reference_issued(decoys=True))[0])
    assert payload["_sd_alg"] == "sha-256"
    assert payload["_sd"] == sorted(payload["_sd"])


# --- recorded differences ------------------------------------------------------------------


@pytest.mark.usefixtures("fixed_reference_clock")
def test_difference_an_unreferenced_disclosure() -> None:
    """RFC 9901 §7.1 step 5: reject. The reference ignores it; staffvc rejects it."""
    shown = reference_present(reference_issued(decoys=False), {"given_name": True}, kb=False)
    stray = make_disclosure("c3RyYXk", "given_name", "Mallory")
    tampered = shown + stray + "~"
    theirs = reference_verify(tampered, kb=False)
    assert theirs["given_name"] == "Ada"
    result, found = staffvc_verify(tampered, kb=False)
    assert found.payload is None
    assert result.verdict is Verdict.INVALID


def test_difference_ed25519_key_binding() -> None:
    """The reference checks KB-JWTs with ES256 only; staffvc follows the holder's key."""
    holder = KeyPair.generate(KeyType.ED25519)
    issued = issue_sd_jwt_vc(
        CLAIMS,
        signer=ISSUER.pair,
        vct=VCT,
        disclosable=["/given_name"],
        random_bytes=CountingRandom("ed"),
        holder_key=holder.public_key,
    )
    shown = present_sd_jwt(
        issued,
        disclose=["/given_name"],
        key_binding=KeyBinding(signer=holder, nonce=NONCE, audience=AUD, issued_at=NOW),
    )
    result, _ = staffvc_verify(shown, kb=True)
    assert result.ok
    with pytest.raises(InvalidJWSSignature, match='requested "ES256", found "EdDSA"'):
        reference_verify(shown, kb=True)


def test_kb_jwt_payload_members_match() -> None:
    shown = present_sd_jwt(
        staffvc_issued(),
        disclose=["/given_name"],
        key_binding=KeyBinding(signer=HOLDER, nonce=NONCE, audience=AUD, issued_at=NOW),
    )
    kb = split(shown)[2]
    assert set(jwt_payload(kb)) == {"nonce", "aud", "iat", "sd_hash"}
    assert json.loads(json.dumps(jwt_header(kb))) == {"alg": "ES256", "typ": "kb+jwt"}
