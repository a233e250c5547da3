"""JSON-LD expansion in safe mode, with an explicit loader: the first step of every proof.

Expansion is where a compact document meets its contexts and where JSON-LD would quietly
drop what it cannot map; :class:`SafeProcessor` is pyld's processor with both doors shut
(every drop is reported to :func:`~staffvc.jsonld.safe.property_dropped`, and every expanded
result passes :func:`~staffvc.jsonld.safe.check_expanded` before anything uses it).
"""

from __future__ import annotations

from typing import Any, cast

from pyld.jsonld import JsonLdProcessor

from staffvc.jsonld._pyld import guarded, options_for
from staffvc.jsonld.loader import DocumentLoader
from staffvc.jsonld.safe import check_expanded, property_dropped
from staffvc.safejson import JsonObject, JsonValue

__all__ = ["SafeProcessor", "expand"]


class SafeProcessor(JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped
    """pyld's processor with safe mode on for expansion and everything built on it."""

    def __init__(self) -> None:
        super().__init__(on_property_dropped=property_dropped)

    def expand(self, input_: Any, options: Any) -> Any:
        expanded = super().expand(input_, options)
        check_expanded(expanded)
        return expanded


def expand(document: JsonObject, *, loader: DocumentLoader) -> list[JsonValue]:
    """The expanded form of ``document``, with contexts only from ``loader``, in safe mode.

    Raises :class:`~staffvc.jsonld.errors.SafeModeError` if expansion would lose data,
    :class:`~staffvc.jsonld.errors.DocumentLoaderError` if a context cannot be loaded and
    :class:`~staffvc.jsonld.errors.JsonLdError` for any other JSON-LD error (such as the
    redefinition of a protected term).
    """
    with guarded("JSON-LD expansion"):
        return cast(list[JsonValue], SafeProcessor().expand(document, options_for(loader)))
