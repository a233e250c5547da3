"""Domain brief §9 and §10: what each type always discloses and what a holder may withhold.

The plan (``DISCLOSABLE``) must fit the schemas: whatever may be withheld is optional, so a
selectively disclosed credential still matches its schema; everything else is mandatory
(ecdsa-sd-2023 mandatory pointers) and is what a verifier can rely on seeing.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from staffvc.credentials.nhs import (
    ALWAYS_DISCLOSED,
    CREDENTIAL_TYPES,
    DISCLOSABLE,
    DISCLOSABLE_ITEMS,
    ENVELOPE_MANDATORY,
    SUBJECT_MODELS,
    check_credential_rules,
    mandatory_pointers,
    rule_violations,
    selective_pointers,
)
from staffvc.credentials.nhs.catalogue import member_names
from staffvc.credentials.nhs.strategies import credentials
from staffvc.credentials.schema import bundled_schemas, check_credential_schema


@pytest.mark.parametrize("type_name", CREDENTIAL_TYPES)
def test_the_plan_splits_every_member_once(type_name: str) -> None:
    model = SUBJECT_MODELS[type_name]
    members = {f"/credentialSubject/{m}" for m in member_names(model)}
    always, withheld = set(ALWAYS_DISCLOSED[type_name]), set(DISCLOSABLE[type_name])
    assert always | withheld == members
    assert not always & withheld
    assert ALWAYS_DISCLOSED[type_name][0] == "/credentialSubject/id"
    assert set(DISCLOSABLE_ITEMS[type_name]) <= withheld


@pytest.mark.parametrize("type_name", CREDENTIAL_TYPES)
def test_whatever_may_be_withheld_is_optional_in_schema_and_model(type_name: str) -> None:
    model = SUBJECT_MODELS[type_name]
    required = set(bundled_schemas()[model.schema_id()]["$defs"]["subject"]["required"])
    for pointer in DISCLOSABLE[type_name]:
        member = pointer.rsplit("/", 1)[1]
        assert member not in required, pointer
        field = next(f for n, f in model.model_fields.items() if (f.alias or n) == member)
        assert not field.is_required(), pointer
    for member in model.required_at_issuance:
        assert f"/credentialSubject/{member}" in DISCLOSABLE[type_name]


def test_identifiers_and_special_category_data_may_be_withheld() -> None:
    """§9: stable identifiers and health details are selectively disclosable."""
    assert "/credentialSubject/certificateNumber" in DISCLOSABLE["DBSCheckCredential"]
    assert "/credentialSubject/employeeNumber" in DISCLOSABLE["NHSEmploymentCredential"]
    assert "/credentialSubject/birthDate" in DISCLOSABLE["StaffIdentityCredential"]
    health = DISCLOSABLE["OccupationalHealthClearanceCredential"]
    assert {"/credentialSubject/immunisations", "/credentialSubject/eppClearance"} <= set(health)
    assert (
        "/credentialSubject/immunisations"
        in DISCLOSABLE_ITEMS["OccupationalHealthClearanceCredential"]
    )
    assert "/validUntil" in ENVELOPE_MANDATORY
    assert "/credentialStatus" in ENVELOPE_MANDATORY


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credential=credentials())
def test_drawn_credentials_are_valid_and_keep_their_plan(credential: dict[str, Any]) -> None:
    check_credential_schema(credential)
    check_credential_rules(credential)
    assert rule_violations(credential, issuance=True) == []
    mandatory = mandatory_pointers(credential)
    selective = selective_pointers(credential)
    assert "/credentialSubject/id" in mandatory
    assert not set(mandatory) & set(selective)
    kind = credential["type"][1]
    assert set(mandatory) >= {
        p for p in ALWAYS_DISCLOSED[kind] if p.rsplit("/", 1)[1] in credential["credentialSubject"]
    }
