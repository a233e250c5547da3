"""JSON-LD expansion in safe mode, with an explicit loader: the first step of every proof.

Expansion is where a compact document meets its contexts and where JSON-LD would quietly
drop what it cannot map; :class:`SafeProcessor` is pyld's processor with both doors shut
(every drop is reported to :func:`~staffvc.jsonld.safe.property_dropped`, and every expanded
result passes :func:`~staffvc.jsonld.safe.check_expanded` before anything uses it).
"""

from __future__ import annotations

from typing import Any, cast

from pyld.jsonld import JsonLdProcessor

from staffvc.jsonld._pyld import (
    CONTEXT_MEMO_OPTION,
    FROZEN_CONTEXT,
    ContextMemo,
    IriKey,
    guarded,
    options_for,
)
from staffvc.jsonld.loader import DocumentLoader
from staffvc.jsonld.safe import check_expanded, property_dropped
from staffvc.safejson import JsonObject, JsonValue

__all__ = ["SafeProcessor", "expand"]

_MISSING = object()


class SafeProcessor(JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped
    """pyld's processor with safe mode on for expansion and everything built on it."""

    def __init__(self) -> None:
        super().__init__(on_property_dropped=property_dropped)
        self._memo: ContextMemo | None = None

    def expand(self, input_: Any, options: Any) -> Any:
        memo = options.get(CONTEXT_MEMO_OPTION) if isinstance(options, dict) else None
        self._memo = memo if isinstance(memo, ContextMemo) else None
        expanded = super().expand(input_, options)
        check_expanded(expanded)
        return expanded

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        # During expansion (no local context being defined) the result depends only on the
        # frozen active context, the value, base and vocab: memoized per loader.
        memo = self._memo
        if (
            memo is None
            or local_ctx is not None
            or type(value) is not str
            or type(active_ctx) is not FROZEN_CONTEXT
            or not (base is None or type(base) is str)
        ):
            return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        uuid = active_ctx.get("_uuid")
        if type(uuid) is not str:
            return super()._expand_iri(active_ctx, value, base, vocab)
        key: IriKey = (uuid, value, base, bool(vocab))
        found = memo.iris.get(key, _MISSING)
        if found is not _MISSING:
            return found
        expanded = super()._expand_iri(active_ctx, value, base, vocab)
        memo.remember_iri(key, expanded)
        return expanded

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        # Context processing through the loader's memo (see ContextMemo). Only top-level
        # calls (no cycle set yet) are memoized; context processing calls the safe-mode hook
        # nowhere, so a memo hit skips no safety check.
        memo = options.get(CONTEXT_MEMO_OPTION)
        key = None
        if isinstance(memo, ContextMemo) and not cycles:
            key = memo.key(
                active_ctx,
                local_ctx,
                override_protected=override_protected,
                propagate=propagate,
                validate_scoped=validate_scoped,
            )
            if key is not None:
                found = memo.get(key)
                if found is not None:
                    return found
        processed = super()._process_context(
            active_ctx,
            local_ctx,
            options,
            override_protected=override_protected,
            propagate=propagate,
            validate_scoped=validate_scoped,
            cycles=cycles,
        )
        if key is not None:
            memo.put(key, processed)
        return processed


def expand(document: JsonObject, *, loader: DocumentLoader) -> list[JsonValue]:
    """The expanded form of ``document``, with contexts only from ``loader``, in safe mode.

    Raises :class:`~staffvc.jsonld.errors.SafeModeError` if expansion would lose data,
    :class:`~staffvc.jsonld.errors.DocumentLoaderError` if a context cannot be loaded and
    :class:`~staffvc.jsonld.errors.JsonLdError` for any other JSON-LD error (such as the
    redefinition of a protected term).
    """
    with guarded("JSON-LD expansion"):
        return cast(list[JsonValue], SafeProcessor().expand(document, options_for(loader)))
