"""Value sets of the NHS staff passport credentials, as data.

Every enumeration a credential may carry is here, with its source (the domain brief,
``shared/domain/nhs-credentials.md``, section numbers in brackets), so that the models, the
JSON Schemas and the rules read one list. Values are ``snake_case`` strings: JSON-LD signs
them as plain literals, and they read the same in JSON, SD-JWT claims and logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CSTF_LEVELS",
    "CSTF_REFRESHER_YEARS",
    "CSTF_VARIANTS",
    "NEVER_TRAVELS",
    "PROFILE_LEVEL",
    "VACCINATION_PROCEDURES",
    "AssignmentType",
    "BarredList",
    "CheckMethod",
    "ClearanceOutcome",
    "CstfSubject",
    "CstfVariant",
    "DbsCheckLevel",
    "DbsStatusResult",
    "DbsWorkforce",
    "DegreeClassification",
    "DeliveryMode",
    "DocumentType",
    "EmployerDecision",
    "EmploymentStandard",
    "GmcRegistrationStatus",
    "GmcRegistrationType",
    "LevelOfConfidence",
    "OhRoleCategory",
    "PermissionType",
    "RefresherPeriod",
    "RightToWorkCheckType",
    "StaffGroup",
    "VaccinationProcedure",
    "Vaccine",
    "is_snomed_concept_id",
]


# --- identity (§3, §10.1) -------------------------------------------------------------------


class LevelOfConfidence(StrEnum):
    """GPG 45 levels of confidence in an identity."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


PROFILE_LEVEL: Mapping[str, LevelOfConfidence] = MappingProxyType(
    {
        "L": LevelOfConfidence.LOW,
        "M": LevelOfConfidence.MEDIUM,
        "H": LevelOfConfidence.HIGH,
        "V": LevelOfConfidence.VERY_HIGH,
    }
)
"""First letter of a GPG 45 profile (``M1B``) → the level of confidence it reaches (§3.2)."""


class CheckMethod(StrEnum):
    """How an identity was checked: an IDSP app, or face to face at the trust."""

    IDSP_APP = "idsp_app"
    FACE_TO_FACE = "face_to_face"


class DocumentType(StrEnum):
    """The kind of identity document used (never its number)."""

    UK_PASSPORT = "uk_passport"
    IRISH_PASSPORT = "irish_passport"
    DRIVING_LICENCE = "driving_licence"
    BRP = "brp"
    OTHER = "other"


# --- GMC registration (§4.1, §10.2) -----------------------------------------------------------


class GmcRegistrationStatus(StrEnum):
    REGISTERED_WITH_LICENCE = "registered_with_licence"
    REGISTERED_WITHOUT_LICENCE = "registered_without_licence"
    SUSPENDED = "suspended"
    NOT_REGISTERED = "not_registered"


class GmcRegistrationType(StrEnum):
    PROVISIONAL = "provisional"
    FULL = "full"


# --- DBS (§5, §10.3) ---------------------------------------------------------------------------


