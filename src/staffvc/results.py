"""Verification results: one coded check per step, one function that decides the verdict.

Verifying untrusted input never raises and never reports VALID when a step failed or could
not run. Every verifier in staffvc records :class:`Check` objects (through a
:class:`CheckRecorder`, which turns unexpected exceptions into ERROR checks) and the verdict
is computed by :func:`fold_verdict` alone, here, from those checks:

- any FAILED check, or any INVALID nested result, gives INVALID;
- otherwise any ERROR check, any INDETERMINATE nested result, a required stage without a
  PASSED check, or no PASSED check at all, gives INDETERMINATE;
- otherwise VALID.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Iterable, Sequence
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

__all__ = [
    "Check",
    "CheckError",
    "CheckFailed",
    "CheckRecorder",
    "Code",
    "Outcome",
    "Stage",
    "Verdict",
    "VerificationResult",
    "fold_verdict",
]

_T = TypeVar("_T")


class Verdict(StrEnum):
    """What a verification concluded."""

    VALID = "VALID"
    INVALID = "INVALID"
    INDETERMINATE = "INDETERMINATE"
    """The verifier could not decide: a step could not run (unknown cryptosuite, status list
    unreachable, DID not resolvable). Never to be treated as VALID."""


class Outcome(StrEnum):
    """What one check found."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    """The check ran and the input is bad."""
    ERROR = "ERROR"
    """The check could not run to a conclusion."""
    SKIPPED = "SKIPPED"
    """The check did not run (for example because an earlier stage failed)."""


class Stage(StrEnum):
    """Pipeline stages, in the order a verifier runs them."""

    PARSE = "PARSE"
    SCHEMA = "SCHEMA"
    PROOF = "PROOF"
    PURPOSE = "PURPOSE"
    VALIDITY = "VALIDITY"
    STATUS = "STATUS"
    HOLDER_BINDING = "HOLDER_BINDING"
    TRUST = "TRUST"
    POLICY = "POLICY"


_VCDM = "https://www.w3.org/TR/vc-data-model#"
_DI = "https://w3id.org/security#"
_BSL = "https://www.w3.org/ns/credentials/status-list#"
_CID = "https://www.w3.org/TR/cid-1.0/#"
_STAFFVC = "urn:staffvc:problem:"


class Code(StrEnum):
    """Machine codes of failed checks: a public contract (add members, never rename).

    The specifications' own names are used where they exist; staffvc's own codes fill the
    places where the specifications are silent.
    """

    # VC Data Model 2.0 §7.2
    PARSING_ERROR = "PARSING_ERROR"
    CRYPTOGRAPHIC_SECURITY_ERROR = "CRYPTOGRAPHIC_SECURITY_ERROR"
    MALFORMED_VALUE_ERROR = "MALFORMED_VALUE_ERROR"
    RANGE_ERROR = "RANGE_ERROR"
    # Data Integrity 1.0 §4.7
    PROOF_GENERATION_ERROR = "PROOF_GENERATION_ERROR"
    PROOF_VERIFICATION_ERROR = "PROOF_VERIFICATION_ERROR"
    PROOF_TRANSFORMATION_ERROR = "PROOF_TRANSFORMATION_ERROR"
    MALFORMED_PROOF_ERROR = "MALFORMED_PROOF_ERROR"
    MISMATCHED_PROOF_PURPOSE_ERROR = "MISMATCHED_PROOF_PURPOSE_ERROR"
    INVALID_DOMAIN_ERROR = "INVALID_DOMAIN_ERROR"
    INVALID_CHALLENGE_ERROR = "INVALID_CHALLENGE_ERROR"
    DATA_LOSS_DETECTION_ERROR = "DATA_LOSS_DETECTION_ERROR"
    # Bitstring Status List 1.0 §3.5
    STATUS_RETRIEVAL_ERROR = "STATUS_RETRIEVAL_ERROR"
    STATUS_VERIFICATION_ERROR = "STATUS_VERIFICATION_ERROR"
    STATUS_LIST_LENGTH_ERROR = "STATUS_LIST_LENGTH_ERROR"
    # Controlled Identifiers 1.0 §3.3
    INVALID_VERIFICATION_METHOD_URL = "INVALID_VERIFICATION_METHOD_URL"
    INVALID_CONTROLLED_IDENTIFIER_DOCUMENT = "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"
    INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID = "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID"
    INVALID_VERIFICATION_METHOD = "INVALID_VERIFICATION_METHOD"
    INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD = "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD"
    # staffvc's own, where the specifications are silent
    DID_RESOLUTION_ERROR = "DID_RESOLUTION_ERROR"
    UNKNOWN_CRYPTOSUITE = "UNKNOWN_CRYPTOSUITE"
    UNSUPPORTED_ALGORITHM = "UNSUPPORTED_ALGORITHM"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    CREDENTIAL_NOT_YET_VALID = "CREDENTIAL_NOT_YET_VALID"
    CREDENTIAL_EXPIRED = "CREDENTIAL_EXPIRED"
    CREDENTIAL_REVOKED = "CREDENTIAL_REVOKED"
    CREDENTIAL_SUSPENDED = "CREDENTIAL_SUSPENDED"
    SCHEMA_VALIDATION_ERROR = "SCHEMA_VALIDATION_ERROR"
    CONTROLLER_MISMATCH = "CONTROLLER_MISMATCH"
    """The proof's key is not controlled by the issuer (or holder) the document names."""
    HOLDER_BINDING_ERROR = "HOLDER_BINDING_ERROR"
    ISSUER_NOT_TRUSTED = "ISSUER_NOT_TRUSTED"
    POLICY_NOT_MET = "POLICY_NOT_MET"
    NOT_CHECKED = "NOT_CHECKED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    UNKNOWN_STATUS_TYPE = "UNKNOWN_STATUS_TYPE"
    """A credentialStatus (or status claim) of a type the verifier cannot check."""
    UNSUPPORTED_HEADER = "UNSUPPORTED_HEADER"
    """A JOSE/COSE header staffvc refuses: ``crit`` not understood, ``b64: false``,
    ``jku``/``x5u``/``x5c``, an embedded key that is not the verification method's."""
    MEDIA_TYPE_MISMATCH = "MEDIA_TYPE_MISMATCH"
    """A JOSE/COSE ``typ``/``cty`` (or an envelope's media type) is not the expected one."""
    CLAIM_MISMATCH = "CLAIM_MISMATCH"
    """A JWT claim contradicts the credential it secures (``iss`` vs ``issuer``, ...)."""
    INVALID_DISCLOSURE = "INVALID_DISCLOSURE"
    """An SD-JWT disclosure of the wrong shape, naming ``_sd``/``...``, colliding with a
    claim, placed where its kind does not fit, or disclosing a claim that must stay plain."""
    UNREFERENCED_DISCLOSURE = "UNREFERENCED_DISCLOSURE"
    """An SD-JWT disclosure that no digest refers to (tampered, foreign, or orphaned)."""
    DUPLICATE_DIGEST = "DUPLICATE_DIGEST"
    """An SD-JWT digest found twice, or the same disclosure sent twice (RFC 9901 §7.1)."""
    UNKNOWN_SCHEMA = "UNKNOWN_SCHEMA"
    """A ``credentialSchema`` that is not one of the bundled schemas (staffvc never fetches
    schemas), or of a type it cannot check: the schema check could not run."""

    @property
    def type_url(self) -> str:
        """The problem-type URI of this code (RFC 9457 ``type``)."""
        return _NAMESPACE.get(self, _STAFFVC) + self.value


