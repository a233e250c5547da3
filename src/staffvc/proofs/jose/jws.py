"""JWS Compact Serialization (RFC 7515 §7.1) over :mod:`staffvc.keys`, strict and bounded.

Every JOSE format of staffvc (VC-JOSE-COSE, VC-JWT 1.1, SD-JWT) signs and opens tokens here.
The rules a verifier relies on live in one place:

- a token is exactly three unpadded base64url parts, ASCII only, within :class:`JoseLimits`;
- the protected header is a JSON object (no duplicate members) with a string ``alg`` that is
  on staffvc's allow-list: ``none``, HMAC (``HS*``), RSA and anything unknown are refused;
- ``b64: false`` (RFC 7797), ``jku``, ``x5u`` and ``x5c`` are refused (a key found through
  them is not bound to a DID), and ``crit`` may only name extensions the caller understands;
- the algorithm is pinned from the *key* (:func:`verify_compact`): the header's ``alg`` must
  be allowed for the resolved key's type, and an embedded ``jwk`` must be that very key.

The code is staffvc's own rather than a JOSE library's: one parse of each part and one
signature check keep an EdDSA verification close to the cost of the raw signature.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, cast

from staffvc.errors import (
    InvalidJsonError,
    LimitExceededError,
    SignatureError,
    StaffVCError,
    UnsupportedAlgorithmError,
)
from staffvc.keys import Algorithm, PublicKey, Signer, b64url_encode
from staffvc.keys.algorithms import check_algorithm
from staffvc.safejson import JsonLimits, JsonObject, JsonValue, loads

__all__ = [
    "DEFAULT_LIMITS",
    "CompactJws",
    "JoseAlgorithmError",
    "JoseClaimError",
    "JoseError",
    "JoseHeaderError",
    "JoseLimitError",
    "JoseLimits",
    "JoseMalformedError",
    "JoseMediaTypeError",
    "JoseSignatureError",
    "JoseSigningError",
    "decode_compact",
    "sign_compact",
    "verify_compact",
]


# --- errors: each ``code`` is also a :class:`staffvc.results.Code` value ---------------------


class JoseError(StaffVCError):
    """Base of the JOSE/COSE errors; ``code`` names a :class:`staffvc.results.Code` member."""

    code = "PARSING_ERROR"


class JoseMalformedError(JoseError, InvalidJsonError):
    """Not a well-formed token: parts, base64url, JSON, a header member of the wrong kind."""

    code = "PARSING_ERROR"


class JoseLimitError(JoseError, LimitExceededError):
    """A token, header or payload larger or deeper than :class:`JoseLimits` allow."""

    code = "LIMIT_EXCEEDED"


class JoseAlgorithmError(JoseError, UnsupportedAlgorithmError):
    """``alg`` is refused (``none``, HMAC, unknown) or not allowed for the verifying key."""

    code = "UNSUPPORTED_ALGORITHM"


class JoseHeaderError(JoseError):
    """A header staffvc refuses: ``crit`` not understood, ``b64: false``, ``jku``/``x5u``/
    ``x5c``, or an embedded ``jwk`` that is not the verifying key."""

    code = "UNSUPPORTED_HEADER"


class JoseMediaTypeError(JoseError):
    """A ``typ``, ``cty`` or envelope media type that is not the one expected."""

    code = "MEDIA_TYPE_MISMATCH"


class JoseClaimError(JoseError):
    """A JWT claim contradicts the credential or presentation it carries."""

    code = "CLAIM_MISMATCH"


class JoseSignatureError(JoseError):
    """The signature does not verify: the token was altered or signed by another key."""

    code = "CRYPTOGRAPHIC_SECURITY_ERROR"


class JoseSigningError(JoseError, SignatureError):
    """A token could not be produced (the signer failed, or the header is unusable)."""

    code = "PROOF_GENERATION_ERROR"


# --- limits ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JoseLimits:
    """Caps on outside input: the whole token, its protected header, JSON nesting depth."""

    max_token_bytes: int = 256 * 1024
    max_header_bytes: int = 8 * 1024
    max_json_depth: int = 32

    def header_json(self) -> JsonLimits:
        """The JSON limits a protected header is parsed with."""
        return JsonLimits(max_bytes=self.max_header_bytes, max_depth=self.max_json_depth)

    def payload_json(self) -> JsonLimits:
        """The JSON limits a payload is parsed with."""
        return JsonLimits(max_bytes=self.max_token_bytes, max_depth=self.max_json_depth)


DEFAULT_LIMITS = JoseLimits()

_ALLOWED_ALGS = frozenset(a.value for a in Algorithm)
_REFUSED_HEADERS = ("jku", "x5u", "x5c")
# Header names defined by RFC 7515/7516/7518: never valid in "crit" (RFC 7515 §4.1.11).
_REGISTERED = frozenset(
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    }
)  # fmt: skip


# --- the decoded token --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompactJws:
    """A decoded, not yet verified, compact JWS."""

    header: JsonObject
    """The protected header, parsed with limits, no duplicate members."""
    payload: bytes
    """The decoded payload bytes."""
    signing_input: bytes
    """ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), exactly as received."""
    signature: bytes

    @property
    def alg(self) -> str:
        """The header's ``alg`` (already checked to be on the allow-list)."""
        return cast(str, self.header["alg"])

    @property
    def kid(self) -> str | None:
        """The header's ``kid`` if it is a string, else None."""
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None

    def json_payload(self, *, limits: JoseLimits = DEFAULT_LIMITS) -> JsonObject:
        """The payload as a JSON object; :class:`JoseError` if it is anything else."""
        return parse_json_object(self.payload, limits=limits, what="JWS payload")


