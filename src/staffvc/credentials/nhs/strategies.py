"""Hypothesis strategies for NHS staff passport credentials: valid subjects and credentials.

Every credential these strategies draw passes :func:`~staffvc.credentials.nhs.validate_for_issuance`
(schema and rules), so property tests can start from "valid" and mutate. This is the only
module of staffvc that imports hypothesis, a development dependency; nothing else imports
this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "staffvc.credentials.nhs.strategies needs hypothesis, a development dependency "
        "(pip install 'staffvc[dev]')"
    ) from exc

from staffvc.credentials.nhs._common import IdentityProvider, NhsModel, SubjectModel
from staffvc.credentials.nhs.catalogue import CREDENTIAL_TYPES
from staffvc.credentials.nhs.cstf import Assessment, CSTFTrainingSubject, TrainingProvider
from staffvc.credentials.nhs.dbs import DBSCheckSubject, UpdateService
from staffvc.credentials.nhs.employment import (
    Employer,
    EmploymentCheck,
    NHSEmploymentSubject,
    RightToWorkSummary,
    TrainingPlacement,
)
from staffvc.credentials.nhs.gmc import (
    FitnessToPractise,
    GMCRegistrationSubject,
    GpRegister,
    PrimaryMedicalQualification,
    SpecialistEntry,
)
from staffvc.credentials.nhs.identity import PostalAddress, StaffIdentitySubject
from staffvc.credentials.nhs.medical_degree import AwardingBody, MedicalDegreeSubject
from staffvc.credentials.nhs.occupational_health import (
    EppClearance,
    ImmunisationEvidence,
    OccupationalHealthClearanceSubject,
    OhProvider,
)
from staffvc.credentials.nhs.right_to_work import RightToWorkSubject
from staffvc.credentials.nhs.rules import (
    build_nhs_credential,
    cstf_expiry,
    cstf_refresher_period,
    default_valid_until,
)
from staffvc.credentials.nhs.valuesets import (
    CSTF_LEVELS,
    CSTF_VARIANTS,
    VACCINATION_PROCEDURES,
    AssignmentType,
    BarredList,
    CheckMethod,
    ClearanceOutcome,
    CstfSubject,
    DbsCheckLevel,
    DbsStatusResult,
    DbsWorkforce,
    DegreeClassification,
    DeliveryMode,
    DocumentType,
    EmployerDecision,
    EmploymentStandard,
    GmcRegistrationStatus,
    GmcRegistrationType,
    LevelOfConfidence,
    OhRoleCategory,
    PermissionType,
    RightToWorkCheckType,
    StaffGroup,
    Vaccine,
)
from staffvc.safejson import JsonObject

__all__ = [
    "ISSUER",
    "IssuedSubject",
    "credentials",
    "holder_ids",
    "issued_subjects",
    "subjects",
    "texts",
]

ISSUER: JsonObject = {
    "id": "did:web:trust-zz9.example.org",
    "name": "Example Teaching Hospitals NHS Trust",
    "odsCode": "ZZ9",
}
"""The fictitious issuer of drawn credentials."""

_M = TypeVar("_M", bound=NhsModel)
_ISSUED = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
_FORBIDDEN = set('<>{}|\\^`"')


@dataclass(frozen=True)
class IssuedSubject:
    """A subject with a validity period that its type's rules accept."""

    subject: SubjectModel
    valid_from: datetime
    valid_until: datetime | None


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """One-line text of any script, without control characters or ``<>{}|\\^`"``."""
    return st.text(
        st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
            blacklist_characters=_FORBIDDEN,
        ),
        min_size=1,
        max_size=max_size,
    )


def holder_ids() -> st.SearchStrategy[str]:
    """Holder identifiers: did:key-like, did:example and urn:uuid URLs."""
    suffix = st.text("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789", min_size=8)
    return st.one_of(
        suffix.map(lambda s: f"did:key:z6Mk{s[:44]}"),
        suffix.map(lambda s: f"did:example:staff-{s[:20]}"),
        st.uuids().map(lambda u: f"urn:uuid:{u}"),
    )


def _days(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda n: timedelta(days=n))


def _instant(day: date, draw: st.DrawFn) -> datetime:
    seconds = draw(st.integers(0, 86_399))
    return datetime.combine(day, time(tzinfo=UTC)) + timedelta(seconds=seconds)


