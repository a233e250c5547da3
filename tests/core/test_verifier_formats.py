"""The Verifier's format dispatch: every format by content, and no input that raises.

Format-level checks live with each format's spec tests; these check the seams: which
verification runs for which bytes, that enveloped credentials are verified as their media
type says, and that a status entry without a status source is INDETERMINATE.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.keys.encoding import b64url_encode
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.proofs.jose import envelope, issue_vc_cose, issue_vc_jwt
from staffvc.proofs.jose.sd_jwt import KeyBinding, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import issue_vcdm_sd_jwt
from staffvc.results import Verdict
from staffvc.verifier import InputFormat, Verifier, detect_format

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def party(key_type: KeyType = KeyType.ED25519) -> KeyPair:
    key = KeyPair.generate(key_type)
    return key.with_key_id(vm_id_of(key.public_key))


ISSUER, HOLDER = party(), party()


def credential(**extra: Any) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": did_key(ISSUER.public_key),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": did_key(HOLDER.public_key), "name": "Fire Safety"},
        **extra,
    }


def test_detect_format_by_content() -> None:
    jwt = issue_vc_jwt(credential(), signer=ISSUER)
    cose = issue_vc_cose(credential(), signer=ISSUER)
    sd = issue_vcdm_sd_jwt(
        credential(), signer=ISSUER, disclosable=[], random_bytes=os.urandom, holder_key=None
    )
    assert detect_format(credential()) is InputFormat.JSON
    assert detect_format(" {}") is InputFormat.JSON
    assert detect_format(jwt) is InputFormat.JWS
    assert detect_format(jwt.encode()) is InputFormat.JWS
    assert detect_format(sd) is InputFormat.SD_JWT
    assert detect_format(cose) is InputFormat.COSE
    assert detect_format(b64url_encode(cose)) is InputFormat.COSE
    for nothing in ("", "hello world", "a.b", b"\xff\xfe", "!!!!!!!!!!!!!!!!!!!!"):
        assert detect_format(nothing) is None


@pytest.mark.parametrize("fmt", ["jwt", "cose", "cose-text", "sd-jwt"])
def test_every_format_verifies_and_a_flipped_byte_does_not(fmt: str) -> None:
    if fmt == "jwt":
        token: str | bytes = issue_vc_jwt(credential(), signer=ISSUER)
    elif fmt.startswith("cose"):
        raw = issue_vc_cose(credential(), signer=ISSUER)
        token = raw if fmt == "cose" else b64url_encode(raw)
    else:
        token = issue_vcdm_sd_jwt(
            credential(), signer=ISSUER, disclosable=[], random_bytes=os.urandom, holder_key=None
        )
    verifier = Verifier()
    assert verifier.verify_credential(token, now=NOW).verdict is Verdict.VALID
    broken = bytearray(token.encode() if isinstance(token, str) else token)
    broken[len(broken) // 2] ^= 0x01
    flipped = bytes(broken) if isinstance(token, bytes) else broken.decode("latin-1")
    assert verifier.verify_credential(flipped, now=NOW).verdict is not Verdict.VALID


def test_a_credential_token_is_refused_where_a_presentation_is_expected() -> None:
    jwt = issue_vc_jwt(credential(), signer=ISSUER)
    result = Verifier().verify_presentation(jwt, challenge="c", domain=None, now=NOW)
    assert result.verdict is Verdict.INVALID
    cose = issue_vc_cose(credential(), signer=ISSUER)
    result = Verifier().verify_presentation(cose, challenge="c", domain=None, now=NOW)
    assert result.verdict is Verdict.INVALID


def test_status_entry_without_a_status_source_is_indeterminate() -> None:
    entry = {
        "id": "https://status.example.nhs.uk/lists/a#5",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": "https://status.example.nhs.uk/lists/a",
    }
    jwt = issue_vc_jwt(credential(credentialStatus=entry), signer=ISSUER)
    result = Verifier().verify_credential(jwt, now=NOW)
    assert result.verdict is Verdict.INDETERMINATE
    assert [c.code for c in result.checks if c.name == "credential.status"] == [
        "STATUS_RETRIEVAL_ERROR"
    ]


def test_enveloped_credentials_in_a_data_integrity_presentation() -> None:
    loader = BundledLoader()
    jwt = issue_vc_jwt(credential(), signer=ISSUER)
    forged = jwt[:-4] + ("AAAA" if not jwt.endswith("AAAA") else "BBBB")
    items = [envelope(jwt, "vc+jwt"), envelope(forged, "vc+jwt")]
    weird = envelope(jwt, "vc+jwt")
    weird["id"] = "data:application/vc+ld+json," + jwt
    presentation = add_proof(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key(HOLDER.public_key),
            "verifiableCredential": [*items, weird],
        },
        HOLDER,
        suite="eddsa-jcs-2022",
        purpose=AuthenticationPurpose(challenge="c-1", domain=None),
        created=NOW,
        loader=loader,
    )
    result = Verifier().verify_presentation(presentation, challenge="c-1", domain=None, now=NOW)
    assert [n.verdict for n in result.nested] == [
        Verdict.VALID,
        Verdict.INVALID,
        Verdict.INDETERMINATE,
    ]
    assert result.verdict is not Verdict.VALID


def test_sd_jwt_with_a_challenge_needs_key_binding() -> None:
    sd = issue_vcdm_sd_jwt(
        credential(),
        signer=ISSUER,
        disclosable=["/credentialSubject/name"],
        random_bytes=os.urandom,
        holder_key=HOLDER.public_key,
    )
    verifier = Verifier()
    unbound = present_sd_jwt(sd, disclose=[], key_binding=None)
    result = verifier.verify_presentation(unbound, challenge="n-1", domain="https://v", now=NOW)
    assert result.verdict is Verdict.INVALID
    binding = KeyBinding(signer=HOLDER, nonce="n-1", audience="https://v", issued_at=NOW)
    bound = present_sd_jwt(sd, disclose=["/credentialSubject/name"], key_binding=binding)
    result = verifier.verify_presentation(bound, challenge="n-1", domain="https://v", now=NOW)
    assert result.verdict is Verdict.VALID, result.explain()
    later = NOW + timedelta(hours=2)  # a stale key-binding JWT is a replay
    result = verifier.verify_presentation(bound, challenge="n-1", domain="https://v", now=later)
    assert result.verdict is Verdict.INVALID


def test_data_integrity_credentials_still_need_their_proof() -> None:
    signed = add_proof(
        credential(),
        ISSUER,
        suite="eddsa-jcs-2022",
        purpose=AssertionPurpose(),
        created=NOW,
        loader=BundledLoader(),
    )
    verifier = Verifier()
    assert verifier.verify_credential(signed, now=NOW).verdict is Verdict.VALID
    assert verifier.verify_credential(credential(), now=NOW).verdict is not Verdict.VALID


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="abcXYZ019-_.~", max_size=300),
        st.binary(max_size=300).map(lambda b: b"\xd2" + b),
        st.text(max_size=100),
    )
)
def test_no_input_raises_or_is_valid(data: str | bytes) -> None:
    verifier = Verifier()
    for result in (
        verifier.verify(data, challenge="c", domain=None, now=NOW),
        verifier.verify_credential(data, now=NOW),
        verifier.verify_presentation(data, challenge="c", domain=None, now=NOW),
    ):
        assert result.verdict is not Verdict.VALID


def test_a_failed_credential_never_fetches_its_status_list() -> None:
    fetched: list[str] = []

    class Recording:
        def get(self, url: str, *, now: datetime) -> dict[str, Any]:
            fetched.append(url)
            return {}

    entry = {
        "id": "https://attacker.example/lists/a#5",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": "https://attacker.example/lists/a",
    }
    jwt = issue_vc_jwt(credential(credentialStatus=entry), signer=ISSUER)
    forged = jwt[:-4] + ("AAAA" if not jwt.endswith("AAAA") else "BBBB")
    verifier = Verifier(status_source=Recording())
    result = verifier.verify_credential(forged, now=NOW)
    assert result.verdict is Verdict.INVALID
    assert fetched == []
    verifier.verify_credential(jwt, now=NOW)
    assert fetched == ["https://attacker.example/lists/a"]


def test_nhs_rules_run_at_verification() -> None:
    import json
    from pathlib import Path

    example = json.loads(
        (
            Path(__file__).parents[2] / "examples/credentials/cstf-training-credential.json"
        ).read_text()
    )
    example.pop("proof", None)
    example.pop("credentialStatus", None)
    example["issuer"] = {**example["issuer"], "id": did_key(ISSUER.public_key)}
    when = datetime(2026, 1, 1, tzinfo=UTC)

    def verdict(document: dict[str, Any]) -> tuple[Verdict, list[str]]:
        signed = add_proof(
            document,
            ISSUER,
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=when,
            loader=BundledLoader(),
        )
        result = Verifier().verify_credential(signed, now=when)
        return result.verdict, [c.name for c in result.checks if c.outcome.value == "FAILED"]

    assert verdict(example) == (Verdict.VALID, [])
    example["credentialSubject"]["expiryDate"] = "2030-05-12"  # not completion + P2Y
    assert verdict(example) == (Verdict.INVALID, ["credential.rules"])
