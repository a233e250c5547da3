"""The cryptosuites staffvc knows by default, by name (``cryptosuite`` or legacy proof type).

Callers can pass their own mapping wherever a function takes ``suites=``.
"""

from __future__ import annotations

from staffvc.proofs.data_integrity.ecdsa_sd import SUITE_NAME, EcdsaSd2023
from staffvc.proofs.data_integrity.suites import HASH_AND_SIGN_SUITES, Cryptosuite

__all__ = ["SUITES"]

SUITES: dict[str, Cryptosuite] = {**HASH_AND_SIGN_SUITES, SUITE_NAME: EcdsaSd2023()}
"""Verification accepts all of these; ``ecdsa-sd-2023`` here has no mandatory pointers
(issuers that need some create ``EcdsaSd2023(mandatory_pointers=...)``)."""