def _model(cls: type[_M], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[_M]:
    """Models drawn by field name (st.builds would also fill the camelCase aliases)."""
    return st.fixed_dictionaries(fields).map(lambda kwargs: cls(**kwargs))


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(st.one_of(st.none(), strategy))


@st.composite
def _identity(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    checked = issued - draw(_days(0, 400))
    level = draw(st.sampled_from(LevelOfConfidence))
    letter = {"low": "L", "medium": "M", "high": "H", "very_high": "V"}[level.value]
    method = draw(st.sampled_from(CheckMethod))
    provider = IdentityProvider(
        name=draw(texts()),
        certificate_id=_maybe(draw, texts()),
        trust_framework_version=_maybe(draw, st.sampled_from(["0.3", "0.4", "1.0"])),
    )
    subject = StaffIdentitySubject(
        id=draw(holder_ids()),
        given_name=draw(texts()),
        family_name=draw(texts()),
        middle_names=_maybe(draw, texts()),
        birth_date=checked - timedelta(days=draw(st.integers(16 * 366, 70 * 365))),
        level_of_confidence=level,
        gpg45_profile=_maybe(draw, st.from_regex(f"^{letter}[1-3][A-E]$", fullmatch=True)),
        check_method=method,
        identity_provider=provider if method is CheckMethod.IDSP_APP else None,
        checked_on=checked,
        document_type=_maybe(draw, st.sampled_from(DocumentType)),
        address=_maybe(
            draw,
            _model(
                PostalAddress,
                street_address=texts(),
                address_locality=texts(),
                postal_code=st.sampled_from(["ZZ99 9ZZ", "ZZ1 1ZZ", "Z9Z 9ZZ"]),
                address_country=st.just("GB"),
            ),
        ),
    )
    return _issued(subject, issued, draw)


@st.composite
def _gmc(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    valid_from = _instant(issued, draw)
    checked = valid_from - timedelta(seconds=draw(st.integers(0, 3 * 86_400)))
    status = draw(st.sampled_from(GmcRegistrationStatus))
    registration = (
        None
        if status is GmcRegistrationStatus.NOT_REGISTERED
        else draw(st.sampled_from(GmcRegistrationType))
    )
    entered = draw(st.booleans())
    specialist = None
    if registration is GmcRegistrationType.FULL and draw(st.booleans()):
        specialist = (
            SpecialistEntry(
                specialty=draw(texts()), entry_date=checked.date() - draw(_days(0, 900))
            ),
        )
    subject = GMCRegistrationSubject(
        id=draw(holder_ids()),
        gmc_reference_number=draw(st.from_regex("^99[0-9]{5}$", fullmatch=True)),
        registered_name=draw(texts()),
        registration_status=status,
        registration_type=registration,
        licence_to_practise=status is GmcRegistrationStatus.REGISTERED_WITH_LICENCE,
        specialist_register=specialist,
        gp_register=_maybe(
            draw,
            st.just(
                GpRegister(
                    entered=entered,
                    entry_date=checked.date() - timedelta(days=30) if entered else None,
                )
            ),
        ),
        fitness_to_practise=FitnessToPractise(
            has_active_conditions=draw(st.booleans()),
            has_active_undertakings=draw(st.booleans()),
            has_active_warnings=draw(st.booleans()),
            has_interim_order=draw(st.booleans()),
        ),
        designated_body=_maybe(draw, texts()),
        responsible_officer=_maybe(draw, texts()),
        revalidation_due_date=_maybe(draw, _days(1, 5 * 365).map(lambda d: checked.date() + d)),
        primary_medical_qualification=_maybe(
            draw,
            _model(
                PrimaryMedicalQualification,
                name=st.sampled_from(["MB ChB", "MBBS", "MB BCh", "BM BS"]),
                year=st.integers(1960, checked.year),
                place=texts(),
            ),
        ),
        register_checked_on=checked.replace(microsecond=0),
    )
    return IssuedSubject(subject, valid_from, default_valid_until(subject, valid_from=valid_from))


_WORKFORCE_LISTS = {
    DbsWorkforce.CHILD: ((BarredList.CHILDREN,),),
    DbsWorkforce.ADULT: ((BarredList.ADULTS,),),
    DbsWorkforce.CHILD_AND_ADULT: (
        (BarredList.CHILDREN,),
        (BarredList.ADULTS,),
        (BarredList.CHILDREN, BarredList.ADULTS),
    ),
}


@st.composite
def _dbs(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    certificate = issued - draw(_days(0, 900))
    level = draw(st.sampled_from(DbsCheckLevel))
    if level is DbsCheckLevel.ENHANCED_BARRED_LISTS:
        workforce = draw(st.sampled_from(sorted(_WORKFORCE_LISTS)))
        lists: tuple[BarredList, ...] | None = draw(st.sampled_from(_WORKFORCE_LISTS[workforce]))
    else:
        workforce, lists = draw(st.sampled_from(DbsWorkforce)), None
    span = (issued - certificate).days
    update = None
    if level is not DbsCheckLevel.BASIC and draw(st.booleans()):
        checked = _maybe(draw, _days(0, span).map(lambda d: certificate + d))
        update = UpdateService(
            subscribed=True,
            last_status_check=checked,
            last_status_result=None if checked is None else DbsStatusResult.NO_NEW_INFORMATION,
        )
    subject = DBSCheckSubject(
        id=draw(holder_ids()),
        certificate_number=draw(st.from_regex("^0099[0-9]{8}$", fullmatch=True)),
        certificate_issue_date=certificate,
        check_level=level,
        barred_lists_checked=lists,
        workforce=workforce,
        update_service=update,
        employer_decision=EmployerDecision.CLEARED_FOR_ROLE,
        decision_date=certificate + draw(_days(0, span)),
        role_category=_maybe(draw, texts()),
    )
    return _issued(subject, issued, draw)


@st.composite
def _cstf(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    topic = draw(st.sampled_from(CstfSubject))
    level = draw(st.sampled_from(CSTF_LEVELS[topic]))
    variants = CSTF_VARIANTS.get((topic, level), ())
    completion = issued - draw(_days(0, 300))
    period = cstf_refresher_period(topic, level)
    subject = CSTFTrainingSubject(
        id=draw(holder_ids()),
        subject=topic,
        level=level,
        variant=draw(st.sampled_from(variants)) if variants else None,
        completion_date=completion,
        expiry_date=cstf_expiry(topic, level, completion),
        refresher_period=period,
        framework_version=draw(st.sampled_from(["CSTF (England) v1.0", "CSTF (England) v1.1"])),
        esr_competency_name=_maybe(
            draw,
            st.just(f"NHS|CSTF|{topic.value.replace('_', ' ').title()} - {period.years} Years|"),
        ),
        delivery_mode=_maybe(draw, st.sampled_from(DeliveryMode)),
        training_provider=_maybe(
            draw,
            _model(
                TrainingProvider,
                name=texts(),
                cstf_aligned=st.booleans(),
                alignment_statement=st.none() | texts(max_size=200),
            ),
        ),
        assessment=_maybe(draw, st.just(Assessment(passed=True))),
    )
    return _issued(subject, issued, draw)


@st.composite
def _oh(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    assessed = issued - draw(_days(0, 100))
    review = max(assessed, issued) + draw(_days(1, 300))
    role = draw(st.sampled_from(OhRoleCategory))
    epp = None
    if role is OhRoleCategory.CLINICAL_EPP or draw(st.booleans()):
        cleared = role is OhRoleCategory.CLINICAL_EPP or draw(st.booleans())
        categories = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True))
        epp = EppClearance(
            cleared=cleared,
            categories_cleared=tuple(categories) if cleared else None,
            ivs_used=draw(st.booleans()),
            clearance_date=assessed,
            review_date=_maybe(draw, st.just(review)),
        )
    vaccines = draw(st.lists(st.sampled_from(Vaccine), min_size=1, max_size=6, unique=True))
    immunisations = tuple(
        ImmunisationEvidence(
            vaccine=vaccine,
            snomed_code=draw(st.sampled_from(sorted(VACCINATION_PROCEDURES[vaccine]))),
            evidence_satisfactory=draw(st.booleans()),
            evidence_date=_maybe(draw, _days(0, 3000).map(lambda d: assessed - d)),
        )
        for vaccine in vaccines
    )
    subject = OccupationalHealthClearanceSubject(
        id=draw(holder_ids()),
        clearance_outcome=ClearanceOutcome.CLEARED_FOR_ROLE,
        role_category=role,
        assessment_date=assessed,
        review_date=review,
        epp_clearance=epp,
        immunisations=_maybe(draw, st.just(immunisations)),
        oh_provider=OhProvider(name=draw(texts()), seqohs_accredited=draw(st.booleans())),
    )
    return _issued(subject, issued, draw)


@st.composite
def _employment(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    kind = draw(st.sampled_from(AssignmentType))
    start = issued - draw(_days(-60, 2000))
    end: date | None = max(start, issued) + draw(_days(1, 700))
    needs_end = kind in (
        AssignmentType.FIXED_TERM,
        AssignmentType.SECONDMENT,
        AssignmentType.TRAINING_ROTATION,
    )
    if not needs_end and draw(st.booleans()):
        end = None
    standards = draw(st.lists(st.sampled_from(EmploymentStandard), min_size=1, unique=True))
    placement = None
    if end is not None and draw(st.booleans()):
        placement = TrainingPlacement(
            programme_name=draw(texts()),
            specialty=draw(texts()),
            national_post_number=draw(
                st.from_regex("^[A-Z]{3}/ZZ9[0-9]{0,2}/[A-Z0-9]{2}/[0-9]{3}$", fullmatch=True)
            ),
            site=draw(texts()),
            start_date=start,
            end_date=end,
        )
    subject = NHSEmploymentSubject(
        id=draw(holder_ids()),
        employer=Employer(
            name=draw(texts()),
            ods_code=draw(st.from_regex("^ZZ9[A-Z0-9]{0,2}$", fullmatch=True)),
        ),
        job_title=draw(texts()),
        staff_group=draw(st.sampled_from(StaffGroup)),
        grade=_maybe(draw, st.sampled_from(["FY1", "FY2", "ST3", "Band 5", "Band 8a"])),
        employment_type=kind,
        assignment_start_date=start,
        assignment_end_date=end,
        employment_checks=tuple(
            EmploymentCheck(standard=s, completed_on=issued - draw(_days(0, 400)))
            for s in standards
        ),
        right_to_work=_maybe(
            draw,
            _model(
                RightToWorkSummary,
                check_type=st.sampled_from(RightToWorkCheckType),
                follow_up_due=st.none() | _days(1, 900).map(lambda d: issued + d),
            ),
        ),
        employee_number=_maybe(draw, st.from_regex("^99[0-9]{6}$", fullmatch=True)),
        training_placement=placement,
    )
    return _issued(subject, issued, draw)


@st.composite
def _right_to_work(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    checked = issued - draw(_days(0, 400))
    permission = draw(st.sampled_from(PermissionType))
    check = draw(st.sampled_from(RightToWorkCheckType))
    idsp = check is RightToWorkCheckType.IDSP
    subject = RightToWorkSubject(
        id=draw(holder_ids()),
        check_type=check,
        checked_on=checked,
        permission_type=permission,
        follow_up_due=(
            issued + draw(_days(1, 800)) if permission is PermissionType.TIME_LIMITED else None
        ),
        has_work_restrictions=_maybe(draw, st.booleans()),
        level_of_confidence=(
            draw(st.sampled_from([LevelOfConfidence.MEDIUM, LevelOfConfidence.HIGH]))
            if idsp
            else None
        ),
        identity_provider=IdentityProvider(name=draw(texts())) if idsp else None,
    )
    return _issued(subject, issued, draw)


@st.composite
def _medical_degree(draw: st.DrawFn) -> IssuedSubject:
    issued = draw(_ISSUED)
    subject = MedicalDegreeSubject(
        id=draw(holder_ids()),
        qualification_name=draw(st.sampled_from(["MB ChB", "MBBS", "MB BCh", "BM BS"])),
        awarding_body=AwardingBody(
            name=draw(texts()), country_code=draw(st.sampled_from(["GB", "IE", "IN", "NG"]))
        ),
        award_date=issued - draw(_days(0, 3000)),
        classification=_maybe(draw, st.sampled_from(DegreeClassification)),
    )
    return _issued(subject, issued, draw)


def _issued(subject: SubjectModel, issued: date, draw: st.DrawFn) -> IssuedSubject:
    valid_from = _instant(issued, draw)
    return IssuedSubject(subject, valid_from, default_valid_until(subject, valid_from=valid_from))


_BY_TYPE: dict[str, Callable[[], st.SearchStrategy[IssuedSubject]]] = {
    "StaffIdentityCredential": _identity,
    "GMCRegistrationCredential": _gmc,
    "DBSCheckCredential": _dbs,
    "CSTFTrainingCredential": _cstf,
    "OccupationalHealthClearanceCredential": _oh,
    "NHSEmploymentCredential": _employment,
    "RightToWorkCredential": _right_to_work,
    "MedicalDegreeCredential": _medical_degree,
}
assert set(_BY_TYPE) == set(CREDENTIAL_TYPES)


def issued_subjects(credential_type: str | None = None) -> st.SearchStrategy[IssuedSubject]:
    """Subjects of ``credential_type`` (any type if None) with a validity period their rules
    accept."""
    if credential_type is None:
        return st.one_of([make() for make in _BY_TYPE.values()])
    return _BY_TYPE[credential_type]()


def subjects(credential_type: str | None = None) -> st.SearchStrategy[SubjectModel]:
    """Valid subject models of ``credential_type`` (any type if None)."""
    return issued_subjects(credential_type).map(lambda issued: issued.subject)


def credentials(
    credential_type: str | None = None, *, issuer: str | JsonObject = ISSUER
) -> st.SearchStrategy[JsonObject]:
    """Unsigned credentials built with :func:`build_nhs_credential` (so checked for issuance)."""
    return st.builds(
        lambda issued, uuid: build_nhs_credential(
            issued.subject,
            issuer=issuer,
            valid_from=issued.valid_from,
            valid_until=issued.valid_until,
            credential_id=f"urn:uuid:{uuid}",
        ),
        issued_subjects(credential_type),
        st.uuids(),
    )
