"""``CSTFTrainingCredential``: one completed Core Skills Training Framework subject and level.

One credential per subject/level completion, so each expires on its own and a verifier sees
only what it asks for (domain brief §6, §10.4). Issuer: the employing trust (from ESR or its
learning system) or a CSTF-aligned training provider. ``validUntil`` is the end of the
``expiryDate`` (UTC), and the expiry is the completion date plus the national refresher
period of the subject and level.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from staffvc.credentials.nhs._common import NhsDate, NhsModel, SubjectModel, Text
from staffvc.credentials.nhs.valuesets import (
    CstfSubject,
    CstfVariant,
    DeliveryMode,
    RefresherPeriod,
)

__all__ = [
    "ESR_COMPETENCY_PATTERN",
    "FRAMEWORK_VERSION_PATTERN",
    "Assessment",
    "CSTFTrainingSubject",
    "TrainingProvider",
]

ESR_COMPETENCY_PATTERN = "^NHS\\|CSTF\\|[^|\\u0000-\\u001f\\u007f]{1,150}\\|$"
"""An ESR national CSTF competency name, such as ``NHS|CSTF|Fire Safety - 2 Years|``."""
FRAMEWORK_VERSION_PATTERN = "^[^\\u0000-\\u001f\\u007f]{1,60}$"


class TrainingProvider(NhsModel):
    """Who delivered the training, and whether it is aligned to the CSTF."""

    name: Text
    cstf_aligned: StrictBool
    alignment_statement: (
        Annotated[str, StringConstraints(strict=True, min_length=1, max_length=500)] | None
    ) = None


class Assessment(NhsModel):
    passed: StrictBool


class CSTFTrainingSubject(SubjectModel):
    """A completion: subject, level (and variant), dates and the refresher period."""

    credential_type: ClassVar[str] = "CSTFTrainingCredential"
    schema_file: ClassVar[str] = "cstf-training-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = (
        "esrCompetencyName",
        "deliveryMode",
        "trainingProvider",
        "assessment",
    )

    subject: CstfSubject
    level: Annotated[StrictInt, Field(ge=1, le=3)]
    variant: CstfVariant | None = None
    completion_date: NhsDate
    expiry_date: NhsDate
    refresher_period: RefresherPeriod
    framework_version: Annotated[
        str, StringConstraints(strict=True, pattern=FRAMEWORK_VERSION_PATTERN)
    ]
    esr_competency_name: (
        Annotated[str, StringConstraints(strict=True, pattern=ESR_COMPETENCY_PATTERN)] | None
    ) = None
    delivery_mode: DeliveryMode | None = None
    training_provider: TrainingProvider | None = None
    assessment: Assessment | None = None
