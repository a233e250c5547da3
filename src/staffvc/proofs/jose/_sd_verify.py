"""The SD-JWT verifier's pipeline (RFC 9901 §7.1, §7.3), one coded check per step.

Stages in order: decode (PARSE) → issuer key and signature, ``_sd_alg``, disclosures
(PROOF) → time claims (VALIDITY) → key binding (HOLDER_BINDING). A step that cannot be
trusted without an earlier one (revealing disclosures of an unverified JWT) is recorded
as SKIPPED with ``NOT_CHECKED`` once that earlier step failed. Nothing here raises on bad
input.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from staffvc.errors import StaffVCError
from staffvc.keys import PublicKey
from staffvc.proofs.jose._sd_common import (
    HASH_ALGORITHMS,
    KB_TYP,
    REFUSED_HASHES,
    SD_ALG,
    SPEC,
    SdJwtLimits,
    SdJwtParts,
    b64_digest,
    decode_disclosure,
    run_check,
    split_compact,
)
from staffvc.proofs.jose._sd_reveal import Revealed, reveal
from staffvc.proofs.jose.jws import CompactJws, JoseError, decode_compact, verify_compact
from staffvc.results import Check, CheckError, CheckFailed, CheckRecorder, Code, Outcome, Stage
from staffvc.safejson import JsonObject, JsonValue


class IssuerKeyResolver(Protocol):
    """Finds the issuer's public key for an issuer-signed JWT, from its protected header
    (``kid``) and its payload as signed (``iss``); raises a coded
    :class:`~staffvc.errors.StaffVCError` when there is none the issuer controls."""

    def __call__(self, header: JsonObject, payload: JsonObject, /) -> PublicKey: ...


@dataclass(frozen=True, slots=True)
class Processed:
    """What the pipeline learnt about one token (whether or not it verified)."""

    header: JsonObject
    issuer_payload: JsonObject
    """The issuer-signed payload as received (digests, not claims)."""
    revealed: JsonObject | None
    """The Processed SD-JWT Payload once the signature and the disclosures verified (later
    checks, such as expiry or key binding, may still have failed)."""
    disclosed: tuple[str, ...]
    """JSON pointers (into ``revealed``) of the claims that came from disclosures."""
    ok: bool
    """True when no check of this verification FAILED or ended in ERROR."""

    @property
    def payload(self) -> JsonObject | None:
        """The Processed SD-JWT Payload, only when every check passed."""
        return self.revealed if self.ok else None


_PROOF_STEPS = ("sd_jwt.issuer_key", "sd_jwt.signature", "sd_jwt.sd_alg", "sd_jwt.disclosures")
_KB_STEPS = (
    "sd_jwt.kb.cnf",
    "sd_jwt.kb.jwt",
    "sd_jwt.kb.signature",
    "sd_jwt.kb.typ",
    "sd_jwt.kb.iat",
    "sd_jwt.kb.nonce",
    "sd_jwt.kb.aud",
    "sd_jwt.kb.sd_hash",
)
_DID_UNAVAILABLE = frozenset({"methodNotSupported", "notFound", "internalError", "NETWORK_ERROR"})
_DID_CODES = {
    "invalidDidUrl": Code.INVALID_VERIFICATION_METHOD_URL,
    "invalidDid": Code.INVALID_VERIFICATION_METHOD_URL,
}


def normalise_typ(typ: str) -> str:
    """A media type as ``typ`` compares (RFC 7515 §4.1.9): no ``application/``, any case."""
    lowered = typ.lower()
    return lowered.removeprefix("application/")


def run_pipeline(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    resolve_issuer_key: IssuerKeyResolver,
    now: datetime,
    leeway: timedelta,
    expected_nonce: str | None,
    expected_audience: str | None,
    require_key_binding: bool,
    expected_typ: Collection[str],
    limits: SdJwtLimits,
    kb_max_age: timedelta,
) -> Processed | None:
    """Verify ``token``; None when it could not even be decoded."""
    start = len(recorder.checks)

    def aborted(remaining: tuple[str, ...], reason: str, kb: bool) -> None:
        recorder.skip_rest([(Stage.PROOF, name) for name in remaining], reason)
        recorder.skip_rest([(Stage.VALIDITY, "sd_jwt.validity")], reason)
        if kb:
            recorder.skip_rest([(Stage.HOLDER_BINDING, "sd_jwt.kb")], reason)

    parts = run_check(
        recorder,
        Stage.PARSE,
        "sd_jwt.structure",
        lambda: split_compact(token, limits),
        spec=f"{SPEC} §4",
    )
    if parts is None:
        aborted(_PROOF_STEPS, "the token is not an SD-JWT", require_key_binding)
        return None
    kb_expected = require_key_binding or parts.kb_jwt is not None
    jws = run_check(
        recorder,
        Stage.PARSE,
        "sd_jwt.issuer_jwt",
        lambda: _decode_jwt(parts.issuer_jwt, limits),
        spec=f"{SPEC} §4.1; RFC 7515 §5.2",
    )
    if jws is None:
        aborted(_PROOF_STEPS, "the issuer-signed JWT is unreadable", kb_expected)
        return None
    compact, issuer_payload = jws
    header = compact.header

    if expected_typ:
        run_check(
            recorder,
            Stage.PARSE,
            "sd_jwt.typ",
            lambda: _check_typ(header, expected_typ),
            spec=f"{SPEC} §9.11",
        )
    else:
        recorder.add(Check.skipped(Stage.PARSE, "sd_jwt.typ", "no expected typ was given"))
    disclosures = run_check(
        recorder,
        Stage.PARSE,
        "sd_jwt.disclosures.decode",
        lambda: tuple(decode_disclosure(d, i, limits) for i, d in enumerate(parts.disclosures)),
        spec=f"{SPEC} §4.2",
    )

    def finish(payload: JsonObject | None, disclosed: tuple[str, ...] = ()) -> Processed:
        ok = not any(c.outcome in (Outcome.FAILED, Outcome.ERROR) for c in recorder.checks[start:])
        return Processed(header, issuer_payload, payload, disclosed, ok)

    key = run_check(
        recorder,
        Stage.PROOF,
        "sd_jwt.issuer_key",
        lambda: _issuer_key(resolve_issuer_key, header, issuer_payload),
        spec=f"{SPEC} §7.1 2.3",
    )
    if key is None:
        aborted(_PROOF_STEPS[1:], "no issuer key", kb_expected)
        return finish(None)
    verified = run_check(
        recorder,
        Stage.PROOF,
        "sd_jwt.signature",
        lambda: _verify(compact, key),
        spec=f"{SPEC} §7.1 2.1-2.2",
    )
    if verified is None:
        aborted(_PROOF_STEPS[2:], "the issuer signature did not verify", kb_expected)
        return finish(None)
    hash_fn = run_check(
        recorder,
        Stage.PROOF,
        "sd_jwt.sd_alg",
        lambda: _hash_of(issuer_payload),
        spec=f"{SPEC} §4.1.1",
    )
    if hash_fn is None or disclosures is None:
        aborted(_PROOF_STEPS[3:], "the disclosures cannot be processed", kb_expected)
        return finish(None)
    revealed = run_check(
        recorder,
        Stage.PROOF,
        "sd_jwt.disclosures",
        lambda: reveal(issuer_payload, disclosures, hash_fn, limits),
        spec=f"{SPEC} §7.1 3-5",
    )
    if revealed is None:
        aborted((), "the disclosures did not verify", kb_expected)
        return finish(None)
    payload = revealed.payload
    _validity(recorder, payload, now, leeway)
    _key_binding(
        recorder,
        parts,
        payload,
        hash_fn,
        now=now,
        leeway=leeway,
        expected_nonce=expected_nonce,
        expected_audience=expected_audience,
        require_key_binding=require_key_binding,
        limits=limits,
        kb_max_age=kb_max_age,
    )
    return finish(payload, _disclosed(revealed))


def _disclosed(revealed: Revealed) -> tuple[str, ...]:
    return tuple(revealed.pointers[i] for i in revealed.order)


# --- the steps -------------------------------------------------------------------------------


def _jose_failure(exc: JoseError) -> CheckFailed:
    try:
        code = Code(exc.code)
    except ValueError:
        code = Code.PARSING_ERROR
    return CheckFailed(code, exc.message)


def _decode_jwt(text: str, limits: SdJwtLimits) -> tuple[CompactJws, JsonObject]:
    try:
        compact = decode_compact(text, limits=limits.jose)
        return compact, compact.json_payload(limits=limits.jose)
    except JoseError as exc:
        raise _jose_failure(exc) from None


def _check_typ(header: JsonObject, expected: Collection[str]) -> bool:
    typ = header.get("typ")
    if not isinstance(typ, str):
        raise CheckFailed(Code.MEDIA_TYPE_MISMATCH, "the header has no string 'typ'")
    if normalise_typ(typ) not in {normalise_typ(t) for t in expected}:
        raise CheckFailed(
            Code.MEDIA_TYPE_MISMATCH,
            f"typ {typ!r} is not one of {sorted(expected)}",
        )
    return True


def _issuer_key(resolve: IssuerKeyResolver, header: JsonObject, payload: JsonObject) -> PublicKey:
    try:
        key = resolve(header, payload)
    except StaffVCError as exc:
        if exc.code in _DID_UNAVAILABLE:
            raise CheckError(Code.DID_RESOLUTION_ERROR, exc.message) from None
        code = _DID_CODES.get(exc.code)
        if code is None:
            try:
                code = Code(exc.code)
            except ValueError:
                code = Code.INVALID_VERIFICATION_METHOD
        raise CheckFailed(code, exc.message) from None
    if not isinstance(key, PublicKey):
        raise CheckError(Code.INTERNAL_ERROR, "the issuer key resolver returned no PublicKey")
    return key


def _verify(compact: CompactJws, key: PublicKey) -> bool:
    try:
        verify_compact(compact, key)
    except JoseError as exc:
        raise _jose_failure(exc) from None
    return True


def _hash_of(payload: JsonObject) -> Callable[[bytes], bytes]:
    name = payload.get(SD_ALG, "sha-256")
    if not isinstance(name, str):
        raise CheckFailed(Code.MALFORMED_VALUE_ERROR, "_sd_alg is not a string", pointer="/_sd_alg")
    if name in REFUSED_HASHES:
        raise CheckFailed(
            Code.UNSUPPORTED_ALGORITHM, f"_sd_alg {name!r} is not secure", pointer="/_sd_alg"
        )
    fn = HASH_ALGORITHMS.get(name)
    if fn is None:
        raise CheckError(
            Code.UNSUPPORTED_ALGORITHM, f"_sd_alg {name!r} is not understood", pointer="/_sd_alg"
        )
    return fn


def _numeric_date(payload: JsonObject, name: str) -> float | None:
    value = payload.get(name)
    if value is None and name not in payload:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR, f"{name} is not a NumericDate", pointer=f"/{name}"
        )
    return float(value)


def _validity(
    recorder: CheckRecorder, payload: JsonObject, now: datetime, leeway: timedelta
) -> None:
    if not any(name in payload for name in ("exp", "nbf", "iat")):
        recorder.add(Check.skipped(Stage.VALIDITY, "sd_jwt.validity", "no exp, nbf or iat claim"))
        return
    instant, slack = now.timestamp(), leeway.total_seconds()

    def check() -> bool:
        exp = _numeric_date(payload, "exp")
        nbf = _numeric_date(payload, "nbf")
        iat = _numeric_date(payload, "iat")
        if exp is not None and instant >= exp + slack:
            raise CheckFailed(Code.CREDENTIAL_EXPIRED, "exp has passed", pointer="/exp")
        if nbf is not None and instant < nbf - slack:
            raise CheckFailed(Code.CREDENTIAL_NOT_YET_VALID, "nbf is in the future", pointer="/nbf")
        if iat is not None and instant < iat - slack:
            raise CheckFailed(Code.CREDENTIAL_NOT_YET_VALID, "iat is in the future", pointer="/iat")
        return True

    run_check(
        recorder, Stage.VALIDITY, "sd_jwt.validity", check, spec=f"{SPEC} §7.1 6; RFC 7519 §4.1"
    )


# --- key binding (§7.3) ----------------------------------------------------------------------


def _holder_key(payload: JsonObject) -> PublicKey:
    cnf = payload.get("cnf")
    if cnf is None:
        raise CheckFailed(Code.HOLDER_BINDING_ERROR, "the SD-JWT has no cnf claim", pointer="/cnf")
    if not isinstance(cnf, dict):
        raise CheckFailed(Code.HOLDER_BINDING_ERROR, "cnf is not an object", pointer="/cnf")
    jwk = cnf.get("jwk")
    if jwk is None:
        raise CheckError(
            Code.HOLDER_BINDING_ERROR,
            f"cnf uses a confirmation method staffvc does not support: {sorted(cnf)}",
            pointer="/cnf",
        )
    if not isinstance(jwk, dict):
        raise CheckFailed(Code.HOLDER_BINDING_ERROR, "cnf.jwk is not an object", pointer="/cnf/jwk")
    try:
        return PublicKey.from_jwk(jwk)
    except StaffVCError as exc:
        raise CheckFailed(Code.HOLDER_BINDING_ERROR, exc.message, pointer="/cnf/jwk") from None


def _same(received: JsonValue, expected: str) -> bool:
    return isinstance(received, str) and hmac.compare_digest(
        received.encode("utf-8"), expected.encode("utf-8")
    )


def _key_binding(
    recorder: CheckRecorder,
    parts: SdJwtParts,
    payload: JsonObject,
    hash_fn: Callable[[bytes], bytes],
    *,
    now: datetime,
    leeway: timedelta,
    expected_nonce: str | None,
    expected_audience: str | None,
    require_key_binding: bool,
    limits: SdJwtLimits,
    kb_max_age: timedelta,
) -> None:
    stage = Stage.HOLDER_BINDING
    spec = f"{SPEC} §7.3"
    if parts.kb_jwt is None:
        if require_key_binding:
            recorder.fail(
                stage,
                "sd_jwt.kb.present",
                Code.HOLDER_BINDING_ERROR,
                "key binding is required and the presentation has no KB-JWT",
            )
        return
    holder_key = run_check(
        recorder, stage, "sd_jwt.kb.cnf", lambda: _holder_key(payload), spec=spec
    )
    kb = run_check(
        recorder, stage, "sd_jwt.kb.jwt", lambda: _decode_jwt(parts.kb_jwt or "", limits), spec=spec
    )
    if holder_key is None or kb is None:
        recorder.skip_rest([(stage, n) for n in _KB_STEPS[2:]], "no KB-JWT or holder key to use")
        return
    compact, claims = kb
    if (
        run_check(recorder, stage, "sd_jwt.kb.signature", lambda: _verify(compact, holder_key))
        is None
    ):
        recorder.skip_rest([(stage, n) for n in _KB_STEPS[3:]], "the KB-JWT signature failed")
        return

    def typ() -> bool:
        value = compact.header.get("typ")
        if not isinstance(value, str) or normalise_typ(value) != KB_TYP:
            raise CheckFailed(Code.HOLDER_BINDING_ERROR, f"KB-JWT typ is {value!r}, not kb+jwt")
        return True

    def iat() -> bool:
        value = claims.get("iat")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CheckFailed(Code.HOLDER_BINDING_ERROR, "the KB-JWT has no numeric iat")
        instant, slack = now.timestamp(), leeway.total_seconds()
        if value > instant + slack:
            raise CheckFailed(Code.HOLDER_BINDING_ERROR, "the KB-JWT iat is in the future")
        if value < instant - kb_max_age.total_seconds() - slack:
            raise CheckFailed(Code.HOLDER_BINDING_ERROR, "the KB-JWT is too old (iat)")
        return True

    def matches(member: str, expected: str | None, code: Code) -> Callable[[], bool]:
        def check() -> bool:
            if expected is None:
                raise CheckError(code, f"no expected {member} was given to check the KB-JWT")
            if not _same(claims.get(member), expected):
                raise CheckFailed(code, f"the KB-JWT {member} is not the expected one")
            return True

        return check

    def sd_hash() -> bool:
        if not _same(claims.get("sd_hash"), b64_digest(hash_fn, parts.presented)):
            raise CheckFailed(
                Code.HOLDER_BINDING_ERROR, "sd_hash does not match the presented SD-JWT"
            )
        return True

    run_check(recorder, stage, "sd_jwt.kb.typ", typ, spec=f"{SPEC} §4.3")
    run_check(recorder, stage, "sd_jwt.kb.iat", iat, spec=spec)
    for member, expected, code in (
        ("nonce", expected_nonce, Code.INVALID_CHALLENGE_ERROR),
        ("aud", expected_audience, Code.INVALID_DOMAIN_ERROR),
    ):
        if expected is None and not require_key_binding:
            recorder.add(
                Check.skipped(stage, f"sd_jwt.kb.{member}", f"no expected {member} was given")
            )
        else:
            run_check(
                recorder, stage, f"sd_jwt.kb.{member}", matches(member, expected, code), spec=spec
            )
    run_check(recorder, stage, "sd_jwt.kb.sd_hash", sd_hash, spec=f"{SPEC} §4.3.1")
