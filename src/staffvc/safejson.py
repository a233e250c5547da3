"""JSON from outside, parsed with limits.

Everything staffvc reads from an untrusted party (DID documents fetched over HTTPS, JWK
files, credentials, JWS headers) goes through :func:`loads`, which enforces a byte limit and
a nesting-depth limit and refuses the JSON forms that make two parsers disagree: duplicate
member names (RFC 7493 I-JSON §2.3) and the non-standard constants NaN and Infinity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from staffvc.errors import InvalidJsonError, LimitExceededError

__all__ = [
    "DEFAULT_LIMITS",
    "JsonLimits",
    "JsonObject",
    "JsonValue",
    "as_list",
    "depth_of",
    "loads",
]

JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"


@dataclass(frozen=True, slots=True)
class JsonLimits:
    """Upper bounds for one JSON document from outside."""

    max_bytes: int = 1 << 20
    """Largest accepted document, in bytes of UTF-8."""
    max_depth: int = 64
    """Deepest accepted nesting of objects and arrays."""


DEFAULT_LIMITS = JsonLimits()


def loads(
    data: str | bytes, *, limits: JsonLimits = DEFAULT_LIMITS, what: str = "JSON"
) -> JsonValue:
    """Parse ``data`` as strict JSON within ``limits``.

    Raises :class:`LimitExceededError` for oversized or too-deep input and
    :class:`InvalidJsonError` for anything that is not strict JSON; ``what`` names the input
    in the message ("DID document", "JWK", ...).
    """
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > limits.max_bytes:
        raise LimitExceededError(f"{what} is {size} bytes; the limit is {limits.max_bytes}")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidJsonError(f"{what} is not UTF-8 (byte {exc.start})") from exc
    try:
        value = json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except RecursionError as exc:
        raise LimitExceededError(f"{what} nests deeper than this parser allows") from exc
    except json.JSONDecodeError as exc:
        raise InvalidJsonError(
            f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except _RefusedError as exc:
        raise InvalidJsonError(f"{what} {exc.args[0]}") from exc
    depth = depth_of(value)
    if depth > limits.max_depth:
        raise LimitExceededError(
            f"{what} nests {depth} levels deep; the limit is {limits.max_depth}"
        )
    return cast(JsonValue, value)


def as_list(value: JsonValue) -> list[JsonValue]:
    """A JSON-LD "one or many" member as a list (absent or null is the empty list)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def depth_of(value: object) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), computed without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth) for child in children)
    return deepest


class _RefusedError(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise _RefusedError(f"has the member name {name!r} twice")
            seen.add(name)
    return obj


def _no_constants(name: str) -> Any:
    raise _RefusedError(f"uses the non-JSON constant {name}")
