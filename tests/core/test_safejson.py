"""Limits on JSON from outside (I-JSON, RFC 7493): size, depth, duplicates, constants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffvc.errors import InvalidJsonError, LimitExceededError
from staffvc.safejson import JsonLimits, depth_of, loads


def test_ordinary_json_parses() -> None:
    assert loads(b'{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"a": 1, "a": 2}', InvalidJsonError),
        ('{"a": NaN}', InvalidJsonError),
        ("[Infinity]", InvalidJsonError),
        ("{", InvalidJsonError),
        (b"\xff\xfe", InvalidJsonError),
        ("[" * 100 + "]" * 100, LimitExceededError),
        ("[" * 100_000 + "]" * 100_000, LimitExceededError),
        ("x" * (1 << 20 + 1), LimitExceededError),
    ],
    ids=["duplicate", "nan", "infinity", "truncated", "not-utf8", "deep", "very-deep", "large"],
)
def test_refused_input(text: str | bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        loads(text)


def test_limits_are_configurable_and_named_in_errors() -> None:
    with pytest.raises(LimitExceededError, match="DID document is 11 bytes"):
        loads('{"a": "bc"}', limits=JsonLimits(max_bytes=10), what="DID document")
    assert loads("[[1]]", limits=JsonLimits(max_depth=2)) == [[1]]
    with pytest.raises(LimitExceededError):
        loads("[[[1]]]", limits=JsonLimits(max_depth=2))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=20,
)


@given(json_values)
def test_depth_of_matches_a_recursive_definition(value: object) -> None:
    def depth(v: object) -> int:
        if isinstance(v, dict):
            return 1 + max((depth(c) for c in v.values()), default=0)
        if isinstance(v, list):
            return 1 + max((depth(c) for c in v), default=0)
        return 0

    assert depth_of(value) == depth(value)
