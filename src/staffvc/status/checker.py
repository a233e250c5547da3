"""The verifier's status check: read each status entry of a credential from its list.

:class:`StatusChecker` implements Bitstring Status List v1.0 §3.2 (Validate Algorithm) for
``BitstringStatusListEntry`` and ``StatusList2021Entry`` entries, and the Token Status List
validation for the ``status`` claim of SD-JWT VC payloads. Every step is a coded check in
the caller's :class:`~staffvc.results.CheckRecorder`, all in :attr:`Stage.STATUS`:

- the list could not be fetched: ERROR ``STATUS_RETRIEVAL_ERROR``;
- the list credential did not verify (the injected ``verify_list_credential`` gave INVALID /
  INDETERMINATE): FAILED / ERROR ``STATUS_VERIFICATION_ERROR``;
- it was issued by someone other than the credential's issuer, its purpose or statusSize
  does not match the entry's: FAILED ``STATUS_VERIFICATION_ERROR``; it is outside its
  validity period at ``now`` (stale: a fresh copy may settle it): ERROR
  ``STATUS_VERIFICATION_ERROR``;
- it is shorter than the minimum: FAILED ``STATUS_LIST_LENGTH_ERROR``; the index is outside
  it: FAILED ``RANGE_ERROR``; a malformed entry or list: FAILED ``MALFORMED_VALUE_ERROR``;
- revoked: FAILED ``CREDENTIAL_REVOKED``; suspended: FAILED ``CREDENTIAL_SUSPENDED``;
  message and refresh purposes are reported, not failures; an entry of an unknown type is
  ERROR ``UNKNOWN_STATUS_TYPE`` (the credential is then INDETERMINATE, never VALID).

The checker sits below the Verifier, so the Verifier injects its own credential
verification; a verified list is reused for ``reverify_after`` while its bytes are the same.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict

from staffvc.errors import (
    LimitExceededError,
    MalformedStatusError,
    StaffVCError,
    StatusListLengthError,
    UnsupportedStatusTypeError,
)
from staffvc.proofs.jose.jws import JoseError
from staffvc.results import (
    Check,
    CheckError,
    CheckFailed,
    CheckRecorder,
    Code,
    Stage,
    Verdict,
    VerificationResult,
)
from staffvc.safejson import JsonObject, JsonValue
from staffvc.status.bitstring import DEFAULT_DECODE_LIMITS, MIN_LIST_LENGTH, Bitstring, DecodeLimits
from staffvc.status.entry import KNOWN_PURPOSES, EntryType, StatusEntry, parse_status_entry
from staffvc.status.list_credential import (
    BSL_LIST_TYPE,
    SL2021_LIST_TYPE,
    StatusListView,
    read_status_list,
)
from staffvc.status.source import StatusListDocument, StatusListSource
from staffvc.status.token_status_list import (
    STATUS_INVALID,
    STATUS_SUSPENDED,
    STATUS_VALID,
    StatusListTokenView,
    TokenStatusList,
    read_status_claim,
    read_status_list_token,
    token_status_name,
)

__all__ = [
    "DEFAULT_CHECK_LIMITS",
    "EntryStatus",
    "StatusCheckLimits",
    "StatusChecker",
    "StatusResult",
    "VerifyListCredential",
]

VerifyListCredential: TypeAlias = "Callable[[JsonObject | str], VerificationResult]"
"""Verifies a status list credential (JSON) or Status List Token (compact JWT): proofs or
signature, issuer keys, structure. Injected by the Verifier."""

_T = TypeVar("_T")
_BSL = "BSL §3.2"
_TSL = "draft-ietf-oauth-status-list §8.3"
_STEPS = (
    "retrieve",
    "list_proof",
    "list",
    "list_issuer",
    "list_validity",
    "purpose",
    "size",
    "decode",
    "index",
    "value",
)
_TOKEN_POINTER = "/status/status_list"  # noqa: S105 - a JSON pointer, not a secret


@dataclass(frozen=True, slots=True)
class StatusCheckLimits:
    """Caps for status checking (all outside input)."""

    decode: DecodeLimits = DEFAULT_DECODE_LIMITS
    """Caps on each encoded list (size, GZIP/ZLIB output)."""
    min_list_length: int = MIN_LIST_LENGTH
    """Fewest entries a Bitstring / StatusList2021 list may have (herd privacy)."""
    max_entries: int = 16
    """Most status entries checked for one credential."""
    max_cached_lists: int = 128
    """Verified, decoded lists kept for reuse."""
    reverify_after: timedelta = timedelta(minutes=5)
    """How long a verified list (the same bytes) is trusted before it is verified again."""


DEFAULT_CHECK_LIMITS = StatusCheckLimits()


class EntryStatus(BaseModel):
    """What one status entry said, or that it could not be read (``checked=False``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pointer: str
    """JSON pointer of the entry in the credential."""
    type: str
    purpose: str | None = None
    list_url: str | None = None
    index: int | None = None
    checked: bool = False
    """The status value was read from a verified list."""
    status: int | None = None
    message: str | None = None
    revoked: bool | None = None
    suspended: bool | None = None
    list_result: VerificationResult | None = None
    """The verification of the list credential, when one ran."""


class StatusResult(BaseModel):
    """The status of a credential. "The check ran" (``checked``) and "revoked" are separate:
    ``revoked`` is True when an entry says so, False only when every entry was read and
    one of them is a revocation entry that is clear, and None otherwise (unknown or not
    applicable). ``suspended`` likewise."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checked: bool
    revoked: bool | None
    suspended: bool | None
    messages: tuple[str, ...] = ()
    entries: tuple[EntryStatus, ...] = ()


@dataclass
class _ListState:
    digest: bytes
    result: VerificationResult
    verified_at: datetime
    decoded: dict[tuple[str, int], Bitstring | TokenStatusList] = field(default_factory=dict)
    view: StatusListView | StatusListTokenView | None = None


@dataclass
class _Entry:
    """Mutable working record of one entry while its checks run."""

    pointer: str
    type: str
    purpose: str | None = None
    list_url: str | None = None
    index: int | None = None
    status: int | None = None
    message: str | None = None
    revoked: bool | None = None
    suspended: bool | None = None
    list_result: VerificationResult | None = None

    def done(self, *, checked: bool) -> EntryStatus:
        return EntryStatus(
            pointer=self.pointer,
            type=self.type,
            purpose=self.purpose,
            list_url=self.list_url,
            index=self.index,
            checked=checked,
            status=self.status if checked else None,
            message=self.message if checked else None,
            revoked=self.revoked if checked else None,
            suspended=self.suspended if checked else None,
            list_result=self.list_result,
        )


class StatusChecker:
    """Checks credential status against lists from ``source``. Thread-safe.

    ``verify_list_credential`` verifies each list credential (or Status List Token); only a
    VALID result is accepted. A list must be issued by the credential's issuer, or by one of
    ``delegated_issuers[issuer]`` (BSL §2.2 lets an issuer delegate its lists; the verifier
    decides whom to trust for that).
    """

    def __init__(
        self,
        source: StatusListSource,
        *,
        verify_list_credential: VerifyListCredential,
        limits: StatusCheckLimits = DEFAULT_CHECK_LIMITS,
        delegated_issuers: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        self._source = source
        self._verify = verify_list_credential
        self._limits = limits
        self._delegated = {k: frozenset(v) for k, v in (delegated_issuers or {}).items()}
        self._lists: OrderedDict[str, _ListState] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"StatusChecker({self._source!r})"

    def check(
        self, credential: JsonObject, recorder: CheckRecorder, *, now: datetime
    ) -> StatusResult:
        """Check every status entry of ``credential`` at ``now``, recording checks.

        A credential without ``credentialStatus`` (or ``status`` claim) records nothing and
        gives ``checked=False``. Never raises on bad input.
        """
        received: object = credential  # typed as an object, but it came from outside
        if not isinstance(received, dict):
            recorder.add(
                _failed("status.present", Code.PARSING_ERROR, "a credential is a JSON object", "")
            )
            return StatusResult(checked=False, revoked=None, suspended=None)
        issuer = _issuer_of(credential)
        found: list[tuple[str, JsonValue, bool]] = []
        if "credentialStatus" in credential:
            raw = credential["credentialStatus"]
            if isinstance(raw, list):
                found.extend((f"/credentialStatus/{i}", item, False) for i, item in enumerate(raw))
                if not raw:
                    recorder.add(
                        _failed(
                            "status.present",
                            Code.MALFORMED_VALUE_ERROR,
                            "credentialStatus is an empty list",
                            "/credentialStatus",
                        )
                    )
                    return StatusResult(checked=False, revoked=None, suspended=None)
            else:
                found.append(("/credentialStatus", raw, False))
        if "status" in credential and "credentialStatus" not in credential:
            found.append((_TOKEN_POINTER, credential["status"], True))
        if not found:
            return StatusResult(checked=False, revoked=None, suspended=None)
        if len(found) > self._limits.max_entries:
            recorder.error(
                Stage.STATUS,
                "status.entries",
                Code.LIMIT_EXCEEDED,
                f"{len(found)} status entries; the limit is {self._limits.max_entries}",
            )
            return StatusResult(checked=False, revoked=None, suspended=None)
        entries: list[EntryStatus] = []
        for i, (pointer, raw_entry, token) in enumerate(found):
            name = f"status[{i}]"
            if token:
                entries.append(self._token_entry(raw_entry, name, issuer, recorder, now))
            else:
                entries.append(self._list_entry(raw_entry, pointer, name, issuer, recorder, now))
        return _summarise(entries)

    # --- Bitstring Status List and StatusList2021 ----------------------------------------

    def _list_entry(
        self,
        raw: JsonValue,
        pointer: str,
        name: str,
        issuer: str | None,
        recorder: CheckRecorder,
        now: datetime,
    ) -> EntryStatus:
        kind = raw.get("type") if isinstance(raw, dict) else None
        work = _Entry(pointer=pointer, type=kind if isinstance(kind, str) else "")
        runner = _Runner(recorder, name, pointer)

        def parse() -> StatusEntry:
            try:
                return parse_status_entry(raw)
            except UnsupportedStatusTypeError as exc:
                raise CheckError(
                    Code.UNKNOWN_STATUS_TYPE, exc.message, pointer=f"{pointer}/type"
                ) from None
            except MalformedStatusError as exc:
                raise CheckFailed(
                    Code.MALFORMED_VALUE_ERROR, exc.message, pointer=pointer
                ) from None

        entry = runner.run("entry", parse, _BSL)
        if entry is None:
            return runner.stop(work)
        work.purpose, work.list_url, work.index = entry.purpose, entry.list_url, entry.index
        runner.final = entry.purpose if entry.purpose in KNOWN_PURPOSES else "value"
        document = runner.run("retrieve", lambda: self._retrieve(entry.list_url, now), _BSL)
        if document is None:
            return runner.stop(work)
        state = runner.run(
            "list_proof", lambda: self._verified(entry.list_url, document, now, work), _BSL
        )
        if state is None:
            return runner.stop(work)
        view = runner.run("list", lambda: _read_list(state, document, entry), "BSL §2.2")
        if view is None:
            return runner.stop(work)
        steps: list[tuple[str, Callable[[], object], str]] = [
            ("list_issuer", lambda: self._same_issuer(view.issuer, issuer), "BSL §2.2"),
            (
                "list_validity",
                lambda: _in_period(view.valid_from, view.valid_until, now),
                "BSL §7.2",
            ),
            ("purpose", lambda: _purpose_matches(entry, view), _BSL),
            ("size", lambda: _size_matches(entry, view), "BSL §2.1"),
        ]
        for step_name, step, spec in steps:
            if runner.run(step_name, step, spec) is None:
                return runner.stop(work)
        bitstring = runner.run(
            "decode", lambda: self._decode_bitstring(state, view, entry), "BSL §3.4"
        )
        if bitstring is None:
            return runner.stop(work)
        value = runner.run("index", lambda: _read_bitstring(bitstring, entry), _BSL)
        if value is None:
            return runner.stop(work)
        work.status = value
        if entry.purpose == "revocation":
            work.revoked = value != 0
        elif entry.purpose == "suspension":
            work.suspended = value != 0
        else:
            text = _message_for(entry, view, value)
            work.message = text if entry.purpose == "message" else f"{entry.purpose}: {text}"
        runner.run(runner.final, lambda: _judge_purpose(entry, value), _BSL)
        return work.done(checked=True)

    def _retrieve(self, url: str, now: datetime) -> StatusListDocument:
        try:
            document = self._source.get(url, now=now)
        except StaffVCError as exc:
            raise CheckError(Code.STATUS_RETRIEVAL_ERROR, exc.message) from None
        if not isinstance(document, dict | str):
            raise CheckError(Code.STATUS_RETRIEVAL_ERROR, "the source returned no document")
        return document

    def _verified(
        self, url: str, document: StatusListDocument, now: datetime, work: _Entry
    ) -> _ListState:
        digest = _digest(document)
        with self._lock:
            state = self._lists.get(url)
            if state is not None and state.digest == digest:
                age = now - state.verified_at
                if timedelta(0) <= age <= self._limits.reverify_after:
                    self._lists.move_to_end(url)
                    work.list_result = state.result
                    return state
        # A list credential that itself carries a status entry leads the injected verifier
        # back here; a list that (directly or not) depends on itself is refused, not looped.
        active: set[str] = getattr(self._local, "active", set())
        if url in active:
            raise CheckError(
                Code.STATUS_VERIFICATION_ERROR, "the status list's verification depends on itself"
            )
        self._local.active = active | {url}
        try:
            result = self._verify(document)
        finally:
            self._local.active = active
        work.list_result = result
        if result.verdict is Verdict.VALID:
            state = _ListState(digest=digest, result=result, verified_at=now)
            if self._limits.max_cached_lists > 0:
                with self._lock:
                    self._lists[url] = state
                    self._lists.move_to_end(url)
                    while len(self._lists) > self._limits.max_cached_lists:
                        self._lists.popitem(last=False)
            return state
        codes = ", ".join(dict.fromkeys(c.value for c in result.codes())) or "no passed checks"
        detail = f"the status list did not verify: {result.verdict.value} ({codes})"
        if result.verdict is Verdict.INVALID:
            raise CheckFailed(Code.STATUS_VERIFICATION_ERROR, detail)
        raise CheckError(Code.STATUS_VERIFICATION_ERROR, detail)

    def _same_issuer(self, list_issuer: str | None, issuer: str | None) -> bool:
        if issuer is None:
            raise CheckFailed(
                Code.STATUS_VERIFICATION_ERROR, "the credential names no issuer to compare"
            )
        if list_issuer == issuer or list_issuer in self._delegated.get(issuer, ()):
            return True
        raise CheckFailed(
            Code.STATUS_VERIFICATION_ERROR,
            f"the status list is issued by {list_issuer}, not by the credential's issuer",
        )

    def _decode_bitstring(
        self, state: _ListState, view: StatusListView, entry: StatusEntry
    ) -> Bitstring:
        key = ("bitstring", entry.status_size)
        cached = state.decoded.get(key)
        if isinstance(cached, Bitstring):
            return cached
        try:
            bitstring = Bitstring.decode(
                view.encoded_list,
                status_size=entry.status_size,
                limits=self._limits.decode,
                min_length=self._limits.min_list_length,
                legacy_base64=view.legacy,
            )
        except StatusListLengthError as exc:
            raise CheckFailed(Code.STATUS_LIST_LENGTH_ERROR, exc.message) from None
        except LimitExceededError as exc:
            raise CheckError(Code.LIMIT_EXCEEDED, exc.message) from None
        except MalformedStatusError as exc:
            raise CheckFailed(Code.MALFORMED_VALUE_ERROR, exc.message) from None
        state.decoded[key] = bitstring
        return bitstring

    # --- Token Status List ---------------------------------------------------------------

    def _token_entry(
        self,
        raw: JsonValue,
        name: str,
        issuer: str | None,
        recorder: CheckRecorder,
        now: datetime,
    ) -> EntryStatus:
        pointer = _TOKEN_POINTER
        work = _Entry(pointer=pointer, type="status_list")
        runner = _Runner(recorder, name, pointer)

        def parse() -> tuple[str, int]:
            if isinstance(raw, dict) and "status_list" not in raw:
                kinds = ", ".join(sorted(raw)) or "nothing"
                raise CheckError(
                    Code.UNKNOWN_STATUS_TYPE, f"status claim holds {kinds}", pointer="/status"
                )
            try:
                return read_status_claim(raw)
            except MalformedStatusError as exc:
                raise CheckFailed(
                    Code.MALFORMED_VALUE_ERROR, exc.message, pointer="/status"
                ) from None

        found = runner.run("entry", parse, _TSL)
        if found is None:
            return runner.stop(work)
        uri, idx = found
        work.list_url, work.index = uri, idx
        document = runner.run("retrieve", lambda: self._retrieve(uri, now), _TSL)
        if document is None:
            return runner.stop(work)
        state = runner.run("list_proof", lambda: self._verified(uri, document, now, work), _TSL)
        if state is None:
            return runner.stop(work)
        view = runner.run("list", lambda: _read_token(state, document, uri), _TSL)
        if view is None:
            return runner.stop(work)
        steps: list[tuple[str, Callable[[], object], str]] = [
            ("list_issuer", lambda: self._same_issuer(_token_issuer(view), issuer), _TSL),
            ("list_validity", lambda: _in_period(view.issued_at, view.expires_at, now), _TSL),
        ]
        for step_name, step, spec in steps:
            if runner.run(step_name, step, spec) is None:
                return runner.stop(work)
        status_list = runner.run("decode", lambda: self._decode_token(state, view), _TSL)
        if status_list is None:
            return runner.stop(work)
        value = runner.run("index", lambda: _read_token_list(status_list, idx), _TSL)
        if value is None:
            return runner.stop(work)
        work.status = value
        work.message = token_status_name(value)
        work.revoked = value == STATUS_INVALID
        work.suspended = value == STATUS_SUSPENDED
        runner.run("value", lambda: _judge_token(value), _TSL)
        return work.done(checked=True)

    def _decode_token(self, state: _ListState, view: StatusListTokenView) -> TokenStatusList:
        key = ("token", 0)
        cached = state.decoded.get(key)
        if isinstance(cached, TokenStatusList):
            return cached
        try:
            status_list = TokenStatusList.decode(view.status_list, limits=self._limits.decode)
        except LimitExceededError as exc:
            raise CheckError(Code.LIMIT_EXCEEDED, exc.message) from None
        except MalformedStatusError as exc:
            raise CheckFailed(Code.MALFORMED_VALUE_ERROR, exc.message) from None
        state.decoded[key] = status_list
        return status_list


# --- steps -----------------------------------------------------------------------------------


class _Runner:
    """Runs the named steps of one entry; after a step that did not pass, the rest are
    recorded as SKIPPED."""

    def __init__(self, recorder: CheckRecorder, name: str, pointer: str) -> None:
        self._recorder = recorder
        self._name = name
        self._pointer = pointer
        self._done: list[str] = []
        self.final = "value"
        """The name the last step (reading the value) runs under, once known."""

    def run(self, step: str, call: Callable[[], _T], spec: str) -> _T | None:
        self._done.append(step)
        returned = False

        def pointed() -> _T:
            nonlocal returned
            try:
                value = call()
            except (CheckFailed, CheckError) as exc:
                if not exc.pointer:
                    exc.pointer = self._pointer
                raise
            returned = True
            return value

        value = self._recorder.run(Stage.STATUS, f"{self._name}.{step}", pointed, spec=spec)
        return value if returned else None

    def stop(self, work: _Entry) -> EntryStatus:
        steps = ("entry", *_STEPS[:-1], self.final)
        rest = [s for s in steps if s not in self._done]
        if rest:
            self._recorder.skip_rest(
                [(Stage.STATUS, f"{self._name}.{s}") for s in rest],
                "an earlier status check did not pass",
            )
        return work.done(checked=False)


def _read_list(
    state: _ListState, document: StatusListDocument, entry: StatusEntry
) -> StatusListView:
    if isinstance(state.view, StatusListView):
        view = state.view
    elif not isinstance(document, dict):
        raise CheckFailed(
            Code.STATUS_VERIFICATION_ERROR, "statusListCredential is not a JSON credential"
        )
    else:
        try:
            view = read_status_list(document)
        except UnsupportedStatusTypeError as exc:
            raise CheckFailed(Code.STATUS_VERIFICATION_ERROR, exc.message) from None
        except MalformedStatusError as exc:
            raise CheckFailed(Code.MALFORMED_VALUE_ERROR, exc.message) from None
        state.view = view
    wanted = BSL_LIST_TYPE if entry.type is EntryType.BITSTRING else SL2021_LIST_TYPE
    if view.list_type != wanted:
        raise CheckFailed(Code.STATUS_VERIFICATION_ERROR, f"a {entry.type.value} needs a {wanted}")
    return view


def _read_token(state: _ListState, document: StatusListDocument, uri: str) -> StatusListTokenView:
    if isinstance(state.view, StatusListTokenView):
        view = state.view
    elif not isinstance(document, str):
        raise CheckFailed(Code.STATUS_VERIFICATION_ERROR, "the status list is not a JWT")
    else:
        try:
            view = read_status_list_token(document)
        except MalformedStatusError as exc:
            raise CheckFailed(Code.MALFORMED_VALUE_ERROR, exc.message) from None
        except (JoseError, StaffVCError) as exc:
            raise CheckFailed(Code.STATUS_VERIFICATION_ERROR, exc.message) from None
        state.view = view
    if view.subject != uri:
        raise CheckFailed(
            Code.STATUS_VERIFICATION_ERROR, "the Status List Token's sub is not the claim's uri"
        )
    return view


def _token_issuer(view: StatusListTokenView) -> str | None:
    if view.issuer is not None:
        return view.issuer
    if view.kid is not None and view.kid.startswith("did:"):
        return view.kid.split("#", 1)[0]
    return None


def _in_period(start: datetime | None, end: datetime | None, now: datetime) -> bool:
    if start is not None and now < start:
        raise CheckError(
            Code.STATUS_VERIFICATION_ERROR,
            f"the status list is valid from {start.isoformat()}, checked at {now.isoformat()}",
        )
    if end is not None and now > end:
        raise CheckError(
            Code.STATUS_VERIFICATION_ERROR,
            f"the status list expired at {end.isoformat()}, checked at {now.isoformat()}",
        )
    return True


def _purpose_matches(entry: StatusEntry, view: StatusListView) -> bool:
    if entry.purpose not in view.purposes:
        raise CheckFailed(
            Code.STATUS_VERIFICATION_ERROR,
            f"the entry's statusPurpose {entry.purpose!r} is not one of the list's",
        )
    return True


def _size_matches(entry: StatusEntry, view: StatusListView) -> bool:
    if view.status_size is not None and view.status_size != entry.status_size:
        raise CheckFailed(
            Code.STATUS_VERIFICATION_ERROR,
            f"the entry's statusSize {entry.status_size} is not the list's {view.status_size}",
        )
    if view.messages and entry.messages and view.messages != entry.messages:
        raise CheckFailed(
            Code.STATUS_VERIFICATION_ERROR, "the entry's statusMessage differs from the list's"
        )
    return True


def _read_bitstring(bitstring: Bitstring, entry: StatusEntry) -> int:
    if entry.index >= bitstring.length:
        raise CheckFailed(
            Code.RANGE_ERROR,
            f"statusListIndex {entry.index} is outside the list of {bitstring.length} entries",
        )
    return bitstring.get(entry.index)


def _read_token_list(status_list: TokenStatusList, idx: int) -> int:
    if idx >= status_list.size:
        raise CheckFailed(
            Code.RANGE_ERROR, f"idx {idx} is outside the list of {status_list.size} entries"
        )
    return status_list.get(idx)


def _message_for(entry: StatusEntry, view: StatusListView, value: int) -> str:
    if not entry.messages and view.messages:
        for item in view.messages:
            if item.status == value:
                return item.message
    return entry.message_for(value)


def _judge_purpose(entry: StatusEntry, value: int) -> bool:
    if value and entry.purpose == "revocation":
        raise CheckFailed(Code.CREDENTIAL_REVOKED, "the issuer has revoked this credential")
    if value and entry.purpose == "suspension":
        raise CheckFailed(Code.CREDENTIAL_SUSPENDED, "the issuer has suspended this credential")
    return True


def _judge_token(value: int) -> bool:
    if value == STATUS_INVALID:
        raise CheckFailed(Code.CREDENTIAL_REVOKED, "the status list says INVALID (revoked)")
    if value == STATUS_SUSPENDED:
        raise CheckFailed(Code.CREDENTIAL_SUSPENDED, "the status list says SUSPENDED")
    if value != STATUS_VALID and 4 <= value <= 11:
        raise CheckError(
            Code.STATUS_VERIFICATION_ERROR, f"status {value:#04x} is reserved; cannot interpret it"
        )
    return True


def _issuer_of(credential: JsonObject) -> str | None:
    issuer = credential.get("issuer", credential.get("iss"))
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _digest(document: StatusListDocument) -> bytes:
    if isinstance(document, str):
        data = document.encode("utf-8")
    else:
        data = json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
    return hashlib.sha256(data).digest()


def _failed(name: str, code: Code, detail: str, pointer: str) -> Check:
    return Check.failed(Stage.STATUS, name, code, detail, pointer=pointer)


def _summarise(entries: list[EntryStatus]) -> StatusResult:
    all_checked = all(e.checked for e in entries)

    def fold(values: list[bool | None]) -> bool | None:
        if any(v is True for v in values):
            return True
        if all_checked and any(v is False for v in values):
            return False
        return None

    messages = tuple(e.message for e in entries if e.checked and e.message is not None)
    return StatusResult(
        checked=all_checked,
        revoked=fold([e.revoked for e in entries]),
        suspended=fold([e.suspended for e in entries]),
        messages=messages,
        entries=tuple(entries),
    )
