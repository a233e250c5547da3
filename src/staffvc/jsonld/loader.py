"""Document loaders: where JSON-LD contexts come from, and the only place they come from.

A context changes what a credential *means*, so a context fetched from the network at
verification time lets whoever controls that server (or the path to it) change what was
signed. pyld's process-global loader fetches with ``requests`` whenever that is importable;
staffvc never uses it. Every JSON-LD operation here takes a :class:`DocumentLoader`:

- :class:`BundledLoader` (the default everywhere) serves the contexts shipped inside the
  package, each checked against its pinned sha256, plus any the caller registers. Anything
  else is a coded error, never a fetch.
- :class:`CachingLoader` is the opt-in for contexts that are not bundled: it fetches only
  allow-listed URLs, only through an injected :class:`~staffvc.fetch.Fetcher`, with a size
  cap, and keeps each document once fetched.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable

from staffvc import resources
from staffvc.errors import StaffVCError
from staffvc.fetch import Fetcher
from staffvc.jsonld.errors import DocumentLoaderError
from staffvc.safejson import JsonLimits, JsonObject, loads

__all__ = ["CONTEXT_LIMITS", "BundledLoader", "CachingLoader", "DocumentLoader"]

CONTEXT_LIMITS = JsonLimits(max_bytes=256 * 1024, max_depth=32)
"""Limits for one fetched context document (the largest bundled one is about 10 KB)."""

_ACCEPT = "application/ld+json, application/json;q=0.9"


@runtime_checkable
class DocumentLoader(Protocol):
    """Returns the parsed JSON-LD document for a URL, or raises :class:`DocumentLoaderError`.

    The returned object is treated as read-only and must be the same document every time a
    URL is asked for: JSON-LD processing caches what a loader returns, per loader.
    """

    def load(self, url: str) -> JsonObject: ...


def _parse(data: bytes | str, *, url: str, limits: JsonLimits) -> JsonObject:
    try:
        document = loads(data, limits=limits, what=f"JSON-LD document {url}")
    except StaffVCError as exc:
        raise DocumentLoaderError(f"{url} is not a usable JSON-LD document: {exc}") from exc
    if not isinstance(document, dict):
        raise DocumentLoaderError(f"{url} is not a JSON object")
    return document


class BundledLoader:
    """Serves the bundled, hash-pinned contexts and the documents registered with it. Offline.

    ``documents`` pre-registers extra documents (URL → parsed JSON object), as
    :meth:`register` does. Bundled contexts cannot be replaced.
    """

    def __init__(self, documents: Mapping[str, JsonObject] | None = None) -> None:
        self._bundled = frozenset(resources.context_manifest())
        self._parsed: dict[str, JsonObject] = {}
        self._registered: dict[str, JsonObject] = {}
        self._lock = threading.Lock()
        for url, document in (documents or {}).items():
            self.register(url, document)

    def __repr__(self) -> str:
        return f"BundledLoader(bundled={len(self._bundled)}, registered={len(self._registered)})"

    @property
    def urls(self) -> frozenset[str]:
        """Every URL this loader serves."""
        with self._lock:
            return self._bundled | frozenset(self._registered)

    def register(self, url: str, document: JsonObject) -> None:
        """Serve ``document`` for ``url`` from now on.

        Raises ValueError if ``url`` is bundled (pinned contexts are never shadowed) or is
        already registered with a different document (a URL means one document).
        """
        if not isinstance(document, dict):
            raise TypeError("a JSON-LD document to register must be a JSON object")
        if url in self._bundled:
            raise ValueError(f"{url} is a bundled, hash-pinned context and cannot be replaced")
        with self._lock:
            existing = self._registered.get(url)
            if existing is not None and existing != document:
                raise ValueError(f"{url} is already registered with a different document")
            self._registered[url] = copy.deepcopy(document)

    def load(self, url: str) -> JsonObject:
        with self._lock:
            found = self._registered.get(url)
            if found is None:
                found = self._parsed.get(url)
        if found is not None:
            return found
        if url not in self._bundled:
            raise DocumentLoaderError(
                f"{url} is neither a bundled context nor registered with this loader "
                "(staffvc never fetches contexts unless a CachingLoader allows it)"
            )
        try:
            data = resources.read_context(url)
        except StaffVCError as exc:
            raise DocumentLoaderError(f"bundled context {url} cannot be used: {exc}") from exc
        document = _parse(data, url=url, limits=JsonLimits(max_bytes=len(data) + 1))
        with self._lock:
            return self._parsed.setdefault(url, document)


class CachingLoader:
    """Fetches allow-listed URLs through ``fetcher``; everything else goes to ``fallback``.

    ``allow`` lists exact URLs; a bundled URL may not be listed (its pinned copy always
    wins). ``fallback`` defaults to a new :class:`BundledLoader`. Each fetched document must
    be a JSON object within ``limits``; it is kept for the life of the loader. Failures are
    not kept, so a later call tries again.
    """

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        allow: Iterable[str],
        fallback: DocumentLoader | None = None,
        limits: JsonLimits = CONTEXT_LIMITS,
    ) -> None:
        allowed = frozenset(allow)
        pinned = allowed & frozenset(resources.context_manifest())
        if pinned:
            raise ValueError(
                f"bundled contexts cannot be allow-listed for fetching: {sorted(pinned)}"
            )
        self._fetcher = fetcher
        self._allow = allowed
        self._fallback: DocumentLoader = fallback if fallback is not None else BundledLoader()
        self._limits = limits
        self._cache: dict[str, JsonObject] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CachingLoader(allow={sorted(self._allow)!r}, fetcher={self._fetcher!r})"

    def load(self, url: str) -> JsonObject:
        if url not in self._allow:
            return self._fallback.load(url)
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None:
            return cached
        try:
            data = self._fetcher.fetch(url, accept=_ACCEPT, max_bytes=self._limits.max_bytes)
        except StaffVCError as exc:
            raise DocumentLoaderError(f"fetching {url} failed: {exc}") from exc
        document = _parse(data, url=url, limits=self._limits)
        with self._lock:
            return self._cache.setdefault(url, document)
