"""Errors of JSON-LD processing, each with the code a caller (or a verifier) reports.

Everything that can go wrong while turning a JSON-LD document into the bytes a proof signs is
one of these. None of them is ever swallowed: a document that cannot be processed exactly
cannot be signed or verified, so "fail" is the only safe answer (VCDM 2.0 §B.1: any
expansion error makes verification fail).
"""

from __future__ import annotations

from staffvc.errors import LimitExceededError, StaffVCError

__all__ = [
    "CanonicalizationLimitError",
    "DocumentLoaderError",
    "JcsError",
    "JsonLdError",
    "SafeModeError",
]


class JsonLdError(StaffVCError):
    """JSON-LD processing failed (invalid syntax, bad context, protected term redefinition).

    ``jsonld_code`` is the JSON-LD 1.1 API error code when the processor named one
    (``"protected term redefinition"``, ``"invalid local context"``, ...), else ``None``.
    """

    code = "PARSING_ERROR"

    def __init__(self, message: str, *, jsonld_code: str | None = None) -> None:
        super().__init__(message)
        self.jsonld_code = jsonld_code


class DocumentLoaderError(JsonLdError):
    """A context or document could not be loaded: not bundled, not allowed, or fetch failed.

    The code is the JSON-LD 1.1 API's ``loading document failed``, spelled as a staffvc code.
    """

    code = "LOADING_DOCUMENT_FAILED"


class SafeModeError(JsonLdError):
    """JSON-LD processing would silently lose data, so the document cannot be signed as is.

    VC Data Integrity 1.0 §2.4.3 names this error; without it two different JSON documents
    could canonicalize, and so sign, identically.
    """

    code = "DATA_LOSS_DETECTION_ERROR"


class CanonicalizationLimitError(JsonLdError, LimitExceededError):
    """Canonicalization would take more work, time or size than the limits allow."""

    code = "LIMIT_EXCEEDED"


class JcsError(StaffVCError):
    """A value that RFC 8785 (JCS) cannot canonicalize: not JSON, or outside I-JSON's range."""

    code = "MALFORMED_VALUE_ERROR"
