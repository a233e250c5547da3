"""Domain brief §5 to §10: the rules of each credential type beyond its schema, and §9 data
minimisation (what must never travel).

The corpus (tests/nhs/invalid/rule-cases.json) gives, for each broken credential, the JSON
pointer and rule name issuance must report; a verifier (``check_credential_rules``) reports
the same pointer, except for rules about members a holder may withhold.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from staffvc.credentials.nhs import (
    CREDENTIAL_TYPES,
    MAX_VALIDITY,
    check_credential_rules,
    rule_violations,
    validate_for_issuance,
)
from staffvc.credentials.nhs.valuesets import NEVER_TRAVELS
from staffvc.credentials.schema import schema_problems
from staffvc.errors import CredentialDataError, SchemaValidationError
from staffvc.results import CheckFailed, CheckRecorder, Code, Outcome, Stage

Example = Callable[[str], dict[str, Any]]
Patched = Callable[[dict[str, Any]], dict[str, Any]]


def test_rule_corpus_is_refused_at_issuance(rule_case: dict[str, Any], patched: Patched) -> None:
    credential = patched(rule_case)
    with pytest.raises(CredentialDataError) as refused:
        validate_for_issuance(credential)
    error = refused.value
    assert not isinstance(error, SchemaValidationError)
    assert error.code == "MALFORMED_VALUE_ERROR"
    assert (error.pointer, error.rule) == (rule_case["pointer"], rule_case["rule"])


def test_rule_corpus_passes_the_schema_unless_it_carries_what_never_travels(
    rule_case: dict[str, Any], patched: Patched
) -> None:
    problems = schema_problems(patched(rule_case))
    in_subject = rule_case["pointer"].startswith("/credentialSubject/")
    if rule_case["rule"] == "never-travels" and in_subject:
        assert problems  # closed subjects refuse them too; open ones (evidence) do not
        assert problems[0].keyword == "additionalProperties"
    else:
        assert problems == []


def test_rule_corpus_as_a_verifier_step(rule_case: dict[str, Any], patched: Patched) -> None:
    credential = patched(rule_case)
    recorder = CheckRecorder(required=[Stage.SCHEMA])
    recorder.run(Stage.SCHEMA, "credential.rules", lambda: check_credential_rules(credential))
    (check,) = recorder.checks
    if rule_case.get("issuance_only"):
        assert check.outcome is Outcome.PASSED
        assert rule_violations(credential, issuance=False) == []
        return
    assert check.outcome is Outcome.FAILED
    assert check.pointer == rule_case["pointer"]
    range_rules = ("max-validity", "valid-until", "validity.order")
    expected = (
        Code.RANGE_ERROR if rule_case["rule"].endswith(range_rules) else Code.MALFORMED_VALUE_ERROR
    )
    assert check.code is expected


def test_the_corpora_cover_every_type(patched: Patched) -> None:
    for corpus in ("rule-cases.json", "schema-cases.json"):
        cases = json.loads((Path(__file__).parent / "invalid" / corpus).read_text())["cases"]
        kinds = {patched(case)["type"][1] for case in cases if len(patched(case)["type"]) > 1}
        assert set(CREDENTIAL_TYPES) <= kinds


@pytest.mark.parametrize("name", sorted(NEVER_TRAVELS))
def test_nothing_that_must_never_travel_is_issued(name: str, example: Example) -> None:
    for example_name in ("dbs-check-credential", "occupational-health-clearance-credential"):
        credential = example(example_name)
        credential["credentialSubject"][name] = "x"
        with pytest.raises(CredentialDataError) as refused:
            validate_for_issuance(credential)
        assert refused.value.rule == "never-travels"
        assert refused.value.pointer == f"/credentialSubject/{name}"


def test_never_travels_is_checked_everywhere_but_the_proof(example: Example) -> None:
    credential = example("staff-identity-credential")
    credential["credentialSubject"]["address"] = {
        "streetAddress": "1 Example Road",
        "addressLocality": "Exampleton",
        "postalCode": "ZZ99 9ZZ",
        "nhsNumber": "9999999999",
    }
    with pytest.raises(CredentialDataError) as refused:
        validate_for_issuance(credential)
    assert refused.value.pointer == "/credentialSubject/address/nhsNumber"
    signed = example("staff-identity-credential")
    signed["proof"] = {"type": "DataIntegrityProof", "salary": "not part of the credential"}
    validate_for_issuance(signed)


def test_pointers_escape_member_names(example: Example) -> None:
    credential = example("staff-identity-credential")
    credential["evidence"] = {"type": "Check", "a/b": {"pay": 1}}
    with pytest.raises(CredentialDataError) as refused:
        validate_for_issuance(credential)
    assert refused.value.pointer == "/evidence/a~1b/pay"


def test_every_type_documents_its_validity_rule() -> None:
    assert set(MAX_VALIDITY) == set(CREDENTIAL_TYPES)


def test_a_cstf_credential_without_valid_until_breaks_its_rule(example: Example) -> None:
    credential = example("cstf-training-credential")
    del credential["validUntil"]
    rules = [(v.pointer, v.rule) for v in rule_violations(credential, issuance=False)]
    assert rules == [("/validUntil", "cstf.valid-until")]
    with pytest.raises(CheckFailed) as failed:
        check_credential_rules(credential)
    assert failed.value.code is Code.RANGE_ERROR


def test_max_validity_needs_a_valid_until(example: Example) -> None:
    credential = example("dbs-check-credential")
    del credential["validUntil"]
    rules = [(v.pointer, v.rule) for v in rule_violations(credential, issuance=False)]
    assert rules == [("/validUntil", "dbs.max-validity")]


def test_a_continuous_right_to_work_may_be_open_ended(example: Example) -> None:
    credential = example("right-to-work-credential")
    credential["credentialSubject"]["permissionType"] = "continuous"
    del credential["credentialSubject"]["followUpDue"]
    del credential["validUntil"]
    assert rule_violations(credential, issuance=True) == []
    validate_for_issuance(credential)


def test_an_idsp_right_to_work_check_names_provider_and_confidence(example: Example) -> None:
    credential = example("right-to-work-credential")
    credential["credentialSubject"]["checkType"] = "idsp"
    with pytest.raises(CredentialDataError) as refused:
        validate_for_issuance(credential)
    assert refused.value.rule == "rtw.idsp-confidence"
    assert rule_violations(credential, issuance=False) == []
    credential["credentialSubject"]["levelOfConfidence"] = "medium"
    credential["credentialSubject"]["identityProvider"] = {"name": "Example IDSP Ltd"}
    validate_for_issuance(credential)