_NAMESPACE: dict[Code, str] = {
    **dict.fromkeys((Code.PARSING_ERROR, Code.CRYPTOGRAPHIC_SECURITY_ERROR), _VCDM),
    **dict.fromkeys((Code.MALFORMED_VALUE_ERROR, Code.RANGE_ERROR), _VCDM),
    **dict.fromkeys(
        (
            Code.PROOF_GENERATION_ERROR,
            Code.PROOF_VERIFICATION_ERROR,
            Code.PROOF_TRANSFORMATION_ERROR,
            Code.MALFORMED_PROOF_ERROR,
            Code.MISMATCHED_PROOF_PURPOSE_ERROR,
            Code.INVALID_DOMAIN_ERROR,
            Code.INVALID_CHALLENGE_ERROR,
            Code.DATA_LOSS_DETECTION_ERROR,
        ),
        _DI,
    ),
    **dict.fromkeys(
        (
            Code.STATUS_RETRIEVAL_ERROR,
            Code.STATUS_VERIFICATION_ERROR,
            Code.STATUS_LIST_LENGTH_ERROR,
        ),
        _BSL,
    ),
    **dict.fromkeys(
        (
            Code.INVALID_VERIFICATION_METHOD_URL,
            Code.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT,
            Code.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID,
            Code.INVALID_VERIFICATION_METHOD,
            Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD,
        ),
        _CID,
    ),
}


