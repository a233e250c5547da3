"""VC-JWT for VC Data Model 1.1 (§6.3.1): the credential in a ``vc`` claim, with JWT claims.

This is the older profile (media type ``JWT``), separate from VC-JOSE-COSE and never mixed
with it: a ``vc+jwt`` token is refused here, and a token with a ``vc`` claim is refused by
:func:`staffvc.proofs.jose.vc_jose.verify_vc_jose`. It is what deployed wallets and issuers
such as Microsoft Entra Verified ID emit (``did:web`` issuers, ES256K keys).

Issuing maps ``issuer`` → ``iss``, ``credentialSubject.id`` → ``sub``, ``issuanceDate`` →
``nbf`` and ``iat``, ``expirationDate`` → ``exp`` and ``id`` → ``jti``, and keeps the whole
credential in ``vc``. Decoding reverses the mapping (§6.3.1.2), tolerant of the variants in
the wild (issuance from ``nbf``, else ``iat``; a ``vc`` without ``@context``, ``issuer``,
``id`` or subject ``id``, filled from the claims) and strict on conflicts: a claim that
disagrees with the member it stands for is ``CLAIM_MISMATCH``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from staffvc.clock import parse_datetime
from staffvc.did import DidResolver, Relationship, parse_did_url
from staffvc.errors import DidError
from staffvc.keys import Signer
from staffvc.proofs.jose._claims import (
    check_binding_arguments,
    check_time_claims,
    failure,
    id_of,
    media_type,
    run_binding,
    run_decode,
    run_key_and_signature,
    types_of,
)
from staffvc.proofs.jose.jws import (
    DEFAULT_LIMITS,
    JoseClaimError,
    JoseError,
    JoseLimits,
    JoseMalformedError,
    JoseSigningError,
    sign_compact,
    verify_compact,
)
from staffvc.results import CheckFailed, CheckRecorder, Code, Stage
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "JWT_TYP",
    "VCDM1_CONTEXT",
    "decode_jwt_vc_v11",
    "decode_jwt_vp_v11",
    "issue_jwt_vc_v11",
    "issue_jwt_vp_v11",
    "verify_jwt_vc_v11",
    "verify_jwt_vp_v11",
]

JWT_TYP = "JWT"
VCDM1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
_SPEC = "VC-DATA-MODEL-1.1 §6.3.1"


# --- issuing -------------------------------------------------------------------------------


def issue_jwt_vc_v11(
    credential: JsonObject,
    *,
    signer: Signer,
    typ: str | None = JWT_TYP,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """``credential`` (VCDM 1.1) as a JWT with the §6.3.1.1 claims and the ``vc`` claim.

    ``issuer`` and ``issuanceDate`` are required; ``signer.key_id`` must be a DID URL under
    the issuer's DID when the issuer is a DID.
    """
    _check_document(credential, "VerifiableCredential")
    issuer = id_of(credential.get("issuer"))
    if issuer is None:
        raise JoseSigningError("a VCDM 1.1 credential needs an issuer")
    _check_kid(signer, issuer)
    issued = _timestamp(credential, "issuanceDate", required=True)
    claims: JsonObject = {"iss": issuer}
    subject = _single_subject_id(credential.get("credentialSubject"))
    if subject is not None:
        claims["sub"] = subject
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    claims["nbf"] = issued
    claims["iat"] = issued
    expires = _timestamp(credential, "expirationDate", required=False)
    if expires is not None:
        claims["exp"] = expires
    claims["vc"] = credential
    return sign_compact(_header(signer, typ, extra_header), _json(claims), signer=signer)


def issue_jwt_vp_v11(
    presentation: JsonObject,
    *,
    signer: Signer,
    nonce: str | None = None,
    audience: str | Sequence[str] | None = None,
    issued_at: datetime | None = None,
    expires_at: datetime | None = None,
    typ: str | None = JWT_TYP,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """``presentation`` as a JWT: ``iss`` is the holder (or, with no holder, the signer's
    DID), ``nonce`` the verifier's challenge, ``aud`` its domain; ``vp`` holds the rest."""
    _check_document(presentation, "VerifiablePresentation")
    kid_did = _check_kid(signer, id_of(presentation.get("holder")))
    claims: JsonObject = {"iss": id_of(presentation.get("holder")) or kid_did}
    if isinstance(presentation.get("id"), str):
        claims["jti"] = presentation["id"]
    if audience is not None:
        claims["aud"] = audience if isinstance(audience, str) else list(audience)
    if nonce is not None:
        claims["nonce"] = nonce
    if issued_at is not None:
        claims["iat"] = math.floor(issued_at.timestamp())
        claims["nbf"] = claims["iat"]
    if expires_at is not None:
        claims["exp"] = math.floor(expires_at.timestamp())
    claims["vp"] = presentation
    return sign_compact(_header(signer, typ, extra_header), _json(claims), signer=signer)


