"""draft-ietf-oauth-status-list §4 (Status List): ``{"bits", "lst"}``, ZLIB (RFC 1950)
compression, base64url without padding, and index 0 in the *least* significant bits of the
first byte (the opposite of the W3C Bitstring Status List)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from staffvc.errors import LimitExceededError, MalformedStatusError
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.status import Bitstring, DecodeLimits, TokenStatusList

# The two examples of draft-ietf-oauth-status-list §4.1 (also in drafts 12-18), with the
# status values the draft lists for them.
EXAMPLE_1BIT = {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}
EXAMPLE_1BIT_STATUSES = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]
EXAMPLE_2BIT = {"bits": 2, "lst": "eNo76fITAAPfAgc"}
EXAMPLE_2BIT_STATUSES = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]


def test_the_one_bit_example_decodes_to_its_statuses() -> None:
    status_list = TokenStatusList.decode(EXAMPLE_1BIT)
    assert status_list.size == 16
    assert [status_list.get(i) for i in range(16)] == EXAMPLE_1BIT_STATUSES
    assert status_list.to_bytes() == bytes([0xB9, 0xA3])


def test_the_two_bit_example_decodes_to_its_statuses() -> None:
    status_list = TokenStatusList.decode(EXAMPLE_2BIT)
    assert status_list.size == 12
    assert [status_list.get(i) for i in range(12)] == EXAMPLE_2BIT_STATUSES
    assert status_list.to_bytes() == bytes([0xC9, 0x44, 0xF9])


@pytest.mark.parametrize(
    ("bits", "statuses"), [(1, EXAMPLE_1BIT_STATUSES), (2, EXAMPLE_2BIT_STATUSES)]
)
def test_building_the_examples_gives_the_same_bytes(bits: int, statuses: list[int]) -> None:
    status_list = TokenStatusList(len(statuses), bits=bits)
    for index, value in enumerate(statuses):
        status_list.set(index, value)
    encoded = status_list.encode()
    assert encoded["bits"] == bits
    assert zlib.decompress(b64url_decode(str(encoded["lst"]))) == status_list.to_bytes()
    assert TokenStatusList.decode(encoded) == status_list


def test_index_zero_is_the_least_significant_bit_unlike_bitstring_status_list() -> None:
    token = TokenStatusList(8)
    token.set(0, 1)
    w3c = Bitstring(8)
    w3c.set(0, 1)
    assert token.to_bytes() == b"\x01"
    assert w3c.to_bytes() == b"\x80"


@pytest.mark.parametrize("bits", [1, 2, 4, 8])
def test_every_entry_width_round_trips(bits: int) -> None:
    status_list = TokenStatusList(64, bits=bits)
    top = (1 << bits) - 1
    for index in range(0, 64, 3):
        status_list.set(index, index % (top + 1))
    decoded = TokenStatusList.decode(status_list.encode())
    assert [decoded.get(i) for i in range(64)] == [status_list.get(i) for i in range(64)]


@pytest.mark.parametrize(
    "value",
    [
        {"bits": 3, "lst": EXAMPLE_1BIT["lst"]},
        {"bits": 16, "lst": EXAMPLE_1BIT["lst"]},
        {"bits": True, "lst": EXAMPLE_1BIT["lst"]},
        {"bits": "1", "lst": EXAMPLE_1BIT["lst"]},
        {"lst": EXAMPLE_1BIT["lst"]},
        {"bits": 1},
        {"bits": 1, "lst": ""},
        {"bits": 1, "lst": EXAMPLE_1BIT["lst"] + "="},
        {"bits": 1, "lst": "eNr+uRgAAhcBXQ"},
        {"bits": 1, "lst": b64url_encode(gzip.compress(b"\xb9\xa3", mtime=0))},
        {"bits": 1, "lst": b64url_encode(zlib.compress(b"\xb9\xa3")[:-2])},
        {"bits": 1, "lst": b64url_encode(zlib.compress(b"\xb9\xa3") + b"\x00")},
        {"bits": 1, "lst": b64url_encode(zlib.compress(b""))},
        ["bits", 1],
        "eNrbuRgAAhcBXQ",
    ],
)
def test_malformed_status_lists_are_refused(value: object) -> None:
    with pytest.raises(MalformedStatusError) as caught:
        TokenStatusList.decode(value)  # type: ignore[arg-type]
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_a_zlib_bomb_stops_at_the_cap() -> None:
    bomb = {"bits": 1, "lst": b64url_encode(zlib.compress(bytes(64 << 20), 9))}
    with pytest.raises(LimitExceededError):
        TokenStatusList.decode(bomb, limits=DecodeLimits(max_decompressed_bytes=1 << 20))
    with pytest.raises(LimitExceededError):
        TokenStatusList.decode(
            EXAMPLE_1BIT, limits=DecodeLimits(max_encoded_bytes=len(EXAMPLE_1BIT["lst"]) - 1)
        )


def test_programming_errors_are_refused() -> None:
    with pytest.raises(ValueError):
        TokenStatusList(8, bits=3)
    with pytest.raises(ValueError):
        TokenStatusList(0)
    with pytest.raises(ValueError):
        TokenStatusList.from_bytes(b"")
    with pytest.raises(ValueError):
        TokenStatusList.from_bytes(b"\x00", bits=5)
    status_list = TokenStatusList(8, bits=2)
    with pytest.raises(ValueError):
        status_list.set(0, 4)
    with pytest.raises(IndexError):
        status_list.get(8)
    with pytest.raises(TypeError):
        status_list.get(False)
    assert "bits=2" in repr(status_list)
    with pytest.raises(TypeError):
        hash(status_list)
