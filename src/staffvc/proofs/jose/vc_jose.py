"""VC-JOSE-COSE §3.1: credentials and presentations secured as compact JWS (``vc+jwt``).

The payload is the credential (or presentation) JSON itself, unchanged: no ``vc``/``vp``
claims. The protected header carries ``alg``, ``kid`` (a DID URL under the issuer's DID),
``typ`` (``vc+jwt`` / ``vp+jwt``) and ``cty`` (``vc`` / ``vp``).

Presentations bind to the verifier's challenge and domain through the JWT claims ``nonce``
and ``aud`` written beside the presentation's own members (as OpenID4VP and SD-JWT key
binding do); the REC leaves the mechanism open, and these are the registered JWT claims for
exactly that purpose. Credentials inside a presentation are enveloped
(``EnvelopedVerifiableCredential`` with a ``data:application/vc+jwt,...`` id).

Verification records coded checks and returns the payload for the caller's data-model
checks (envelope, validity period, status, schema), which are not repeated here.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from staffvc.did import DidResolver, Relationship, parse_did_url
from staffvc.errors import DidError, StaffVCError
from staffvc.keys import Signer
from staffvc.proofs.jose._claims import (
    check_binding_arguments,
    check_document_claims,
    check_time_claims,
    controller_of,
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
    JoseError,
    JoseLimitError,
    JoseLimits,
    JoseMalformedError,
    JoseMediaTypeError,
    JoseSigningError,
    sign_compact,
    verify_compact,
)
from staffvc.results import CheckFailed, CheckRecorder, Code, Stage
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "ENVELOPE_MEDIA_TYPES",
    "VC_JWT_TYP",
    "VP_JWT_TYP",
    "EnvelopedToken",
    "envelope",
    "issue_vc_jwt",
    "issue_vp_jwt",
    "unenvelope",
    "verify_vc_jose",
    "verify_vp_jose",
]

VC_JWT_TYP = "vc+jwt"
VP_JWT_TYP = "vp+jwt"
VCDM2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

ENVELOPED_VC = "EnvelopedVerifiableCredential"
ENVELOPED_VP = "EnvelopedVerifiablePresentation"
ENVELOPE_MEDIA_TYPES: Mapping[str, frozenset[str]] = {
    ENVELOPED_VC: frozenset({"application/vc+jwt", "application/vc+sd-jwt", "application/vc+cose"}),
    ENVELOPED_VP: frozenset({"application/vp+jwt", "application/vp+sd-jwt", "application/vp+cose"}),
}
"""Media types (VC-JOSE-COSE §7.1) an enveloped credential or presentation may carry."""

_SPEC = "VC-JOSE-COSE §3.1.1"
_COMPACT = re.compile(r"[A-Za-z0-9_.~-]+")
_JWT_CLAIMS = ("vc", "vp")


# --- issuing -------------------------------------------------------------------------------


def issue_vc_jwt(
    credential: JsonObject,
    *,
    signer: Signer,
    typ: str = VC_JWT_TYP,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """``credential`` secured as a ``vc+jwt`` compact JWS (the payload is the JSON as given).

    ``signer.key_id`` must be a DID URL; when the issuer is a DID it must be under it.
    """
    _check_unsecured(credential, "VerifiableCredential", "issuer", signer)
    header = _header(signer, typ=typ, cty="vc", extra=extra_header)
    return sign_compact(header, _json_bytes(credential), signer=signer)


def issue_vp_jwt(
    presentation: JsonObject,
    *,
    signer: Signer,
    nonce: str | None = None,
    audience: str | Sequence[str] | None = None,
    typ: str = VP_JWT_TYP,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """``presentation`` secured as a ``vp+jwt``, bound to ``nonce`` and ``audience``.

    The verifier's challenge goes into the ``nonce`` claim and its domain into ``aud``;
    every credential in ``verifiableCredential`` must be enveloped (see :func:`envelope`).
    """
    _check_unsecured(presentation, "VerifiablePresentation", "holder", signer)
    items = presentation.get("verifiableCredential")
    for index, item in enumerate(items if isinstance(items, list) else [items] if items else []):
        try:
            found = unenvelope(item)
        except JoseError as exc:
            raise JoseSigningError(f"verifiableCredential[{index}]: {exc.message}") from None
        if not found.media_type.startswith("application/vc+"):
            raise JoseSigningError(f"verifiableCredential[{index}] is not a credential")
    payload: JsonObject = dict(presentation)
    for name, value in (("nonce", nonce), ("aud", _audience(audience))):
        if value is None:
            continue
        if name in payload and payload[name] != value:
            raise JoseSigningError(f"the presentation already has a different {name!r}")
        payload[name] = value
    header = _header(signer, typ=typ, cty="vp", extra=extra_header)
    return sign_compact(header, _json_bytes(payload), signer=signer)


def _audience(audience: str | Sequence[str] | None) -> JsonValue:
    if audience is None or isinstance(audience, str):
        return audience
    values: list[JsonValue] = list(audience)
    if not values or not all(isinstance(a, str) for a in values):
        raise JoseSigningError("audience must be a string or a non-empty list of strings")
    return values


def _check_unsecured(document: JsonObject, kind: str, party: str, signer: Signer) -> None:
    if not isinstance(document, dict):
        raise JoseSigningError("the document to secure must be a JSON object")
    if kind not in types_of(document):
        raise JoseSigningError(f"the document's type does not include {kind}")
    for claim in _JWT_CLAIMS:
        if claim in document:
            raise JoseSigningError(f"a VC-JOSE-COSE payload has no {claim!r} claim")
    kid = signer.key_id
    if kid is None:
        raise JoseSigningError("the signer has no key_id; kid must name a DID URL")
    try:
        kid_did = str(parse_did_url(kid).did)
    except DidError:
        raise JoseSigningError("the signer's key_id is not a DID URL") from None
    named = id_of(document.get(party))
    if named is not None and named.startswith("did:") and named != kid_did:
        raise JoseSigningError(f"the signing key belongs to {kid_did}, not the {party} {named}")


def _header(
    signer: Signer, *, typ: str, cty: str, extra: Mapping[str, JsonValue] | None
) -> dict[str, JsonValue]:
    header: dict[str, JsonValue] = {"kid": signer.key_id, "typ": typ, "cty": cty}
    for name, value in (extra or {}).items():
        if name in header or name == "alg":
            raise JoseSigningError(f"extra_header may not set {name!r}")
        header[name] = value
    return header


def _json_bytes(document: JsonObject) -> bytes:
    try:
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JoseSigningError(f"the document is not JSON: {exc}") from None
    return text.encode("utf-8")


# --- envelopes -----------------------------------------------------------------------------


class EnvelopedToken(NamedTuple):
    """What an ``Enveloped*`` object carries: its media type and the secured form."""

    media_type: str
    """The full media type, for example ``application/vc+jwt``."""
    data: str | bytes
    """The compact token text (JOSE, SD-JWT) or the COSE bytes."""


def envelope(token: str | bytes, media_type: str) -> JsonObject:
    """An ``EnvelopedVerifiableCredential`` (or ``...Presentation``) object for ``token``.

    JOSE and SD-JWT tokens go into the ``data:`` URL as they are; COSE bytes in base64.
    """
    full = media_type.strip().lower()
    if not full.startswith("application/"):
        full = "application/" + full
    kind = next((k for k, types in ENVELOPE_MEDIA_TYPES.items() if full in types), None)
    if kind is None:
        raise JoseMediaTypeError(f"{media_type!r} is not a credential or presentation type")
    if full.endswith("+cose"):
        if not isinstance(token, bytes):
            raise JoseMalformedError("a COSE envelope holds bytes")
        data = full + ";base64," + base64.b64encode(token).decode("ascii")
    else:
        if not isinstance(token, str) or not _COMPACT.fullmatch(token):
            raise JoseMalformedError("a JOSE envelope holds a compact token")
        data = full + "," + token
    return {"@context": VCDM2_CONTEXT, "id": "data:" + data, "type": kind}


def unenvelope(obj: JsonValue, *, limits: JoseLimits = DEFAULT_LIMITS) -> EnvelopedToken:
    """The media type and secured form inside an ``Enveloped*`` object; strict.

    Raises :class:`JoseMalformedError` (structure, data URL syntax, encoding),
    :class:`JoseMediaTypeError` (a media type that is not allowed for the object's type) or
    :class:`JoseLimitError`.
    """
    if not isinstance(obj, dict):
        raise JoseMalformedError("an enveloped object must be a JSON object")
    kinds = [t for t in types_of(obj) if t in ENVELOPE_MEDIA_TYPES]
    if len(kinds) != 1:
        raise JoseMalformedError("type must name one Enveloped type")
    context = obj.get("@context")
    if context is not None:
        first = context[0] if isinstance(context, list) and context else context
        if first != VCDM2_CONTEXT:
            raise JoseMalformedError(f"@context must start with {VCDM2_CONTEXT}")
    url = obj.get("id")
    if not isinstance(url, str) or not url.startswith("data:"):
        raise JoseMalformedError("id must be a data: URL")
    if len(url) > limits.max_token_bytes * 4 // 3 + 64:
        raise JoseLimitError(f"the enveloped token is over {limits.max_token_bytes} bytes")
    meta, comma, data = url[len("data:") :].partition(",")
    if not comma:
        raise JoseMalformedError("the data: URL has no comma")
    full, *params = meta.lower().split(";")
    if full not in ENVELOPE_MEDIA_TYPES[kinds[0]]:
        raise JoseMediaTypeError(f"media type {full!r} is not allowed in {kinds[0]}")
    if full.endswith("+cose"):
        if params != ["base64"]:
            raise JoseMalformedError("a COSE data: URL is ;base64 with no other parameters")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise JoseMalformedError("the data: URL is not base64") from None
        if base64.b64encode(raw).decode("ascii") != data:
            raise JoseMalformedError("the data: URL is not canonical base64")
        return EnvelopedToken(full, raw)
    if params:
        raise JoseMalformedError("a JOSE data: URL takes no parameters")
    if not _COMPACT.fullmatch(data):
        raise JoseMalformedError("the data: URL does not hold a compact token")
    return EnvelopedToken(full, data)


# --- verification --------------------------------------------------------------------------


def verify_vc_jose(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    resolver: DidResolver,
    now: datetime,
    leeway: timedelta,
    limits: JoseLimits = DEFAULT_LIMITS,
    expected_typ: Collection[str],
) -> JsonObject | None:
    """Verify a ``vc+jwt`` credential, recording checks; the payload, or None if unopened.

    Records PARSE (``jose.decode``, ``jose.typ`` with ``cty`` when present,
    ``jose.payload``), PURPOSE (``jose.kid``: a DID URL under the issuer, authorised for
    ``assertionMethod``), PROOF (``jose.signature``, with the algorithm pinned from the
    resolved key; ``jose.iss``/``jose.jti``/``jose.sub`` when present) and VALIDITY
    (``jose.exp``/``jose.nbf``/``jose.iat`` when present, against ``now`` ± ``leeway``).
    The payload is returned whenever it could be parsed, whatever the checks found: the
    verdict is in ``recorder``.
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


def verify_vp_jose(
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
    """Verify a ``vp+jwt`` presentation; as :func:`verify_vc_jose`, plus the binding.

    The key must be under the holder's DID (or ``iss``) and authorised for
    ``authentication``; ``nonce`` must equal ``challenge`` (PURPOSE ``jose.nonce``) and,
    when ``domain`` is given, ``aud`` must contain it (PURPOSE ``jose.aud``). Every entry of
    ``verifiableCredential`` must be an enveloped credential; verifying them is the caller's
    next step (see :func:`unenvelope`).
    """
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
    spec = "VC-JOSE-COSE §3.1.2" if presentation else "VC-JOSE-COSE §3.1.1"
    cty = "vp" if presentation else "vc"
    later = [
        (Stage.PARSE, "jose.payload"),
        (Stage.PURPOSE, "jose.kid"),
        (Stage.PROOF, "jose.signature"),
    ]
    jws = run_decode(token, recorder, limits=limits, prefix="jose", later=later)
    if jws is None:
        return None
    header = jws.header
    recorder.run(Stage.PARSE, "jose.typ", lambda: _check_typ(header, expected_typ, cty), spec=spec)

    def parse_payload() -> JsonObject:
        try:
            payload = jws.json_payload(limits=limits)
        except JoseError as exc:
            raise failure(exc) from None
        _check_kind(payload, presentation)
        return payload

    payload = recorder.run(Stage.PARSE, "jose.payload", parse_payload, spec=spec)
    if payload is None:
        recorder.skip_rest(later[1:], "the payload could not be read")
        return None
    party = "holder" if presentation else "issuer"
    run_key_and_signature(
        jws.kid if "kid" in header else None,
        recorder,
        controller=controller_of(payload, party, payload),
        party=party,
        resolver=resolver,
        relationship=Relationship.AUTHENTICATION if presentation else Relationship.ASSERTION_METHOD,
        prefix="jose",
        spec="VC-JOSE-COSE §4; RFC 7515 §5.2",
        verify=lambda key: verify_compact(jws, key),
    )
    check_document_claims(payload, recorder, presentation=presentation, prefix="jose", spec=spec)
    if challenge is not None:
        run_binding(payload, recorder, challenge=challenge, domain=domain, prefix="jose")
    check_time_claims(payload, recorder, now=now, leeway=leeway, prefix="jose", spec=spec)
    return payload


def _check_typ(header: JsonObject, expected: Collection[str], cty: str) -> None:
    typ = header.get("typ")
    if not isinstance(typ, str):
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, "the header has no typ", pointer="/typ")
    if media_type(typ) not in {media_type(t) for t in expected}:
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, f"typ {typ!r} is not expected", pointer="/typ")
    if "cty" in header:
        found = header["cty"]
        if not isinstance(found, str) or media_type(found) != cty:
            raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, f"cty must be {cty!r}", pointer="/cty")


