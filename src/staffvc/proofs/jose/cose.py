"""VC-JOSE-COSE §3.3: credentials secured as COSE_Sign1 (RFC 9052), media type ``vc+cose``.

A message is tag 18 around ``[protected, unprotected, payload, signature]``. The protected
header holds ``alg`` (1), content type (3) ``application/vc``, ``kid`` (4, the DID URL as
bytes) and ``typ`` (16, RFC 9596) ``application/vc+cose``; the payload is the credential's
JSON bytes; the signature is over ``Sig_structure`` ``["Signature1", protected, h'',
payload]``, in the JOSE form (``r || s`` for ECDSA, which is also COSE's).

Decoding is strict and bounded (:mod:`staffvc.proofs.jose._cbor`): no other tag, no
indefinite lengths, no duplicate labels, no label in both header buckets, no unknown
critical header, ``x5chain``/``x5u`` refused, a size cap. Errors are the JOSE family
(:class:`~staffvc.proofs.jose.jws.JoseError`), so the codes are the same as for ``vc+jwt``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import cbor2

from staffvc.did import DidResolver, Relationship, parse_did_url
from staffvc.errors import DidError, UnsupportedAlgorithmError
from staffvc.keys import Algorithm, PublicKey, Signer
from staffvc.keys.algorithms import check_algorithm
from staffvc.proofs.jose import _cbor
from staffvc.proofs.jose._claims import (
    check_document_claims,
    check_time_claims,
    controller_of,
    failure,
    id_of,
    run_key_and_signature,
    types_of,
)
from staffvc.proofs.jose.jws import (
    DEFAULT_LIMITS,
    JoseAlgorithmError,
    JoseError,
    JoseHeaderError,
    JoseLimitError,
    JoseLimits,
    JoseMalformedError,
    JoseSignatureError,
    JoseSigningError,
    parse_json_object,
)
from staffvc.results import CheckFailed, CheckRecorder, Code, Stage
from staffvc.safejson import JsonObject

__all__ = [
    "COSE_ALGORITHMS",
    "VC_COSE_TYP",
    "CoseSign1",
    "decode_cose_sign1",
    "issue_vc_cose",
    "verify_cose_sign1",
    "verify_vc_cose",
]

VC_COSE_TYP = "application/vc+cose"
VC_CONTENT_TYPE = "application/vc"
COSE_SIGN1_TAG = 18

COSE_ALGORITHMS: Mapping[Algorithm, int] = {
    Algorithm.EDDSA: -8,
    Algorithm.ED25519: -19,
    Algorithm.ES256: -7,
    Algorithm.ES384: -35,
    Algorithm.ES256K: -47,
}
"""COSE algorithm identifiers (IANA COSE Algorithms; -19 is RFC 9864's Ed25519)."""
_BY_ID = {v: k for k, v in COSE_ALGORITHMS.items()}

ALG, CRIT, CONTENT_TYPE, KID, TYP = 1, 2, 3, 4, 16
_REFUSED_LABELS = {33: "x5chain", 35: "x5u"}
_UNDERSTOOD = frozenset({ALG, CRIT, CONTENT_TYPE, KID, TYP})


@dataclass(frozen=True, slots=True)
class CoseSign1:
    """A decoded, not yet verified, COSE_Sign1 message."""

    protected: dict[object, object]
    """The protected header map, decoded strictly."""
    unprotected: dict[object, object]
    payload: bytes
    signature: bytes
    to_be_signed: bytes
    """The CBOR ``Sig_structure`` the signature covers."""

    @property
    def algorithm(self) -> Algorithm:
        """The algorithm named in the protected header (checked to be on the allow-list)."""
        return _BY_ID[cast(int, self.protected[ALG])]

    @property
    def kid(self) -> str | None:
        """The protected ``kid`` as text, or None."""
        kid = self.protected.get(KID)
        if isinstance(kid, bytes):
            try:
                return kid.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


# --- issuing -------------------------------------------------------------------------------


def issue_vc_cose(credential: JsonObject, *, signer: Signer) -> bytes:
    """``credential`` secured as a tagged COSE_Sign1 (``application/vc+cose``).

    ``signer.key_id`` must be a DID URL (under the issuer's DID when the issuer is a DID).
    """
    if not isinstance(credential, dict) or "VerifiableCredential" not in types_of(credential):
        raise JoseSigningError("the document to secure must be a VerifiableCredential object")
    kid = signer.key_id
    if kid is None:
        raise JoseSigningError("the signer has no key_id; kid must name a DID URL")
    try:
        kid_did = str(parse_did_url(kid).did)
    except DidError:
        raise JoseSigningError("the signer's key_id is not a DID URL") from None
    issuer = id_of(credential.get("issuer"))
    if issuer is not None and issuer.startswith("did:") and issuer != kid_did:
        raise JoseSigningError(f"the signing key belongs to {kid_did}, not to {issuer}")
    protected = cbor2.dumps(
        {
            ALG: COSE_ALGORITHMS[signer.algorithm],
            CONTENT_TYPE: VC_CONTENT_TYPE,
            KID: kid.encode("utf-8"),
            TYP: VC_COSE_TYP,
        },
        canonical=True,
    )
    try:
        text = json.dumps(credential, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JoseSigningError(f"the credential is not JSON: {exc}") from None
    payload = text.encode("utf-8")
    signature = signer.sign(_sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


# --- decoding and verifying ------------------------------------------------------------------


def decode_cose_sign1(data: bytes, *, limits: JoseLimits = DEFAULT_LIMITS) -> CoseSign1:
    """Decode and check a tagged COSE_Sign1; no signature check (:func:`verify_cose_sign1`).

    Raises :class:`JoseLimitError`, :class:`JoseMalformedError` (not CBOR, wrong tag or
    structure), :class:`JoseAlgorithmError` or :class:`JoseHeaderError`.
    """
    if not isinstance(data, bytes | bytearray):
        raise JoseMalformedError("a COSE message is bytes")
    if len(data) > limits.max_token_bytes:
        raise JoseLimitError(f"the COSE message is over {limits.max_token_bytes} bytes")
    try:
        top = _cbor.decode(
            bytes(data), max_depth=limits.max_json_depth, allowed_tags=frozenset({COSE_SIGN1_TAG})
        )
    except ValueError as exc:
        raise JoseMalformedError(f"not a COSE message: {exc}") from None
    if not isinstance(top, _cbor.CborTag) or top.tag != COSE_SIGN1_TAG:
        raise JoseMalformedError("a COSE_Sign1 message is tagged 18")
    body = top.value
    if not isinstance(body, list) or len(body) != 4:
        raise JoseMalformedError("a COSE_Sign1 is an array of four items")
    protected_bytes, unprotected, payload, signature = body
    if not isinstance(protected_bytes, bytes) or not isinstance(unprotected, dict):
        raise JoseMalformedError("COSE_Sign1 headers are a byte string and a map")
    if payload is None:
        raise JoseMalformedError("detached COSE payloads are not supported")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise JoseMalformedError("the COSE_Sign1 payload and signature are byte strings")
    if len(protected_bytes) > limits.max_header_bytes:
        raise JoseLimitError(f"the protected header is over {limits.max_header_bytes} bytes")
    try:
        protected = (
            _cbor.decode(protected_bytes, max_depth=limits.max_json_depth)
            if protected_bytes
            else {}
        )
    except ValueError as exc:
        raise JoseMalformedError(f"the protected header is not CBOR: {exc}") from None
    if not isinstance(protected, dict):
        raise JoseMalformedError("the protected header is a map")
    _check_headers(protected, unprotected)
    return CoseSign1(
        protected=protected,
        unprotected=unprotected,
        payload=payload,
        signature=signature,
        to_be_signed=_sig_structure(protected_bytes, payload),
    )


def _check_headers(protected: dict[object, object], unprotected: dict[object, object]) -> None:
    both = set(protected) & set(unprotected)
    if both:
        raise JoseMalformedError(f"header labels in both buckets: {sorted(map(str, both))}")
    alg = protected.get(ALG)
    if alg is None:
        raise JoseMalformedError("the protected header has no alg (1)")
    if isinstance(alg, bool) or not isinstance(alg, int) or alg not in _BY_ID:
        raise JoseAlgorithmError(f"COSE alg {alg!r} is not accepted")
    for label, name in _REFUSED_LABELS.items():
        if label in protected or label in unprotected:
            raise JoseHeaderError(f"the {name} header is refused (keys come from the DID)")
    if CRIT in protected:
        crit = protected[CRIT]
        if not isinstance(crit, list) or not crit:
            raise JoseMalformedError("crit (2) must be a non-empty array")
        for label in crit:
            if label not in protected:
                raise JoseMalformedError(f"crit names {label!r}, which is not protected")
            if label not in _UNDERSTOOD:
                raise JoseHeaderError(f"critical header {label!r} is not understood")
    if CRIT in unprotected:
        raise JoseMalformedError("crit (2) must be protected")
    if KID in protected and not isinstance(protected[KID], bytes):
        raise JoseMalformedError("kid (4) must be a byte string")


def verify_cose_sign1(message: CoseSign1, key: PublicKey) -> None:
    """Check ``message``'s signature with ``key``, the algorithm pinned from the key."""
    try:
        algorithm = check_algorithm(key.key_type, message.algorithm)
    except UnsupportedAlgorithmError as exc:
        raise JoseAlgorithmError(exc.message) from None
    if not key.verify(message.signature, message.to_be_signed, algorithm=algorithm):
        raise JoseSignatureError("the COSE_Sign1 signature does not verify")


def verify_vc_cose(
    data: bytes,
    recorder: CheckRecorder,
    *,
    resolver: DidResolver,
    now: datetime,
    leeway: timedelta = timedelta(0),
    limits: JoseLimits = DEFAULT_LIMITS,
) -> JsonObject | None:
    """Verify a ``vc+cose`` credential, recording checks; the credential, or None.

    Records PARSE (``cose.decode``, ``cose.typ``: typ (16) ``application/vc+cose`` and/or
    content type (3) ``application/vc``, ``cose.payload``), PURPOSE (``cose.kid``: a DID URL
    under the issuer authorised for ``assertionMethod``), PROOF (``cose.signature``;
    ``cose.iss``/``cose.jti``/``cose.sub`` when present) and VALIDITY (``exp``/``nbf``/
    ``iat`` members, when present, against ``now`` ± ``leeway``).
    """
    later = [
        (Stage.PARSE, "cose.payload"),
        (Stage.PURPOSE, "cose.kid"),
        (Stage.PROOF, "cose.signature"),
    ]

    def decode() -> CoseSign1:
        try:
            return decode_cose_sign1(data, limits=limits)
        except JoseError as exc:
            raise failure(exc) from None

    message = recorder.run(Stage.PARSE, "cose.decode", decode, spec="RFC 9052 §4.2")
    if message is None:
        recorder.skip_rest(later, "the message could not be decoded")
        return None
    spec = "VC-JOSE-COSE §3.3.1"
    recorder.run(Stage.PARSE, "cose.typ", lambda: _check_typ(message), spec=spec)

    def parse_payload() -> JsonObject:
        try:
            payload = parse_json_object(message.payload, limits=limits, what="COSE payload")
        except JoseError as exc:
            raise failure(exc) from None
        if "vc" in payload or "vp" in payload:
            raise CheckFailed(Code.MALFORMED_VALUE_ERROR, "the payload has a vc/vp claim")
        if "VerifiableCredential" not in types_of(payload):
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR, "the payload is not a credential", pointer="/type"
            )
        return payload

    payload = recorder.run(Stage.PARSE, "cose.payload", parse_payload, spec=spec)
    if payload is None:
        recorder.skip_rest(later[1:], "the payload could not be read")
        return None
    kid_missing = KID not in message.protected
    run_key_and_signature(
        None if kid_missing else message.kid or "",
        recorder,
        controller=controller_of(payload, "issuer", payload),
        party="issuer",
        resolver=resolver,
        relationship=Relationship.ASSERTION_METHOD,
        prefix="cose",
        spec="VC-JOSE-COSE §4; RFC 9052 §4.4",
        verify=lambda key: verify_cose_sign1(message, key),
    )
    check_document_claims(payload, recorder, presentation=False, prefix="cose", spec=spec)
    check_time_claims(payload, recorder, now=now, leeway=leeway, prefix="cose", spec=spec)
    return payload


def _check_typ(message: CoseSign1) -> None:
    typ = message.protected.get(TYP)
    cty = message.protected.get(CONTENT_TYPE)
    if typ is None and cty is None:
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, "neither typ (16) nor content type (3)")
    if typ is not None and (not isinstance(typ, str) or typ.lower() != VC_COSE_TYP):
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, f"typ (16) must be {VC_COSE_TYP}")
    if cty is not None and (not isinstance(cty, str) or cty.lower() != VC_CONTENT_TYPE):
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, f"content type (3) must be {VC_CONTENT_TYPE}")
