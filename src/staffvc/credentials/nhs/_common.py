"""What every NHS staff passport credential type shares: URLs, field formats, the base model.

The field formats are written once here as patterns that mean the same in the three regex
engines that read them (ECMA-262 for the JSON Schemas, Python's ``re`` in ``jsonschema``,
Rust's ``regex`` in pydantic): ASCII classes only, no ``\\d``/``\\w``/``\\s``, anchored with
``^...$``. The bundled JSON Schemas use exactly these strings (a test compares them).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic.alias_generators import to_camel

from staffvc.credentials.envelope import VC_V2
from staffvc.credentials.schema import is_date, is_date_time_stamp
from staffvc.safejson import JsonObject

__all__ = [
    "CONTEXT_URL",
    "DATE_PATTERN",
    "DATE_TIME_PATTERN",
    "NAME_PATTERN",
    "ODS_CODE_PATTERN",
    "SCHEMA_BASE",
    "TEXT_PATTERN",
    "URL_PATTERN",
    "VC_V2",
    "VOCABULARY",
    "CountryCode",
    "IdentityProvider",
    "Name",
    "NhsDate",
    "NhsDateTime",
    "NhsModel",
    "OdsCode",
    "SubjectModel",
    "Text",
    "Url",
    "format_date_time",
    "unique",
]

CONTEXT_URL = "https://w3id.org/nhs-staff-passport/v1"
"""The JSON-LD context of every NHS staff passport credential (after the VCDM 2.0 one)."""
VOCABULARY = "https://w3id.org/nhs-staff-passport#"
"""Namespace of the terms the context defines."""
SCHEMA_BASE = "https://w3id.org/nhs-staff-passport/schemas/"
"""Base URL of the JSON Schemas (each schema's ``$id`` is this plus its file name)."""

TEXT_PATTERN = "^[^\\u0000-\\u001f\\u007f]+$"
"""Free text on one line: no control characters (no newlines, no NUL)."""
NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f<>{}|\\\\^`"]+$'
"""A person's or body's name: text without controls or markup-ish characters."""
URL_PATTERN = "^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+$"
"""An absolute URL (DID, ``urn:uuid:``, https) of RFC 3986 characters only."""
ODS_CODE_PATTERN = "^[A-Z0-9]{3,5}$"
"""An ODS organisation code (trusts: 3 characters, sites: 5)."""
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_TIME_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?"
    "(Z|[+-][0-9]{2}:[0-9]{2})$"
)

_T = TypeVar("_T", bound=Hashable)


def unique(items: Sequence[_T]) -> Sequence[_T]:
    """An AfterValidator: the items of an array are distinct (JSON Schema ``uniqueItems``)."""
    if len(set(items)) != len(items):
        raise ValueError("the items must be distinct")
    return items


def _date_in(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if is_date(value):
        return date.fromisoformat(str(value))
    raise ValueError("must be a date written YYYY-MM-DD")


def _date_time_in(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("must be timezone-aware")
        return value
    if is_date_time_stamp(value):
        return datetime.fromisoformat(str(value))
    raise ValueError("must be a date-time with a time-zone offset (dateTimeStamp)")


def format_date_time(value: datetime) -> str:
    """An instant as ``YYYY-MM-DDThh:mm:ssZ`` (UTC; fractions of a second kept if any)."""
    utc = value.astimezone(UTC).replace(tzinfo=None)
    if utc.microsecond:
        return utc.isoformat(timespec="microseconds").rstrip("0") + "Z"
    return utc.isoformat(timespec="seconds") + "Z"


NhsDate = Annotated[date, BeforeValidator(_date_in)]
"""A calendar date, ``YYYY-MM-DD`` in JSON (``xsd:date``)."""
NhsDateTime = Annotated[
    datetime,
    BeforeValidator(_date_time_in),
    PlainSerializer(format_date_time, return_type=str, when_used="json"),
]
"""An instant with a time-zone offset (``xsd:dateTimeStamp``), written in UTC."""
Text = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=200, pattern=TEXT_PATTERN)
]
Name = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=100, pattern=NAME_PATTERN)
]
Url = Annotated[
    str, StringConstraints(strict=True, min_length=3, max_length=2048, pattern=URL_PATTERN)
]
OdsCode = Annotated[str, StringConstraints(strict=True, pattern=ODS_CODE_PATTERN)]
CountryCode = Annotated[str, StringConstraints(strict=True, pattern="^[A-Z]{2}$")]
"""An ISO 3166-1 alpha-2 country code."""


class NhsModel(BaseModel):
    """Base of every part of a credential subject.

    Fields are ``snake_case`` in Python and ``camelCase`` in JSON. Unknown members are
    refused (the schemas say ``additionalProperties: false``), so nothing that must never
    travel can ride along. Instances are immutable.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _no_json_null(cls, data: Any, info: ValidationInfo) -> Any:
        # JSON null is not "absent" (the schemas refuse it, and JSON-LD would drop it from
        # the signed data); in Python, None for an optional field still means "absent".
        if isinstance(info.context, dict) and info.context.get("json") and isinstance(data, dict):
            for key, value in data.items():
                if value is None:
                    raise ValueError(f"{key}: null is not a value; leave the member out")
        return data

    def to_json(self) -> JsonObject:
        """The JSON form (camelCase members, absent optional members left out)."""
        dumped: JsonObject = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Validate a parsed JSON object (camelCase members only). Raises pydantic's
        ValidationError."""
        return cls.model_validate(data, by_alias=True, by_name=False, context={"json": True})


class SubjectModel(NhsModel):
    """A ``credentialSubject`` of one NHS credential type; ``id`` is the holder's DID.

    Class attributes describe the type: the credential ``type`` it goes with, its schema file,
    the members that may be selectively disclosed (the rest are always disclosed), and those
    that are optional in a (possibly selectively disclosed) credential but which an issuer
    must include.
    """

    credential_type: ClassVar[str]
    schema_file: ClassVar[str]
    disclosable: ClassVar[tuple[str, ...]] = ()
    required_at_issuance: ClassVar[tuple[str, ...]] = ()

    id: Url

    @classmethod
    def schema_id(cls) -> str:
        """The ``$id`` of the JSON Schema of this credential type."""
        return SCHEMA_BASE + cls.schema_file


class IdentityProvider(NhsModel):
    """A certified identity service provider (IDSP) and its trust-framework certificate."""

    name: Name
    certification_body: Name | None = None
    certificate_id: Text | None = None
    trust_framework_version: (
        Annotated[str, StringConstraints(strict=True, pattern="^[0-9]{1,3}(\\.[0-9]{1,3}){0,2}$")]
        | None
    ) = None
