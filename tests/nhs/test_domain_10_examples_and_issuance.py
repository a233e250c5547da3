"""Domain brief §10 (credential designs): one valid example per type, and issuance.

Every example in examples/credentials validates against its JSON Schema, its pydantic
model and its type's rules; ``build_nhs_credential`` rebuilds each example exactly from its
model, and refuses what must not be issued.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from staffvc.clock import parse_datetime
from staffvc.credentials.nhs import (
    CONTEXT_URL,
    CREDENTIAL_TYPES,
    SUBJECT_MODELS,
    CSTFTrainingSubject,
    MedicalDegreeSubject,
    NhsModel,
    build_nhs_credential,
    check_credential_rules,
    credential_type_of,
    default_valid_until,
    rule_violations,
    validate_for_issuance,
)
from staffvc.credentials.nhs.rules import (
    add_years,
    assemble_credential,
    cstf_expiry,
    end_of_day,
    is_dbs_certificate_number,
    is_gmc_reference_number,
)
from staffvc.credentials.nhs.valuesets import (
    CSTF_LEVELS,
    CSTF_REFRESHER_YEARS,
    CSTF_VARIANTS,
    VACCINATION_PROCEDURES,
    CstfSubject,
    VaccinationProcedure,
    Vaccine,
    is_snomed_concept_id,
)
from staffvc.credentials.schema import check_credential_schema, schema_problems
from staffvc.errors import CredentialDataError, SchemaValidationError, StaffVCError
from staffvc.results import CheckFailed
from support import REPO

Example = Callable[[str], dict[str, Any]]


def test_one_example_per_credential_type(example: Example, example_name: str) -> None:
    credential = example(example_name)
    kind = credential_type_of(credential)
    assert kind in CREDENTIAL_TYPES
    assert SUBJECT_MODELS[kind].schema_file == f"{example_name}-v1.json"


def test_the_examples_cover_every_type(example: Example) -> None:
    names = sorted(p.stem for p in (REPO / "examples" / "credentials").glob("*.json"))
    kinds = [credential_type_of(example(name)) for name in names]
    assert sorted(kinds) == sorted(CREDENTIAL_TYPES)


def test_example_validates_against_schema_model_and_rules(
    example: Example, example_name: str
) -> None:
    credential = example(example_name)
    assert schema_problems(credential) == []
    check_credential_schema(credential)
    model = SUBJECT_MODELS[credential["type"][1]]
    subject = model.from_json(credential["credentialSubject"])
    assert subject.to_json() == credential["credentialSubject"]
    assert rule_violations(credential, issuance=True) == []
    check_credential_rules(credential)
    validate_for_issuance(credential)
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2", CONTEXT_URL]


def test_build_rebuilds_each_example_from_its_model(example: Example, example_name: str) -> None:
    credential = example(example_name)
    subject = SUBJECT_MODELS[credential["type"][1]].from_json(credential["credentialSubject"])
    valid_until = credential.get("validUntil")
    rebuilt = build_nhs_credential(
        subject,
        issuer=credential["issuer"],
        valid_from=parse_datetime(credential["validFrom"]),
        valid_until=None if valid_until is None else parse_datetime(valid_until),
        credential_id=credential["id"],
    )
    assert rebuilt == credential
    assert list(rebuilt) == list(credential)  # the member order too


def test_default_valid_until_is_accepted_by_the_rules(example: Example, example_name: str) -> None:
    credential = example(example_name)
    subject = SUBJECT_MODELS[credential["type"][1]].from_json(credential["credentialSubject"])
    valid_from = parse_datetime(credential["validFrom"])
    longest = default_valid_until(subject, valid_from=valid_from)
    built = build_nhs_credential(
        subject,
        issuer=credential["issuer"],
        valid_from=valid_from,
        valid_until=longest,
        credential_id=None,
    )
    assert "id" not in built
    if longest is not None:
        later = longest + timedelta(seconds=1)
        with pytest.raises(CredentialDataError) as caught:
            build_nhs_credential(
                subject,
                issuer=credential["issuer"],
                valid_from=valid_from,
                valid_until=later,
                credential_id=None,
            )
        assert caught.value.pointer == "/validUntil"
        assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_build_adds_status_evidence_name_and_description(example: Example) -> None:
    credential = example("medical-degree-credential")
    subject = MedicalDegreeSubject.from_json(credential["credentialSubject"])
    status = {
        "id": "https://status.example.org/lists/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://status.example.org/lists/1",
    }
    built = build_nhs_credential(
        subject,
        issuer=credential["issuer"],
        valid_from=parse_datetime(credential["validFrom"]),
        valid_until=None,
        credential_id=None,
        credential_status=[status],
        evidence={"type": "DocumentVerification"},
        name="Medical degree",
        description="MB ChB, University of Exampleton",
    )
    assert built["credentialStatus"] == [status]
    assert built["evidence"] == {"type": "DocumentVerification"}
    assert built["name"] == "Medical degree"
    assert built["description"] == "MB ChB, University of Exampleton"


# --- issuance refuses --------------------------------------------------------------------------


def _cstf_subject(**changes: Any) -> CSTFTrainingSubject:
    fields: dict[str, Any] = {
        "id": "did:example:staff-1",
        "subject": "fire_safety",
        "level": 1,
        "completion_date": date(2025, 5, 12),
        "expiry_date": date(2027, 5, 12),
        "refresher_period": "P2Y",
        "framework_version": "CSTF (England) v1.1",
    }
    fields.update(changes)
    return CSTFTrainingSubject(**fields)


def _build(subject: Any, **changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "issuer": "did:web:trust-zz9.example.org",
        "valid_from": datetime(2025, 5, 12, 9, tzinfo=UTC),
        "valid_until": datetime(2027, 5, 12, 23, 59, 59, tzinfo=UTC),
        "credential_id": "urn:uuid:0f8e9a2c-1111-4c1b-9f0e-1a2b3c4d5e6f",
    }
    arguments.update(changes)
    return build_nhs_credential(subject, **arguments)


def test_build_checks_the_rules() -> None:
    assert _build(_cstf_subject())["validUntil"] == "2027-05-12T23:59:59Z"
    with pytest.raises(CredentialDataError) as caught:
        _build(_cstf_subject(refresher_period="P3Y", expiry_date=date(2028, 5, 12)))
    assert (caught.value.pointer, caught.value.rule) == (
        "/credentialSubject/refresherPeriod",
        "cstf.refresher-period",
    )


@pytest.mark.parametrize(
    ("changes", "pointer", "rule"),
    [
        ({"valid_from": datetime(2025, 5, 12, 9)}, "/validFrom", "validity.format"),
        ({"valid_until": datetime(2027, 5, 12, 23, 59, 59)}, "/validUntil", "validity.format"),
        ({"issuer": "Example Trust"}, "/issuer", "pattern"),
        ({"credential_id": "not a url"}, "/id", "pattern"),
        ({"valid_until": None}, "/validUntil", "required"),
    ],
)
def test_build_refuses_bad_envelope_arguments(
    changes: dict[str, Any], pointer: str, rule: str
) -> None:
    with pytest.raises(CredentialDataError) as caught:
        _build(_cstf_subject(), **changes)
    assert (caught.value.pointer, caught.value.rule) == (pointer, rule)


def test_build_refuses_what_is_not_a_subject_model() -> None:
    class Stranger(NhsModel):
        id: str

    with pytest.raises(CredentialDataError) as caught:
        _build(Stranger(id="did:example:x"))
    assert caught.value.rule == "credential.type"
    with pytest.raises(CredentialDataError):
        _build({"id": "did:example:x"})


def test_schema_errors_are_a_subclass_with_their_own_code() -> None:
    with pytest.raises(SchemaValidationError) as caught:
        _build(_cstf_subject(), issuer={"id": "did:web:x.example.org", "odsCode": "zz9"})
    error = caught.value
    assert isinstance(error, CredentialDataError)
    assert isinstance(error, StaffVCError)
    assert (error.code, error.pointer, error.rule) == (
        "SCHEMA_VALIDATION_ERROR",
        "/issuer/odsCode",
        "pattern",
    )
    assert error.to_dict()["code"] == "SCHEMA_VALIDATION_ERROR"


def test_issuance_refuses_what_is_not_a_credential_object() -> None:
    with pytest.raises(CredentialDataError) as caught:
        validate_for_issuance([])  # type: ignore[arg-type]
    assert caught.value.rule == "json"
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(40):
        node["evidence"] = {}
        node = node["evidence"]
    with pytest.raises(CredentialDataError) as caught:
        validate_for_issuance(deep)
    assert caught.value.rule == "limits"


def test_assemble_does_not_check() -> None:
    unchecked = assemble_credential(
        _cstf_subject(refresher_period="P3Y"),
        issuer="did:web:trust-zz9.example.org",
        valid_from=datetime(2025, 5, 12, tzinfo=UTC),
        valid_until=None,
        credential_id=None,
    )
    rules = [v.rule for v in rule_violations(unchecked, issuance=True)]
    assert "cstf.refresher-period" in rules
    assert "cstf.valid-until" in rules


def test_rule_violations_of_a_credential_without_a_known_type() -> None:
    violations = rule_violations({"type": ["VerifiableCredential"]}, issuance=False)
    assert [(v.pointer, v.rule) for v in violations] == [("/type", "credential.type")]
    with pytest.raises(CheckFailed) as caught:
        check_credential_rules({"type": "VerifiableCredential"})
    assert caught.value.code.value == "MALFORMED_VALUE_ERROR"


def test_rule_violations_never_raise_on_malformed_envelopes(example: Example) -> None:
    credential = example("cstf-training-credential")
    credential["@context"] = "https://www.w3.org/ns/credentials/v2"
    credential["credentialSchema"] = "nope"
    credential["validFrom"] = 5
    credential["credentialSubject"] = [credential["credentialSubject"]]
    rules = {v.rule for v in rule_violations(credential, issuance=False)}
    assert rules == {"credential.context", "validity.format", "credential.subject"}
    issuing = {v.rule for v in rule_violations(credential, issuance=True)}
    assert issuing >= {*rules, "credential.schema"}  # an issuer must name the type's schema
    credential["credentialSubject"] = {"id": "did:example:x", "level": "one"}
    rules = {v.rule for v in rule_violations(credential, issuance=False)}
    assert any(rule.startswith("model.") for rule in rules)


# --- the value sets and helpers the rules rest on -----------------------------------------------


def test_every_cstf_subject_has_levels_and_national_refresher_periods() -> None:
    assert len(CstfSubject) == 11
    assert set(CSTF_REFRESHER_YEARS) == set(CstfSubject)
    assert CSTF_REFRESHER_YEARS[CstfSubject.FIRE_SAFETY] == {1: 2}
    assert CSTF_REFRESHER_YEARS[CstfSubject.INFORMATION_GOVERNANCE_DATA_SECURITY] == {1: 1}
    assert CSTF_REFRESHER_YEARS[CstfSubject.RESUSCITATION] == {1: 1, 2: 1, 3: 1}
    for subject, levels in CSTF_LEVELS.items():
        assert levels
        assert set(levels) <= {1, 2, 3}
        for level in levels:
            assert CSTF_REFRESHER_YEARS[subject][level] in (1, 2, 3)
    for subject, level in CSTF_VARIANTS:
        assert level in CSTF_LEVELS[subject]


def test_cstf_expiry_handles_29_february() -> None:
    assert cstf_expiry(CstfSubject.FIRE_SAFETY, 1, date(2024, 2, 29)) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert end_of_day(date(2027, 5, 12)) == datetime(2027, 5, 12, 23, 59, 59, tzinfo=UTC)


def test_vaccination_value_set_is_snomed_procedure_concepts() -> None:
    assert set(VACCINATION_PROCEDURES) == set(Vaccine)
    every = [code for codes in VACCINATION_PROCEDURES.values() for code in codes]
    assert sorted(every) == sorted(VaccinationProcedure)
    for code in every:
        assert is_snomed_concept_id(code.value), code
    assert VACCINATION_PROCEDURES[Vaccine.HEPATITIS_B] == {
        VaccinationProcedure.HEPATITIS_B: "Hepatitis B vaccination"
    }


@pytest.mark.parametrize(
    "sctid", ["16584001", "0165840", "12345", "1658400a", "165840000000000000000", "16584100"]
)
def test_snomed_identifier_check_refuses_bad_ids(sctid: str) -> None:
    assert not is_snomed_concept_id(sctid)


@pytest.mark.parametrize(
    ("value", "gmc", "dbs"),
    [
        ("9900001", True, False),
        ("009900001234", False, True),
        ("990001", False, False),
        ("٩٩٠٠٠٠١", False, False),
        ("9900001\n", False, False),
        (9900001, False, False),
    ],
)
def test_number_formats(value: object, gmc: bool, dbs: bool) -> None:
    assert is_gmc_reference_number(value) is gmc
    assert is_dbs_certificate_number(value) is dbs


def test_default_valid_until_of_open_ended_types(example: Example) -> None:
    degree = MedicalDegreeSubject.from_json(
        example("medical-degree-credential")["credentialSubject"]
    )
    assert default_valid_until(degree, valid_from=datetime(2025, 1, 1, tzinfo=UTC)) is None
    assert add_years(date(2025, 1, 1), 1) == date(2026, 1, 1)
