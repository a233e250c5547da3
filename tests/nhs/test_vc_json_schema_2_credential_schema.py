"""VC JSON Schema 1.0 §2 (``credentialSchema`` of type ``JsonSchema``) with the bundled schemas.

Lookup is by ``$id`` among the bundled schemas only; an unknown schema, or a
``JsonSchemaCredential``, is an ERROR (could not check), never a fetch. A failing schema is
FAILED with the JSON pointer and the schema keyword. The invalid corpus
(tests/nhs/invalid/schema-cases.json) states pointer and keyword for each case.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable
from typing import Any, NoReturn

import pytest
from jsonschema import Draft202012Validator

from staffvc import resources
from staffvc.credentials.nhs import SCHEMA_BASE, SUBJECT_MODELS, validate_for_issuance
from staffvc.credentials.schema import (
    JSON_SCHEMA_TYPE,
    MAX_SCHEMA_REFERENCES,
    bundled_schemas,
    check_credential_schema,
    is_date,
    is_date_time_stamp,
    schema_ids_of,
    schema_problems,
    validate_against,
    validate_credential_schema,
)
from staffvc.errors import SchemaValidationError, UnknownSchemaError
from staffvc.results import CheckError, CheckFailed, CheckRecorder, Code, Outcome, Stage

Example = Callable[[str], dict[str, Any]]
COMMON = SCHEMA_BASE + "nhs-common-v1.json"


def test_every_bundled_schema_is_a_2020_12_schema_under_the_base_url() -> None:
    names = list(resources.schema_names())
    assert len(names) == len(SUBJECT_MODELS) + 1
    for name in names:
        schema = json.loads(resources.read_schema(name))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == SCHEMA_BASE + name
        Draft202012Validator.check_schema(schema)
    assert set(bundled_schemas()) == {SCHEMA_BASE + n for n in names}


def test_each_type_has_its_schema_file_named_after_it() -> None:
    for type_name, model in SUBJECT_MODELS.items():
        kebab = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", type_name)
        kebab = kebab.lower()
        assert model.schema_file == f"{kebab}-v1.json", type_name
        assert model.schema_id() in bundled_schemas()
        schema = bundled_schemas()[model.schema_id()]
        subject = schema["$defs"]["subject"]
        assert subject["additionalProperties"] is False
        assert "id" in subject["required"]


def test_schema_corpus_is_rejected_with_pointer_and_keyword(
    schema_case: dict[str, Any], patched: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    credential = patched(schema_case)
    if schema_case.get("unknown_schema"):
        with pytest.raises(UnknownSchemaError):
            schema_problems(credential)
        with pytest.raises(CheckError) as error:
            check_credential_schema(credential)
        assert error.value.code is Code.UNKNOWN_SCHEMA
        return
    first = schema_problems(credential)[0]
    assert (first.pointer, first.keyword) == (schema_case["pointer"], schema_case["keyword"])
    with pytest.raises(CheckFailed) as failed:
        check_credential_schema(credential)
    assert failed.value.code is Code.SCHEMA_VALIDATION_ERROR
    assert failed.value.pointer == schema_case["pointer"]
    with pytest.raises(SchemaValidationError) as refused:
        validate_credential_schema(credential)
    assert (refused.value.pointer, refused.value.rule) == (first.pointer, first.keyword)
    with pytest.raises(Exception) as at_issuance:
        validate_for_issuance(credential)
    assert getattr(at_issuance.value, "pointer", None) == schema_case["pointer"]


def test_problems_never_echo_the_offending_value(example: Example) -> None:
    credential = example("dbs-check-credential")
    credential["credentialSubject"]["certificateNumber"] = "SECRET-1234"
    credential["credentialSubject"]["convictionsNote"] = "SECRET-5678"
    for problem in schema_problems(credential):
        assert "SECRET" not in problem.message
    with pytest.raises(CheckFailed) as failed:
        check_credential_schema(credential)
    assert "SECRET" not in failed.value.detail


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ({"id": "https://example.org/schemas/other.json", "type": "JsonSchema"}, "unknown"),
        ({"id": SCHEMA_BASE + "nope-v1.json", "type": "JsonSchema"}, "unknown"),
        ({"id": SCHEMA_BASE + "nhs-common-v1.json", "type": "JsonSchemaCredential"}, "type"),
        ({"id": SCHEMA_BASE + "nhs-common-v1.json", "type": "Other"}, "type"),
        ({"id": SCHEMA_BASE + "nhs-common-v1.json"}, "type"),
        ({"type": "JsonSchema"}, "id"),
        ("https://example.org/schema.json", "id"),
    ],
)
def test_a_schema_that_cannot_be_checked_is_an_error_not_a_fetch(
    entry: Any, code: str, example: Example, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    credential = example("medical-degree-credential")
    credential["credentialSchema"] = entry
    with pytest.raises(UnknownSchemaError) as raised:
        validate_credential_schema(credential)
    assert raised.value.code == "UNKNOWN_SCHEMA"
    with pytest.raises(CheckError) as error:
        check_credential_schema(credential)
    assert error.value.code is Code.UNKNOWN_SCHEMA
    assert error.value.pointer == "/credentialSchema"


def test_no_credential_schema_is_an_error(example: Example) -> None:
    credential = example("medical-degree-credential")
    del credential["credentialSchema"]
    assert schema_ids_of(credential) == []
    with pytest.raises(UnknownSchemaError):
        schema_problems(credential)
    with pytest.raises(CheckError) as error:
        check_credential_schema(credential)
    assert error.value.code is Code.UNKNOWN_SCHEMA


def test_too_many_schema_references_are_refused(example: Example) -> None:
    credential = example("medical-degree-credential")
    entry = credential["credentialSchema"]
    credential["credentialSchema"] = [entry] * (MAX_SCHEMA_REFERENCES + 1)
    with pytest.raises(CheckError) as error:
        check_credential_schema(credential)
    assert error.value.code is Code.UNKNOWN_SCHEMA


def test_a_known_failure_wins_over_an_unknown_schema(example: Example) -> None:
    credential = example("medical-degree-credential")
    credential["credentialSubject"]["awardDate"] = "2018-02-30"
    credential["credentialSchema"] = [
        {"id": "https://example.org/schemas/other.json", "type": JSON_SCHEMA_TYPE},
        credential["credentialSchema"],
    ]
    with pytest.raises(CheckFailed) as failed:
        check_credential_schema(credential)
    assert failed.value.pointer == "/credentialSubject/awardDate"
    credential["credentialSubject"]["awardDate"] = "2018-02-28"
    with pytest.raises(CheckError):
        check_credential_schema(credential)


def test_several_schemas_are_all_checked(example: Example) -> None:
    credential = example("medical-degree-credential")
    own = credential["credentialSchema"]
    credential["credentialSchema"] = [own, {"id": COMMON, "type": JSON_SCHEMA_TYPE}]
    check_credential_schema(credential)
    credential["validFrom"] = "yesterday"
    problems = schema_problems(credential)
    assert {p.pointer for p in problems} == {"/validFrom"}
    assert len(problems) >= 2  # one from each schema


def test_the_common_schema_checks_the_envelope(example: Example) -> None:
    credential = example("staff-identity-credential")
    assert validate_against(credential, COMMON) == []
    credential["issuer"] = {"id": "did:web:idsp.example.org", "logo": "x"}
    problem = validate_against(credential, COMMON)[0]
    assert (problem.pointer, problem.keyword) == ("/issuer/logo", "additionalProperties")
    with pytest.raises(UnknownSchemaError):
        validate_against(credential, SCHEMA_BASE + "missing.json")


def test_in_a_recorder_the_schema_stage_records_each_outcome(example: Example) -> None:
    good = example("cstf-training-credential")
    bad = example("cstf-training-credential")
    bad["credentialSubject"]["level"] = 9
    unknown = example("cstf-training-credential")
    unknown["credentialSchema"]["id"] = "https://example.org/schema.json"
    recorder = CheckRecorder(required=[Stage.SCHEMA])
    for document in (good, bad, unknown):
        recorder.run(
            Stage.SCHEMA, "credential.schema", lambda d=document: check_credential_schema(d)
        )
    outcomes = [(c.outcome, c.code, c.pointer) for c in recorder.checks]
    assert outcomes == [
        (Outcome.PASSED, None, ""),
        (Outcome.FAILED, Code.SCHEMA_VALIDATION_ERROR, "/credentialSubject/level"),
        (Outcome.ERROR, Code.UNKNOWN_SCHEMA, "/credentialSchema"),
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-05-12", True),
        ("2024-02-29", True),
        ("2025-02-29", False),
        ("2025-5-12", False),
        ("2025-05-12\n", False),
        ("2025-05-12T00:00:00Z", False),
        ("٢٠٢٥-05-12", False),
        (20250512, False),
    ],
)
def test_dates(value: object, ok: bool) -> None:
    assert is_date(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-05-12T00:00:00Z", True),
        ("2025-05-12T01:00:00+01:00", True),
        ("2025-05-12T00:00:00.5Z", True),
        ("2025-05-12T00:00:00", False),
        ("2025-05-12 00:00:00Z", False),
        ("2025-05-12T24:00:00Z", False),
        ("2025-05-12T23:59:60Z", False),
        ("2025-05-12T00:00:00z", False),
        ("2025-05-12T00:00:00.1234567Z", False),
        ("2025-05-12T00:00:00Z\n", False),
        (None, False),
    ],
)
def test_date_time_stamps(value: object, ok: bool) -> None:
    assert is_date_time_stamp(value) is ok


def test_ecma_dollar_only_at_the_very_end(example: Example) -> None:
    """JSON Schema patterns are ECMA-262: ``$`` does not match before a final newline."""
    credential = example("gmc-registration-credential")
    for value, ok in (("9900001", True), ("9900001\n", False), ("\n9900001", False)):
        credential["credentialSubject"]["gmcReferenceNumber"] = value
        assert (validate_against(credential, credential["credentialSchema"]["id"]) == []) is ok