class DbsCheckLevel(StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"
    ENHANCED_BARRED_LISTS = "enhanced_barred_lists"


class BarredList(StrEnum):
    CHILDREN = "children"
    ADULTS = "adults"


class DbsWorkforce(StrEnum):
    CHILD = "child"
    ADULT = "adult"
    CHILD_AND_ADULT = "child_and_adult"
    OTHER = "other"


class DbsStatusResult(StrEnum):
    """Result of a DBS Update Service status check."""

    NO_NEW_INFORMATION = "no_new_information"
    NEW_INFORMATION = "new_information"


class EmployerDecision(StrEnum):
    """The only decision ever issued: a credential is not issued for anything else."""

    CLEARED_FOR_ROLE = "cleared_for_role"


# --- CSTF (§6, §10.4) --------------------------------------------------------------------------


class CstfSubject(StrEnum):
    """The 11 subjects of the Core Skills Training Framework (England)."""

    CONFLICT_RESOLUTION = "conflict_resolution"
    EQUALITY_DIVERSITY_HUMAN_RIGHTS = "equality_diversity_human_rights"
    FIRE_SAFETY = "fire_safety"
    HEALTH_SAFETY_WELFARE = "health_safety_welfare"
    INFECTION_PREVENTION_CONTROL = "infection_prevention_control"
    INFORMATION_GOVERNANCE_DATA_SECURITY = "information_governance_data_security"
    MOVING_HANDLING = "moving_handling"
    PREVENTING_RADICALISATION = "preventing_radicalisation"
    RESUSCITATION = "resuscitation"
    SAFEGUARDING_ADULTS = "safeguarding_adults"
    SAFEGUARDING_CHILDREN = "safeguarding_children"


class RefresherPeriod(StrEnum):
    """ISO 8601 durations of the national refresher periods."""

    P1Y = "P1Y"
    P2Y = "P2Y"
    P3Y = "P3Y"

    @property
    def years(self) -> int:
        return int(self.value[1])


class DeliveryMode(StrEnum):
    ELEARNING = "elearning"
    FACE_TO_FACE = "face_to_face"
    BLENDED = "blended"


CSTF_REFRESHER_YEARS: Mapping[CstfSubject, Mapping[int, int]] = MappingProxyType(
    {
        CstfSubject.CONFLICT_RESOLUTION: {1: 3},
        CstfSubject.EQUALITY_DIVERSITY_HUMAN_RIGHTS: {1: 3},
        CstfSubject.FIRE_SAFETY: {1: 2},
        CstfSubject.HEALTH_SAFETY_WELFARE: {1: 3},
        CstfSubject.INFECTION_PREVENTION_CONTROL: {1: 3, 2: 1},
        CstfSubject.INFORMATION_GOVERNANCE_DATA_SECURITY: {1: 1},
        CstfSubject.MOVING_HANDLING: {1: 3, 2: 2},
        CstfSubject.PREVENTING_RADICALISATION: {1: 3, 2: 3, 3: 3},
        CstfSubject.RESUSCITATION: {1: 1, 2: 1, 3: 1},
        CstfSubject.SAFEGUARDING_ADULTS: {1: 3, 2: 3, 3: 3},
        CstfSubject.SAFEGUARDING_CHILDREN: {1: 3, 2: 3, 3: 3},
    }
)
"""Subject → level → national refresher period in years (§6.2). The levels listed are the
only levels a subject has. Moving and Handling and IPC level 2 rest on secondary sources
(§11 item 3); local policies may be stricter, which is the verifier's business."""

CSTF_LEVELS: Mapping[CstfSubject, tuple[int, ...]] = MappingProxyType(
    {subject: tuple(sorted(levels)) for subject, levels in CSTF_REFRESHER_YEARS.items()}
)
"""Subject → the levels it has."""


class CstfVariant(StrEnum):
    """Variants of a subject at a level (resuscitation by age group, Prevent levels)."""

    ADULT_BLS = "adult_bls"
    PAEDIATRIC_BLS = "paediatric_bls"
    NEWBORN = "newborn"
    ADULT_ILS = "adult_ils"
    ADULT_ALS = "adult_als"
    PAEDIATRIC_ILS = "paediatric_ils"
    PAEDIATRIC_ALS = "paediatric_als"
    BASIC_PREVENT_AWARENESS = "basic_prevent_awareness"
    PREVENT_LEVEL_3 = "prevent_level_3"


CSTF_VARIANTS: Mapping[tuple[CstfSubject, int], tuple[CstfVariant, ...]] = MappingProxyType(
    {
        (CstfSubject.RESUSCITATION, 2): (
            CstfVariant.ADULT_BLS,
            CstfVariant.PAEDIATRIC_BLS,
            CstfVariant.NEWBORN,
        ),
        (CstfSubject.RESUSCITATION, 3): (
            CstfVariant.ADULT_ILS,
            CstfVariant.ADULT_ALS,
            CstfVariant.PAEDIATRIC_ILS,
            CstfVariant.PAEDIATRIC_ALS,
            CstfVariant.NEWBORN,
        ),
        (CstfSubject.PREVENTING_RADICALISATION, 1): (CstfVariant.BASIC_PREVENT_AWARENESS,),
        (CstfSubject.PREVENTING_RADICALISATION, 2): (CstfVariant.BASIC_PREVENT_AWARENESS,),
        (CstfSubject.PREVENTING_RADICALISATION, 3): (CstfVariant.PREVENT_LEVEL_3,),
    }
)
"""(subject, level) → the variants one of which it must name; other pairs have no variant
(§6.1, §6.2: resuscitation L2 BLS and L3 ILS/ALS by age group; Prevent awareness and L3)."""


# --- occupational health (§7, §10.5) -------------------------------------------------------------


class ClearanceOutcome(StrEnum):
    """The only outcome ever issued: an OH service issues nothing otherwise."""

    CLEARED_FOR_ROLE = "cleared_for_role"


class OhRoleCategory(StrEnum):
    CLINICAL_PATIENT_CONTACT = "clinical_patient_contact"
    CLINICAL_EPP = "clinical_epp"
    NON_CLINICAL = "non_clinical"


class Vaccine(StrEnum):
    """The immunisations a healthcare worker's OH clearance records evidence for (§7.1)."""

    HEPATITIS_B = "hepatitis_b"
    MMR = "mmr"
    VARICELLA = "varicella"
    BCG = "bcg"
    INFLUENZA = "influenza"
    COVID_19 = "covid_19"


class VaccinationProcedure(StrEnum):
    """SNOMED CT procedure concepts (SCTIDs) that evidence an immunisation (§7.3)."""

    HEPATITIS_B = "16584000"
    MMR = "38598009"
    MEASLES = "47435007"
    MUMPS = "50583002"
    RUBELLA = "82314000"
    VARICELLA = "68525005"
    BCG = "42284007"
    INFLUENZA = "86198006"
    SARS_COV_2 = "840534001"


VACCINATION_PROCEDURES: Mapping[Vaccine, Mapping[VaccinationProcedure, str]] = MappingProxyType(
    {
        Vaccine.HEPATITIS_B: {VaccinationProcedure.HEPATITIS_B: "Hepatitis B vaccination"},
        Vaccine.MMR: {
            VaccinationProcedure.MMR: "Measles-mumps-rubella vaccination",
            VaccinationProcedure.MEASLES: "Measles vaccination",
            VaccinationProcedure.MUMPS: "Mumps vaccination",
            VaccinationProcedure.RUBELLA: "Rubella vaccination",
        },
        Vaccine.VARICELLA: {VaccinationProcedure.VARICELLA: "Varicella vaccination"},
        Vaccine.BCG: {VaccinationProcedure.BCG: "BCG vaccination"},
        Vaccine.INFLUENZA: {VaccinationProcedure.INFLUENZA: "Influenza vaccination"},
        Vaccine.COVID_19: {VaccinationProcedure.SARS_COV_2: "SARS-CoV-2 vaccination"},
    }
)
"""Vaccine → the SNOMED CT procedure concepts (with their preferred terms) that evidence it
(§7.3; SNOMED CT, OID 2.16.840.1.113883.6.96). Procedure codes, not dm+d product codes: the
credential says an immunisation happened, not which product or batch."""


_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def is_snomed_concept_id(sctid: str) -> bool:
    """True if ``sctid`` is shaped like a SNOMED CT concept id: 6 to 18 digits, no leading
    zero, a concept partition (``00`` or ``10``) and a valid Verhoeff check digit."""
    if not (6 <= len(sctid) <= 18 and sctid.isascii() and sctid.isdigit()) or sctid[0] == "0":
        return False
    if sctid[-3:-1] not in ("00", "10"):
        return False
    check = 0
    for i, digit in enumerate(reversed(sctid)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(digit)]]
    return check == 0