def parse_json_object(data: bytes, *, limits: JoseLimits, what: str) -> JsonObject:
    """``data`` as a strict JSON object within ``limits``, or a :class:`JoseError`."""
    value = _loads(data, limits.payload_json(), what)
    if not isinstance(value, dict):
        raise JoseMalformedError(f"{what} must be a JSON object")
    return value


def _loads(data: bytes, limits: JsonLimits, what: str) -> JsonValue:
    """Strict JSON (see :func:`staffvc.safejson.loads`), with a fast path for the depth
    limit: a text with no more brackets than the limit cannot nest deeper than it, so the
    tree walk is only needed for the others (the walk costs as much as the parse)."""
    if len(data) > limits.max_bytes:
        raise JoseLimitError(f"{what} is {len(data)} bytes; the limit is {limits.max_bytes}")
    try:
        if data.count(b"{") + data.count(b"[") > limits.max_depth:
            return loads(data, limits=limits, what=what)
        return cast(
            JsonValue,
            json.loads(
                data.decode("utf-8"),
                object_pairs_hook=_no_duplicates,
                parse_constant=_no_constants,
            ),
        )
    except LimitExceededError as exc:
        raise JoseLimitError(exc.message) from None
    except InvalidJsonError as exc:
        raise JoseMalformedError(exc.message) from None
    except UnicodeDecodeError:
        raise JoseMalformedError(f"{what} is not UTF-8") from None
    except (ValueError, RecursionError):  # JSONDecodeError, and ints over Python's digit cap
        raise JoseMalformedError(f"{what} is not valid JSON") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise InvalidJsonError("JSON object has a member name twice")
    return obj


def _no_constants(name: str) -> Any:
    raise InvalidJsonError(f"JSON uses the non-JSON constant {name}")


# --- signing -------------------------------------------------------------------------------


