"""The Verifier: untrusted credentials and presentations in, a VerificationResult out.

It never raises on bad input and never reports VALID when a step failed or could not run:
every step is a coded check in a :class:`~staffvc.results.CheckRecorder`, and the verdict
comes from :func:`~staffvc.results.fold_verdict` alone.

Formats, told apart by content (:func:`detect_format`): Data Integrity JSON; compact JWS
(``vc+jwt``/``vp+jwt`` of VC-JOSE-COSE, or VC-JWT for VCDM 1.1 with ``vc``/``vp`` claims);
SD-JWT (SD-JWT VC, or VC-JOSE-COSE's ``vc+sd-jwt``); COSE_Sign1 (``vc+cose``, as bytes or
base64url text).

Order (the lesson of ACA-Py CVE-2024-21669): a presentation's own proof, with its challenge
and domain, is checked first; if it fails, the credentials inside are not verified and are
recorded as SKIPPED. A credential is VALID only when its envelope, every proof, the proofs'
purposes, its validity period, its schema (when it names one) and its status (when it has
one) all pass. Status needs a ``status_source``; without one, a credential with a status
entry is INDETERMINATE, never VALID.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from staffvc.clock import Clock, SystemClock
from staffvc.credentials import DocumentKind, Envelope, check_envelope, check_validity
from staffvc.credentials.nhs import check_credential_rules, credential_type_of
from staffvc.credentials.schema import check_credential_schema
from staffvc.did import DidResolver, Relationship, Resolver
from staffvc.errors import StaffVCError
from staffvc.jsonld import BundledLoader, DocumentLoader
from staffvc.keys import PublicKey
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import SUITES, Cryptosuite, verify_proofs
from staffvc.proofs.jose import (
    DEFAULT_LIMITS,
    JWT_TYP,
    VC_JWT_TYP,
    VP_JWT_TYP,
    JoseError,
    JoseLimits,
    JoseMediaTypeError,
    unenvelope,
    verify_jwt_vc_v11,
    verify_jwt_vp_v11,
    verify_vc_cose,
    verify_vc_jose,
    verify_vp_jose,
)
from staffvc.proofs.jose.sd_jwt import did_issuer_key_resolver
from staffvc.proofs.jose.sd_jwt_vc import SdJwtVcKind, verify_sd_jwt_vc
from staffvc.results import (
    CheckError,
    CheckFailed,
    CheckRecorder,
    Code,
    Outcome,
    Stage,
    VerificationResult,
)
from staffvc.safejson import JsonLimits, JsonObject, JsonValue, loads
from staffvc.status import (
    STATUS_LIST_JWT_TYP,
    StatusChecker,
    StatusListSource,
    StatusListTokenView,
    verify_status_list_token_result,
)

__all__ = [
    "CREDENTIAL_STAGES",
    "DEFAULT_LEEWAY",
    "PRESENTATION_STAGES",
    "InputFormat",
    "Verifier",
    "detect_format",
]

CREDENTIAL_STAGES = (Stage.PARSE, Stage.PROOF, Stage.PURPOSE, Stage.VALIDITY)
"""Stages that must each have a PASSED check for a credential to be VALID."""
PRESENTATION_STAGES = (Stage.PARSE, Stage.PROOF, Stage.PURPOSE)
SD_JWT_STAGES = (Stage.PARSE, Stage.PROOF)
"""An SD-JWT's issuer key is bound to ``assertionMethod`` inside its PROOF check."""

DEFAULT_INPUT_LIMITS = JsonLimits(max_bytes=1 << 20, max_depth=32)
DEFAULT_LEEWAY = timedelta(seconds=60)
"""Clock skew allowed on JWT time claims (``exp``, ``nbf``, ``iat``)."""

_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")
_SD_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+~[A-Za-z0-9_.~-]*")
_B64URL = re.compile(r"[A-Za-z0-9_-]{16,}")
_COSE_SIGN1_TAG = 0xD2  # CBOR tag 18, COSE_Sign1
_MEDIA_SD_JWT = ("application/dc+sd-jwt", "application/vc+sd-jwt")
_MEDIA_JWT = ("application/vc+jwt", "application/jwt", "application/vc-ld+jwt")
_MEDIA_COSE = ("application/vc+cose",)


