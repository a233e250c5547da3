"""The one exception family of staffvc.

Every error a caller can meet is a :class:`StaffVCError` with a machine ``code`` that is a
public contract (tests and callers match on codes, never on messages). Where a specification
names the error (DID Resolution, did:key, Controlled Identifiers) the code is the spec's own
name. Messages name the offending field and the rule; they never carry key material.

Verification of untrusted credentials does not raise these: it reports coded checks in a
:class:`staffvc.results.VerificationResult`. Exceptions are for programming interfaces that
*produce* things (keys, DID documents, signatures) from input the caller controls.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "DidDocumentIdMismatchError",
    "DidError",
    "DidNotFoundError",
    "DidResolutionInternalError",
    "InvalidDidDocumentError",
    "InvalidDidError",
    "InvalidDidUrlError",
    "InvalidJsonError",
    "InvalidKeyError",
    "InvalidPublicKeyError",
    "InvalidPublicKeyLengthError",
    "InvalidPublicKeyTypeError",
    "InvalidRelationshipError",
    "InvalidVerificationMethodError",
    "KeyLengthError",
    "LimitExceededError",
    "MethodNotSupportedError",
    "NetworkError",
    "ResourceError",
    "SignatureError",
    "StaffVCError",
    "UnsupportedAlgorithmError",
    "UnsupportedKeyTypeError",
    "UnsupportedPublicKeyTypeError",
]


class StaffVCError(Exception):
    """Base of every staffvc error; ``code`` says what went wrong, for machines."""

    code: ClassVar[str] = "STAFFVC_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form, as the CLI prints with ``--json-errors``."""
        return {"code": self.code, "message": self.message, "type": type(self).__name__}


# --- input limits and parsing -------------------------------------------------------------


class LimitExceededError(StaffVCError):
    """Outside input is larger or deeper than the configured limits allow."""

    code = "LIMIT_EXCEEDED"


class InvalidJsonError(StaffVCError):
    """Text that should be JSON is not, or uses forms staffvc refuses (duplicate names, NaN)."""

    code = "PARSING_ERROR"


class ResourceError(StaffVCError):
    """A bundled data file (context, schema) is missing or does not match its pinned hash."""

    code = "RESOURCE_ERROR"


class NetworkError(StaffVCError):
    """A fetch through an injected fetcher failed or was refused by policy."""

    code = "NETWORK_ERROR"


# --- keys -----------------------------------------------------------------------------------


class InvalidKeyError(StaffVCError):
    """Key material is malformed: wrong length, missing JWK members, not on the curve, ..."""

    code = "INVALID_KEY"


class KeyLengthError(InvalidKeyError):
    """Key bytes of the wrong length for their key type."""

    code = "INVALID_KEY_LENGTH"


class UnsupportedKeyTypeError(StaffVCError):
    """A key type (curve, kty, multicodec) staffvc does not support."""

    code = "UNSUPPORTED_KEY_TYPE"


class UnsupportedAlgorithmError(StaffVCError):
    """An algorithm not on the allow-list for the key it is used with."""

    code = "UNSUPPORTED_ALGORITHM"


class SignatureError(StaffVCError):
    """A signer failed to produce a signature."""

    code = "PROOF_GENERATION_ERROR"


# --- DIDs: codes are those of W3C DID Resolution and the did:key spec ------------------------


class DidError(StaffVCError):
    """Base of DID resolution and dereferencing errors."""

    code = "internalError"


class InvalidDidError(DidError):
    code = "invalidDid"


class InvalidDidUrlError(DidError):
    code = "invalidDidUrl"


class MethodNotSupportedError(DidError):
    code = "methodNotSupported"


class DidNotFoundError(DidError):
    code = "notFound"


class DidResolutionInternalError(DidError):
    code = "internalError"


class InvalidPublicKeyError(DidError):
    code = "invalidPublicKey"


class InvalidPublicKeyLengthError(DidError):
    code = "invalidPublicKeyLength"


class InvalidPublicKeyTypeError(DidError):
    code = "invalidPublicKeyType"


class UnsupportedPublicKeyTypeError(DidError):
    code = "unsupportedPublicKeyType"


# --- verification methods: codes of Controlled Identifiers 1.0 §3.3 ------------------------


class InvalidDidDocumentError(DidError):
    """A DID document that is not a well-formed controlled identifier document."""

    code = "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"


class DidDocumentIdMismatchError(DidError):
    """A fetched DID document whose ``id`` is not the DID that was resolved."""

    code = "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID"


class InvalidVerificationMethodError(DidError):
    """The DID URL does not lead to a usable verification method."""

    code = "INVALID_VERIFICATION_METHOD"


class InvalidRelationshipError(DidError):
    """The verification method is not authorised for the requested relationship."""

    code = "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD"
