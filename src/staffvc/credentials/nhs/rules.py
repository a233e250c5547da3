"""Rules of the NHS credential types beyond what a schema says, and issuance.

A JSON Schema checks each field on its own. These rules check how fields agree with each
other and with the envelope: CSTF refresher periods and expiry, GMC licence and status,
DBS barred lists and workforce, SNOMED CT codes per vaccine, date order (start before end,
events before issuance, reviews after clearances) and each type's validity period.

Each rule has a stable name (``cstf.expiry``, ``date-order``, ...), reported with the JSON
pointer of the field it concerns. :func:`validate_for_issuance` refuses a credential that
breaks a schema or a rule (an issuer must never sign one); :func:`check_credential_rules` is
the same check as a verifier step, for received credentials (fields a holder may have
withheld are then not required).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError

from staffvc.credentials.envelope import VC_V2
from staffvc.credentials.nhs._common import CONTEXT_URL, SubjectModel, format_date_time
from staffvc.credentials.nhs.catalogue import SUBJECT_MODELS, credential_type_of
from staffvc.credentials.nhs.cstf import CSTFTrainingSubject
from staffvc.credentials.nhs.dbs import DBSCheckSubject
from staffvc.credentials.nhs.employment import NHSEmploymentSubject
from staffvc.credentials.nhs.gmc import GMCRegistrationSubject
from staffvc.credentials.nhs.identity import StaffIdentitySubject
from staffvc.credentials.nhs.medical_degree import MedicalDegreeSubject
from staffvc.credentials.nhs.occupational_health import OccupationalHealthClearanceSubject
from staffvc.credentials.nhs.right_to_work import RightToWorkSubject
from staffvc.credentials.nhs.valuesets import (
    CSTF_LEVELS,
    CSTF_REFRESHER_YEARS,
    CSTF_VARIANTS,
    NEVER_TRAVELS,
    PROFILE_LEVEL,
    VACCINATION_PROCEDURES,
    AssignmentType,
    BarredList,
    CheckMethod,
    CstfSubject,
    DbsCheckLevel,
    DbsStatusResult,
    DbsWorkforce,
    GmcRegistrationStatus,
    GmcRegistrationType,
    LevelOfConfidence,
    OhRoleCategory,
    PermissionType,
    RefresherPeriod,
    RightToWorkCheckType,
)
from staffvc.credentials.schema import (
    is_date_time_stamp,
    schema_ids_of,
    validate_credential_schema,
)
from staffvc.errors import CredentialDataError, StaffVCError
from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject, JsonValue, depth_of

__all__ = [
    "MAX_VALIDITY",
    "RuleViolation",
    "add_years",
    "assemble_credential",
    "build_nhs_credential",
    "check_credential_rules",
    "cstf_expiry",
    "cstf_refresher_period",
    "default_valid_until",
    "end_of_day",
    "is_dbs_certificate_number",
    "is_gmc_reference_number",
    "rule_violations",
    "validate_for_issuance",
]

MAX_VALIDITY: Mapping[str, str] = {
    "StaffIdentityCredential": "3 years from checkedOn (policy, §10.1)",
    "GMCRegistrationCredential": "30 days from registerCheckedOn (§10.2)",
    "DBSCheckCredential": "3 years from certificateIssueDate (policy, §10.3)",
    "CSTFTrainingCredential": "exactly the end of expiryDate, UTC (§10.4)",
    "OccupationalHealthClearanceCredential": "12 months from assessmentDate, and not past "
    "the end of reviewDate (policy, §10.5)",
    "NHSEmploymentCredential": "12 months from validFrom, and not past the end of "
    "assignmentEndDate (§10.6)",
    "RightToWorkCredential": "the end of followUpDue when time-limited; open otherwise",
    "MedicalDegreeCredential": "open (a degree does not expire)",
}
"""Credential type → its rule for ``validUntil`` (documentation of the ``*.max-validity``
and ``*.valid-until`` rules)."""

_MAX_CREDENTIAL_DEPTH = 16


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """A rule a credential breaks: where (JSON pointer), which rule, and why."""

    pointer: str
    rule: str
    message: str


# --- small helpers, public because issuers and verifiers need them too ----------------------


def is_gmc_reference_number(value: object) -> bool:
    """True for a GMC reference number: seven ASCII digits (§4.1)."""
    return isinstance(value, str) and len(value) == 7 and value.isascii() and value.isdigit()


def is_dbs_certificate_number(value: object) -> bool:
    """True for a DBS certificate number: twelve ASCII digits (§5)."""
    return isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def end_of_day(day: date) -> datetime:
    """The last whole second of ``day`` in UTC (``23:59:59Z``), as validUntil uses it."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def cstf_refresher_period(subject: CstfSubject, level: int) -> RefresherPeriod:
    """The national refresher period of a CSTF subject at a level. Raises KeyError if the
    subject has no such level."""
    return RefresherPeriod(f"P{CSTF_REFRESHER_YEARS[subject][level]}Y")