class InputFormat(StrEnum):
    """How a credential or presentation is secured, as read from its bytes."""

    JSON = "JSON"
    """A JSON document: Data Integrity proofs (or none)."""
    JWS = "JWS"
    """A compact JWS: ``vc+jwt``/``vp+jwt`` or VC-JWT 1.1."""
    SD_JWT = "SD_JWT"
    """An SD-JWT (``dc+sd-jwt`` or ``vc+sd-jwt``), with or without a KB-JWT."""
    COSE = "COSE"
    """A COSE_Sign1 message (``vc+cose``), as bytes or base64url text."""


def detect_format(data: str | bytes | JsonObject) -> InputFormat | None:
    """The format of ``data``, from its shape alone (no decoding beyond base64url sniffing);
    None when it is none of them."""
    if isinstance(data, dict):
        return InputFormat.JSON
    if isinstance(data, bytes) and data[:1] == bytes([_COSE_SIGN1_TAG]):
        return InputFormat.COSE
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        return None
    text = text.strip()
    if text[:1] in ("{", "["):
        return InputFormat.JSON
    if _SD_JWT.fullmatch(text):
        return InputFormat.SD_JWT
    if _JWS.fullmatch(text):
        return InputFormat.JWS
    if _B64URL.fullmatch(text):
        return InputFormat.COSE
    return None


