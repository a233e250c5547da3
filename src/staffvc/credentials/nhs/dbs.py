"""``DBSCheckCredential``: the employer's decision on a DBS check, never the certificate.

Issuer: the employing trust (or its umbrella registered body) that saw the original
certificate; the DBS issues no credentials (domain brief §5, §10.3). The content of the
certificate (convictions, police information, whether it is "clear") never travels: only
the level, the workforce, the lists checked, Update Service status and the decision.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StrictBool, StringConstraints

from staffvc.credentials.nhs._common import NhsDate, NhsModel, SubjectModel, Text, unique
from staffvc.credentials.nhs.valuesets import (
    BarredList,
    DbsCheckLevel,
    DbsStatusResult,
    DbsWorkforce,
    EmployerDecision,
)

__all__ = ["DBS_CERTIFICATE_PATTERN", "DBSCheckSubject", "UpdateService"]

DBS_CERTIFICATE_PATTERN = "^[0-9]{12}$"
"""A DBS certificate number: twelve digits (§5)."""


class UpdateService(NhsModel):
    """DBS Update Service subscription and the employer's last status check."""

    subscribed: StrictBool
    last_status_check: NhsDate | None = None
    last_status_result: DbsStatusResult | None = None


class DBSCheckSubject(SubjectModel):
    """What was checked, at which level, for which workforce, and the employer's decision."""

    credential_type: ClassVar[str] = "DBSCheckCredential"
    schema_file: ClassVar[str] = "dbs-check-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = ("certificateNumber", "updateService", "roleCategory")
    required_at_issuance: ClassVar[tuple[str, ...]] = ("certificateNumber",)

    certificate_number: (
        Annotated[str, StringConstraints(strict=True, pattern=DBS_CERTIFICATE_PATTERN)] | None
    ) = None
    certificate_issue_date: NhsDate
    check_level: DbsCheckLevel
    barred_lists_checked: (
        Annotated[tuple[BarredList, ...], Field(min_length=1, max_length=2), AfterValidator(unique)]
        | None
    ) = None
    workforce: DbsWorkforce
    update_service: UpdateService | None = None
    employer_decision: EmployerDecision
    decision_date: NhsDate
    role_category: Text | None = None