def cstf_expiry(subject: CstfSubject, level: int, completion: date) -> date:
    """Completion plus the national refresher period of the subject and level."""
    return add_years(completion, CSTF_REFRESHER_YEARS[subject][level])


def default_valid_until(subject: SubjectModel, *, valid_from: datetime) -> datetime | None:
    """The longest ``validUntil`` the rules allow for ``subject`` issued at ``valid_from``
    (None where the type has no end: a medical degree, a continuous right to work)."""
    match subject:
        case StaffIdentitySubject():
            return end_of_day(add_years(subject.checked_on, 3))
        case GMCRegistrationSubject():
            return subject.register_checked_on.astimezone(UTC) + timedelta(days=30)
        case DBSCheckSubject():
            return end_of_day(add_years(subject.certificate_issue_date, 3))
        case CSTFTrainingSubject():
            return end_of_day(subject.expiry_date)
        case OccupationalHealthClearanceSubject():
            return _oh_max(subject)
        case NHSEmploymentSubject():
            return _employment_max(subject, valid_from)
        case RightToWorkSubject():
            return None if subject.follow_up_due is None else end_of_day(subject.follow_up_due)
        case _:
            return None


def _oh_max(subject: OccupationalHealthClearanceSubject) -> datetime:
    limit = end_of_day(add_years(subject.assessment_date, 1))
    if subject.review_date is not None:
        limit = min(limit, end_of_day(subject.review_date))
    return limit


def _employment_max(subject: NHSEmploymentSubject, valid_from: datetime) -> datetime:
    start = valid_from.astimezone(UTC)
    limit = datetime.combine(add_years(start.date(), 1), start.timetz())
    if subject.assignment_end_date is not None:
        limit = min(limit, end_of_day(subject.assignment_end_date))
    return limit


# --- building ---------------------------------------------------------------------------------


def build_nhs_credential(
    subject: SubjectModel,
    *,
    issuer: str | JsonObject,
    valid_from: datetime,
    valid_until: datetime | None,
    credential_id: str | None,
    credential_status: JsonObject | Sequence[JsonObject] | None = None,
    evidence: JsonObject | Sequence[JsonObject] | None = None,
    name: str | None = None,
    description: str | None = None,
) -> JsonObject:
    """An unsigned VCDM 2.0 credential of ``subject``'s type, checked for issuance.

    The credential has the VCDM 2.0 and NHS staff passport contexts, the type, and the
    ``credentialSchema`` of its type. ``valid_until`` must follow the type's rule (see
    :data:`MAX_VALIDITY`; :func:`default_valid_until` computes the longest allowed).
    Raises :class:`~staffvc.errors.CredentialDataError` (or its subclass
    ``SchemaValidationError``) naming the field and the rule if anything is wrong.
    """
    if not isinstance(subject, SubjectModel) or type(subject) not in SUBJECT_MODELS.values():
        raise CredentialDataError(
            "subject must be an NHS credential subject model",
            pointer="/credentialSubject",
            rule="credential.type",
        )
    for instant, member in ((valid_from, "validFrom"), (valid_until, "validUntil")):
        if instant is not None and (instant.tzinfo is None or instant.utcoffset() is None):
            raise CredentialDataError(
                "must be timezone-aware", pointer=f"/{member}", rule="validity.format"
            )
    credential = assemble_credential(
        subject,
        issuer=issuer,
        valid_from=valid_from,
        valid_until=valid_until,
        credential_id=credential_id,
        credential_status=credential_status,
        evidence=evidence,
        name=name,
        description=description,
    )
    validate_for_issuance(credential)
    return credential


