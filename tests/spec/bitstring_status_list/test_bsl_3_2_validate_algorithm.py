"""Bitstring Status List v1.0 §3.2 Validate Algorithm (BSL-11 … BSL-16), run by
:class:`StatusChecker` with lists signed by staffvc (eddsa-rdfc-2022, did:key issuers) and
verified by the Verifier, or with a stub list verifier where only the list's content
matters. Every outcome is asserted by code, with the verdict it gives the credential."""

from __future__ import annotations

import gzip
from datetime import timedelta
from typing import Any

import pytest

from spec.bitstring_status_list.statuskit import (
    LIST_URL,
    NOW,
    OTHER,
    TRUST,
    StubVerifier,
    bits_with,
    checker_for,
    credential,
    list_credential,
    real_verifier,
    run_check,
    sign,
)
from staffvc.keys.encoding import b64url_encode
from staffvc.results import Code, Outcome, Stage, Verdict
from staffvc.status import Bitstring, build_status_entry

SUSPENSION_URL = "https://status.trust.example.nhs.uk/lists/2"
MESSAGE_URL = "https://status.trust.example.nhs.uk/lists/3"
MESSAGES = [
    {"status": "0x0", "message": "valid"},
    {"status": "0x1", "message": "under_review"},
    {"status": "0x2", "message": "restricted"},
    {"status": "0x3", "message": "undefined"},
]


def entry(index: int, purpose: str = "revocation", url: str = LIST_URL, **kw: Any) -> Any:
    return build_status_entry(list_url=url, index=index, status_purpose=purpose, **kw)


@pytest.fixture(scope="module")
def signed_lists() -> dict[str, Any]:
    message_bits = Bitstring(131_072, status_size=2)
    message_bits.set(7, 2)
    return {
        LIST_URL: sign(list_credential(bitstring=bits_with(7, 94567, 131_071))),
        SUSPENSION_URL: sign(
            list_credential(bitstring=bits_with(12345), purpose="suspension", url=SUSPENSION_URL)
        ),
        MESSAGE_URL: sign(
            list_credential(
                bitstring=message_bits,
                purpose="message",
                url=MESSAGE_URL,
                status_messages=MESSAGES,
            )
        ),
    }


def names_and_outcomes(result: Any) -> list[tuple[str, Outcome]]:
    return [(c.name, c.outcome) for c in result.checks]


# --- reading the status: BSL-15, BSL-16 ---------------------------------------------------


@pytest.mark.parametrize("index", [7, 94567, 131_071])
def test_a_set_revocation_bit_fails_the_credential(signed_lists: dict, index: int) -> None:
    checker = checker_for(signed_lists, verify=real_verifier())
    status, result = run_check(checker, credential(entry(index)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.CREDENTIAL_REVOKED]
    assert (status.checked, status.revoked, status.suspended) == (True, True, None)
    assert status.entries[0].status == 1
    assert status.entries[0].list_result is not None
    assert status.entries[0].list_result.verdict is Verdict.VALID


@pytest.mark.parametrize("index", [0, 6, 8, 94566, 131_070])
def test_a_clear_revocation_bit_passes_every_step(signed_lists: dict, index: int) -> None:
    checker = checker_for(signed_lists, verify=real_verifier())
    status, result = run_check(checker, credential(entry(index)))
    assert result.verdict is Verdict.VALID, result.explain()
    assert all(c.stage is Stage.STATUS for c in result.checks)
    assert [c.name for c in result.checks] == [
        f"status[0].{step}"
        for step in (
            "entry",
            "retrieve",
            "list_proof",
            "list",
            "list_issuer",
            "list_validity",
            "purpose",
            "size",
            "decode",
            "index",
            "revocation",
        )
    ]
    assert (status.checked, status.revoked, status.suspended) == (True, False, None)


def test_suspension_and_revocation_entries_together(signed_lists: dict) -> None:
    checker = checker_for(signed_lists, verify=real_verifier())
    both = [entry(8), entry(12345, "suspension", SUSPENSION_URL)]
    status, result = run_check(checker, credential(both))
    assert result.codes() == [Code.CREDENTIAL_SUSPENDED]
    assert (status.checked, status.revoked, status.suspended) == (True, False, True)
    assert [c.pointer for c in result.checks if c.code] == ["/credentialStatus/1"]
    clear = [entry(8), entry(12344, "suspension", SUSPENSION_URL)]
    status, result = run_check(checker, credential(clear))
    assert result.verdict is Verdict.VALID
    assert (status.revoked, status.suspended) == (False, False)


def test_a_message_entry_reports_its_message_and_does_not_fail(signed_lists: dict) -> None:
    checker = checker_for(signed_lists, verify=real_verifier())
    message = entry(7, "message", MESSAGE_URL, status_size=2, status_messages=MESSAGES)
    status, result = run_check(checker, credential(message))
    assert result.verdict is Verdict.VALID, result.explain()
    assert status.messages == ("restricted",)
    assert status.entries[0].status == 2
    assert (status.revoked, status.suspended) == (None, None)
    other = entry(8, "message", MESSAGE_URL, status_size=2, status_messages=MESSAGES)
    assert run_check(checker, credential(other))[0].messages == ("valid",)


def test_a_message_entry_may_rely_on_the_lists_messages() -> None:
    bits = Bitstring(131_072, status_size=2)
    bits.set(3, 1)
    lists = {
        MESSAGE_URL: list_credential(
            bitstring=bits, purpose="message", url=MESSAGE_URL, status_messages=MESSAGES
        )
    }
    raw = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": "3",
        "statusListCredential": MESSAGE_URL,
        "statusSize": 2,
        "statusMessage": MESSAGES,
    }
    status, _ = run_check(checker_for(lists), credential(raw))
    assert status.messages == ("under_review",)