class Verifier:
    """Verifies credentials and presentations in every format staffvc reads.

    Everything it needs from outside is injected: ``resolver`` (default: did:key and did:jwk,
    offline), ``loader`` (default: the bundled, hash-pinned contexts), ``clock``, and
    ``status_source`` (where status lists come from; default: none, so a credential with a
    status entry is INDETERMINATE). ``leeway`` is the clock skew allowed on JWT time claims.
    """

    def __init__(
        self,
        *,
        resolver: DidResolver | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        limits: JsonLimits = DEFAULT_INPUT_LIMITS,
        suites: Mapping[str, Cryptosuite] = SUITES,
        status_source: StatusListSource | None = None,
        leeway: timedelta = DEFAULT_LEEWAY,
        jose_limits: JoseLimits = DEFAULT_LIMITS,
    ) -> None:
        self._resolver = resolver or Resolver()
        self._loader = loader or BundledLoader()
        self._clock = clock or SystemClock()
        self._limits = limits
        self._suites = suites
        self._leeway = leeway
        self._jose_limits = jose_limits
        self._status: StatusChecker | None = None
        if status_source is not None:
            lists = Verifier(
                resolver=self._resolver,
                loader=self._loader,
                clock=self._clock,
                limits=limits,
                suites=suites,
                leeway=leeway,
                jose_limits=jose_limits,
            )
            self._status = StatusChecker(status_source, verify_list_credential=lists._list)

    # --- public entry points ---------------------------------------------------------------

    def verify(
        self,
        data: str | bytes | JsonObject,
        *,
        challenge: str | None,
        domain: str | None,
        now: datetime | None,
    ) -> VerificationResult:
        """Verify a credential or a presentation, whichever ``data`` is, in any format.

        A presentation needs ``challenge``; without one it fails with INVALID_CHALLENGE_ERROR.
        For an SD-JWT, a ``challenge`` makes key binding required (nonce = challenge,
        audience = domain). ``now`` overrides the clock for validity checks.
        """
        return self._dispatch(data, challenge=challenge, domain=domain, now=now, kind=None)

    def verify_credential(
        self, credential: str | bytes | JsonObject, *, now: datetime | None
    ) -> VerificationResult:
        """Verify a credential; a presentation given here is refused (INVALID)."""
        return self._dispatch(
            credential, challenge=None, domain=None, now=now, kind=DocumentKind.CREDENTIAL
        )

    def verify_presentation(
        self,
        presentation: str | bytes | JsonObject,
        *,
        challenge: str,
        domain: str | None,
        now: datetime | None,
    ) -> VerificationResult:
        """Verify a presentation bound to ``challenge`` (and ``domain``) and its credentials.

        An SD-JWT with a key-binding JWT is the SD-JWT form of a presentation: its KB-JWT
        must carry ``challenge`` as nonce and ``domain`` as audience.
        """
        return self._dispatch(
            presentation,
            challenge=challenge,
            domain=domain,
            now=now,
            kind=DocumentKind.PRESENTATION,
        )

    # --- dispatch ---------------------------------------------------------------------------

    def _dispatch(
        self,
        data: str | bytes | JsonObject,
        *,
        challenge: str | None,
        domain: str | None,
        now: datetime | None,
        kind: DocumentKind | None,
    ) -> VerificationResult:
        name = "document" if kind is None else kind.value
        fmt = detect_format(data) if _within(data, self._limits.max_bytes) else None
        if fmt is InputFormat.SD_JWT:
            return self._sd_jwt(_text(data), challenge=challenge, domain=domain, now=now)
        if fmt is InputFormat.JWS:
            return self._jws(_text(data), challenge=challenge, domain=domain, now=now, kind=kind)
        if fmt is InputFormat.COSE:
            return self._cose(data, now=now, kind=kind)
        recorder = CheckRecorder(required=CREDENTIAL_STAGES, subject=name)
        opened = self._open(data, recorder, name, kind)
        if opened is None:
            return recorder.result()
        parsed, envelope = opened
        if envelope.kind is DocumentKind.PRESENTATION:
            recorder.require(PRESENTATION_STAGES, subject="presentation")
            return self._presentation(
                parsed, envelope, recorder, challenge=challenge, domain=domain, now=now
            )
        return self._credential(parsed, envelope, recorder, now=now, secured=False)

    def _open(
        self,
        data: str | bytes | JsonObject,
        recorder: CheckRecorder,
        name: str,
        kind: DocumentKind | None,
    ) -> tuple[JsonObject, Envelope] | None:
        """Parse within limits and check the envelope (of ``kind``, if given), as checks."""
        parsed = recorder.run(Stage.PARSE, f"{name}.json", lambda: self._parse(data))
        if parsed is None:
            return None
        envelope = recorder.run(Stage.PARSE, f"{name}.envelope", lambda: _expect(parsed, kind))
        return None if envelope is None else (parsed, envelope)

    def _parse(self, data: str | bytes | JsonObject) -> JsonObject:
        if isinstance(data, dict):
            value: JsonValue = data
        else:
            try:
                value = loads(data, limits=self._limits, what="document")
            except StaffVCError as exc:
                code = Code.LIMIT_EXCEEDED if exc.code == "LIMIT_EXCEEDED" else Code.PARSING_ERROR
                raise CheckFailed(code, exc.message) from exc
        if not isinstance(value, dict):
            raise CheckFailed(Code.PARSING_ERROR, "expected a JSON object")
        return value

    def _now(self, now: datetime | None) -> datetime:
        if now is None:
            return self._clock.now()
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now

    # --- credentials --------------------------------------------------------------------

    def _credential(
        self,
        credential: JsonObject,
        envelope: Envelope,
        recorder: CheckRecorder,
        *,
        now: datetime | None,
        secured: bool,
    ) -> VerificationResult:
        """Proofs (unless ``secured`` by an envelope already verified), validity, schema,
        status: every check of a VCDM credential after its envelope."""
        subject = credential.get("id")
        recorder.require(
            CREDENTIAL_STAGES, subject=subject if isinstance(subject, str) else "credential"
        )
        instant = self._now(now)
        if not secured:
            verify_proofs(
                credential,
                recorder,
                purpose=AssertionPurpose(),
                expected_controller=envelope.party,
                resolver=self._resolver,
                loader=self._loader,
                now=instant,
                suites=self._suites,
            )
        recorder.run(
            Stage.VALIDITY,
            "credential.validity",
            lambda: check_validity(credential, version=envelope.version, now=instant),
            spec="VCDM §4.9",
        )
        if "credentialSchema" in credential:
            recorder.run(
                Stage.SCHEMA,
                "credential.schema",
                lambda: check_credential_schema(credential),
                spec="VC-JSON-SCHEMA §3",
            )
        self._check_nhs_rules(credential, recorder)
        self._check_status(credential, recorder, instant)
        return recorder.result()

    def _check_nhs_rules(self, credential: JsonObject, recorder: CheckRecorder) -> None:
        """The rules of an NHS staff passport type that a schema cannot say (CSTF refresher
        periods, date order, the type's longest validity): see docs/credentials.md."""
        if credential_type_of(credential) is not None:
            recorder.run(
                Stage.SCHEMA,
                "credential.rules",
                lambda: check_credential_rules(credential),
                spec="docs/credentials.md",
            )

    def _check_status(self, document: JsonObject, recorder: CheckRecorder, now: datetime) -> None:
        """Status entries make STATUS a required stage: VALID needs the check to have run."""
        if "credentialStatus" not in document and "status" not in document:
            return
        recorder.require((*recorder.required, Stage.STATUS))
        if any(check.outcome is Outcome.FAILED for check in recorder.checks):
            # Never fetch a list named by a document that has already failed: its URLs are
            # the attacker's.
            recorder.skip_rest([(Stage.STATUS, "credential.status")], "an earlier check failed")
            return
        if self._status is None:
            recorder.error(
                Stage.STATUS,
                "credential.status",
                Code.STATUS_RETRIEVAL_ERROR,
                "the credential has a status entry and this verifier has no status source",
            )
            return
        self._status.check(document, recorder, now=now)

    def _list(self, document: JsonObject | str) -> VerificationResult:
        """Verifies a status list credential, or a Status List Token, for the StatusChecker."""
        if isinstance(document, dict):
            return self.verify_credential(document, now=None)
        return verify_status_list_token_result(
            document, key_for=self._status_list_key, limits=self._jose_limits
        )

    def _status_list_key(self, view: StatusListTokenView) -> PublicKey:
        kid, issuer = view.kid, view.issuer
        if kid is None or issuer is None:
            raise JoseError("a Status List Token needs 'kid' and 'iss' to find its key")
        vm = self._resolver.dereference(
            issuer + kid if kid.startswith("#") else kid,
            relationship=Relationship.ASSERTION_METHOD,
        )
        if vm.controller != issuer:
            raise JoseError(f"the list's key is controlled by {vm.controller}, not {issuer}")
        return vm.public_key

    # --- JOSE and COSE ------------------------------------------------------------------

    def _jws(
        self,
        token: str,
        *,
        challenge: str | None,
        domain: str | None,
        now: datetime | None,
        kind: DocumentKind | None,
    ) -> VerificationResult:
        typ, claims = _peek_jws(token)
        presentation = typ == VP_JWT_TYP or (typ != VC_JWT_TYP and "vp" in claims)
        if typ == STATUS_LIST_JWT_TYP and kind is not DocumentKind.PRESENTATION:
            return self._list(token)
        want = DocumentKind.PRESENTATION if presentation else DocumentKind.CREDENTIAL
        recorder = CheckRecorder(required=CREDENTIAL_STAGES, subject=f"{want.value} (JWT)")
        if kind is not None and kind is not want:
            recorder.fail(
                Stage.PARSE, "jose.kind", Code.MALFORMED_VALUE_ERROR, f"expected a {kind.value}"
            )
            return recorder.result()
        instant = self._now(now)
        v11 = typ not in (VC_JWT_TYP, VP_JWT_TYP)
        if presentation:
            recorder.require(PRESENTATION_STAGES)
            if not challenge:
                recorder.fail(
                    Stage.PURPOSE,
                    "presentation.challenge",
                    Code.INVALID_CHALLENGE_ERROR,
                    "the verifier must supply the challenge it issued",
                )
                return recorder.result()
            verify_vp = verify_jwt_vp_v11 if v11 else verify_vp_jose
            payload = verify_vp(
                token,
                recorder,
                resolver=self._resolver,
                now=instant,
                leeway=self._leeway,
                challenge=challenge,
                domain=domain,
                limits=self._jose_limits,
                expected_typ=(JWT_TYP,) if v11 else (VP_JWT_TYP,),
            )
        else:
            verify_vc = verify_jwt_vc_v11 if v11 else verify_vc_jose
            payload = verify_vc(
                token,
                recorder,
                resolver=self._resolver,
                now=instant,
                leeway=self._leeway,
                limits=self._jose_limits,
                expected_typ=(JWT_TYP,) if v11 else (VC_JWT_TYP,),
            )
        return self._secured_payload(payload, recorder, want, now=now)

    def _cose(
        self, data: str | bytes | JsonObject, *, now: datetime | None, kind: DocumentKind | None
    ) -> VerificationResult:
        recorder = CheckRecorder(required=CREDENTIAL_STAGES, subject="credential (COSE)")
        if kind is DocumentKind.PRESENTATION:
            recorder.fail(
                Stage.PARSE, "cose.kind", Code.MALFORMED_VALUE_ERROR, "expected a presentation"
            )
            return recorder.result()
        message = recorder.run(Stage.PARSE, "cose.bytes", lambda: _cose_bytes(data))
        if message is None:
            return recorder.result()
        payload = verify_vc_cose(
            message,
            recorder,
            resolver=self._resolver,
            now=self._now(now),
            leeway=self._leeway,
            limits=self._jose_limits,
        )
        return self._secured_payload(payload, recorder, DocumentKind.CREDENTIAL, now=now)

    def _secured_payload(
        self,
        payload: JsonObject | None,
        recorder: CheckRecorder,
        kind: DocumentKind,
        *,
        now: datetime | None,
    ) -> VerificationResult:
        """After an envelope (JWS, COSE) verified: the VCDM checks of what it carried."""
        if payload is None:
            return recorder.result()
        envelope = recorder.run(
            Stage.PARSE, f"{kind.value}.envelope", lambda: _expect(payload, kind)
        )
        if envelope is None:
            return recorder.result()
        if kind is DocumentKind.CREDENTIAL:
            return self._credential(payload, envelope, recorder, now=now, secured=True)
        if not recorder.result().ok:
            return self._skip_credentials(payload, recorder)
        return recorder.result(nested=self._nested(payload, now=now))

    def _sd_jwt(
        self, token: str, *, challenge: str | None, domain: str | None, now: datetime | None
    ) -> VerificationResult:
        bound = bool(challenge)
        recorder = CheckRecorder(
            required=(*SD_JWT_STAGES, Stage.HOLDER_BINDING) if bound else SD_JWT_STAGES,
            subject="credential (SD-JWT)",
        )
        instant = self._now(now)
        found = verify_sd_jwt_vc(
            token,
            recorder,
            resolve_issuer_key=did_issuer_key_resolver(self._resolver),
            now=instant,
            leeway=self._leeway,
            expected_nonce=challenge or None,
            expected_audience=domain if bound else None,
            require_key_binding=bound,
            expected_vct=None,
        )
        payload = found.payload
        if payload is None:
            return recorder.result()
        if found.kind is SdJwtVcKind.VCDM:
            envelope = recorder.run(
                Stage.PARSE, "credential.envelope", lambda: _expect(payload, None)
            )
            if envelope is None:
                return recorder.result()
            instant_checks = (*recorder.required, Stage.VALIDITY)
            recorder.run(
                Stage.VALIDITY,
                "credential.validity",
                lambda: check_validity(payload, version=envelope.version, now=instant),
                spec="VCDM §4.9",
            )
            recorder.require(instant_checks)
            if "credentialSchema" in payload:
                recorder.run(
                    Stage.SCHEMA,
                    "credential.schema",
                    lambda: check_credential_schema(payload),
                    spec="VC-JSON-SCHEMA §3",
                )
            self._check_nhs_rules(payload, recorder)
        self._check_status(payload, recorder, instant)
        return recorder.result()

    # --- presentations ------------------------------------------------------------------

    def _presentation(
        self,
        presentation: JsonObject,
        envelope: Envelope,
        recorder: CheckRecorder,
        *,
        challenge: str | None,
        domain: str | None,
        now: datetime | None,
    ) -> VerificationResult:
        if not challenge:
            recorder.fail(
                Stage.PURPOSE,
                "presentation.challenge",
                Code.INVALID_CHALLENGE_ERROR,
                "the verifier must supply the challenge it issued",
            )
            return recorder.result()
        ok = verify_proofs(
            presentation,
            recorder,
            purpose=AuthenticationPurpose(challenge=challenge, domain=domain),
            expected_controller=envelope.party,
            resolver=self._resolver,
            loader=self._loader,
            now=self._now(now),
            suites=self._suites,
        )
        if not ok:
            return self._skip_credentials(presentation, recorder)
        return recorder.result(nested=self._nested(presentation, now=now))

    def _skip_credentials(
        self, presentation: JsonObject, recorder: CheckRecorder
    ) -> VerificationResult:
        recorder.skip_rest(
            [(Stage.PROOF, f"verifiableCredential[{i}]") for i in range(len(_items(presentation)))],
            "the presentation's proof did not verify",
        )
        return recorder.result()

    def _nested(
        self, presentation: JsonObject, *, now: datetime | None
    ) -> list[VerificationResult]:
        """Each credential of a verified presentation, embedded or enveloped."""
        nested = []
        for i, item in enumerate(_items(presentation)):
            if isinstance(item, dict) and item.get("type") == "EnvelopedVerifiableCredential":
                nested.append(self._enveloped(item, i, now=now))
                continue
            if isinstance(item, str):  # VC-JWT 1.1: a credential JWT inside ``vp``
                nested.append(self.verify_credential(item, now=now))
                continue
            nested.append(
                self.verify_credential(item if isinstance(item, dict) else {"value": item}, now=now)
            )
        return nested

    def _enveloped(
        self, item: JsonObject, index: int, *, now: datetime | None
    ) -> VerificationResult:
        """An ``EnvelopedVerifiableCredential``: its ``data:`` URL names the media type."""
        recorder = CheckRecorder(
            required=CREDENTIAL_STAGES, subject=f"verifiableCredential[{index}]"
        )

        def open_envelope() -> str | bytes:
            try:
                media_type, token = unenvelope(item, limits=self._jose_limits)
            except JoseMediaTypeError as exc:  # a format this verifier does not read
                raise CheckError(Code.MEDIA_TYPE_MISMATCH, exc.message, pointer="/id") from None
            except JoseError as exc:
                raise CheckFailed(Code.PARSING_ERROR, exc.message, pointer="/id") from None
            if media_type not in (*_MEDIA_JWT, *_MEDIA_SD_JWT, *_MEDIA_COSE):
                raise CheckError(
                    Code.MEDIA_TYPE_MISMATCH, f"enveloped media type {media_type}", pointer="/id"
                )
            return token

        token = recorder.run(
            Stage.PARSE, "envelope.data_url", open_envelope, spec="VC-JOSE-COSE §3"
        )
        if token is None:
            return recorder.result()
        return self.verify_credential(token, now=now)


