"""Checks shared by the JOSE and COSE formats: media types, NumericDates, key discovery.

Private: the public entry points are in :mod:`~staffvc.proofs.jose.vc_jose`,
:mod:`~staffvc.proofs.jose.vc_jwt_v11` and :mod:`~staffvc.proofs.jose.cose`.
"""

from __future__ import annotations

import hmac
import math
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime, timedelta

from staffvc.did import DidResolver, Relationship, VerificationMethod
from staffvc.errors import DidError, DidResolutionInternalError, StaffVCError
from staffvc.keys import PublicKey
from staffvc.proofs.jose.jws import CompactJws, JoseError, JoseLimits, decode_compact
from staffvc.results import CheckError, CheckFailed, CheckRecorder, Code, Stage
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "check_binding_arguments",
    "check_claim_matches",
    "check_document_claims",
    "check_time_claims",
    "controller_of",
    "failure",
    "id_of",
    "media_type",
    "numeric_date",
    "resolve_key",
    "run_binding",
    "run_decode",
    "run_key_and_signature",
    "types_of",
]

_DID_CODES = {
    "invalidDidUrl": Code.INVALID_VERIFICATION_METHOD_URL,
    "invalidDid": Code.INVALID_VERIFICATION_METHOD_URL,
    "INVALID_VERIFICATION_METHOD": Code.INVALID_VERIFICATION_METHOD,
    "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD": (
        Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD
    ),
    "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT": Code.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT,
    "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID": Code.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID,
}
_UNDECIDED = ("methodNotSupported", "notFound", "internalError")
_DID_PREFIX = re.compile(r"[/?#]")
_CODES = frozenset(c.value for c in Code)


def failure(exc: StaffVCError, *, pointer: str = "") -> CheckFailed:
    """A FAILED signal carrying ``exc``'s code (a :class:`Code` value for JOSE errors)."""
    code = Code(exc.code) if exc.code in _CODES else Code.PROOF_VERIFICATION_ERROR
    return CheckFailed(code, exc.message, pointer=pointer)


def media_type(value: str) -> str:
    """``typ``/``cty`` in comparable form: lower case, ``application/`` left out (RFC 7515
    §4.1.9 lets a producer omit it and makes the comparison case-insensitive)."""
    folded = value.strip().lower()
    return folded[len("application/") :] if folded.startswith("application/") else folded


def types_of(document: JsonObject) -> list[str]:
    """The ``type`` member as a list of strings (non-strings left out)."""
    value = document.get("type")
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str)]


