"""SD-JWT VC draft-18 §2.2 (data format: ``typ``, ``vct``, the claims that never go into a
disclosure, ``aka_vcts``, ``status``) and §2.4 (verification), with the ``vc+sd-jwt``
ambiguity: VC-JOSE-COSE §3.2 VCDM credentials against SD-JWT VCs of the earlier drafts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spec.sd_jwt.sd_jwt_helpers import (
    DID_KEYS,
    CountingRandom,
    craft,
    did_party,
    failed,
    jwt_header,
    make_disclosure,
    outcome,
    sha256_digest,
    split,
)
from staffvc.errors import StaffVCError
from staffvc.keys import KeyPair, KeyType, PublicKey
from staffvc.proofs.jose.sd_jwt import KeyBinding, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import (
    SdJwtVcKind,
    SdJwtVcResult,
    issue_sd_jwt_vc,
    issue_vcdm_sd_jwt,
    verify_sd_jwt_vc,
)
from staffvc.results import CheckRecorder, Code, Outcome, Stage, Verdict, VerificationResult

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
ISSUER = did_party()
HOLDER = KeyPair.generate(KeyType.ED25519)
OTHER_SIGNER = KeyPair.generate(KeyType.ED25519).with_key_id(ISSUER.pair.key_id)
VCT = "https://nhs.example/vct/staff-identity"
STATUS = {"status_list": {"idx": 7, "uri": "https://nhs.example/status/1"}}
CLAIMS: dict[str, Any] = {
    "iss": ISSUER.did,
    "iat": int(NOW.timestamp()) - 60,
    "exp": int(NOW.timestamp()) + 86400,
    "status": STATUS,
    "given_name": "Ada",
    "family_name": "Lovelace",
    "professional_registration": {"body": "NMC", "number": "12A3456B"},
}
CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential", "StaffIdentityCredential"],
    "issuer": ISSUER.did,
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:ada", "givenName": "Ada", "role": "nurse"},
}  # fmt: skip


def issue_vc(**options: Any) -> str:
    settings: dict[str, Any] = {
        "signer": ISSUER.pair,
        "vct": VCT,
        "disclosable": ["/given_name", "/family_name", "/professional_registration/number"],
        "random_bytes": CountingRandom("vc"),
        "holder_key": HOLDER.public_key,
    }
    claims = options.pop("claims", CLAIMS)
    settings.update(options)
    return issue_sd_jwt_vc(claims, **settings)


def issue_vcdm(**options: Any) -> str:
    settings: dict[str, Any] = {
        "signer": ISSUER.pair,
        "disclosable": ["/credentialSubject/givenName", "/credentialSubject/role"],
        "random_bytes": CountingRandom("vcdm"),
        "holder_key": HOLDER.public_key,
    }
    credential = options.pop("credential", CREDENTIAL)
    settings.update(options)
    return issue_vcdm_sd_jwt(credential, **settings)


def check(
    token: str,
    *,
    resolve: Any = DID_KEYS,
    kb: bool = False,
    expected_vct: str | None = None,
    **options: Any,
) -> tuple[VerificationResult, SdJwtVcResult]:
    recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF])
    found = verify_sd_jwt_vc(
        token,
        recorder,
        resolve_issuer_key=resolve,
        now=NOW,
        leeway=timedelta(seconds=30),
        expected_nonce="n" if kb else None,
        expected_audience="aud" if kb else None,
        require_key_binding=kb,
        expected_vct=expected_vct,
        **options,
    )
    return recorder.result(), found


def rejected(token: str, name: str, code: Code, **options: Any) -> SdJwtVcResult:
    result, found = check(token, **options)
    assert found.payload is None
    assert result.verdict is Verdict.INVALID, result.explain()
    assert failed(result).get(name) == code, result.explain()
    return found


def present(token: str, disclose: list[str], *, kb: bool = False) -> str:
    binding = KeyBinding(signer=HOLDER, nonce="n", audience="aud", issued_at=NOW) if kb else None
    return present_sd_jwt(token, disclose=disclose, key_binding=binding)


def _fixed(header: Any, payload: Any, /) -> PublicKey:
    return ISSUER.public


# --- issuing and verifying the three kinds -------------------------------------------------


def test_2_2_1_sd_jwt_vc_round_trip_with_key_binding() -> None:
    token = issue_vc()
    assert jwt_header(split(token)[0])["typ"] == "dc+sd-jwt"
    shown = present(token, ["/given_name", "/professional_registration/number"], kb=True)
    result, found = check(shown, kb=True, expected_vct=VCT)
    assert result.verdict is Verdict.VALID, result.explain()
    assert found.kind is SdJwtVcKind.SD_JWT_VC
    assert found.vct == VCT
    assert found.status == STATUS
    assert found.payload == {
        **{k: v for k, v in CLAIMS.items() if k != "family_name"},
        "vct": VCT,
        "cnf": {"jwk": HOLDER.public_key.to_jwk()},
    }


def test_2_2_1_legacy_typ_is_told_apart_by_vct() -> None:
    token = issue_vc(legacy_typ=True)
    assert jwt_header(split(token)[0])["typ"] == "vc+sd-jwt"
    result, found = check(present(token, ["/given_name"]))
    assert result.ok, result.explain()
    assert found.kind is SdJwtVcKind.SD_JWT_VC_LEGACY


def test_vc_jose_cose_3_2_vcdm_round_trip() -> None:
    token = issue_vcdm()
    header = jwt_header(split(token)[0])
    assert (header["typ"], header["cty"]) == ("vc+sd-jwt", "vc")
    result, found = check(present(token, ["/credentialSubject/givenName"], kb=True), kb=True)
    assert result.verdict is Verdict.VALID, result.explain()
    assert found.kind is SdJwtVcKind.VCDM
    assert found.payload is not None
    assert found.payload["credentialSubject"] == {"id": "did:example:ada", "givenName": "Ada"}
    assert found.vct is None
    assert found.status is None


def test_vc_jose_cose_3_2_credential_status_is_left_for_the_status_layer() -> None:
    status = {"id": "https://nhs.example/status/1#7", "type": "BitstringStatusListEntry"}
    token = issue_vcdm(credential={**CREDENTIAL, "credentialStatus": status})
    _, found = check(token)
    assert found.status == status


@pytest.mark.parametrize(
    ("accept", "token_kind"),
    [
        ({SdJwtVcKind.SD_JWT_VC}, "legacy"),
        ({SdJwtVcKind.SD_JWT_VC}, "vcdm"),
        ({SdJwtVcKind.VCDM}, "legacy"),
        ({SdJwtVcKind.SD_JWT_VC_LEGACY}, "vcdm"),
        ({SdJwtVcKind.VCDM}, "current"),
    ],
)
def test_2_2_1_accepted_kinds(accept: set[SdJwtVcKind], token_kind: str) -> None:
    token = {
        "legacy": issue_vc(legacy_typ=True),
        "vcdm": issue_vcdm(),
        "current": issue_vc(),
    }[token_kind]
    result, found = check(token, accept=accept)
    assert found.payload is None
    assert result.verdict is Verdict.INVALID
    assert Code.MEDIA_TYPE_MISMATCH in result.codes()


@pytest.mark.parametrize(
    ("payload", "typ"),
    [
        ({"vct": VCT, "@context": CREDENTIAL["@context"]}, "vc+sd-jwt"),
        ({"type": ["VerifiableCredential"]}, "vc+sd-jwt"),
        ({"vct": VCT}, "example+sd-jwt"),
    ],
    ids=["both vct and @context", "neither", "other typ"],
)
def test_2_2_1_ambiguous_or_foreign_tokens_are_refused(payload: dict[str, Any], typ: str) -> None:
    token = craft(ISSUER.pair, {"iss": ISSUER.did, **payload}, header={"typ": typ})
    found = rejected(token, "sd_jwt_vc.kind", Code.MEDIA_TYPE_MISMATCH)
    assert found.kind is None


def test_undecodable_tokens_have_no_kind() -> None:
    result, found = check("not an sd-jwt")
    assert (found.kind, found.payload) == (None, None)
    assert outcome(result, "sd_jwt_vc.kind") is Outcome.SKIPPED
    assert result.verdict is Verdict.INVALID


def test_a_bad_signature_still_classifies_but_skips_the_format_checks() -> None:
    token = craft(OTHER_SIGNER, {"iss": ISSUER.did, "vct": VCT}, header={"typ": "dc+sd-jwt"})
    result, found = check(token)
    assert found.kind is SdJwtVcKind.SD_JWT_VC
    assert found.payload is None
    assert outcome(result, "sd_jwt_vc.claims") is Outcome.SKIPPED


# --- §2.2.2 claims ------------------------------------------------------------------------


def _vc(payload: dict[str, Any], disclosures: Sequence[str] = ()) -> str:
    return craft(
        ISSUER.pair, {"iss": ISSUER.did, **payload}, disclosures, header={"typ": "dc+sd-jwt"}
    )


@pytest.mark.parametrize("vct", [None, 42, "", ["a"]])
def test_2_2_2_1_vct_is_a_string(vct: Any) -> None:
    payload = {} if vct is None else {"vct": vct}
    rejected(_vc(payload), "sd_jwt_vc.vct", Code.MALFORMED_VALUE_ERROR)


NEVER_DISCLOSED: dict[str, Any] = {
    "iss": ISSUER.did,
    "exp": int(NOW.timestamp()) + 60,
    "nbf": int(NOW.timestamp()) - 60,
    "cnf": {"jwk": HOLDER.public_key.to_jwk()},
    "status": STATUS,
    "aka_vcts": ["urn:nhs:staff"],
    "vct#integrity": "sha256-WiL1Dhj3hgKsDfKtt0ww9w9EWxb2gUyRSMsWovzHH4o",
}


@pytest.mark.parametrize("name", sorted(NEVER_DISCLOSED))
def test_2_2_2_3_claims_that_never_go_into_a_disclosure(name: str) -> None:
    d = make_disclosure("salt", name, NEVER_DISCLOSED[name])
    payload: dict[str, Any] = {"iss": ISSUER.did, "vct": VCT, "_sd": [sha256_digest(d)]}
    if name == "iss":
        del payload["iss"]
    token = craft(ISSUER.pair, payload, [d], header={"typ": "dc+sd-jwt"})
    rejected(token, "sd_jwt_vc.claims", Code.INVALID_DISCLOSURE, resolve=_fixed)


def test_2_2_2_1_vct_in_a_disclosure() -> None:
    d = make_disclosure("salt", "vct", VCT)
    token = _vc({"_sd": [sha256_digest(d)]}, [d])
    result, found = check(token)
    assert found.payload is None
    assert failed(result) == {
        "sd_jwt_vc.vct": Code.MALFORMED_VALUE_ERROR,
        "sd_jwt_vc.claims": Code.INVALID_DISCLOSURE,
    }


def test_2_2_2_3_parts_of_plain_claims_are_not_disclosed_either() -> None:
    d = make_disclosure("salt", "idx", 7)
    token = _vc({"vct": VCT, "status": {"status_list": {"_sd": [sha256_digest(d)]}}}, [d])
    rejected(token, "sd_jwt_vc.claims", Code.INVALID_DISCLOSURE)


def test_2_2_2_3_iss_must_be_a_string() -> None:
    token = craft(ISSUER.pair, {"iss": 7, "vct": VCT}, header={"typ": "dc+sd-jwt"})
    rejected(token, "sd_jwt_vc.claims", Code.MALFORMED_VALUE_ERROR, resolve=_fixed)
    rejected(token, "sd_jwt.issuer_key", Code.CONTROLLER_MISMATCH)


@pytest.mark.parametrize("aka", [[], "urn:x", [1], [VCT]])
def test_2_2_2_2_aka_vcts_shape(aka: Any) -> None:
    rejected(_vc({"vct": VCT, "aka_vcts": aka}), "sd_jwt_vc.claims", Code.MALFORMED_VALUE_ERROR)


def test_2_2_2_3_status_must_be_an_object() -> None:
    rejected(
        _vc({"vct": VCT, "status": "revoked?"}), "sd_jwt_vc.claims", Code.MALFORMED_VALUE_ERROR
    )


def test_2_2_2_2_expected_vct() -> None:
    token = _vc({"vct": VCT, "aka_vcts": ["urn:nhs:staff"]})
    for wanted in (VCT, "urn:nhs:staff"):
        result, _ = check(token, expected_vct=wanted)
        assert result.ok, result.explain()
    result, found = check(token, expected_vct="urn:other")
    assert found.payload is None
    assert failed(result) == {"sd_jwt_vc.expected_vct": Code.POLICY_NOT_MET}
    assert [c.stage for c in result.checks if c.name == "sd_jwt_vc.expected_vct"] == [Stage.POLICY]
    rejected(issue_vcdm(), "sd_jwt_vc.expected_vct", Code.POLICY_NOT_MET, expected_vct=VCT)


def test_2_4_cnf_is_required_for_key_binding() -> None:
    token = issue_vc(holder_key=None)
    rejected(present(token, []), "sd_jwt.kb.present", Code.HOLDER_BINDING_ERROR, kb=True)


def test_2_2_2_5_no_disclosable_claims() -> None:
    token = issue_vc(disclosable=[])
    _, disclosures, _ = split(token)
    assert disclosures == []
    result, found = check(token)
    assert result.ok
    assert found.payload is not None
    assert found.payload["given_name"] == "Ada"


# --- VC-JOSE-COSE §3.2 credentials ---------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"@context": ["https://www.w3.org/2018/credentials/v1"]},
        {"@context": "https://www.w3.org/ns/credentials/v2"},
        {"vc": {"type": "VerifiableCredential"}},
        {"vp": {}},
    ],
    ids=["VCDM 1.1 context", "context not a list", "vc claim", "vp claim"],
)
def test_vc_jose_cose_vcdm_shape(changes: dict[str, Any]) -> None:
    token = craft(ISSUER.pair, {**CREDENTIAL, **changes}, header={"typ": "vc+sd-jwt"})
    rejected(token, "sd_jwt_vc.vcdm", Code.MALFORMED_VALUE_ERROR)


def test_vc_jose_cose_iss_must_agree_with_issuer() -> None:
    token = craft(
        ISSUER.pair, {**CREDENTIAL, "iss": "did:example:other"}, header={"typ": "vc+sd-jwt"}
    )
    rejected(token, "sd_jwt_vc.vcdm", Code.CLAIM_MISMATCH, resolve=_fixed)
    rejected(token, "sd_jwt.issuer_key", Code.CONTROLLER_MISMATCH)


def test_vc_jose_cose_issuer_object_binds_the_key() -> None:
    token = issue_vcdm(credential={**CREDENTIAL, "issuer": {"id": ISSUER.did, "name": "NHS"}})
    result, found = check(token)
    assert result.ok, result.explain()
    assert found.kind is SdJwtVcKind.VCDM


def test_vc_jose_cose_plain_members_are_not_disclosed() -> None:
    d = make_disclosure("salt", "validUntil", "2020-01-01T00:00:00Z")
    token = craft(
        ISSUER.pair, {**CREDENTIAL, "_sd": [sha256_digest(d)]}, [d], header={"typ": "vc+sd-jwt"}
    )
    rejected(token, "sd_jwt_vc.vcdm", Code.INVALID_DISCLOSURE)


# --- issuer refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pointer",
    ["/iss", "/exp", "/status", "/status/status_list", "/status/status_list/idx", "/cnf",
     "/cnf/jwk", "/vct", "/aud"],
)  # fmt: skip
def test_2_2_2_3_issuer_keeps_plain_claims_plain(pointer: str) -> None:
    claims = {**CLAIMS, "aud": "x"}
    with pytest.raises(StaffVCError) as caught:
        issue_vc(claims=claims, disclosable=[pointer], holder_key=None)
    assert caught.value.code == "INVALID_DISCLOSURE_SELECTION"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"vct": ""}, "RESERVED_CLAIM_NAME"),
        ({"claims": {**CLAIMS, "vct": "urn:other"}}, "RESERVED_CLAIM_NAME"),
        ({"claims": ["x"]}, "RESERVED_CLAIM_NAME"),
        ({"claims": {**CLAIMS, "_sd": []}}, "RESERVED_CLAIM_NAME"),
    ],
)
def test_issue_sd_jwt_vc_refusals(options: dict[str, Any], code: str) -> None:
    with pytest.raises(StaffVCError) as caught:
        issue_vc(**options)
    assert caught.value.code == code


def test_issue_sd_jwt_vc_accepts_a_matching_vct_in_claims() -> None:
    result, found = check(issue_vc(claims={**CLAIMS, "vct": VCT}))
    assert result.ok
    assert found.vct == VCT


@pytest.mark.parametrize(
    "pointer",
    ["/@context", "/@context/1", "/type", "/issuer", "/validFrom", "/credentialSubject/@context"],
)
def test_vc_jose_cose_issuer_keeps_plain_members_plain(pointer: str) -> None:
    credential = {
        **CREDENTIAL,
        "credentialSubject": {**CREDENTIAL["credentialSubject"], "@context": {}},
    }
    with pytest.raises(StaffVCError) as caught:
        issue_vcdm(credential=credential, disclosable=[pointer])
    assert caught.value.code == "INVALID_DISCLOSURE_SELECTION"


@pytest.mark.parametrize(
    "credential",
    [
        {**CREDENTIAL, "@context": ["https://www.w3.org/2018/credentials/v1"]},
        {**CREDENTIAL, "vct": VCT},
        {**CREDENTIAL, "vc": {}},
        ["not", "an", "object"],
    ],
)
def test_issue_vcdm_refusals(credential: Any) -> None:
    with pytest.raises(StaffVCError) as caught:
        issue_vcdm(credential=credential)
    assert caught.value.code == "RESERVED_CLAIM_NAME"
