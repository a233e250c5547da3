"""The one place staffvc talks to pyld: options, per-loader context caches, error mapping.

Every pyld call goes through :func:`options_for`, which always sets ``documentLoader`` (so
pyld's process-global loader is never consulted) and a context resolver whose cache belongs
to that loader (pyld's own cache is process-wide and keyed by URL alone, so a context one
loader served could otherwise be handed to a caller whose loader would refuse it).
:func:`translate` turns whatever pyld raised into a coded :class:`JsonLdError`.

Each loader also gets a :class:`ContextMemo`: processed *active contexts*, so that a
document whose ``@context`` was seen before skips context processing entirely. pyld caches
a processed context per (resolved context, active context ``_uuid``), but type-scoped
contexts are applied to a fresh clone (new ``_uuid``) on every expansion, and looking up an
embedded context costs a pure-Python JCS serialization of it; together that was about 60%
of the time of canonicalizing a credential. The memo holds only context processing, never
a document's expansion or canonical form.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, cast

from cachetools import LRUCache
from pyld import jsonld as _jsonld
from pyld.context_resolver import ContextResolver

from staffvc.errors import StaffVCError
from staffvc.jsonld.errors import DocumentLoaderError, JsonLdError
from staffvc.jsonld.loader import DocumentLoader

__all__ = [
    "CONTEXT_MEMO_OPTION",
    "FROZEN_CONTEXT",
    "ContextMemo",
    "IriKey",
    "PyldJsonLdError",
    "guarded",
    "options_for",
]

PyldJsonLdError = _jsonld.JsonLdError
# What pyld turns a finished active context into (frozendict, a dict subclass).
_FROZEN = cast(type[dict[str, Any]], type(_jsonld.freeze({})))

_CONTEXT_CACHE_SIZE = 100
_CONTEXT_MEMO_SIZE = 256
_OWNED_LIMIT = 4096
_IRI_MEMO_SIZE = 8192
_IRI_MEMO_MAX_LENGTH = 256

CONTEXT_MEMO_OPTION = "staffvcContextMemo"
"""The pyld option under which :func:`options_for` passes the loader's :class:`ContextMemo`."""

ContextKey = tuple[str, str | tuple[str, ...] | int, bool, bool, bool]
IriKey = tuple[str, str, str | None, bool]
FROZEN_CONTEXT = _FROZEN


class ContextMemo:
    """Processed active contexts of one loader, by (active context, local context, flags).

    pyld's active contexts, once processed, are frozen (``frozendict``), carry a unique
    ``_uuid`` and never change again, so (``_uuid`` of a frozen active context, local context,
    flags)
    determines the result for a fixed loader and fixed options. A local context is keyed by
    value when it is a URL or a list of URLs (a loader serves one document per URL), and by
    identity when it is an embedded context that belongs to a memoized result (a type- or
    property-scoped context from a term definition: pyld's private copy, referenced by an
    immutable context, kept alive here so its ``id`` cannot be reused). Any other local
    context (such as an inline ``@context`` object in a document) is not memoized.
    Entries are bounded (LRU); an attacker can only evict them, not poison them.

    It also memoizes IRI expansion against a frozen active context (:meth:`expand_iri`):
    pyld's ``_expand_iri`` is a pure function of (active context, value, base, vocab) when
    no local context is being defined, and expansion calls it about a hundred times per
    credential.
    """

    def __init__(self, maxsize: int = _CONTEXT_MEMO_SIZE) -> None:
        self._results: LRUCache[ContextKey, Any] = LRUCache(maxsize=maxsize)
        self._owned: dict[int, object] = {}
        self._iris: dict[IriKey, Any] = {}
        self._lock = threading.Lock()

    @property
    def iris(self) -> dict[IriKey, Any]:
        """Memoized IRI expansions; read it directly, add to it with :meth:`remember_iri`."""
        return self._iris

    def remember_iri(self, key: IriKey, expanded: Any) -> None:
        """Keep pyld's expansion of ``key`` = (frozen context ``_uuid``, value, base, vocab)."""
        if len(key[1]) > _IRI_MEMO_MAX_LENGTH:
            return
        if len(self._iris) >= _IRI_MEMO_SIZE:
            self._iris.clear()  # dict operations are atomic; a racing reader just misses
        self._iris[key] = expanded

    def key(
        self,
        active_ctx: Any,
        local_ctx: Any,
        *,
        override_protected: bool,
        propagate: bool,
        validate_scoped: bool,
    ) -> ContextKey | None:
        """The memo key for one ``_process_context`` call, or None if it is not memoizable."""
        if not isinstance(active_ctx, _FROZEN):
            return None
        uuid = active_ctx.get("_uuid")
        if not isinstance(uuid, str):
            return None
        local: str | tuple[str, ...] | int
        if type(local_ctx) is str:
            local = local_ctx
        elif type(local_ctx) is list and all(type(item) is str for item in local_ctx):
            local = tuple(local_ctx)
        elif isinstance(local_ctx, dict):
            with self._lock:
                if self._owned.get(id(local_ctx)) is not local_ctx:
                    return None
            local = id(local_ctx)
        else:
            return None
        return (uuid, local, override_protected, propagate, validate_scoped)

    def get(self, key: ContextKey) -> Any:
        with self._lock:
            return self._results.get(key)

    def put(self, key: ContextKey, processed: Any) -> None:
        """Remember ``processed`` (a frozen active context) and own its scoped contexts."""
        if not isinstance(processed, _FROZEN):
            return
        mappings = processed.get("mappings")
        scoped = [
            definition["@context"]
            for definition in (mappings.values() if isinstance(mappings, dict) else ())
            if isinstance(definition, dict) and isinstance(definition.get("@context"), dict)
        ]
        with self._lock:
            self._results[key] = processed
            if len(self._owned) + len(scoped) > _OWNED_LIMIT:
                return  # stop owning more; those contexts are just processed each time
            for context in scoped:
                self._owned.setdefault(id(context), context)


