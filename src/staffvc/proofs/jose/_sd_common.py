"""What the three SD-JWT parties share (RFC 9901): names, hash algorithms, disclosures, the
compact form, limits and errors. Pure functions; no signing, no clock, no randomness."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Final, NoReturn, TypeVar

from staffvc.errors import StaffVCError
from staffvc.keys import b64url_decode, b64url_encode
from staffvc.proofs.jose.jws import DEFAULT_LIMITS, JoseLimits
from staffvc.results import Check, CheckFailed, CheckRecorder, Code, Stage
from staffvc.safejson import JsonLimits, JsonValue, loads

SD: Final = "_sd"
SD_ALG: Final = "_sd_alg"
ELLIPSIS: Final = "..."
KB_TYP: Final = "kb+jwt"
DEFAULT_HASH: Final = "sha-256"
SPEC: Final = "RFC 9901"

HASH_ALGORITHMS: Mapping[str, Callable[[bytes], bytes]] = {
    "sha-256": lambda data: hashlib.sha256(data).digest(),
    "sha-384": lambda data: hashlib.sha384(data).digest(),
    "sha-512": lambda data: hashlib.sha512(data).digest(),
    "sha3-256": lambda data: hashlib.sha3_256(data).digest(),
    "sha3-384": lambda data: hashlib.sha3_384(data).digest(),
    "sha3-512": lambda data: hashlib.sha3_512(data).digest(),
}
"""``_sd_alg`` values staffvc computes: IANA "Named Information Hash Algorithm" names of hash
functions with at least 128-bit collision resistance (RFC 9901 §4.1.1, §9.4)."""

REFUSED_HASHES: frozenset[str] = frozenset(
    {"md2", "md5", "sha-1", "sha-224", "sha3-224"}
    | {f"sha-256-{bits}" for bits in (32, 64, 96, 120, 128)}
)
"""Names staffvc recognises and refuses: broken or truncated digests (RFC 9901 §9.4)."""


class SdJwtError(StaffVCError):
    """An SD-JWT could not be issued or presented from what the caller gave."""

    code = "SD_JWT_ERROR"


class ReservedClaimError(SdJwtError):
    """Claims use a name SD-JWT reserves (``_sd``, ``...``, ``_sd_alg``) or one the issuer
    sets itself (``cnf`` with a holder key, ``vct``)."""

    code = "RESERVED_CLAIM_NAME"


class DisclosureSelectionError(SdJwtError):
    """A JSON pointer that names no claim, or a claim that may not be made disclosable."""

    code = "INVALID_DISCLOSURE_SELECTION"


class MalformedSdJwtError(SdJwtError):
    """The SD-JWT given to the holder is malformed, or is already an SD-JWT+KB."""

    code = "INVALID_SD_JWT"


@dataclass(frozen=True, slots=True)
class SdJwtLimits:
    """Caps on an SD-JWT from outside, checked before any work that depends on its size."""

    max_token_bytes: int = 512 * 1024
    """The whole compact SD-JWT(+KB), disclosures included."""
    max_disclosure_bytes: int = 64 * 1024
    """One encoded disclosure (leaves room for a photo as a data URI)."""
    max_disclosures: int = 512
    max_depth: int = 32
    """Nesting of the processed payload, and of each disclosure's JSON."""
    jose: JoseLimits = field(default=DEFAULT_LIMITS)
    """Limits of the issuer-signed JWT and of the KB-JWT."""

    def disclosure_json(self) -> JsonLimits:
        return JsonLimits(max_bytes=self.max_disclosure_bytes, max_depth=self.max_depth)


DEFAULT_SD_LIMITS = SdJwtLimits()


# --- recording checks ----------------------------------------------------------------------

_T = TypeVar("_T")
_PASSED: dict[tuple[Stage, str, str], Check] = {}


def _reraise(exc: Exception) -> NoReturn:
    raise exc


