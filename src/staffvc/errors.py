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
    "CredentialDataError",
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
    "MalformedStatusError",
    "MethodNotSupportedError",
    "NetworkError",
    "ResourceError",
    "SchemaValidationError",
    "SignatureError",
    "StaffVCError",
    "StatusIndexRangeError",
    "StatusListError",
    "StatusListLengthError",
    "StatusPurposeError",
    "StatusRegistryConfigError",
    "StatusRegistryError",
    "StatusRetrievalError",
    "StatusStoreConflictError",
    "StatusStoreCorruptError",
    "StatusStoreError",
    "StatusStoreForeignError",
    "StatusStoreUnavailableError",
    "StatusStoreVersionError",
    "StatusTransitionError",
    "UnknownCredentialError",
    "UnknownSchemaError",
    "UnknownStatusListError",
    "UnsupportedAlgorithmError",
    "UnsupportedKeyTypeError",
    "UnsupportedPublicKeyTypeError",
    "UnsupportedStatusTypeError",
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


# --- credential status: codes of Bitstring Status List 1.0 §3.5 and VCDM §7.2 --------------


class StatusListError(StaffVCError):
    """A status list, or a status entry, that cannot be used as it stands."""

    code = "STATUS_VERIFICATION_ERROR"


class StatusListLengthError(StatusListError):
    """A status list shorter than the minimum length that gives herd privacy."""

    code = "STATUS_LIST_LENGTH_ERROR"


class StatusRetrievalError(StatusListError):
    """A status list could not be retrieved."""

    code = "STATUS_RETRIEVAL_ERROR"


class StatusIndexRangeError(StatusListError):
    """A status index (times the status size) outside the list."""

    code = "RANGE_ERROR"


class MalformedStatusError(StatusListError):
    """A status entry or list member that breaks a MUST of its data model."""

    code = "MALFORMED_VALUE_ERROR"


class UnsupportedStatusTypeError(StatusListError):
    """A status entry (or status list) of a type staffvc cannot read."""

    code = "UNKNOWN_STATUS_TYPE"


# --- credential content: schemas and the rules of each credential type ---------------------


class CredentialDataError(StaffVCError):
    """A credential's content breaks a rule of its type; ``pointer`` and ``rule`` say where
    and which (issuance refuses it rather than signing it)."""

    code = "MALFORMED_VALUE_ERROR"

    def __init__(self, message: str, *, pointer: str, rule: str) -> None:
        super().__init__(f"{pointer or '/'}: {message} [rule: {rule}]")
        self.pointer = pointer
        self.rule = rule


class SchemaValidationError(CredentialDataError):
    """A credential does not match its JSON Schema; ``rule`` is the schema keyword."""

    code = "SCHEMA_VALIDATION_ERROR"


class UnknownSchemaError(StaffVCError):
    """A ``credentialSchema`` that is not bundled (never fetched), or of an unsupported type."""

    code = "UNKNOWN_SCHEMA"


# --- the issuer's status registry and its stores --------------------------------------------


class StatusRegistryError(StaffVCError):
    """The status registry refused an operation."""

    code = "STATUS_REGISTRY_ERROR"


class StatusRegistryConfigError(StatusRegistryError):
    """A registry or store argument against the rules (bad URL, purpose, id, random source)."""

    code = "STATUS_REGISTRY_CONFIG_ERROR"


class UnknownCredentialError(StatusRegistryError):
    """The registry holds no status entries for this credential id."""

    code = "STATUS_UNKNOWN_CREDENTIAL"


class UnknownStatusListError(StatusRegistryError):
    """The registry holds no status list with this id."""

    code = "STATUS_UNKNOWN_LIST"


class StatusPurposeError(StatusRegistryError):
    """The registry, or the credential, has no status entry for the purpose asked for."""

    code = "STATUS_PURPOSE_UNAVAILABLE"


class StatusTransitionError(StatusRegistryError):
    """A status change the rules forbid: revocation is final, values must fit the entry."""

    code = "STATUS_TRANSITION_REFUSED"


class StatusStoreError(StaffVCError):
    """A status store could not be used."""

    code = "STATUS_STORE_ERROR"


class StatusStoreCorruptError(StatusStoreError):
    """The store's file or tables are damaged; it is left untouched for inspection."""

    code = "STATUS_STORE_CORRUPT"


class StatusStoreForeignError(StatusStoreError):
    """The database exists but is not a staffvc status store (never reused or overwritten)."""

    code = "STATUS_STORE_FOREIGN"


class StatusStoreVersionError(StatusStoreError):
    """The store was written by a staffvc with a schema this version cannot read."""

    code = "STATUS_STORE_VERSION"


class StatusStoreUnavailableError(StatusStoreError):
    """The store cannot be reached or written now (I/O error, lock timeout, lost connection)."""

    code = "STATUS_STORE_UNAVAILABLE"


class StatusStoreConflictError(StatusStoreError):
    """Rows that clash with stored ones, or concurrent writers past the retry budget."""

    code = "STATUS_STORE_CONFLICT"