class Check(BaseModel):
    """One step of a verification and what it found.

    ``name`` says what was checked (stable, dotted: ``proof.signature``); ``code`` says what
    went wrong and is required for FAILED and ERROR. ``pointer`` is a JSON pointer into the
    received document; ``detail`` is for people and never holds secrets; ``spec`` cites the
    rule (for example ``VC-DATA-INTEGRITY §4.3``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: Stage
    name: str
    outcome: Outcome
    code: Code | None = None
    pointer: str = ""
    detail: str = ""
    spec: str = ""

    @model_validator(mode="after")
    def _code_matches_outcome(self) -> Check:
        if self.outcome in (Outcome.FAILED, Outcome.ERROR) and self.code is None:
            raise ValueError(f"a {self.outcome} check needs a code")
        if self.outcome is Outcome.PASSED and self.code is not None:
            raise ValueError("a PASSED check carries no code")
        return self

    @classmethod
    def passed(cls, stage: Stage, name: str, *, detail: str = "", spec: str = "") -> Check:
        return cls(stage=stage, name=name, outcome=Outcome.PASSED, detail=detail, spec=spec)

    @classmethod
    def failed(
        cls, stage: Stage, name: str, code: Code, detail: str, *, pointer: str = "", spec: str = ""
    ) -> Check:
        """The check ran and found the input bad."""
        return cls._coded(Outcome.FAILED, stage, name, code, detail, pointer, spec)

    @classmethod
    def error(
        cls, stage: Stage, name: str, code: Code, detail: str, *, pointer: str = "", spec: str = ""
    ) -> Check:
        """The check could not reach a conclusion."""
        return cls._coded(Outcome.ERROR, stage, name, code, detail, pointer, spec)

    @classmethod
    def _coded(
        cls,
        outcome: Outcome,
        stage: Stage,
        name: str,
        code: Code,
        detail: str,
        pointer: str,
        spec: str,
    ) -> Check:
        return cls(
            stage=stage,
            name=name,
            outcome=outcome,
            code=code,
            detail=detail,
            pointer=pointer,
            spec=spec,
        )

    @classmethod
    def skipped(cls, stage: Stage, name: str, detail: str, *, code: Code | None = None) -> Check:
        return cls(stage=stage, name=name, outcome=Outcome.SKIPPED, code=code, detail=detail)


def fold_verdict(
    checks: Iterable[Check],
    *,
    required: Collection[Stage],
    nested: Iterable[Verdict] = (),
) -> Verdict:
    """The single place where checks become a verdict (see the module docstring)."""
    checks = tuple(checks)
    nested = tuple(nested)
    if any(c.outcome is Outcome.FAILED for c in checks) or Verdict.INVALID in nested:
        return Verdict.INVALID
    if any(c.outcome is Outcome.ERROR for c in checks) or Verdict.INDETERMINATE in nested:
        return Verdict.INDETERMINATE
    passed_stages = {c.stage for c in checks if c.outcome is Outcome.PASSED}
    if not passed_stages or not set(required) <= passed_stages:
        return Verdict.INDETERMINATE
    return Verdict.VALID


class VerificationResult(BaseModel):
    """The outcome of verifying one credential or presentation.

    ``verdict`` is derived from ``checks``, ``required_stages`` and ``nested`` (the results of
    credentials inside a presentation) by :func:`fold_verdict`; it cannot be set. There is
    deliberately no truth value: write ``result.ok`` or compare ``result.verdict``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str = ""
    """What was verified, for people: a credential id, or "presentation"."""
    checks: tuple[Check, ...]
    required_stages: tuple[Stage, ...]
    nested: tuple[VerificationResult, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verdict(self) -> Verdict:
        return fold_verdict(
            self.checks,
            required=self.required_stages,
            nested=(n.verdict for n in self.nested),
        )

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.VALID

    def __bool__(self) -> bool:
        raise TypeError("a VerificationResult has no truth value; use result.ok or result.verdict")

    def codes(self) -> list[Code]:
        """Codes of FAILED and ERROR checks, here and in nested results, in order."""
        found = [c.code for c in self.checks if c.code and c.outcome in _BAD]
        for n in self.nested:
            found.extend(n.codes())
        return found

    def explain(self) -> str:
        """A plain-text table of every check, for terminals and logs."""
        lines = [f"{self.subject or 'result'}: {self.verdict}"]
        for c in self.checks:
            code = f" [{c.code}]" if c.code else ""
            where = f" at {c.pointer}" if c.pointer else ""
            detail = f": {c.detail}" if c.detail else ""
            lines.append(f"  {c.outcome:<7} {c.stage:<14} {c.name}{code}{where}{detail}")
        for n in self.nested:
            lines.extend("  " + line for line in n.explain().splitlines())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(v))}</td>"
                for v in (c.outcome, c.stage, c.name, c.code or "", c.pointer, c.detail)
            )
            + "</tr>"
            for c in self.checks
        )
        nested = "".join(n._repr_html_() for n in self.nested)
        return (
            f"<div><strong>{html.escape(self.subject or 'result')}: {self.verdict}</strong>"
            "<table><tr><th>outcome</th><th>stage</th><th>check</th><th>code</th>"
            f"<th>pointer</th><th>detail</th></tr>{rows}</table>{nested}</div>"
        )

    def to_problem_details(self) -> list[dict[str, str]]:
        """RFC 9457 problem details, one per FAILED or ERROR check (nested ones included)."""
        problems = [
            {
                "type": c.code.type_url,
                "title": c.code.value,
                "detail": c.detail,
                "instance": c.pointer,
                "check": c.name,
            }
            for c in self.checks
            if c.code and c.outcome in _BAD
        ]
        for n in self.nested:
            problems.extend(n.to_problem_details())
        return problems


