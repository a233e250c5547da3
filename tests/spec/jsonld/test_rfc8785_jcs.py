"""RFC 8785 (JCS): the eddsa-jcs-2022 and ecdsa-jcs-2019 vectors, and values JCS refuses."""

from __future__ import annotations

import math
from typing import Any

import pytest

from staffvc.jsonld import JcsError, canonicalize_jcs


def test_unsigned_document_matches_the_vector(jcs_case: Any) -> None:
    expected = jcs_case.data["canonicalDocument"].encode()
    assert canonicalize_jcs(jcs_case.data["unsignedDocument"]) == expected


def test_proof_configuration_matches_the_vector(jcs_case: Any) -> None:
    # The JCS proof configuration carries the document's @context (EdDSA §3.3.5).
    expected = jcs_case.data["canonicalProofConfig"].encode()
    assert canonicalize_jcs(jcs_case.data["proofOptions"]) == expected


def test_rfc_8785_3_2_3_members_sort_by_utf16_code_units() -> None:
    # RFC 8785 §3.2.3's example: the keys sort by UTF-16 code units, not by code points.
    value = {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew", "1": "One",
             "\U0001f600": "Emoji", "\u0080": "Control", "\u00f6": "o"}  # fmt: skip
    assert (
        canonicalize_jcs(value)
        == (
            '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"o",'
            '"\u20ac":"Euro Sign","\U0001f600":"Emoji","\ufb33":"Hebrew"}'
        ).encode()
    )


def test_rfc_8785_3_2_2_3_numbers_use_the_ecmascript_form() -> None:
    assert canonicalize_jcs([1.0, 1e21, 1e-7, 0.000001, -0.0, 333333333.33333329]) == (
        b"[1,1e+21,1e-7,0.000001,0,333333333.3333333]"
    )


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        {"a": -math.inf},
        2**53,
        [-(2**53)],
        {1: "a non-string member name"},
        {"a": {1, 2}},
        b"bytes",
        "\ud800",
    ],
    ids=[
        "nan",
        "inf",
        "nested-inf",
        "int-too-big",
        "int-too-small",
        "int-key",
        "set",
        "bytes",
        "lone-surrogate",
    ],
)
def test_values_outside_i_json_are_refused(value: Any) -> None:
    with pytest.raises(JcsError) as info:
        canonicalize_jcs(value)
    assert info.value.code == "MALFORMED_VALUE_ERROR"
