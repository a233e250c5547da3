"""IETF Token Status List (draft-ietf-oauth-status-list): the list, its JWT, the claim.

Unlike the W3C Bitstring Status List, index 0 is the *least* significant bit(s) of the first
byte, entries are 1, 2, 4 or 8 bits, and the bytes are compressed with DEFLATE in the ZLIB
format (RFC 1950), then base64url-encoded without padding: ``{"bits": 1, "lst": "eNr…"}``.
The list travels in a JWT with ``typ: statuslist+jwt`` whose ``sub`` is the list's URI; a
Referenced Token (an SD-JWT VC, for example) points at it with
``"status": {"status_list": {"idx": 0, "uri": "https://…"}}``.

Status values: 0 VALID, 1 INVALID (revoked), 2 SUSPENDED, 3 and 12-15 application-specific,
4-11 reserved. Signing and signature checks go through :mod:`staffvc.proofs.jose.jws`.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from staffvc.errors import (
    LimitExceededError,
    MalformedStatusError,
    StaffVCError,
    StatusListError,
)
from staffvc.keys import PublicKey, Signer
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.proofs.jose.jws import DEFAULT_LIMITS as JOSE_LIMITS
from staffvc.proofs.jose.jws import (
    CompactJws,
    JoseError,
    JoseLimits,
    decode_compact,
    sign_compact,
    verify_compact,
)
from staffvc.results import CheckError, CheckFailed, CheckRecorder, Code, Stage, VerificationResult
from staffvc.safejson import JsonObject, JsonValue
from staffvc.status._compress import ZLIB_WBITS, inflate
from staffvc.status.bitstring import DEFAULT_DECODE_LIMITS, DecodeLimits

__all__ = [
    "STATUS_INVALID",
    "STATUS_LIST_JWT_TYP",
    "STATUS_SUSPENDED",
    "STATUS_VALID",
    "StatusListTokenView",
    "TokenStatusList",
    "build_status_claim",
    "build_status_list_token_payload",
    "read_status_claim",
    "read_status_list_token",
    "sign_status_list_token",
    "token_status_name",
    "verify_status_list_token",
    "verify_status_list_token_result",
]

STATUS_LIST_JWT_TYP = "statuslist+jwt"
STATUS_VALID = 0
STATUS_INVALID = 1
STATUS_SUSPENDED = 2
_BITS = (1, 2, 4, 8)
_SPACE = re.compile(r"\s")


def token_status_name(value: int) -> str:
    """The registered name of a status value (draft §7.1), for messages."""
    names = {0: "VALID", 1: "INVALID", 2: "SUSPENDED"}
    if value in names:
        return names[value]
    if value == 3 or 12 <= value <= 15:
        return f"APPLICATION_SPECIFIC_{value:#04x}"
    return f"RESERVED_{value:#04x}"


class TokenStatusList:
    """A Token Status List: ``size`` entries of ``bits`` bits, all 0 (VALID) when created."""

    __slots__ = ("_bits", "_data", "_mask", "_size")

    def __init__(self, size: int, *, bits: int = 1) -> None:
        if bits not in _BITS or isinstance(bits, bool):
            raise ValueError("bits must be 1, 2, 4 or 8")
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise ValueError("a status list needs a positive number of entries")
        self._size = size
        self._bits = bits
        self._mask = (1 << bits) - 1
        self._data = bytearray((size * bits + 7) // 8)

    @property
    def size(self) -> int:
        """Number of entries."""
        return self._size

    @property
    def bits(self) -> int:
        """Bits per entry."""
        return self._bits

    def get(self, index: int) -> int:
        """The status of entry ``index`` (index 0: the low bits of byte 0)."""
        self._check_index(index)
        position = index * self._bits
        return (self._data[position >> 3] >> (position & 7)) & self._mask

    def set(self, index: int, value: int) -> None:
        """Set entry ``index`` to ``value`` (0 .. 2**bits - 1)."""
        self._check_index(index)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= self._mask:
            raise ValueError(f"a status value must be an integer in 0..{self._mask}")
        position = index * self._bits
        shift = position & 7
        byte = self._data[position >> 3] & ~(self._mask << shift)
        self._data[position >> 3] = byte | (value << shift)

    def to_bytes(self) -> bytes:
        """The uncompressed byte array."""
        return bytes(self._data)

    @classmethod
    def from_bytes(cls, data: bytes, *, bits: int = 1) -> TokenStatusList:
        """A list over the uncompressed bytes ``data`` (``8 * len(data) // bits`` entries)."""
        if bits not in _BITS or isinstance(bits, bool):
            raise ValueError("bits must be 1, 2, 4 or 8")
        if not data:
            raise ValueError("a status list needs a positive number of entries")
        status_list = cls(len(data) * 8 // bits, bits=bits)
        status_list._data[:] = data
        return status_list

    def encode(self) -> JsonObject:
        """The ``status_list`` claim value: ``{"bits": …, "lst": base64url(ZLIB(bytes))}``."""
        return {"bits": self._bits, "lst": b64url_encode(zlib.compress(bytes(self._data), 9))}

    @classmethod
    def decode(
        cls, value: JsonValue, *, limits: DecodeLimits = DEFAULT_DECODE_LIMITS
    ) -> TokenStatusList:
        """Read a ``status_list`` claim from outside, within ``limits``.

        Raises :class:`MalformedStatusError` or :class:`LimitExceededError`.
        """
        if not isinstance(value, dict):
            raise MalformedStatusError("status_list must be an object")
        bits, lst = value.get("bits"), value.get("lst")
        if isinstance(bits, bool) or not isinstance(bits, int) or bits not in _BITS:
            raise MalformedStatusError("status_list.bits must be 1, 2, 4 or 8")
        if not isinstance(lst, str) or not lst:
            raise MalformedStatusError("status_list.lst must be a non-empty string")
        if len(lst) > limits.max_encoded_bytes:
            raise LimitExceededError(
                f"status_list.lst is {len(lst)} characters; the limit is {limits.max_encoded_bytes}"
            )
        try:
            compressed = b64url_decode(lst)
        except ValueError:
            raise MalformedStatusError("status_list.lst is not unpadded base64url") from None
        data = inflate(
            compressed,
            wbits=ZLIB_WBITS,
            max_bytes=limits.max_decompressed_bytes,
            what="status_list.lst",
        )
        if not data:
            raise MalformedStatusError("status_list.lst holds no entries")
        return cls.from_bytes(data, bits=bits)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenStatusList):
            return NotImplemented
        return (self._size, self._bits, self._data) == (other._size, other._bits, other._data)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"TokenStatusList(size={self._size}, bits={self._bits})"

    def _check_index(self, index: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError("a status index must be an int")
        if not 0 <= index < self._size:
            raise IndexError(f"status index {index} is outside 0..{self._size - 1}")


# --- the Referenced Token's claim ---------------------------------------------------------


def build_status_claim(*, uri: str, idx: int) -> JsonObject:
    """The ``status`` claim of a Referenced Token pointing at entry ``idx`` of list ``uri``."""
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0:
        raise ValueError("idx must be a non-negative int")
    if not _is_url(uri):
        raise ValueError("uri must be a URL")
    return {"status_list": {"idx": idx, "uri": uri}}


def read_status_claim(value: JsonValue) -> tuple[str, int]:
    """``(uri, idx)`` from a Referenced Token's ``status`` claim; MalformedStatusError if
    it is not a well-formed ``status_list`` reference."""
    if not isinstance(value, dict):
        raise MalformedStatusError("the status claim must be an object")
    ref = value.get("status_list")
    if not isinstance(ref, dict):
        raise MalformedStatusError("the status claim has no status_list object")
    idx, uri = ref.get("idx"), ref.get("uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0:
        raise MalformedStatusError("status_list.idx must be a non-negative integer")
    if not isinstance(uri, str) or not _is_url(uri):
        raise MalformedStatusError("status_list.uri must be a URL")
    return uri, idx


# --- the Status List Token (JWT) ----------------------------------------------------------


def build_status_list_token_payload(
    *,
    uri: str,
    status_list: TokenStatusList,
    issued_at: datetime,
    expires_at: datetime | None = None,
    ttl_s: int | None = None,
    issuer: str | None = None,
) -> JsonObject:
    """The claims of a Status List Token: ``sub`` (its URI), ``iat``, ``exp``, ``ttl``."""
    if not _is_url(uri):
        raise ValueError("uri must be a URL")
    if ttl_s is not None and (isinstance(ttl_s, bool) or ttl_s <= 0):
        raise ValueError("ttl_s must be a positive number of seconds")
    payload: JsonObject = {}
    if issuer is not None:
        payload["iss"] = issuer
    payload["sub"] = uri
    payload["iat"] = _seconds(issued_at)
    if expires_at is not None:
        if expires_at <= issued_at:
            raise ValueError("expires_at must be after issued_at")
        payload["exp"] = _seconds(expires_at)
    if ttl_s is not None:
        payload["ttl"] = ttl_s
    payload["status_list"] = status_list.encode()
    return payload


def sign_status_list_token(payload: JsonObject, *, signer: Signer) -> str:
    """A compact JWS (``typ: statuslist+jwt``) of ``payload``, through staffvc's JWS code."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return sign_compact({"typ": STATUS_LIST_JWT_TYP}, body.encode("utf-8"), signer=signer)


@dataclass(frozen=True, slots=True)
class StatusListTokenView:
    """The checked header and claims of a Status List Token (signature not yet checked)."""

    subject: str
    issued_at: datetime
    expires_at: datetime | None
    ttl_s: int | None
    issuer: str | None
    kid: str | None
    status_list: JsonObject
    """The raw ``status_list`` claim; decode it with :meth:`TokenStatusList.decode`."""


def read_status_list_token(token: str, *, limits: JoseLimits = JOSE_LIMITS) -> StatusListTokenView:
    """Decode a Status List Token from outside and check its header and claims, but not its
    signature (see :func:`verify_status_list_token`, or a verifier's own key resolution).

    Raises :class:`MalformedStatusError` (malformed claims), :class:`StatusListError`
    (``typ`` is not ``statuslist+jwt``) or a :class:`~staffvc.proofs.jose.JoseError`.
    """
    jws = decode_compact(token, limits=limits)
    return _view(jws.header, jws.json_payload(limits=limits), jws.kid)


def verify_status_list_token(
    token: str, key: PublicKey, *, limits: JoseLimits = JOSE_LIMITS
) -> StatusListTokenView:
    """:func:`read_status_list_token`, then check the signature with ``key``."""
    jws = decode_compact(token, limits=limits)
    view = _view(jws.header, jws.json_payload(limits=limits), jws.kid)
    verify_compact(jws, key)
    return view


def verify_status_list_token_result(
    token: str,
    *,
    key_for: Callable[[StatusListTokenView], PublicKey],
    limits: JoseLimits = JOSE_LIMITS,
) -> VerificationResult:
    """Verify a Status List Token as coded checks: a ready ``verify_list_credential`` for
    :class:`~staffvc.status.StatusChecker` when lists are JWTs.

    ``key_for`` returns the issuer's key for the token (from its ``kid`` or ``iss``, through
    the caller's DID resolver or trust list); a :class:`StaffVCError` from it is an ERROR
    (the key could not be found), not a failure.
    """
    recorder = CheckRecorder(required=(Stage.PARSE, Stage.PROOF), subject="status list token")

    def decode() -> tuple[CompactJws, StatusListTokenView]:
        try:
            jws = decode_compact(token, limits=limits)
            return jws, _view(jws.header, jws.json_payload(limits=limits), jws.kid)
        except JoseError as exc:
            raise CheckFailed(_code(exc.code, Code.PARSING_ERROR), exc.message) from None
        except StatusListError as exc:
            raise CheckFailed(_code(exc.code, Code.MALFORMED_VALUE_ERROR), exc.message) from None

    opened = recorder.run(Stage.PARSE, "statuslist.decode", decode, spec="draft §5.1")
    if opened is None:
        recorder.skip_rest([(Stage.PROOF, "statuslist.signature")], "the token did not decode")
        return recorder.result()
    jws, view = opened

    def signature() -> None:
        try:
            key = key_for(view)
        except StaffVCError as exc:
            raise CheckError(Code.DID_RESOLUTION_ERROR, exc.message) from None
        try:
            verify_compact(jws, key)
        except JoseError as exc:
            raise CheckFailed(
                _code(exc.code, Code.CRYPTOGRAPHIC_SECURITY_ERROR), exc.message
            ) from None

    recorder.run(Stage.PROOF, "statuslist.signature", signature, spec="RFC 7515 §5.2")
    return recorder.result()


def _code(value: str, fallback: Code) -> Code:
    try:
        return Code(value)
    except ValueError:
        return fallback


def _view(header: JsonObject, payload: JsonObject, kid: str | None) -> StatusListTokenView:
    if header.get("typ") != STATUS_LIST_JWT_TYP:
        raise StatusListError(f"a Status List Token has typ {STATUS_LIST_JWT_TYP}")
    subject = payload.get("sub")
    if not isinstance(subject, str) or not _is_url(subject):
        raise MalformedStatusError("a Status List Token needs sub, the list's URI")
    issued_at = _instant(payload.get("iat"), "iat")
    if issued_at is None:
        raise MalformedStatusError("a Status List Token needs iat")
    expires_at = _instant(payload.get("exp"), "exp")
    ttl = payload.get("ttl")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0):
        raise MalformedStatusError("ttl must be a positive integer (seconds)")
    issuer = payload.get("iss")
    if issuer is not None and not isinstance(issuer, str):
        raise MalformedStatusError("iss must be a string")
    status_list = payload.get("status_list")
    if not isinstance(status_list, dict):
        raise MalformedStatusError("a Status List Token needs a status_list object")
    return StatusListTokenView(
        subject=subject,
        issued_at=issued_at,
        expires_at=expires_at,
        ttl_s=ttl,
        issuer=issuer,
        kid=kid,
        status_list=status_list,
    )


def _instant(value: JsonValue, name: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedStatusError(f"{name} must be a NumericDate")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedStatusError(f"{name} is out of range") from None


def _seconds(instant: datetime) -> int:
    if instant.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return int(instant.timestamp())


def _is_url(value: object) -> bool:
    if not isinstance(value, str) or not value or _SPACE.search(value):
        return False
    return bool(urlsplit(value).scheme)
