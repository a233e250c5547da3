"""Bitstring Status List interop with Digital Bazaar's @digitalbazaar/vc-bitstring-status-list
2.0.1 (interop/node/status.mjs, offline): lists built and signed by staffvc
(eddsa-rdfc-2022, did:key issuer) pass the library's ``checkStatus`` (which verifies the
list with vc.js) and read the same bits; lists the library creates decode identically in
staffvc; forged or foreign lists are refused by both."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from nodeharness import run_harness
from spec.bitstring_status_list.statuskit import (
    NOW,
    OTHER,
    TRUST,
    bits_with,
    checker_for,
    credential,
    list_credential,
    real_verifier,
    run_check,
    sign,
)
from staffvc.results import Code, Verdict
from staffvc.status import Bitstring, build_status_entry, read_status_list
from support import REPO

HARNESS = REPO / "interop" / "node" / "status.mjs"
REVOCATION_URL = "https://status.trust.example.nhs.uk/lists/1"
SUSPENSION_URL = "https://status.trust.example.nhs.uk/lists/2"
LIBRARY_URL = "https://status.trust.example.nhs.uk/lists/library"
# vc.js checks the list's validity period against the real clock, so these lists are valid
# from a fixed past instant with no end.
SINCE = datetime(2025, 1, 1, tzinfo=UTC)
REVOKED = [0, 7, 94567, 131_071]
LIBRARY_SET = [0, 1, 8, 4242, 131_070]


def _run(request: dict[str, Any]) -> dict[str, Any]:
    answer = run_harness(HARNESS.name, request)
    assert answer.get("ok") is True, answer
    return answer


def _entry(index: int, purpose: str = "revocation", url: str = REVOCATION_URL) -> Any:
    return build_status_entry(
        list_url=url, index=index, status_purpose=purpose, entry_id=f"{url}#{index}"
    )


def _check(status: Any, lists: dict[str, Any]) -> dict[str, Any]:
    return {"op": "check", "credential": credential(status), "lists": lists}


@pytest.fixture(scope="module")
def lists() -> dict[str, Any]:
    revocation = sign(
        list_credential(
            bitstring=bits_with(*REVOKED), url=REVOCATION_URL, valid_from=SINCE, valid_until=None
        )
    )
    suspension = sign(
        list_credential(
            bitstring=bits_with(12345),
            url=SUSPENSION_URL,
            purpose="suspension",
            valid_from=SINCE,
            valid_until=None,
            ttl_ms=300_000,
        )
    )
    foreign = sign(
        list_credential(by=OTHER, url=REVOCATION_URL, valid_from=SINCE, valid_until=None), by=OTHER
    )
    tampered = json.loads(json.dumps(revocation))
    tampered["credentialSubject"]["encodedList"] = bits_with().encode()
    return {
        "revocation": revocation,
        "suspension": suspension,
        "foreign": foreign,
        "tampered": tampered,
    }


@pytest.fixture(scope="module")
def answers(lists: dict[str, Any]) -> list[dict[str, Any]]:
    both = {REVOCATION_URL: lists["revocation"], SUSPENSION_URL: lists["suspension"]}
    requests = [
        _check(_entry(7), both),
        _check(_entry(8), both),
        _check([_entry(94567), _entry(12345, "suspension", SUSPENSION_URL)], both),
        _check([_entry(131_070), _entry(12346, "suspension", SUSPENSION_URL)], both),
        _check(_entry(8), {REVOCATION_URL: lists["foreign"]}),
        _check(_entry(7), {REVOCATION_URL: lists["tampered"]}),
        {"op": "create", "id": LIBRARY_URL, "length": 131_072, "set": LIBRARY_SET},
        {
            "op": "decode",
            "encodedList": lists["revocation"]["credentialSubject"]["encodedList"],
            "indexes": [*REVOKED, 1, 6, 8, 94566, 94568, 131_070],
        },
    ]
    answer = _run({"op": "batch", "requests": requests})
    results = answer["results"]
    assert len(results) == len(requests)
    assert all(r.get("ok") is True for r in results), results
    return results


def test_vcjs_reads_a_set_bit_in_a_staffvc_list(answers: list[dict[str, Any]]) -> None:
    assert answers[0]["verified"] is True, answers[0]["errors"]
    assert answers[0]["results"] == [
        {"status": True, "statusPurpose": "revocation", "statusListIndex": "7"}
    ]


def test_vcjs_reads_a_clear_bit_in_a_staffvc_list(answers: list[dict[str, Any]]) -> None:
    assert answers[1]["verified"] is True, answers[1]["errors"]
    assert [r["status"] for r in answers[1]["results"]] == [False]


def test_vcjs_reads_several_entries_and_lists(answers: list[dict[str, Any]]) -> None:
    assert answers[2]["verified"] is True
    assert [r["status"] for r in answers[2]["results"]] == [True, True]
    assert answers[3]["verified"] is True
    assert [r["status"] for r in answers[3]["results"]] == [False, False]


def test_staffvc_and_vcjs_agree_on_the_same_lists(
    lists: dict[str, Any], answers: list[dict[str, Any]]
) -> None:
    checker = checker_for(
        {REVOCATION_URL: lists["revocation"], SUSPENSION_URL: lists["suspension"]},
        verify=real_verifier(NOW),
    )
    cases = [
        (_entry(7), [True]),
        (_entry(8), [False]),
        ([_entry(94567), _entry(12345, "suspension", SUSPENSION_URL)], [True, True]),
        ([_entry(131_070), _entry(12346, "suspension", SUSPENSION_URL)], [False, False]),
    ]
    for (status, expected), answer in zip(cases, answers[:4], strict=True):
        result, _ = run_check(checker, credential(status))
        ours = [bool(e.status) for e in result.entries]
        theirs = [r["status"] for r in answer["results"]]
        assert ours == theirs == expected


def test_both_refuse_a_list_from_another_issuer(
    lists: dict[str, Any], answers: list[dict[str, Any]]
) -> None:
    assert answers[4]["verified"] is False
    assert any("Issuers" in e for e in answers[4]["errors"]), answers[4]
    checker = checker_for({REVOCATION_URL: lists["foreign"]}, verify=real_verifier(NOW))
    _, result = run_check(checker, credential(_entry(8)))
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]


def test_both_refuse_a_tampered_list(lists: dict[str, Any], answers: list[dict[str, Any]]) -> None:
    assert answers[5]["verified"] is False
    checker = checker_for({REVOCATION_URL: lists["tampered"]}, verify=real_verifier(NOW))
    status, result = run_check(checker, credential(_entry(7)))
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert status.revoked is None


def test_a_list_created_by_the_library_decodes_identically(answers: list[dict[str, Any]]) -> None:
    created = answers[6]["credential"]
    assert "issuer" not in created  # the library leaves issuer and dates to its caller
    issued = {**created, "issuer": TRUST.did, "validFrom": "2025-01-01T00:00:00Z"}
    view = read_status_list(issued)
    assert view.purposes == ("revocation",)
    decoded = Bitstring.decode(view.encoded_list)
    assert decoded == bits_with(*LIBRARY_SET)
    assert sorted(i for i, _ in decoded.nonzero()) == LIBRARY_SET
    checker = checker_for({LIBRARY_URL: sign(issued)}, verify=real_verifier(NOW))
    for index in (8, 9):
        status, result = run_check(checker, credential(_entry(index, url=LIBRARY_URL)))
        assert status.checked, result.explain()
        assert status.revoked is (index in LIBRARY_SET)


def test_the_library_decodes_a_staffvc_list_identically(answers: list[dict[str, Any]]) -> None:
    answer = answers[7]
    assert answer["length"] == 131_072
    assert answer["values"] == [True] * len(REVOKED) + [False] * 6
