"""Data Integrity proofs (W3C VC Data Integrity 1.0) and their cryptosuites."""

from staffvc.proofs.data_integrity.common import ProofGenerationError, format_datetime, proofs_of
from staffvc.proofs.data_integrity.ecdsa_sd import EcdsaSd2023, derive_proof
from staffvc.proofs.data_integrity.proof import add_proof, verify_proofs
from staffvc.proofs.data_integrity.registry import SUITES
from staffvc.proofs.data_integrity.suites import (
    DATA_INTEGRITY_PROOF,
    Cryptosuite,
    HashAndSignSuite,
    suite_for_proof,
)

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "SUITES",
    "Cryptosuite",
    "EcdsaSd2023",
    "HashAndSignSuite",
    "ProofGenerationError",
    "add_proof",
    "derive_proof",
    "format_datetime",
    "proofs_of",
    "suite_for_proof",
    "verify_proofs",
]
