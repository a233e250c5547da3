"""Selecting parts of a compact JSON-LD document by JSON Pointer (VC-DI-ECDSA §3.4.10-3.4.13).

A selection keeps, for every node on the way to a pointer's target, its ``type`` and its
non-blank ``id``: without them the revealed statements would lose the subject they are
about. Arrays crossed by index stay arrays, with the unselected elements removed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import cast

from staffvc.safejson import JsonObject, JsonValue

__all__ = ["PointerError", "parse_pointer", "select_json_ld"]

_INDEX = re.compile(r"0|[1-9][0-9]*")


class PointerError(ValueError):
    """A JSON Pointer is malformed or names nothing in the document."""


def parse_pointer(pointer: str) -> list[str]:
    """The unescaped reference tokens of an RFC 6901 pointer (which must not be ``""``)."""
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise PointerError(f"{pointer!r} is not a JSON Pointer (it must start with '/')")
    tokens = pointer[1:].split("/")
    if any(re.search(r"~(?![01])", token) for token in tokens):
        raise PointerError(f"{pointer!r} has an invalid '~' escape")
    return [token.replace("~1", "/").replace("~0", "~") for token in tokens]


class _Sparse(dict[int, object]):
    """An array being selected into, by index; made dense when the selection is done."""


def _step(container: JsonValue, token: str, pointer: str) -> JsonValue:
    if isinstance(container, dict) and token in container:
        return container[token]
    if isinstance(container, list) and _INDEX.fullmatch(token) and int(token) < len(container):
        return container[int(token)]
    raise PointerError(f"JSON Pointer {pointer} does not match the document")


def _initial(source: JsonValue) -> dict[str, object]:
    """createInitialSelection: a node's non-blank ``id`` and its ``type``."""
    selection: dict[str, object] = {}
    if isinstance(source, dict):
        node_id = source.get("id")
        if node_id is not None and not (isinstance(node_id, str) and node_id.startswith("_:")):
            selection["id"] = node_id
        if "type" in source:
            selection["type"] = copy.deepcopy(source["type"])
    return selection


def _get(selected: object, token: str) -> object | None:
    """The selected value under ``token`` (which _step has checked against the document)."""
    if isinstance(selected, _Sparse):
        return selected.get(int(token))
    if isinstance(selected, dict):
        return selected.get(token)
    if isinstance(selected, list):
        item: object = selected[int(token)]
        return item
    return None


def _set(selected: object, token: str, value: object) -> None:
    if isinstance(selected, _Sparse):
        selected[int(token)] = value
    elif isinstance(selected, dict):
        selected[token] = value
    elif isinstance(selected, list):
        selected[int(token)] = value


def _select_paths(pointer: str, document: JsonObject, selection: dict[str, object]) -> None:
    """selectPaths: copy what ``pointer`` names, and the nodes above it, into ``selection``."""
    tokens = parse_pointer(pointer)
    value: JsonValue = document
    parent_selected: object = selection
    selected: object = selection
    for token in tokens:
        parent_selected = selected
        value = _step(value, token, pointer)
        found = _get(parent_selected, token)
        if found is None:
            found = _Sparse() if isinstance(value, list) else _initial(value)
            _set(parent_selected, token, found)
        selected = found
    target: object = copy.deepcopy(value)
    if isinstance(value, dict) and isinstance(selected, dict):
        target = {**selected, **copy.deepcopy(value)}
    _set(parent_selected, tokens[-1], target)


def _dense(value: object) -> JsonValue:
    if isinstance(value, _Sparse):
        return [_dense(value[index]) for index in sorted(value)]
    if isinstance(value, dict):
        return {str(key): _dense(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dense(item) for item in value]
    return cast(JsonValue, value)


def select_json_ld(pointers: Sequence[str], document: JsonObject) -> JsonObject | None:
    """selectJsonLd: the part of ``document`` the pointers name (None for no pointers).

    Raises :class:`PointerError` for a malformed pointer or one that matches nothing.
    """
    if not pointers:
        return None
    selection: dict[str, object] = {"@context": copy.deepcopy(document.get("@context"))}
    selection.update(_initial(document))
    for pointer in pointers:
        _select_paths(pointer, document, selection)
    dense = _dense(selection)
    assert isinstance(dense, dict)
    return dense
