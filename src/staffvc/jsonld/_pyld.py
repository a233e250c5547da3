"""The one place staffvc talks to pyld: options, per-loader context caches, error mapping.

Every pyld call goes through :func:`options_for`, which always sets ``documentLoader`` (so
pyld's process-global loader is never consulted) and a context resolver whose cache belongs
to that loader (pyld's own cache is process-wide and keyed by URL alone, so a context one
loader served could otherwise be handed to a caller whose loader would refuse it).
:func:`translate` turns whatever pyld raised into a coded :class:`JsonLdError`.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from cachetools import LRUCache
from pyld import jsonld as _jsonld
from pyld.context_resolver import ContextResolver

from staffvc.errors import StaffVCError
from staffvc.jsonld.errors import DocumentLoaderError, JsonLdError
from staffvc.jsonld.loader import DocumentLoader

__all__ = ["PyldJsonLdError", "guarded", "options_for"]

PyldJsonLdError = _jsonld.JsonLdError

_CONTEXT_CACHE_SIZE = 100


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
