"""NHS staff passport credentials: the types, their vocabulary, schemas, models and rules.

Eight credential types (``StaffIdentityCredential``, ``GMCRegistrationCredential``,
``DBSCheckCredential``, ``CSTFTrainingCredential``,
``OccupationalHealthClearanceCredential``, ``NHSEmploymentCredential``,
``RightToWorkCredential``, ``MedicalDegreeCredential``), each with a pydantic model of its
``credentialSubject``, a bundled JSON Schema, terms in the bundled JSON-LD context
``https://w3id.org/nhs-staff-passport/v1``, and rules checked before issuance. See
``docs/credentials.md``.

``staffvc.credentials.nhs.synthetic`` makes a seeded synthetic workforce;
``staffvc.credentials.nhs.strategies`` has hypothesis strategies (a dev dependency, so it is
not imported here).
"""

from staffvc.credentials.nhs._common import (
    CONTEXT_URL,
    SCHEMA_BASE,
    VOCABULARY,
    IdentityProvider,
    NhsModel,
    SubjectModel,
)
from staffvc.credentials.nhs.catalogue import (
    ALWAYS_DISCLOSED,
    CREDENTIAL_TYPES,
    DISCLOSABLE,
    DISCLOSABLE_ITEMS,
    ENVELOPE_MANDATORY,
    SUBJECT_MODELS,
    VCT_BASE,
    SdJwtVcForm,
    credential_type_of,
    mandatory_pointers,
    sd_jwt_vc_form,
    selective_pointers,
    vct_of,
)
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
    MAX_VALIDITY,
    RuleViolation,
    build_nhs_credential,
    check_credential_rules,
    default_valid_until,
    rule_violations,
    validate_for_issuance,
)

__all__ = [
    "ALWAYS_DISCLOSED",
    "CONTEXT_URL",
    "CREDENTIAL_TYPES",
    "DISCLOSABLE",
    "DISCLOSABLE_ITEMS",
    "ENVELOPE_MANDATORY",
    "MAX_VALIDITY",
    "SCHEMA_BASE",
    "SUBJECT_MODELS",
    "VCT_BASE",
    "VOCABULARY",
    "Assessment",
    "AwardingBody",
    "CSTFTrainingSubject",
    "DBSCheckSubject",
    "Employer",
    "EmploymentCheck",
    "EppClearance",
    "FitnessToPractise",
    "GMCRegistrationSubject",
    "GpRegister",
    "IdentityProvider",
    "ImmunisationEvidence",
    "MedicalDegreeSubject",
    "NHSEmploymentSubject",
    "NhsModel",
    "OccupationalHealthClearanceSubject",
    "OhProvider",
    "PostalAddress",
    "PrimaryMedicalQualification",
    "RightToWorkSubject",
    "RightToWorkSummary",
    "RuleViolation",
    "SdJwtVcForm",
    "SpecialistEntry",
    "StaffIdentitySubject",
    "SubjectModel",
    "TrainingPlacement",
    "TrainingProvider",
    "UpdateService",
    "build_nhs_credential",
    "check_credential_rules",
    "credential_type_of",
    "default_valid_until",
    "mandatory_pointers",
    "rule_violations",
    "sd_jwt_vc_form",
    "selective_pointers",
    "validate_for_issuance",
    "vct_of",
]
