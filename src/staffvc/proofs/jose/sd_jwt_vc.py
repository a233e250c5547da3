"""SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-18) and VCDM 2.0 credentials secured with SD-JWT
(VC-JOSE-COSE §3.2), on top of :mod:`staffvc.proofs.jose.sd_jwt`.

``typ: dc+sd-jwt`` is an SD-JWT VC. ``typ: vc+sd-jwt`` means two things in the wild, told
apart here by the signed payload: with ``@context`` (and no ``vct``) it is VC-JOSE-COSE's
SD-JWT of a VCDM 2.0 credential, whose processed payload is the credential; with ``vct``
(and no ``@context``) it is an SD-JWT VC of the IETF drafts before November 2024, which
deployed wallets and the Python reference ``sd-jwt`` still emit. A token with both, or
neither, is refused: guessing would let one kind be read as the other.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from staffvc.keys import PublicKey, Signer
from staffvc.proofs.jose._sd_common import DEFAULT_HASH, DEFAULT_SD_LIMITS, SdJwtLimits, run_check
from staffvc.proofs.jose._sd_common import ReservedClaimError as _ReservedClaimError
from staffvc.proofs.jose._sd_issue import Path
from staffvc.proofs.jose._sd_verify import IssuerKeyResolver, Processed, normalise_typ, run_pipeline
from staffvc.proofs.jose.sd_jwt import (
    DEFAULT_KB_MAX_AGE,
    IssuerMismatchError,
    issue_with_rules,
    issuer_of,
)
from staffvc.results import CheckFailed, CheckRecorder, Code, Outcome, Stage
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "DC_SD_JWT",
    "SD_JWT_VC_PLAIN_CLAIMS",
    "VCDM_PLAIN_MEMBERS",
    "VC_SD_JWT",
    "SdJwtVcKind",
    "SdJwtVcResult",
    "issue_sd_jwt_vc",
    "issue_vcdm_sd_jwt",
    "verify_sd_jwt_vc",
]

DC_SD_JWT: Final = "dc+sd-jwt"
VC_SD_JWT: Final = "vc+sd-jwt"
VCDM_V2: Final = "https://www.w3.org/ns/credentials/v2"
_SPEC: Final = "SD-JWT VC draft-18"
_BAD = (Outcome.FAILED, Outcome.ERROR)

SD_JWT_VC_PLAIN_CLAIMS: frozenset[str] = frozenset(
    {"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "aka_vcts", "status"}
)
"""Claims an SD-JWT VC never carries in a disclosure (draft-18 §2.2.2.3), nor any part of."""

VCDM_PLAIN_MEMBERS: frozenset[str] = frozenset(
    {"@context", "type", "issuer", "validFrom", "validUntil", "credentialStatus"}
)
"""Credential members staffvc keeps in plain text: what identifies the kind of token, who
issued it, when it is valid and where its status is (RFC 9901 §9.7)."""


class SdJwtVcKind(StrEnum):
    """Which of the three SD-JWT credential formats a token is."""

    SD_JWT_VC = "SD_JWT_VC"
    """IETF SD-JWT VC: ``typ: dc+sd-jwt``, a ``vct`` claim, plain JSON."""
    SD_JWT_VC_LEGACY = "SD_JWT_VC_LEGACY"
    """IETF SD-JWT VC of the drafts before November 2024: ``typ: vc+sd-jwt`` with ``vct``."""
    VCDM = "VCDM"
    """VC-JOSE-COSE §3.2: ``typ: vc+sd-jwt``, the payload a VCDM 2.0 credential."""


@dataclass(frozen=True, slots=True)
class SdJwtVcResult:
    """What :func:`verify_sd_jwt_vc` found; the verdict itself is in the recorder."""

    kind: SdJwtVcKind | None
    """The format, when the token could be decoded and classified."""
    payload: JsonObject | None
    """The processed payload (for :attr:`SdJwtVcKind.VCDM`, the credential), only when
    every check passed. A ``status`` claim (or ``credentialStatus``) is left in it for the
    status layer."""

    @property
    def vct(self) -> str | None:
        vct = self.payload.get("vct") if self.payload is not None else None
        return vct if isinstance(vct, str) else None

    @property
    def status(self) -> JsonValue:
        """``status`` (SD-JWT VC) or ``credentialStatus`` (VCDM), for the status layer."""
        if self.payload is None:
            return None
        return self.payload.get("status", self.payload.get("credentialStatus"))


# --- issuing ---------------------------------------------------------------------------------


def _sd_jwt_vc_rule(path: Path) -> str | None:
    if path[0] in SD_JWT_VC_PLAIN_CLAIMS:
        return f"{path[0]} must not be in a disclosure ({_SPEC} §2.2.2.3)"
    if len(path) == 1 and path[0] == "aud":
        return "aud controls the validity of the SD-JWT (RFC 9901 §9.7)"
    return None


def _vcdm_rule(path: Path) -> str | None:
    if "@context" in path:
        return "@context stays in plain text (it tells a VCDM credential from an SD-JWT VC)"
    if path[0] in VCDM_PLAIN_MEMBERS or path[0] in ("iss", "exp", "nbf", "cnf"):
        return f"{path[0]} decides what the credential is, who issued it or when it is valid"
    if len(path) == 1 and path[0] == "aud":
        return "aud controls the validity of the SD-JWT (RFC 9901 §9.7)"
    return None


def issue_sd_jwt_vc(
    claims: JsonObject,
    *,
    signer: Signer,
    vct: str,
    disclosable: Collection[str],
    random_bytes: Callable[[int], bytes],
    holder_key: PublicKey | None,
    decoys: int | Mapping[str, int] = 0,
    hash_alg: str = DEFAULT_HASH,
    legacy_typ: bool = False,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """An SD-JWT VC (``typ: dc+sd-jwt``) of ``claims`` with type ``vct``.

    ``iss``, ``nbf``, ``exp``, ``cnf``, ``vct``, ``vct#integrity``, ``aka_vcts`` and
    ``status`` (and anything inside them) cannot be disclosable. ``legacy_typ`` writes
    ``vc+sd-jwt`` for wallets that predate draft-06. See
    :func:`~staffvc.proofs.jose.sd_jwt.issue_sd_jwt` for the other arguments.
    """
    if not isinstance(vct, str) or not vct:
        raise _ReservedClaimError("vct must be a non-empty string")
    if not isinstance(claims, dict):
        raise _ReservedClaimError("claims must be a JSON object")
    if "vct" in claims and claims["vct"] != vct:
        raise _ReservedClaimError("claims hold a 'vct' other than the vct argument")
    return issue_with_rules(
        {**claims, "vct": vct},
        signer=signer,
        disclosable=disclosable,
        random_bytes=random_bytes,
        typ=VC_SD_JWT if legacy_typ else DC_SD_JWT,
        holder_key=holder_key,
        decoys=decoys,
        hash_alg=hash_alg,
        extra_header=extra_header,
        forbidden=_sd_jwt_vc_rule,
    )


def issue_vcdm_sd_jwt(
    credential: JsonObject,
    *,
    signer: Signer,
    disclosable: Collection[str],
    random_bytes: Callable[[int], bytes],
    holder_key: PublicKey | None,
    decoys: int | Mapping[str, int] = 0,
    hash_alg: str = DEFAULT_HASH,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """A VCDM 2.0 credential secured with SD-JWT (VC-JOSE-COSE §3.2: ``typ: vc+sd-jwt``,
    ``cty: vc``). The credential is the payload; it is not checked here (that is the
    credentials layer's job) beyond what tells it from an SD-JWT VC: its first
    ``@context`` and no ``vct``. ``@context``, ``type``, ``issuer``, ``validFrom``,
    ``validUntil`` and ``credentialStatus`` cannot be disclosable."""
    if not isinstance(credential, dict):
        raise _ReservedClaimError("a credential must be a JSON object")
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != VCDM_V2:
        raise _ReservedClaimError(f"a VCDM 2.0 credential's first @context is {VCDM_V2}")
    for name in ("vct", "vc", "vp"):
        if name in credential:
            raise _ReservedClaimError(f"a VCDM credential secured with SD-JWT has no {name!r}")
    return issue_with_rules(
        credential,
        signer=signer,
        disclosable=disclosable,
        random_bytes=random_bytes,
        typ=VC_SD_JWT,
        holder_key=holder_key,
        decoys=decoys,
        hash_alg=hash_alg,
        extra_header=extra_header,
        forbidden=_vcdm_rule,
        cty="vc",
    )


# --- verifying -------------------------------------------------------------------------------


def _classify(processed: Processed, accept: Collection[SdJwtVcKind]) -> SdJwtVcKind:
    typ = processed.header.get("typ")
    normal = normalise_typ(typ) if isinstance(typ, str) else None
    payload = processed.issuer_payload
    kind: SdJwtVcKind
    if normal == DC_SD_JWT:
        kind = SdJwtVcKind.SD_JWT_VC
    elif normal == VC_SD_JWT:
        has_context, has_vct = "@context" in payload, "vct" in payload
        if has_context == has_vct:
            raise CheckFailed(
                Code.MEDIA_TYPE_MISMATCH,
                "a vc+sd-jwt payload needs exactly one of @context (VCDM) and vct (SD-JWT VC)",
            )
        kind = SdJwtVcKind.VCDM if has_context else SdJwtVcKind.SD_JWT_VC_LEGACY
    else:
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, f"typ {typ!r} is not an SD-JWT credential")
    if kind not in accept:
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, f"{kind} tokens are not accepted here")
    return kind


def _not_disclosed(disclosed: Collection[str], names: Collection[str]) -> None:
    for pointer in disclosed:
        top = pointer.split("/", 2)[1].replace("~1", "/").replace("~0", "~")
        if top in names:
            raise CheckFailed(
                Code.INVALID_DISCLOSURE, f"{top} must not be selectively disclosed", pointer=pointer
            )


def _check_vct(issuer_payload: JsonObject) -> bool:
    vct = issuer_payload.get("vct")
    if not isinstance(vct, str) or not vct:
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            "vct is missing or not a string (in plain text)",
            pointer="/vct",
        )
    return True


def _check_vc_claims(processed: Processed, payload: JsonObject) -> bool:
    _not_disclosed(processed.disclosed, SD_JWT_VC_PLAIN_CLAIMS)
    iss = payload.get("iss")
    if "iss" in payload and not isinstance(iss, str):
        raise CheckFailed(Code.MALFORMED_VALUE_ERROR, "iss is not a string", pointer="/iss")
    if "aka_vcts" in payload:
        aka = payload["aka_vcts"]
        if (
            not isinstance(aka, list)
            or not aka
            or not all(isinstance(v, str) for v in aka)
            or payload.get("vct") in aka
        ):
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR,
                "aka_vcts must be a non-empty array of strings other than vct",
                pointer="/aka_vcts",
            )
    if "status" in payload and not isinstance(payload["status"], dict):
        raise CheckFailed(Code.MALFORMED_VALUE_ERROR, "status is not an object", pointer="/status")
    return True


def _check_expected_vct(payload: JsonObject, expected: str) -> bool:
    aka = payload.get("aka_vcts")
    types = [payload.get("vct"), *(aka if isinstance(aka, list) else [])]
    if expected not in types:
        raise CheckFailed(
            Code.POLICY_NOT_MET, f"the credential is of type {payload.get('vct')!r}", pointer="/vct"
        )
    return True


def _check_vcdm(processed: Processed, payload: JsonObject) -> bool:
    _not_disclosed(processed.disclosed, VCDM_PLAIN_MEMBERS | {"iss", "exp", "nbf", "cnf"})
    context = payload.get("@context")
    if not isinstance(context, list) or not context or context[0] != VCDM_V2:
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR,
            f"the first @context of a VCDM 2.0 credential is {VCDM_V2}",
            pointer="/@context",
        )
    for name in ("vc", "vp"):
        if name in payload:
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR,
                f"the JWT claim {name!r} must not be present (VC-JOSE-COSE §3.1.2)",
                pointer=f"/{name}",
            )
    try:
        issuer_of(payload)
    except IssuerMismatchError as exc:
        raise CheckFailed(Code.CLAIM_MISMATCH, exc.message, pointer="/iss") from None
    return True


def verify_sd_jwt_vc(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    resolve_issuer_key: IssuerKeyResolver,
    now: datetime,
    leeway: timedelta,
    expected_nonce: str | None,
    expected_audience: str | None,
    require_key_binding: bool,
    expected_vct: str | None,
    accept: Collection[SdJwtVcKind] = frozenset(SdJwtVcKind),
    limits: SdJwtLimits = DEFAULT_SD_LIMITS,
    kb_max_age: timedelta = DEFAULT_KB_MAX_AGE,
) -> SdJwtVcResult:
    """Verify an SD-JWT credential of any kind in ``accept``, recording coded checks.

    Runs :func:`~staffvc.proofs.jose.sd_jwt.verify_sd_jwt`'s checks (``typ`` must be
    ``dc+sd-jwt``, or ``vc+sd-jwt`` when a kind that uses it is accepted), then classifies
    the token (``sd_jwt_vc.kind``) and checks its format: for SD-JWT VC, ``vct`` in plain
    text, no disclosure of the claims that must stay plain, well-formed ``iss``,
    ``aka_vcts`` and ``status``, and ``expected_vct`` (as ``vct`` or in ``aka_vcts``; POLICY
    stage); for VCDM, the first ``@context``, no ``vc``/``vp`` claim and ``iss`` agreeing
    with ``issuer``. Status is not checked here: it is left in the payload.
    """
    typs: set[str] = set()
    if SdJwtVcKind.SD_JWT_VC in accept:
        typs.add(DC_SD_JWT)
    if SdJwtVcKind.SD_JWT_VC_LEGACY in accept or SdJwtVcKind.VCDM in accept:
        typs.add(VC_SD_JWT)
    processed = run_pipeline(
        token,
        recorder,
        resolve_issuer_key=resolve_issuer_key,
        now=now,
        leeway=leeway,
        expected_nonce=expected_nonce,
        expected_audience=expected_audience,
        require_key_binding=require_key_binding,
        expected_typ=typs or {DC_SD_JWT},
        limits=limits,
        kb_max_age=kb_max_age,
    )
    if processed is None:
        recorder.skip_rest([(Stage.PARSE, "sd_jwt_vc.kind")], "the token could not be decoded")
        return SdJwtVcResult(None, None)
    start = len(recorder.checks)
    kind = run_check(
        recorder,
        Stage.PARSE,
        "sd_jwt_vc.kind",
        lambda: _classify(processed, accept),
        spec=f"{_SPEC} §2.2.1; VC-JOSE-COSE §3.2",
    )
    payload = processed.revealed
    if kind in (SdJwtVcKind.SD_JWT_VC, SdJwtVcKind.SD_JWT_VC_LEGACY):
        run_check(
            recorder,
            Stage.PARSE,
            "sd_jwt_vc.vct",
            lambda: _check_vct(processed.issuer_payload),
            spec=f"{_SPEC} §2.2.2.1",
        )
        if payload is None:
            recorder.skip_rest([(Stage.PARSE, "sd_jwt_vc.claims")], "no verified payload")
        else:
            verified = payload
            run_check(
                recorder,
                Stage.PARSE,
                "sd_jwt_vc.claims",
                lambda: _check_vc_claims(processed, verified),
                spec=f"{_SPEC} §2.2.2.3",
            )
            if expected_vct is not None:
                run_check(
                    recorder,
                    Stage.POLICY,
                    "sd_jwt_vc.expected_vct",
                    lambda: _check_expected_vct(verified, expected_vct),
                    spec=f"{_SPEC} §2.2.2.2",
                )
    elif kind is SdJwtVcKind.VCDM:
        if payload is None:
            recorder.skip_rest([(Stage.PARSE, "sd_jwt_vc.vcdm")], "no verified payload")
        else:
            verified = payload
            run_check(
                recorder,
                Stage.PARSE,
                "sd_jwt_vc.vcdm",
                lambda: _check_vcdm(processed, verified),
                spec="VC-JOSE-COSE §3.2",
            )
        if expected_vct is not None:
            recorder.fail(
                Stage.POLICY,
                "sd_jwt_vc.expected_vct",
                Code.POLICY_NOT_MET,
                "a VCDM credential has no vct; an SD-JWT VC was expected",
            )
    ok = processed.ok and not any(c.outcome in _BAD for c in recorder.checks[start:])
    return SdJwtVcResult(kind, payload if ok else None)
