"""``OccupationalHealthClearanceCredential``: an OH service's clearance for a role.

Issuer: a SEQOHS-accredited occupational health service (domain brief §7, §10.5). It says
"cleared for this kind of role", with EPP clearance and, per vaccine, whether the immunity
evidence is satisfactory (with the SNOMED CT procedure code). It never carries antibody
levels, test results, blood-borne-virus status or anything else from the OH record.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StrictBool, StrictInt

from staffvc.credentials.nhs._common import NhsDate, NhsModel, SubjectModel, Text, unique
from staffvc.credentials.nhs.valuesets import (
    ClearanceOutcome,
    OhRoleCategory,
    VaccinationProcedure,
    Vaccine,
)

__all__ = [
    "EppClearance",
    "ImmunisationEvidence",
    "OccupationalHealthClearanceSubject",
    "OhProvider",
]


class EppClearance(NhsModel):
    """Clearance for exposure-prone procedures (UKAP integrated guidance, §7.2)."""

    cleared: StrictBool
    categories_cleared: (
        Annotated[
            tuple[Annotated[StrictInt, Field(ge=1, le=3)], ...],
            Field(min_length=1, max_length=3),
            AfterValidator(unique),
        ]
        | None
    ) = None
    ivs_used: StrictBool
    clearance_date: NhsDate
    review_date: NhsDate | None = None


class ImmunisationEvidence(NhsModel):
    """For one vaccine: is the evidence of immunity satisfactory, and by which procedure."""

    vaccine: Vaccine
    snomed_code: VaccinationProcedure
    evidence_satisfactory: StrictBool
    evidence_date: NhsDate | None = None


class OhProvider(NhsModel):
    name: Text
    seqohs_accredited: StrictBool


class OccupationalHealthClearanceSubject(SubjectModel):
    """The clearance decision for a role category, with EPP and immunisation evidence."""

    credential_type: ClassVar[str] = "OccupationalHealthClearanceCredential"
    schema_file: ClassVar[str] = "occupational-health-clearance-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = ("reviewDate", "eppClearance", "immunisations")
    required_at_issuance: ClassVar[tuple[str, ...]] = ("reviewDate",)

    clearance_outcome: ClearanceOutcome
    role_category: OhRoleCategory
    assessment_date: NhsDate
    review_date: NhsDate | None = None
    epp_clearance: EppClearance | None = None
    immunisations: (
        Annotated[
            tuple[ImmunisationEvidence, ...],
            Field(min_length=1, max_length=12),
            AfterValidator(unique),
        ]
        | None
    ) = None
    oh_provider: OhProvider
