"""JSON-LD processing for Data Integrity proofs: loaders, safe mode, RDFC-1.0 and JCS.

This package is the only part of staffvc that imports pyld, so that every JSON-LD operation
passes through the same three guarantees: contexts come only from an explicit
:class:`DocumentLoader` (offline by default), nothing is silently dropped (safe mode), and
canonicalization cannot be made to run forever (work limits).
"""

from staffvc.jsonld.canonicalize import (
    DEFAULT_CANONICALIZATION_LIMITS,
    CanonicalizationLimits,
    RdfcHash,
    canonicalize_nquads,
    canonicalize_rdfc,
    split_nquads,
)
from staffvc.jsonld.errors import (
    CanonicalizationLimitError,
    DocumentLoaderError,
    JcsError,
    JsonLdError,
    SafeModeError,
)
from staffvc.jsonld.expand import expand
from staffvc.jsonld.jcs import canonicalize_jcs
from staffvc.jsonld.loader import CONTEXT_LIMITS, BundledLoader, CachingLoader, DocumentLoader

__all__ = [
    "CONTEXT_LIMITS",
    "DEFAULT_CANONICALIZATION_LIMITS",
    "BundledLoader",
    "CachingLoader",
    "CanonicalizationLimitError",
    "CanonicalizationLimits",
    "DocumentLoader",
    "DocumentLoaderError",
    "JcsError",
    "JsonLdError",
    "RdfcHash",
    "SafeModeError",
    "canonicalize_jcs",
    "canonicalize_nquads",
    "canonicalize_rdfc",
    "expand",
    "split_nquads",
]