def assemble_credential(
    subject: SubjectModel,
    *,
    issuer: str | JsonObject,
    valid_from: datetime,
    valid_until: datetime | None,
    credential_id: str | None,
    credential_status: JsonObject | Sequence[JsonObject] | None = None,
    evidence: JsonObject | Sequence[JsonObject] | None = None,
    name: str | None = None,
    description: str | None = None,
) -> JsonObject:
    """The credential :func:`build_nhs_credential` builds, *without* the issuance checks.

    For bulk generation of data already known to be valid (the synthetic workforce); an
    issuer signs only what :func:`validate_for_issuance` accepted.
    """
    credential: JsonObject = {"@context": [VC_V2, CONTEXT_URL]}
    if credential_id is not None:
        credential["id"] = credential_id
    credential["type"] = ["VerifiableCredential", subject.credential_type]
    if name is not None:
        credential["name"] = name
    if description is not None:
        credential["description"] = description
    credential["issuer"] = dict(issuer) if isinstance(issuer, dict) else issuer
    credential["validFrom"] = format_date_time(valid_from)
    if valid_until is not None:
        credential["validUntil"] = format_date_time(valid_until)
    credential["credentialSubject"] = subject.to_json()
    credential["credentialSchema"] = {"id": subject.schema_id(), "type": "JsonSchema"}
    if credential_status is not None:
        credential["credentialStatus"] = _one_or_many(credential_status)
    if evidence is not None:
        credential["evidence"] = _one_or_many(evidence)
    return credential


def _one_or_many(value: JsonObject | Sequence[JsonObject]) -> JsonValue:
    if isinstance(value, dict):
        return dict(value)
    return [dict(item) for item in value]


# --- checking -----------------------------------------------------------------------------------