# --- employment and right to work (§2, §8, §10.6) ---------------------------------------------


class StaffGroup(StrEnum):
    """ESR staff groups."""

    ADD_PROF_SCIENTIFIC_TECHNICAL = "add_prof_scientific_technical"
    ADDITIONAL_CLINICAL_SERVICES = "additional_clinical_services"
    ADMIN_CLERICAL = "admin_clerical"
    AHP = "ahp"
    ESTATES_ANCILLARY = "estates_ancillary"
    HEALTHCARE_SCIENTISTS = "healthcare_scientists"
    MEDICAL_DENTAL = "medical_dental"
    NURSING_MIDWIFERY = "nursing_midwifery"
    STUDENTS = "students"


class AssignmentType(StrEnum):
    """The kind of assignment (the domain brief's ``employmentType`` plus ``secondment``)."""

    SUBSTANTIVE = "substantive"
    FIXED_TERM = "fixed_term"
    BANK = "bank"
    HONORARY = "honorary"
    SECONDMENT = "secondment"
    TRAINING_ROTATION = "training_rotation"
    LEAD_EMPLOYER = "lead_employer"


class EmploymentStandard(StrEnum):
    """The six NHS Employment Check Standards (§2)."""

    IDENTITY = "identity"
    RIGHT_TO_WORK = "right_to_work"
    PROFESSIONAL_REGISTRATION = "professional_registration"
    EMPLOYMENT_HISTORY_REFERENCES = "employment_history_references"
    CRIMINAL_RECORD = "criminal_record"
    WORK_HEALTH_ASSESSMENT = "work_health_assessment"