class _LockedCache:
    """The two operations pyld's ContextResolver uses, on an LRU cache, under a lock."""

    def __init__(self, maxsize: int) -> None:
        self._cache: LRUCache[Hashable, Any] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            return self._cache.get(key, default)

    def __setitem__(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._cache[key] = value


class _Binding:
    """A loader in pyld's call convention, with the context cache that goes with it."""

    def __init__(self, loader: DocumentLoader) -> None:
        self.cache = _LockedCache(_CONTEXT_CACHE_SIZE)
        self.memo = ContextMemo()
        self.load = _pyld_loader(loader)


_bindings: weakref.WeakKeyDictionary[DocumentLoader, _Binding] = weakref.WeakKeyDictionary()
_bindings_lock = threading.Lock()


def _pyld_loader(loader: DocumentLoader) -> Callable[[str, object], dict[str, object]]:
    def load(url: str, options: object = None) -> dict[str, object]:
        try:
            document = loader.load(url)
        except StaffVCError:
            raise
        except Exception as exc:
            raise DocumentLoaderError(f"the document loader failed on {url}: {exc!r}") from exc
        return {
            "contextUrl": None,
            "documentUrl": url,
            # pyld edits contexts in place while resolving them; loaders keep theirs intact.
            "document": copy.deepcopy(document),
            "contentType": "application/ld+json",
            # "static": cache the resolved context, in this loader's own cache.
            "tag": "static",
        }

    return load


def _binding(loader: DocumentLoader) -> _Binding:
    with _bindings_lock:
        try:
            binding = _bindings.get(loader)
        except TypeError:  # unhashable or not weak-referenceable: no cross-call cache
            return _Binding(loader)
        if binding is None:
            binding = _Binding(loader)
            with suppress(TypeError):
                _bindings[loader] = binding
        return binding


def options_for(loader: DocumentLoader) -> dict[str, Any]:
    """pyld options for one operation: this loader, its context cache, no base IRI."""
    binding = _binding(loader)
    return {
        "documentLoader": binding.load,
        "contextResolver": ContextResolver(binding.cache, binding.load),
        # DI 1.0 §2.4.3: a null base IRI. It must be None: given "", pyld resolves relative
        # references against an invented base (http://example.org/base/), and they would be
        # signed as that. With None they stay relative, and safe mode refuses them.
        "base": None,
        "processingMode": "json-ld-1.1",
        "extractAllScripts": False,
        "produceGeneralizedRdf": False,
        CONTEXT_MEMO_OPTION: binding.memo,
    }


@contextmanager
def guarded(what: str) -> Iterator[None]:
    """Run pyld; re-raise staffvc errors as they are and anything else as a coded error."""
    try:
        yield
    except StaffVCError:
        raise
    except RecursionError as exc:
        raise JsonLdError(f"{what}: the document nests too deeply to process") from exc
    except Exception as exc:  # pyld raises JsonLdError, but also KeyError, TypeError, ...
        error = translate(exc, what)
        if error.__traceback__ is not None:  # raised inside pyld by a loader or safe mode
            raise error  # noqa: B904 - it keeps its own cause
        raise error from exc


def translate(exc: BaseException, what: str) -> StaffVCError:
    """The coded error for an exception pyld raised (following its chain of causes).

    A staffvc error raised inside pyld (by a loader or by safe mode) is returned as it is.
    """
    jsonld_code: str | None = None
    details: list[str] = []
    cause: BaseException | None = exc
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, StaffVCError):
            return cause
        if isinstance(cause, PyldJsonLdError):
            jsonld_code = getattr(cause, "code", None) or jsonld_code
            details.append(str(cause.args[0]) if cause.args else type(cause).__name__)
        else:
            details.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    message = f"{what} failed: " + " <- ".join(details)
    if jsonld_code in ("loading document failed", "loading remote context failed"):
        return DocumentLoaderError(message, jsonld_code=jsonld_code)
    return JsonLdError(message, jsonld_code=jsonld_code)
