"""Differential test: staffvc's fast RDFC path gives pure pyld's canonical N-Quads, byte for byte.

The fast path (``canonicalize_rdfc``) memoizes pyld's context processing and IRI expansion
per loader (``staffvc.jsonld._pyld.ContextMemo``) and keeps safe mode and the work limits.
The reference here is pyld with none of that: a plain ``JsonLdProcessor``, a fresh context
resolver with an empty cache for every call, ``to_rdf`` and pyld's own URDNA2015 (= RDFC-1.0;
with SHA-384 where VC-DI-ECDSA asks for it). One loader is shared by every fast-path call in
this module, so later examples run on warm memos (the case that matters), while the first
runs fill them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdProcessor

from staffvc.jsonld import BundledLoader, DocumentLoader, RdfcHash, SafeModeError
from staffvc.jsonld import canonicalize_rdfc as fast_canonicalize
from support import load_vector, vector_loader

V2 = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
V1 = ["https://www.w3.org/2018/credentials/v1", {"@vocab": "https://ex.test/v1-vocab#"}]
XSD = "http://www.w3.org/2001/XMLSchema#"

_SHARED_LOADER = BundledLoader()


class _Urdna(URDNA2015):  # type: ignore[misc]  # pyld is untyped
    def __init__(self, hash_name: str) -> None:
        super().__init__()
        self._hash_name = hash_name

    def create_hash(self) -> Any:
        return hashlib.new(self._hash_name)


def pure_pyld(document: dict[str, Any], loader: DocumentLoader, hash_name: str = "sha256") -> str:
    """Canonical N-Quads by pyld alone: no staffvc processor, no memo, no shared cache."""

    def load(url: str, options: object = None) -> dict[str, Any]:
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(loader.load(url)),
            "contentType": "application/ld+json",
        }

    options = {
        "documentLoader": load,
        "contextResolver": ContextResolver({}, load),
        "base": None,
        "processingMode": "json-ld-1.1",
        "extractAllScripts": False,
        "produceGeneralizedRdf": False,
    }
    dataset = JsonLdProcessor().to_rdf(copy.deepcopy(document), options)
    return str(_Urdna(hash_name).main(dataset, {"format": "application/n-quads"}))


# --- every vector document and proof configuration -------------------------------------------


def _vector_inputs() -> list[Any]:
    params = []
    for relative in ("vc-di-eddsa/eddsa-vectors.json", "vc-di-ecdsa/ecdsa-vectors.json"):
        for name, case in sorted(load_vector(relative).items()):
            rdfc = "jcs" not in name
            sha384 = "p384" in name
            for part in ("unsignedDocument", "proofOptions"):
                expected = None
                if rdfc:
                    key = (
                        "canonicalDocument"
                        if part == "unsignedDocument"
                        else "canonicalProofConfig"
                    )
                    expected = case[key]
                params.append(pytest.param(case, part, sha384, expected, id=f"{name}-{part}"))
    return params


@pytest.mark.parametrize(("case", "part", "sha384", "expected"), _vector_inputs())
def test_vectors_fast_path_equals_pure_pyld(
    case: dict[str, Any], part: str, sha384: bool, expected: str | None
) -> None:
    document = case[part]
    loader = vector_loader(case["unsignedDocument"])
    rdfc_hash = RdfcHash.SHA384 if sha384 else RdfcHash.SHA256
    reference = pure_pyld(document, loader, rdfc_hash.value)
    before = copy.deepcopy(document)
    for _ in range(3):  # cold memo, then warm memo
        assert fast_canonicalize(document, loader=loader, hash_algorithm=rdfc_hash) == reference
    assert document == before  # the input is never modified
    if expected is not None:  # the official canonical form (rdfc cases)
        assert reference == expected


# --- hypothesis-generated credentials --------------------------------------------------------

_TERM = st.text(string.ascii_letters + string.digits, min_size=1, max_size=8).map(lambda s: "x" + s)
_IRI_SEGMENT = st.text(string.ascii_letters + string.digits + "-._~", min_size=1, max_size=12)
_IRIS = st.one_of(
    _IRI_SEGMENT.map(lambda s: f"did:example:{s}"),
    _IRI_SEGMENT.map(lambda s: f"https://staff.example.nhs.uk/{s}"),
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
)
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=16)
_LANGUAGES = st.sampled_from(["en", "en-GB", "cy", "fr-CA", "gd", "zh-Hant-TW"])
_DATATYPES = st.sampled_from(
    [XSD + "date", XSD + "dateTime", XSD + "string", XSD + "integer", XSD + "boolean"]
)


def _literals() -> st.SearchStrategy[Any]:
    return st.one_of(
        _TEXT,
        st.booleans(),
        st.integers(min_value=-(10**25), max_value=10**25),
        st.floats(allow_nan=False, allow_infinity=False),
        st.builds(lambda v, lang: {"@value": v, "@language": lang}, _TEXT, _LANGUAGES),
        st.builds(lambda v, dt: {"@value": v, "@type": dt}, _TEXT, _DATATYPES),
        _IRIS.map(lambda iri: {"id": iri}),
    )


def _objects(properties: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Nested values: literals, arrays, and node objects (blank nodes unless given an id)."""

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        node = st.fixed_dictionaries(
            {},
            optional={
                "id": _IRIS,
                "type": st.one_of(_TERM.map(str.capitalize), st.lists(_TERM, max_size=2)),
            },
        ).flatmap(
            lambda head: st.dictionaries(properties, children, min_size=1, max_size=3).map(
                lambda body: {**head, **body}
            )
        )
        return st.one_of(node, st.lists(children, min_size=1, max_size=3))

    return st.recursive(_literals(), extend, max_leaves=8)


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    v2 = draw(st.booleans())
    if v2:
        properties: st.SearchStrategy[str] = _TERM
    else:  # VC 1.1: a protected base context plus an inline @vocab context
        properties = st.one_of(_TERM, _IRI_SEGMENT.map(lambda s: f"https://ex.test/p/{s}"))
    subject_values = _objects(properties)
    subjects = draw(
        st.lists(
            st.fixed_dictionaries(
                {}, optional={"id": _IRIS, "type": _TERM.map(str.capitalize)}
            ).flatmap(
                lambda head: st.dictionaries(properties, subject_values, max_size=4).map(
                    lambda body: {**head, **body}
                )
            ),
            min_size=1,
            max_size=3,
        )
    )
    credential: dict[str, Any] = {
        "@context": copy.deepcopy(V2 if v2 else V1),
        "type": ["VerifiableCredential", *draw(st.lists(_TERM.map(str.capitalize), max_size=2))],
        "issuer": draw(
            st.one_of(_IRIS, st.builds(lambda i, n: {"id": i, "name": n}, _IRIS, _TEXT))
        ),
        "credentialSubject": subjects[0] if len(subjects) == 1 else subjects,
    }
    if draw(st.booleans()):
        credential["id"] = draw(_IRIS)
    if v2:
        if draw(st.booleans()):
            credential["validFrom"] = "2026-01-15T09:00:00Z"
        if draw(st.booleans()):
            credential["name"] = draw(
                st.one_of(
                    _TEXT,
                    st.builds(lambda v, lang: {"@value": v, "@language": lang}, _TEXT, _LANGUAGES),
                )
            )
    else:
        credential["issuanceDate"] = "2026-01-15T09:00:00Z"
    if draw(st.booleans()):
        credential["evidence"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"type": st.just(["Evidence"] if v2 else "Evidence")},
                    optional={"id": _IRIS},
                ).flatmap(
                    lambda head: st.dictionaries(properties, _literals(), max_size=2).map(
                        lambda body: {**head, **body}
                    )
                ),
                min_size=1,
                max_size=2,
            )
        )
    return credential


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(credential=credentials(), sha384=st.booleans())
def test_generated_credentials_fast_path_equals_pure_pyld(
    credential: dict[str, Any], sha384: bool
) -> None:
    rdfc_hash = RdfcHash.SHA384 if sha384 else RdfcHash.SHA256
    reference = pure_pyld(credential, _SHARED_LOADER, rdfc_hash.value)
    before = json.dumps(credential, sort_keys=True)
    fast = fast_canonicalize(credential, loader=_SHARED_LOADER, hash_algorithm=rdfc_hash)
    assert fast == reference
    assert json.dumps(credential, sort_keys=True) == before
    # And a fresh loader (cold memo) agrees with the warm one.
    assert fast_canonicalize(credential, loader=BundledLoader(), hash_algorithm=rdfc_hash) == fast


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credential=credentials(), extra=_TERM)
def test_safe_mode_holds_on_warm_memos(credential: dict[str, Any], extra: str) -> None:
    # An undefined term is an error however warm the memos are: VC 1.1 without @vocab.
    fast_canonicalize(credential, loader=_SHARED_LOADER)  # warm the memos for this @context
    credential = copy.deepcopy(credential)
    credential["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    credential["credentialSubject"] = {"id": "did:example:s", extra: "not defined anywhere"}
    for _ in range(2):
        with pytest.raises(SafeModeError):
            fast_canonicalize(credential, loader=_SHARED_LOADER)