def _check_document(document: JsonObject, kind: str) -> None:
    if not isinstance(document, dict):
        raise JoseSigningError("the document to secure must be a JSON object")
    if kind not in types_of(document):
        raise JoseSigningError(f"the document's type does not include {kind}")


def _check_kid(signer: Signer, party: str | None) -> str:
    kid = signer.key_id
    if kid is None:
        raise JoseSigningError("the signer has no key_id; kid must name a DID URL")
    try:
        kid_did = str(parse_did_url(kid).did)
    except DidError:
        raise JoseSigningError("the signer's key_id is not a DID URL") from None
    if party is not None and party.startswith("did:") and party != kid_did:
        raise JoseSigningError(f"the signing key belongs to {kid_did}, not to {party}")
    return kid_did


def _header(
    signer: Signer, typ: str | None, extra: Mapping[str, JsonValue] | None
) -> dict[str, JsonValue]:
    header: dict[str, JsonValue] = {"kid": signer.key_id}
    if typ is not None:
        header["typ"] = typ
    for name, value in (extra or {}).items():
        if name in header or name in ("alg", "typ"):
            raise JoseSigningError(f"extra_header may not set {name!r}")
        header[name] = value
    return header


def _json(claims: JsonObject) -> bytes:
    try:
        text = json.dumps(claims, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JoseSigningError(f"the document is not JSON: {exc}") from None
    return text.encode("utf-8")


def _timestamp(document: JsonObject, member: str, *, required: bool) -> int | None:
    value = document.get(member)
    if value is None:
        if required:
            raise JoseSigningError(f"a VCDM 1.1 credential needs {member}")
        return None
    if not isinstance(value, str):
        raise JoseSigningError(f"{member} must be a dateTime string")
    try:
        return math.floor(parse_datetime(value).timestamp())
    except ValueError:
        raise JoseSigningError(f"{member} is not a dateTime") from None


def _single_subject_id(subject: JsonValue) -> str | None:
    if isinstance(subject, list):
        return id_of(subject[0]) if len(subject) == 1 else None
    return id_of(subject)


# --- decoding ------------------------------------------------------------------------------


def decode_jwt_vc_v11(claims: JsonObject) -> JsonObject:
    """The VCDM 1.1 credential a JWT-VC's claims stand for (§6.3.1.2), as a new object.

    Raises :class:`JoseMalformedError` (no ``vc`` object, a claim of the wrong kind) or
    :class:`JoseClaimError` (a claim contradicts the member it maps to).
    """
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise JoseMalformedError("a JWT-VC has a 'vc' claim holding an object")
    if "vp" in claims:
        raise JoseMalformedError("a JWT-VC has no 'vp' claim")
    credential: JsonObject = dict(vc)
    credential.setdefault("@context", [VCDM1_CONTEXT])
    _merge_id(credential, "issuer", _string_claim(claims, "iss"))
    _merge_id(credential, "id", _string_claim(claims, "jti"))
    _merge_subject(credential, _string_claim(claims, "sub"))
    issued = "nbf" if "nbf" in claims else "iat"
    _merge_date(credential, "issuanceDate", claims, issued, compare=issued == "nbf")
    _merge_date(credential, "expirationDate", claims, "exp", compare=True)
    return credential


def decode_jwt_vp_v11(claims: JsonObject) -> JsonObject:
    """The VCDM 1.1 presentation a JWT-VP's claims stand for (``iss`` → ``holder``,
    ``jti`` → ``id``); errors as :func:`decode_jwt_vc_v11`."""
    vp = claims.get("vp")
    if not isinstance(vp, dict):
        raise JoseMalformedError("a JWT-VP has a 'vp' claim holding an object")
    if "vc" in claims:
        raise JoseMalformedError("a JWT-VP has no 'vc' claim")
    presentation: JsonObject = dict(vp)
    presentation.setdefault("@context", [VCDM1_CONTEXT])
    _merge_id(presentation, "holder", _string_claim(claims, "iss"))
    _merge_id(presentation, "id", _string_claim(claims, "jti"))
    return presentation


def _string_claim(claims: JsonObject, name: str) -> str | None:
    value = claims.get(name)
    if value is not None and not isinstance(value, str):
        raise JoseMalformedError(f"claim {name!r} must be a string")
    return value


def _merge_id(document: JsonObject, member: str, claim: str | None) -> None:
    if claim is None:
        return
    if member not in document:
        document[member] = claim
    elif id_of(document[member]) != claim:
        raise JoseClaimError(f"the claim for {member} contradicts the {member} member")


def _merge_subject(credential: JsonObject, sub: str | None) -> None:
    if sub is None:
        return
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict):
        if "id" not in subject:
            credential["credentialSubject"] = {"id": sub, **subject}
        elif subject["id"] != sub:
            raise JoseClaimError("claim sub contradicts credentialSubject.id")
        return
    if isinstance(subject, list):
        ids = [id_of(s) for s in subject]
        if sub in ids:
            return
        if len(subject) == 1 and isinstance(subject[0], dict) and ids[0] is None:
            credential["credentialSubject"] = [{"id": sub, **subject[0]}]
            return
        if any(i is not None for i in ids):
            raise JoseClaimError("claim sub names none of the credential's subjects")