def run_check(
    recorder: CheckRecorder, stage: Stage, name: str, step: Callable[[], _T], *, spec: str = ""
) -> _T | None:
    """:meth:`CheckRecorder.run`, reusing one PASSED :class:`Check` per (stage, name, spec).

    Checks are immutable values; building and validating one costs more than most SD-JWT
    steps, so a verification would otherwise spend a fifth of its time on its own report.
    Failures go through ``recorder.run`` itself, so they are recorded exactly as it does.
    """
    try:
        value = step()
    except Exception as exc:  # noqa: BLE001 - handed to the recorder, which records it
        return recorder.run(stage, name, partial(_reraise, exc), spec=spec)
    key = (stage, name, spec)
    check = _PASSED.get(key)
    if check is None:
        check = _PASSED[key] = Check.passed(stage, name, spec=spec)
    recorder.add(check)
    return value


# --- hashing ---------------------------------------------------------------------------------


def hash_function(name: str) -> Callable[[bytes], bytes]:
    """The hash of ``_sd_alg`` ``name``; :class:`SdJwtError` when staffvc does not use it."""
    fn = HASH_ALGORITHMS.get(name)
    if fn is None:
        raise SdJwtError(f"hash algorithm {name!r} is not supported ({', '.join(HASH_ALGORITHMS)})")
    return fn


def b64_digest(fn: Callable[[bytes], bytes], text: str) -> str:
    """base64url(hash(ASCII(text))): the digest of a disclosure and the ``sd_hash`` (§4.2.3)."""
    return b64url_encode(fn(text.encode("ascii")))


# --- disclosures -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One decoded disclosure: salt, claim name (None for an array element) and value."""

    encoded: str
    salt: str
    name: str | None
    value: JsonValue