_BAD = (Outcome.FAILED, Outcome.ERROR)


class CheckRecorder:
    """Collects checks for one verification and keeps exceptions from escaping.

    ``run`` calls a step; the step returns a value and the recorder appends a PASSED check,
    or the step raises :class:`CheckFailed` / :class:`CheckError` to record a coded
    FAILED / ERROR check. Any other exception becomes an ERROR check with
    ``INTERNAL_ERROR``: a bug in a step must never turn into VALID, nor into a traceback for
    the caller.
    """

    def __init__(self, *, required: Sequence[Stage], subject: str = "") -> None:
        self._checks: list[Check] = []
        self._required = tuple(required)
        self._subject = subject

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(self._checks)

    @property
    def required(self) -> tuple[Stage, ...]:
        """The stages that must each have a PASSED check, as named so far."""
        return self._required

    def require(self, stages: Sequence[Stage], *, subject: str | None = None) -> None:
        """Name the stages that must pass, once the verifier knows what it is verifying."""
        self._required = tuple(stages)
        if subject is not None:
            self._subject = subject

    def add(self, check: Check) -> None:
        self._checks.append(check)

    def run(self, stage: Stage, name: str, step: Callable[[], _T], *, spec: str = "") -> _T | None:
        """Run ``step`` as check ``name``; its return value, or None if it did not pass."""
        try:
            value = step()
        except CheckFailed as exc:
            self.add(
                Check.failed(stage, name, exc.code, exc.detail, pointer=exc.pointer, spec=spec)
            )
            return None
        except CheckError as exc:
            self.add(Check.error(stage, name, exc.code, exc.detail, pointer=exc.pointer, spec=spec))
            return None
        except Exception as exc:  # noqa: BLE001 - the point: nothing escapes a check
            detail = f"unexpected {type(exc).__name__} while checking"
            self.add(Check.error(stage, name, Code.INTERNAL_ERROR, detail, spec=spec))
            return None
        self.add(Check.passed(stage, name, spec=spec))
        return value

    def fail(self, stage: Stage, name: str, code: Code, detail: str) -> None:
        """Record a check that failed without running a step (the input settles it)."""
        self.add(Check.failed(stage, name, code, detail))

    def error(self, stage: Stage, name: str, code: Code, detail: str) -> None:
        """Record a check that could not run (for example, a step not supported)."""
        self.add(Check.error(stage, name, code, detail))

    def skip_rest(self, stages: Iterable[tuple[Stage, str]], reason: str) -> None:
        """Record checks that will not run because an earlier one failed."""
        for stage, name in stages:
            self.add(Check.skipped(stage, name, reason, code=Code.NOT_CHECKED))

    def result(self, *, nested: Iterable[VerificationResult] = ()) -> VerificationResult:
        return VerificationResult(
            subject=self._subject,
            checks=self.checks,
            required_stages=self._required,
            nested=tuple(nested),
        )


class CheckFailed(Exception):  # noqa: N818 - a signal inside CheckRecorder.run, not an error
    """Raised inside a step: the input is bad (FAILED)."""

    def __init__(self, code: Code, detail: str, *, pointer: str = "") -> None:
        super().__init__(detail)
        self.code, self.detail, self.pointer = code, detail, pointer


class CheckError(Exception):
    """Raised inside a step: the check could not reach a conclusion (ERROR)."""

    def __init__(self, code: Code, detail: str, *, pointer: str = "") -> None:
        super().__init__(detail)
        self.code, self.detail, self.pointer = code, detail, pointer