def test_refresh_and_custom_purposes_are_reported_not_failed() -> None:
    lists = {
        LIST_URL: list_credential(bitstring=bits_with(4), purpose=["refresh", "nhs-review"]),
    }
    entries = [entry(4, "refresh"), entry(5, "nhs-review")]
    status, result = run_check(checker_for(lists), credential(entries))
    assert result.verdict is Verdict.VALID
    assert status.messages == ("refresh: set", "nhs-review: unset")
    assert [c.name for c in result.checks][-1] == "status[1].value"


# --- BSL-12: retrieval and list verification -----------------------------------------------


def test_a_list_that_cannot_be_retrieved_is_an_error_never_a_pass() -> None:
    status, result = run_check(checker_for({}), credential(entry(1)))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.STATUS_RETRIEVAL_ERROR]
    assert (status.checked, status.revoked) == (False, None)
    assert [c.outcome for c in result.checks][:2] == [Outcome.PASSED, Outcome.ERROR]
    rest = result.checks[2:]
    assert len(rest) == 9
    assert all(c.outcome is Outcome.SKIPPED and c.code is Code.NOT_CHECKED for c in rest)


def test_a_tampered_list_fails_verification(signed_lists: dict) -> None:
    tampered = {k: dict(v) for k, v in signed_lists.items()}
    document = dict(tampered[LIST_URL])
    document["credentialSubject"] = dict(document["credentialSubject"])
    document["credentialSubject"]["encodedList"] = bits_with().encode()  # "un-revoke" all
    tampered[LIST_URL] = document
    status, result = run_check(checker_for(tampered, verify=real_verifier()), credential(entry(7)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    failed = next(c for c in result.checks if c.code)
    assert failed.name == "status[0].list_proof"
    assert status.checked is False
    assert status.revoked is None
    assert status.entries[0].list_result is not None
    assert Code.PROOF_VERIFICATION_ERROR in status.entries[0].list_result.codes()


def test_a_list_signed_by_another_key_than_its_issuer_fails() -> None:
    forged = list_credential(by=TRUST)
    lists = {LIST_URL: sign(forged, by=OTHER)}
    _, result = run_check(checker_for(lists, verify=real_verifier()), credential(entry(1)))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].list_proof"


def test_a_list_issued_by_someone_else_fails_the_issuer_check() -> None:
    lists = {LIST_URL: sign(list_credential(by=OTHER), by=OTHER)}
    status, result = run_check(checker_for(lists, verify=real_verifier()), credential(entry(1)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].list_issuer"
    assert status.checked is False


def test_a_delegated_list_issuer_is_accepted_when_the_verifier_says_so() -> None:
    lists = {LIST_URL: sign(list_credential(by=OTHER), by=OTHER)}
    checker = checker_for(lists, verify=real_verifier(), delegated_issuers={TRUST.did: [OTHER.did]})
    assert run_check(checker, credential(entry(1)))[1].verdict is Verdict.VALID


@pytest.mark.parametrize(
    ("verdict", "outcome", "expected"),
    [
        (Verdict.INVALID, Outcome.FAILED, Verdict.INVALID),
        (Verdict.INDETERMINATE, Outcome.ERROR, Verdict.INDETERMINATE),
    ],
)
def test_list_verification_verdicts_map_to_status_verification_error(
    verdict: Verdict, outcome: Outcome, expected: Verdict
) -> None:
    checker = checker_for({LIST_URL: list_credential()}, verify=StubVerifier(verdict))
    status, result = run_check(checker, credential(entry(1)))
    assert result.verdict is expected
    check = next(c for c in result.checks if c.name == "status[0].list_proof")
    assert (check.outcome, check.code) == (outcome, Code.STATUS_VERIFICATION_ERROR)
    assert status.checked is False


# --- validity period of the list (BSL §7.2 policy) --------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (NOW - timedelta(days=2), NOW - timedelta(seconds=1)),
        (NOW + timedelta(seconds=1), NOW + timedelta(days=2)),
    ],
    ids=["expired", "not-yet-valid"],
)
def test_a_list_outside_its_validity_period_is_not_used(valid_from: Any, valid_until: Any) -> None:
    lists = {LIST_URL: list_credential(valid_from=valid_from, valid_until=valid_until)}
    status, result = run_check(checker_for(lists), credential(entry(1)))
    assert result.verdict is Verdict.INDETERMINATE
    check = next(c for c in result.checks if c.code)
    assert (check.name, check.outcome, check.code) == (
        "status[0].list_validity",
        Outcome.ERROR,
        Code.STATUS_VERIFICATION_ERROR,
    )
    assert status.checked is False


