"""VC-DI-ECDSA §3.4 (selective disclosure functions) against the ecdsa-sd-2023 vectors'
intermediates: canonical forms, HMAC relabelling, JSON Pointer selection and grouping."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from staffvc.jsonld import BundledLoader, canonicalize_rdfc
from staffvc.proofs.data_integrity._sd_groups import (
    GroupingError,
    canonicalize_and_group,
    hmac_label_map_factory,
    label_map_factory,
)
from staffvc.proofs.data_integrity._sd_select import (
    PointerError,
    parse_pointer,
    select_json_ld,
)


def _entries(vector_map: dict[str, Any]) -> dict[int, str]:
    """A vector ``{"dataType": "Map", "value": [[k, v], ...]}`` as a dict."""
    assert vector_map["dataType"] == "Map"
    return {int(k): v for k, v in vector_map["value"]}


def _group(case: Any, definitions: dict[str, list[str]]) -> Any:
    return canonicalize_and_group(
        case.document, hmac_label_map_factory(case.hmac_key), definitions, loader=case.loader()
    )


def test_3_4_1_canonical_form_matches_add_base_doc_canon(sd_case: Any) -> None:
    canonical = canonicalize_rdfc(sd_case.document, loader=sd_case.loader())
    assert canonical == "".join(sd_case.data["addBaseDocCanon"])


def test_3_4_4_hmac_labels_match_add_base_doc_hmac_canon(sd_case: Any) -> None:
    """labelReplacementCanonicalizeNQuads with createHmacIdLabelMapFunction: sorted N-Quads
    whose blank nodes are ``u`` + base64url(HMAC-SHA-256(key, "c14nN"))."""
    grouped = _group(sd_case, {})
    assert grouped.nquads == sd_case.data["addBaseDocHMACCanon"]
    expected = {label for _, label in sd_case.data["derivedAllGroupData"]["labelMap"]["value"]}
    assert set(grouped.label_map.values()) == expected


def test_3_4_16_mandatory_group_matches_add_base_transform(sd_case: Any) -> None:
    transform = sd_case.data["addBaseTransform"]
    mandatory = _group(sd_case, {"mandatory": transform["mandatoryPointers"]}).groups["mandatory"]
    assert mandatory.matching == _entries(transform["mandatory"])
    assert mandatory.non_matching == _entries(transform["nonMandatory"])


def test_3_4_17_mandatory_hash_matches_add_hash_data(sd_case: Any) -> None:
    mandatory = _entries(sd_case.data["addBaseTransform"]["mandatory"])
    digest = hashlib.sha256("".join(mandatory.values()).encode()).hexdigest()
    assert digest == sd_case.data["addHashData"]["mandatoryHash"]


def test_3_4_16_derive_groups_match_derived_all_group_data(sd_case: Any) -> None:
    data = sd_case.data
    mandatory, selective = data["mandatoryPointers"], data["selectivePointers"]
    groups = _group(
        sd_case,
        {"mandatory": mandatory, "selective": selective, "combined": mandatory + selective},
    ).groups
    for name, expected in data["derivedAllGroupData"]["groups"].items():
        assert groups[name].matching == _entries(expected["matching"]), name
        assert groups[name].non_matching == _entries(expected["nonMatching"]), name
    indexes = data["derivedGroupIndexes"]
    assert list(groups["combined"].matching) == indexes["combinedIndexes"]
    assert list(groups["selective"].matching) == indexes["selectiveIndexes"]
    assert list(groups["mandatory"].matching) == indexes["mandatoryIndexes"]
    assert list(groups["mandatory"].non_matching) == indexes["nonMandatoryIndexes"]


def test_3_4_13_select_json_ld_gives_the_unsigned_reveal_document(sd_case: Any) -> None:
    data = sd_case.data
    pointers = data["mandatoryPointers"] + data["selectivePointers"]
    assert select_json_ld(pointers, sd_case.document) == data["derivedUnsignedReveal"]


def test_3_4_13_pointer_values(sd_case: Any) -> None:
    for entry in sd_case.data["addPointerValues"]:
        selection = select_json_ld([entry["pointer"]], sd_case.document)
        assert selection is not None
        key = parse_pointer(entry["pointer"])[-1]
        assert selection[key] == entry["value"]


def test_3_4_13_selection_keeps_ids_types_and_makes_arrays_dense() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "credentialSubject": {
            "id": "_:blank",
            "type": "Person",
            "items": [{"a": 1}, {"b": 2, "type": "T"}, {"c": 3}],
            "name": "x",
        },
    }
    selection = select_json_ld(
        ["/credentialSubject/items/2/c", "/credentialSubject/items/1/b"], document
    )
    assert selection == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        # a blank node id is not copied; arrays keep only the selected elements, in order
        "credentialSubject": {"type": "Person", "items": [{"b": 2, "type": "T"}, {"c": 3}]},
    }
    assert select_json_ld([], document) is None
    whole = select_json_ld(["/credentialSubject/items"], document)
    assert whole is not None
    assert whole["credentialSubject"]["items"] == document["credentialSubject"]["items"]


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [("/a", ["a"]), ("/a~1b/~0c/0", ["a/b", "~c", "0"]), ("/", [""]), ("/a//b", ["a", "", "b"])],
)
def test_3_4_10_json_pointer_tokens(pointer: str, tokens: list[str]) -> None:
    assert parse_pointer(pointer) == tokens


@pytest.mark.parametrize("pointer", ["", "a", "/a~2", "/a~"])
def test_3_4_10_malformed_pointers_are_refused(pointer: str) -> None:
    with pytest.raises(PointerError):
        parse_pointer(pointer)


@pytest.mark.parametrize("pointer", ["/nope", "/type/5", "/type/01", "/name/x"])
def test_3_4_12_pointer_that_matches_nothing_is_an_error(pointer: str) -> None:
    document = {"@context": [], "type": ["A", "B"], "name": "n"}
    with pytest.raises(PointerError, match="does not match"):
        select_json_ld([pointer], document)


def test_3_4_3_label_map_function_needs_every_canonical_label() -> None:
    factory = label_map_factory({"c14n0": "uAAA"})
    assert factory({"b0": "c14n0"}) == {"b0": "uAAA"}
    with pytest.raises(GroupingError, match="c14n1"):
        factory({"b0": "c14n0", "b1": "c14n1"})


def test_3_4_16_grouping_needs_contexts_from_the_loader(sd_employ: Any) -> None:
    """Selective disclosure canonicalizes too: the same offline loader rule applies."""
    from staffvc.jsonld import DocumentLoaderError

    with pytest.raises(DocumentLoaderError):
        canonicalize_and_group(
            sd_employ.document,
            hmac_label_map_factory(sd_employ.hmac_key),
            {"mandatory": ["/issuer"]},
            loader=BundledLoader(),
        )
