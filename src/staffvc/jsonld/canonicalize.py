"""RDFC-1.0 canonical N-Quads (the bytes ``*-rdfc-*`` cryptosuites hash), with bounded work.

A Data Integrity proof signs ``hash(canonical proof config) || hash(canonical document)``;
the document and the proof configuration are canonicalized separately, each by one call to
:func:`canonicalize_rdfc`. The steps are: safe-mode expansion with the caller's loader,
conversion to an RDF dataset, then RDFC-1.0 (identical to URDNA2015) as implemented by pyld.

RDFC-1.0 is exponential in the worst case: a "poison graph" of blank nodes that look alike
makes its Hash N-Degree Quads step try every permutation of them, and a verifier that
canonicalizes whatever it is sent would hang. pyld 3.3 has no work limit (no equivalent of
rdf-canonize's ``maxWorkFactor``/``maxDeepIterations``), so this module adds one: a cap on
quads and blank nodes before canonicalization starts, and a budget of N-degree steps (each
call and each related blank node visited in each permutation) plus a deadline, checked as
the algorithm runs. Exceeding any of them is a :class:`CanonicalizationLimitError`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer
from pyld.jsonld import JsonLdProcessor

from staffvc.jsonld._pyld import guarded, options_for
from staffvc.jsonld.errors import CanonicalizationLimitError
from staffvc.jsonld.expand import SafeProcessor
from staffvc.jsonld.loader import DocumentLoader
from staffvc.safejson import JsonObject

__all__ = [
    "DEFAULT_CANONICALIZATION_LIMITS",
    "CanonicalizationLimits",
    "RdfcHash",
    "canonicalize_nquads",
    "canonicalize_rdfc",
    "split_nquads",
]

_NQUADS = "application/n-quads"


class RdfcHash(StrEnum):
    """The hash function RDFC-1.0 uses internally to label blank nodes (RDFC-1.0 §4.2).

    SHA-256 is the default; ecdsa-rdfc-2019 with P-384 requires SHA-384 (VC-DI-ECDSA §3.3),
    which changes the blank node labels and so the canonical form.
    """

    SHA256 = "sha256"
    SHA384 = "sha384"


@dataclass(frozen=True, slots=True)
class CanonicalizationLimits:
    """Upper bounds on the work of canonicalizing one document."""

    max_quads: int = 10_000
    """Most RDF statements a document may produce."""
    max_blank_nodes: int = 1_000
    """Most distinct blank nodes a document may produce."""
    max_work: int = 20_000
    """Most Hash N-Degree Quads steps (calls, plus related blank nodes visited while trying
    permutations). Ordinary credentials need none: their blank nodes differ at first degree."""
    max_seconds: float = 2.0
    """Wall-clock budget for the whole operation, checked between stages and while hashing."""

    def __post_init__(self) -> None:
        if min(self.max_quads, self.max_blank_nodes, self.max_work) < 0 or self.max_seconds <= 0:
            raise ValueError("canonicalization limits must be positive")


DEFAULT_CANONICALIZATION_LIMITS = CanonicalizationLimits()


class _Budget:
    __slots__ = ("deadline", "limits", "steps")

    def __init__(self, limits: CanonicalizationLimits) -> None:
        self.limits = limits
        self.steps = 0
        self.deadline = time.monotonic() + limits.max_seconds

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise CanonicalizationLimitError(
                f"canonicalization took longer than {self.limits.max_seconds} s"
            )

    def spend(self) -> None:
        self.steps += 1
        if self.steps > self.limits.max_work:
            raise CanonicalizationLimitError(
                f"canonicalization needs more than {self.limits.max_work} hashing steps "
                "(blank nodes that cannot be told apart: a poison graph?)"
            )
        if not self.steps & 0xFF:
            self.check_time()


class _MeteredIssuer(IdentifierIssuer):  # type: ignore[misc]  # pyld is untyped
    """The canonical issuer; ``has_id`` runs once per related node in every permutation."""

    def __init__(self, prefix: str, budget: _Budget) -> None:
        super().__init__(prefix)
        self._budget = budget

    def has_id(self, old: str) -> bool:
        self._budget.spend()
        return bool(super().has_id(old))


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]  # pyld is untyped
    def __init__(self, budget: _Budget, hash_algorithm: RdfcHash) -> None:
        super().__init__()
        self._budget = budget
        self._hash_name = hash_algorithm.value
        self.canonical_issuer = _MeteredIssuer("_:c14n", budget)

    def create_hash(self) -> Any:
        return hashlib.new(self._hash_name)

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._budget.spend()
        self._budget.check_time()
        return super().hash_n_degree_quads(id_, issuer)


def _canonicalize_dataset(
    dataset: dict[str, list[Any]], budget: _Budget, hash_algorithm: RdfcHash
) -> str:
    limits = budget.limits
    blank_nodes: set[str] = set()
    quads = 0
    for graph_name, triples in dataset.items():
        quads += len(triples)
        if graph_name.startswith("_:"):
            blank_nodes.add(graph_name)
        for triple in triples:
            for part in (triple["subject"], triple["object"]):
                if part["type"] == "blank node":
                    blank_nodes.add(part["value"])
    if quads > limits.max_quads:
        raise CanonicalizationLimitError(
            f"the document produces {quads} statements; the limit is {limits.max_quads}"
        )
    if len(blank_nodes) > limits.max_blank_nodes:
        raise CanonicalizationLimitError(
            f"the document produces {len(blank_nodes)} blank nodes; "
            f"the limit is {limits.max_blank_nodes}"
        )
    budget.check_time()
    return cast(
        str, _BoundedURDNA2015(budget, RdfcHash(hash_algorithm)).main(dataset, {"format": _NQUADS})
    )


def canonicalize_rdfc(
    document: JsonObject,
    *,
    loader: DocumentLoader,
    limits: CanonicalizationLimits = DEFAULT_CANONICALIZATION_LIMITS,
    hash_algorithm: RdfcHash = RdfcHash.SHA256,
) -> str:
    """RDFC-1.0 canonical N-Quads of JSON-LD ``document``, contexts only from ``loader``.

    Safe mode is always on (VC Data Integrity 1.0 §2.4.3). ``hash_algorithm`` is RDFC-1.0's
    internal hash (SHA-384 for ecdsa-rdfc-2019 with P-384). Raises
    :class:`~staffvc.jsonld.errors.SafeModeError`,
    :class:`~staffvc.jsonld.errors.DocumentLoaderError`,
    :class:`~staffvc.jsonld.errors.CanonicalizationLimitError` or
    :class:`~staffvc.jsonld.errors.JsonLdError`.
    """
    budget = _Budget(limits)
    with guarded("RDF canonicalization"):
        options = options_for(loader)
        dataset = SafeProcessor().to_rdf(document, options)
        return _canonicalize_dataset(dataset, budget, hash_algorithm)


def canonicalize_nquads(
    nquads: str,
    *,
    limits: CanonicalizationLimits = DEFAULT_CANONICALIZATION_LIMITS,
    hash_algorithm: RdfcHash = RdfcHash.SHA256,
) -> str:
    """RDFC-1.0 canonical form of an RDF dataset given as N-Quads (no JSON-LD involved)."""
    budget = _Budget(limits)
    lines = nquads.count("\n") + 1
    if lines > limits.max_quads + 1:
        raise CanonicalizationLimitError(
            f"the input has {lines} lines; the limit is {limits.max_quads} statements"
        )
    with guarded("RDF canonicalization"):
        dataset = JsonLdProcessor.parse_nquads(nquads)
        return _canonicalize_dataset(dataset, budget, hash_algorithm)


def split_nquads(nquads: str) -> list[str]:
    """The statements of N-Quads text, one per item, each ending with its newline."""
    return nquads.splitlines(keepends=True)
