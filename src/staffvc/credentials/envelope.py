"""The VC Data Model's structural rules, checked on a received document (VCDM 2.0 §4, 1.1 §4).

:func:`check_envelope` reads what a verifier needs from a credential or presentation (its
data model version, kind, issuer or holder) and raises
:class:`~staffvc.results.CheckFailed` with the spec's error codes when a MUST is broken. It
reads the received JSON as it is; nothing is re-serialized, so proofs stay verifiable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject, JsonValue, as_list

__all__ = ["VC_V1", "VC_V2", "DocumentKind", "Envelope", "check_envelope"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"


class DocumentKind(StrEnum):
    CREDENTIAL = "VerifiableCredential"
    PRESENTATION = "VerifiablePresentation"


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the structural check learnt: version ("1.1" / "2.0"), kind, and the party (the
    issuer of a credential, the holder of a presentation; None for a holder-less one)."""

    version: str
    kind: DocumentKind
    party: str | None


def check_envelope(document: JsonValue) -> Envelope:
    """Check the data model's MUSTs for a credential or presentation; raise CheckFailed."""
    if not isinstance(document, dict):
        raise CheckFailed(Code.PARSING_ERROR, "a credential or presentation is a JSON object")
    version = _version(document)
    types = _types(document)
    if DocumentKind.CREDENTIAL in types and DocumentKind.PRESENTATION in types:
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            "type names both a credential and a presentation",
            pointer="/type",
        )
    if DocumentKind.PRESENTATION in types:
        return Envelope(version, DocumentKind.PRESENTATION, _holder(document))
    if DocumentKind.CREDENTIAL not in types:
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            "type must include VerifiableCredential or VerifiablePresentation",
            pointer="/type",
        )
    _check_id(document, "/id")
    issuer = _issuer(document)
    _subjects(document)
    if version == "1.1" and not isinstance(document.get("issuanceDate"), str):
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            "a VCDM 1.1 credential needs issuanceDate",
            pointer="/issuanceDate",
        )
    for member in (
        "credentialStatus",
        "credentialSchema",
        "evidence",
        "termsOfUse",
        "refreshService",
    ):
        for i, item in enumerate(as_list(document.get(member))):
            if not isinstance(item, dict) or not isinstance(item.get("type"), (str, list)):
                raise CheckFailed(
                    Code.MALFORMED_VALUE_ERROR,
                    f"each {member} needs a type",
                    pointer=f"/{member}/{i}",
                )
    return Envelope(version, DocumentKind.CREDENTIAL, issuer)


def _version(document: JsonObject) -> str:
    context = document.get("@context")
    if not isinstance(context, list) or not context:
        if context == VC_V1:
            return "1.1"
        raise CheckFailed(
            Code.PARSING_ERROR, "@context must be a non-empty list", pointer="/@context"
        )
    first = context[0]
    if first == VC_V2:
        return "2.0"
    if first == VC_V1:
        return "1.1"
    raise CheckFailed(
        Code.PARSING_ERROR,
        f"the first @context must be {VC_V2} (or {VC_V1} for VCDM 1.1)",
        pointer="/@context/0",
    )


def _types(document: JsonObject) -> list[str]:
    value = document.get("type")
    types = value if isinstance(value, list) else [value]
    if not types or not all(isinstance(t, str) and t for t in types):
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            "type must be a string or a list of strings",
            pointer="/type",
        )
    return [str(t) for t in types]


def _is_url(value: JsonValue) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    return bool(urlsplit(value).scheme)


def _check_id(obj: JsonObject, pointer: str) -> None:
    if "id" in obj and not _is_url(obj["id"]):
        raise CheckFailed(Code.MALFORMED_VALUE_ERROR, "id must be a URL", pointer=pointer)


def _issuer(document: JsonObject) -> str:
    issuer = _party(document, "issuer")
    if issuer is None:
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR, "a credential needs an issuer", pointer="/issuer"
        )
    return issuer


def _holder(document: JsonObject) -> str | None:
    return _party(document, "holder")


def _party(document: JsonObject, member: str) -> str | None:
    """The id of ``issuer`` / ``holder``: a URL, or an object whose ``id`` is a URL."""
    if member not in document:
        return None
    value = document[member]
    party = value.get("id") if isinstance(value, dict) else value
    if not _is_url(party):
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            f"{member} must be a URL or an object whose id is a URL",
            pointer=f"/{member}",
        )
    return str(party)


def _subjects(document: JsonObject) -> None:
    subjects = document.get("credentialSubject")
    items = subjects if isinstance(subjects, list) else [subjects]
    if not items or not all(isinstance(s, dict) and s for s in items):
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            "credentialSubject must be a non-empty object or list of objects",
            pointer="/credentialSubject",
        )
    for i, subject in enumerate(items):
        assert isinstance(subject, dict)
        _check_id(
            subject,
            f"/credentialSubject/{i}/id" if isinstance(subjects, list) else "/credentialSubject/id",
        )