def sign_compact(header: Mapping[str, JsonValue], payload: bytes, *, signer: Signer) -> str:
    """A compact JWS of ``payload`` with protected ``header``, signed by ``signer``.

    ``alg`` comes from ``signer.algorithm`` (a header ``alg`` that disagrees is refused) and
    is written first; ``kid`` is set to ``signer.key_id`` when the header has none.
    """
    alg = signer.algorithm.value
    given = header.get("alg")
    if given is not None and given != alg:
        raise JoseAlgorithmError(f"header alg {given!r} disagrees with the signer's {alg}")
    protected: dict[str, JsonValue] = {"alg": alg}
    protected.update((k, v) for k, v in header.items() if k != "alg")
    if "kid" not in protected and signer.key_id is not None:
        protected["kid"] = signer.key_id
    for name in _REFUSED_HEADERS:
        if name in protected:
            raise JoseHeaderError(f"staffvc does not emit the {name!r} header")
    if protected.get("b64") is False:
        raise JoseHeaderError("staffvc does not emit unencoded payloads (b64: false)")
    try:
        header_json = json.dumps(protected, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JoseSigningError(f"the protected header is not JSON: {exc}") from None
    signing_input = b64url_encode(header_json.encode("utf-8")) + "." + b64url_encode(payload)
    data = signing_input.encode("ascii")
    try:
        signature = signer.sign(data)
    except StaffVCError:
        raise
    except Exception as exc:  # noqa: BLE001 - an injected signer (HSM, KMS) may raise anything
        raise JoseSigningError(f"the signer failed: {type(exc).__name__}") from None
    return signing_input + "." + b64url_encode(signature)


# --- decoding ------------------------------------------------------------------------------


def decode_compact(
    token: str | bytes,
    *,
    limits: JoseLimits = DEFAULT_LIMITS,
    understood_crit: Collection[str] = (),
) -> CompactJws:
    """Split, decode and check a compact JWS; no signature check (see :func:`verify_compact`).

    Raises :class:`JoseLimitError`, :class:`JoseMalformedError`, :class:`JoseAlgorithmError`
    or :class:`JoseHeaderError`; never anything else.
    """
    if isinstance(token, str):
        if len(token) > limits.max_token_bytes:
            raise JoseLimitError(f"token is over {limits.max_token_bytes} bytes")
        if not token.isascii():
            raise JoseMalformedError("a compact JWS is ASCII only")
        raw = token.encode("ascii")
    elif isinstance(token, bytes | bytearray):
        raw = bytes(token)
        if len(raw) > limits.max_token_bytes:
            raise JoseLimitError(f"token is over {limits.max_token_bytes} bytes")
        if not raw.isascii():
            raise JoseMalformedError("a compact JWS is ASCII only")
    else:
        raise JoseMalformedError("a compact JWS is a string")
    if raw.count(b".") != 2:
        raise JoseMalformedError("a compact JWS has exactly three parts")
    first = raw.index(b".")
    second = raw.index(b".", first + 1)
    if first > (limits.max_header_bytes * 4 + 2) // 3:
        raise JoseLimitError(f"protected header is over {limits.max_header_bytes} bytes")
    header = _decode_header(raw[:first], limits)
    _check_header(header, understood_crit)
    return CompactJws(
        header=header,
        payload=_b64(raw[first + 1 : second], "payload"),
        signing_input=raw[:second],
        signature=_b64(raw[second + 1 :], "signature"),
    )


def _b64(part: bytes, what: str) -> bytes:
    """Strict unpadded base64url of ASCII ``part``: the same answers as
    :func:`staffvc.keys.b64url_decode` on every input, at about half the cost (this is the
    hot path of every verification)."""
    rest = len(part) % 4
    if rest == 1 or b"+" in part or b"/" in part or b"=" in part:
        raise JoseMalformedError(f"the {what} is not unpadded base64url")
    if rest:
        last = _B64URL_VALUE.get(part[-1])
        if last is None or last & (0x0F if rest == 2 else 0x03):
            raise JoseMalformedError(f"the {what} is not canonical base64url")
        part += b"==" if rest == 2 else b"="
    try:
        return binascii.a2b_base64(part.translate(_TO_STANDARD), strict_mode=True)
    except binascii.Error:
        raise JoseMalformedError(f"the {what} is not unpadded base64url") from None


_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_B64URL_VALUE = {
    c: i for i, c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}


def _decode_header(part: bytes, limits: JoseLimits) -> JsonObject:
    if not part:
        raise JoseMalformedError("the protected header is empty")
    header = _loads(_b64(part, "protected header"), limits.header_json(), "protected header")
    if not isinstance(header, dict):
        raise JoseMalformedError("the protected header must be a JSON object")
    return header


def _check_header(header: JsonObject, understood_crit: Collection[str]) -> None:
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise JoseMalformedError("the protected header has no string 'alg'")
    if alg not in _ALLOWED_ALGS:
        raise JoseAlgorithmError(f"alg {alg!r} is not accepted (allowed: asymmetric EdDSA/ES*)")
    for name in _REFUSED_HEADERS:
        if name in header:
            raise JoseHeaderError(f"the {name!r} header is refused (keys come from the DID)")
    if "b64" in header:
        b64 = header["b64"]
        if not isinstance(b64, bool):
            raise JoseMalformedError("header 'b64' must be a boolean")
        if b64 is False:
            raise JoseHeaderError("unencoded payloads (b64: false) are refused")
    if "crit" in header:
        crit = header["crit"]
        if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
            raise JoseMalformedError("header 'crit' must be a non-empty array of strings")
        names = cast(list[str], crit)
        if len(set(names)) != len(names):
            raise JoseMalformedError("header 'crit' names a parameter twice")
        for name in names:
            if name in _REGISTERED:
                raise JoseMalformedError(f"header 'crit' may not name registered {name!r}")
            if name not in header:
                raise JoseMalformedError(f"header 'crit' names {name!r}, which is absent")
            if name not in understood_crit:
                raise JoseHeaderError(f"critical header {name!r} is not understood")


# --- verification --------------------------------------------------------------------------


def verify_compact(jws: CompactJws, key: PublicKey) -> None:
    """Check ``jws``'s signature with ``key``; the algorithm is pinned from the key.

    Raises :class:`JoseAlgorithmError` if the header's ``alg`` is not allowed for the key's
    type, :class:`JoseHeaderError` if an embedded ``jwk`` is not ``key``, and
    :class:`JoseSignatureError` if the signature does not verify.
    """
    alg = jws.header.get("alg")
    try:
        algorithm = check_algorithm(key.key_type, alg if isinstance(alg, str) else "")
    except UnsupportedAlgorithmError as exc:
        raise JoseAlgorithmError(exc.message) from None
    if "jwk" in jws.header:
        _check_embedded_jwk(jws.header["jwk"], key)
    if not key.verify(jws.signature, jws.signing_input, algorithm=algorithm):
        raise JoseSignatureError("the JWS signature does not verify")


def _check_embedded_jwk(value: JsonValue, key: PublicKey) -> None:
    if not isinstance(value, dict):
        raise JoseMalformedError("header 'jwk' must be a JSON object")
    try:
        embedded = PublicKey.from_jwk(value)
    except StaffVCError:
        raise JoseHeaderError("header 'jwk' is not a usable public key") from None
    if embedded != key:
        raise JoseHeaderError("header 'jwk' is not the key of the verification method")
