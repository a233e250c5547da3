"""``MedicalDegreeCredential``: a primary medical qualification, from the awarding body.

Issuer: the university (or another awarding body) that awarded the degree (domain brief
§4.1 "PMQ", §10.7). A degree does not expire, so ``validUntil`` is optional. It never
carries transcripts, marks or student numbers.
"""

from __future__ import annotations

from typing import ClassVar

from staffvc.credentials.nhs._common import CountryCode, NhsDate, NhsModel, SubjectModel, Text
from staffvc.credentials.nhs.valuesets import DegreeClassification

__all__ = ["AwardingBody", "MedicalDegreeSubject"]


class AwardingBody(NhsModel):
    name: Text
    country_code: CountryCode


class MedicalDegreeSubject(SubjectModel):
    """The qualification, who awarded it, and when."""

    credential_type: ClassVar[str] = "MedicalDegreeCredential"
    schema_file: ClassVar[str] = "medical-degree-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = ("classification",)

    qualification_name: Text
    awarding_body: AwardingBody
    award_date: NhsDate
    classification: DegreeClassification | None = None
