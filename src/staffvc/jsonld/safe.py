"""Safe mode: JSON-LD processing that refuses to lose data (VC Data Integrity 1.0 §2.4.3).

JSON-LD expansion silently drops what it cannot map to an IRI: an undefined term, a relative
``@type``, a relative ``@id``. A proof signs the RDF, not the JSON, so without these checks
``{"name": "A", "isAdmin": true}`` and ``{"name": "A"}`` would canonicalize, and sign,
identically, and a verifier would accept a property the issuer never signed. Every case here
is a :class:`SafeModeError` (``DATA_LOSS_DETECTION_ERROR``); the list follows the "not safe"
events of the reference implementation (jsonld.js safe mode):

- a property that expands to no absolute IRI (``on_property_dropped``, called by pyld);
- a relative or invalid IRI in ``@id``, ``@type``, a value's datatype or a graph name;
- a blank node used as a property (dropped unless producing generalized RDF);
- ``@direction`` (dropped when converting to RDF without an ``rdfDirection`` mode);
- an ``@language`` that is not well-formed BCP 47.

IRIs must also be free of the characters N-Quads cannot carry inside ``<...>`` (space,
controls, ``<>"{}|^`\\``): pyld writes IRIs without escaping, so such a character would let
one document's canonical form imitate another's. Unicode whitespace (such as U+00A0 or
U+2028) is refused as well: pyld silently drops every statement whose IRI contains it.
"""

from __future__ import annotations

import math
import re

from staffvc.jsonld.errors import JsonLdError, SafeModeError
from staffvc.safejson import JsonValue

__all__ = ["check_expanded", "property_dropped"]

# pyld converts to RDF only IRIs matching ``^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$`` and drops
# the others without a word, so Unicode whitespace (\s: NBSP, U+2028, ...) is excluded too.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x20<>\"{}|^`\\]*\Z")
_BLANK_NODE = re.compile(r"_:[^\s\x00-\x20<>\"{}|^`\\]+\Z")
_BCP47 = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")
_NODE_KEYWORDS_WITH_NODES = ("@graph", "@included")


def property_dropped(expanded_property: str | None) -> None:
    """pyld's ``on_property_dropped`` hook: a dropped property is a safe-mode error."""
    name = (
        "a key reserved by JSON-LD (@...)" if expanded_property is None else repr(expanded_property)
    )
    raise SafeModeError(
        f"the property {name} is not defined by any context "
        "(it would be dropped from the signed data)"
    )


def _is_iri(value: object) -> bool:
    return isinstance(value, str) and _IRI.match(value) is not None


def _is_node_id(value: object) -> bool:
    return isinstance(value, str) and (
        _IRI.match(value) is not None or _BLANK_NODE.match(value) is not None
    )


def check_expanded(expanded: JsonValue) -> None:
    """Raise :class:`SafeModeError` if converting ``expanded`` to RDF would lose anything.

    ``expanded`` is the output of JSON-LD expansion (pyld's ``expand``).
    """
    stack: list[JsonValue] = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif not isinstance(item, dict):
            raise SafeModeError(f"the free-floating value {item!r} would be dropped")
        elif "@value" in item:
            _check_value(item)
        elif "@list" in item:
            stack.append(item["@list"])
        else:
            _check_node(item, stack)


def _check_value(item: dict[str, JsonValue]) -> None:
    value = item["@value"]
    if isinstance(value, float) and not math.isfinite(value):
        raise JsonLdError(f"the number {value!r} is not JSON")
    datatype = item.get("@type")
    if datatype is not None and datatype != "@json" and not _is_iri(datatype):
        raise SafeModeError(f"the datatype {datatype!r} of a value is not an absolute IRI")
    if "@direction" in item:
        raise SafeModeError(
            f"the base direction {item['@direction']!r} of a string would be dropped "
            "when converting to RDF"
        )
    language = item.get("@language")
    if language is not None and not (isinstance(language, str) and _BCP47.match(language)):
        raise SafeModeError(f"the language tag {language!r} is not well-formed BCP 47")


def _check_node(item: dict[str, JsonValue], stack: list[JsonValue]) -> None:
    if "@id" in item and not _is_node_id(item["@id"]):
        raise SafeModeError(
            f"the identifier {item['@id']!r} is not an absolute IRI or a blank node "
            "(a relative @id would be dropped)"
        )
    types = item.get("@type", [])
    for type_ in types if isinstance(types, list) else [types]:
        if not _is_node_id(type_):
            raise SafeModeError(
                f"the type {type_!r} is not defined by any context and is not an absolute IRI "
                "(a relative @type would be dropped)"
            )
    for key, value in item.items():
        if key.startswith("_:"):
            raise SafeModeError(f"the blank node {key!r} is used as a property")
        if key == "@reverse" and isinstance(value, dict):
            for reverse_key, nodes in value.items():
                if not _is_iri(reverse_key):
                    raise SafeModeError(f"the reverse property {reverse_key!r} is not an IRI")
                stack.append(nodes)
        elif key in _NODE_KEYWORDS_WITH_NODES:
            stack.append(value)
        elif not key.startswith("@"):
            if not _is_iri(key):
                raise SafeModeError(f"the property {key!r} is not an absolute IRI")
            stack.append(value)
