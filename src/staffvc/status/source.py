"""Where a verifier gets status lists from: a :class:`StatusListSource`.

The checker asks a source for the document at a list's URL: a status list credential (a
JSON object) or a Status List Token (a compact JWT). Two sources ship:

- :class:`InMemoryStatusListSource`, offline: lists are published into it (tests, demos,
  an issuer and verifier in one process, holder-stapled lists);
- :class:`HttpStatusListSource`, through an injected :class:`~staffvc.fetch.Fetcher`, with a
  cache that honours the list's ``ttl`` (milliseconds; seconds for a Status List Token) and
  never serves a list past its ``validUntil`` / ``exp``. Fetching a whole list, never one
  status, keeps the issuer from learning which credential is being checked (BSL §6).
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeAlias, runtime_checkable

from staffvc.clock import Clock, parse_datetime
from staffvc.errors import StaffVCError, StatusRetrievalError
from staffvc.fetch import Fetcher
from staffvc.proofs.jose.jws import decode_compact
from staffvc.safejson import JsonLimits, JsonObject, JsonValue, loads

__all__ = [
    "ACCEPT",
    "HttpStatusListSource",
    "InMemoryStatusListSource",
    "StatusListDocument",
    "StatusListSource",
]

StatusListDocument: TypeAlias = "JsonObject | str"
"""A status list credential (JSON object) or a Status List Token (compact JWT)."""

ACCEPT = (
    "application/vc+ld+json, application/vc, application/statuslist+jwt, application/json;q=0.5"
)


@runtime_checkable
class StatusListSource(Protocol):
    """Gets the status list document published at ``url``, as of ``now``.

    Raises :class:`~staffvc.errors.StatusRetrievalError` (or another
    :class:`~staffvc.errors.StaffVCError`) when it cannot.
    """

    def get(self, url: str, *, now: datetime) -> StatusListDocument: ...


class InMemoryStatusListSource:
    """An offline source: the documents published into it, nothing else. Thread-safe.

    Documents are copied in and out, so neither the publisher nor a reader can change what
    another reader sees.
    """

    def __init__(self, documents: dict[str, StatusListDocument] | None = None) -> None:
        self._documents: dict[str, tuple[bool, str]] = {}
        self._lock = threading.Lock()
        for url, document in (documents or {}).items():
            self.publish(url, document)

    def publish(self, url: str, document: StatusListDocument) -> None:
        """Serve ``document`` at ``url`` from now on (replacing what was there)."""
        if isinstance(document, str):
            stored = (False, document)
        elif isinstance(document, dict):
            # kept as JSON text: a fresh copy per reader costs one C-speed parse
            stored = (True, json.dumps(document, ensure_ascii=False, allow_nan=False))
        else:
            raise TypeError("a status list document is a JSON object or a compact JWT")
        with self._lock:
            self._documents[url] = stored

    put = publish

    def remove(self, url: str) -> None:
        with self._lock:
            self._documents.pop(url, None)

    def get(self, url: str, *, now: datetime) -> StatusListDocument:
        with self._lock:
            stored = self._documents.get(url)
        if stored is None:
            raise StatusRetrievalError(f"no status list is published at {url}")
        is_json, text = stored
        if not is_json:
            return text
        document: JsonObject = json.loads(text)
        return document

    def __repr__(self) -> str:
        return f"InMemoryStatusListSource({len(self._documents)} lists)"


@dataclass(frozen=True, slots=True)
class _Cached:
    document: StatusListDocument
    fresh_until: datetime
    """By the source's clock (real time since the fetch)."""
    valid_until: datetime | None
    """The list's own validUntil / exp (compared with the caller's ``now``)."""


