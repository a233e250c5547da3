"""Canonical N-Quads with replaced blank node labels, grouped by JSON Pointer selections
(VC-DI-ECDSA §3.4.1-3.4.9 and §3.4.14-3.4.16).

Statements are what ecdsa-sd-2023 signs one by one, so a JSON Pointer must be turned into
the exact canonical statements it covers. Skolemizing (giving every node an IRI) before
selecting makes a selected fragment name the same nodes as the whole document, so its
statements can be matched against the document's canonical statements as strings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from staffvc.jsonld import (
    DEFAULT_CANONICALIZATION_LIMITS,
    CanonicalizationLimits,
    DocumentLoader,
    expand,
)
from staffvc.jsonld.dataset import (
    Dataset,
    canonical_labels,
    compact,
    deskolemize,
    serialize,
    to_dataset,
)
from staffvc.keys import b64url_encode
from staffvc.proofs.data_integrity._sd_select import select_json_ld
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "Group",
    "Grouped",
    "GroupingError",
    "LabelMapFactory",
    "canonicalize_and_group",
    "hmac_label_map_factory",
    "label_map_factory",
    "label_replacement_canonicalize",
]

LabelMapFactory = Callable[[Mapping[str, str]], dict[str, str]]
"""Canonical identifier map (input label to ``c14nN``) to the labels to write instead."""

_LABEL_PREFIX = "sk"  # deskolemized blank nodes; pyld labels the others "b0", "b1", ...


class GroupingError(ValueError):
    """The statements cannot be labelled or grouped (a label is missing, a list is split)."""


def hmac_label_map_factory(key: bytes) -> LabelMapFactory:
    """createHmacIdLabelMapFunction (§3.4.4): ``c14nN`` becomes ``u`` + base64url(HMAC)."""

    def factory(canonical: Mapping[str, str]) -> dict[str, str]:
        return {
            label: "u" + b64url_encode(hmac.new(key, c14n.encode(), hashlib.sha256).digest())
            for label, c14n in canonical.items()
        }

    return factory


def label_map_factory(label_map: Mapping[str, str]) -> LabelMapFactory:
    """createLabelMapFunction (§3.4.3): ``c14nN`` becomes ``label_map["c14nN"]``."""

    def factory(canonical: Mapping[str, str]) -> dict[str, str]:
        missing = sorted(c14n for c14n in canonical.values() if c14n not in label_map)
        if missing:
            raise GroupingError(f"the label map has no entry for {', '.join(missing)}")
        return {label: label_map[c14n] for label, c14n in canonical.items()}

    return factory


def label_replacement_canonicalize(
    dataset: Dataset, factory: LabelMapFactory, *, limits: CanonicalizationLimits
) -> tuple[list[str], dict[str, str]]:
    """labelReplacementCanonicalizeNQuads (§3.4.1): sorted relabelled canonical N-Quads, and
    the label map (input label to new label) that produced them."""
    label_map = factory(canonical_labels(dataset, limits=limits))
    return sorted(serialize(dataset, label_map)), label_map


class _Skolemizer:
    """skolemizeExpandedJsonLd (§3.4.7) and its inverse, for one document.

    The skolem IRIs carry a digest of the document, so they cannot collide with an IRI the
    document itself uses; they never leave this module, so their form is not observable.
    """

    def __init__(self, document: JsonObject) -> None:
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        self.prefix = f"urn:bnid:{hashlib.sha256(text.encode()).hexdigest()[:32]}:"
        self._labels: dict[str, str] = {}

    def _issue(self, blank: str | None) -> str:
        if blank is not None and blank in self._labels:
            return self._labels[blank]
        issued = f"{self.prefix}{len(self._labels)}"
        self._labels[blank if blank is not None else issued] = issued
        return issued

    def skolemize(self, expanded: list[JsonValue]) -> list[JsonValue]:
        result: list[JsonValue] = []
        for element in expanded:
            if not isinstance(element, dict) or "@value" in element:
                result.append(element)
                continue
            node: JsonObject = {}
            for key, value in element.items():
                if key == "@reverse" and isinstance(value, dict):
                    node[key] = {
                        prop: self.skolemize(items if isinstance(items, list) else [items])
                        for prop, items in value.items()
                    }
                elif isinstance(value, list):
                    node[key] = self.skolemize(value)
                else:
                    node[key] = self.skolemize([value])[0]
            if "@list" not in node:  # a list object cannot carry an @id
                node_id = node.get("@id")
                if node_id is None:
                    node["@id"] = self._issue(None)
                elif isinstance(node_id, str) and node_id.startswith("_:"):
                    node["@id"] = self._issue(node_id)
            result.append(node)
        return result

    def dataset(self, document: JsonValue, *, loader: DocumentLoader) -> Dataset:
        """toDeskolemizedNQuads (§3.4.9), kept as a dataset."""
        return deskolemize(to_dataset(document, loader=loader), self.prefix, _LABEL_PREFIX)


@dataclass(frozen=True, slots=True)
class Group:
    """The document's canonical statements, split by whether a selection covers them."""

    matching: dict[int, str]
    non_matching: dict[int, str]
    dataset: Dataset
    """The selection's own (deskolemized) statements."""


@dataclass(frozen=True, slots=True)
class Grouped:
    groups: dict[str, Group]
    label_map: dict[str, str]
    nquads: list[str]


def canonicalize_and_group(
    document: JsonObject,
    factory: LabelMapFactory,
    definitions: Mapping[str, Sequence[str]],
    *,
    loader: DocumentLoader,
    limits: CanonicalizationLimits = DEFAULT_CANONICALIZATION_LIMITS,
) -> Grouped:
    """canonicalizeAndGroup (§3.4.16). Raises PointerError, GroupingError or a
    :class:`~staffvc.jsonld.JsonLdError` subclass."""
    skolem = _Skolemizer(document)
    skolemized = skolem.skolemize(expand(document, loader=loader))
    compacted = compact(skolemized, document.get("@context"), loader=loader)
    nquads, label_map = label_replacement_canonicalize(
        skolem.dataset(skolemized, loader=loader), factory, limits=limits
    )
    groups: dict[str, Group] = {}
    for name, pointers in definitions.items():
        selection = select_json_ld(pointers, compacted)
        dataset = {} if selection is None else skolem.dataset(selection, loader=loader)
        try:
            selected = set(serialize(dataset, label_map))
        except KeyError:
            raise GroupingError(
                f"the {name} selection splits a blank node the whole document does not have "
                "(a JSON-LD @list cannot be disclosed in part)"
            ) from None
        matching = {i: nq for i, nq in enumerate(nquads) if nq in selected}
        non_matching = {i: nq for i, nq in enumerate(nquads) if nq not in selected}
        groups[name] = Group(matching, non_matching, dataset)
    return Grouped(groups, label_map, nquads)
