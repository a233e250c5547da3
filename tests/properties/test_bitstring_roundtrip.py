"""Properties of the status-list bitstrings: set/get/encode/decode round trips; any entry
set is read back, every other entry stays zero (W3C Bitstring and IETF Token lists)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from staffvc.status import Bitstring, TokenStatusList


@st.composite
def bitstrings(draw: st.DrawFn) -> tuple[int, int, dict[int, int]]:
    size = draw(st.integers(min_value=1, max_value=8))
    length = draw(st.integers(min_value=1, max_value=4096))
    values = draw(
        st.dictionaries(
            st.integers(min_value=0, max_value=length - 1),
            st.integers(min_value=1, max_value=(1 << size) - 1),
            max_size=40,
        )
    )
    return size, length, values


@settings(max_examples=200, deadline=None)
@given(bitstrings())
def test_bitstring_set_get_encode_decode(case: tuple[int, int, dict[int, int]]) -> None:
    size, length, values = case
    bitstring = Bitstring(length, status_size=size)
    for index, value in values.items():
        bitstring.set(index, value)
    decoded = Bitstring.decode(bitstring.encode(), status_size=size, min_length=1)
    assert decoded.length >= length  # whole bytes: up to 7 bits of padding
    for index in range(length):
        assert decoded.get(index) == values.get(index, 0)
    assert dict(decoded.nonzero()) == values
    assert Bitstring.from_bytes(bitstring.to_bytes(), status_size=size).to_bytes() == (
        bitstring.to_bytes()
    )


@settings(max_examples=100, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=2048),
    index=st.integers(min_value=0),
    size=st.integers(min_value=1, max_value=8),
    data=st.data(),
)
def test_setting_one_entry_touches_only_that_entry(
    length: int, index: int, size: int, data: st.DataObject
) -> None:
    index %= length
    value = data.draw(st.integers(min_value=1, max_value=(1 << size) - 1))
    bitstring = Bitstring(length, status_size=size)
    bitstring.set(index, value)
    assert list(bitstring.nonzero()) == [(index, value)]
    bitstring.set(index, 0)
    assert bitstring.to_bytes() == bytes(len(bitstring.to_bytes()))


@settings(max_examples=150, deadline=None)
@given(
    bits=st.sampled_from([1, 2, 4, 8]),
    size=st.integers(min_value=1, max_value=2048),
    data=st.data(),
)
def test_token_status_list_round_trip(bits: int, size: int, data: st.DataObject) -> None:
    values = data.draw(
        st.dictionaries(
            st.integers(min_value=0, max_value=size - 1),
            st.integers(min_value=1, max_value=(1 << bits) - 1),
            max_size=40,
        )
    )
    status_list = TokenStatusList(size, bits=bits)
    for index, value in values.items():
        status_list.set(index, value)
    decoded = TokenStatusList.decode(status_list.encode())
    for index in range(size):
        assert decoded.get(index) == values.get(index, 0)
    assert decoded.to_bytes() == status_list.to_bytes()
