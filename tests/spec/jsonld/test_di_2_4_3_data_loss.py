"""VC Data Integrity 1.0 §2.4.3: JSON-LD processing that would lose data is an error.

The threat: a proof signs RDF, so anything expansion drops is unsigned, and two different
JSON documents would verify with the same signature.
"""

from __future__ import annotations

from typing import Any

import pytest
from pyld import jsonld

from staffvc.jsonld import (
    BundledLoader,
    JsonLdError,
    SafeModeError,
    canonicalize_rdfc,
    expand,
)

V2 = "https://www.w3.org/ns/credentials/v2"
UNDEFINED_TERMS = "https://www.w3.org/ns/credentials/undefined-terms/v2"


def _refused(document: dict[str, Any], loader: BundledLoader) -> SafeModeError:
    with pytest.raises(SafeModeError) as info:
        canonicalize_rdfc(document, loader=loader)
    assert info.value.code == "DATA_LOSS_DETECTION_ERROR"
    with pytest.raises(SafeModeError):
        expand(document, loader=loader)
    return info.value


def test_a_document_using_only_defined_terms_passes(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    canonical = canonicalize_rdfc(credential, loader=loader)
    assert '<https://schema.org/name> "Statutory and Mandatory Training"' in canonical
    assert "BitstringStatusListEntry" in canonical
    assert expand(credential, loader=loader)[0]["@id"] == credential["id"]  # type: ignore[index,call-overload]


def test_without_safe_mode_two_documents_would_sign_identically(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    tampered = dict(credential, isAdministrator=True)  # not defined by any context
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "base": None}
    plain = [
        jsonld.normalize(doc, dict(options, documentLoader=_pyld_loader(loader)))
        for doc in (credential, tampered)
    ]
    assert plain[0] == plain[1]  # the threat, with pyld as it comes
    _refused(tampered, loader)  # and safe mode closes it


def _pyld_loader(loader: BundledLoader) -> Any:
    def load(url: str, options: object) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": loader.load(url)}

    return load


@pytest.mark.parametrize(
    "edit",
    [
        {"isAdministrator": True},
        {"credentialSubject": {"id": "did:example:staff-1234", "grade": "Band 7"}},
        {"issuer": {"id": "did:web:trust.example.nhs.uk", "odsCode": "RX1"}},
        {"@foo": "a key that looks like a keyword"},
    ],
    ids=["top-level", "in-subject", "in-issuer", "reserved-at-term"],
)
def test_an_undefined_term_is_refused(
    credential: dict[str, Any], loader: BundledLoader, edit: dict[str, Any]
) -> None:
    _refused(credential | edit, loader)


def test_an_undefined_type_is_a_relative_type_and_refused(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    error = _refused(credential | {"type": ["VerifiableCredential", "FireSafety"]}, loader)
    assert "FireSafety" in error.message


def test_a_relative_type_iri_is_refused(credential: dict[str, Any], loader: BundledLoader) -> None:
    _refused(credential | {"credentialSubject": {"type": "./Nurse"}}, loader)


@pytest.mark.parametrize(
    "edit",
    [
        {"id": "credentials/1"},
        {"issuer": "trust"},
        {"credentialSubject": {"id": "staff-1234"}},
        {"@context": [V2, {"@vocab": "terms/"}], "grade": "Band 7"},
    ],
    ids=["id", "issuer", "subject-id", "relative-vocab"],
)
def test_a_relative_iri_is_refused_not_resolved_against_an_invented_base(
    credential: dict[str, Any], loader: BundledLoader, edit: dict[str, Any]
) -> None:
    # pyld resolves relative IRIs against http://example.org/base/ when the base is "";
    # DI §2.4.3 asks for a null base, so they must stay relative and be refused.
    _refused(credential | edit, loader)


def test_a_blank_node_property_is_refused(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    _refused(credential | {"_:p": "dropped unless generalized RDF"}, loader)


def test_a_base_direction_is_refused(credential: dict[str, Any], loader: BundledLoader) -> None:
    name = {"@value": "تدريب", "@language": "ar", "@direction": "rtl"}
    _refused(credential | {"name": name}, loader)


@pytest.mark.parametrize(
    "edit",
    [
        {"name": {"@value": "x", "@language": 'en" .\n<did:ex:a> <https://ex/p> "y'}},
        {"issuer": "did:example:a><https://schema.org/name>"},
        {"credentialSubject": {"id": "did:example:has space"}},
    ],
    ids=["language-tag", "iri-with-angle-brackets", "iri-with-space"],
)
def test_values_that_could_forge_nquads_are_refused(
    credential: dict[str, Any], loader: BundledLoader, edit: dict[str, Any]
) -> None:
    _refused(credential | edit, loader)


def test_a_non_finite_number_is_not_json(credential: dict[str, Any], loader: BundledLoader) -> None:
    document = credential | {
        "@context": [V2, {"score": "https://ex.test/score"}],
        "score": float("nan"),
    }
    with pytest.raises(JsonLdError) as info:
        canonicalize_rdfc(document, loader=loader)
    assert info.value.code == "PARSING_ERROR"


def test_the_undefined_terms_context_is_the_vcdm_remedy(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    # VCDM 2.0 §5.2.1: issuer-dependent terms are kept (with their own IRIs), not dropped.
    document = credential | {"@context": [V2, UNDEFINED_TERMS], "grade": "Band 7"}
    canonical = canonicalize_rdfc(document, loader=loader)
    assert '<https://www.w3.org/ns/credentials/undefined-term#grade> "Band 7"' in canonical
