"""JSON Schema validation of credentials (W3C VC JSON Schema 1.0, JSON Schema 2020-12).

A credential names its schema in ``credentialSchema`` (``{"id": <schema $id>, "type":
"JsonSchema"}``). staffvc validates only against the schemas bundled with it, looked up by
their ``$id``; a schema is never fetched, because whoever serves it would decide what
"valid" means. An id that is not bundled, or a ``JsonSchemaCredential`` (a schema inside a
credential, which would have to be verified and fetched first), is an
:class:`~staffvc.errors.UnknownSchemaError`: the check could not run, which a verifier
reports as ERROR (INDETERMINATE), never as VALID.

Validation is JSON Schema 2020-12 (``jsonschema``'s Draft202012Validator with format
checking) with three corrections that keep Python and the published meaning in step:

- ``pattern`` follows ECMA-262 as the specification says: ``$`` matches only at the very end
  (Python's ``$`` also matches before a final newline, so ``"1234567\\n"`` would pass
  ``^[0-9]{7}$``);
- ``integer`` is a JSON number without a fraction or exponent, so ``1.0`` is refused
  (JSON-LD signs ``1.0`` as a double, not as the integer 1);
- ``date`` and ``date-time`` are checked (``date-time`` as an XML Schema dateTimeStamp with a
  time-zone offset), without optional packages.

Every problem carries a JSON pointer into the credential and the schema keyword that failed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from staffvc import resources
from staffvc.errors import ResourceError, SchemaValidationError, UnknownSchemaError
from staffvc.results import CheckError, CheckFailed, Code
from staffvc.safejson import JsonObject, JsonValue, as_list

__all__ = [
    "JSON_SCHEMA_TYPE",
    "MAX_SCHEMA_REFERENCES",
    "SchemaProblem",
    "bundled_schemas",
    "check_credential_schema",
    "is_date",
    "is_date_time_stamp",
    "schema_ids_of",
    "schema_problems",
    "validate_against",
    "validate_credential_schema",
]

JSON_SCHEMA_TYPE = "JsonSchema"
"""The ``credentialSchema`` type of a plain JSON Schema (VC JSON Schema §2.1)."""
_SCHEMA_CREDENTIAL_TYPE = "JsonSchemaCredential"
MAX_SCHEMA_REFERENCES = 8
"""Most ``credentialSchema`` entries one credential may name."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME_STAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def is_date(value: object) -> bool:
    """True for an ``xsd:date`` without time zone, ``YYYY-MM-DD``, that exists in the calendar."""
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time_stamp(value: object) -> bool:
    """True for an ``xsd:dateTimeStamp`` (RFC 3339 with ``Z`` or an offset) that exists."""
    if not isinstance(value, str) or _DATE_TIME_STAMP.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One way a credential fails its schema: where (JSON pointer), which keyword, why."""

    pointer: str
    keyword: str
    message: str


# --- the validator ---------------------------------------------------------------------------


def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 ``pattern`` for Python: ``$`` outside a class becomes ``\\Z``."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out), re.ASCII)


_compiled_pattern = cache(_ecma_pattern)


def _pattern(
    validator: Any, pattern: str, instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not _compiled_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_integer(checker: object, instance: object) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator: Any = extend(  # type: ignore[no-untyped-call]  # jsonschema's stubs
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date")(is_date)
    checker.checks("date-time")(is_date_time_stamp)
    return checker


@cache
def bundled_schemas() -> Mapping[str, JsonObject]:
    """``$id`` → schema, for every bundled JSON Schema (read once, checked as schemas)."""
    found: dict[str, JsonObject] = {}
    for name in resources.schema_names():
        try:
            schema = json.loads(resources.read_schema(name))
        except ValueError as exc:
            raise ResourceError(f"bundled schema {name!r} is not JSON") from exc
        schema_id = schema.get("$id") if isinstance(schema, dict) else None
        if not isinstance(schema_id, str):
            continue  # not a JSON Schema (for example a value set)
        Draft202012Validator.check_schema(schema)
        if schema_id in found:
            raise ResourceError(f"two bundled schemas have the $id {schema_id!r}")
        found[schema_id] = schema
    return found


@cache
def _registry() -> Registry[Any]:
    return Registry().with_resources(
        (schema_id, Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema_id, schema in bundled_schemas().items()
    )


@cache
def _validator(schema_id: str) -> Any:
    schema = bundled_schemas().get(schema_id)
    if schema is None:
        raise UnknownSchemaError(
            f"{schema_id!r} is not a bundled schema (staffvc never fetches schemas)"
        )
    return _Validator(schema, registry=_registry(), format_checker=_format_checker())


# --- problems ----------------------------------------------------------------------------------


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{_escape(token)}" for token in path)


def _problem(error: ValidationError) -> SchemaProblem:
    """The problem, described without the offending value (it may be personal data)."""
    pointer = _pointer(error.absolute_path)
    keyword = str(error.validator)
    value: Any = error.validator_value
    instance, schema = error.instance, error.schema
    message = f"fails {keyword} {_short(value)}"
    if keyword == "required" and isinstance(instance, dict):
        missing = [name for name in value if name not in instance]
        if missing:
            pointer += f"/{_escape(missing[0])}"
            message = f"the required member {missing[0]!r} is missing"
    elif keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(
        instance, dict
    ):
        known = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = sorted(name for name in instance if name not in known)
        if extra:
            pointer += f"/{_escape(extra[0])}"
            message = f"the member {extra[0][:60]!r} is not allowed here"
    elif keyword == "enum":
        message = f"is not one of {_short(value)}"
    elif keyword == "const":
        message = f"must be {_short(value)}"
    elif keyword == "pattern":
        message = f"does not match the pattern {value}"
    elif keyword == "format":
        message = f"is not a valid {value}"
    elif keyword == "type":
        message = f"must be of JSON type {_short(value)}"
    return SchemaProblem(pointer=pointer, keyword=keyword, message=message)


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _sort_key(problem: SchemaProblem) -> tuple[str, str]:
    return (problem.pointer, problem.keyword)


def validate_against(instance: JsonValue, schema_id: str) -> list[SchemaProblem]:
    """Every problem of ``instance`` against the bundled schema ``schema_id``, the most
    relevant first. Raises :class:`UnknownSchemaError` if that schema is not bundled."""
    errors = list(_validator(schema_id).iter_errors(instance))
    if not errors:
        return []
    first = best_match(errors)
    rest = sorted((_problem(e) for e in errors if e is not first), key=_sort_key)
    # best_match may descend into a sub-error of an applicator (anyOf, if/then, allOf).
    return [_problem(first), *[p for p in rest if p != _problem(first)]]


def schema_ids_of(credential: JsonObject) -> list[str]:
    """The schema ids a credential's ``credentialSchema`` names (in order).

    Raises :class:`UnknownSchemaError` for an entry that is not a ``JsonSchema`` with a
    string ``id`` (such as a ``JsonSchemaCredential``), or for too many entries.
    """
    entries = as_list(credential.get("credentialSchema"))
    if len(entries) > MAX_SCHEMA_REFERENCES:
        raise UnknownSchemaError(
            f"credentialSchema names {len(entries)} schemas; at most {MAX_SCHEMA_REFERENCES}"
        )
    ids: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise UnknownSchemaError("each credentialSchema needs a string id")
        types = as_list(entry.get("type"))
        if _SCHEMA_CREDENTIAL_TYPE in types:
            raise UnknownSchemaError("JsonSchemaCredential schemas are not supported")
        if types != [JSON_SCHEMA_TYPE]:
            raise UnknownSchemaError(f"unsupported credentialSchema type {entry.get('type')!r}")
        ids.append(str(entry["id"]))
    return ids


def schema_problems(credential: JsonObject) -> list[SchemaProblem]:
    """Every problem of ``credential`` against every schema its ``credentialSchema`` names.

    Raises :class:`UnknownSchemaError` if it names none, or one that is not bundled.
    """
    ids = schema_ids_of(credential)
    if not ids:
        raise UnknownSchemaError("the credential names no credentialSchema")
    problems: list[SchemaProblem] = []
    for schema_id in ids:
        problems.extend(validate_against(credential, schema_id))
    return problems


def validate_credential_schema(credential: JsonObject) -> None:
    """For issuers: raise :class:`SchemaValidationError` (pointer and keyword) if
    ``credential`` does not match the schemas it names, :class:`UnknownSchemaError` if it
    names none or an unknown one."""
    problems = schema_problems(credential)
    if problems:
        first = problems[0]
        raise SchemaValidationError(first.message, pointer=first.pointer, rule=first.keyword)


def check_credential_schema(credential: JsonObject) -> None:
    """For a verifier's SCHEMA stage (a :class:`~staffvc.results.CheckRecorder` step).

    Raises :class:`CheckFailed` (``SCHEMA_VALIDATION_ERROR``, with the pointer) when a known
    schema rejects the credential, :class:`CheckError` (``UNKNOWN_SCHEMA``) when a named
    schema is not bundled or not supported and no known one failed. Never fetches.
    """
    try:
        entries = schema_ids_of(credential)
    except UnknownSchemaError as exc:
        raise CheckError(Code.UNKNOWN_SCHEMA, exc.message, pointer="/credentialSchema") from None
    if not entries:
        raise CheckError(
            Code.UNKNOWN_SCHEMA, "no credentialSchema to check", pointer="/credentialSchema"
        )
    unknown: list[str] = []
    for schema_id in entries:
        if schema_id not in bundled_schemas():
            unknown.append(schema_id)
            continue
        problems = validate_against(credential, schema_id)
        if problems:
            first = problems[0]
            raise CheckFailed(
                Code.SCHEMA_VALIDATION_ERROR,
                f"{first.keyword}: {first.message}",
                pointer=first.pointer,
            )
    if unknown:
        raise CheckError(
            Code.UNKNOWN_SCHEMA,
            f"not a bundled schema (never fetched): {unknown[0][:200]}",
            pointer="/credentialSchema",
        )