def _check_kind(payload: JsonObject, presentation: bool) -> None:
    for claim in _JWT_CLAIMS:
        if claim in payload:
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR,
                f"a VC-JOSE-COSE payload has no {claim!r} claim (is this VC-JWT 1.1?)",
                pointer=f"/{claim}",
            )
    types = types_of(payload)
    wanted, other = (
        ("VerifiablePresentation", "VerifiableCredential")
        if presentation
        else ("VerifiableCredential", "VerifiablePresentation")
    )
    if wanted not in types:
        code = Code.MEDIA_TYPE_MISMATCH if other in types else Code.MALFORMED_VALUE_ERROR
        raise CheckFailed(code, f"the payload is not a {wanted}", pointer="/type")
    if presentation:
        items = payload.get("verifiableCredential")
        listed = items if isinstance(items, list) else [] if items is None else [items]
        for index, item in enumerate(listed):
            try:
                found = unenvelope(item)
            except StaffVCError as exc:
                raise failure(exc, pointer=f"/verifiableCredential/{index}") from None
            if not found.media_type.startswith("application/vc+"):
                raise CheckFailed(
                    Code.MEDIA_TYPE_MISMATCH,
                    "an enveloped presentation inside a presentation",
                    pointer=f"/verifiableCredential/{index}",
                )
