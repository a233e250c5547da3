"""RDF datasets, compaction and canonical blank-node labels, for selective disclosure.

ecdsa-sd-2023 (VC-DI-ECDSA §3.4) needs more than canonical text: compaction, JSON-LD to an
RDF *dataset*, and RDFC-1.0's issued identifier map (which input blank node became
``c14nN``). These run through the same safe-mode processor, per-loader options and bounded
canonicalizer as the rest of this package, so safe mode, the caller's loader and the work
limits all still apply.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, TypeAlias, cast

from staffvc.jsonld._pyld import guarded, options_for
from staffvc.jsonld.canonicalize import (
    DEFAULT_CANONICALIZATION_LIMITS,
    CanonicalizationLimits,
    RdfcHash,
    _BoundedURDNA2015,
    _Budget,
)
from staffvc.jsonld.errors import CanonicalizationLimitError
from staffvc.jsonld.expand import SafeProcessor
from staffvc.jsonld.loader import DocumentLoader
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "Dataset",
    "blank_labels",
    "canonical_labels",
    "compact",
    "deskolemize",
    "serialize",
    "to_dataset",
]

Term: TypeAlias = dict[str, str]
"""One RDF term as pyld holds it: ``{"type": "IRI" | "blank node" | "literal", "value": ...}``."""
Triple: TypeAlias = dict[str, Term]
Dataset: TypeAlias = dict[str, list[Triple]]
"""Graph name (``@default``, an IRI or ``_:label``) to the triples in that graph."""

_NQUADS = "application/n-quads"
_BLANK = "blank node"
_DEFAULT_GRAPH = "@default"


def compact(expanded: list[JsonValue], context: JsonValue, *, loader: DocumentLoader) -> JsonObject:
    """``expanded`` compacted with ``context`` (JSON-LD 1.1 API §9.1), safe mode on."""
    with guarded("JSON-LD compaction"):
        result = SafeProcessor().compact(expanded, {"@context": context}, options_for(loader))
    return cast(JsonObject, result)


def to_dataset(document: JsonValue, *, loader: DocumentLoader) -> Dataset:
    """The RDF dataset of a JSON-LD document (Deserialize JSON-LD to RDF), safe mode on."""
    with guarded("JSON-LD to RDF"):
        dataset = SafeProcessor().to_rdf(document, options_for(loader))
    return cast(Dataset, dataset)


def deskolemize(dataset: Dataset, skolem_prefix: str, label_prefix: str) -> Dataset:
    """A copy of ``dataset`` in which every IRI starting with ``skolem_prefix`` is a blank node
    again, labelled ``label_prefix`` + the rest of the IRI (VC-DI-ECDSA §3.4.9)."""

    def term(value: Term) -> Term:
        if value["type"] == "IRI" and value["value"].startswith(skolem_prefix):
            return {
                "type": _BLANK,
                "value": "_:" + label_prefix + value["value"][len(skolem_prefix) :],
            }
        return dict(value)

    result: Dataset = {}
    for graph, triples in dataset.items():
        name = graph
        if graph.startswith(skolem_prefix):
            name = "_:" + label_prefix + graph[len(skolem_prefix) :]
        result[name] = [{key: term(value) for key, value in triple.items()} for triple in triples]
    return result


def blank_labels(dataset: Dataset) -> set[str]:
    """Every blank node label in ``dataset``, without the ``_:`` prefix."""
    labels = {graph[2:] for graph in dataset if graph.startswith("_:")}
    for triples in dataset.values():
        for triple in triples:
            for value in triple.values():
                if value["type"] == _BLANK:
                    labels.add(value["value"][2:])
    return labels


def canonical_labels(
    dataset: Dataset, *, limits: CanonicalizationLimits = DEFAULT_CANONICALIZATION_LIMITS
) -> dict[str, str]:
    """RDFC-1.0's issued identifier map: input blank node label to ``c14nN`` (no ``_:``)."""
    quads = sum(len(triples) for triples in dataset.values())
    if quads > limits.max_quads:
        raise CanonicalizationLimitError(
            f"the document produces {quads} statements; the limit is {limits.max_quads}"
        )
    blanks = len(blank_labels(dataset))
    if blanks > limits.max_blank_nodes:
        raise CanonicalizationLimitError(
            f"the document produces {blanks} blank nodes; the limit is {limits.max_blank_nodes}"
        )
    canonicalizer: Any = _BoundedURDNA2015(_Budget(limits), RdfcHash.SHA256)
    with guarded("RDF canonicalization"):
        canonicalizer.main(copy.deepcopy(dataset), {"format": _NQUADS})
    issued = cast(dict[str, str], canonicalizer.canonical_issuer.existing)
    return {old[2:]: new[2:] for old, new in issued.items()}


def serialize(dataset: Dataset, relabel: Mapping[str, str]) -> list[str]:
    """One N-Quad line (with its newline) per statement, blank node ``x`` written as
    ``_:relabel[x]``; KeyError for a blank node ``relabel`` does not name."""

    def term(value: Term) -> Term:
        if value["type"] == _BLANK:
            return {**value, "value": "_:" + relabel[value["value"][2:]]}
        return value

    lines: list[str] = []
    for graph, triples in dataset.items():
        name: str | None = None
        if graph != _DEFAULT_GRAPH:
            name = "_:" + relabel[graph[2:]] if graph.startswith("_:") else graph
        for triple in triples:
            relabelled = {key: term(value) for key, value in triple.items()}
            lines.append(cast(str, SafeProcessor.to_nquad(relabelled, name)))
    return lines
