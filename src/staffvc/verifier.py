"""The Verifier: untrusted credentials and presentations in, a VerificationResult out.

It never raises on bad input and never reports VALID when a step failed or could not run:
every step is a coded check in a :class:`~staffvc.results.CheckRecorder`, and the verdict
comes from :func:`~staffvc.results.fold_verdict` alone.

Order (the lesson of ACA-Py CVE-2024-21669): a presentation's own proof, with its challenge
and domain, is checked first; if it fails, the credentials inside are not verified and are
recorded as SKIPPED. A credential is VALID only when its envelope, every proof, the proofs'
purposes and its validity period all pass. Steps this version cannot perform (status lists,
schemas, enveloped JOSE credentials) are recorded as ERROR when the document asks for them,
so such a credential is INDETERMINATE rather than silently VALID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from staffvc.clock import Clock, SystemClock
from staffvc.credentials import DocumentKind, Envelope, check_envelope, check_validity
from staffvc.did import DidResolver, Resolver
from staffvc.errors import StaffVCError
from staffvc.jsonld import BundledLoader, DocumentLoader
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import SUITES, Cryptosuite, verify_proofs
from staffvc.results import CheckError, CheckFailed, CheckRecorder, Code, Stage, VerificationResult
from staffvc.safejson import JsonLimits, JsonObject, JsonValue, loads

__all__ = ["CREDENTIAL_STAGES", "PRESENTATION_STAGES", "Verifier"]

CREDENTIAL_STAGES = (Stage.PARSE, Stage.PROOF, Stage.PURPOSE, Stage.VALIDITY)
"""Stages that must each have a PASSED check for a credential to be VALID."""
PRESENTATION_STAGES = (Stage.PARSE, Stage.PROOF, Stage.PURPOSE)

DEFAULT_INPUT_LIMITS = JsonLimits(max_bytes=1 << 20, max_depth=32)
_COMPACT = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2}(~[A-Za-z0-9_.~-]*)?|[A-Za-z0-9_-]{16,}")


class Verifier:
    """Verifies Data Integrity secured credentials and presentations.

    Everything it needs from outside is injected: ``resolver`` (default: did:key and did:jwk,
    offline), ``loader`` (default: the bundled, hash-pinned contexts), ``clock``.
    """

    def __init__(
        self,
        *,
        resolver: DidResolver | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        limits: JsonLimits = DEFAULT_INPUT_LIMITS,
        suites: Mapping[str, Cryptosuite] = SUITES,
    ) -> None:
        self._resolver = resolver or Resolver()
        self._loader = loader or BundledLoader()
        self._clock = clock or SystemClock()
        self._limits = limits
        self._suites = suites

    def verify(
        self,
        data: str | bytes | JsonObject,
        *,
        challenge: str | None,
        domain: str | None,
        now: datetime | None,
    ) -> VerificationResult:
        """Verify a credential or a presentation, whichever ``data`` is.

        A presentation needs ``challenge``; without one it fails with INVALID_CHALLENGE_ERROR.
        ``now`` overrides the clock for validity checks.
        """
        recorder = CheckRecorder(required=CREDENTIAL_STAGES, subject="document")
        opened = self._open(data, recorder, "document", None)
        if opened is None:
            return recorder.result()
        parsed, envelope = opened
        if envelope.kind is DocumentKind.PRESENTATION:
            recorder.require(PRESENTATION_STAGES, subject="presentation")
            return self._presentation(
                parsed, envelope, recorder, challenge=challenge, domain=domain, now=now
            )
        return self._credential(parsed, envelope, recorder, now=now)

    def verify_credential(
        self, credential: str | bytes | JsonObject, *, now: datetime | None
    ) -> VerificationResult:
        """Verify a credential; a presentation given here is refused (INVALID)."""
        recorder = CheckRecorder(required=CREDENTIAL_STAGES, subject="credential")
        opened = self._open(credential, recorder, "credential", DocumentKind.CREDENTIAL)
        if opened is None:
            return recorder.result()
        return self._credential(*opened, recorder, now=now)

    def verify_presentation(
        self,
        presentation: str | bytes | JsonObject,
        *,
        challenge: str,
        domain: str | None,
        now: datetime | None,
    ) -> VerificationResult:
        """Verify a presentation bound to ``challenge`` (and ``domain``) and its credentials."""
        recorder = CheckRecorder(required=PRESENTATION_STAGES, subject="presentation")
        opened = self._open(presentation, recorder, "presentation", DocumentKind.PRESENTATION)
        if opened is None:
            return recorder.result()
        return self._presentation(*opened, recorder, challenge=challenge, domain=domain, now=now)

    # --- internals ------------------------------------------------------------------------

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
        elif _looks_compact(data, self._limits.max_bytes):
            raise CheckError(
                Code.UNKNOWN_CRYPTOSUITE,
                "compact JWT / SD-JWT / COSE input: this version verifies Data Integrity only",
            )
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

    def _credential(
        self,
        credential: JsonObject,
        envelope: Envelope,
        recorder: CheckRecorder,
        *,
        now: datetime | None,
    ) -> VerificationResult:
        subject = credential.get("id")
        recorder.require(
            CREDENTIAL_STAGES, subject=subject if isinstance(subject, str) else "credential"
        )
        instant = self._now(now)
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
        if "credentialStatus" in credential:
            recorder.error(
                Stage.STATUS,
                "credential.status",
                Code.STATUS_RETRIEVAL_ERROR,
                _not_yet("status lists"),
            )
        if "credentialSchema" in credential:
            recorder.error(
                Stage.SCHEMA, "credential.schema", Code.SCHEMA_VALIDATION_ERROR, _not_yet("schemas")
            )
        return recorder.result()

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
        credentials = presentation.get("verifiableCredential", [])
        items = credentials if isinstance(credentials, list) else [credentials]
        if not ok:
            recorder.skip_rest(
                [(Stage.PROOF, f"verifiableCredential[{i}]") for i in range(len(items))],
                "the presentation's proof did not verify",
            )
            return recorder.result()
        nested = []
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("type") == "EnvelopedVerifiableCredential":
                recorder.error(
                    Stage.PROOF,
                    f"verifiableCredential[{i}]",
                    Code.UNKNOWN_CRYPTOSUITE,
                    _not_yet("enveloped (JOSE/COSE) credentials"),
                )
                continue
            nested.append(
                self.verify_credential(item if isinstance(item, dict) else {"value": item}, now=now)
            )
        return recorder.result(nested=nested)


def _looks_compact(data: str | bytes, max_bytes: int) -> bool:
    """A JWS / SD-JWT / base64url COSE text rather than JSON (checked within the size limit)."""
    if len(data) > max_bytes:
        return False
    text = data.strip() if isinstance(data, str) else data.strip().decode("latin-1")
    return bool(text) and text[0] not in "{[" and _COMPACT.fullmatch(text) is not None


def _expect(document: JsonObject, kind: DocumentKind | None) -> Envelope:
    envelope = check_envelope(document)
    if kind is not None and envelope.kind is not kind:
        raise CheckFailed(Code.MALFORMED_VALUE_ERROR, f"expected a {kind.value}", pointer="/type")
    return envelope


def _not_yet(what: str) -> str:
    return f"this verifier cannot check {what} yet"