def _merge_date(
    credential: JsonObject, member: str, claims: JsonObject, claim: str, *, compare: bool
) -> None:
    if claim not in claims:
        return
    value = claims[claim]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise JoseMalformedError(f"claim {claim!r} is not a NumericDate")
    try:
        instant = datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise JoseMalformedError(f"claim {claim!r} is out of range") from None
    if member not in credential:
        credential[member] = _xsd_datetime(instant)
        return
    if not compare:
        return
    present = credential[member]
    try:
        seconds = (
            math.floor(parse_datetime(present).timestamp()) if isinstance(present, str) else None
        )
    except ValueError:
        seconds = None
    if seconds is None:
        raise JoseMalformedError(f"{member} is not a dateTime")
    if seconds != math.floor(value):
        raise JoseClaimError(f"claim {claim} contradicts {member}")


def _xsd_datetime(instant: datetime) -> str:
    if instant.microsecond:
        return instant.isoformat().replace("+00:00", "Z")
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- verification --------------------------------------------------------------------------


def verify_jwt_vc_v11(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    resolver: DidResolver,
    now: datetime,
    leeway: timedelta,
    limits: JoseLimits = DEFAULT_LIMITS,
    expected_typ: Collection[str],
) -> JsonObject | None:
    """Verify a VCDM 1.1 JWT-VC, recording checks; the reconstructed credential, or None.

    Records PARSE (``jwt.decode``; ``jwt.typ`` when the header has a ``typ``, which must be
    one of ``expected_typ``, usually ``("JWT",)``; ``jwt.claims``: the ``vc`` claim and the
    §6.3.1.2 mapping, conflicts are ``CLAIM_MISMATCH``), PURPOSE (``jwt.kid``: a DID URL
    under the issuer, authorised for ``assertionMethod``), PROOF (``jwt.signature``) and
    VALIDITY (``jwt.exp``/``jwt.nbf``/``jwt.iat`` when present, ``now`` ± ``leeway``).
    """
    return _verify(
        token,
        recorder,
        presentation=False,
        resolver=resolver,
        now=now,
        leeway=leeway,
        limits=limits,
        expected_typ=expected_typ,
        challenge=None,
        domain=None,
    )