def _within(data: str | bytes | JsonObject, max_bytes: int) -> bool:
    return isinstance(data, dict) or len(data) <= max_bytes


def _text(data: str | bytes | JsonObject) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8").strip()
    return data.strip() if isinstance(data, str) else ""


def _peek_jws(token: str) -> tuple[str | None, JsonObject]:
    """The ``typ`` and claims of a JWS, read without trusting them: only to choose which
    verification to run (which then decodes and checks everything itself)."""
    header_part, payload_part, _ = token.split(".", 2)
    header, claims = _b64_json(header_part), _b64_json(payload_part)
    typ = header.get("typ") if header else None
    return (typ if isinstance(typ, str) else None), claims


def _b64_json(part: str) -> JsonObject:
    try:
        value = loads(
            base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)),
            limits=DEFAULT_INPUT_LIMITS,
            what="JWS part",
        )
    except (StaffVCError, binascii.Error, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _cose_bytes(data: str | bytes | JsonObject) -> bytes:
    if isinstance(data, bytes) and data[:1] == bytes([_COSE_SIGN1_TAG]):
        return data
    text = _text(data)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CheckFailed(Code.PARSING_ERROR, "not base64url COSE") from None


def _items(presentation: JsonObject) -> list[JsonValue]:
    credentials = presentation.get("verifiableCredential", [])
    return credentials if isinstance(credentials, list) else [credentials]


def _expect(document: JsonObject, kind: DocumentKind | None) -> Envelope:
    envelope = check_envelope(document)
    if kind is not None and envelope.kind is not kind:
        raise CheckFailed(Code.MALFORMED_VALUE_ERROR, f"expected a {kind.value}", pointer="/type")
    return envelope
