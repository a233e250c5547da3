"""``NHSEmploymentCredential``: proof of an NHS assignment and of the checks done for it.

Issuer: the employing NHS trust (domain brief §2, §8, §10.6), the successor of the COVID-19
staff passport's employment credential. It records the employer, role, staff group, grade,
assignment type and dates, and which of the six NHS Employment Check Standards were met and
when, so that a receiving trust need not repeat them. It never carries pay, bank details,
sickness absence, disciplinary data or reference text.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StringConstraints

from staffvc.credentials.nhs._common import (
    NhsDate,
    NhsModel,
    OdsCode,
    SubjectModel,
    Text,
    unique,
)
from staffvc.credentials.nhs.valuesets import (
    AssignmentType,
    EmploymentStandard,
    RightToWorkCheckType,
    StaffGroup,
)

__all__ = [
    "EMPLOYEE_NUMBER_PATTERN",
    "GRADE_PATTERN",
    "NATIONAL_POST_NUMBER_PATTERN",
    "Employer",
    "EmploymentCheck",
    "NHSEmploymentSubject",
    "RightToWorkSummary",
    "TrainingPlacement",
]

EMPLOYEE_NUMBER_PATTERN = "^[0-9]{6,12}$"
"""An ESR person or assignment number."""
GRADE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9 ./()+-]{0,39}$"
"""A grade or band: "FY2", "ST3", "Band 6", "Band 8a"."""
NATIONAL_POST_NUMBER_PATTERN = "^[A-Z0-9]{2,10}(/[A-Z0-9]{1,10}){1,6}$"
"""A national post number (NPN), such as ``EXA/ZZ9/F2/001``."""


class Employer(NhsModel):
    name: Text
    ods_code: OdsCode


class EmploymentCheck(NhsModel):
    """One NHS Employment Check Standard met, and when."""

    standard: EmploymentStandard
    completed_on: NhsDate


class RightToWorkSummary(NhsModel):
    """How the right to work was checked and when a follow-up check is due (if ever)."""

    check_type: RightToWorkCheckType
    follow_up_due: NhsDate | None = None


class TrainingPlacement(NhsModel):
    """A postgraduate training placement (HEE TIS fields, §8.1)."""

    programme_name: Text
    specialty: Text
    national_post_number: Annotated[
        str, StringConstraints(strict=True, pattern=NATIONAL_POST_NUMBER_PATTERN)
    ]
    site: Text
    start_date: NhsDate
    end_date: NhsDate


class NHSEmploymentSubject(SubjectModel):
    """An assignment with an NHS employer, and the pre-employment checks completed."""

    credential_type: ClassVar[str] = "NHSEmploymentCredential"
    schema_file: ClassVar[str] = "nhs-employment-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = (
        "grade",
        "rightToWork",
        "employeeNumber",
        "trainingPlacement",
    )

    employer: Employer
    job_title: Text
    staff_group: StaffGroup
    grade: Annotated[str, StringConstraints(strict=True, pattern=GRADE_PATTERN)] | None = None
    employment_type: AssignmentType
    assignment_start_date: NhsDate
    assignment_end_date: NhsDate | None = None
    employment_checks: Annotated[
        tuple[EmploymentCheck, ...], Field(min_length=1, max_length=6), AfterValidator(unique)
    ]
    right_to_work: RightToWorkSummary | None = None
    employee_number: (
        Annotated[str, StringConstraints(strict=True, pattern=EMPLOYEE_NUMBER_PATTERN)] | None
    ) = None
    training_placement: TrainingPlacement | None = None
