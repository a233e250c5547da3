"""StatusChecker beyond the spec's algorithm: reuse of verified lists, limits, the result
model ("checked" apart from "revoked"), and never raising on hostile input or on a broken
source or list verifier."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any, NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spec.bitstring_status_list.statuskit import (
    LIST_URL,
    NOW,
    StubVerifier,
    bits_with,
    checker_for,
    credential,
    list_credential,
    run_check,
)
from staffvc.results import CheckRecorder, Code, Outcome, Stage, Verdict, VerificationResult
from staffvc.status import (
    InMemoryStatusListSource,
    StatusChecker,
    StatusCheckLimits,
    StatusResult,
    build_status_entry,
)

URL_2 = "https://status.trust.example.nhs.uk/lists/2"


def entry(index: int, purpose: str = "revocation", url: str = LIST_URL) -> Any:
    return build_status_entry(list_url=url, index=index, status_purpose=purpose)


# --- reuse of verified lists --------------------------------------------------------------


def test_a_verified_list_is_reused_while_its_bytes_are_the_same() -> None:
    verifier = StubVerifier()
    checker = checker_for({LIST_URL: list_credential(bitstring=bits_with(1))}, verify=verifier)
    for index in (1, 2, 3):
        status, result = run_check(checker, credential(entry(index)))
        assert status.checked
        assert any(
            c.name == "status[0].list_proof" and c.outcome is Outcome.PASSED for c in result.checks
        )
    assert len(verifier.calls) == 1


def test_a_verified_list_is_verified_again_after_reverify_after() -> None:
    verifier = StubVerifier()
    limits = StatusCheckLimits(reverify_after=timedelta(minutes=5))
    checker = checker_for({LIST_URL: list_credential()}, verify=verifier, limits=limits)
    run_check(checker, credential(entry(1)))
    run_check(checker, credential(entry(1)), now=NOW + timedelta(minutes=5))
    assert len(verifier.calls) == 1
    run_check(checker, credential(entry(1)), now=NOW + timedelta(minutes=5, seconds=1))
    assert len(verifier.calls) == 2
    run_check(checker, credential(entry(1)), now=NOW - timedelta(seconds=1))  # earlier instant
    assert len(verifier.calls) == 3


def test_a_changed_list_is_verified_again_and_its_new_bits_are_read() -> None:
    verifier = StubVerifier()
    source = InMemoryStatusListSource({LIST_URL: list_credential()})
    checker = StatusChecker(source, verify_list_credential=verifier)
    assert run_check(checker, credential(entry(9)))[0].revoked is False
    source.publish(LIST_URL, list_credential(bitstring=bits_with(9)))
    status, result = run_check(checker, credential(entry(9)))
    assert status.revoked is True
    assert result.codes() == [Code.CREDENTIAL_REVOKED]
    assert len(verifier.calls) == 2


@pytest.mark.parametrize("verdict", [Verdict.INVALID, Verdict.INDETERMINATE])
def test_lists_that_did_not_verify_are_never_reused(verdict: Verdict) -> None:
    verifier = StubVerifier(verdict)
    checker = checker_for({LIST_URL: list_credential()}, verify=verifier)
    for _ in range(3):
        assert run_check(checker, credential(entry(1)))[0].checked is False
    assert len(verifier.calls) == 3


def test_no_reuse_when_the_cache_is_off() -> None:
    verifier = StubVerifier()
    limits = StatusCheckLimits(max_cached_lists=0)
    checker = checker_for({LIST_URL: list_credential()}, verify=verifier, limits=limits)
    for _ in range(2):
        run_check(checker, credential(entry(1)))
    assert len(verifier.calls) == 2


def test_the_cache_evicts_the_least_recently_used_list() -> None:
    verifier = StubVerifier()
    limits = StatusCheckLimits(max_cached_lists=1)
    lists = {LIST_URL: list_credential(), URL_2: list_credential(url=URL_2)}
    checker = checker_for(lists, verify=verifier, limits=limits)
    for url in (LIST_URL, URL_2, LIST_URL):
        run_check(checker, credential(entry(1, url=url)))
    assert len(verifier.calls) == 3


def test_an_empty_verification_result_is_never_trusted() -> None:
    def empty(document: Any) -> VerificationResult:
        return CheckRecorder(required=[]).result()

    checker = checker_for({LIST_URL: list_credential()}, verify=empty)
    status, result = run_check(checker, credential(entry(1)))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    assert not status.checked


# --- limits and shapes ------------------------------------------------------------------------


def test_too_many_entries_are_refused_before_any_fetch() -> None:
    verifier = StubVerifier()
    checker = checker_for(
        {LIST_URL: list_credential()}, verify=verifier, limits=StatusCheckLimits(max_entries=2)
    )
    status, result = run_check(checker, credential([entry(i) for i in range(3)]))
    assert result.codes() == [Code.LIMIT_EXCEEDED]
    assert result.verdict is Verdict.INDETERMINATE
    assert (status.checked, status.entries) == (False, ())
    assert verifier.calls == []


def test_a_credential_without_status_records_nothing() -> None:
    document = credential(entry(1))
    del document["credentialStatus"]
    status, result = run_check(checker_for({}), document)
    assert result.checks == ()
    assert status == StatusResult(checked=False, revoked=None, suspended=None)


@pytest.mark.parametrize("document", [None, [], "credential", 7])
def test_a_credential_that_is_not_an_object_fails(document: Any) -> None:
    recorder = CheckRecorder(required=[Stage.STATUS])
    status = checker_for({}).check(document, recorder, now=NOW)
    assert recorder.result().codes() == [Code.PARSING_ERROR]
    assert status.checked is False


def test_an_empty_credential_status_list_is_malformed() -> None:
    status, result = run_check(checker_for({}), credential([]))
    assert result.codes() == [Code.MALFORMED_VALUE_ERROR]
    assert result.checks[0].pointer == "/credentialStatus"
    assert status.checked is False


def test_the_issuer_may_be_an_object() -> None:
    document = credential(entry(1))
    document["issuer"] = {"id": document["issuer"], "name": "NHS Trust"}
    assert run_check(checker_for({LIST_URL: list_credential()}), document)[1].ok


def test_a_credential_without_an_issuer_cannot_be_matched() -> None:
    document = credential(entry(1))
    del document["issuer"]
    _, result = run_check(checker_for({LIST_URL: list_credential()}), document)
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]


# --- the result model ---------------------------------------------------------------------


def test_checked_and_revoked_are_separate_facts() -> None:
    lists = {LIST_URL: list_credential(bitstring=bits_with(1))}
    missing = entry(1, url=URL_2)  # its list cannot be fetched
    status, _ = run_check(checker_for(lists), credential([entry(2), missing]))
    assert (status.checked, status.revoked) == (False, None)
    status, _ = run_check(checker_for(lists), credential([entry(1), missing]))
    assert (status.checked, status.revoked) == (False, True)
    status, _ = run_check(checker_for(lists), credential([entry(2)]))
    assert (status.checked, status.revoked, status.suspended) == (True, False, None)
    assert [e.checked for e in status.entries] == [True]


# --- never raising, never passing what did not run ----------------------------------------


def test_a_broken_source_is_an_error_not_an_exception() -> None:
    class Broken:
        def get(self, url: str, *, now: datetime) -> NoReturn:
            raise RuntimeError("disk on fire")

    checker = StatusChecker(Broken(), verify_list_credential=StubVerifier())
    status, result = run_check(checker, credential(entry(1)))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.INTERNAL_ERROR]
    assert not status.checked


def test_a_source_returning_nonsense_is_a_retrieval_error() -> None:
    class Odd:
        def get(self, url: str, *, now: datetime) -> Any:
            return 42

    checker = StatusChecker(Odd(), verify_list_credential=StubVerifier())
    assert run_check(checker, credential(entry(1)))[1].codes() == [Code.STATUS_RETRIEVAL_ERROR]


def test_a_list_whose_verification_checks_its_own_status_does_not_loop() -> None:
    """A Verifier that checks status while verifying a list would recurse forever on a list
    whose own credentialStatus points at itself; the checker refuses the cycle."""
    source = InMemoryStatusListSource()
    looping = list_credential(bitstring=bits_with(1))
    looping["credentialStatus"] = entry(5)
    source.publish(LIST_URL, looping)
    calls: list[int] = []

    def verify_with_status(document: Any) -> VerificationResult:
        calls.append(1)
        recorder = CheckRecorder(required=[Stage.STATUS])
        checker.check(document, recorder, now=NOW)
        return recorder.result()

    checker = StatusChecker(source, verify_list_credential=verify_with_status)
    status, result = run_check(checker, credential(entry(1)))
    assert len(calls) == 1
    assert not status.checked
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]
    nested = status.entries[0].list_result
    assert nested is not None
    assert nested.codes() == [Code.STATUS_VERIFICATION_ERROR]


def test_a_broken_list_verifier_is_an_error_not_an_exception() -> None:
    def broken(document: Any) -> VerificationResult:
        raise ValueError("bug")

    checker = checker_for({LIST_URL: list_credential()}, verify=broken)
    status, result = run_check(checker, credential(entry(1)))
    assert result.codes() == [Code.INTERNAL_ERROR]
    assert not status.checked


KEYS = st.sampled_from(
    [
        "type",
        "statusPurpose",
        "statusListIndex",
        "statusListCredential",
        "statusSize",
        "statusMessage",
        "id",
        "status_list",
        "idx",
        "uri",
        "x",
    ]
)


def _nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20), _nest, max_leaves=20
)
ENTRY_PARTS = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(
            ["BitstringStatusListEntry", "StatusList2021Entry", "Other", 1, None]
        ),
        "statusPurpose": st.sampled_from(["revocation", "suspension", "message", "", 5]),
        "statusListIndex": st.sampled_from(["1", "0", "-1", "131072", 1, "x"]),
        "statusListCredential": st.sampled_from([LIST_URL, URL_2, "nope", None]),
        "statusSize": st.sampled_from([1, 2, 0, "1"]),
        "statusMessage": JSON,
    },
)


@settings(max_examples=150, deadline=None)
@given(status=st.one_of(JSON, ENTRY_PARTS, st.lists(ENTRY_PARTS, max_size=3)), token=st.booleans())
def test_hostile_status_members_never_raise_and_never_pass_unread(status: Any, token: bool) -> None:
    lists = {LIST_URL: list_credential(bitstring=bits_with(1))}
    document = credential(status)
    if token:
        document["status"] = document.pop("credentialStatus")
    recorder = CheckRecorder(required=[Stage.STATUS])
    result = checker_for(lists).check(document, recorder, now=NOW)
    verdict = recorder.result().verdict
    if verdict is Verdict.VALID:
        assert result.checked
    if not result.checked:
        assert verdict is not Verdict.VALID or not recorder.checks
    for entry_status in result.entries:
        if not entry_status.checked:
            assert entry_status.status is None
            assert entry_status.revoked is None


def test_concurrent_checks_agree() -> None:
    verifier = StubVerifier()
    checker = checker_for(
        {LIST_URL: list_credential(bitstring=bits_with(*range(0, 200, 2)))}, verify=verifier
    )
    errors: list[str] = []

    def work(offset: int) -> None:
        for index in range(offset, 200, 7):
            status, _ = run_check(checker, credential(entry(index)))
            if status.revoked is not (index % 2 == 0):
                errors.append(f"{index}: {status.revoked}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert 1 <= len(verifier.calls) <= 7
