"""``GMCRegistrationCredential``: a doctor's GMC registration, as checked on a given day.

Issuer: ideally the GMC; in practice the employing trust attesting its check of the List of
Registered Medical Practitioners (domain brief §4.1, §10.2). Registration can change any day,
so the credential is short-lived (at most 30 days from the register check).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StrictBool, StrictInt, StringConstraints

from staffvc.credentials.nhs._common import (
    Name,
    NhsDate,
    NhsDateTime,
    NhsModel,
    SubjectModel,
    Text,
    unique,
)
from staffvc.credentials.nhs.valuesets import GmcRegistrationStatus, GmcRegistrationType

__all__ = [
    "GMC_NUMBER_PATTERN",
    "FitnessToPractise",
    "GMCRegistrationSubject",
    "GpRegister",
    "PrimaryMedicalQualification",
    "SpecialistEntry",
]

GMC_NUMBER_PATTERN = "^[0-9]{7}$"
"""A GMC reference number: seven digits, kept for life (§4.1)."""


class SpecialistEntry(NhsModel):
    specialty: Text
    entry_date: NhsDate


class GpRegister(NhsModel):
    entered: StrictBool
    entry_date: NhsDate | None = None


class FitnessToPractise(NhsModel):
    """Current fitness-to-practise flags only; never case history."""

    has_active_conditions: StrictBool
    has_active_undertakings: StrictBool
    has_active_warnings: StrictBool
    has_interim_order: StrictBool


class PrimaryMedicalQualification(NhsModel):
    name: Text
    year: Annotated[StrictInt, Field(ge=1900, le=2100)]
    place: Text


class GMCRegistrationSubject(SubjectModel):
    """Registration status, licence and register entries of one doctor."""

    credential_type: ClassVar[str] = "GMCRegistrationCredential"
    schema_file: ClassVar[str] = "gmc-registration-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = (
        "specialistRegister",
        "gpRegister",
        "fitnessToPractise",
        "designatedBody",
        "responsibleOfficer",
        "revalidationDueDate",
        "primaryMedicalQualification",
    )
    required_at_issuance: ClassVar[tuple[str, ...]] = ("fitnessToPractise",)

    gmc_reference_number: Annotated[str, StringConstraints(strict=True, pattern=GMC_NUMBER_PATTERN)]
    registered_name: Name
    registration_status: GmcRegistrationStatus
    registration_type: GmcRegistrationType | None = None
    licence_to_practise: StrictBool
    specialist_register: (
        Annotated[
            tuple[SpecialistEntry, ...],
            Field(min_length=1, max_length=10),
            AfterValidator(unique),
        ]
        | None
    ) = None
    gp_register: GpRegister | None = None
    fitness_to_practise: FitnessToPractise | None = None
    designated_body: Text | None = None
    responsible_officer: Name | None = None
    revalidation_due_date: NhsDate | None = None
    primary_medical_qualification: PrimaryMedicalQualification | None = None
    register_checked_on: NhsDateTime