def test_an_expired_signed_list_fails_in_the_verifier_too() -> None:
    lists = {LIST_URL: sign(list_credential(valid_until=NOW - timedelta(minutes=1)))}
    _, result = run_check(checker_for(lists, verify=real_verifier()), credential(entry(1)))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert result.verdict is not Verdict.VALID


# --- BSL-13: purpose; BSL-05: statusSize ----------------------------------------------------


def test_a_purpose_the_list_does_not_have_fails() -> None:
    lists = {LIST_URL: list_credential(bitstring=bits_with(1), purpose="suspension")}
    status, result = run_check(checker_for(lists), credential(entry(1, "revocation")))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].purpose"
    assert status.revoked is None


def test_one_list_may_serve_several_purposes() -> None:
    lists = {
        LIST_URL: list_credential(bitstring=bits_with(1), purpose=["revocation", "suspension"])
    }
    entries = [entry(1, "revocation"), entry(1, "suspension")]
    status, result = run_check(checker_for(lists), credential(entries))
    assert result.codes() == [Code.CREDENTIAL_REVOKED, Code.CREDENTIAL_SUSPENDED]
    assert (status.revoked, status.suspended) == (True, True)


def test_a_status_size_other_than_the_lists_fails() -> None:
    bits = Bitstring(131_072, status_size=2)
    lists = {
        MESSAGE_URL: list_credential(
            bitstring=bits, purpose="message", url=MESSAGE_URL, status_messages=MESSAGES
        )
    }
    one_bit = entry(1, "message", MESSAGE_URL)
    _, result = run_check(checker_for(lists), credential(one_bit))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].size"


def test_entry_messages_that_contradict_the_lists_fail() -> None:
    bits = Bitstring(131_072, status_size=2)
    lists = {
        MESSAGE_URL: list_credential(
            bitstring=bits, purpose="message", url=MESSAGE_URL, status_messages=MESSAGES
        )
    }
    changed = [dict(m) for m in MESSAGES]
    changed[2]["message"] = "fine"
    raw = entry(1, "message", MESSAGE_URL, status_size=2, status_messages=changed)
    _, result = run_check(checker_for(lists), credential(raw))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]


# --- BSL-14: length; BSL-15: range; expansion -----------------------------------------------