def encode_disclosure(salt: str, name: str | None, value: JsonValue) -> str:
    """The disclosure of ``[salt, name, value]`` (or ``[salt, value]``), serialised as the
    specification's examples are (ASCII JSON, ``", "`` separators), so that their salts
    reproduce their disclosures and digests byte for byte."""
    array: list[JsonValue] = [salt, value] if name is None else [salt, name, value]
    try:
        text = json.dumps(array, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SdJwtError(f"a disclosable claim value is not JSON: {exc}") from None
    return b64url_encode(text.encode("ascii"))


def decode_disclosure(encoded: str, index: int, limits: SdJwtLimits) -> Disclosure:
    """Decode disclosure number ``index``; :class:`CheckFailed` when malformed (§4.2)."""
    where = f"disclosure {index}"
    if len(encoded) > limits.max_disclosure_bytes:
        raise CheckFailed(
            Code.LIMIT_EXCEEDED, f"{where} is over {limits.max_disclosure_bytes} bytes"
        )
    try:
        data = b64url_decode(encoded)
    except ValueError:
        raise CheckFailed(Code.PARSING_ERROR, f"{where} is not unpadded base64url") from None
    try:
        array = loads(data, limits=limits.disclosure_json(), what=where)
    except StaffVCError as exc:
        code = Code.LIMIT_EXCEEDED if exc.code == "LIMIT_EXCEEDED" else Code.PARSING_ERROR
        raise CheckFailed(code, exc.message) from None
    if not isinstance(array, list) or len(array) not in (2, 3):
        raise CheckFailed(Code.INVALID_DISCLOSURE, f"{where} is not a JSON array of 2 or 3")
    salt = array[0]
    if not isinstance(salt, str):
        raise CheckFailed(Code.INVALID_DISCLOSURE, f"the salt of {where} is not a string")
    if len(array) == 2:
        return Disclosure(encoded, salt, None, array[1])
    name = array[1]
    if not isinstance(name, str):
        raise CheckFailed(Code.INVALID_DISCLOSURE, f"the claim name of {where} is not a string")
    if name in (SD, ELLIPSIS, SD_ALG):
        raise CheckFailed(Code.INVALID_DISCLOSURE, f"{where} names the reserved claim {name!r}")
    return Disclosure(encoded, salt, name, array[2])


# --- the compact serialisation (§4) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SdJwtParts:
    """A compact SD-JWT split at its tildes."""

    issuer_jwt: str
    disclosures: tuple[str, ...]
    kb_jwt: str | None
    """The KB-JWT, or None when the token ends with ``~`` (a plain SD-JWT)."""
    presented: str
    """Everything up to and including the last ``~``: the input of ``sd_hash`` (§4.3.1)."""


def split_compact(token: str | bytes, limits: SdJwtLimits) -> SdJwtParts:
    """Split a compact SD-JWT or SD-JWT+KB; :class:`CheckFailed` when it is not one."""
    if isinstance(token, bytes | bytearray):
        if len(token) > limits.max_token_bytes:
            raise CheckFailed(Code.LIMIT_EXCEEDED, f"over {limits.max_token_bytes} bytes")
        if not token.isascii():
            raise CheckFailed(Code.PARSING_ERROR, "an SD-JWT is ASCII only")
        text = bytes(token).decode("ascii")
    elif isinstance(token, str):
        if len(token) > limits.max_token_bytes:
            raise CheckFailed(Code.LIMIT_EXCEEDED, f"over {limits.max_token_bytes} bytes")
        if not token.isascii():
            raise CheckFailed(Code.PARSING_ERROR, "an SD-JWT is ASCII only")
        text = token
    else:
        raise CheckFailed(Code.PARSING_ERROR, "an SD-JWT is a string")
    parts = text.split("~")
    if len(parts) < 2:
        raise CheckFailed(Code.PARSING_ERROR, "no '~': not an SD-JWT (a bare JWT?)")
    if len(parts) - 2 > limits.max_disclosures:
        raise CheckFailed(Code.LIMIT_EXCEEDED, f"more than {limits.max_disclosures} disclosures")
    issuer_jwt, disclosures, last = parts[0], tuple(parts[1:-1]), parts[-1]
    if not issuer_jwt:
        raise CheckFailed(Code.PARSING_ERROR, "the issuer-signed JWT is empty")
    if any(not d for d in disclosures):
        raise CheckFailed(Code.PARSING_ERROR, "an empty disclosure (two '~' in a row)")
    presented = text[: len(text) - len(last)]
    return SdJwtParts(issuer_jwt, disclosures, last or None, presented)


def join_compact(issuer_jwt: str, disclosures: tuple[str, ...] | list[str]) -> str:
    """``<JWT>~<D1>~...~<Dn>~``: an SD-JWT without key binding."""
    return "~".join((issuer_jwt, *disclosures)) + "~"


# --- JSON pointers (RFC 6901) ----------------------------------------------------------------


def parse_pointer(pointer: str) -> tuple[str, ...]:
    """The reference tokens of ``pointer``; :class:`DisclosureSelectionError` if malformed.

    The root (``""``) is refused: a whole payload is never one disclosure.
    """
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise DisclosureSelectionError(f"{pointer!r} is not a JSON pointer to a claim")
    tokens = pointer[1:].split("/")
    for token in tokens:
        rest = token.replace("~0", "").replace("~1", "")
        if "~" in rest:
            raise DisclosureSelectionError(f"{pointer!r} has a '~' not followed by 0 or 1")
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in tokens)


def format_pointer(tokens: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def child_pointer(pointer: str, token: str | int) -> str:
    text = str(token)
    return pointer + "/" + text.replace("~", "~0").replace("/", "~1")


def array_index(token: str, length: int) -> int | None:
    """``token`` as an index into an array of ``length`` (RFC 6901 §4), or None."""
    if not (token.isascii() and token.isdigit()) or (len(token) > 1 and token[0] == "0"):
        return None
    index = int(token)
    return index if index < length else None