def verify_jwt_vp_v11(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    resolver: DidResolver,
    now: datetime,
    leeway: timedelta,
    challenge: str,
    domain: str | None,
    limits: JoseLimits = DEFAULT_LIMITS,
    expected_typ: Collection[str],
) -> JsonObject | None:
    """Verify a VCDM 1.1 JWT-VP; as :func:`verify_jwt_vc_v11` with the holder (``iss``)
    controlling an ``authentication`` key, ``nonce`` = ``challenge`` and, when ``domain``
    is given, ``aud`` containing it. Credentials inside are the caller's next step."""
    check_binding_arguments(challenge, domain)
    return _verify(
        token,
        recorder,
        presentation=True,
        resolver=resolver,
        now=now,
        leeway=leeway,
        limits=limits,
        expected_typ=expected_typ,
        challenge=challenge,
        domain=domain,
    )


def _verify(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    presentation: bool,
    resolver: DidResolver,
    now: datetime,
    leeway: timedelta,
    limits: JoseLimits,
    expected_typ: Collection[str],
    challenge: str | None,
    domain: str | None,
) -> JsonObject | None:
    later = [
        (Stage.PARSE, "jwt.claims"),
        (Stage.PURPOSE, "jwt.kid"),
        (Stage.PROOF, "jwt.signature"),
    ]
    jws = run_decode(token, recorder, limits=limits, prefix="jwt", later=later)
    if jws is None:
        return None
    header = jws.header
    if "typ" in header:
        recorder.run(Stage.PARSE, "jwt.typ", lambda: _check_typ(header, expected_typ), spec=_SPEC)
    claims: JsonObject = {}

    def open_claims() -> JsonObject:
        try:
            claims.update(jws.json_payload(limits=limits))
            if presentation:
                return decode_jwt_vp_v11(claims)
            return decode_jwt_vc_v11(claims)
        except JoseError as exc:
            raise failure(exc, pointer="/vp" if presentation else "/vc") from None

    document = recorder.run(Stage.PARSE, "jwt.claims", open_claims, spec=f"{_SPEC}.2")
    if document is None:
        recorder.skip_rest(later[1:], "the claims could not be read")
        return None
    party = "holder" if presentation else "issuer"
    run_key_and_signature(
        jws.kid if "kid" in header else None,
        recorder,
        controller=id_of(document.get(party)),
        party=party,
        resolver=resolver,
        relationship=Relationship.AUTHENTICATION if presentation else Relationship.ASSERTION_METHOD,
        prefix="jwt",
        spec=f"{_SPEC}.1; RFC 7515 §5.2",
        verify=lambda key: verify_compact(jws, key),
    )
    if challenge is not None:
        run_binding(claims, recorder, challenge=challenge, domain=domain, prefix="jwt")
    check_time_claims(claims, recorder, now=now, leeway=leeway, prefix="jwt", spec="RFC 7519 §4.1")
    return document


def _check_typ(header: JsonObject, expected: Collection[str]) -> None:
    typ = header.get("typ")
    if not isinstance(typ, str) or media_type(typ) not in {media_type(t) for t in expected}:
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, "typ is not an expected one", pointer="/typ")
