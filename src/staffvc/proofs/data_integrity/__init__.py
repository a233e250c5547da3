"""Data Integrity proofs (W3C VC Data Integrity 1.0) and their cryptosuites."""

from staffvc.proofs.data_integrity.proof import (
    ProofGenerationError,
    add_proof,
    format_datetime,
    proofs_of,
    verify_proofs,
)
from staffvc.proofs.data_integrity.suites import (
    DATA_INTEGRITY_PROOF,
    SUITES,
    Cryptosuite,
    HashAndSignSuite,
    suite_for_proof,
)

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "SUITES",
    "Cryptosuite",
    "HashAndSignSuite",
    "ProofGenerationError",
    "add_proof",
    "format_datetime",
    "proofs_of",
    "suite_for_proof",
    "verify_proofs",
]