def _never_travels(value: JsonValue, pointer: str) -> Iterator[RuleViolation]:
    stack: list[tuple[JsonValue, str]] = [(value, pointer)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                here = f"{where}/{key.replace('~', '~0').replace('/', '~1')}"
                reason = NEVER_TRAVELS.get(key)
                if reason is not None:
                    yield RuleViolation(here, "never-travels", f"must never travel: {reason}")
                stack.append((child, here))
        elif isinstance(node, list):
            stack.extend((child, f"{where}/{i}") for i, child in enumerate(node))


def validate_for_issuance(credential: JsonObject) -> None:
    """Refuse (raise) an unsigned credential that an issuer must not sign.

    In order: members that must never travel (``never-travels``), the JSON Schema its
    ``credentialSchema`` names (:class:`~staffvc.errors.SchemaValidationError`, rule = the
    schema keyword), then the rules of its type, including members an issuer must include
    even where a holder may later withhold them. Raises
    :class:`~staffvc.errors.CredentialDataError` with the JSON pointer and rule name;
    :class:`~staffvc.errors.UnknownSchemaError` if the schema is not bundled.
    """
    if not isinstance(credential, dict):
        raise CredentialDataError("a credential is a JSON object", pointer="", rule="json")
    if depth_of(credential) > _MAX_CREDENTIAL_DEPTH:
        raise CredentialDataError(
            f"nests deeper than {_MAX_CREDENTIAL_DEPTH} levels", pointer="", rule="limits"
        )
    for violation in _never_travels({k: v for k, v in credential.items() if k != "proof"}, ""):
        raise CredentialDataError(violation.message, pointer=violation.pointer, rule=violation.rule)
    validate_credential_schema(credential)
    for violation in rule_violations(credential, issuance=True):
        raise CredentialDataError(violation.message, pointer=violation.pointer, rule=violation.rule)


def check_credential_rules(credential: JsonObject) -> None:
    """A verifier step (for a :class:`~staffvc.results.CheckRecorder`): raise
    :class:`~staffvc.results.CheckFailed` (``MALFORMED_VALUE_ERROR``, or ``RANGE_ERROR`` for
    a validity period the type does not allow) with the pointer of the first rule broken.
    Members a holder may have withheld are not required."""
    violations = rule_violations(credential, issuance=False)
    if violations:
        first = violations[0]
        code = (
            Code.RANGE_ERROR
            if first.rule.endswith(("max-validity", "valid-until", "validity.order"))
            else Code.MALFORMED_VALUE_ERROR
        )
        raise CheckFailed(code, f"{first.message} [rule: {first.rule}]", pointer=first.pointer)


def rule_violations(credential: JsonObject, *, issuance: bool) -> list[RuleViolation]:
    """Every rule ``credential`` breaks (empty if none). ``issuance=True`` also requires the
    members an issuer must include (``issuance.required``). Assumes nothing about the
    credential's shape: what the schema would refuse is reported, not raised."""
    found = list(_never_travels({k: v for k, v in credential.items() if k != "proof"}, ""))
    kind = credential_type_of(credential)
    if kind is None:
        found.append(
            RuleViolation("/type", "credential.type", "must name exactly one NHS credential type")
        )
        return found
    model = SUBJECT_MODELS[kind]
    found.extend(_envelope(credential, model, issuance=issuance))
    subject_json = credential.get("credentialSubject")
    if not isinstance(subject_json, dict):
        found.append(
            RuleViolation("/credentialSubject", "credential.subject", "must be one object")
        )
        return found
    try:
        subject = model.from_json(subject_json)
    except ValidationError as exc:
        found.append(_model_violation(exc))
        return found
    if issuance:
        found.extend(
            RuleViolation(
                f"/credentialSubject/{member}",
                "issuance.required",
                "an issuer must include it (a holder may withhold it later)",
            )
            for member in model.required_at_issuance
            if member not in subject_json
        )
    dates = _Dates(credential)
    found.extend(_TYPE_RULES[kind](subject, dates, issuance))
    return found


def _model_violation(exc: ValidationError) -> RuleViolation:
    error = exc.errors(include_url=False, include_input=False)[0]
    pointer = "/credentialSubject" + "".join(
        "/" + str(token).replace("~", "~0").replace("/", "~1") for token in error["loc"]
    )
    return RuleViolation(pointer, f"model.{error['type']}", error["msg"])


def _envelope(
    credential: JsonObject, model: type[SubjectModel], *, issuance: bool
) -> Iterator[RuleViolation]:
    context = credential.get("@context")
    if not isinstance(context, list) or context[:2] != [VC_V2, CONTEXT_URL]:
        yield RuleViolation(
            "/@context", "credential.context", f"must begin with {VC_V2} and {CONTEXT_URL}"
        )
    try:
        ids = schema_ids_of(credential)
    except StaffVCError:
        ids = []
    # An issuer must name the type's schema; a verifier checks the schema a credential
    # names (SCHEMA stage) and does not refuse one that names none.
    if issuance and model.schema_id() not in ids:
        yield RuleViolation(
            "/credentialSchema",
            "credential.schema",
            f"must name the schema of {model.credential_type}: {model.schema_id()}",
        )
    start, end = credential.get("validFrom"), credential.get("validUntil")
    if not is_date_time_stamp(start):
        yield RuleViolation("/validFrom", "validity.format", "must be a dateTimeStamp")
    elif end is not None and not is_date_time_stamp(end):
        yield RuleViolation("/validUntil", "validity.format", "must be a dateTimeStamp")
    elif (
        isinstance(start, str)
        and isinstance(end, str)
        and datetime.fromisoformat(start) >= datetime.fromisoformat(end)
    ):
        yield RuleViolation("/validUntil", "validity.order", "must be later than validFrom")


class _Dates:
    """The envelope's instants, parsed once (None where absent or malformed)."""

    def __init__(self, credential: JsonObject) -> None:
        self.valid_from = _instant(credential.get("validFrom"))
        self.valid_until = _instant(credential.get("validUntil"))
        self.has_valid_until = "validUntil" in credential

    @property
    def issued_on(self) -> date | None:
        return None if self.valid_from is None else self.valid_from.astimezone(UTC).date()


def _instant(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if is_date_time_stamp(value) else None


_S = "/credentialSubject"


def _not_after_issuance(day: date | None, pointer: str, dates: _Dates) -> Iterator[RuleViolation]:
    issued = dates.issued_on
    if day is not None and issued is not None and day > issued:
        yield RuleViolation(pointer, "date-order", "must not be later than validFrom")


def _before(
    earlier: date | None, later: date | None, pointer: str, *, strict: bool, rule: str
) -> Iterator[RuleViolation]:
    if earlier is None or later is None:
        return
    if later < earlier or (strict and later == earlier):
        relation = "later than" if strict else "on or after"
        yield RuleViolation(pointer, rule, f"must be {relation} {earlier.isoformat()}")


def _max_validity(
    limit: datetime | None, dates: _Dates, rule: str, what: str
) -> Iterator[RuleViolation]:
    if limit is None:
        return
    if dates.valid_until is None:
        if not dates.has_valid_until:
            yield RuleViolation("/validUntil", rule, f"required: at most {what}")
        return
    if dates.valid_until > limit:
        yield RuleViolation("/validUntil", rule, f"must not be later than {what}")


# --- per type --------------------------------------------------------------------------------


def _identity(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, StaffIdentitySubject)
    if s.gpg45_profile is not None and PROFILE_LEVEL[s.gpg45_profile[0]] != s.level_of_confidence:
        yield RuleViolation(
            f"{_S}/gpg45Profile",
            "identity.profile-level",
            "the GPG 45 profile does not reach the stated levelOfConfidence",
        )
    if issuance and s.check_method is CheckMethod.IDSP_APP and s.identity_provider is None:
        yield RuleViolation(
            f"{_S}/identityProvider", "identity.idsp-provider", "required for an IDSP check"
        )
    if s.birth_date is not None and add_years(s.birth_date, 16) > s.checked_on:
        yield RuleViolation(
            f"{_S}/birthDate", "identity.birth-date", "the person must be 16 or older when checked"
        )
    yield from _not_after_issuance(s.checked_on, f"{_S}/checkedOn", dates)
    yield from _max_validity(
        end_of_day(add_years(s.checked_on, 3)), dates, "identity.max-validity", "3 years"
    )


def _gmc(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, GMCRegistrationSubject)
    checked = s.register_checked_on.astimezone(UTC)
    licensed = s.registration_status is GmcRegistrationStatus.REGISTERED_WITH_LICENCE
    if s.licence_to_practise != licensed:
        yield RuleViolation(
            f"{_S}/licenceToPractise",
            "gmc.licence",
            "a licence to practise goes with registered_with_licence, and only with it",
        )
    unregistered = s.registration_status is GmcRegistrationStatus.NOT_REGISTERED
    if unregistered == (s.registration_type is not None):
        yield RuleViolation(
            f"{_S}/registrationType",
            "gmc.registration-type",
            "required for a registered (or suspended) doctor, absent otherwise",
        )
    if s.specialist_register is not None:
        if s.registration_type is not GmcRegistrationType.FULL:
            yield RuleViolation(
                f"{_S}/specialistRegister",
                "gmc.specialist-register",
                "only a fully registered doctor is on the Specialist Register",
            )
        for i, entry in enumerate(s.specialist_register):
            yield from _before(
                entry.entry_date,
                checked.date(),
                f"{_S}/specialistRegister/{i}/entryDate",
                strict=False,
                rule="date-order",
            )
    if s.gp_register is not None:
        if s.gp_register.entered != (s.gp_register.entry_date is not None):
            yield RuleViolation(
                f"{_S}/gpRegister", "gmc.gp-register", "entryDate goes with entered, only"
            )
        yield from _before(
            s.gp_register.entry_date,
            checked.date(),
            f"{_S}/gpRegister/entryDate",
            strict=False,
            rule="date-order",
        )
    yield from _before(
        checked.date(),
        s.revalidation_due_date,
        f"{_S}/revalidationDueDate",
        strict=True,
        rule="gmc.revalidation",
    )
    pmq = s.primary_medical_qualification
    if pmq is not None and pmq.year > checked.year:
        yield RuleViolation(
            f"{_S}/primaryMedicalQualification/year", "date-order", "after the register check"
        )
    if dates.valid_from is not None and checked > dates.valid_from:
        yield RuleViolation(
            f"{_S}/registerCheckedOn", "date-order", "must not be later than validFrom"
        )
    yield from _max_validity(
        checked + timedelta(days=30), dates, "gmc.max-validity", "30 days after registerCheckedOn"
    )


_BARRED_WORKFORCE = {
    BarredList.CHILDREN: (DbsWorkforce.CHILD, DbsWorkforce.CHILD_AND_ADULT),
    BarredList.ADULTS: (DbsWorkforce.ADULT, DbsWorkforce.CHILD_AND_ADULT),
}


def _dbs(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, DBSCheckSubject)
    barred_level = s.check_level is DbsCheckLevel.ENHANCED_BARRED_LISTS
    if barred_level != (s.barred_lists_checked is not None):
        yield RuleViolation(
            f"{_S}/barredListsChecked",
            "dbs.barred-lists",
            "barred lists are checked at enhanced_barred_lists level, and only there",
        )
    for i, barred in enumerate(s.barred_lists_checked or ()):
        if s.workforce not in _BARRED_WORKFORCE[barred]:
            yield RuleViolation(
                f"{_S}/barredListsChecked/{i}",
                "dbs.barred-list-workforce",
                f"the {barred.value} barred list does not go with the {s.workforce.value} "
                "workforce",
            )
    update = s.update_service
    if update is not None:
        if update.subscribed and s.check_level is DbsCheckLevel.BASIC:
            yield RuleViolation(
                f"{_S}/updateService/subscribed",
                "dbs.update-service-level",
                "the Update Service covers standard and enhanced checks only",
            )
        if (update.last_status_check is None) != (update.last_status_result is None):
            yield RuleViolation(
                f"{_S}/updateService",
                "dbs.update-service",
                "lastStatusCheck and lastStatusResult go together",
            )
        if not update.subscribed and update.last_status_check is not None:
            yield RuleViolation(
                f"{_S}/updateService/lastStatusCheck",
                "dbs.update-service",
                "a status check needs a subscription",
            )
        if update.last_status_result is DbsStatusResult.NEW_INFORMATION:
            yield RuleViolation(
                f"{_S}/updateService/lastStatusResult",
                "dbs.new-information",
                "new information needs a new check: no clearance can rest on it",
            )
        yield from _before(
            s.certificate_issue_date,
            update.last_status_check,
            f"{_S}/updateService/lastStatusCheck",
            strict=False,
            rule="date-order",
        )
        yield from _not_after_issuance(
            update.last_status_check, f"{_S}/updateService/lastStatusCheck", dates
        )
    yield from _before(
        s.certificate_issue_date,
        s.decision_date,
        f"{_S}/decisionDate",
        strict=False,
        rule="date-order",
    )
    yield from _not_after_issuance(s.certificate_issue_date, f"{_S}/certificateIssueDate", dates)
    yield from _not_after_issuance(s.decision_date, f"{_S}/decisionDate", dates)
    yield from _max_validity(
        end_of_day(add_years(s.certificate_issue_date, 3)),
        dates,
        "dbs.max-validity",
        "3 years after certificateIssueDate",
    )


def _esr_years(name: str) -> int | None:
    """The years in an ESR competency name ending ``- N Year(s)|``, if it says."""
    title = name.removeprefix("NHS|CSTF|").removesuffix("|")
    head, _, tail = title.rpartition(" - ")
    words = tail.split(" ")
    if head and len(words) == 2 and words[0].isdigit() and words[1] in ("Year", "Years"):
        return int(words[0])
    return None


def _cstf(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, CSTFTrainingSubject)
    if s.level not in CSTF_LEVELS[s.subject]:
        yield RuleViolation(
            f"{_S}/level",
            "cstf.level",
            f"{s.subject.value} has levels {list(CSTF_LEVELS[s.subject])}",
        )
        return
    variants = CSTF_VARIANTS.get((s.subject, s.level), ())
    if (s.variant is None and variants) or (s.variant is not None and s.variant not in variants):
        allowed = [v.value for v in variants] if variants else "none"
        yield RuleViolation(
            f"{_S}/variant", "cstf.variant", f"variants of this subject and level: {allowed}"
        )
    period = cstf_refresher_period(s.subject, s.level)
    if s.refresher_period is not period:
        yield RuleViolation(
            f"{_S}/refresherPeriod",
            "cstf.refresher-period",
            f"the national refresher period of this subject and level is {period.value}",
        )
    expected = add_years(s.completion_date, period.years)
    if s.expiry_date != expected:
        yield RuleViolation(
            f"{_S}/expiryDate",
            "cstf.expiry",
            f"must be completionDate plus {period.value}: {expected.isoformat()}",
        )
    if s.esr_competency_name is not None:
        years = _esr_years(s.esr_competency_name)
        if years is not None and years != period.years:
            yield RuleViolation(
                f"{_S}/esrCompetencyName",
                "cstf.esr-competency",
                "its period disagrees with the refresher period",
            )
    if s.assessment is not None and not s.assessment.passed:
        yield RuleViolation(
            f"{_S}/assessment/passed", "cstf.assessment", "only a passed assessment is issued"
        )
    yield from _not_after_issuance(s.completion_date, f"{_S}/completionDate", dates)
    if dates.valid_until is not None and dates.valid_until != end_of_day(s.expiry_date):
        yield RuleViolation(
            "/validUntil", "cstf.valid-until", "must be the end of expiryDate (23:59:59Z)"
        )
    elif not dates.has_valid_until:
        yield RuleViolation("/validUntil", "cstf.valid-until", "required: the end of expiryDate")


def _oh(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, OccupationalHealthClearanceSubject)
    yield from _before(
        s.assessment_date, s.review_date, f"{_S}/reviewDate", strict=True, rule="oh.review-date"
    )
    epp = s.epp_clearance
    if s.role_category is OhRoleCategory.CLINICAL_EPP:
        if epp is None and issuance:
            yield RuleViolation(f"{_S}/eppClearance", "oh.epp-required", "required for an EPP role")
        elif epp is not None and not epp.cleared:
            yield RuleViolation(
                f"{_S}/eppClearance/cleared", "oh.epp-required", "an EPP role needs clearance"
            )
    if epp is not None:
        if epp.cleared != (epp.categories_cleared is not None):
            yield RuleViolation(
                f"{_S}/eppClearance/categoriesCleared",
                "oh.epp-categories",
                "categories are listed when cleared, and only then",
            )
        yield from _before(
            epp.clearance_date,
            epp.review_date,
            f"{_S}/eppClearance/reviewDate",
            strict=True,
            rule="oh.epp-review-date",
        )
        yield from _not_after_issuance(
            epp.clearance_date, f"{_S}/eppClearance/clearanceDate", dates
        )
    seen: set[str] = set()
    for i, item in enumerate(s.immunisations or ()):
        where = f"{_S}/immunisations/{i}"
        if item.vaccine in seen:
            yield RuleViolation(
                f"{where}/vaccine", "oh.immunisation-unique", "one entry per vaccine"
            )
        seen.add(item.vaccine)
        if item.snomed_code not in VACCINATION_PROCEDURES[item.vaccine]:
            yield RuleViolation(
                f"{where}/snomedCode",
                "oh.snomed-code",
                f"not a SNOMED CT procedure of the {item.vaccine.value} value set",
            )
        yield from _not_after_issuance(item.evidence_date, f"{where}/evidenceDate", dates)
    yield from _not_after_issuance(s.assessment_date, f"{_S}/assessmentDate", dates)
    yield from _max_validity(_oh_max(s), dates, "oh.max-validity", MAX_VALIDITY[s.credential_type])


_NEEDS_END = (
    AssignmentType.FIXED_TERM,
    AssignmentType.SECONDMENT,
    AssignmentType.TRAINING_ROTATION,
)


def _employment(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, NHSEmploymentSubject)
    if s.employment_type in _NEEDS_END and s.assignment_end_date is None:
        yield RuleViolation(
            f"{_S}/assignmentEndDate",
            "employment.end-date",
            f"required for a {s.employment_type.value} assignment",
        )
    yield from _before(
        s.assignment_start_date,
        s.assignment_end_date,
        f"{_S}/assignmentEndDate",
        strict=False,
        rule="date-order",
    )
    standards: set[str] = set()
    for i, check in enumerate(s.employment_checks):
        if check.standard in standards:
            yield RuleViolation(
                f"{_S}/employmentChecks/{i}/standard",
                "employment.checks-unique",
                "one entry per standard",
            )
        standards.add(check.standard)
        yield from _not_after_issuance(
            check.completed_on, f"{_S}/employmentChecks/{i}/completedOn", dates
        )
    rtw = s.right_to_work
    if rtw is not None and rtw.follow_up_due is not None:
        yield from _before(
            dates.issued_on,
            rtw.follow_up_due,
            f"{_S}/rightToWork/followUpDue",
            strict=True,
            rule="employment.rtw-follow-up",
        )
    placement = s.training_placement
    if placement is not None:
        where = f"{_S}/trainingPlacement"
        yield from _before(
            placement.start_date,
            placement.end_date,
            f"{where}/endDate",
            strict=False,
            rule="date-order",
        )
        yield from _before(
            s.assignment_start_date,
            placement.start_date,
            f"{where}/startDate",
            strict=False,
            rule="employment.placement-dates",
        )
        yield from _before(
            placement.end_date,
            s.assignment_end_date,
            f"{where}/endDate",
            strict=False,
            rule="employment.placement-dates",
        )
    if dates.valid_from is not None:
        yield from _max_validity(
            _employment_max(s, dates.valid_from),
            dates,
            "employment.max-validity",
            MAX_VALIDITY[s.credential_type],
        )


_MEDIUM_OR_MORE = (LevelOfConfidence.MEDIUM, LevelOfConfidence.HIGH, LevelOfConfidence.VERY_HIGH)


def _right_to_work(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, RightToWorkSubject)
    limited = s.permission_type is PermissionType.TIME_LIMITED
    if limited != (s.follow_up_due is not None):
        yield RuleViolation(
            f"{_S}/followUpDue",
            "rtw.follow-up",
            "a follow-up date goes with time-limited permission, and only with it",
        )
    yield from _before(
        s.checked_on, s.follow_up_due, f"{_S}/followUpDue", strict=True, rule="date-order"
    )
    idsp = s.check_type is RightToWorkCheckType.IDSP
    if idsp:
        if issuance and (s.level_of_confidence is None or s.identity_provider is None):
            yield RuleViolation(
                f"{_S}/levelOfConfidence",
                "rtw.idsp-confidence",
                "an IDSP check records the provider and its level of confidence",
            )
        if s.level_of_confidence is not None and s.level_of_confidence not in _MEDIUM_OR_MORE:
            yield RuleViolation(
                f"{_S}/levelOfConfidence",
                "rtw.idsp-confidence",
                "an IDSP right-to-work check needs GPG 45 medium confidence or higher",
            )
    elif s.level_of_confidence is not None or s.identity_provider is not None:
        yield RuleViolation(
            f"{_S}/checkType",
            "rtw.idsp-only",
            "levelOfConfidence and identityProvider belong to IDSP checks",
        )
    yield from _not_after_issuance(s.checked_on, f"{_S}/checkedOn", dates)
    if s.follow_up_due is not None:
        yield from _max_validity(
            end_of_day(s.follow_up_due), dates, "rtw.max-validity", "the end of followUpDue"
        )


def _medical_degree(s: Any, dates: _Dates, issuance: bool) -> Iterator[RuleViolation]:
    assert isinstance(s, MedicalDegreeSubject)
    yield from _not_after_issuance(s.award_date, f"{_S}/awardDate", dates)


_TYPE_RULES: Mapping[str, Callable[[Any, _Dates, bool], Iterator[RuleViolation]]] = {
    "StaffIdentityCredential": _identity,
    "GMCRegistrationCredential": _gmc,
    "DBSCheckCredential": _dbs,
    "CSTFTrainingCredential": _cstf,
    "OccupationalHealthClearanceCredential": _oh,
    "NHSEmploymentCredential": _employment,
    "RightToWorkCredential": _right_to_work,
    "MedicalDegreeCredential": _medical_degree,
}
