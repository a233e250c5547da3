"""JSON Canonicalization Scheme (RFC 8785): the bytes ``*-jcs-*`` cryptosuites hash.

JCS needs no contexts and no network, but it is only defined for I-JSON (RFC 7493): numbers
must be finite doubles, integers must be exactly representable (|n| < 2**53), strings must be
valid Unicode. Anything else is refused with a :class:`JcsError` rather than serialized in
some implementation-specific way that another verifier would not reproduce.
"""

from __future__ import annotations

import rfc8785

from staffvc.jsonld.errors import JcsError
from staffvc.safejson import JsonValue

__all__ = ["canonicalize_jcs"]


def canonicalize_jcs(value: JsonValue) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``value``."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.IntegerDomainError as exc:
        raise JcsError(f"JCS: {exc} (I-JSON integers are limited to +/-(2**53 - 1))") from exc
    except rfc8785.FloatDomainError as exc:
        raise JcsError(f"JCS: {exc} (NaN and infinities are not JSON)") from exc
    except rfc8785.CanonicalizationError as exc:
        raise JcsError(f"JCS: {exc}") from exc
    except (TypeError, ValueError, RecursionError) as exc:
        raise JcsError(f"JCS: the value is not JSON ({type(exc).__name__}: {exc})") from exc
