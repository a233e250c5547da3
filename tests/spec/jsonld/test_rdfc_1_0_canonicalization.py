"""RDFC-1.0 canonical N-Quads: the official eddsa-rdfc-2022 / ecdsa-rdfc-2019 vectors.

Data Integrity canonicalizes the unsecured document and the proof configuration separately
(VC-DI-EDDSA §3.2.3-3.2.5, VC-DI-ECDSA §3.3); both must reproduce the vectors byte for byte
using only bundled contexts (plus the reconstructed citizenship context, see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from staffvc.jsonld import (
    BundledLoader,
    DocumentLoaderError,
    canonicalize_nquads,
    canonicalize_rdfc,
    split_nquads,
)


def test_unsigned_document_canonicalizes_to_the_vector(rdfc_case: Any) -> None:
    canonical = canonicalize_rdfc(
        rdfc_case.data["unsignedDocument"],
        loader=rdfc_case.loader(),
        hash_algorithm=rdfc_case.hash_algorithm,
    )
    assert canonical == rdfc_case.data["canonicalDocument"]


def test_proof_configuration_canonicalizes_to_the_vector(rdfc_case: Any) -> None:
    canonical = canonicalize_rdfc(
        rdfc_case.data["proofOptions"],
        loader=rdfc_case.loader(),
        hash_algorithm=rdfc_case.hash_algorithm,
    )
    assert canonical == rdfc_case.data["canonicalProofConfig"]


def test_the_rdfc_hash_function_changes_blank_node_labels(all_rdfc_cases: Any) -> None:
    case = all_rdfc_cases["ecdsa-rdfc-2019-p384-employment"]
    with_sha256 = canonicalize_rdfc(case.data["unsignedDocument"], loader=case.loader())
    assert with_sha256 != case.data["canonicalDocument"]


def test_a_context_that_is_not_bundled_is_a_coded_error(employment_case: Any) -> None:
    with pytest.raises(DocumentLoaderError) as info:
        canonicalize_rdfc(employment_case.data["unsignedDocument"], loader=BundledLoader())
    assert info.value.code == "LOADING_DOCUMENT_FAILED"


def test_canonical_nquads_are_sorted_lines_ending_in_newlines(all_rdfc_cases: Any) -> None:
    case = all_rdfc_cases["eddsa-rdfc-2022"]
    lines = split_nquads(canonicalize_rdfc(case.data["unsignedDocument"], loader=case.loader()))
    assert len(lines) == case.data["canonicalDocument"].count("\n") > 1
    assert lines == sorted(lines)
    assert all(line.endswith(" .\n") for line in lines)
    assert "".join(lines) == case.data["canonicalDocument"]


def test_blank_node_labels_in_the_input_do_not_matter() -> None:
    first = (
        "_:x <https://ex.test/p> _:y .\n"
        '_:y <https://ex.test/q> "leaf" .\n'
        '_:x <https://ex.test/q> "root" .\n'
    )
    second = first.replace("_:x", "_:zz").replace("_:y", "_:aa")
    expected = canonicalize_nquads(first)
    assert canonicalize_nquads(second) == expected
    assert sorted(expected.replace("_:c14n0", "_:A").replace("_:c14n1", "_:B").splitlines()) in (
        sorted(first.replace("_:x", "_:A").replace("_:y", "_:B").splitlines()),
        sorted(first.replace("_:x", "_:B").replace("_:y", "_:A").splitlines()),
    )


def test_canonicalize_nquads_agrees_with_the_json_ld_path(all_rdfc_cases: Any) -> None:
    case = all_rdfc_cases["eddsa-rdfc-2022-employment"]
    shuffled = "".join(reversed(split_nquads(case.data["canonicalDocument"])))
    relabelled = shuffled.replace("_:c14n", "_:other")
    assert relabelled != case.data["canonicalDocument"]
    assert canonicalize_nquads(relabelled) == case.data["canonicalDocument"]
