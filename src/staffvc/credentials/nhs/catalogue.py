"""The NHS credential types as data: type name → subject model, schema, disclosure plan.

``DISCLOSABLE`` lists, per type, the members a holder may withhold (selective disclosure with
SD-JWT VC or ecdsa-sd-2023); every other member is always disclosed. Pointers are JSON
pointers into the VCDM credential. :func:`mandatory_pointers` and
:func:`selective_pointers` turn the plan into the concrete pointers of one credential, as
ecdsa-sd-2023 (``mandatory_pointers``) and an SD-JWT issuer (disclosable claims) need them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from staffvc.clock import parse_datetime
from staffvc.credentials.nhs._common import SubjectModel
from staffvc.credentials.nhs.cstf import CSTFTrainingSubject
from staffvc.credentials.nhs.dbs import DBSCheckSubject
from staffvc.credentials.nhs.employment import NHSEmploymentSubject
from staffvc.credentials.nhs.gmc import GMCRegistrationSubject
from staffvc.credentials.nhs.identity import StaffIdentitySubject
from staffvc.credentials.nhs.medical_degree import MedicalDegreeSubject
from staffvc.credentials.nhs.occupational_health import OccupationalHealthClearanceSubject
from staffvc.credentials.nhs.right_to_work import RightToWorkSubject
from staffvc.safejson import JsonObject, JsonValue, as_list

__all__ = [
    "ALWAYS_DISCLOSED",
    "CREDENTIAL_TYPES",
    "DISCLOSABLE",
    "DISCLOSABLE_ITEMS",
    "ENVELOPE_MANDATORY",
    "SUBJECT_MODELS",
    "VCT_BASE",
    "SdJwtVcForm",
    "credential_type_of",
    "mandatory_pointers",
    "member_names",
    "sd_jwt_vc_form",
    "selective_pointers",
    "vct_of",
]

SUBJECT_MODELS: Mapping[str, type[SubjectModel]] = MappingProxyType(
    {
        model.credential_type: model
        for model in (
            StaffIdentitySubject,
            GMCRegistrationSubject,
            DBSCheckSubject,
            CSTFTrainingSubject,
            OccupationalHealthClearanceSubject,
            NHSEmploymentSubject,
            RightToWorkSubject,
            MedicalDegreeSubject,
        )
    }
)
"""Credential type (the ``type`` value after ``VerifiableCredential``) → subject model."""

CREDENTIAL_TYPES: tuple[str, ...] = tuple(SUBJECT_MODELS)

ENVELOPE_MANDATORY: tuple[str, ...] = (
    "/issuer",
    "/validFrom",
    "/validUntil",
    "/credentialSchema",
    "/credentialStatus",
)
"""Envelope members never withheld (where present): who issued it, when it is valid, its
schema, and its status entry (a verifier must be able to check revocation). ``/id`` is
left to the holder: it is a correlation handle."""


def member_names(model: type[SubjectModel]) -> tuple[str, ...]:
    """The JSON member names of a subject model, in declaration order."""
    return tuple(field.alias or name for name, field in model.model_fields.items())


DISCLOSABLE: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        name: tuple(f"/credentialSubject/{member}" for member in model.disclosable)
        for name, model in SUBJECT_MODELS.items()
    }
)
"""Credential type → JSON pointers of the subject members that may be withheld."""

DISCLOSABLE_ITEMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        name: tuple(
            pointer
            for pointer in DISCLOSABLE[name]
            if pointer.rsplit("/", 1)[1] in ("immunisations", "specialistRegister")
        )
        for name in SUBJECT_MODELS
    }
)
"""Credential type → arrays (among DISCLOSABLE) whose items are each disclosable on their
own (one immunisation, one specialist register entry)."""

ALWAYS_DISCLOSED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        name: tuple(
            f"/credentialSubject/{member}"
            for member in member_names(model)
            if member not in model.disclosable
        )
        for name, model in SUBJECT_MODELS.items()
    }
)
"""Credential type → JSON pointers of the subject members always disclosed (``id`` first)."""


def credential_type_of(credential: JsonObject) -> str | None:
    """The one NHS credential type ``credential`` declares, or None (none, or several)."""
    found = [t for t in as_list(credential.get("type")) if t in SUBJECT_MODELS]
    return str(found[0]) if len(found) == 1 else None


def _present(document: JsonValue, pointer: str) -> bool:
    node = document
    for token in pointer.split("/")[1:]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def mandatory_pointers(credential: JsonObject) -> list[str]:
    """The pointers an issuer must make mandatory for ``credential`` (ecdsa-sd-2023): the
    envelope members of :data:`ENVELOPE_MANDATORY` and the always-disclosed subject members,
    those present. Raises ValueError if the credential is of no single NHS type."""
    kind = credential_type_of(credential)
    if kind is None:
        raise ValueError("not a credential of exactly one NHS staff passport type")
    wanted = (*ENVELOPE_MANDATORY, *ALWAYS_DISCLOSED[kind])
    return [p for p in wanted if _present(credential, p)]


def selective_pointers(credential: JsonObject) -> list[str]:
    """The pointers a holder may choose among for ``credential``: each disclosable member
    present, and each item of the arrays in :data:`DISCLOSABLE_ITEMS`."""
    kind = credential_type_of(credential)
    if kind is None:
        raise ValueError("not a credential of exactly one NHS staff passport type")
    pointers: list[str] = []
    for pointer in DISCLOSABLE[kind]:
        if not _present(credential, pointer):
            continue
        pointers.append(pointer)
        if pointer in DISCLOSABLE_ITEMS[kind]:
            subject = credential["credentialSubject"]
            assert isinstance(subject, dict)
            items = subject[pointer.rsplit("/", 1)[1]]
            count = len(items) if isinstance(items, list) else 0
            pointers.extend(f"{pointer}/{i}" for i in range(count))
    return pointers


# --- the same statements as an IETF SD-JWT VC ---------------------------------------------------

VCT_BASE = "https://w3id.org/nhs-staff-passport/vct/"
"""Base of the SD-JWT VC ``vct`` of each type (``VCT_BASE + type name``)."""


def vct_of(credential_type: str) -> str:
    """The SD-JWT VC type (``vct``) of an NHS credential type."""
    if credential_type not in SUBJECT_MODELS:
        raise ValueError(f"not an NHS staff passport credential type: {credential_type!r}")
    return VCT_BASE + credential_type


@dataclass(frozen=True, slots=True)
class SdJwtVcForm:
    """An NHS credential as SD-JWT VC claims (draft-ietf-oauth-sd-jwt-vc): ``vct``, the
    claims, and the JSON pointers (into the claims) an issuer makes disclosable."""

    vct: str
    claims: JsonObject
    disclosable: tuple[str, ...]


def sd_jwt_vc_form(credential: JsonObject) -> SdJwtVcForm:
    """The statements of an (unsigned, valid) NHS VCDM credential as SD-JWT VC claims.

    The subject's members become top-level claims, its ``id`` the ``sub``; ``iss`` is the
    issuer's id, ``nbf``/``exp`` come from ``validFrom``/``validUntil``. The disclosable
    claims are those of :data:`DISCLOSABLE` (and each item of :data:`DISCLOSABLE_ITEMS`)
    present. ``credentialStatus`` and ``credentialSchema`` have no SD-JWT VC equivalent
    here and are left out (SD-JWT VC status uses a Token Status List). Raises ValueError if
    the credential is of no single NHS type or lacks what the claims need.
    """
    kind = credential_type_of(credential)
    subject = credential.get("credentialSubject")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if kind is None or not isinstance(subject, dict) or not isinstance(issuer_id, str):
        raise ValueError("not a credential of exactly one NHS staff passport type")
    claims: JsonObject = {"iss": issuer_id}
    for member, claim in (("validFrom", "nbf"), ("validUntil", "exp")):
        value = credential.get(member)
        if value is not None:
            if not isinstance(value, str):
                raise ValueError(f"{member} is not a date-time")
            claims[claim] = int(parse_datetime(value).timestamp())
    for member, value in subject.items():
        claims["sub" if member == "id" else member] = value
    disclosable = [
        pointer.removeprefix("/credentialSubject") for pointer in selective_pointers(credential)
    ]
    return SdJwtVcForm(vct=vct_of(kind), claims=claims, disclosable=tuple(disclosable))