def id_of(value: JsonValue) -> str | None:
    """An identifier given as a string or as an object's ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        inner = value.get("id")
        return inner if isinstance(inner, str) else None
    return None


def controller_of(document: JsonObject, member: str, claims: JsonObject) -> str | None:
    """Who must control the signing key: ``issuer``/``holder`` (or its ``id``), else ``iss``."""
    named = id_of(document.get(member))
    if named is not None:
        return named
    iss = claims.get("iss")
    return iss if isinstance(iss, str) else None


def numeric_date(claims: JsonObject, name: str) -> float | None:
    """Claim ``name`` as seconds since the epoch (RFC 7519 NumericDate), None when absent."""
    if name not in claims:
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR, f"claim {name} is not a NumericDate", pointer=f"/{name}"
        )
    return float(value)


def check_time_claims(
    claims: JsonObject,
    recorder: CheckRecorder,
    *,
    now: datetime,
    leeway: timedelta,
    prefix: str,
    spec: str,
) -> None:
    """Record ``exp``, ``nbf`` and ``iat`` checks (VALIDITY), each only when present."""
    instant = now.timestamp()
    slack = leeway.total_seconds()

    def exp() -> None:
        value = numeric_date(claims, "exp")
        if value is not None and instant - slack >= value:
            raise CheckFailed(Code.CREDENTIAL_EXPIRED, "the token has expired", pointer="/exp")

    def nbf() -> None:
        value = numeric_date(claims, "nbf")
        if value is not None and instant + slack < value:
            raise CheckFailed(
                Code.CREDENTIAL_NOT_YET_VALID, "the token is not valid yet", pointer="/nbf"
            )

    def iat() -> None:
        value = numeric_date(claims, "iat")
        if value is not None and instant + slack < value:
            raise CheckFailed(
                Code.CREDENTIAL_NOT_YET_VALID, "the token was issued in the future", pointer="/iat"
            )

    for name, step in (("exp", exp), ("nbf", nbf), ("iat", iat)):
        if name in claims:
            recorder.run(Stage.VALIDITY, f"{prefix}.{name}", step, spec=spec)


def resolve_key(
    kid: str | None,
    *,
    controller: str | None,
    resolver: DidResolver,
    relationship: Relationship,
    pointer: str,
) -> VerificationMethod:
    """The verification method ``kid`` names, authorised for ``relationship`` by
    ``controller``'s DID document; raises :class:`CheckFailed` / :class:`CheckError`.

    A relative ``kid`` (``#key-1``) is read against ``controller``. The ``kid``'s DID must be
    ``controller`` and the method's ``controller`` must be too, so a key of another DID can
    never speak for the issuer (or holder). ``controller=None`` (a presentation naming no
    holder) binds the key to no one.
    """
    if kid is None:
        raise CheckFailed(
            Code.INVALID_VERIFICATION_METHOD_URL, "no kid names the key", pointer=pointer
        )
    if kid.startswith("#"):
        if controller is None or not controller.startswith("did:"):
            raise CheckFailed(
                Code.INVALID_VERIFICATION_METHOD_URL,
                "a relative kid needs a DID issuer to be read against",
                pointer=pointer,
            )
        kid = controller + kid
    if not kid.startswith("did:"):
        raise CheckError(
            Code.DID_RESOLUTION_ERROR,
            "kid is not a DID URL; only DID-based keys can be resolved",
            pointer=pointer,
        )
    # A DID has no "/", "?" or "#": what precedes the first of them is the kid's DID. The
    # binding is checked before resolving, so a foreign DID is never fetched; the resolver
    # then checks the whole DID URL's syntax.
    did = _DID_PREFIX.split(kid, maxsplit=1)[0]
    if controller is not None and did != controller:
        raise CheckFailed(
            Code.CONTROLLER_MISMATCH,
            f"kid belongs to {did}, not to {controller}",
            pointer=pointer,
        )
    try:
        vm = resolver.dereference(kid, relationship=relationship)
    except DidResolutionInternalError as exc:
        raise CheckError(Code.DID_RESOLUTION_ERROR, exc.message, pointer=pointer) from None
    except DidError as exc:
        if exc.code in _UNDECIDED:
            raise CheckError(Code.DID_RESOLUTION_ERROR, exc.message, pointer=pointer) from None
        code = _DID_CODES.get(exc.code, Code.INVALID_VERIFICATION_METHOD)
        raise CheckFailed(code, exc.message, pointer=pointer) from None
    if controller is not None and vm.controller != controller:
        raise CheckFailed(
            Code.CONTROLLER_MISMATCH,
            f"the key is controlled by {vm.controller}, not {controller}",
            pointer=pointer,
        )
    return vm


def check_claim_matches(
    claims: JsonObject,
    recorder: CheckRecorder,
    pairs: Iterable[tuple[str, Collection[str] | None]],
    *,
    prefix: str,
    spec: str,
) -> None:
    """Record, for each present claim, that it equals one of the values it must agree with
    (``None``: the document has nothing to compare, so the claim cannot contradict it)."""
    for claim, allowed in pairs:
        if claim not in claims or allowed is None:
            continue
        step = _matcher(claims, claim, tuple(allowed))
        recorder.run(Stage.PROOF, f"{prefix}.{claim}", step, spec=spec)


def _matcher(claims: JsonObject, claim: str, allowed: tuple[str, ...]) -> Callable[[], None]:
    def step() -> None:
        if claims[claim] not in allowed:
            raise CheckFailed(
                Code.CLAIM_MISMATCH,
                f"claim {claim} contradicts the document it secures",
                pointer=f"/{claim}",
            )

    return step


def run_decode(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    limits: JoseLimits,
    prefix: str,
    later: Sequence[tuple[Stage, str]],
) -> CompactJws | None:
    """Record ``{prefix}.decode``; on failure mark ``later`` as not checked."""

    def decode() -> CompactJws:
        try:
            return decode_compact(token, limits=limits)
        except JoseError as exc:
            raise failure(exc) from None

    jws = recorder.run(Stage.PARSE, f"{prefix}.decode", decode, spec="RFC 7515 §5.2")
    if jws is None:
        recorder.skip_rest(later, "the token could not be decoded")
    return jws


def run_key_and_signature(
    kid: str | None,
    recorder: CheckRecorder,
    *,
    controller: str | None,
    party: str,
    resolver: DidResolver,
    relationship: Relationship,
    prefix: str,
    spec: str,
    verify: Callable[[PublicKey], None],
) -> None:
    """Record ``{prefix}.kid`` (PURPOSE) and, with the key it finds, ``{prefix}.signature``
    (PROOF; ``verify`` raises a :class:`JoseError` for a bad signature).

    ``party`` names who must control the key ("issuer" or "holder"); a credential without
    an issuer fails here, a presentation without a holder binds the key to no one.
    """

    def key() -> VerificationMethod:
        if controller is None and party == "issuer":
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR, "the credential names no issuer", pointer="/issuer"
            )
        return resolve_key(
            kid, controller=controller, resolver=resolver, relationship=relationship, pointer="/kid"
        )

    vm = recorder.run(Stage.PURPOSE, f"{prefix}.kid", key, spec=spec)
    if vm is None:
        recorder.skip_rest([(Stage.PROOF, f"{prefix}.signature")], "no usable verification method")
        return
    public_key = vm.public_key

    def signature() -> None:
        try:
            verify(public_key)
        except JoseError as exc:
            raise failure(exc) from None

    recorder.run(Stage.PROOF, f"{prefix}.signature", signature, spec=spec)


def run_binding(
    claims: JsonObject,
    recorder: CheckRecorder,
    *,
    challenge: str,
    domain: str | None,
    prefix: str,
) -> None:
    """Record ``{prefix}.nonce`` (must equal ``challenge``, compared in constant time) and,
    when ``domain`` is given, ``{prefix}.aud`` (must be or contain it); both PURPOSE."""

    def nonce() -> None:
        value = claims.get("nonce")
        if not isinstance(value, str):
            raise CheckFailed(
                Code.INVALID_CHALLENGE_ERROR, "the presentation has no nonce", pointer="/nonce"
            )
        if not hmac.compare_digest(value.encode(), challenge.encode()):
            raise CheckFailed(
                Code.INVALID_CHALLENGE_ERROR,
                "the nonce is not the expected challenge",
                pointer="/nonce",
            )

    def aud() -> None:
        value = claims.get("aud")
        values = value if isinstance(value, list) else [value]
        if domain not in values:
            raise CheckFailed(
                Code.INVALID_DOMAIN_ERROR, "aud does not name the expected domain", pointer="/aud"
            )

    recorder.run(Stage.PURPOSE, f"{prefix}.nonce", nonce, spec="RFC 7519 §4.1; OpenID Core §2")
    if domain is not None:
        recorder.run(Stage.PURPOSE, f"{prefix}.aud", aud, spec="RFC 7519 §4.1.3")


def check_binding_arguments(challenge: object, domain: object) -> None:
    """Refuse (ValueError) a verifier's own challenge/domain that could match nothing."""
    if not isinstance(challenge, str) or not challenge:
        raise ValueError("a presentation is verified against a non-empty challenge")
    if domain is not None and (not isinstance(domain, str) or not domain):
        raise ValueError("domain, when given, must be a non-empty string")


def check_document_claims(
    payload: JsonObject,
    recorder: CheckRecorder,
    *,
    presentation: bool,
    prefix: str,
    spec: str,
) -> None:
    """Record that ``iss``, ``jti`` and ``sub``, when present, do not contradict ``issuer``
    (``holder``), ``id`` and ``credentialSubject.id`` (VC-JOSE-COSE §3.1.1, JC-03/JC-08)."""
    party = id_of(payload.get("holder" if presentation else "issuer"))
    doc_id = payload.get("id")
    subjects: list[str] | None = None
    if not presentation:
        found = payload.get("credentialSubject")
        listed = found if isinstance(found, list) else [found]
        subjects = [i for i in (id_of(s) for s in listed) if i is not None] or None
    check_claim_matches(
        payload,
        recorder,
        [
            ("iss", None if party is None else [party]),
            ("jti", [doc_id] if isinstance(doc_id, str) else None),
            ("sub", subjects),
        ],
        prefix=prefix,
        spec=spec,
    )
