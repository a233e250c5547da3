"""``StaffIdentityCredential``: who the staff member is, as an identity check established.

Issuer: a certified identity service provider (IDSP) or an NHS trust / NHS England after a
face-to-face check (domain brief §3, §10.1). The brief calls the type
``NHSStaffIdentityCredential``; staffvc names it ``StaffIdentityCredential`` because the
issuer is often not an NHS body and the context's namespace already says "NHS staff
passport" (see docs/credentials.md).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import StringConstraints

from staffvc.credentials.nhs._common import (
    CountryCode,
    IdentityProvider,
    Name,
    NhsDate,
    NhsModel,
    SubjectModel,
    Text,
)
from staffvc.credentials.nhs.valuesets import CheckMethod, DocumentType, LevelOfConfidence

__all__ = ["GPG45_PROFILE_PATTERN", "PORTRAIT_PATTERN", "PostalAddress", "StaffIdentitySubject"]

GPG45_PROFILE_PATTERN = "^[LMHV][1-3][A-E]$"
PORTRAIT_PATTERN = "^data:image/jpeg;base64,[A-Za-z0-9+/]+={0,2}$"
PORTRAIT_MAX_LENGTH = 68_292
"""A JPEG of at most 50 KiB as a base64 data URI."""
UK_POSTCODE_PATTERN = "^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"


class PostalAddress(NhsModel):
    """A UK postal address (only when a verifier needs it; selectively disclosable)."""

    street_address: Text
    address_locality: Text
    postal_code: Annotated[str, StringConstraints(strict=True, pattern=UK_POSTCODE_PATTERN)]
    address_country: CountryCode | None = None


class StaffIdentitySubject(SubjectModel):
    """Legal names as on the document, date of birth, and how well the identity was checked."""

    credential_type: ClassVar[str] = "StaffIdentityCredential"
    schema_file: ClassVar[str] = "staff-identity-credential-v1.json"
    disclosable: ClassVar[tuple[str, ...]] = (
        "middleNames",
        "birthDate",
        "portrait",
        "gpg45Profile",
        "documentType",
        "address",
    )
    required_at_issuance: ClassVar[tuple[str, ...]] = ("birthDate",)

    given_name: Name
    family_name: Name
    middle_names: Name | None = None
    birth_date: NhsDate | None = None
    portrait: (
        Annotated[
            str,
            StringConstraints(
                strict=True, max_length=PORTRAIT_MAX_LENGTH, pattern=PORTRAIT_PATTERN
            ),
        ]
        | None
    ) = None
    level_of_confidence: LevelOfConfidence
    gpg45_profile: (
        Annotated[str, StringConstraints(strict=True, pattern=GPG45_PROFILE_PATTERN)] | None
    ) = None
    check_method: CheckMethod
    identity_provider: IdentityProvider | None = None
    checked_on: NhsDate
    document_type: DocumentType | None = None
    address: PostalAddress | None = None