class HttpStatusListSource:
    """Fetches status lists through ``fetcher`` and caches them. Thread-safe.

    A cached list is served while both hold: less than its ``ttl`` has passed since it was
    fetched (``default_ttl`` when the list states none, never more than ``max_ttl``), by
    ``clock``; and the caller's ``now`` is not past the list's ``validUntil`` (``exp``).
    ``max_bytes`` caps each response; ``max_cached`` caps how many lists are kept.
    """

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        clock: Clock,
        max_bytes: int = 1 << 20,
        default_ttl: timedelta = timedelta(minutes=5),
        max_ttl: timedelta = timedelta(days=1),
        max_cached: int = 256,
        max_depth: int = 32,
    ) -> None:
        if max_bytes <= 0 or max_cached < 0:
            raise ValueError("max_bytes must be positive and max_cached not negative")
        if default_ttl < timedelta(0) or max_ttl < timedelta(0):
            raise ValueError("TTLs cannot be negative")
        self._fetcher = fetcher
        self._clock = clock
        self._max_bytes = max_bytes
        self._default_ttl = default_ttl
        self._max_ttl = max_ttl
        self._max_cached = max_cached
        self._json_limits = JsonLimits(max_bytes=max_bytes, max_depth=max_depth)
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"HttpStatusListSource({self._fetcher!r}, cached={len(self._cache)})"

    def get(self, url: str, *, now: datetime) -> StatusListDocument:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None:
                if self._usable(cached, now):
                    self._cache.move_to_end(url)
                    return copy.deepcopy(cached.document)
                del self._cache[url]
        try:
            body = self._fetcher.fetch(url, accept=ACCEPT, max_bytes=self._max_bytes)
        except StaffVCError as exc:
            raise StatusRetrievalError(f"could not fetch the status list: {exc.message}") from exc
        document = self._parse(body, url)
        fetched_at = self._clock.now()
        entry = _Cached(
            document=document,
            fresh_until=fetched_at + min(self._ttl(document), self._max_ttl),
            valid_until=_valid_until(document),
        )
        if self._max_cached and entry.fresh_until > fetched_at and self._usable(entry, now):
            with self._lock:
                self._cache[url] = entry
                self._cache.move_to_end(url)
                while len(self._cache) > self._max_cached:
                    self._cache.popitem(last=False)
        return copy.deepcopy(document)

    def clear(self) -> None:
        """Forget every cached list."""
        with self._lock:
            self._cache.clear()

    def _usable(self, entry: _Cached, now: datetime) -> bool:
        if self._clock.now() >= entry.fresh_until:
            return False
        return entry.valid_until is None or now <= entry.valid_until

    def _parse(self, body: bytes, url: str) -> StatusListDocument:
        text = body.strip()
        if text.startswith(b"{"):
            try:
                value = loads(text, limits=self._json_limits, what="status list credential")
            except StaffVCError as exc:
                raise StatusRetrievalError(
                    f"{url} did not return usable JSON: {exc.message}"
                ) from exc
            if not isinstance(value, dict):
                raise StatusRetrievalError(f"{url} did not return a JSON object")
            return value
        try:
            token = text.decode("ascii")
        except UnicodeDecodeError:
            raise StatusRetrievalError(f"{url} returned neither JSON nor a JWT") from None
        if token.count(".") != 2:
            raise StatusRetrievalError(f"{url} returned neither JSON nor a JWT")
        return token

    def _ttl(self, document: StatusListDocument) -> timedelta:
        ttl = _stated_ttl(document)
        return self._default_ttl if ttl is None else ttl


def _subject(document: JsonObject) -> JsonObject | None:
    subject = document.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    return subject if isinstance(subject, dict) else None


def _claims(token: str) -> JsonObject | None:
    try:
        return decode_compact(token).json_payload()
    except StaffVCError:
        return None


def _stated_ttl(document: StatusListDocument) -> timedelta | None:
    """The list's own ``ttl``: milliseconds in a credential, seconds in a token."""
    if isinstance(document, str):
        claims = _claims(document)
        ttl = claims.get("ttl") if claims else None
        unit = timedelta(seconds=1)
    else:
        subject = _subject(document)
        ttl = subject.get("ttl") if subject else None
        unit = timedelta(milliseconds=1)
    if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
        return None
    try:
        return ttl * unit
    except OverflowError:
        return None


def _valid_until(document: StatusListDocument) -> datetime | None:
    value: JsonValue
    if isinstance(document, str):
        claims = _claims(document)
        value = claims.get("exp") if claims else None
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, UTC)
            except (OverflowError, OSError, ValueError):
                return None
        return None
    value = document.get("validUntil", document.get("expirationDate"))
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
