"""A seeded, synthetic NHS workforce with its (unsigned) staff passport credentials.

For demos, benchmarks and load tests: :func:`generate_workforce` makes ``n`` staff members
across twenty fictitious trusts, each with the credentials their role would carry (identity,
right to work, DBS, occupational health, employment, the CSTF subjects of their staff group;
doctors also GMC registration and a medical degree), dated relative to ``today``.

Everything is fictitious and looks it: surnames such as "Testperson", ODS codes ``ZZ9xx``,
GMC numbers ``99xxxxx``, DBS certificate numbers ``0099xxxxxxxx``, ESR numbers ``99xxxxxx``,
holders ``did:example:staff-000001``, issuers under ``example.org``. The same ``seed`` and
``today`` always give the same workforce: randomness comes only from ``random.Random(seed)``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from staffvc.credentials.nhs._common import IdentityProvider, SubjectModel
from staffvc.credentials.nhs.cstf import Assessment, CSTFTrainingSubject, TrainingProvider
from staffvc.credentials.nhs.dbs import DBSCheckSubject, UpdateService
from staffvc.credentials.nhs.employment import (
    Employer,
    EmploymentCheck,
    NHSEmploymentSubject,
    RightToWorkSummary,
)
from staffvc.credentials.nhs.gmc import (
    FitnessToPractise,
    GMCRegistrationSubject,
    PrimaryMedicalQualification,
)
from staffvc.credentials.nhs.identity import StaffIdentitySubject
from staffvc.credentials.nhs.medical_degree import AwardingBody, MedicalDegreeSubject
from staffvc.credentials.nhs.occupational_health import (
    EppClearance,
    ImmunisationEvidence,
    OccupationalHealthClearanceSubject,
    OhProvider,
)
from staffvc.credentials.nhs.right_to_work import RightToWorkSubject
from staffvc.credentials.nhs.rules import (
    add_years,
    assemble_credential,
    cstf_expiry,
    cstf_refresher_period,
    default_valid_until,
    validate_for_issuance,
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
    CstfVariant,
    DbsCheckLevel,
    DbsStatusResult,
    DbsWorkforce,
    DeliveryMode,
    DocumentType,
    EmployerDecision,
    EmploymentStandard,
    GmcRegistrationStatus,
    GmcRegistrationType,
    LevelOfConfidence,
    OhRoleCategory,
    PermissionType,
    RefresherPeriod,
    RightToWorkCheckType,
    StaffGroup,
    Vaccine,
)
from staffvc.safejson import JsonObject

__all__ = ["MAX_WORKFORCE", "StaffMember", "Trust", "generate_workforce", "trusts"]

MAX_WORKFORCE = 99_999
"""Largest ``n``: the fictitious number ranges (GMC ``99xxxxx``) hold this many."""

_GIVEN = (
    "Ada", "Ben", "Cara", "Dev", "Efe", "Finn", "Grace", "Hari", "Isla", "Jon", "Kemi", "Leo",
    "Maya", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vik", "Wen", "Yusuf",
    "Zara", "Alex", "Bea", "Chidi", "Dana", "Eli",
)  # fmt: skip
_FAMILY = (
    "Testperson", "Testington", "Exampleton", "Samplewood", "Fakeley", "Mockford", "Dummyson",
    "Placeholder", "Fictionby", "Pretendale", "Trialworth", "Demoforth", "Specimen", "Madeupson",
    "Notreal", "Synthetica",
)  # fmt: skip
_PLACES = ("Exampleton", "Sampleford", "Testbury", "Mockham", "Demoport")


@dataclass(frozen=True, slots=True)
class Trust:
    """A fictitious NHS trust: ODS code, name, and its did:web issuer."""

    ods_code: str
    name: str

    @property
    def issuer(self) -> JsonObject:
        return {
            "id": f"did:web:trust-{self.ods_code.lower()}.example.org",
            "name": self.name,
            "odsCode": self.ods_code,
        }

    @property
    def oh_issuer(self) -> JsonObject:
        return {
            "id": f"did:web:oh.trust-{self.ods_code.lower()}.example.org",
            "name": f"{self.name} Occupational Health",
        }


def trusts() -> tuple[Trust, ...]:
    """The twenty fictitious trusts, ``ZZ901`` to ``ZZ920``."""
    kinds = ("Teaching Hospitals", "University Hospitals", "Community Health", "Mental Health")
    return tuple(
        Trust(
            ods_code=f"ZZ9{i:02d}",
            name=f"{_PLACES[i % len(_PLACES)]} {kinds[i % len(kinds)]} NHS Trust (fictitious {i})",
        )
        for i in range(1, 21)
    )


@dataclass(frozen=True, slots=True)
class StaffMember:
    """One synthetic staff member and their unsigned credentials."""

    holder_id: str
    given_name: str
    family_name: str
    birth_date: date
    staff_group: StaffGroup
    job_title: str
    grade: str
    trust: Trust
    gmc_reference_number: str | None
    credentials: tuple[JsonObject, ...]


_ROLES: tuple[tuple[StaffGroup, str, tuple[str, ...], int], ...] = (
    (StaffGroup.NURSING_MIDWIFERY, "Staff Nurse", ("Band 5", "Band 6", "Band 7"), 30),
    (StaffGroup.MEDICAL_DENTAL, "Doctor", ("FY1", "FY2", "ST3", "ST5", "Consultant"), 12),
    (StaffGroup.ADDITIONAL_CLINICAL_SERVICES, "Healthcare Assistant", ("Band 2", "Band 3"), 18),
    (StaffGroup.AHP, "Physiotherapist", ("Band 5", "Band 6"), 8),
    (StaffGroup.ADMIN_CLERICAL, "Administrator", ("Band 3", "Band 4"), 20),
    (StaffGroup.ESTATES_ANCILLARY, "Porter", ("Band 2",), 6),
    (StaffGroup.HEALTHCARE_SCIENTISTS, "Biomedical Scientist", ("Band 6",), 3),
    (StaffGroup.ADD_PROF_SCIENTIFIC_TECHNICAL, "Pharmacist", ("Band 7", "Band 8a"), 3),
)
_CLINICAL = frozenset(
    {
        StaffGroup.NURSING_MIDWIFERY,
        StaffGroup.MEDICAL_DENTAL,
        StaffGroup.ADDITIONAL_CLINICAL_SERVICES,
        StaffGroup.AHP,
    }
)
_NON_CLINICAL_CSTF = (
    CstfSubject.CONFLICT_RESOLUTION,
    CstfSubject.EQUALITY_DIVERSITY_HUMAN_RIGHTS,
    CstfSubject.FIRE_SAFETY,
    CstfSubject.HEALTH_SAFETY_WELFARE,
    CstfSubject.INFECTION_PREVENTION_CONTROL,
    CstfSubject.INFORMATION_GOVERNANCE_DATA_SECURITY,
    CstfSubject.MOVING_HANDLING,
    CstfSubject.PREVENTING_RADICALISATION,
    CstfSubject.SAFEGUARDING_ADULTS,
    CstfSubject.SAFEGUARDING_CHILDREN,
)
_PROVIDERS = (
    TrainingProvider(name="e-Learning for Healthcare", cstf_aligned=True),
    TrainingProvider(name="Exampleton Training Ltd (fictitious)", cstf_aligned=True),
)
_PASSED = Assessment(passed=True)


@cache
def _cstf_plan(
    clinical: bool,
) -> tuple[tuple[CstfSubject, int, RefresherPeriod, tuple[CstfVariant, ...]], ...]:
    """The CSTF subjects and levels a clinical (highest level) or other role completes."""
    plan = []
    for topic in CstfSubject if clinical else _NON_CLINICAL_CSTF:
        levels = CSTF_LEVELS[topic]
        level = levels[-1] if clinical else levels[0]
        period = cstf_refresher_period(topic, level)
        plan.append((topic, level, period, CSTF_VARIANTS.get((topic, level), ())))
    return tuple(plan)


_IDSP = IdentityProvider(
    name="Example IDSP Ltd (fictitious)",
    certification_body="Example Certification Body",
    certificate_id="EX-DIATF-0001",
    trust_framework_version="0.4",
)


class _Maker:
    """Draws one staff member at a time from one seeded generator."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._weights = [weight for *_, weight in _ROLES]

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def instant(self, day: date) -> datetime:
        return datetime.combine(day, time(tzinfo=UTC)) + timedelta(
            seconds=self.rng.randrange(8 * 3600, 18 * 3600)
        )

    def uuid(self) -> str:
        return f"urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"

    def credential(
        self, subject: SubjectModel, issuer: JsonObject, valid_from: datetime
    ) -> JsonObject:
        return assemble_credential(
            subject,
            issuer=issuer,
            valid_from=valid_from,
            valid_until=default_valid_until(subject, valid_from=valid_from),
            credential_id=self.uuid(),
        )

    def member(self, index: int, trust: Trust) -> StaffMember:
        rng = self.rng
        group, title, grades, _ = rng.choices(_ROLES, weights=self._weights)[0]
        grade = rng.choice(grades)
        holder = f"did:example:staff-{index:06d}"
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
        birth = self.days_ago(22 * 366, 64 * 365)
        start = self.days_ago(30, 3000)
        identity_checked = self.days_ago(30, 900)
        doctor = group is StaffGroup.MEDICAL_DENTAL
        gmc_number = f"99{index:05d}" if doctor else None
        made: list[JsonObject] = []
        made.append(self.identity(holder, given, family, birth, identity_checked, trust))
        made.append(self.right_to_work(holder, identity_checked, trust))
        made.append(self.dbs(holder, index, group, trust))
        made.append(self.occupational_health(holder, group, trust))
        made.append(self.employment(holder, index, group, title, grade, start, trust))
        made.extend(self.cstf(holder, group, trust))
        if doctor:
            assert gmc_number is not None
            made.append(self.gmc(holder, gmc_number, f"{given} {family}", grade, trust))
            made.append(self.degree(holder, birth))
        return StaffMember(
            holder_id=holder,
            given_name=given,
            family_name=family,
            birth_date=birth,
            staff_group=group,
            job_title=title,
            grade=grade,
            trust=trust,
            gmc_reference_number=gmc_number,
            credentials=tuple(made),
        )

    def identity(
        self, holder: str, given: str, family: str, birth: date, checked: date, trust: Trust
    ) -> JsonObject:
        idsp = self.rng.random() < 0.6
        subject = StaffIdentitySubject(
            id=holder,
            given_name=given,
            family_name=family,
            birth_date=birth,
            level_of_confidence=LevelOfConfidence.MEDIUM,
            gpg45_profile=self.rng.choice(("M1A", "M1B", "M1C", "M2B")),
            check_method=CheckMethod.IDSP_APP if idsp else CheckMethod.FACE_TO_FACE,
            identity_provider=_IDSP if idsp else None,
            checked_on=checked,
            document_type=self.rng.choice((DocumentType.UK_PASSPORT, DocumentType.DRIVING_LICENCE)),
        )
        issuer: JsonObject = (
            {"id": "did:web:idsp.example.org", "name": _IDSP.name} if idsp else trust.issuer
        )
        return self.credential(subject, issuer, self.instant(checked))

    def right_to_work(self, holder: str, checked: date, trust: Trust) -> JsonObject:
        limited = self.rng.random() < 0.15
        subject = RightToWorkSubject(
            id=holder,
            check_type=(
                RightToWorkCheckType.ONLINE_SHARE_CODE if limited else RightToWorkCheckType.MANUAL
            ),
            checked_on=checked,
            permission_type=PermissionType.TIME_LIMITED if limited else PermissionType.CONTINUOUS,
            follow_up_due=self.today + timedelta(days=self.rng.randint(60, 900))
            if limited
            else None,
        )
        return self.credential(subject, trust.issuer, self.instant(checked))

    def dbs(self, holder: str, index: int, group: StaffGroup, trust: Trust) -> JsonObject:
        issued = self.days_ago(0, 1000)
        clinical = group in _CLINICAL
        level = DbsCheckLevel.ENHANCED_BARRED_LISTS if clinical else DbsCheckLevel.STANDARD
        subject = DBSCheckSubject(
            id=holder,
            certificate_number=f"0099{index:08d}",
            certificate_issue_date=issued,
            check_level=level,
            barred_lists_checked=(BarredList.CHILDREN, BarredList.ADULTS) if clinical else None,
            workforce=DbsWorkforce.CHILD_AND_ADULT if clinical else DbsWorkforce.OTHER,
            update_service=UpdateService(
                subscribed=True,
                last_status_check=max(issued, self.days_ago(0, 30)),
                last_status_result=DbsStatusResult.NO_NEW_INFORMATION,
            )
            if self.rng.random() < 0.5
            else None,
            employer_decision=EmployerDecision.CLEARED_FOR_ROLE,
            decision_date=issued + timedelta(days=self.rng.randint(0, 10)),
        )
        decided = subject.decision_date
        last = subject.update_service.last_status_check if subject.update_service else None
        valid_from = self.instant(max(d for d in (decided, last, issued) if d is not None))
        if valid_from.date() > self.today:  # a decision made in the last few days
            subject = subject.model_copy(update={"decision_date": issued})
            valid_from = self.instant(max(issued, last or issued))
        return self.credential(subject, trust.issuer, valid_from)

    def occupational_health(self, holder: str, group: StaffGroup, trust: Trust) -> JsonObject:
        assessed = self.days_ago(0, 300)
        review = add_years(assessed, 1)
        epp = group is StaffGroup.MEDICAL_DENTAL and self.rng.random() < 0.5
        role = (
            OhRoleCategory.CLINICAL_EPP
            if epp
            else OhRoleCategory.CLINICAL_PATIENT_CONTACT
            if group in _CLINICAL
            else OhRoleCategory.NON_CLINICAL
        )
        vaccines = list(Vaccine) if group in _CLINICAL else [Vaccine.INFLUENZA, Vaccine.COVID_19]
        subject = OccupationalHealthClearanceSubject(
            id=holder,
            clearance_outcome=ClearanceOutcome.CLEARED_FOR_ROLE,
            role_category=role,
            assessment_date=assessed,
            review_date=review,
            epp_clearance=EppClearance(
                cleared=True,
                categories_cleared=(1, 2, 3),
                ivs_used=True,
                clearance_date=assessed,
                review_date=review,
            )
            if epp
            else None,
            immunisations=tuple(
                ImmunisationEvidence(
                    vaccine=vaccine,
                    snomed_code=next(iter(VACCINATION_PROCEDURES[vaccine])),
                    evidence_satisfactory=True,
                )
                for vaccine in vaccines
            ),
            oh_provider=OhProvider(
                name=f"{trust.name} Occupational Health", seqohs_accredited=True
            ),
        )
        return self.credential(subject, trust.oh_issuer, self.instant(assessed))

    def employment(
        self,
        holder: str,
        index: int,
        group: StaffGroup,
        title: str,
        grade: str,
        start: date,
        trust: Trust,
    ) -> JsonObject:
        rotation = group is StaffGroup.MEDICAL_DENTAL and grade.startswith(("FY", "ST"))
        kind = AssignmentType.TRAINING_ROTATION if rotation else AssignmentType.SUBSTANTIVE
        end = self.today + timedelta(days=self.rng.randint(30, 365)) if rotation else None
        checks = tuple(
            EmploymentCheck(standard=standard, completed_on=start - timedelta(days=7))
            for standard in EmploymentStandard
        )
        subject = NHSEmploymentSubject(
            id=holder,
            employer=Employer(name=trust.name, ods_code=trust.ods_code),
            job_title=title,
            staff_group=group,
            grade=grade,
            employment_type=kind,
            assignment_start_date=start,
            assignment_end_date=end,
            employment_checks=checks,
            right_to_work=RightToWorkSummary(check_type=RightToWorkCheckType.MANUAL),
            employee_number=f"99{index:06d}",
        )
        valid_from = self.instant(self.days_ago(0, min(60, (self.today - start).days)))
        return self.credential(subject, trust.issuer, valid_from)

    def cstf(self, holder: str, group: StaffGroup, trust: Trust) -> list[JsonObject]:
        made = []
        for topic, level, period, variants in _cstf_plan(group in _CLINICAL):
            completion = self.days_ago(0, 365 * period.years - 1)
            subject = CSTFTrainingSubject(
                id=holder,
                subject=topic,
                level=level,
                variant=self.rng.choice(variants) if variants else None,
                completion_date=completion,
                expiry_date=cstf_expiry(topic, level, completion),
                refresher_period=period,
                framework_version="CSTF (England) v1.1",
                delivery_mode=DeliveryMode.ELEARNING,
                training_provider=self.rng.choice(_PROVIDERS),
                assessment=_PASSED,
            )
            made.append(self.credential(subject, trust.issuer, self.instant(completion)))
        return made

    def gmc(self, holder: str, number: str, name: str, grade: str, trust: Trust) -> JsonObject:
        checked = self.instant(self.days_ago(1, 25))
        provisional = grade == "FY1"
        subject = GMCRegistrationSubject(
            id=holder,
            gmc_reference_number=number,
            registered_name=name,
            registration_status=GmcRegistrationStatus.REGISTERED_WITH_LICENCE,
            registration_type=GmcRegistrationType.PROVISIONAL
            if provisional
            else GmcRegistrationType.FULL,
            licence_to_practise=True,
            fitness_to_practise=FitnessToPractise(
                has_active_conditions=False,
                has_active_undertakings=False,
                has_active_warnings=False,
                has_interim_order=False,
            ),
            primary_medical_qualification=PrimaryMedicalQualification(
                name="MB ChB", year=checked.year - self.rng.randint(1, 20), place="Exampleton"
            ),
            register_checked_on=checked,
        )
        return self.credential(subject, trust.issuer, checked + timedelta(minutes=5))

    def degree(self, holder: str, birth: date) -> JsonObject:
        awarded = min(add_years(birth, 23), self.today - timedelta(days=400))
        subject = MedicalDegreeSubject(
            id=holder,
            qualification_name="MB ChB",
            awarding_body=AwardingBody(
                name="University of Exampleton (fictitious)", country_code="GB"
            ),
            award_date=awarded,
        )
        issuer: JsonObject = {
            "id": "did:web:registry.exampleton.example.ac.uk",
            "name": "University of Exampleton (fictitious)",
        }
        return self.credential(subject, issuer, self.instant(awarded))


def generate_workforce(
    n: int = 10_000,
    *,
    seed: int,
    today: date,
    validate: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[StaffMember]:
    """``n`` synthetic staff members with their unsigned credentials, all valid on ``today``.

    Deterministic: the same ``seed`` and ``today`` give equal output. ``validate=True``
    runs :func:`~staffvc.credentials.nhs.validate_for_issuance` on every credential (about a
    millisecond each); tests check a sample instead. ``progress`` is called with the number
    of members made so far, every thousand.
    """
    if not 0 <= n <= MAX_WORKFORCE:
        raise ValueError(f"n must be between 0 and {MAX_WORKFORCE}")
    maker = _Maker(random.Random(seed), today)  # noqa: S311 - synthetic data, not secrets
    all_trusts = trusts()
    members = []
    for index in range(1, n + 1):
        member = maker.member(index, all_trusts[(index - 1) % len(all_trusts)])
        if validate:
            for credential in member.credentials:
                validate_for_issuance(credential)
        members.append(member)
        if progress is not None and index % 1000 == 0:
            progress(index)
    return members