class RightToWorkCheckType(StrEnum):
    MANUAL = "manual"
    ONLINE_SHARE_CODE = "online_share_code"
    IDSP = "idsp"


class PermissionType(StrEnum):
    """Whether the right to work is continuous or time-limited (then a follow-up is due)."""

    CONTINUOUS = "continuous"
    TIME_LIMITED = "time_limited"


# --- medical degree (§10.7) ---------------------------------------------------------------------


class DegreeClassification(StrEnum):
    PASS = "pass"  # noqa: S105 - a degree classification, not a password
    MERIT = "merit"
    DISTINCTION = "distinction"
    HONOURS = "honours"


# --- data minimisation (§5, §7.4, §9) ------------------------------------------------------------

NEVER_TRAVELS: Mapping[str, str] = MappingProxyType(
    {
        # criminal records (§5): the certificate's content, never in a credential
        "convictions": "criminal-offence data (DBS certificate content)",
        "cautions": "criminal-offence data (DBS certificate content)",
        "policeInformation": "criminal-offence data (DBS certificate content)",
        "disclosureContent": "criminal-offence data (DBS certificate content)",
        "containsInformation": "reveals criminal-offence data (the DBS clear/contains flag)",
        "certificateImage": "the DBS certificate itself",
        "barredListResult": "a barred-list result (only the lists checked may travel)",
        "placeOfBirth": "not needed by any verifier (§5)",
        "positionAppliedFor": "position text with location (§10.3)",
        # health (§7.4): special category data beyond the clearance decision
        "antibodyLevel": "a test result (only 'immunity evidence satisfactory' may travel)",
        "antiHbsLevel": "a test result (only 'immunity evidence satisfactory' may travel)",
        "titre": "a test result (only 'immunity evidence satisfactory' may travel)",
        "testResults": "test results",
        "serologyResult": "a test result",
        "bloodBorneVirusStatus": "blood-borne-virus status",
        "bbvStatus": "blood-borne-virus status",
        "hivStatus": "blood-borne-virus status",
        "hepatitisBStatus": "blood-borne-virus status",
        "hepatitisCStatus": "blood-borne-virus status",
        "diagnosis": "a diagnosis",
        "diagnoses": "diagnoses",
        "disability": "disability details",
        "adjustments": "details of adjustments",
        "medication": "medication",
        "pregnancy": "pregnancy",
        "questionnaire": "OH questionnaire answers",
        "batchNumber": "vaccine batch numbers stay in the OH record (§10.5)",
        # employment (§9, issue 6): no pay, no HR case data
        "salary": "pay",
        "pay": "pay",
        "payBand": "pay",
        "payScale": "pay",
        "payPoint": "pay",
        "bankDetails": "bank details",
        "sicknessAbsence": "sickness absence",
        "disciplinary": "disciplinary data",
        "referenceText": "reference text",
        # identifiers that must not travel (§9)
        "nationalInsuranceNumber": "the NI number",
        "niNumber": "the NI number",
        "nhsNumber": "a patient identifier, not for staff",
        "documentNumber": "identity document numbers",
        "passportNumber": "identity document numbers",
        "brpNumber": "identity document numbers",
        "shareCode": "a Home Office share code is single-use evidence, not a claim",
        "nationality": "not needed once the right to work is established",
        "immigrationStatus": "not needed once the right to work is established",
        "gender": "not needed by any verifier",
        "fitnessToPractiseHistory": "FtP case history (only current flags may travel)",
        "assessmentScore": "training scores (only pass may travel)",
    }
)
"""Member names that must never appear anywhere in a credential, with the reason. Issuance
refuses them by name before the schema (which forbids every unknown member anyway) does."""
