"""Bitstring Status List v1.0 §3.3 (Bitstring Generation) and §3.4 (Bitstring Expansion),
§2.2 encodedList (BSL-08, BSL-09), with the spec's example list and the locally derived
lists with known set bits (shared/vectors/bitstring-status-list)."""

from __future__ import annotations

import base64
import gzip
import zlib

import pytest

from staffvc.errors import (
    LimitExceededError,
    MalformedStatusError,
    StatusListLengthError,
)
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.status import MIN_LIST_LENGTH, Bitstring, DecodeLimits
from support import load_vector

VECTORS = load_vector("bitstring-status-list/bitstring-status-list-vectors.json")
DERIVED = VECTORS["derivedVectors"]["vectors"]


def _u(raw: bytes) -> str:
    return "u" + b64url_encode(gzip.compress(raw, mtime=0))


def test_spec_example_encoded_list_is_131072_clear_entries() -> None:
    example = VECTORS["specExampleEncodedList"]
    bitstring = Bitstring.decode(example["encodedList"])
    assert bitstring.length == example["decodedLengthBits"] == MIN_LIST_LENGTH
    assert bitstring.to_bytes() == bytes(example["decodedLengthBytes"])
    assert list(bitstring.nonzero()) == []


def test_spec_example_list_credentials_carry_that_list() -> None:
    lists = [
        e["json"]
        for e in VECTORS["specExamples"]
        if e["json"] and "BitstringStatusListCredential" in e["json"]["type"]
    ]
    assert len(lists) == 2
    for document in lists:
        bitstring = Bitstring.decode(document["credentialSubject"]["encodedList"])
        assert bitstring.length == MIN_LIST_LENGTH


@pytest.mark.parametrize("vector", DERIVED, ids=[v["name"][:40] for v in DERIVED])
def test_derived_lists_decode_to_their_known_values(vector: dict) -> None:
    size = vector["statusSize"]
    bitstring = Bitstring.decode(vector["encodedList"], status_size=size)
    assert bitstring.length * size == vector["bitstringLengthBits"]
    for item in vector["checks"]:
        assert bitstring.get(int(item["statusListIndex"])) == item["expectedValue"], item


@pytest.mark.parametrize("vector", DERIVED, ids=[v["name"][:40] for v in DERIVED])
def test_derived_lists_are_regenerated_bit_for_bit(vector: dict) -> None:
    """§3.3 generation from the set entries gives the same uncompressed bitstring (the
    compressed bytes depend on the zlib build, so they are not compared)."""
    size = vector["statusSize"]
    decoded = Bitstring.decode(vector["encodedList"], status_size=size)
    rebuilt = Bitstring(decoded.length, status_size=size)
    for index, value in decoded.nonzero():
        rebuilt.set(index, value)
    assert rebuilt == decoded
    assert Bitstring.decode(rebuilt.encode(), status_size=size) == decoded


def test_index_zero_is_the_most_significant_bit_of_byte_zero() -> None:
    bitstring = Bitstring(MIN_LIST_LENGTH)
    bitstring.set(0, 1)
    bitstring.set(9, 1)
    assert bitstring.to_bytes()[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_multi_bit_entries_are_read_most_significant_bit_first() -> None:
    bitstring = Bitstring(8, status_size=2)
    bitstring.set(0, 0b11)
    bitstring.set(1, 0b01)
    bitstring.set(3, 0b10)
    assert bitstring.to_bytes() == bytes([0b1101_0010, 0])


def test_an_entry_may_straddle_two_bytes() -> None:
    bitstring = Bitstring(16, status_size=3)
    bitstring.set(2, 0b101)  # bits 6..8
    assert bitstring.to_bytes()[:2] == bytes([0b0000_0010, 0b1000_0000])
    assert bitstring.get(2) == 0b101
    assert list(bitstring.nonzero()) == [(2, 0b101)]


def test_encoding_is_u_multibase_base64url_of_gzip_and_deterministic() -> None:
    bitstring = Bitstring(MIN_LIST_LENGTH)
    bitstring.set(94567, 1)
    encoded = bitstring.encode()
    assert encoded.startswith("u")
    assert "=" not in encoded
    assert encoded == bitstring.encode()
    raw = gzip.decompress(b64url_decode(encoded[1:]))
    assert raw == bitstring.to_bytes()


# --- BSL-08/09, §3.4: what a verifier refuses ---------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        "z" + "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
        "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
        "m" + base64.b64encode(gzip.compress(bytes(16384), mtime=0)).decode(),
        "",
    ],
    ids=["base58-prefix", "no-prefix", "base64-prefix", "empty"],
)
def test_an_encoded_list_without_the_u_prefix_is_malformed(encoded: str) -> None:
    with pytest.raises(MalformedStatusError) as caught:
        Bitstring.decode(encoded)
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_padded_or_non_url_base64_is_malformed() -> None:
    body = b64url_encode(gzip.compress(bytes(16384), mtime=0))
    assert Bitstring.decode("u" + body).length == MIN_LIST_LENGTH
    for bad in (body + "=", body + "==", body[:5] + "+" + body[6:], body[:5] + "/" + body[6:]):
        with pytest.raises(MalformedStatusError):
            Bitstring.decode("u" + bad)


