"""staffvc: W3C Verifiable Credentials for the NHS Digital Staff Passport.

The names below are the supported public API; everything else may change between minor
versions (see ``docs/architecture.md``, "Public API and deprecation").
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("staffvc")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from staffvc.clock import Clock, FixedClock, SystemClock
from staffvc.did import DidDocument, Relationship, Resolver, VerificationMethod, did_jwk, did_key
from staffvc.errors import StaffVCError
from staffvc.fetch import Fetcher, HttpsFetcher
from staffvc.keys import Algorithm, KeyPair, KeyType, PublicKey, Signer
from staffvc.results import Check, Code, Outcome, Stage, Verdict, VerificationResult

__all__ = [
    "Algorithm",
    "Check",
    "Clock",
    "Code",
    "DidDocument",
    "Fetcher",
    "FixedClock",
    "HttpsFetcher",
    "KeyPair",
    "KeyType",
    "Outcome",
    "PublicKey",
    "Relationship",
    "Resolver",
    "Signer",
    "StaffVCError",
    "Stage",
    "SystemClock",
    "Verdict",
    "VerificationMethod",
    "VerificationResult",
    "__version__",
    "did_jwk",
    "did_key",
]
