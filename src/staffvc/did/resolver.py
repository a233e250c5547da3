"""One resolver for every DID method, with a cache, and DID URL dereferencing.

:class:`Resolver` composes :class:`DidMethod` objects. The default one resolves did:key and
did:jwk only, offline; did:web is added by passing a fetcher
(:meth:`Resolver.with_web`), so no resolver reaches the network unless its creator said so.

:meth:`Resolver.dereference` is what proof verifiers call: it turns a verification method
DID URL into a :class:`VerificationMethod` and checks that the DID document authorises it
for the requested relationship (assertionMethod for issuing, authentication for
presenting).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import timedelta
from typing import Protocol, runtime_checkable

from cachetools import TTLCache

from staffvc.clock import Clock, SystemClock
from staffvc.did.document import DidDocument, Relationship, VerificationMethod
from staffvc.did.jwk import DidJwkMethod
from staffvc.did.key import DidKeyMethod
from staffvc.did.syntax import parse_did, parse_did_url
from staffvc.did.web import DidWebMethod
from staffvc.errors import (
    InvalidDidError,
    InvalidDidUrlError,
    InvalidRelationshipError,
    InvalidVerificationMethodError,
    MethodNotSupportedError,
)
from staffvc.fetch import Fetcher

__all__ = ["DidMethod", "DidResolver", "Resolver"]


@runtime_checkable
class DidMethod(Protocol):
    """Resolves the DIDs of one method (``method`` is its name: "key", "web", ...)."""

    method: str

    def resolve(self, did: str) -> DidDocument: ...


@runtime_checkable
class DidResolver(Protocol):
    """What proof verifiers need from DID resolution."""

    def resolve(self, did: str) -> DidDocument: ...

    def dereference(
        self, did_url: str, *, relationship: Relationship | None
    ) -> VerificationMethod: ...


class Resolver:
    """Resolves DIDs through its methods, caching documents for ``cache_ttl``.

    did:key and did:jwk documents are pure functions of the DID and are cached without
    expiry; documents of other methods expire after ``cache_ttl`` as read on ``clock``.
    Errors are never cached. Thread-safe.
    """

    def __init__(
        self,
        methods: Iterable[DidMethod] | None = None,
        *,
        cache_size: int = 1024,
        cache_ttl: timedelta = timedelta(minutes=5),
        clock: Clock | None = None,
    ) -> None:
        chosen: list[DidMethod] = (
            list(methods) if methods is not None else [DidKeyMethod(), DidJwkMethod()]
        )
        self._methods: dict[str, DidMethod] = {}
        for m in chosen:
            if m.method in self._methods:
                raise ValueError(f"two resolvers for did:{m.method}")
            self._methods[m.method] = m
        clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._pure: TTLCache[str, DidDocument] = TTLCache(
            maxsize=cache_size, ttl=float("inf"), timer=lambda: clock.now().timestamp()
        )
        self._expiring: TTLCache[str, DidDocument] = TTLCache(
            maxsize=cache_size, ttl=cache_ttl.total_seconds(), timer=lambda: clock.now().timestamp()
        )

    @classmethod
    def with_web(cls, fetcher: Fetcher, *, clock: Clock | None = None) -> Resolver:
        """did:key, did:jwk and did:web (fetched through ``fetcher``)."""
        return cls([DidKeyMethod(), DidJwkMethod(), DidWebMethod(fetcher)], clock=clock)

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self._methods)

    def __repr__(self) -> str:
        return f"Resolver(methods={list(self._methods)})"

    def resolve(self, did: str) -> DidDocument:
        """The DID document of ``did``; raises the coded :class:`~staffvc.errors.DidError` s."""
        parsed = parse_did(did)
        method = self._methods.get(parsed.method)
        if method is None:
            raise MethodNotSupportedError(f"did:{parsed.method} is not supported by this resolver")
        cache = self._pure if parsed.method in ("key", "jwk") else self._expiring
        with self._lock:
            cached = cache.get(did)
        if cached is not None:
            return cached
        document = method.resolve(did)
        with self._lock:
            cache[did] = document
        return document

    def dereference(self, did_url: str, *, relationship: Relationship | None) -> VerificationMethod:
        """The verification method at ``did_url``, authorised for ``relationship``.

        ``did_url`` must be a DID URL with a fragment and no path or query. Raises
        :class:`InvalidDidUrlError`, a resolution error,
        :class:`InvalidVerificationMethodError` (no such method, or no usable key) or
        :class:`InvalidRelationshipError` (the document does not authorise it).
        ``relationship=None`` skips the authorisation check; pass it deliberately.
        """
        parsed = parse_did_url(did_url)
        if parsed.path or parsed.query is not None:
            raise InvalidDidUrlError("a verification method URL has no path or query")
        if not parsed.fragment:
            raise InvalidDidUrlError("a verification method URL needs a #fragment")
        try:
            document = self.resolve(parsed.did)
        except InvalidDidError as exc:
            raise InvalidDidUrlError(exc.message) from exc
        vm_id = str(parsed)
        if not document.has_method(vm_id):
            raise InvalidVerificationMethodError(f"{parsed.did} has no verification method {vm_id}")
        if relationship is not None and not document.authorizes(vm_id, relationship):
            raise InvalidRelationshipError(
                f"{vm_id} is not authorised for {relationship.value} by {parsed.did}"
            )
        return document.verification_method(vm_id)
