"""``RightToWorkCredential``: the outcome of a right-to-work check and when to re-check.

Issuer: the employer that did the check (manual document check, Home Office online share
code check, or an IDSP check for British and Irish passports at GPG 45 Medium or higher;
domain brief §2, §10.7). It never carries the share code, nationality, immigration status
or document numbers: only that the right exists, whether it is time-limited, and the date a
follow-up check is due.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import StrictBool

from staffvc.credentials.nhs._common import IdentityProvider, NhsDate, SubjectModel
from staffvc.credentials.nhs.valuesets import (
    LevelOfConfidence,
    PermissionType,
    RightToWorkCheckType,
)

__all__ = ["RightToWorkSubject"]


class RightToWorkSubject(SubjectModel):
    """How and when the right to work was checked, and whether it is time-limited."""

    credential_type: ClassVar[str] = "RightToWorkCredential"
    schema_file: ClassVar[str] = "right-to-work-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = (
        "hasWorkRestrictions",
        "levelOfConfidence",
        "identityProvider",
    )

    check_type: RightToWorkCheckType
    checked_on: NhsDate
    permission_type: PermissionType
    follow_up_due: NhsDate | None = None
    has_work_restrictions: StrictBool | None = None
    level_of_confidence: LevelOfConfidence | None = None
    identity_provider: IdentityProvider | None = None