def test_a_list_shorter_than_the_minimum_is_a_length_error() -> None:
    short = list_credential()
    short["credentialSubject"]["encodedList"] = Bitstring(65_536).encode()
    status, result = run_check(checker_for({LIST_URL: short}), credential(entry(1)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.STATUS_LIST_LENGTH_ERROR]
    assert status.checked is False


def test_length_is_counted_in_entries_of_the_entrys_size() -> None:
    """A 131,072-bit list read with statusSize 2 has only 65,536 entries (BSL-14)."""
    lists = {LIST_URL: list_credential(purpose="nhs-flags")}
    raw = entry(1, "nhs-flags", status_size=2, status_messages=MESSAGES)
    _, result = run_check(checker_for(lists), credential(raw))
    assert result.codes() == [Code.STATUS_LIST_LENGTH_ERROR]
    assert run_check(checker_for(lists), credential(entry(1, "nhs-flags")))[1].ok


@pytest.mark.parametrize("index", [131_072, 10**30])
def test_an_index_outside_the_list_is_a_range_error(index: int) -> None:
    lists = {LIST_URL: list_credential()}
    status, result = run_check(checker_for(lists), credential(entry(index)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.RANGE_ERROR]
    assert status.checked is False


def test_a_gzip_bomb_in_a_list_stops_at_the_cap() -> None:
    bomb = list_credential()
    bomb["credentialSubject"]["encodedList"] = "u" + b64url_encode(
        gzip.compress(bytes(64 << 20), compresslevel=9, mtime=0)
    )
    status, result = run_check(checker_for({LIST_URL: bomb}), credential(entry(1)))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.LIMIT_EXCEEDED]
    assert status.checked is False


@pytest.mark.parametrize(
    "encoded",
    [
        Bitstring(131_072).encode()[1:],
        "z" + Bitstring(131_072).encode()[1:],
        "u!!!!",
        "u" + b64url_encode(b"not gzip at all"),
    ],
    ids=["no-prefix", "wrong-prefix", "not-base64url", "not-gzip"],
)
def test_a_malformed_encoded_list_is_a_malformed_value_error(encoded: str) -> None:
    document = list_credential()
    document["credentialSubject"]["encodedList"] = encoded
    _, result = run_check(checker_for({LIST_URL: document}), credential(entry(1)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.MALFORMED_VALUE_ERROR]


# --- entries (BSL-17) and types -------------------------------------------------------------


def test_a_malformed_entry_fails_without_fetching() -> None:
    verifier = StubVerifier()
    checker = checker_for({LIST_URL: list_credential()}, verify=verifier)
    bad = entry(1)
    bad["statusListIndex"] = 1
    status, result = run_check(checker, credential(bad))
    assert result.codes() == [Code.MALFORMED_VALUE_ERROR]
    assert result.checks[0].pointer == "/credentialStatus"
    assert verifier.calls == []
    assert status.checked is False


def test_an_unknown_status_type_is_indeterminate_and_others_still_run() -> None:
    lists = {LIST_URL: list_credential(bitstring=bits_with(1))}
    unknown = {"type": "RevocationList2020Status", "revocationListIndex": "1"}
    status, result = run_check(checker_for(lists), credential([unknown, entry(2)]))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.UNKNOWN_STATUS_TYPE]
    first = result.checks[0]
    assert (first.outcome, first.pointer) == (Outcome.ERROR, "/credentialStatus/0/type")
    assert status.entries[1].checked is True
    assert (status.checked, status.revoked) == (False, None)


def test_an_unknown_type_next_to_a_revoked_entry_is_still_invalid() -> None:
    lists = {LIST_URL: list_credential(bitstring=bits_with(1))}
    unknown = {"type": "SomeFutureStatus"}
    status, result = run_check(checker_for(lists), credential([unknown, entry(1)]))
    assert result.verdict is Verdict.INVALID
    assert status.revoked is True


def test_a_url_that_serves_some_other_credential_fails() -> None:
    other = list_credential()
    other["type"] = ["VerifiableCredential", "StaffPassportCredential"]
    _, result = run_check(checker_for({LIST_URL: other}), credential(entry(1)))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert next(c for c in result.checks if c.code).name == "status[0].list"


def test_a_bitstring_entry_may_not_point_at_a_statuslist2021_list() -> None:
    legacy = list_credential(version="1.1")
    _, result = run_check(checker_for({LIST_URL: legacy}), credential(entry(1)))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]


def test_a_list_that_is_a_jwt_is_not_a_bitstring_list() -> None:
    _, result = run_check(checker_for({LIST_URL: "a.b.c"}), credential(entry(1)))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