def test_zlib_or_raw_deflate_instead_of_gzip_is_malformed() -> None:
    for data in (zlib.compress(bytes(16384)), zlib.compress(bytes(16384))[2:-4]):
        with pytest.raises(MalformedStatusError):
            Bitstring.decode("u" + b64url_encode(data))


def test_truncated_gzip_and_trailing_bytes_are_malformed() -> None:
    stream = gzip.compress(bytes(16384), mtime=0)
    for data in (stream[:-6], stream + b"\x00", stream + stream):
        with pytest.raises(MalformedStatusError):
            Bitstring.decode("u" + b64url_encode(data))


def test_a_list_shorter_than_131072_entries_is_a_length_error() -> None:
    with pytest.raises(StatusListLengthError) as caught:
        Bitstring.decode(_u(bytes(16383)))
    assert caught.value.code == "STATUS_LIST_LENGTH_ERROR"


def test_the_minimum_counts_entries_not_bits() -> None:
    """§3.2: bitstring length / statusSize must reach the minimum."""
    encoded = _u(bytes(16384))
    assert Bitstring.decode(encoded, status_size=1).length == MIN_LIST_LENGTH
    with pytest.raises(StatusListLengthError):
        Bitstring.decode(encoded, status_size=2)
    assert Bitstring.decode(_u(bytes(32768)), status_size=2).length == MIN_LIST_LENGTH


def test_an_ecosystem_may_set_a_lower_minimum() -> None:
    assert Bitstring.decode(_u(bytes(8)), min_length=64).length == 64


def test_a_gzip_bomb_stops_at_the_decompression_cap() -> None:
    bomb = gzip.compress(bytes(64 << 20), compresslevel=9, mtime=0)
    encoded = "u" + b64url_encode(bomb)
    assert len(encoded) < 100_000
    with pytest.raises(LimitExceededError) as caught:
        Bitstring.decode(encoded, limits=DecodeLimits(max_decompressed_bytes=1 << 20))
    assert caught.value.code == "LIMIT_EXCEEDED"
    with pytest.raises(LimitExceededError):
        Bitstring.decode(encoded)  # the default cap (16 MiB) stops it too


def test_an_oversized_encoded_list_is_refused_before_decoding() -> None:
    encoded = _u(bytes(16384))
    with pytest.raises(LimitExceededError):
        Bitstring.decode(encoded, limits=DecodeLimits(max_encoded_bytes=len(encoded) - 1))


def test_a_list_exactly_at_the_cap_decodes() -> None:
    bitstring = Bitstring.decode(
        _u(bytes(16384)), limits=DecodeLimits(max_decompressed_bytes=16384)
    )
    assert bitstring.length == MIN_LIST_LENGTH


def test_non_string_encoded_list_is_malformed() -> None:
    with pytest.raises(MalformedStatusError):
        Bitstring.decode(12345)  # type: ignore[arg-type]


# --- the programming interface ----------------------------------------------------------


@pytest.mark.parametrize("size", [0, -1, 9, True, 1.0])
def test_status_sizes_outside_1_to_8_are_refused(size: object) -> None:
    with pytest.raises(ValueError):
        Bitstring(8, status_size=size)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Bitstring.from_bytes(b"\x00", status_size=size)  # type: ignore[arg-type]


@pytest.mark.parametrize("length", [0, -8, True])
def test_lengths_must_be_positive(length: object) -> None:
    with pytest.raises(ValueError):
        Bitstring(length)  # type: ignore[arg-type]


def test_get_and_set_check_index_and_value() -> None:
    bitstring = Bitstring(16, status_size=2)
    with pytest.raises(IndexError):
        bitstring.get(16)
    with pytest.raises(IndexError):
        bitstring.set(-1, 1)
    with pytest.raises(TypeError):
        bitstring.get(True)
    with pytest.raises(ValueError):
        bitstring.set(0, 4)
    with pytest.raises(ValueError):
        bitstring.set(0, True)
    assert bitstring.to_bytes() == bytes(4)


def test_from_bytes_and_copy_are_independent() -> None:
    data = bytes([0x80]) + bytes(15)
    bitstring = Bitstring.from_bytes(data)
    twin = bitstring.copy()
    twin.set(1, 1)
    assert bitstring.get(0) == 1
    assert bitstring.get(1) == 0
    assert twin != bitstring
    assert "length=128" in repr(bitstring)
    with pytest.raises(ValueError):
        Bitstring.from_bytes(b"")
    with pytest.raises(TypeError):
        hash(bitstring)
